"""The run document stored as evidence, its digest, and reading failing findings back out of it.

The document is plain JSON so the auditor can read it without socready; readiness reads the same document
(through ``findings_for_control``) to say which resources fail, so what the evidence shows and what the
gaps say never differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeGuard

from socready.core.canonical import canonical_sha256
from socready.core.connectors.checks import CheckDefinition, CheckResult, Outcome, finding_text

RUN_FORMAT = "socready.connector-run/1"


def check_entry(result: CheckResult) -> dict[str, Any]:
    """One check of the document: its definition, outcome, failing resources and every resource's result."""
    check = result.check
    return {
        "id": check.id, "title": check.title, "proves": check.proves, "controls": list(check.controls),
        "noun": check.noun, "noun_plural": check.noun_plural or "", "failing_phrase": check.failing_phrase,
        "status": result.outcome.value, "error": result.error, "failing": list(result.failing),
        "finding": result.finding(),
        "resources": [{"resource": r.resource, "status": r.outcome.value, "reason": r.reason}
                      for r in result.resources],
    }


def run_document(*, connection: str, kind: str, account: str, collected_at: dt.datetime,
                 results: Sequence[CheckResult]) -> dict[str, Any]:
    """The automated result of one run, as stored in the evidence revision."""
    return {
        "format": RUN_FORMAT, "connection": connection, "kind": kind, "account": account,
        "collected_at": collected_at.isoformat(), "checks": [check_entry(r) for r in results],
    }


def digest(document: Any) -> str:
    """SHA-256 of the document's canonical JSON (sorted keys, no spaces), the hash a run records.

    The evidence revision stores exactly these bytes as its file, so the file's hash is this digest.
    """
    return canonical_sha256(document)


def is_run_document(document: Any) -> TypeGuard[dict[str, Any]]:
    """Whether a stored result is a connector run document."""
    return isinstance(document, dict) and document.get("format") == RUN_FORMAT


def findings_for_control(document: Any, control: str) -> tuple[str, ...]:
    """The findings of failing (or unjudgeable) checks that support ``control``; () for other documents."""
    if not is_run_document(document):
        return ()
    found = []
    for entry in document.get("checks", []):
        if not isinstance(entry, dict) or control not in entry.get("controls", []):
            continue
        status = entry.get("status")
        if status == Outcome.FAIL.value:
            check = CheckDefinition(str(entry.get("id", "")), str(entry.get("title", "")), "", (),
                                    str(entry.get("noun") or "resource"), str(entry.get("failing_phrase", "")),
                                    str(entry.get("noun_plural") or "") or None)
            found.append(finding_text(check, [str(n) for n in entry.get("failing", [])]))
        elif status == Outcome.ERROR.value:
            found.append(str(entry.get("finding") or f"{entry.get('title', 'a check')} could not be checked"))
    return tuple(found)
