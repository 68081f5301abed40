"""Narrowing a snapshot to one engagement, and the names export files get."""

from __future__ import annotations

import datetime as dt

import pytest

from socready.core.controls.library import default_library
from socready.core.errors import InputError
from socready.core.readiness.scoring import assess
from socready.core.readiness.snapshot import (
    ControlState,
    Engagement,
    EvidenceItem,
    ProgramSnapshot,
    RemediationTask,
    RequestState,
)
from socready.reports.focus import files_of, focus
from socready.reports.kinds import BY_KIND, file_name

TODAY = dt.date(2026, 5, 1)
SOC1 = Engagement("7", "soc1", "Type I", as_of=dt.date(2026, 6, 30), objectives=("ITGC-ACCESS",))
SOC2 = Engagement("9", "soc2", "Type I", as_of=dt.date(2026, 6, 30), categories=("Security",))


def _snapshot() -> ProgramSnapshot:
    library = default_library()
    shared = library.control("IAM-01")  # maps to CC6.x and ITGC-ACCESS
    soc2_only = library.control("LOG-01")
    soc1_only = library.control("CHG-01")
    evidence = (EvidenceItem("e1", "Access review", TODAY - dt.timedelta(days=5)),)
    return ProgramSnapshot(
        organization="Acme",
        engagements=(SOC1, SOC2),
        controls=(
            ControlState(shared, "implemented", engagements=("7", "9"), evidence=evidence),
            ControlState(soc2_only, "designed", engagements=("9",)),
            ControlState(soc1_only, "operating", engagements=("7",), evidence=evidence),
        ),
        tasks=(
            RemediationTask("Tune alerts", "LOG-01", due=TODAY + dt.timedelta(days=40)),
            RemediationTask("Write the policy", None, due=TODAY + dt.timedelta(days=10)),
        ),
        today=TODAY,
        requests=(
            RequestState("EV-1", ("7", "9"), controls=("IAM-01", "LOG-01"), status="provided"),
            RequestState("EV-2", ("9",), controls=("LOG-01",)),
        ),
    )


def test_focus_keeps_only_the_engagement_and_the_controls_tasks_and_requests_that_concern_it() -> None:
    narrowed = focus(_snapshot(), "7")
    assert [e.id for e in narrowed.engagements] == ["7"]
    assert [(s.id, s.engagements) for s in narrowed.controls] == [("IAM-01", ("7",)), ("CHG-01", ("7",))]
    # The task on a SOC 2-only control goes; a task tied to no control may still hold the report back.
    assert [t.title for t in narrowed.tasks] == ["Write the policy"]
    # A request shared with SOC 2 stays, for this report and the controls that serve it only.
    assert [(r.request_id, r.engagements, r.controls) for r in narrowed.requests] == [("EV-1", ("7",), ("IAM-01",))]


def test_an_engagement_scores_the_same_alone_as_beside_the_others() -> None:
    snapshot = _snapshot()
    full = {r.engagement.id: r for r in assess(snapshot).by_report}
    for engagement_id in ("7", "9"):
        alone = assess(focus(snapshot, engagement_id))
        assert [r.engagement.id for r in alone.by_report] == [engagement_id]
        assert alone.overall.value == full[engagement_id].score.value
        assert alone.by_report[0].ready_date == full[engagement_id].ready_date
        assert {g.target for g in alone.gaps} == {g.target for g in assess(snapshot).gaps
                                                  if engagement_id in g.engagements}


def test_focus_on_an_unknown_engagement_names_the_known_ones() -> None:
    with pytest.raises(InputError, match=r"no engagement with id '8'.*7, 9") as caught:
        focus(_snapshot(), "8")
    assert caught.value.field == "engagement"


def test_files_of_keeps_the_evidence_files_of_controls_still_in_view() -> None:
    files = (("IAM-01", "review.csv", "a" * 64), ("LOG-01", "alerts.png", "b" * 64))
    assert files_of(focus(_snapshot(), "7"), files) == (files[0],)
    assert files_of(_snapshot(), files) == files


def test_file_names_say_whose_export_of_what_and_when_and_cannot_escape_their_folder() -> None:
    assert file_name("acme", "matrix", ".xlsx", None, TODAY) == "acme-matrix-2026-05-01.xlsx"
    assert file_name("acme", "pbc", ".csv", "7", TODAY) == "acme-pbc-engagement-7-2026-05-01.csv"
    hostile = file_name("../../etc", "report-html", ".html", "1/2", TODAY)
    assert "/" not in hostile and not hostile.startswith(".")


def test_every_kind_of_export_is_listed_once_with_a_file_suffix() -> None:
    assert list(BY_KIND) == ["report-html", "report-pdf", "matrix", "pbc", "description", "oscal", "bundle"]
    assert all(k.suffix.startswith(".") and k.title and k.what for k in BY_KIND.values())
