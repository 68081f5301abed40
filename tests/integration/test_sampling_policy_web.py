"""Each organization sets its own sample sizes; new samples use them, old ones keep the policy they had."""

from __future__ import annotations

from typing import Any

from django.test import Client

from socready.core.sampling.draw import DEFAULT_POLICY, Frequency, Risk
from socready.evidence.models import SampleSet
from socready.evidence.sampling_policy import policy_for
from tests.integration.conftest import Personas
from tests.integration.test_populations_web import draw, imported, setup  # noqa: F401 - fixture


def _policy_post(client: Client, **changes: Any) -> Any:
    page = client.get("/o/acme/sampling/")
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return client.post("/o/acme/sampling/", data)


def test_an_owner_changes_the_sizes_and_new_samples_follow(client: Client, personas: Personas,
                                                           setup: dict[str, Any]) -> None:  # noqa: F811
    client.force_login(personas.alice)
    population = imported(client, setup, count=60, control="review")
    draw(client, population, frequency="monthly", attributes="signed")
    before = SampleSet.objects.latest("id")
    assert len(before.items) == 2  # the default for a monthly control

    assert _policy_post(client, size_monthly_moderate=3, tolerable_rate="4").status_code == 302
    policy = policy_for(personas.acme)
    assert policy.sizes_for(Frequency.MONTHLY).for_risk(Risk.MODERATE) == 3 and policy.tolerable_rate == 0.04
    assert policy_for(personas.other) == DEFAULT_POLICY  # another organization is not affected

    draw(client, population, frequency="monthly", attributes="signed")
    after = SampleSet.objects.latest("id")
    assert len(after.items) == 3 and after.record["policy"]["periodic"]["monthly"]["moderate"] == 3
    before.refresh_from_db()
    assert before.record["policy"]["periodic"]["monthly"]["moderate"] == 2  # drawn under the old policy

    client.post("/o/acme/sampling/", {"reset": "1"})
    assert policy_for(personas.acme) == DEFAULT_POLICY


def test_bad_sizes_are_refused_naming_the_field(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    page = _policy_post(client, size_weekly_high="0", census_up_to="many")
    text = page.content.decode()
    assert page.status_code == 200 and "greater than or equal to 1" in text and "Enter a whole number" in text
    assert policy_for(personas.acme) == DEFAULT_POLICY


def test_contributors_and_auditors_read_the_policy_but_cannot_change_it(client: Client, personas: Personas) -> None:
    for person in (personas.bob, personas.dana):
        client.force_login(person)
        assert client.get("/o/acme/sampling/").status_code == 200
        assert client.post("/o/acme/sampling/", {"reset": "1"}).status_code == 403
