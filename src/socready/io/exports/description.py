"""A draft SOC 2 system description (docx) laid out along DC 200, filled from the profile and scope.

Whatever socready cannot know is written as a visible, highlighted "[TO COMPLETE: ...]" placeholder so
no gap in the draft can be mistaken for finished text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.text.paragraph import Paragraph

from socready.core.catalog.catalog import DescriptionCriterion, default_catalog, load_description_criteria
from socready.core.readiness.snapshot import ProgramSnapshot
from socready.core.scoping.profile import Profile
from socready.core.scoping.recommendation import Recommendation

PLACEHOLDER = "[TO COMPLETE: {}]"


@dataclass(frozen=True)
class Line:
    """One paragraph of the draft; a placeholder is highlighted so reviewers see what is still missing."""

    text: str
    placeholder: bool = False
    bullet: bool = False
    heading: bool = False


def todo(what: str) -> Line:
    """A highlighted placeholder line."""
    return Line(PLACEHOLDER.format(what), placeholder=True)


def _dc1(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    lines = (
        [Line(profile.description)]
        if profile and profile.description
        else [todo("a short overview of the company and the service in scope")]
    )
    services = profile.services if profile else ()
    lines += [Line(f"{s.name}: {s.does}", bullet=True) for s in services] or [
        todo("the services covered by this report")
    ]
    lines.append(todo("who the user entities are and how they use the service"))
    return lines


def _dc2(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    lines: list[Line] = []
    commitments = profile.commitments if profile else None
    if commitments and commitments.uptime_sla_percent is not None:
        lines.append(
            Line(
                f"Availability of {commitments.uptime_sla_percent}% as stated in customer agreements.",
                bullet=True,
            )
        )
    for flag, text in (
        (commitments and commitments.confidentiality, "Customer information is kept confidential."),
        (
            commitments and commitments.privacy_notice,
            "Personal information is handled as the privacy notice states.",
        ),
        (commitments and commitments.processing_accuracy, "Processing is complete and accurate."),
        (commitments and commitments.processing_timeliness, "Processing is completed on time."),
    ):
        if flag:
            lines.append(Line(text, bullet=True))
    categories = sorted(
        {c for e in snapshot.engagements if e.report == "soc2" for c in ("Security", *e.categories)}
    )
    if categories:
        lines.append(Line(f"Trust services categories in scope: {', '.join(categories)}."))
    lines.append(todo("the principal service commitments from contracts, SLAs and terms of service"))
    lines.append(todo("system requirements, including laws and regulations the system must meet"))
    return lines


def _dc3(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    families = sorted({s.control.family for s in snapshot.controls if s.applicable})
    lines = [
        Line("Infrastructure", heading=True),
        todo("cloud accounts, networks, facilities and hosting providers"),
        Line("Software", heading=True),
        todo("applications, databases and supporting tools in scope"),
        Line("People", heading=True),
        todo("teams and roles that run the system, with reporting lines"),
        Line("Procedures", heading=True),
        Line(f"Documented control areas: {', '.join(families)}.")
        if families
        else todo("the automated and manual procedures"),
        Line("Data", heading=True),
    ]
    kinds = profile.data if profile and profile.data else ()
    lines.append(
        Line(f"Kinds of data handled: {', '.join(kinds)}.") if kinds else todo("the data the system handles")
    )
    lines.append(todo("the system boundaries: what is in and out of scope"))
    return lines


def _dc4(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    return [
        todo(
            "significant incidents in the period (or as of the report date), their nature, timing and "
            "extent, and how they were resolved; state 'none' if there were none"
        )
    ]


def _dc5(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    categories = {c for e in snapshot.engagements if e.report == "soc2" for c in ("Security", *e.categories)}
    lines = []
    for criterion in default_catalog().criteria_in(categories):
        ids = [s.id for s in snapshot.controls if s.applicable and criterion.id in s.control.criteria]
        lines.append(
            Line(f"{criterion.id} {criterion.title}: {', '.join(ids)}", bullet=True)
            if ids
            else todo(f"the control that addresses {criterion.id} ({criterion.title})")
        )
    return lines or [todo("the categories in scope and the controls for each criterion")]


def _dc8(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    lines = [
        Line(f"{s.id} {s.control.title} is not applicable: {s.na_reason}.", bullet=True)
        for s in snapshot.controls
        if not s.applicable
    ]
    return [*lines, todo("criteria in the categories in scope that do not apply to the system, and why")]


def _dc6(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    cuecs = rec.cuecs if rec else ()
    return [Line(c[:1].upper() + c[1:] + ".", bullet=True) for c in cuecs] or [
        todo("controls that user entities must operate (CUECs)")
    ]


def _dc7(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    lines: list[Line] = []
    # The vendor register is what the organization keeps current, so it comes before scoping's advice.
    for registered in snapshot.subservice:
        reviewed = f" Latest report reviewed: {registered.report}." if registered.report else ""
        lines.append(Line(f"{registered.name} ({registered.service or 'service not stated'}), "
                          f"{registered.method} method.{reviewed}"))
        lines += [Line(f"CSOC: {c}.", bullet=True) for c in registered.csocs]
        if registered.method == "carve-out" and not registered.csocs:
            lines.append(todo(f"the controls expected of {registered.name} (CSOCs)"))
    if lines:
        return lines
    for advice in rec.subservice if rec else ():
        lines.append(Line(f"{advice.name} ({advice.service}), {advice.method} method: {advice.why}."))
        lines += [Line(f"CSOC: {c}.", bullet=True) for c in advice.csocs]
    if not lines and profile:
        for sub in profile.subservice_organizations:
            lines.append(Line(f"{sub.name} ({sub.service}), {sub.method or 'method not chosen'}."))
            lines.append(todo(f"the controls expected of {sub.name} (CSOCs)"))
    return lines or [todo("subservice organizations, carve-out or inclusive, and their CSOCs")]


def _dc9(snapshot: ProgramSnapshot, profile: Profile | None, rec: Recommendation | None) -> list[Line]:
    return [todo("significant changes to the system during the period, or 'none'")]


Filler = Callable[[ProgramSnapshot, Profile | None, Recommendation | None], list[Line]]
FILLERS: dict[str, Filler] = {
    "DC1": _dc1,
    "DC2": _dc2,
    "DC3": _dc3,
    "DC4": _dc4,
    "DC5": _dc5,
    "DC6": _dc6,
    "DC7": _dc7,
    "DC8": _dc8,
    "DC9": _dc9,
}


def _write(paragraph: Paragraph, line: Line) -> None:
    run = paragraph.add_run(line.text)
    if line.placeholder:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        run.bold = True


def description_lines(
    snapshot: ProgramSnapshot,
    profile: Profile | None,
    rec: Recommendation | None,
    items: Sequence[DescriptionCriterion],
) -> list[tuple[DescriptionCriterion, list[Line]]]:
    """The content of each DC section, before it is laid out in Word."""
    result = []
    for item in items:
        filler = FILLERS.get(item.id)
        lines = filler(snapshot, profile, rec) if filler else [todo(f"{item.title.lower()}: {item.summary}")]
        result.append((item, lines))
    return result


def write_description(
    snapshot: ProgramSnapshot,
    path: Path,
    profile: Profile | None = None,
    recommendation: Recommendation | None = None,
) -> Path:
    """Write the draft system description docx, one heading per DC 200 item."""
    type2 = any(e.type2 for e in snapshot.engagements)
    items = [i for i in load_description_criteria() if type2 or not i.type2_only]
    document = Document()
    document.core_properties.title = f"System description - {snapshot.organization}"
    document.core_properties.author = "socready"
    document.add_heading(f"Description of the {snapshot.organization} system", level=0)
    _write(
        document.add_paragraph(),
        Line(
            "Draft generated from the readiness program. Every highlighted "
            "[TO COMPLETE] marker must be replaced before the auditor sees it.",
            placeholder=True,
        ),
    )
    for item, lines in description_lines(snapshot, profile, recommendation, items):
        document.add_heading(f"{item.id}. {item.title}", level=1)
        guide = document.add_paragraph()
        guide.add_run(item.summary).italic = True
        for line in lines:
            if line.heading:
                document.add_heading(line.text, level=2)
                continue
            _write(document.add_paragraph(style="List Bullet" if line.bullet else None), line)
    document.save(str(path))
    return path
