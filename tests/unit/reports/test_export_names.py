"""An export's file name must end as its format does; where a kind has two formats, the ending chooses."""

from __future__ import annotations

from pathlib import Path

import pytest

from socready.reports.kinds import BY_KIND, output_problem


@pytest.mark.parametrize(("kind", "name"), [
    ("report-html", "r.html"), ("report-html", "r.HTM"), ("report-pdf", "r.pdf"), ("matrix", "m.xlsx"),
    ("pbc", "p.xlsx"), ("pbc", "p.csv"), ("description", "d.docx"), ("oscal", "oscal"), ("oscal", "o.zip"),
    ("bundle", "b.zip"),
])
def test_names_that_match_the_format_are_accepted(kind: str, name: str) -> None:
    assert output_problem(BY_KIND[kind], Path(name)) is None


@pytest.mark.parametrize(("kind", "name", "message"), [
    ("matrix", "m.csv", "matrix is written as .xlsx; give a name ending in .xlsx"),
    ("report-html", "r.pdf", "report-html is written as .html or .htm; give a name ending in .html or .htm"),
    ("pbc", "p.pdf", "pbc is written as .xlsx or .csv; give a name ending in .xlsx or .csv"),
    ("description", "d.doc", "description is written as .docx"),
    ("bundle", "b", "bundle is written as .zip"),
    ("oscal", "oscal.json", "oscal is written to a folder or a .zip file"),
])
def test_a_name_in_another_format_is_refused_naming_the_kind_and_its_endings(kind: str, name: str,
                                                                             message: str) -> None:
    assert (output_problem(BY_KIND[kind], Path(name)) or "").startswith(message)


def test_an_existing_folder_with_a_dot_in_its_name_takes_oscal(tmp_path: Path) -> None:
    folder = tmp_path / "oscal-v1.2"
    folder.mkdir()
    assert output_problem(BY_KIND["oscal"], folder) is None
