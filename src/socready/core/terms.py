"""The domain words as enumerations, shared by core, the database models and the screens.

Each value is the code stored in the database and written in files; ``label`` is how a person reads it.
The models' Django choices take each code and label from these, so a word is defined once and a stored
code compares equal to its member everywhere.
"""

from __future__ import annotations

from enum import StrEnum


class Term(StrEnum):
    """A domain word: its value is the stored code, its label the words people read."""

    @property
    def label(self) -> str:
        """The words people read for this code."""
        # Keyed by the enumeration too: members of different enumerations that share a code (a control's
        # "operating" status and operating evidence) are equal and hash alike, so a code alone would mix them.
        return _LABELS.get((type(self), self.value), self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, text: str) -> Term:
        """Read a code or a label ('type2' or 'Type II'); raise ValueError listing the known codes."""
        wanted = text.strip()
        for member in cls:
            if wanted == member.value or wanted.casefold() == member.label.casefold():
                return member
        raise ValueError(f"'{text}' is not one of: {', '.join(m.value for m in cls)}")


class Report(Term):
    """Which SOC report: SOC 1 (clients' financial reporting) or SOC 2 (Trust Services Criteria)."""

    SOC1 = "soc1"
    SOC2 = "soc2"


class ReportType(Term):
    """Type I (design as of a date) or Type II (operating effectiveness over a window)."""

    TYPE1 = "type1"
    TYPE2 = "type2"


class ControlStatus(Term):
    """Where a control stands, in workflow order."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DESIGNED = "designed"
    IMPLEMENTED = "implemented"
    OPERATING = "operating"


class TaskStatus(Term):
    """Where a remediation task stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class RequestStatus(Term):
    """Where a PBC request stands: asked, answered, accepted or flagged by the auditor, or withdrawn."""

    REQUESTED = "requested"
    PROVIDED = "provided"
    ACCEPTED = "accepted"
    FLAGGED = "flagged"
    # The only evidence behind an accepted request was deleted: the acceptance no longer stands.
    WITHDRAWN = "withdrawn"


class EvidencePurpose(Term):
    """What an item of evidence shows: how a control is designed, or that it operated in the period.

    Design evidence (a policy, a configuration, a procedure) still stands in the next period as prior-period
    reference; operating evidence (a review done, a log, a check's result) must be gathered anew each period.
    """

    DESIGN = "design"
    OPERATING = "operating"


def label_of(term: type[Term], code: str) -> str:
    """The words people read for a stored code of ``term``; an unknown code is shown as it is."""
    try:
        return term(code).label
    except ValueError:
        return code


# Kinds of evidence that usually describe how a control is built; files and automated results usually show
# it working. An item covering a period always shows operation.
_DESIGN_KINDS = frozenset({"link", "note"})


def default_evidence_purpose(kind: str, covers_period: bool = False) -> EvidencePurpose:
    """The purpose an item of this kind most likely has, when the person adding it does not say.

    When in doubt it is operating: taking operating evidence for design would carry it into the next period
    unasked, while the other mistake only asks once too often.
    """
    if covers_period or kind not in _DESIGN_KINDS:
        return EvidencePurpose.OPERATING
    return EvidencePurpose.DESIGN


_LABELS: dict[tuple[type[Term], str], str] = {
    (type(term), term.value): label for term, label in (
        (Report.SOC1, "SOC 1"),
        (Report.SOC2, "SOC 2"),
        (ReportType.TYPE1, "Type I"),
        (ReportType.TYPE2, "Type II"),
        (RequestStatus.WITHDRAWN, "Evidence withdrawn"),
        (EvidencePurpose.DESIGN, "Design (how the control is built)"),
        (EvidencePurpose.OPERATING, "Operating (the control working in the period)"),
    )
}
