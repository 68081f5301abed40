"""Checks and their results: one definition per check, one outcome per resource examined."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from socready.core.text import counted

# A finding names at most this many resources; the run document keeps all of them.
NAMED_IN_FINDING = 20


class Outcome(StrEnum):
    """The verdict on one resource, and on a whole check."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    ERROR = "error"


@dataclass(frozen=True)
class CheckDefinition:
    """What a check is: its id, a title, what a pass proves, the library controls it supports.

    ``noun`` and ``failing_phrase`` make the finding: "2 IAM users with console access and no MFA".
    """

    id: str
    title: str
    proves: str
    controls: tuple[str, ...]
    noun: str
    failing_phrase: str
    noun_plural: str | None = None


@dataclass(frozen=True)
class ResourceResult:
    """The outcome for one resource (a user, a bucket, a repository), with the reason in words."""

    resource: str
    outcome: Outcome
    reason: str = ""


@dataclass(frozen=True)
class CheckResult:
    """A check's results; ``error`` says why it could not be judged at all (then nothing passes)."""

    check: CheckDefinition
    resources: tuple[ResourceResult, ...] = ()
    error: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def outcome(self) -> Outcome:
        """Error when the check or any resource could not be judged, fail when any resource fails, else pass."""
        if self.error or any(r.outcome == Outcome.ERROR for r in self.resources):
            return Outcome.ERROR
        if any(r.outcome == Outcome.FAIL for r in self.resources):
            return Outcome.FAIL
        return Outcome.PASS

    @property
    def failing(self) -> tuple[str, ...]:
        """The resources that fail, in the order they were examined."""
        return tuple(r.resource for r in self.resources if r.outcome == Outcome.FAIL)

    def finding(self) -> str:
        """The gap in one sentence, naming the failing resources; empty when the check passes."""
        if self.outcome == Outcome.ERROR:
            reason = self.error or next(r.reason for r in self.resources if r.outcome == Outcome.ERROR)
            return f"{self.check.title}: could not be checked ({reason})"
        return finding_text(self.check, self.failing)


def finding_text(check: CheckDefinition, failing: Iterable[str]) -> str:
    """'2 IAM users with console access and no MFA: alice, bob' (empty when nothing fails)."""
    names = list(failing)
    if not names:
        return ""
    shown = ", ".join(names[:NAMED_IN_FINDING])
    if len(names) > NAMED_IN_FINDING:
        shown += f" and {len(names) - NAMED_IN_FINDING} more"
    return f"{counted(len(names), check.noun, check.noun_plural)} {check.failing_phrase}: {shown}"


def judged(check: CheckDefinition, verdicts: Iterable[tuple[str, bool, str]]) -> CheckResult:
    """A result from (resource, passed, reason) triples: the common shape of a per-resource check."""
    return CheckResult(check, tuple(ResourceResult(name, Outcome.PASS if ok else Outcome.FAIL, reason)
                                    for name, ok, reason in verdicts))


def unjudged(check: CheckDefinition, error: str) -> CheckResult:
    """A result for a check that could not run (permission refused, service unavailable)."""
    return CheckResult(check, (), error=error)
