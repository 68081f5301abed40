"""A form's current values as plain text, for members whose role may read a page but not change it.

Auditors (and, on some pages, contributors) see the same information as the people who edit it, without
inputs that look editable but cannot be saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms


@dataclass(frozen=True)
class ShownField:
    """One field of a form as read-only text; ``value`` is empty when nothing was entered."""

    label: str
    value: str


def form_values(form: forms.BaseForm) -> list[ShownField]:
    """Each visible field of ``form`` with its current value, choices shown by their labels."""
    return [ShownField(str(bound.label), _display(bound.field, bound.value())) for bound in form.visible_fields()]


def _display(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if value is None or value == "" or value == []:
        return ""
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        # A form field keeps its choices as (value, label) pairs (or a lazy iterator of them), whatever it was given.
        labels = _choice_labels(cast("Iterable[Any]", field.choices))
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _choice_labels(choices: Iterable[Any]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key, label in choices:
        if isinstance(label, list | tuple):  # an option group: (group name, [(value, label), ...])
            labels.update(_choice_labels(label))
        else:
            labels[str(key)] = str(label)
    return labels
