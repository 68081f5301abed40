"""The curated question vocabulary: words customers use for each criterion's topic, and short forms."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from socready.core.catalog.catalog import builtin_path
from socready.core.errors import CatalogError
from socready.core.yamlfile import expect_keys, load_mapping


@dataclass(frozen=True)
class Vocabulary:
    """Search terms per criterion id, as extra words for matching questions to criteria."""

    terms: dict[str, tuple[str, ...]]
    version: str
    # Short form (one lower-case word) -> what it stands for, e.g. "mfa" -> "multi factor authentication".
    abbreviations: dict[str, str] = field(default_factory=dict)

    def for_criterion(self, criterion_id: str) -> tuple[str, ...]:
        """Return the terms of one criterion (none when the vocabulary does not list it)."""
        return self.terms.get(criterion_id, ())


def load_vocabulary(path: Path | None = None, known_criteria: Collection[str] | None = None) -> Vocabulary:
    """Load and validate a vocabulary file; every key must be a known criterion id with a list of terms."""
    path = path or builtin_path("vocabulary.yaml")
    file = str(path)
    data = load_mapping(path)
    expect_keys(data, required=("vocabulary", "version", "provenance", "criteria"), optional=("abbreviations",),
                file=file, entry=None)
    raw = data["criteria"]
    if not isinstance(raw, dict):
        raise CatalogError("must map criterion ids to lists of terms", file=file, field="criteria")
    terms: dict[str, tuple[str, ...]] = {}
    for key, values in raw.items():
        entry = str(key)
        if known_criteria is not None and entry not in known_criteria:
            raise CatalogError(f"unknown criterion id '{entry}'", file=file, entry=entry)
        if not isinstance(values, list) or not values:
            raise CatalogError("must be a non-empty list of terms", file=file, entry=entry, field="terms")
        cleaned: list[str] = []
        for index, value in enumerate(values, start=1):
            if not isinstance(value, str | int) or not str(value).strip():
                raise CatalogError(f"term #{index} must be non-empty text", file=file, entry=entry, field="terms")
            cleaned.append(str(value).strip())
        terms[entry] = tuple(cleaned)
    abbreviations = _abbreviations(data.get("abbreviations") or {}, file)
    return Vocabulary(terms=terms, version=str(data["version"]), abbreviations=abbreviations)


_SHORT_FORM = re.compile(r"[a-z0-9]+")


def _abbreviations(raw: object, file: str) -> dict[str, str]:
    """Validate the short forms: one lower-case word each, standing for several words without itself."""
    if not isinstance(raw, dict):
        raise CatalogError("must map short forms to what they stand for", file=file, field="abbreviations")
    found: dict[str, str] = {}
    for key, value in raw.items():
        short, long = str(key), str(value).strip() if isinstance(value, str) else ""
        if not _SHORT_FORM.fullmatch(short):
            raise CatalogError("a short form must be one lower-case word", file=file, entry=short,
                               field="abbreviations")
        words = long.lower().split()
        if len(words) < 2 or short in words:
            raise CatalogError("must stand for two or more words, not including itself", file=file, entry=short,
                               field="abbreviations")
        found[short] = long
    return found


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """Return the shipped vocabulary, loaded once per process."""
    return load_vocabulary()
