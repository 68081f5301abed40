"""Engagements after scoping: no silent duplicates on a second run, and deletion that keeps audit records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from socready.audit.models import AuditEvent
from socready.evidence.models import EvidenceRequest, Population
from socready.programs.models import Control, Engagement, ScopingProfile
from tests.integration.conftest import Personas

START = dt.date(2026, 9, 1)
END = dt.date(2027, 2, 28)
RECOMMENDATION = {"soc1": True, "soc2": True, "soc2_categories": ["Security", "Processing Integrity"],
                  "report_type": "Type II", "observation_window_months": 6,
                  "soc1_objective_services": ["payroll", "payments"], "reasons": []}


def _scoped(personas: Personas) -> None:
    ScopingProfile.objects.create(organization=personas.acme, answers={"name": "Acme"},
                                  recommendation=RECOMMENDATION)


def _form(**plans: dict[str, Any]) -> dict[str, str]:
    """A POST of the result page's formset: one plan per report, in the page's order (SOC 1, then SOC 2)."""
    form = {"plan-TOTAL_FORMS": str(len(plans)), "plan-INITIAL_FORMS": str(len(plans)),
            "plan-MIN_NUM_FORMS": "0", "plan-MAX_NUM_FORMS": "10"}
    for index, (report, plan) in enumerate(plans.items()):
        values = {"report": report, "report_type": "type2", "period_start": START.isoformat(),
                  "period_end": END.isoformat(), **plan}
        form.update({f"plan-{index}-{k}": str(v) for k, v in values.items()})
    return form


def _engagement(personas: Personas, report: str, **fields: Any) -> Engagement:
    values = {"report_type": "type2", "period_start": dt.date(2026, 3, 1), "period_end": dt.date(2026, 8, 31),
              "categories": ["Security"] if report == "soc2" else [],
              "objectives": ["ITGC-ACCESS", "PAYROLL-01"] if report == "soc1" else [], **fields}
    return Engagement.objects.create(organization=personas.acme, report=report, **values)


def test_the_result_page_shows_existing_engagements_and_keeping_them_creates_nothing(client: Client,
                                                                                    personas: Personas) -> None:
    _scoped(personas)
    soc1 = _engagement(personas, "soc1", auditor_firm="Example CPAs")
    client.force_login(personas.alice)
    page = client.get("/o/acme/scoping/result/").content.decode()
    assert "Already in place" in page and soc1.label in page and "Example CPAs" in page
    assert 'value="keep"' in page and 'value="create"' in page  # keep for SOC 1; create for the missing SOC 2
    response = client.post("/o/acme/scoping/result/", _form(soc1={"action": "keep"}, soc2={"action": "create"}))
    assert response.status_code == 302 and response["Location"].endswith("/controls/adopt/")
    assert sorted(Engagement.objects.filter(organization=personas.acme).values_list("report", flat=True)) == [
        "soc1", "soc2"]
    soc1.refresh_from_db()
    assert soc1.period_start == dt.date(2026, 3, 1)


def test_creating_a_report_that_already_has_an_engagement_is_refused(client: Client, personas: Personas) -> None:
    _scoped(personas)
    existing = _engagement(personas, "soc2")
    client.force_login(personas.alice)
    response = client.post("/o/acme/scoping/result/", _form(soc1={"action": "skip"}, soc2={"action": "create"}))
    assert response.status_code == 200
    assert "already exists: keep it, update it, or choose to add another" in response.content.decode()
    assert list(Engagement.objects.filter(organization=personas.acme)) == [existing]


def test_updating_an_existing_engagement_changes_its_dates_in_place_and_is_audited(client: Client,
                                                                                  personas: Personas) -> None:
    _scoped(personas)
    existing = _engagement(personas, "soc2", auditor_firm="Example CPAs")
    client.force_login(personas.alice)
    response = client.post("/o/acme/scoping/result/", _form(
        soc1={"action": "skip"}, soc2={"action": "update", "target": existing.pk, "auditor_firm": ""}))
    assert response.status_code == 302 and response["Location"].endswith("/engagements/")
    assert Engagement.objects.filter(organization=personas.acme).count() == 1
    existing.refresh_from_db()
    assert (existing.period_start, existing.period_end, existing.auditor_firm) == (START, END, "Example CPAs")
    event = AuditEvent.objects.filter(model="programs.Engagement", action="update").latest("id")
    assert event.before == {"period_start": "2026-03-01", "period_end": "2026-08-31"}
    assert event.actor_label == personas.alice.email


def test_a_second_engagement_of_the_same_report_needs_the_explicit_choice(client: Client,
                                                                         personas: Personas) -> None:
    _scoped(personas)
    _engagement(personas, "soc2")
    client.force_login(personas.alice)
    response = client.post("/o/acme/scoping/result/", _form(soc1={"action": "skip"}, soc2={"action": "add"}))
    assert response.status_code == 302
    assert Engagement.objects.filter(organization=personas.acme, report="soc2").count() == 2


def test_with_two_engagements_of_a_report_the_update_changes_the_one_chosen(client: Client,
                                                                           personas: Personas) -> None:
    _scoped(personas)
    older = _engagement(personas, "soc2")
    newer = _engagement(personas, "soc2", period_start=dt.date(2026, 4, 1))
    client.force_login(personas.alice)
    page = client.get("/o/acme/scoping/result/").content.decode()
    assert "Engagement to update" in page and older.label in page and newer.label in page
    response = client.post("/o/acme/scoping/result/", _form(
        soc1={"action": "skip"}, soc2={"action": "update", "target": older.pk}))
    assert response.status_code == 302
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.period_start == START and newer.period_start == dt.date(2026, 4, 1)


def test_an_update_cannot_target_another_organizations_engagement(client: Client, personas: Personas) -> None:
    _scoped(personas)
    mine = _engagement(personas, "soc2")
    theirs = Engagement.objects.create(organization=personas.other, report="soc2", report_type="type1",
                                       as_of_date=dt.date(2026, 1, 31), categories=["Security"])
    client.force_login(personas.alice)
    response = client.post("/o/acme/scoping/result/", _form(
        soc1={"action": "skip"}, soc2={"action": "update", "target": theirs.pk}))
    assert response.status_code == 200
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.report_type == "type1" and mine.period_start == dt.date(2026, 3, 1)


def test_deleting_an_engagement_keeps_its_controls_and_pbc_lines_and_is_audited(client: Client,
                                                                               personas: Personas) -> None:
    soc1, soc2 = _engagement(personas, "soc1"), _engagement(personas, "soc2")
    shared = Control.objects.create(organization=personas.acme, code="AC-01", title="Access review",
                                    criteria=["CC6.2"], objectives=["ITGC-ACCESS"])
    shared.engagements.set([soc1, soc2])
    only_soc2 = Control.objects.create(organization=personas.acme, code="IR-01", title="Incidents",
                                       criteria=["CC7.4"])
    only_soc2.engagements.set([soc2])
    request = EvidenceRequest.objects.create(organization=personas.acme, code="E-IR-01", title="IR plan")
    request.engagements.set([soc2])
    client.force_login(personas.alice)
    page = client.get(f"/o/acme/engagements/{soc2.pk}/delete/").content.decode()
    assert "2 controls serve this engagement" in page and "1 of them will serve no engagement" in page
    assert "1 PBC line that only this engagement relied on stays" in page
    response = client.post(f"/o/acme/engagements/{soc2.pk}/delete/")
    assert response.status_code == 302 and response["Location"].endswith("/engagements/")
    assert list(Engagement.objects.filter(organization=personas.acme)) == [soc1]
    assert Control.objects.filter(organization=personas.acme).count() == 2
    assert list(shared.engagements.all()) == [soc1] and not only_soc2.engagements.exists()
    assert EvidenceRequest.objects.filter(pk=request.pk).exists()
    event = AuditEvent.objects.filter(model="programs.Engagement", action="delete").get()
    assert event.object_id == str(soc2.pk) and event.organization_id == personas.acme.pk
    assert event.before is not None and event.before["report"] == "soc2"
    # The links it held are in the trail too, not lost with the row.
    cleared = AuditEvent.objects.filter(model="programs.Engagement", object_id=str(soc2.pk), action="update")
    assert sorted(str(e.after) for e in cleared) == sorted([
        str({"controls": {"cleared": sorted([shared.pk, only_soc2.pk])}}),
        str({"evidence_requests": {"cleared": [request.pk]}})])


def test_an_engagement_with_an_imported_population_is_not_deleted(client: Client, personas: Personas) -> None:
    soc2 = _engagement(personas, "soc2")
    control = Control.objects.create(organization=personas.acme, code="CHG-01", title="Changes", criteria=["CC8.1"])
    population = Population.objects.create(organization=personas.acme, control=control, engagement=soc2,
                                           kind="changes", source_name="changes.csv", sha256="0" * 64, size=10,
                                           id_column="id", state="done", progress=100, rows=3)
    client.force_login(personas.alice)
    page = client.get(f"/o/acme/engagements/{soc2.pk}/delete/").content.decode()
    assert "cannot be deleted" in page and "<button" not in page.split("</h1>", 1)[1]
    before = AuditEvent.objects.count()
    response = client.post(f"/o/acme/engagements/{soc2.pk}/delete/", follow=True)
    assert "imported population(s), which are audit records: it was not deleted" in response.content.decode()
    population.refresh_from_db()
    assert population.engagement_id == soc2.pk and Engagement.objects.filter(pk=soc2.pk).exists()
    assert AuditEvent.objects.count() == before


def test_only_owners_and_admins_see_the_delete_link(client: Client, personas: Personas) -> None:
    engagement = _engagement(personas, "soc2")
    link = f"/o/acme/engagements/{engagement.pk}/delete/"
    client.force_login(personas.alice)
    assert link in client.get("/o/acme/engagements/").content.decode()
    client.force_login(personas.bob)
    assert link not in client.get("/o/acme/engagements/").content.decode()
    assert client.get(link).status_code == 403


def test_a_plan_cannot_be_pointed_at_another_report_or_added_beyond_the_page(client: Client,
                                                                            personas: Personas) -> None:
    _scoped(personas)
    _engagement(personas, "soc2")
    client.force_login(personas.alice)
    # Form 0 is the SOC 1 plan; a hand-edited (or stale) page says soc2 in its hidden field.
    edited = _form(soc1={"action": "create"}, soc2={"action": "keep"})
    edited["plan-0-report"] = "soc2"
    client.post("/o/acme/scoping/result/", edited)
    assert sorted(Engagement.objects.values_list("report", flat=True)) == ["soc1", "soc2"]
    # A third plan the page never offered creates nothing.
    extra = _form(soc1={"action": "skip"}, soc2={"action": "keep"})
    extra.update({"plan-TOTAL_FORMS": "3", "plan-2-report": "soc2", "plan-2-action": "create",
                  "plan-2-report_type": "type2", "plan-2-period_start": START.isoformat(),
                  "plan-2-period_end": END.isoformat()})
    client.post("/o/acme/scoping/result/", extra)
    assert sorted(Engagement.objects.values_list("report", flat=True)) == ["soc1", "soc2"]
