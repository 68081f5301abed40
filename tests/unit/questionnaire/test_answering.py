"""Drafting answers to questionnaire questions from a program snapshot (socready.core.questionnaires.answering)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest

from socready.core.controls.library import default_library
from socready.core.questionnaires.answering import (
    NO,
    PARTIAL,
    YES,
    Answerer,
    AnsweringRules,
    answer_questions,
    summarize,
)
from socready.core.questionnaires.knowledge import AnswerBook, KnownAnswer
from socready.core.questionnaires.mapping import default_mapper
from socready.core.questionnaires.vocabulary import default_vocabulary
from socready.core.readiness.snapshot import ControlState, Engagement, EvidenceItem, ProgramSnapshot, SampleSummary
from socready.io.questionnaire import Question

TODAY = dt.date(2025, 6, 1)
RECENT = dt.date(2025, 5, 1)
STALE = dt.date(2023, 3, 1)
LIBRARY = {c.id: c for c in default_library().controls}

MFA = "Is multi-factor authentication enforced for administrator logins?"
ENCRYPTION = "Is customer data encrypted at rest and in transit?"
SCANS = "Do you run vulnerability scans at least monthly?"


def state(code: str, status: str, *evidence: tuple[str, dt.date], exceptions: int | None = None,
          na: str | None = None) -> ControlState:
    items = tuple(EvidenceItem(f"{code}-{n}", title, day) for n, (title, day) in enumerate(evidence))
    samples = SampleSummary(25, exceptions) if exceptions is not None else None
    return ControlState(control=LIBRARY[code], status=status, evidence=items, samples=samples,
                        not_applicable_reason=na)


def snapshot(*controls: ControlState, engagements: tuple[Engagement, ...] = ()) -> ProgramSnapshot:
    return ProgramSnapshot("Acme", engagements, tuple(controls), (), TODAY)


def draft(text: str, snap: ProgramSnapshot, rules: AnsweringRules | None = None):  # type: ignore[no-untyped-def]
    return answer_questions([Question(id="Q1", text=text, location="Sheet!B2")], snap, default_mapper(), rules)[0]


def test_operating_control_with_current_evidence_answers_yes_citing_control_and_evidence() -> None:
    result = draft(MFA, snapshot(state("IAM-05", "operating", ("MFA settings export", RECENT))))
    assert result.answer == YES
    assert "IAM-05 Multi-factor authentication enforced" in result.explanation
    assert "MFA settings export (2025-05-01)" in result.explanation
    assert not result.needs_review and result.confidence >= 0.6
    assert [c.code for c in result.controls] == ["IAM-05"]
    assert (result.question_id, result.location) == ("Q1", "Sheet!B2")


@pytest.mark.parametrize(("control", "answer", "reason"), [
    (state("IAM-05", "implemented"), None, "no evidence on file for IAM-05"),
    (state("IAM-05", "operating", ("MFA settings export", STALE)), None, "evidence for IAM-05 is stale"),
    (state("IAM-05", "designed", ("MFA design note", RECENT)), PARTIAL, "IAM-05 is not implemented yet (designed)"),
    (state("IAM-05", "in_progress"), PARTIAL, "IAM-05 is not implemented yet (in progress)"),
    (state("IAM-05", "not_started"), NO, "IAM-05 is not started"),
    (state("IAM-05", "operating", ("MFA export", RECENT), exceptions=2), PARTIAL, "found 2 exception(s) in 25"),
    (state("IAM-05", "operating", ("MFA export", RECENT), na="no admin logins"), "N/A", "marked not applicable"),
])
def test_a_control_that_cannot_support_yes_gives_a_conservative_answer_and_a_review_reason(
        control: ControlState, answer: str | None, reason: str) -> None:
    result = draft(MFA, snapshot(control))
    assert result.answer == answer
    assert result.needs_review
    assert reason in result.review_reason


def test_yes_is_never_drafted_without_an_implemented_control_and_current_evidence() -> None:
    evidence_options = [(), (("old export", STALE),), (("new export", RECENT),)]
    for status, evidence in itertools.product(
            ("not_started", "in_progress", "designed", "implemented", "operating"), evidence_options):
        result = draft(MFA, snapshot(state("IAM-05", status, *evidence)))
        if result.answer == YES:
            assert status in ("implemented", "operating") and evidence[0][1] == RECENT, (status, evidence)


def test_evidence_age_limit_is_a_rule_that_can_be_tightened() -> None:
    control = state("IAM-05", "operating", ("MFA settings export", dt.date(2025, 1, 2)))
    assert draft(MFA, snapshot(control)).answer == YES
    strict = draft(MFA, snapshot(control), AnsweringRules(evidence_max_age_days=90))
    assert strict.answer is None and "stale" in strict.review_reason


def test_a_question_needing_two_controls_is_partial_when_only_one_is_in_place() -> None:
    snap = snapshot(state("DPE-01", "operating", ("Disk encryption settings", RECENT)),
                    state("DPE-02", "in_progress"))
    result = draft(ENCRYPTION, snap)
    assert result.answer == PARTIAL
    assert {c.code for c in result.controls} == {"DPE-01", "DPE-02"}
    both = snapshot(state("DPE-01", "operating", ("Disk encryption settings", RECENT)),
                    state("DPE-02", "operating", ("TLS scan", RECENT)))
    assert draft(ENCRYPTION, both).answer == YES


def test_without_an_adopted_control_there_is_no_answer_and_the_library_control_is_named() -> None:
    result = draft(SCANS, snapshot(state("IAM-05", "operating", ("MFA export", RECENT))))
    assert result.answer is None and result.kind == "unmatched"
    assert "no adopted control covers this" in result.review_reason and "VUL-01" in result.review_reason


def test_a_weaker_neighbour_is_not_cited_when_the_right_control_is_not_adopted() -> None:
    question = "Is your information security policy approved by management and reviewed every year?"
    result = draft(question, snapshot(state("HR-03", "operating", ("Training records", RECENT))))
    assert result.answer is None
    assert "POL-01" in result.review_reason


def test_an_unrelated_question_gets_no_answer() -> None:
    result = draft("Do you allow pets in the office?", snapshot(state("PHY-01", "operating", ("Badge log", RECENT))))
    assert result.answer is None and result.needs_review


@pytest.mark.parametrize("text", [
    "How many employees have access to production?",
    "Describe how you separate one customer's data from another's.",
    "List the subprocessors that handle customer data.",
    "When was your last disaster recovery test?",
])
def test_questions_only_a_person_can_answer_are_left_blank_and_flagged(text: str) -> None:
    result = draft(text, snapshot(state("IAM-05", "operating", ("MFA export", RECENT))))
    assert result.answer is None and result.kind == "person"
    assert "only a person can give" in result.review_reason


def test_a_yes_no_question_that_also_asks_for_details_is_flagged() -> None:
    result = draft(MFA + " If yes, please describe the methods allowed.",
                   snapshot(state("IAM-05", "operating", ("MFA export", RECENT))))
    assert result.answer == YES
    assert "details a person must add" in result.review_reason


@pytest.mark.parametrize(("text", "code"), [
    ("Can employees copy customer data to USB drives or personal devices?", "DPE-05"),
    ("Is production data used in development or testing environments?", "CNF-05"),
    ("Are shared accounts used by administrators?", "IAM-07"),
])
def test_a_question_about_the_risk_itself_is_not_answered_yes_from_the_control(text: str, code: str) -> None:
    result = draft(text, snapshot(state(code, "operating", ("Current evidence", RECENT))))
    assert result.answer is None
    assert "ask about the risk rather than the control" in result.review_reason


def test_a_question_worded_like_a_prohibiting_control_is_still_answered() -> None:
    text = "Are database credentials stored in a secrets manager rather than in code?"
    result = draft(text, snapshot(state("DPE-04", "operating", ("Secret scanning report", RECENT))))
    assert result.answer == YES


SOC2_T2 = Engagement("e1", "soc2", "Type II", period_start=dt.date(2025, 7, 1), period_end=dt.date(2025, 12, 31),
                     categories=("Security",), auditor="Example CPAs")


def test_a_report_ask_is_answered_from_the_planned_engagement_and_always_flagged() -> None:
    result = draft("Do you have a current SOC 2 Type II report?", snapshot(engagements=(SOC2_T2,)))
    assert result.answer == NO and result.kind == "report"
    assert "SOC 2 Type II planned, period 2025-07-01 to 2025-12-31 (auditor: Example CPAs)" in result.explanation
    assert result.needs_review


def test_a_report_whose_period_has_ended_is_left_for_a_person_to_confirm() -> None:
    ended = dataclasses.replace(SOC2_T2, period_start=dt.date(2024, 7, 1), period_end=dt.date(2024, 12, 31))
    result = draft("Please provide your SOC 2 Type 2 report.", snapshot(engagements=(ended,)))
    assert result.answer is None
    assert "has ended" in result.explanation and "confirm the report is issued" in result.explanation


def test_report_asks_without_a_matching_engagement_say_so() -> None:
    soc1 = draft("Provide your SOC 1 Type II report.", snapshot(engagements=(SOC2_T2,)))
    assert soc1.answer == NO and "No SOC 1 Type II examination is planned" in soc1.explanation
    type1 = draft("Do you have a SOC 2 Type I report?", snapshot(engagements=(SOC2_T2,)))
    assert type1.answer == NO and "No SOC 2 Type I is planned" in type1.explanation
    scope = draft("Does your SOC 2 report include the Confidentiality criteria?", snapshot(engagements=(SOC2_T2,)))
    assert "does not include Confidentiality" in scope.explanation


def test_certifications_socready_does_not_track_get_no_answer() -> None:
    result = draft("Is your organization certified to ISO/IEC 27001?", snapshot(engagements=(SOC2_T2,)))
    assert result.answer is None and "does not track ISO 27001" in result.explanation


def test_an_organizations_own_control_can_support_an_answer() -> None:
    custom = dataclasses.replace(LIBRARY["IAM-05"], id="ACME-MFA", title="Hardware keys for administrator logins",
                                 description="Administrator logins require multi-factor authentication with "
                                             "hardware security keys.", custom=True)
    snap = snapshot(ControlState(control=custom, status="operating",
                                 evidence=(EvidenceItem("k", "Key enrolment report", RECENT),)))
    result = draft(MFA, snap)
    assert result.answer == YES and result.controls[0].code == "ACME-MFA"


def test_summary_counts_answers_and_reviews() -> None:
    snap = snapshot(state("IAM-05", "operating", ("MFA export", RECENT)), state("HR-03", "not_started"),
                    engagements=(SOC2_T2,))
    questions = [Question(id=f"Q{i}", text=t, location=f"row {i}") for i, t in enumerate(
        [MFA, "Do employees complete security awareness training?", "Do you have a SOC 2 report?",
         "How many staff do you employ?"], start=1)]
    drafts = answer_questions(questions, snap, default_mapper())
    summary = summarize(drafts)
    assert (summary.total, summary.yes, summary.no, summary.partial, summary.unanswered) == (4, 1, 2, 0, 1)
    assert summary.needs_review == 3


def test_the_answerer_matches_a_question_to_its_control_better_than_to_an_unrelated_one() -> None:
    answerer = Answerer(snapshot(state("IAM-05", "operating")), default_mapper().controls)
    assert answerer.match(MFA, "IAM-05") > 0.5 > answerer.match(MFA, "DPE-01")


@pytest.mark.parametrize("text", ["Do you enforce MFA for administrators?", "Is 2FA required for remote access?",
                                  "Do all staff sign in through SSO?"])
def test_a_short_form_in_the_question_counts_as_the_words_it_stands_for(text: str) -> None:
    result = draft(text, snapshot(state("IAM-05", "operating", ("MFA settings export", RECENT))))
    assert result.answer == YES and result.controls[0].code == "IAM-05"
    assert not any("loosely" in reason or "weakly" in reason for reason in result.reasons)


def test_a_short_form_in_the_control_matches_the_long_form_in_the_question() -> None:
    custom = dataclasses.replace(LIBRARY["IAM-05"], id="ACME-VPN", title="VPN with MFA for administrators",
                                 description="Administrators reach production only through the VPN, with MFA.",
                                 custom=True)
    answerer = Answerer(snapshot(ControlState(control=custom, status="operating")), default_mapper().controls)
    question = "Is multi-factor authentication required on the virtual private network for administrators?"
    assert answerer.match(question, "ACME-VPN") > 0.9
    bare = Answerer(snapshot(ControlState(control=custom, status="operating")), default_mapper().controls,
                    vocabulary=dataclasses.replace(default_vocabulary(), abbreviations={}))
    assert bare.match(question, "ACME-VPN") < 0.5


def test_a_reviewed_answer_is_reused_for_the_same_or_a_near_same_question() -> None:


    reviewed = KnownAnswer("Is multi-factor authentication enforced for administrator logins?", "Yes",
                           "Every admin login needs a second factor.", ("IAM-05",), "acme.xlsx")
    book = AnswerBook([reviewed])
    in_place = snapshot(state("IAM-05", "operating", ("MFA export", RECENT)))
    same = Answerer(in_place, book=book).answer(
        Question("Q9", "Is multi-factor authentication enforced for administrator logins?", "S!B2"),
        default_mapper().map(MFA))
    assert (same.answer, same.kind, same.explanation, same.reasons) == (
        "Yes", "reused", "Every admin login needs a second factor.", ())
    near = Answerer(in_place, book=book).answer(
        Question("Q10", "Is multi factor authentication enforced for all administrator logins?", "S!B3"),
        default_mapper().map(MFA))
    assert near.answer == "Yes" and near.kind == "reused" and "similar question" in near.review_reason
    assert book.find("Do you back up production databases every night?") is None
    # A reviewed Yes whose control has lapsed since is not repeated blindly.
    lapsed = Answerer(snapshot(state("IAM-05", "in_progress")), book=book).answer(
        Question("Q11", reviewed.question, "S!B4"), default_mapper().map(MFA))
    assert lapsed.answer is None and "no longer in place" in lapsed.review_reason
