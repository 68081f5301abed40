"""The control's evidence page and readiness judge a Type I control's evidence by the same rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from socready.evidence.models import EvidenceItem
from socready.programs.models import Control, Engagement
from socready.reports.services import program_readiness
from tests.integration.conftest import Personas

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def test_a_year_long_item_is_fresh_on_the_timeline_and_in_readiness_for_a_type1_as_of_mid_year(
        client: Client, personas: Personas, settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 8, 1))
    engagement = Engagement.objects.create(organization=personas.acme, report="soc2", report_type="type1",
                                           as_of_date=AS_OF, categories=["Security"])
    control = Control.objects.create(organization=personas.acme, code="PL-01", title="Security policy",
                                     frequency="annual", criteria=["CC5.3"], status="implemented")
    control.engagements.set([engagement])
    item = EvidenceItem.objects.create(organization=personas.acme, kind="note", title="Policy in force 2026",
                                       effective_date=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))
    item.controls.set([control])

    client.force_login(personas.alice)
    page = client.get(f"/o/acme/controls/{control.pk}/evidence/").content.decode()
    readiness = program_readiness(personas.acme, today=dt.date(2026, 8, 1))
    judged = next(c for c in readiness.readiness.controls if c.control_id == "PL-01")

    assert "Fresh: " in page and "Stale: " not in page
    assert judged.evidence_fresh
