"""`socready sample --period` warns on stderr, as the draw page does, when the window has not run long enough for
a sample drawn today to represent it; the sample is drawn all the same and stdout stays the sample."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from socready.cli.main import app


def _changes(tmp_path: Path, day: dt.date) -> Path:
    path = tmp_path / "changes.csv"
    path.write_text("id,date\n" + "".join(f"CHG-{n},{day.isoformat()}\n" for n in range(1, 31)), encoding="utf-8")
    return path


def _sample(path: Path, start: dt.date, end: dt.date, *extra: str) -> object:
    return CliRunner().invoke(app, ["sample", str(path), "--frequency", "per-event", "--seed", "7", "--date-column",
                                    "date", "--period", f"{start.isoformat()}..{end.isoformat()}", *extra])


def test_a_sample_of_a_window_that_has_barely_started_is_drawn_with_a_warning(tmp_path: Path) -> None:
    today = dt.date.today()
    start = today - dt.timedelta(days=9)  # 10 of 365 days run by today
    end = start + dt.timedelta(days=364)
    result = _sample(_changes(tmp_path, start), start, end, "--json")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert json.loads(result.stdout)["rows"]  # type: ignore[attr-defined]
    warning = " ".join(result.stderr.split())  # type: ignore[attr-defined]
    assert warning.startswith("warning: too early to be representative.")
    assert f"had run 10 of its 365 days (3%) by {today.isoformat()}" in warning
    assert f"on or after {(start + dt.timedelta(days=182)).isoformat()}" in warning


def test_a_sample_of_a_window_that_has_run_its_course_gets_no_warning(tmp_path: Path) -> None:
    end = dt.date.today() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=364)
    result = _sample(_changes(tmp_path, start), start, end)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "too early" not in result.stderr and "Sample of" in result.stdout  # type: ignore[attr-defined]
