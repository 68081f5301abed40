"""Read questionnaires exported as JSON: tables of records (HECVAT exports) and trees of items (VSAQ, OSCAL).

Two shapes are met in practice:

* a list of flat records, one per row, keyed by the column headers (the HECVAT's JSON export keys the
  question text under an empty header). It is read like a sheet, located as ``[8]``;
* a tree of items with a kind and a text: Google's VSAQ (``{"questionnaire": [{"type": "block",
  "items": [{"type": "yesno", "text": ...}]}]}``) or an OSCAL catalog whose statements are prose. Each
  asking item is a question, located by its JSON path (``catalog.groups[0].controls[3].parts[0]``).

The vendor's answers of a filled VSAQ sit under a separate key and are never read as questions.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from socready.core.errors import InputError
from socready.io.questionnaire.grid import read_grid
from socready.io.questionnaire.model import Question
from socready.io.questionnaire.textfile import read_text

_TAG_RE = re.compile(r"<[^>]+>")
_TEXT_KEYS = ("text", "question", "prose", "prompt", "label_text", "questionText")
_SECTION_KINDS = {"block", "group", "section", "category", "page", "catalog"}
_GUIDANCE_KINDS = {"info", "tip", "guidance", "help", "hint", "note", "assessment", "objective"}
_SKIPPED_KINDS = {"spawn", "separator", "html"}
# Keys under which a filled questionnaire keeps the vendor's side, and metadata that asks nothing.
_SKIPPED_KEY_RE = re.compile(r"answer|response|value|metadata|back-matter|props|links|remarks", re.IGNORECASE)
_MAX_DEPTH = 40


def _plain(value: str) -> str:
    return " ".join(_TAG_RE.sub(" ", value).split())


def _records(data: Any) -> tuple[str, list[dict[str, Any]]] | None:
    """The first list of flat records in the document (the document itself, or a top-level value)."""
    candidates: list[tuple[str, Any]] = [("", data)]
    if isinstance(data, dict):
        candidates += [(f"{key}", value) for key, value in data.items()]
    for prefix, value in candidates:
        if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, dict) for v in value) and all(
                all(not isinstance(x, (dict, list)) for x in v.values()) for v in value):
            return prefix, value
    return None


def _table(prefix: str, records: list[dict[str, Any]]) -> list[Question]:
    header: list[str] = []
    for record in records:
        header.extend(k for k in record if k not in header)
    rows = [header] + [["" if r.get(k) is None else str(r.get(k)) for k in header] for r in records]

    def locate(row: int, col: int) -> str:
        return f"{prefix}[{row - 1}]"

    return read_grid(rows, locate).questions


class _Walker:
    """Collects asking items from a tree, remembering the section and attaching guidance."""

    def __init__(self) -> None:
        self.questions: list[Question] = []

    def walk(self, node: Any, path: str, section: str | None, depth: int = 0) -> None:
        """Collect the asking items of a node and everything under it, within the depth bound."""
        if depth > _MAX_DEPTH:
            return
        if isinstance(node, list):
            self._walk_list(node, path, section, depth)
            return
        if not isinstance(node, dict):
            return
        section = self._visit(node, path, section)
        self._walk_children(node, path, section, depth)

    def _walk_list(self, node: list[Any], path: str, section: str | None, depth: int) -> None:
        """Walk each item of a list, located by its index."""
        for index, item in enumerate(node):
            self.walk(item, f"{path}[{index}]", section, depth + 1)

    def _visit(self, node: dict[str, Any], path: str, section: str | None) -> str | None:
        """Read one item as a section, guidance or a question; return the section its children are in."""
        kind = str(node.get("type") or node.get("name") or node.get("class") or "").lower()
        text = next((_plain(node[k]) for k in _TEXT_KEYS if isinstance(node.get(k), str) and node[k].strip()), "")
        title = _plain(node["title"]) if isinstance(node.get("title"), str) else ""
        if kind in _SECTION_KINDS or (title and not text):
            section = text or title or section
        elif text and kind in _GUIDANCE_KINDS:
            self._attach_guidance(text, path)
        elif text and kind not in _SKIPPED_KINDS and any(ch.isalpha() for ch in text):
            ident = node.get("id")
            self.questions.append(Question(id=str(ident) if isinstance(ident, (str, int)) else "", text=text,
                                           location=path or "$", section=section or (title or None)))
        return section

    def _attach_guidance(self, text: str, path: str) -> None:
        """Give the last question the guidance text, unless it has some already."""
        if self.questions and self.questions[-1].guidance is None:
            last = self.questions[-1]
            self.questions[-1] = Question(last.id, last.text, last.location, last.answer, text, last.section,
                                          path)

    def _walk_children(self, node: dict[str, Any], path: str, section: str | None, depth: int) -> None:
        """Walk the dict and list values of an item, except those under keys that ask nothing."""
        for key, value in node.items():
            if isinstance(value, (dict, list)) and not _SKIPPED_KEY_RE.search(key):
                self.walk(value, f"{path}.{key}" if path else key, section, depth + 1)


def read_json(path: Path) -> list[Question]:
    """Return the questions of a JSON questionnaire, located as '[8]' or by JSON path."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                         file=str(path)) from exc
    table = _records(data)
    if table is not None:
        return _table(*table)
    walker = _Walker()
    walker.walk(data, "", None)
    return walker.questions
