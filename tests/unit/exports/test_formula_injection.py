"""No export carries a live spreadsheet formula or unescaped markup from user text."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

from socready.core.readiness.scoring import assess
from socready.io.exports.matrix import write_matrix
from socready.io.exports.pbc import write_pbc_csv, write_pbc_xlsx
from socready.io.exports.report_html import render_report_html
from socready.io.exports.safe_cells import neutralize
from tests.unit.readiness.snapshots import demo_snapshot

PAYLOADS = ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralize_prefixes_an_apostrophe_to_formula_starts(payload: str) -> None:
    assert neutralize(payload) == "'" + payload
    assert neutralize("plain text") == "plain text"


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_no_export_contains_a_live_formula(payload: str, tmp_path) -> None:
    snapshot = demo_snapshot(hostile=payload)
    for path in (write_matrix(snapshot, tmp_path / "m.xlsx"), write_pbc_xlsx(snapshot, tmp_path / "p.xlsx")):
        book = openpyxl.load_workbook(path)
        values = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert values
        assert all(cell.data_type != "f" for cell in values)
        assert not any(str(cell.value).startswith(("=", "+", "-", "@")) for cell in values if cell.value)
        assert any(cell.value == "'" + payload for cell in values)
    with write_pbc_csv(snapshot, tmp_path / "p.csv").open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "'" + payload in cells
    html = render_report_html(snapshot, assess(snapshot), (payload,), dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert payload.replace('"', "&#34;").replace("'", "&#39;") in html or payload in html
    assert '"http://x"' not in html


def test_html_escapes_markup_in_user_text() -> None:
    snapshot = demo_snapshot(hostile="<script>alert(1)</script>")
    html = render_report_html(snapshot, assess(snapshot), ("<b>reason</b>",))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>reason</b>" not in html
