"""The kept corpus: every hostile file that once hurt socready, and more of the same kinds, made by this script.

Nothing large is committed: each case is built at test time into a temporary folder (the builders are in
tests/hostile_files.py, shared with the unit tests and bench/bench_hostile.py). Each case names the
readers it goes through and what must come of it: a refusal whose message holds given words (and, like
every refusal, names the file), or a bounded read.

Two scales. ``short`` makes each file just past the limit it tests, so the whole corpus runs in seconds
in the normal test suite; ``issue`` makes the files at the sizes issue #18 found (a docx that inflates to
2.6 GB, a 1 GB PDF stream, a 500 MB styles part, 640 MB of shared strings, six million paragraphs) and is
what `make fuzz` runs.

Write the corpus to a folder to look at it or feed it to another tool:
    .venv/bin/python -m tests.fuzz.corpus /tmp/corpus [--scale issue]
"""

from __future__ import annotations

import argparse
import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests import hostile_files as hostile
from tests.fuzz import targets as t

DATA = Path(__file__).resolve().parents[1] / "data"
READ = "read"
EITHER = "either"  # a refusal or a read; never a crash, a hang or more than 1 GB


@dataclass(frozen=True)
class Case:
    """One kept file: how to build it, which readers take it, and what each must end in."""

    name: str
    build: Callable[[Path, bool], Path]  # (folder, issue scale) -> the file
    targets: tuple[t.Target, ...]
    expect: tuple[str, ...]  # words every refusal must hold; READ or EITHER instead of words
    issue: str = ""  # the failure of issue #18 it keeps, if any
    big_only: bool = False  # too slow to build for the short run (the short run has a smaller case of the kind)
    seconds: float | None = None  # a longer time limit than the fuzz run's, for a file that must read


def _scaled(short: int, issue: int) -> Callable[[bool], int]:
    return lambda big: issue if big else short


def _write(name: str, data: bytes) -> Callable[[Path, bool], Path]:
    def build(folder: Path, big: bool) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def _header_2mb(folder: Path, big: bool) -> Path:
    # 2 MB of distinct names whose first comes back at the end: once 126 to 200 s in the import worker.
    names = [f"column{n}" for n in range(200_000)]
    path = folder / "duplicate_header_2mb.csv"
    path.write_text(",".join(["id", "date", *names, "id"]) + "\nCHG-1,2026-01-02\n", encoding="utf-8")
    return path


def _description_3mb(folder: Path, big: bool) -> Path:
    path = folder / "description_3mb.yaml"
    text = "We run payroll for clients and we do not process payments. " * 52_000
    path.write_text(f"name: Big\ndescription: {text}\n", encoding="utf-8")
    return path


def _dev_zero(folder: Path, big: bool) -> Path:
    return Path("/dev/zero")


def _nul_questionnaire(folder: Path, big: bool) -> Path:
    path = folder / "late_nul_questions.csv"
    path.write_bytes(b"ID,Question\n" + b"Q,Is data encrypted at rest?\n" * 4_000 + b"Q9,Bad\x00question\n")
    return path


def _encoded(name: str, text: str, encoding: str) -> Callable[[Path, bool], Path]:
    return _write(name, text.encode(encoding))


def _truncated(source: str, fraction: float) -> Callable[[Path, bool], Path]:
    def build(folder: Path, big: bool) -> Path:
        data = (DATA / source).read_bytes()
        path = folder / f"cut_{int(fraction * 100)}_{Path(source).name}"
        path.write_bytes(data[: int(len(data) * fraction)])
        return path

    return build


_POPULATION_ROWS = "id,date,owner\n" + "".join(f"CHG-{n},2026-01-{n % 28 + 1:02d},alice\n" for n in range(50))
_FORMULA_ROWS = "id,date,owner\n" + "".join(f"{f},2026-01-0{n + 1},=1+1\n" for n, f in enumerate(
    ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "x;=1+1"]))
_QUESTIONS = "ID,Question\nQ1,Do you hold a SOC 2 Type II report?\nQ2,Is data encrypted at rest?\n"
_QUESTIONNAIRES = (t.QUESTIONNAIRE,)
_POPULATIONS = (t.POPULATION,)
_REPORTS = (t.QUESTIONNAIRE, t.SOC_REPORT)

CASES: tuple[Case, ...] = (
    # What failed in issue #18, each kept at its own scale when the corpus is built at the issue's scale.
    Case("docx that inflates to GBs", lambda f, big: hostile.docx_bomb(f, _scaled(80, 2_600)(big)), _QUESTIONNAIRES,
         ("word/document.xml", "limit"), "1: a 2.6 MB docx reached 5.2 GB"),
    Case("docx with millions of paragraphs",
         lambda f, big: hostile.docx_many_paragraphs(f, _scaled(250_000, 6_000_000)(big)), _QUESTIONNAIRES,
         ("limit",), "1: a docx of 6M paragraphs ran past 240 s at 4 GB"),
    Case("pdf with a 1 GB flate stream", lambda f, big: hostile.pdf_bomb(f, _scaled(140, 1_024)(big)), _REPORTS,
         ("limit",), "1: a 1 MB PDF with a 1 GB flate stream reached 2.2 GB"),
    Case("xlsx with a 500 MB styles part",
         lambda f, big: hostile.xlsx_styles_bomb(f, _scaled(250_000, 9_000_000)(big)), (t.QUESTIONNAIRE, t.POPULATION),
         ("xl/styles.xml",), "2: a 39 MB xlsx with a 500 MB styles.xml took 8.4 GB"),
    Case("xlsx with huge shared strings",
         lambda f, big: hostile.xlsx_shared_strings_bomb(f, _scaled(600_000, 30_000_000)(big)), _QUESTIONNAIRES,
         ("strings",), "2: 672 MB of shared strings took 2.8 GB"),
    Case("xlsx population with huge shared strings",
         lambda f, big: hostile.xlsx_shared_strings_bomb(f, _scaled(3_000_001, 30_000_000)(big)), _POPULATIONS,
         ("strings", "the limit for a population"), "2: 672 MB of shared strings took 2.8 GB", big_only=True),
    # Just under the population's count limit: it must read, within 1 GB (eight million once took 1.6 GB).
    Case("xlsx population at the shared strings limit",
         lambda f, big: hostile.xlsx_shared_strings_bomb(f, _scaled(20_000, 3_000_000)(big)), _POPULATIONS,
         (READ,), seconds=900.0),
    Case("csv with a 2 MB duplicate header", _header_2mb, _POPULATIONS, ("header",),
         "3: a 2 MB header held the worker for 126-200 s"),
    Case("csv of negations before a report name", lambda f, big: hostile.csv_redos(f), _QUESTIONNAIRES, (READ,),
         "3: 20 rows took 111 s in _NEGATION_BEFORE_RE"),
    Case("3 MB scoping description", _description_3mb, (t.PROFILE,), ("description", "20,000"),
         "3: a 3 MB description took 28 s"),
    Case("endless input as a YAML file", _dev_zero, t.YAML_TARGETS, ("larger than", "limit"),
         "3: socready scope /dev/zero read 6 GB"),
    Case("xlsx population with no sheet", lambda f, big: hostile.xlsx_without_sheets(f), _POPULATIONS, ("no sheet",),
         "3: an xlsx with no sheet gave IndexError"),
    Case("xlsx questionnaire with no sheet", lambda f, big: hostile.xlsx_without_sheets(f), _QUESTIONNAIRES,
         (EITHER,), "3: an xlsx with no sheet gave IndexError"),
    Case("population csv with a NUL past 64 KB", lambda f, big: hostile.csv_late_nul(f), _POPULATIONS,
         ("NUL byte", "line 20,002"), "5: NUL bytes past the first 64 KB imported, then HTTP 500"),
    Case("questionnaire csv with a NUL past 64 KB", _nul_questionnaire, _QUESTIONNAIRES, ("binary data",),
         "5: NUL bytes past the first 64 KB"),
    # The same kinds, and the ones a careful attacker tries next.
    Case("docx with 150,000 table cells", lambda f, big: hostile.docx_many_cells(f), _QUESTIONNAIRES,
         ("table cells",)),
    Case("pdf stream deflated twice", lambda f, big: hostile.pdf_double_bomb(f, _scaled(140, 1_024)(big)), _REPORTS,
         ("limit",)),
    Case("pdf whose pages all draw one large stream", lambda f, big: hostile.pdf_pages_of_content(f), _REPORTS,
         ("bytes of content", "limit")),
    # Found by fuzzing (tracebacks from the import), kept as regressions.
    Case("xlsx population with a number that is not one", lambda f, big: hostile.xlsx_number_that_is_not(f),
         _POPULATIONS, ("first sheet", "ValueError")),
    Case("xlsx population whose sheet breaks off", lambda f, big: hostile.xlsx_sheet_cut_short(f), _POPULATIONS,
         ("first sheet", "not well-formed")),
    # A damaged Parquet file (kept as found, 777 bytes) whose date values and null flags disagree.
    Case("parquet whose dates read differently in two passes", _truncated("fuzz/damaged_dates.parquet", 1.0),
         _POPULATIONS, ("field 'date'", "damaged")),
    Case("csv header of 120,000 columns", lambda f, big: hostile.csv_long_header(f), _POPULATIONS, ("header",)),
    Case("csv header with a repeated name", lambda f, big: hostile.csv_repeated_names(f), _POPULATIONS,
         ("appears twice",)),
    Case("profile nested 100 deep", lambda f, big: hostile.yaml_deep(f), t.YAML_TARGETS, ("nested",)),
    Case("profile of aliases of aliases", lambda f, big: hostile.yaml_laughs(f), t.YAML_TARGETS, ("aliases",)),
    # Found by fuzzing: a controls customization took 740 MB; a file under the size limit could pass 1 GB.
    Case("yaml of 1.6 million values", lambda f, big: hostile.yaml_many_values(f), t.YAML_TARGETS,
         ("more than 100,000 values", "limit")),
    Case("population of formula strings", _write("formulas.csv", _FORMULA_ROWS.encode()),
         (t.POPULATION, t.POPULATION_SEMICOLONS), (EITHER,)),
    Case("population in UTF-16", _encoded("utf16.csv", _POPULATION_ROWS, "utf-16"), _POPULATIONS, (EITHER,)),
    Case("population in Latin-1", _encoded("latin1.csv", _POPULATION_ROWS.replace("alice", "Zoë"), "latin-1"),
         _POPULATIONS, (EITHER,)),
    Case("questionnaire in UTF-16", _encoded("utf16_questions.csv", _QUESTIONS, "utf-16"), _QUESTIONNAIRES, (EITHER,)),
    Case("questionnaire with a UTF-8 BOM", _write("bom.txt", codecs.BOM_UTF8 + _QUESTIONS.encode()), _QUESTIONNAIRES,
         (READ,)),
    Case("questionnaire of invalid UTF-8", _write("invalid.md", b"# Q\n1. Do you \xc3\x28 encrypt \xff data?\n"),
         _QUESTIONNAIRES, (EITHER,)),
    Case("parquet that is not parquet", _write("fake.parquet", b"PAR1" + b"\x00" * 2_000 + b"PAR1"), _POPULATIONS,
         ("fake.parquet",)),
    *(Case(f"{source} cut at {int(fraction * 100)}%", _truncated(source, fraction),
           _REPORTS if source.startswith("vendor") else _QUESTIONNAIRES, (EITHER,))
      for source in ("questionnaires/hecvat_like.xlsx", "questionnaires/supplier_form.docx",
                     "questionnaires/risk_review.pdf", "vendor_reports/larkspur_soc2_type2_qualified.pdf")
      for fraction in (0.1, 0.5, 0.99)),
)


def build(folder: Path, case: Case, *, issue_scale: bool = False) -> Path:
    """Build one case's file into its own subfolder of ``folder``."""
    place = folder / case.name.replace(" ", "_").replace("/", "_").replace(",", "").replace("%", "")
    place.mkdir(parents=True, exist_ok=True)
    return case.build(place, issue_scale)


def main() -> int:
    """Write every case of the corpus into a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", choices=("short", "issue"), default="short")
    args = parser.parse_args()
    for case in CASES:
        path = build(args.folder, case, issue_scale=args.scale == "issue")
        size = path.stat().st_size if path.is_file() else 0
        print(f"{case.name:50} {size / 1e6:8.2f} MB  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
