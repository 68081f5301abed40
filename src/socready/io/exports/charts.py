"""Small SVG charts drawn by hand for the readiness report: bars, a status heat map and a window timeline.

They are plain SVG strings with every label escaped, so the report stays one self-contained file that
renders the same in a browser and in WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from socready.core.readiness.result import TARGET_STATE_LABELS, TargetScore, WindowTimeline

STATE_COLOURS: dict[str, str] = {
    "ready": "#2e7d32",
    "evidence": "#f9a825",
    "partial": "#1565c0",  # blue: told apart from the amber of evidence gaps in print and for colour-blind readers
    "uncovered": "#c62828",
}
STATE_LABELS = TARGET_STATE_LABELS


def _open(width: float, height: float, name: str) -> str:
    # The viewBox lets CSS shrink a chart to the page width without cropping it. The name is what a screen
    # reader says for the whole chart (role="img" hides the parts), so it carries the figures themselves.
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(name)}" class="chart">'
        f"<title>{escape(name)}</title>"
    )


def _colour(value: int) -> str:
    return "#2e7d32" if value >= 80 else "#f9a825" if value >= 50 else "#c62828"


def bar_chart(items: Sequence[tuple[str, int]], label_width: int = 170) -> str:
    """Horizontal 0-100 bars, one per (label, value)."""
    row, bar_width = 26, 360
    height = row * len(items) + 24
    name = "Scores out of 100: " + "; ".join(f"{label} {value}" for label, value in items)
    parts = [_open(label_width + bar_width + 50, height, name)]
    for index, (label, value) in enumerate(items):
        y = index * row + 4
        width = round(bar_width * max(0, min(value, 100)) / 100)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
        )
        parts.append(f'<rect x="{label_width}" y="{y}" width="{bar_width}" height="18" fill="#eceff1"/>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{width}" height="18" fill="{_colour(value)}"/>')
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 14}" font-size="12">{value}</text>')
    for tick in (0, 50, 100):
        x = label_width + bar_width * tick // 100
        parts.append(
            f'<text x="{x}" y="{height - 4}" font-size="10" text-anchor="middle" fill="#607d8b">{tick}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heat_map(rows: Sequence[tuple[str, Sequence[TargetScore]]]) -> str:
    """One row per series (CC6, A1, ITGC ...), one coloured cell per criterion or objective by state."""
    cell_w, cell_h, label_w = 78, 24, 110
    widest = max((len(cells) for _, cells in rows), default=1)
    height = cell_h * len(rows) + 40
    counts = {state: sum(t.state == state for _, cells in rows for t in cells) for state in STATE_LABELS}
    name = "Criteria and objectives by state: " + "; ".join(
        f"{STATE_LABELS[state]} {n}" for state, n in counts.items())
    parts = [_open(max(label_w + cell_w * widest + 10, 560), height, name)]
    for index, (label, cells) in enumerate(rows):
        y = index * cell_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="11">{escape(label)}</text>'
        )
        for column, target in enumerate(cells):
            x = label_w + column * cell_w
            parts.append(
                f'<rect x="{x}" y="{y + 1}" width="{cell_w - 3}" height="{cell_h - 3}" '
                f'fill="{STATE_COLOURS[target.state]}"><title>{escape(target.id)}: '
                f"{escape(STATE_LABELS[target.state])}</title></rect>"
            )
            # Long ids (ITGC-CHANGE-01) get a smaller font so they stay inside their cell.
            size = min(10.0, round((cell_w - 7) / (0.62 * max(len(target.id), 1)), 1))
            parts.append(
                f'<text x="{x + (cell_w - 3) / 2}" y="{y + 16}" text-anchor="middle" font-size="{size:g}" '
                f'fill="{"#263238" if target.state == "evidence" else "#ffffff"}">{escape(target.id)}</text>'
            )
    x = 0
    for state, label in STATE_LABELS.items():
        parts.append(
            f'<rect x="{x}" y="{height - 16}" width="12" height="12" fill="{STATE_COLOURS[state]}"/>'
        )
        parts.append(f'<text x="{x + 16}" y="{height - 6}" font-size="11">{escape(label)}</text>')
        x += 30 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def timeline(window: WindowTimeline, today: dt.date) -> str:
    """Stacked monthly columns: controls with evidence, controls missing it, still open; a line at today."""
    col_w, chart_h, top = 56, 140, 10
    width = col_w * len(window.months) + 60
    covered = sum(m.covered for m in window.months)
    months_total = sum(m.total for m in window.months)
    name = (f"Evidence over the window {window.start:%Y-%m-%d} to {window.end:%Y-%m-%d}: {covered} of {months_total} "
            f"control-months with evidence")
    parts = [_open(width, chart_h + 60, name)]
    for index, month in enumerate(window.months):
        x: float = 40 + index * col_w
        total = max(month.total, 1)
        open_count = max(month.total - month.covered - month.missing, 0)
        y: float = top + chart_h
        for count, colour in (
            (month.covered, "#2e7d32"),
            (month.missing, "#c62828"),
            (open_count, "#cfd8dc"),
        ):
            height = chart_h * count / total
            y -= height
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{col_w - 8}" height="{height:.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{x + (col_w - 8) / 2}" y="{top + chart_h + 16}" text-anchor="middle" '
            f'font-size="11">{month.month.strftime("%b %Y")}</text>'
        )
        parts.append(
            f'<text x="{x + (col_w - 8) / 2}" y="{top + chart_h + 30}" text-anchor="middle" '
            f'font-size="10" fill="#455a64">{month.covered}/{month.total}</text>'
        )
    span = (window.end - window.start).days or 1
    if window.start <= today <= window.end:
        x = 40 + (col_w * len(window.months) - 8) * (today - window.start).days / span
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + chart_h}" stroke="#1a237e" '
            f'stroke-width="2" stroke-dasharray="4 3"/>'
        )
        parts.append(f'<text x="{x + 4:.1f}" y="{top + 4}" font-size="10" fill="#1a237e">today</text>')
    legend = (("With evidence", "#2e7d32"), ("Missing", "#c62828"), ("Not yet due", "#cfd8dc"))
    for index, (label, colour) in enumerate(legend):
        parts.append(
            f'<rect x="{40 + index * 120}" y="{chart_h + 42}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(f'<text x="{56 + index * 120}" y="{chart_h + 52}" font-size="11">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)
