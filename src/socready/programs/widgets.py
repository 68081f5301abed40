"""Select widgets that write their options directly.

Django renders a template per option; a picker of a hundred and more controls then costs tens of
milliseconds on every page that shows the form. These widgets write the same HTML in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _options(choices: Iterable[Any], selected: set[str]) -> Iterable[SafeString]:
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            yield format_html('<optgroup label="{}">', value)
            yield from _options(label, selected)
            yield mark_safe("</optgroup>")
            continue
        text = "" if value is None else str(value)
        mark = mark_safe(" selected") if text in selected else ""
        yield format_html('<option value="{}"{}>{}</option>', text, mark, label)


class QuickSelect(forms.Select):
    """A ``Select`` whose options are written in one pass (same markup as Django's)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = {str(v) for v in self.format_value(value)}
        body = SafeString()
        for option in _options(self.choices, selected):
            body += option  # safe plus safe stays safe: each part was escaped by format_html
        return format_html("<select{}>{}</select>", flatatt(final), body)


class QuickSelectMultiple(QuickSelect):
    """A multiple ``QuickSelect`` (the form field must be a multiple choice field)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an unselected multiple select sends nothing: that means none chosen
