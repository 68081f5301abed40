"""The dashboard's readiness chart: one bar per engagement, as SVG with an accessible name."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

ROW, BAR, LABEL = 28, 300, 190


def _colour(value: int) -> str:
    # The readiness page's thresholds: 80 and up good, 50 and up fair.
    return "#1e7b4a" if value >= 80 else "#a86500" if value >= 50 else "#b3261e"


def readiness_bars(items: Sequence[tuple[str, int]]) -> SafeString:
    """Horizontal 0-100 bars, one per (engagement label, score); screen readers get every figure in its name."""
    height = ROW * len(items) + 8
    width = LABEL + BAR + 48
    name = "Readiness by engagement: " + "; ".join(f"{label} {value} of 100" for label, value in items)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(name)}" class="chart" '
             f'data-testid="readiness-chart"><title>{escape(name)}</title>']
    for index, (label, value) in enumerate(items):
        y = index * ROW + 4
        filled = round(BAR * max(0, min(value, 100)) / 100)
        parts.append(f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" font-size="12" aria-hidden="true">'
                     f"{escape(label)}</text>")
        parts.append(f'<rect x="{LABEL}" y="{y}" width="{BAR}" height="20" fill="#e8ecf3"/>')
        parts.append(f'<rect x="{LABEL}" y="{y}" width="{filled}" height="20" fill="{_colour(value)}"/>')
        parts.append(f'<text x="{LABEL + BAR + 6}" y="{y + 15}" font-size="12" aria-hidden="true">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped
