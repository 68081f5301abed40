"""How the population and sample pages write a window: ``start – end``, as the rest of the app does.

Stored records and messages from the readers keep ``start..end`` (the form the CLI takes on input); only the
pages rewrite it.
"""

from __future__ import annotations

import re

from django import template

register = template.Library()

_DOTTED = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


@register.filter
def dashed_windows(text: object) -> str:
    """``text`` with every ``YYYY-MM-DD..YYYY-MM-DD`` written ``YYYY-MM-DD – YYYY-MM-DD``."""
    return _DOTTED.sub(r"\1 – \2", str(text))
