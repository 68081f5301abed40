"""SOC reports worded the many ways real ones are (tests/soc_variety.py): each gives every fact it states.

The PDFs are written at test time (WeasyPrint) into one temporary folder and read without OCR, as their pages
all have text.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from socready.core.vendors.dates import find_period, numbers_are_day_first, parse_date
from socready.core.vendors.facts import ReportFacts
from socready.core.vendors.listed import cuecs, exceptions, subservice_organizations
from socready.core.vendors.opinion import classify_opinion, classify_opinion_text
from socready.core.vendors.reading import read_facts
from socready.core.vendors.signature import date_in_line, firm_in_line
from socready.io.socreport.reader import read_soc_report
from tests.soc_variety import VARIANTS, Variant, build, score

D = dt.date


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("soc-variety")


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_report_variant_gives_every_fact_it_states(variant: Variant, folder: Path) -> None:
    facts: ReportFacts = read_soc_report(build(variant, folder), ocr=None)
    misses = {name: (got, want) for name, (ok, got, want) in score(facts, variant.expect).items() if not ok}
    assert misses == {}


@pytest.mark.parametrize(("text", "start", "end"), [
    ("for the period October 1, 2024, to September 30, 2025", D(2024, 10, 1), D(2025, 9, 30)),
    ("from 1 April 2024 through 31 March 2025", D(2024, 4, 1), D(2025, 3, 31)),
    ("throughout the period 01/01/2025 \u2013 12/31/2025", D(2025, 1, 1), D(2025, 12, 31)),
    # A first number over 12 makes both dates of the period day-first.
    ("from 01/04/2024 to 31/03/2025", D(2024, 4, 1), D(2025, 3, 31)),
    ("for the twelve months ended June 30, 2025", D(2024, 7, 1), D(2025, 6, 30)),
    ("for the 12-month period ending 28 February 2025", D(2024, 3, 1), D(2025, 2, 28)),
    ("for the year ended December 31, 2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("for the six months ended 31 March 2025", D(2024, 10, 1), D(2025, 3, 31)),
    ("For the period May 1st, 2024 through\nApril 30th, 2025", D(2024, 5, 1), D(2025, 4, 30)),
    ("October 1, 2024 \u2014 September 30, 2025", D(2024, 10, 1), D(2025, 9, 30)),
    ("between 1 January 2025 and 30 June 2025", D(2025, 1, 1), D(2025, 6, 30)),
])
def test_periods_are_read_however_written(text: str, start: dt.date, end: dt.date) -> None:
    found = find_period(text)
    assert found is not None and (found[1].start, found[1].end) == (start, end)


def test_numeric_dates_are_month_first_unless_the_first_number_cannot_be_a_month() -> None:
    assert parse_date("03/04/2025") == D(2025, 3, 4)
    assert parse_date("31.03.2025") == D(2025, 3, 31)
    assert parse_date("13/13/2025") is None


@pytest.mark.parametrize(("pages", "day_first"), [
    # Its own numbers settle it: 31/03 can only be day first, 03/31 only month first.
    (["for the period 01/04/2024 to 31/03/2025"], True),
    (["for the period 04/01/2024 to 03/31/2025", "signed 12 May 2025"], False),
    # Numbers that do not settle it: words day-month-year and never month-day-year.
    (["from 1 April 2024 through 31 March 2025", "London", "03/06/2025"], True),
    (["the 1st of March 2025", "03/06/2025"], True),
    # Month-day-year in words anywhere keeps the US reading.
    (["from 1 April 2024 through 31 March 2025", "approved April 1, 2025", "03/06/2025"], False),
    (["October 1, 2024 to September 30, 2025", "11/14/2025"], False),
    # Nothing to go on: month first.
    (["03/06/2025"], False),
    ([], False),
])
def test_a_report_reads_its_numeric_dates_day_first_when_the_rest_of_it_does(pages: list[str],
                                                                             day_first: bool) -> None:
    assert numbers_are_day_first(pages) is day_first


def test_ambiguous_numeric_dates_follow_the_documents_order_and_unambiguous_ones_their_numbers() -> None:
    assert parse_date("03/04/2025", day_first=True) == D(2025, 4, 3)
    assert parse_date("03/04/2025", day_first=False) == D(2025, 3, 4)
    # A number over 12 is the day whichever way the document writes.
    assert parse_date("03/31/2025", day_first=True) == D(2025, 3, 31)
    assert parse_date("31/03/2025", day_first=False) == D(2025, 3, 31)
    found = find_period("from 01/04/2024 to 01/03/2025", day_first=True)
    assert found is not None and (found[1].start, found[1].end) == (D(2024, 4, 1), D(2025, 3, 1))
    found = find_period("for the year ended 03/04/2025", day_first=True)
    assert found is not None and found[1].end == D(2025, 4, 3)
    assert date_in_line("Reading, United Kingdom, 03/06/2025", day_first=True) == D(2025, 6, 3)


def test_a_uk_report_dated_in_ambiguous_numbers_gets_its_day_first_date() -> None:
    pages = ["ISAE 3402 Type II Report\nfor the period 1 April 2024 to 31 March 2025",
             "Independent Service Auditor's Report\nIn our opinion the controls operated effectively.\n"
             "Grant Thornton UK LLP\nReading, United Kingdom\n03/06/2025"]
    facts = read_facts(pages)
    assert (facts.period_start, facts.period_end, facts.report_date) == (D(2024, 4, 1), D(2025, 3, 31),
                                                                         D(2025, 6, 3))
    american = [pages[0].replace("1 April 2024 to 31 March 2025", "April 1, 2024 to March 31, 2025"),
                pages[1].replace("03/06/2025", "06/03/2025")]
    assert read_facts(american).report_date == D(2025, 6, 3)


@pytest.mark.parametrize(("line", "firm"), [
    ("/s/ Ernst & Young LLP", "Ernst & Young LLP"),
    ("Schellman & Company, LLC", "Schellman & Company, LLC"),
    ("BDO USA, P.C.", "BDO USA, P.C."),
    ("A-LIGN ASSURANCE", "A-LIGN ASSURANCE"),
    ("Ernst & Young LLP Tel: +1 555 0100", "Ernst & Young LLP"),
    ("To the Board of Directors of Acme LLC", None),
    ("A member firm of Ernst & Young Global Limited", None),
    ("KPMG reviewed the description of the system in the prior year and found it complete.", None),
])
def test_signature_lines_name_the_firm(line: str, firm: str | None) -> None:
    assert firm_in_line(line) == firm


@pytest.mark.parametrize(("line", "day"), [
    ("March 3, 2025", D(2025, 3, 3)), ("3 March 2025", D(2025, 3, 3)), ("2025-03-03", D(2025, 3, 3)),
    ("Tampa, Florida 03/03/2025", D(2025, 3, 3)), ("Amsterdam, 29 August 2025", D(2025, 8, 29)),
    ("throughout the period ended March 3, 2025", None),
])
def test_report_date_lines(line: str, day: dt.date | None) -> None:
    assert date_in_line(line) == day


@pytest.mark.parametrize(("text", "opinion"), [
    ("In our opinion, except for the effects of the deviations described above, in all material respects, the "
     "controls operated effectively.", "qualified"),
    ("Adverse Opinion. In our opinion, because of the significance of the matter, the description does not "
     "present fairly the system.", "adverse"),
    ("Disclaimer of Opinion. We do not express an opinion on the description.", "disclaimer"),
    ("We do not express an opinion on management's statements about its plans. In our opinion, in all material "
     "respects, the controls were suitably designed and operated effectively.", "unqualified"),
])
def test_opinion_wording(text: str, opinion: str) -> None:
    assert classify_opinion_text(text) == opinion


def test_a_scope_sentence_on_one_page_is_no_disclaimer_when_another_gives_the_opinion() -> None:
    pages = ["We do not express an opinion on the other information in section 5 prepared by management.",
             "In our opinion, in all material respects, the controls operated effectively."]
    found = classify_opinion(pages, [1, 2])
    assert found is not None and (found.opinion, found.page) == ("unqualified", 2)


def test_subservice_table_rows_give_name_service_and_method() -> None:
    page = ("The company uses the subservice organizations below.\nSubservice Organization Services Method\n"
            "Amazon Web Services Cloud hosting Carve-out\nAcme Print, Inc. Statement printing Inclusive\n"
            "Opinion")
    found = subservice_organizations([page], [1])
    assert [(s.name, s.service, s.method) for s in found] == [
        ("Amazon Web Services", "Cloud hosting", "carve-out"), ("Acme Print, Inc.", "Statement printing",
                                                                "inclusive")]


def test_cuecs_as_bullets_or_sentences_and_exceptions_that_count() -> None:
    bullets = ("User Entity Responsibilities\n\u2022 User entities approve each new user before access is given.\n"
               "\u2022 User entities review the monthly\nactivity report.\n")
    assert [c.text for c in cuecs([bullets])] == ["User entities approve each new user before access is given.",
                                                  "User entities review the monthly activity report."]
    sentences = ("Complementary User Entity Controls\nThe controls below are expected of user entities.\n"
                 "Customers protect their own passwords. Clients tell us of leavers.\n")
    assert [c.text for c in cuecs([sentences])] == ["Customers protect their own passwords.",
                                                    "Clients tell us of leavers."]
    table = ("CC1.1 Access is approved. Inspected tickets. No exceptions\nnoted.\n"
             "CC1.2 Access is removed. Inspected leavers. No deviations noted.\n"
             "CC1.3 Keys rotate. Inspected keys. Deviation noted. One key was not rotated.\n"
             "CC1.4 Logs are kept. Inspected logs. Exception noted\n"
             "Management's Response to Exceptions Noted\n")
    assert [e.text for e in exceptions([table])] == ["CC1.3: One key was not rotated.", "CC1.4: Exception noted"]


@pytest.mark.parametrize("hostile", [
    "Security, " * 20000 + "x",
    "uses " + "Acme, " * 5000,
    "1/" * 20000,
    "31/12/" * 10000,
    "12 March " * 5000,
    "Exception noted " * 5000,
    ("A" * 30 + " ") * 3000 + "LLP",
    "Subservice organization\n" + ("Name " * 40 + "x\n") * 2000,
])
def test_patterns_stay_fast_on_hostile_text(hostile: str) -> None:
    pages = [hostile, "Independent Service Auditor's Report\n" + hostile, hostile]
    start = time.process_time()
    read_facts(pages)
    # A generous guard: a linear pass over these pages takes well under a second, backtracking takes hours.
    assert time.process_time() - start < 30


@pytest.mark.parametrize(("cover", "kind"), [
    ("SSAE 18 Type 2 report on controls relevant to Security and Availability", "SOC 2"),
    ("SSAE 18 Type 2 report on the controls over payroll processing", "SOC 1"),
    ("Report under AT-C section 320, Type 2", "SOC 1"),
    ("ISAE 3402 Type II assurance report", "SOC 1"),
    ("ISAE 3000 Type II report on the trust services criteria", "SOC 2"),
    ("System and Organization Controls (SOC) 3 report", "SOC 3"),
    ("SOC for Service Organizations: Trust Services Criteria for General Use", "SOC 3"),
])
def test_kind_is_read_from_its_name_or_its_standard(cover: str, kind: str) -> None:
    assert read_facts([cover, "Independent Service Auditor's Report"]).report == kind
