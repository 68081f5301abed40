"""Small helpers for the sentences socready shows people."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """Return "1 control" or "3 controls"; ``plural`` names irregular plurals ("criterion", "criteria")."""
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{count} {noun}"
