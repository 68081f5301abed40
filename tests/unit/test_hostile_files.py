"""Every reader refuses a hostile file by a named limit, and stays within bounds while doing so.

Each refusal must name the file and the limit. The readers run here inside the sandbox (a child process
with a wall-clock limit and a memory cap), so a regression shows as a refusal for time or memory rather
than a hung test run; the assertions then fail on the message.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from socready.core.errors import InputError
from socready.core.questionnaires.asks import detect_asks
from socready.core.scoping.profile_reader import load_profile
from socready.io import population_files
from socready.io.population import PopulationSpec, scan_population
from socready.io.population_files import header_of
from socready.io.questionnaire import Question, read_questionnaire
from socready.io.questionnaire.bounded import read_bounded
from socready.io.questionnaire.pdf_limits import check_pdf_streams
from socready.io.sandbox import SandboxLimits, run_bounded
from socready.io.workbook_parts import SharedStringLimits
from tests import hostile_files as hostile

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

# CI keeps shared/ beside the checkout; a worktree sits one folder deeper.
_ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p for p in (_ROOT / ".." / "shared" / "reference", _ROOT / ".." / ".." / "shared" / "reference")
               if p.is_dir()), _ROOT / ".." / "shared" / "reference")
GUARD = SandboxLimits(seconds=60.0, memory_bytes=1024 * 1024 * 1024)


def refusal(call: Callable[[], object], file: str | Path) -> str:
    """Run ``call`` in the sandbox and return the message of the InputError it must raise."""
    with pytest.raises(InputError) as caught:
        run_bounded(call, str(file), GUARD)
    message = str(caught.value)
    assert Path(file).name in message
    assert "took longer" not in message and "memory" not in message, message
    return message


def test_a_docx_of_too_many_paragraphs_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = hostile.docx_many_paragraphs(tmp_path)
    assert "more than 200,000 paragraphs" in refusal(lambda: read_questionnaire(path), path)


def test_a_docx_of_too_many_table_cells_is_refused(tmp_path: Path) -> None:
    path = hostile.docx_many_cells(tmp_path)
    assert "more than 100,000 table cells" in refusal(lambda: read_questionnaire(path), path)


def test_a_docx_decompression_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = hostile.docx_bomb(tmp_path)
    message = refusal(lambda: read_questionnaire(path), path)
    assert "word/document.xml" in message and "limit" in message


def test_an_ordinary_docx_still_reads(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("1. Do you hold a current SOC 2 Type II report?")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "ID", "Question"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "A.1", "Is data encrypted at rest?"
    path = tmp_path / "ok.docx"
    document.save(str(path))
    texts = [q.text for q in read_bounded(path).questions]
    assert "Is data encrypted at rest?" in texts


@pytest.mark.parametrize("build", [hostile.pdf_bomb, hostile.pdf_double_bomb])
def test_a_pdf_whose_stream_inflates_past_the_limit_is_refused(tmp_path: Path,
                                                               build: Callable[[Path], Path]) -> None:
    path = build(tmp_path)
    assert path.stat().st_size < 1024 * 1024
    assert "inflates to more than 134,217,728 bytes" in refusal(lambda: read_questionnaire(path), path)


def test_styles_with_more_formats_than_excel_allows_are_refused(tmp_path: Path) -> None:
    path = hostile.xlsx_styles_bomb(tmp_path)
    assert "more than 200,000 formats" in refusal(lambda: read_questionnaire(path), path)


def test_too_many_shared_strings_are_refused_for_a_questionnaire(tmp_path: Path) -> None:
    path = hostile.xlsx_shared_strings_bomb(tmp_path, strings=600_000)
    message = refusal(lambda: read_questionnaire(path), path)
    assert "more than 500,000 strings, the limit for a questionnaire" in message


def test_a_population_workbook_is_held_to_the_population_string_limits(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(population_files, "POPULATION_STRINGS",
                        SharedStringLimits("a population", max_bytes=10**9, max_strings=150_000))
    path = hostile.xlsx_shared_strings_bomb(tmp_path)
    message = refusal(lambda: scan_population(path, PopulationSpec("id")), path)
    assert "more than 150,000 strings, the limit for a population" in message


def test_a_workbook_without_sheets_is_refused_cleanly(tmp_path: Path) -> None:
    path = hostile.xlsx_without_sheets(tmp_path)
    assert "no sheet" in refusal(lambda: scan_population(path, PopulationSpec("id")), path)


def test_a_header_of_many_columns_is_refused_in_linear_time(tmp_path: Path) -> None:
    path = hostile.csv_long_header(tmp_path)
    assert "the header names" in refusal(lambda: header_of(path, ",", path.name), path)


def test_a_repeated_column_name_is_found_at_the_end_of_a_wide_header(tmp_path: Path) -> None:
    path = hostile.csv_repeated_names(tmp_path)
    message = refusal(lambda: header_of(path, ",", path.name), path)
    assert "field 'c0': appears twice" in message


def test_a_header_line_past_the_byte_limit_is_refused_not_cut(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("a," + "b" * (1024 * 1024 + 10) + "\n1,2\n", encoding="utf-8")
    assert "longer than 1,048,576 characters" in refusal(lambda: header_of(path, ",", path.name), path)


def test_a_nul_byte_far_into_a_population_is_refused_with_its_line(tmp_path: Path) -> None:
    path = hostile.csv_late_nul(tmp_path)
    message = refusal(lambda: scan_population(path, PopulationSpec("id", "date")), path)
    assert "NUL byte" in message and "line 20,002" in message


def test_a_nul_byte_far_into_a_text_questionnaire_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "late_nul.csv"
    path.write_bytes(b"ID,Question\n" + b"Q,Is it encrypted?\n" * 2_000 + b"Q9,Bad\x00question\n")
    assert "binary data" in refusal(lambda: read_questionnaire(path), path)


def test_negation_search_is_linear_on_a_long_run_of_negations(tmp_path: Path) -> None:
    # 111 s once inside a web request; a guard of 60 s for all twenty rows leaves no room for backtracking.
    path = hostile.csv_redos(tmp_path)
    questionnaire = run_bounded(read_questionnaire, path.name, GUARD, path)
    asks = run_bounded(lambda: [a.report for q in questionnaire.questions for a in detect_asks(q)],
                       path.name, GUARD)
    assert "SOC 2" in asks


def test_long_blank_runs_do_not_make_the_clause_split_quadratic() -> None:
    text = "We need a SOC 2" + " " * 60_000 + "but we do not require a SOC 1."
    question = Question(id="Q1", text=text, location="row 2")
    reports = run_bounded(lambda: sorted(a.report for a in detect_asks(question)), "inline", GUARD)
    assert reports == ["SOC 2"]


def test_negations_are_still_recognised() -> None:
    question = Question(id="Q1", text="We do not require a SOC 1; we ask for a SOC 2 Type II.", location="row 2")
    assert [(a.report, a.type) for a in detect_asks(question)] == [("SOC 2", "Type II")]


def test_deeply_nested_yaml_is_refused(tmp_path: Path) -> None:
    path = hostile.yaml_deep(tmp_path)
    assert "nested more than 32 levels deep" in refusal(lambda: load_profile(path), path)
    deeper = hostile.yaml_deep(tmp_path, depth=5_000)  # libyaml's own limit stops this one first
    assert "nesting depth" in refusal(lambda: load_profile(deeper), deeper)


def test_yaml_made_of_aliases_is_refused(tmp_path: Path) -> None:
    path = hostile.yaml_laughs(tmp_path)
    assert "more than 100 aliases" in refusal(lambda: load_profile(path), path)


def test_scope_of_an_endless_file_reads_a_bounded_amount_and_exits_2() -> None:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", "from socready.cli.main import main; main()", "scope", "/dev/zero"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert "/dev/zero" in result.stderr and "limit" in result.stderr
    assert time.monotonic() - started < 120


def test_a_profile_description_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text("name: x\ndescription: " + "payroll " * 5_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="field 'description'.*the limit is 20,000"):
        load_profile(path)


def test_the_sandbox_stops_a_reader_that_runs_too_long() -> None:
    with pytest.raises(InputError, match=r"slow\.pdf: reading the file took longer than 1 seconds"):
        run_bounded(time.sleep, "slow.pdf", SandboxLimits(seconds=1.0, memory_bytes=512 * 1024 * 1024), 30)


def test_the_sandbox_stops_a_reader_that_takes_too_much_memory() -> None:
    with pytest.raises(InputError, match=r"big\.xlsx: reading the file needs more than 256 MB"):
        run_bounded(lambda: bytearray(600 * 1024 * 1024), "big.xlsx",
                    SandboxLimits(seconds=30.0, memory_bytes=256 * 1024 * 1024))


def test_the_sandbox_reports_a_reader_that_crashes() -> None:
    with pytest.raises(InputError, match=r"odd\.docx: the reader stopped \(signal 11\)"):
        run_bounded(lambda: os.kill(os.getpid(), signal.SIGSEGV), "odd.docx", GUARD)


def test_the_sandbox_passes_back_results_and_input_errors_unchanged(tmp_path: Path) -> None:
    assert run_bounded(sum, "n", GUARD, [1, 2, 3]) == 6
    with pytest.raises(InputError) as caught:
        run_bounded(read_questionnaire, "x", GUARD, tmp_path / "missing.csv")
    assert caught.value.file == str(tmp_path / "missing.csv") and caught.value.reason == "no such file"


@pytest.mark.skipif(not (SHARED / "questionnaires-dev").is_dir(), reason="reference files not present")
def test_every_real_questionnaire_reads_within_the_limits() -> None:
    files = [p for p in sorted((SHARED / "questionnaires-dev").iterdir())
             if p.suffix.lower() in (".xlsx", ".csv", ".md", ".pdf", ".docx", ".txt")]
    assert files
    for path in files:
        assert read_bounded(path).questions, path.name


@pytest.mark.skipif(not (SHARED / "soc-reports-dev").is_dir(), reason="reference files not present")
def test_every_real_report_pdf_passes_the_stream_limits() -> None:
    for path in sorted((SHARED / "soc-reports-dev").glob("*.pdf")):
        check_pdf_streams(path, path.name)


def _start_a_grandchild_then_hang(pid_file: Path) -> None:
    """What a reader does whose OCR subprocess outlives it: start a long process, then never finish."""
    grandchild = subprocess.Popen(["sleep", "60"])  # noqa: S607 - a fixed command from PATH, in a test
    pid_file.write_text(str(grandchild.pid), encoding="utf-8")
    while True:
        time.sleep(0.05)


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed process whose new parent (init) has not yet reaped it still answers; as a zombie it runs nothing.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0] == "Z")


def test_the_sandbox_stops_what_a_reader_started_when_it_stops_the_reader(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    with pytest.raises(InputError, match=r"ocr\.pdf: reading the file took longer than 1 seconds"):
        run_bounded(_start_a_grandchild_then_hang, "ocr.pdf",
                    SandboxLimits(seconds=1.0, memory_bytes=512 * 1024 * 1024), pid_file)
    grandchild = int(pid_file.read_text(encoding="utf-8"))
    # The kill is sent before run_bounded returns; the poll only waits for the kernel to finish it.
    for _ in range(50):
        if not _is_running(grandchild):
            break
        time.sleep(0.1)
    else:
        os.kill(grandchild, signal.SIGKILL)
        pytest.fail(f"the reader's subprocess {grandchild} was still running after the reader was stopped")
