"""Each factory makes a valid, saved row, and every row it needs lives in the same organization."""

from __future__ import annotations

import datetime as dt

import pytest

from socready.accounts.models import Organization
from socready.evidence.models import EvidenceKind, ImportState
from socready.programs.models import Report, ReportType
from socready.storage.blobs import blob_store, verified_file
from tests.factories import (
    ControlFactory,
    EngagementFactory,
    EvidenceItemFactory,
    EvidenceRevisionFactory,
    MembershipFactory,
    OrganizationFactory,
    PopulationFactory,
    QuestionnaireFactory,
)


@pytest.fixture
def org(db: None, settings, tmp_path) -> Organization:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return OrganizationFactory()


def test_membership_joins_a_new_user_to_the_organization(org: Organization) -> None:
    membership = MembershipFactory(organization=org)
    membership.full_clean()
    assert membership.pk and membership.user.pk
    assert list(org.memberships.all()) == [membership]


def test_engagement_is_a_dated_type2_or_a_type1_as_of_a_day(org: Organization) -> None:
    type2 = EngagementFactory(organization=org)
    type1 = EngagementFactory(organization=org, report=Report.SOC1, report_type=ReportType.TYPE1)
    for engagement in (type2, type1):
        engagement.full_clean()
        assert engagement.pk and engagement.organization == org
    assert (type2.period_start, type2.period_end, type2.categories) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30),
                                                                        ["Security"])
    assert (type1.as_of_date, type1.period_start, type1.categories) == (dt.date(2026, 6, 30), None, [])


def test_control_links_the_engagements_it_is_given(org: Organization) -> None:
    engagement = EngagementFactory(organization=org)
    first, second = ControlFactory(organization=org, engagements=[engagement]), ControlFactory(organization=org)
    for control in (first, second):
        control.full_clean()
        assert control.pk and control.organization == org
    assert first.code != second.code
    assert list(first.engagements.all()) == [engagement] and not second.engagements.exists()


def test_evidence_item_has_its_first_revision_as_current_content(org: Organization) -> None:
    control = ControlFactory(organization=org)
    item = EvidenceItemFactory(organization=org, controls=[control])
    item.full_clean()
    item.refresh_from_db()
    assert item.organization == org and list(item.controls.all()) == [control]
    assert item.current is not None and item.current.number == 1 and item.current.text
    assert list(item.revisions.all()) == [item.current]
    assert EvidenceItemFactory(organization=org, revision=False).current is None


def test_a_further_revision_becomes_the_current_content(org: Organization) -> None:
    item = EvidenceItemFactory(organization=org, kind=EvidenceKind.LINK, revision__url="https://example.test/a")
    second = EvidenceRevisionFactory(item=item, url="https://example.test/b")
    second.full_clean()
    item.refresh_from_db()
    assert second.number == 2 and item.current == second and second.text == ""


def test_population_is_stored_and_its_control_is_in_the_same_organization(org: Organization) -> None:
    population = PopulationFactory(organization=org)
    population.full_clean()
    assert population.pk and population.state == ImportState.QUEUED
    assert population.control.organization == org
    with verified_file(blob_store(), population.sha256) as stored:
        assert len(stored.read()) == population.size


def test_questionnaire_file_is_stored(org: Organization) -> None:
    questionnaire = QuestionnaireFactory(organization=org)
    questionnaire.full_clean()
    assert questionnaire.pk and questionnaire.organization == org
    with verified_file(blob_store(), questionnaire.sha256) as stored:
        assert b"multi-factor" in stored.read()


def test_rows_made_without_an_organization_share_the_one_made_for_them(db: None, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    population = PopulationFactory()
    assert population.control.organization == population.organization
    revision = EvidenceRevisionFactory()
    assert revision.item.current == revision and revision.number == 2
