"""Reading SOC report PDFs: the three public SOC 3 reports against TRUTH.csv, and the reports we wrote."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from socready.core.errors import InputError
from socready.core.vendors.facts import ReportFacts
from socready.io.socreport.reader import read_soc_report

ROOT = Path(__file__).resolve().parents[3]
# CI lays shared/ beside the checkout; a worktree elsewhere can point at it with SOCREADY_SHARED_DIR.
SHARED = Path(os.environ.get("SOCREADY_SHARED_DIR") or ROOT / ".." / "shared")
DEV = SHARED / "reference" / "soc-reports-dev"
OWN = ROOT / "tests" / "data" / "vendor_reports"


def truth_rows() -> list[dict[str, str]]:
    with (DEV / "TRUTH.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def read(path: Path) -> ReportFacts:
    return read_soc_report(path)


def firm(name: str | None) -> str:
    """A firm's name without its legal form and with '&' spelt out, as people write it either way."""
    text = (name or "").lower().replace("&", " and ")
    return " ".join(re.sub(r"\b(llp|llc|l\.l\.p\.)\b|[.,]", " ", text).split())


TRUTH = truth_rows() if (DEV / "TRUTH.csv").exists() else []
needs_dev = pytest.mark.skipif(not TRUTH, reason="shared/reference/soc-reports-dev is not beside the checkout")
# .ci/run installs tesseract-ocr and poppler-utils; a machine without them reads no image page (tested below).
needs_ocr = pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdftoppm")),
                                reason="tesseract and pdftoppm are needed to read image pages")


@needs_dev
@needs_ocr
@pytest.mark.parametrize("row", TRUTH, ids=[r["file"] for r in TRUTH])
def test_dev_report_gives_the_truth_facts_its_text_holds(row: dict[str, str]) -> None:
    facts = read(DEV / row["file"])
    assert facts.report == row["report"]
    assert facts.type is None and row["type"] == "n/a"
    assert facts.period_start == dt.date.fromisoformat(row["period_start"])
    assert facts.period_end == dt.date.fromisoformat(row["period_end"])
    assert facts.as_of is None and row["as_of_date"] == "n/a"
    assert facts.pages == int(row["pages"])
    assert list(facts.categories) == row["categories"].split("; ")
    expected_subservice = [] if row["subservice_organizations"] == "none stated" else [
        re.fullmatch(r"(.+?) \((.+?)\) \((.+?)\)", part).groups()  # type: ignore[union-attr]
        for part in row["subservice_organizations"].split("; ")]
    assert [(s.name, s.service, s.method) for s in facts.subservice_organizations] == expected_subservice
    if row["cuecs_present"].startswith("yes"):
        quoted = row["cuecs_present"].split('"')[1]
        assert quoted in [c.text for c in facts.cuecs]
    else:
        assert facts.cuecs == ()
    assert facts.exceptions == () and row["exceptions"] == "none"
    assert facts.opinion == row["opinion"]
    assert facts.report_date == dt.date.fromisoformat(row["report_date"])
    if row["file"].startswith("aws"):
        # EY's report (pages 2-3) is a scan: opinion and date come from OCR of page 3, and the firm from the OCR of
        # its letterhead on page 2 (the signature is a cursive image), and all say so.
        assert facts.image_only_pages[:2] == (2, 3) and facts.ocr_pages == (2, 3)
        assert facts.fact_pages["opinion"] == 3 and facts.fact_pages["report_date"] == 3
        assert facts.fact_pages["service_auditor"] == 2
        assert facts.fact_sources == {"opinion": "ocr", "report_date": "ocr", "service_auditor": "ocr"}
        assert any("read by OCR" in w for w in facts.warnings)
        assert firm(facts.service_auditor) == firm(row["service_auditor"])
        assert facts.service_auditor_source == "ocr"
    else:
        # Moss Adams signs with a cursive image on a page that has text: nothing names the firm, so it is left
        # for the reviewer with a warning rather than guessed.
        assert facts.service_auditor is None and facts.ocr_pages == () and facts.fact_sources == {}
        assert any("service auditor's firm is named neither" in w for w in facts.warnings)
        assert facts.fact_pages["report_date"] == 5
        assert facts.fact_pages["opinion"] == 5 and facts.fact_pages["subservice_organizations"] == 3
        assert facts.fact_pages["cuecs"] == 19


def test_qualified_type2_report_gives_its_exceptions_and_cuecs() -> None:
    facts = read(OWN / "larkspur_soc2_type2_qualified.pdf")
    assert (facts.report, facts.type, facts.opinion) == ("SOC 2", "Type II", "qualified")
    assert (facts.period_start, facts.period_end) == (dt.date(2023, 11, 1), dt.date(2024, 10, 31))
    assert facts.service_auditor == "Fenwick & Doyle LLP" and facts.service_auditor_source == "text"
    assert facts.report_date == dt.date(2024, 12, 6)
    assert facts.categories == ("Security", "Availability", "Confidentiality")
    assert [(s.name, s.method, s.page) for s in facts.subservice_organizations] == [
        ("Amazon Web Services", "carve-out", 2)]
    assert [c.text for c in facts.cuecs] == [
        "Customers review the accounts with access to their hosting console every quarter and remove those no "
        "longer needed.",
        "Customers encrypt data they classify as confidential before they upload it.",
        "Customers report suspected security incidents to Larkspur support within 24 hours."]
    assert [(e.text, e.page) for e in facts.exceptions] == [
        ("CC8.1: 3 of 25 changes were approved after release.", 5), ("A1.2: 1 of 25 days had no backup copy.", 5)]
    assert facts.fact_pages["opinion"] == 2 and facts.fact_pages["service_auditor"] == 3


@needs_ocr
def test_type1_report_with_day_first_dates_inclusive_subservice_and_a_scanned_signature_page() -> None:
    facts = read(OWN / "bluefin_soc1_type1.pdf")
    assert (facts.report, facts.type, facts.as_of) == ("SOC 1", "Type I", dt.date(2024, 6, 30))
    assert facts.period_start is None and facts.period_end is None
    assert facts.standard == "SSAE 18; ISAE 3402"
    assert facts.opinion == "unqualified" and facts.categories == ()
    assert [(s.name, s.service, s.method) for s in facts.subservice_organizations] == [
        ("Harbor Print Services", "payslip printing", "inclusive")]
    assert facts.image_only_pages == (3,) and facts.ocr_pages == (3,)
    # The signature page is a picture: the firm and the date are read from it by OCR, and marked so.
    assert facts.service_auditor == "Okafor Lindqvist LLP" and facts.service_auditor_source == "ocr"
    assert facts.report_date == dt.date(2024, 8, 14)
    assert facts.fact_sources == {"service_auditor": "ocr", "report_date": "ocr"}
    assert facts.fact_pages["opinion"] == 2 and "opinion" not in facts.fact_sources
    assert any("page(s) 3 are images read by OCR" in w for w in facts.warnings)
    assert len(facts.cuecs) == 2


@needs_ocr
def test_scanned_auditors_report_gives_its_qualified_opinion_firm_and_date_through_ocr() -> None:
    facts = read(OWN / "osprey_soc2_type2_scanned.pdf")
    assert (facts.report, facts.type) == ("SOC 2", "Type II")
    assert (facts.period_start, facts.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert facts.image_only_pages == (2, 3) and facts.ocr_pages == (2, 3)
    assert facts.opinion == "qualified"
    assert facts.service_auditor == "Tern & Avery LLP" and facts.service_auditor_source == "ocr"
    assert facts.report_date == dt.date(2025, 2, 14) and facts.fact_pages["report_date"] == 3
    assert facts.fact_sources == {"opinion": "ocr", "service_auditor": "ocr", "report_date": "ocr"}
    assert [c.page for c in facts.cuecs] == [4, 4] and "cuecs" not in facts.fact_sources
    assert facts.to_dict()["fact_sources"]["opinion"] == "ocr"


@needs_ocr
def test_without_tesseract_image_pages_are_named_and_nothing_is_guessed(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # A PATH holding pdftoppm but no tesseract: the machine of a user who has not installed it.
    (tmp_path / "pdftoppm").symlink_to(shutil.which("pdftoppm") or "/usr/bin/pdftoppm")
    monkeypatch.setenv("PATH", str(tmp_path))
    facts = read_soc_report(OWN / "osprey_soc2_type2_scanned.pdf")
    assert facts.ocr_pages == () and facts.fact_sources == {}
    assert facts.opinion is None and facts.report_date is None and facts.service_auditor is None
    assert any("tesseract is not installed" in w for w in facts.warnings)
    assert any("image on page(s) 2, 3" in w for w in facts.warnings)
    assert facts.cuecs  # the pages with text are read as before


@needs_ocr
def test_ocr_can_be_turned_off_and_is_bounded_per_page() -> None:
    from socready.io.socreport.ocr import OcrLimits

    off = read_soc_report(OWN / "bluefin_soc1_type1.pdf", ocr=None)
    assert off.ocr_pages == () and off.service_auditor_source == "metadata" and off.report_date is None
    starved = read_soc_report(OWN / "bluefin_soc1_type1.pdf", ocr=OcrLimits(seconds_per_page=0.001))
    assert starved.ocr_pages == () and starved.report_date is None
    assert any("page 3: OCR took longer than" in w for w in starved.warnings)
    assert any("image on page(s) 3" in w for w in starved.warnings)
    capped = read_soc_report(OWN / "osprey_soc2_type2_scanned.pdf", ocr=OcrLimits(max_pages=1))
    assert capped.ocr_pages == (2,)
    assert any("limited to 1 pages: page(s) 3 were not read" in w for w in capped.warnings)


@pytest.mark.parametrize(("name", "words"), [
    ("not_a_report.pdf", "does not read as a SOC report"),
    ("encrypted.pdf", "encrypted"),
    ("truncated.pdf", "not a readable PDF"),
])
def test_bad_files_are_refused_naming_the_file(name: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        read_soc_report(OWN / name)
    assert str(caught.value).startswith(f"{name}: ") and words in str(caught.value)


def test_limits_refuse_a_report_with_too_many_pages() -> None:
    from socready.io.socreport.pdftext import ReadLimits

    with pytest.raises(InputError, match="more than the limit of 3"):
        read_soc_report(OWN / "larkspur_soc2_type2_qualified.pdf", ReadLimits(max_pages=3))


def test_limits_refuse_a_page_with_too_much_content_and_a_read_past_its_time() -> None:
    from socready.io.socreport.pdftext import ReadLimits

    with pytest.raises(InputError, match=r"larkspur_soc2_type2_qualified.pdf: page 1 holds .* more than the limit"):
        read_soc_report(OWN / "larkspur_soc2_type2_qualified.pdf", ReadLimits(max_page_stream_bytes=100))
    with pytest.raises(InputError, match="took longer than 0 seconds"):
        read_soc_report(OWN / "larkspur_soc2_type2_qualified.pdf", ReadLimits(max_seconds=0))
