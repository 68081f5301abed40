"""Generated inputs through every reader: each ends in a read or a clean refusal, never a crash or a hang.

Each input runs in the sandbox child (tests/fuzz/harness.py): a crash is a traceback from the reader, a
hang a run past the time limit, and every run's own peak RSS must stay under 1 GB. The short run (part of
the normal test suite) draws a few fixed inputs per reader; `make fuzz` draws hundreds of fresh ones.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import strategies as s
from tests.fuzz import targets as t
from tests.fuzz.harness import FUZZ, LONG, check, input_file, run_input

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _through(target: t.Target, folder: Path, suffix: str, data: bytes) -> None:
    path = input_file(folder, suffix, data)
    outcome = run_input(target.read, path, path.name, f"{target.name} {path.name}")
    if outcome.failed and LONG:  # kept where the summary line says, for a look and for the corpus
        keep_path(path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, keep_path(path))
    path.unlink()
    check(outcome, f"{target.name} on {path} ({len(data):,} bytes)")


def keep_path(path: Path) -> Path:
    """Where the long run keeps a failing input: outside pytest's temporary folders, which other runs rotate."""
    folder = Path(os.environ.get("SOCREADY_FUZZ_KEEP", Path(tempfile.gettempdir()) / "socready-fuzz-failures"))
    return folder / path.name


@FUZZ
@given(data=s.population_csv(), target=st.sampled_from([t.POPULATION, t.POPULATION_SEMICOLONS]))
def test_population_csv(fuzz_files: Path, data: bytes, target: t.Target) -> None:
    _through(target, fuzz_files, ".csv", data)


@FUZZ
@given(data=s.population_workbook())
def test_population_workbook(fuzz_files: Path, data: bytes) -> None:
    _through(t.POPULATION, fuzz_files, ".xlsx", data)


@FUZZ
@given(data=s.population_parquet())
def test_population_parquet(fuzz_files: Path, data: bytes) -> None:
    _through(t.POPULATION, fuzz_files, ".parquet", data)


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".txt", ".md", ".json"])
def test_questionnaire_text(fuzz_files: Path, suffix: str) -> None:
    @FUZZ
    @given(data=s.questionnaire_text(suffix))
    def run(data: bytes) -> None:
        _through(t.QUESTIONNAIRE, fuzz_files, suffix, data)

    run()


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".pdf"])
def test_questionnaire_document(fuzz_files: Path, suffix: str) -> None:
    @FUZZ
    @given(data=s.questionnaire_document(suffix))
    def run(data: bytes) -> None:
        _through(t.QUESTIONNAIRE, fuzz_files, suffix, data)

    run()


@FUZZ
@given(data=s.report_pdf())
def test_vendor_report(fuzz_files: Path, data: bytes) -> None:
    _through(t.SOC_REPORT, fuzz_files, ".pdf", data)


@pytest.mark.parametrize("target", t.YAML_TARGETS, ids=lambda target: target.name)
def test_yaml(fuzz_files: Path, target: t.Target) -> None:
    @FUZZ
    @given(data=s.yaml_file())
    def run(data: bytes) -> None:
        _through(target, fuzz_files, ".yaml", data)

    run()


@FUZZ
@given(text=s.question_text())
def test_question_text_through_the_scanner_and_mapper(text: str) -> None:
    check(run_input(t.scan_text, text, "", f"scanner and mapper on {text[:80]!r}"), f"question {text[:200]!r}")


@FUZZ
@given(text=s.description_text())
def test_scoping_description(text: str) -> None:
    check(run_input(t.describe, text, "", f"scoping description {text[:80]!r}"), f"description {text[:200]!r}")
