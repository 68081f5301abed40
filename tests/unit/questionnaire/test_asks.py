"""Detecting which reports a questionnaire asks for, and adding the asks up across prospects."""

from __future__ import annotations

import pytest

from socready.core.questionnaires.asks import detect_asks, scan_questions, summarize_asks
from socready.io.questionnaire import Question, read_many


def asks_of(text: str, answer: str | None = None) -> set[tuple[str, str | None]]:
    return {(a.report, a.type) for a in detect_asks(Question(id="Q1", text=text, location="row 2", answer=answer))}


@pytest.mark.parametrize(("text", "expected"), [
    ("Please share your SOC 2 Type II report.", {("SOC 2", "Type II")}),
    ("Do you have a SOC 2 Type 2 audit?", {("SOC 2", "Type II")}),
    ("Is a SOC-1 type 1 available?", {("SOC 1", "Type I")}),
    ("Do you have a SOC 2 Type I or Type II report?", {("SOC 2", "Type I or Type II")}),
    ("Provide your SSAE 16 report.", {("SOC 1", None)}),
    ("Do you still have a SAS 70?", {("SOC 1", None)}),
    ("Provide your SSAE 18 SOC 2 report.", {("SOC 2", None)}),
    ("Is there a SOC 3 on your website?", {("SOC 3", None)}),
    ("Do you have an ISAE 3402 Type II report?", {("ISAE 3402", "Type II")}),
    ("Is your SOC 2 issued under ISAE 3000?", {("SOC 2", None), ("ISAE 3000", None)}),
    ("Are you ISO/IEC 27001:2022 certified?", {("ISO 27001", None)}),
    ("Are you PCI-DSS compliant, HITRUST r2 certified or FedRAMP authorized?",
     {("PCI DSS", None), ("HITRUST", None), ("FedRAMP", None)}),
    ("When was your last penetration test?", {("Penetration test", None)}),
    ("Will you provide a bridge letter for the gap after your report period?", {("Bridge letter", None)}),
    ("Provide your latest SOC report.", {("SOC (kind not named)", None)}),
])
def test_each_report_and_type_is_recognised(text, expected):
    assert asks_of(text) == expected


@pytest.mark.parametrize("text", [
    "Do you operate a 24x7 SOC monitoring all systems?",
    "Is your security operations center (SOC) in-house?",
    "Describe the escalation path from your SOC analysts to engineering.",
    "Do you encrypt data at rest?",
])
def test_soc_meaning_a_security_operations_center_is_not_a_report(text):
    assert asks_of(text) == set()


def test_a_report_said_not_to_be_needed_is_not_an_ask():
    assert asks_of("We do not require a SOC 1 report.") == set()
    assert asks_of("We do not require a SOC 1, only a SOC 2 Type II.") == {("SOC 2", "Type II")}
    assert asks_of("A SOC 3 is not sufficient; send the SOC 2 Type II.") == {("SOC 2", "Type II")}


def test_a_conditional_still_asks_for_the_report():
    assert asks_of("If you do not have a SOC 2, provide your ISO 27001 certificate.") == \
        {("SOC 2", None), ("ISO 27001", None)}


def test_the_vendor_answer_is_not_read():
    assert asks_of("Describe your external assurance.", answer="We have a SOC 1 Type II report.") == set()


def test_categories_and_recency_come_with_the_soc2_ask():
    (ask,) = detect_asks(Question(id="7", text="Provide a SOC 2 Type II report issued within the last 12 months "
                                  "that covers Security, Availability and Confidentiality.", location="row 9"))
    assert ask.categories == ("Security", "Availability", "Confidentiality")
    assert ask.recency_months == 12
    assert (ask.question_id, ask.location) == ("7", "row 9")


def test_a_category_word_outside_a_scope_sentence_is_not_read_as_scope():
    (ask,) = detect_asks(Question(id="1", text="Do you have a SOC 2 report? Describe your privacy program.",
                                  location="row 3"))
    assert ask.categories == ()


def test_legacy_names_keep_the_name_the_customer_used():
    (ask,) = detect_asks(Question(id="1", text="Please send your SSAE 16 Type II.", location="row 3"))
    assert (ask.report, ask.type, ask.legacy_name) == ("SOC 1", "Type II", "SSAE 16")


def test_asks_add_up_across_files_with_their_sources():
    def ask(text: str, file: str) -> list:
        return scan_questions([Question(id="1", text=text, location="row 2")], source=file)

    per_file = {
        "a.xlsx": ask("Share your SOC 2 Type II covering Security and Availability.", "a.xlsx"),
        "b.csv": ask("Share your SOC 2 Type II report.", "b.csv"),
        "c.docx": ask("Provide a SOC 1 Type I report.", "c.docx"),
        "d.pdf": [],
    }
    summary = summarize_asks(per_file)
    assert summary.lines()[0] == "2 of 4 ask for SOC 2 Type II"
    assert "1 of 4 ask for SOC 1 Type I" in summary.lines()
    assert summary.files_asking("SOC 2") == ("a.xlsx", "b.csv")
    assert summary.soc1 and summary.soc2
    assert summary.soc2_categories == ("Security", "Availability")
    assert summary.report_type == "Type II"
    assert {a.source for a in summary.asks} == {"a.xlsx", "b.csv", "c.docx"}


def test_fixture_questionnaires_are_scanned_end_to_end(fixtures):
    results = read_many(sorted(p for p in fixtures.iterdir() if p.suffix != ".py" and p.is_file()))
    per_file = {r.file: scan_questions(r.questionnaire.questions, source=r.file) for r in results if r.questionnaire}
    found = {(a.report, a.type, a.question_id) for asks in per_file.values() for a in asks}
    assert ("SOC 1", "Type II", "A.1") in found          # sig_like: SSAE 18 SOC 1 Type 2
    assert ("SOC 2", "Type I or Type II", "1.1") in found  # vsa_like
    assert ("ISAE 3402", "Type II", "4.1") in found       # supplier_form.docx
    assert not any(a.question_id in ("1.3", "C.1", "Q3") and a.report.startswith("SOC")
                   for asks in per_file.values() for a in asks)  # 24x7 SOC monitoring and the like
    assert not any(a.report == "SOC 1" for a in per_file[str(fixtures / "vsa_like.csv")])  # negated
