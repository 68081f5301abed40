"""Members who may only read see read-only pages: values as text, no inputs, no action buttons, no "Edit"."""

from __future__ import annotations

import re

from django.test import Client

from socready.programs.models import Control, Engagement, RemediationTask, ScopingProfile
from tests.integration.conftest import Personas


def _inputs(html: str) -> list[str]:
    """Form fields a person could type in or tick (hidden fields do not count)."""
    fields = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    return [f for f in fields if 'type="hidden"' not in f and 'id="org-switch"' not in f]


def _main(html: str) -> str:
    """The page's own content, without the site header (whose organization picker is a select)."""
    return html.split('<main class="content"', 1)[1].split(">", 1)[1]


def _buttons(html: str) -> list[str]:
    return re.findall(r"<button\b[^>]*>.*?</button>", _main(html), flags=re.S)


def test_an_auditor_reads_the_scoping_answers_as_text_and_steps_through_them(client: Client,
                                                                            personas: Personas) -> None:
    ScopingProfile.objects.create(organization=personas.acme, answers={
        "name": "Acme Payroll", "description": "Payroll for small firms.", "financial_impact": ["payroll"]})
    client.force_login(personas.dana)
    html = client.get("/o/acme/scoping/").content.decode()
    assert _inputs(_main(html)) == [] and _buttons(html) == []
    assert "<dd>Acme Payroll</dd>" in html and "<dd>Payroll for small firms.</dd>" in html
    assert "<dd>Payroll</dd>" in html  # a ticked choice by its label, not its stored code
    assert 'href="/o/acme/scoping/step/2/"' in html  # Next is a link, not a form button

    client.force_login(personas.alice)
    owner_html = client.get("/o/acme/scoping/").content.decode()
    assert _inputs(_main(owner_html)) and "Next</button>" in owner_html


def test_an_auditor_opening_an_engagement_sees_its_details_not_an_edit_form(client: Client,
                                                                          program: dict[str, object],
                                                                          personas: Personas) -> None:
    engagement: Engagement = program["soc2"]  # type: ignore[assignment]
    Engagement.objects.filter(pk=engagement.pk).update(auditor_firm="Example CPAs")
    client.force_login(personas.dana)
    html = client.get(f"/o/acme/engagements/{engagement.pk}/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, flags=re.S)
    assert heading is not None and not heading.group(1).startswith("Edit") and "SOC 2" in heading.group(1)
    assert _inputs(_main(html)) == [] and _buttons(html) == []
    assert "Example CPAs" in html and "2026-01-01" in html and "Type II" in html

    client.force_login(personas.alice)
    owner_html = client.get(f"/o/acme/engagements/{engagement.pk}/").content.decode()
    assert "<h1>Edit SOC 2" in owner_html and _inputs(_main(owner_html))


def test_an_auditor_opening_a_task_sees_it_read_only(client: Client, program: dict[str, object],
                                                     personas: Personas) -> None:
    task = RemediationTask.objects.create(organization=personas.acme, title="Write the access policy",
                                          control=program["shared"], owner=personas.bob)
    client.force_login(personas.dana)
    html = client.get(f"/o/acme/tasks/{task.pk}/").content.decode()
    assert _inputs(_main(html)) == [] and _buttons(html) == []
    assert "AC-01" in html and "Bob" in html  # references shown by name, not by id


def test_an_auditor_opening_the_adopt_page_sees_the_library_without_checkboxes_or_buttons(
        client: Client, program: dict[str, object], personas: Personas) -> None:
    Control.objects.filter(pk=program["shared"].pk).update(library_id="IAM-01")  # type: ignore[attr-defined]
    client.force_login(personas.dana)
    html = client.get("/o/acme/controls/adopt/").content.decode()
    assert "<h1>Control library</h1>" in html and "Adopt controls from the library" not in html
    assert _inputs(_main(html)) == [] and _buttons(html) == []
    assert 'title="Adopted"' in html  # what is adopted still shows

    client.force_login(personas.alice)
    owner_html = client.get("/o/acme/controls/adopt/").content.decode()
    assert 'type="checkbox" name="control"' in owner_html and "Adopt the ticked controls" in owner_html


def test_only_managers_get_inputs_on_the_sampling_policy(client: Client, personas: Personas) -> None:
    for reader in (personas.bob, personas.dana):  # a contributor and an auditor: neither may change it
        client.force_login(reader)
        html = client.get("/o/acme/sampling/").content.decode()
        assert _inputs(_main(html)) == [] and _buttons(html) == [], reader
        assert re.search(r"<td>monthly</td><td>2</td>", html)  # the sizes, as plain values
    client.force_login(personas.alice)
    owner_html = client.get("/o/acme/sampling/").content.decode()
    assert 'name="size_monthly_moderate"' in owner_html and "Save policy</button>" in owner_html
