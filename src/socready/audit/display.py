"""Audit events as people read them: a named object and a short list of field: before -> after.

The stored event keeps raw JSON (it is hashed and must not change); everything here is presentation only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from socready.audit.models import AuditEvent

# Values longer than this are shortened on the page, with the whole value one click away.
SHORT_LIMIT = 80
# A created or deleted row lists every field it holds; past this many, the rest wait behind a toggle.
FOLD_AFTER = 6
# Bookkeeping fields every row has; repeating them on each create or delete says nothing.
_NOISE_FIELDS = frozenset({"id", "organization_id"})
# Where a model's own verbose name would puzzle a reader, the name the screens use instead.
_FRIENDLY_NAMES = {
    "questionnaires.DraftAnswer": "Questionnaire answer",
    "evidence.EvidenceItem": "Evidence",
    "evidence.RequestComment": "Comment on an evidence request",
    "evidence.SampleSet": "Sample",
    "evidence.SampleTest": "Test of a sampled item",
    "evidence.SamplingSettings": "Sampling policy",
    "programs.OrgObjective": "SOC 1 objective",
    "programs.ScopingProfile": "Scoping answers",
}
_VERBS = {"create": "Created", "update": "Changed", "delete": "Deleted"}
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


@dataclass(frozen=True)
class Shown:
    """One value as displayed: ``short`` always, ``full`` only when ``short`` had to be cut."""

    short: str
    full: str = ""
    empty: bool = False


@dataclass(frozen=True)
class Change:
    """One field of an event. ``before`` is None for a create, ``after`` is None for a delete."""

    label: str
    before: Shown | None
    after: Shown | None


@dataclass(frozen=True)
class EventRow:
    """An audit event ready for the audit trail page; ``folded`` are the fields shown only on request."""

    event: AuditEvent
    verb: str
    subject: str
    changes: list[Change]
    folded: list[Change]


def model_label(model: str) -> str:
    """A reader's name for a stored model label such as ``questionnaires.DraftAnswer``."""
    if model in _FRIENDLY_NAMES:
        return _FRIENDLY_NAMES[model]
    model_class = _model_class(model)
    if model_class is None:
        return model.rpartition(".")[2] or model
    return str(model_class._meta.verbose_name).capitalize()


def describe(event: AuditEvent, people: Mapping[int, str] | None = None) -> EventRow:
    """The event as a verb, a named object and the fields it changed (all fields for create and delete).

    ``people`` names the users that fields such as an owner point to (see ``people_referenced``); a person
    missing from it (deleted since) is shown by id.
    """
    subject = f"{model_label(event.model)} #{event.object_id}"
    changes = _changes(event, _Fields.of(event.model, people or {}))
    # Folding a single field would save nothing, hence the + 1.
    shown = changes if len(changes) <= FOLD_AFTER + 1 else changes[:FOLD_AFTER]
    return EventRow(event=event, verb=_VERBS.get(event.action, event.action.capitalize()), subject=subject,
                    changes=shown, folded=changes[len(shown):])


def people_referenced(events: Iterable[AuditEvent]) -> set[int]:
    """The ids of the users the events' fields point to, so a page can name them all in one query."""
    ids: set[int] = set()
    for event in events:
        fields = _Fields.of(event.model, {})
        for values in (event.before, event.after):
            if isinstance(values, dict):
                ids.update(user_id for key, value in values.items()
                           if key in fields.people and (user_id := _user_id(value)) is not None)
    return ids


def show(value: Any) -> Shown:
    """A stored JSON value as short readable text; the full text is kept when it had to be shortened."""
    if _is_empty(value):
        return Shown("(empty)", empty=True)
    text = _text(value)
    if len(text) <= SHORT_LIMIT and "\n" not in text:
        return Shown(text)
    first_line = text.splitlines()[0] if text.strip() else text
    return Shown(first_line[: SHORT_LIMIT - 1].rstrip() + "…", full=_lines(value))


@dataclass(frozen=True)
class _Fields:
    """What a model says about its stored fields: readers' labels, and which hold references (ids)."""

    labels: dict[str, str]
    references: frozenset[str]
    choices: dict[str, dict[str, str]]
    people: frozenset[str]  # the references to users, named through ``names``
    names: Mapping[int, str]

    @classmethod
    def of(cls, model: str, names: Mapping[int, str]) -> _Fields:
        model_class = _model_class(model)
        if model_class is None:  # a model that no longer exists: labels come from the keys
            return cls({}, frozenset(), {}, frozenset(), names)
        labels: dict[str, str] = {}
        references = set()
        people = set()
        choices: dict[str, dict[str, str]] = {}
        for field in model_class._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if verbose is None:
                continue
            key = getattr(field, "attname", field.name)
            labels[key] = str(verbose).capitalize()
            if field.many_to_one or field.one_to_one:
                references.add(key)
                if _is_user_model(field.related_model):
                    people.add(key)
            if isinstance(field, models.Field) and field.choices:
                choices[key] = {str(value): str(label) for value, label in field.flatchoices}
        return cls(labels, frozenset(references), choices, frozenset(people), names)

    def label(self, key: str) -> str:
        return self.labels.get(key) or key.removesuffix("_id").replace("_", " ").capitalize()

    def show(self, key: str, value: Any) -> Shown:
        if key in self.references and isinstance(value, int | str) and not _is_empty(value):
            name = self.names.get(_user_id(value) or 0) if key in self.people else None
            return show(name) if name else Shown(f"#{value}")
        if key in self.choices and isinstance(value, str) and value in self.choices[key]:
            return show(self.choices[key][value])  # the label the screens show, not the stored code
        return show(value)


def _changes(event: AuditEvent, fields: _Fields) -> list[Change]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    if event.action == "create":
        return [Change(fields.label(key), None, fields.show(key, value)) for key, value in after.items()
                if key not in _NOISE_FIELDS and not _is_empty(value)]
    if event.action == "delete":
        return [Change(fields.label(key), fields.show(key, value), None) for key, value in before.items()
                if key not in _NOISE_FIELDS and not _is_empty(value)]
    if not before and after:
        # A change of links (many-to-many): the event only says what was added, removed or cleared.
        return [Change(fields.label(key), None, _show_links(value)) for key, value in after.items()]
    keys = [key for key in after if before.get(key) != after.get(key)]
    keys += [key for key in before if key not in after]
    return [Change(fields.label(key), fields.show(key, before.get(key)), fields.show(key, after.get(key)))
            for key in keys]


def _show_links(value: Any) -> Shown:
    if isinstance(value, dict) and len(value) == 1:
        verb, ids = next(iter(value.items()))
        if isinstance(ids, list):
            return show(" ".join([verb, ", ".join(f"#{i}" for i in ids)]).strip())
    return show(value)


def _text(value: Any) -> str:
    """One line of text: a record as key: value pairs, a list joined by commas (semicolons between records)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return _datetime_text(value) or value
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        separator = "; " if any(isinstance(item, dict | list) for item in value) else ", "
        return separator.join(_text(item) for item in value)
    return str(value)


def _lines(value: Any) -> str:
    """The whole value for the unfolded view: one line per key of a record, one per item of a list."""
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    return _text(value)


def _datetime_text(value: str) -> str | None:
    match = _ISO_DATETIME.match(value)
    if match is None:
        return None
    zone = match.group(3) or ""
    suffix = " UTC" if zone in ("Z", "+00:00") else (f" {zone}" if zone else "")
    return f"{match.group(1)} {match.group(2)}{suffix}"


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _user_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _is_user_model(model: Any) -> bool:
    meta = getattr(model, "_meta", None)
    return meta is not None and meta.label == settings.AUTH_USER_MODEL


def _model_class(model: str) -> type[models.Model] | None:
    try:
        model_class: type[models.Model] = apps.get_model(model)
    except (LookupError, ValueError):
        return None
    return model_class
