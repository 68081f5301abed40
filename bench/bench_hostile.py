"""Every hostile file of tests/hostile_files.py through its reader, each in the sandbox: outcome, time, peak RSS.

Prints one line per file and a summary: refusals (a clean InputError naming the file), hangs (stopped by
the wall-clock limit), crashes (anything else), and the largest peak memory of any reader's child process.
Run: .venv/bin/python bench/bench_hostile.py
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from socready.core.errors import InputError  # noqa: E402
from socready.core.scoping.profile_reader import load_profile  # noqa: E402
from socready.io.population import PopulationSpec, scan_population  # noqa: E402
from socready.io.questionnaire import read_questionnaire  # noqa: E402
from socready.io.sandbox import SandboxLimits, run_bounded  # noqa: E402
from tests import hostile_files as hostile  # noqa: E402

LIMITS = SandboxLimits(seconds=60.0, memory_bytes=1024 * 1024 * 1024)


def population(path: Path) -> object:
    return scan_population(path, PopulationSpec("id"))


CASES: list[tuple[str, Callable[[Path], Path], Callable[[Path], object]]] = [
    ("docx, 250,000 paragraphs", hostile.docx_many_paragraphs, read_questionnaire),
    ("docx, 150,000 table cells", hostile.docx_many_cells, read_questionnaire),
    ("docx, 80 MB of blanks zipped", hostile.docx_bomb, read_questionnaire),
    ("pdf, 200 MB flate stream", hostile.pdf_bomb, read_questionnaire),
    ("pdf, 200 MB stream deflated twice", hostile.pdf_double_bomb, read_questionnaire),
    ("xlsx, 250,000 cell formats", hostile.xlsx_styles_bomb, read_questionnaire),
    ("xlsx, 600,000 shared strings", lambda d: hostile.xlsx_shared_strings_bomb(d, 600_000), read_questionnaire),
    ("xlsx population without sheets", hostile.xlsx_without_sheets, population),
    ("csv population, 120,000 columns", hostile.csv_long_header, population),
    ("csv population, NUL at line 20,002", hostile.csv_late_nul, population),
    ("csv questionnaire, 20 negation-run rows", hostile.csv_redos, read_questionnaire),
    ("yaml profile nested 100 deep", hostile.yaml_deep, load_profile),
    ("yaml profile of aliases", hostile.yaml_laughs, load_profile),
]


def main() -> int:
    warnings.simplefilter("ignore")
    counts = {"refused": 0, "read": 0, "hang": 0, "crash": 0}
    with tempfile.TemporaryDirectory() as folder:
        for label, build, reader in CASES:
            case = Path(folder) / label.replace(" ", "_").replace(",", "")
            case.mkdir()
            path = build(case)
            started = time.perf_counter()
            try:
                run_bounded(reader, str(path), LIMITS, path)
                outcome, detail = "read", ""
            except InputError as exc:
                hung = "took longer" in exc.reason
                outcome, detail = ("hang" if hung else "refused"), exc.reason
            except Exception as exc:  # noqa: BLE001 - counted and shown: a crash is a finding
                outcome, detail = "crash", f"{type(exc).__name__}: {exc}"
            counts[outcome] += 1
            seconds = time.perf_counter() - started
            print(f"{label:42} {path.stat().st_size / 1e6:7.2f} MB  {seconds:6.2f} s  {outcome:8} {detail[:90]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"files {len(CASES)}; refused {counts['refused']}, read {counts['read']}, hangs {counts['hang']}, "
          f"crashes {counts['crash']}; peak RSS of any reader child {peak_mb:.0f} MB")
    return 0 if counts["hang"] == counts["crash"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
