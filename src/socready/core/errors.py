"""Errors raised by the core, carrying where the bad input is."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input, located by file, entry (row or id) and field so a user can find and fix it."""

    def __init__(self, message: str, *, file: str | None = None, entry: str | None = None,
                 field: str | None = None) -> None:
        self.file = file
        self.entry = entry
        self.field = field
        self.reason = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.entry:
            where.append(f"entry {self.entry}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{': '.join([', '.join(where), self.reason]) if where else self.reason}"


class CatalogError(InputError):
    """A catalog or catalog-override file is malformed or refers to something that does not exist."""
