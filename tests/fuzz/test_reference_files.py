"""No limit the fuzz suite holds the readers to refuses a real file: the reference questionnaires and reports.

The files users bring (../shared/reference/*-dev) go through the same end-to-end calls as the fuzzed
inputs, in the sandbox with the product's own limits, and must read. Skipped where the reference files
are not present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from socready.io.questionnaire.reader import SUPPORTED_SUFFIXES
from socready.io.sandbox import QUESTIONNAIRE_SANDBOX, run_bounded
from tests.fuzz import targets as t

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

# CI keeps shared/ beside the checkout; a worktree sits one folder deeper.
_ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p for p in (_ROOT / ".." / "shared" / "reference", _ROOT / ".." / ".." / "shared" / "reference")
               if p.is_dir()), _ROOT / ".." / "shared" / "reference")
# The folder's index and notes are not questionnaires.
QUESTIONNAIRES = sorted(p for p in (SHARED / "questionnaires-dev").glob("*")
                        if p.suffix.lower() in SUPPORTED_SUFFIXES and p.name not in ("MANIFEST.csv", "README.md"))
REPORTS = sorted((SHARED / "soc-reports-dev").glob("*.pdf"))


@pytest.mark.skipif(not QUESTIONNAIRES, reason="reference questionnaires not present")
@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.name)
def test_every_real_questionnaire_is_read_scanned_and_mapped(path: Path) -> None:
    questions, _, mapped = run_bounded(t.questionnaire, path.name, QUESTIONNAIRE_SANDBOX, path)
    assert questions and mapped


@pytest.mark.skipif(not REPORTS, reason="reference reports not present")
@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_every_real_vendor_report_reads(path: Path) -> None:
    report, _ = run_bounded(t.soc_report, path.name, QUESTIONNAIRE_SANDBOX, path)
    assert report
