"""OSCAL JSON: the organization's control set as an OSCAL catalog, each engagement as an assessment plan.

Identifiers are UUID v5 derived from the organization and the object, so exporting twice gives the
same document apart from the timestamp; auditors can diff two exports.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from socready.core.readiness.snapshot import ControlState, Engagement, ProgramSnapshot

OSCAL_VERSION = "1.2.1"
NAMESPACE = "https://socready.dev/ns/oscal"
_UUID_ROOT = uuid.UUID("6f1b2a8e-58a4-4cbd-9f0e-0c5f4a1d2e77")


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_UUID_ROOT, "/".join(parts)))


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": NAMESPACE, "value": value}


def _stamp(now: dt.datetime | None) -> str:
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _metadata(title: str, now: dt.datetime | None, remarks: str) -> dict[str, Any]:
    return {
        "title": title,
        "last-modified": _stamp(now),
        "version": "1.0",
        "oscal-version": OSCAL_VERSION,
        "remarks": remarks,
    }


def control_id(state: ControlState) -> str:
    """The OSCAL id of a control: its own id in lower case (OSCAL ids are tokens such as iam-01)."""
    return state.id.lower()


def _control(state: ControlState) -> dict[str, Any]:
    control = state.control
    props = [
        _prop("frequency", control.frequency),
        _prop("nature", control.nature),
        _prop("kind", control.kind),
        _prop("owner-role", control.owner_role),
        _prop("status", state.status),
    ]
    if state.owner:
        props.append(_prop("owner", state.owner))
    props += [_prop("soc2-criterion", c) for c in control.criteria]
    props += [_prop("soc1-objective", o) for o in control.objectives]
    if state.na_reason:
        props.append(_prop("not-applicable-reason", state.na_reason))
    oid = control_id(state)
    parts = [
        {"id": f"{oid}_smt", "name": "statement", "prose": control.description},
        {
            "id": f"{oid}_design",
            "name": "assessment-method",
            "ns": NAMESPACE,
            "title": "Type I test",
            "prose": control.type1_test,
        },
        {
            "id": f"{oid}_operation",
            "name": "assessment-method",
            "ns": NAMESPACE,
            "title": "Type II attributes",
            "prose": "\n".join(f"- {a}" for a in control.type2_attributes),
        },
    ]
    parts += [
        {
            "id": f"{oid}_{e.id.lower()}",
            "name": "evidence-request",
            "ns": NAMESPACE,
            "title": e.name,
            "prose": e.shows,
        }
        for e in control.evidence
    ]
    return {"id": oid, "title": control.title, "props": props, "parts": parts}


def catalog_document(snapshot: ProgramSnapshot, now: dt.datetime | None = None) -> dict[str, Any]:
    """The control set as an OSCAL catalog document (a dict ready for json.dump)."""
    groups: dict[str, list[ControlState]] = {}
    for state in snapshot.controls:
        groups.setdefault(state.control.family, []).append(state)
    catalog = {
        "uuid": _uuid(snapshot.organization, "catalog"),
        "metadata": _metadata(
            f"Control set of {snapshot.organization}",
            now,
            "Controls mapped to SOC 2 criteria and SOC 1 objectives, exported by socready.",
        ),
        "groups": [
            {"id": f"grp-{index + 1}", "title": family, "controls": [_control(s) for s in members]}
            for index, (family, members) in enumerate(groups.items())
        ],
    }
    return {"catalog": catalog}


def _timing(engagement: Engagement) -> dict[str, Any]:
    if engagement.type2 and engagement.period_start and engagement.period_end:
        return {
            "within-date-range": {
                "start": f"{engagement.period_start.isoformat()}T00:00:00Z",
                "end": f"{engagement.period_end.isoformat()}T23:59:59Z",
            }
        }
    day = engagement.as_of or dt.date.today()
    return {"on-date": {"date": f"{day.isoformat()}T00:00:00Z"}}


def assessment_plan_document(
    snapshot: ProgramSnapshot, engagement_id: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    """One engagement as an OSCAL assessment plan: the controls it reviews, its scope and its timing."""
    engagement = snapshot.engagement(engagement_id)
    serving = snapshot.serving(engagement)
    scope = (
        (", ".join(engagement.categories) or "Security")
        if engagement.report == "soc2"
        else ", ".join(engagement.objectives)
    )
    when = (
        f"{engagement.period_start} to {engagement.period_end}"
        if engagement.type2
        else f"as of {engagement.as_of}"
    )
    plan: dict[str, Any] = {
        "uuid": _uuid(snapshot.organization, "plan", engagement.id),
        "metadata": _metadata(
            f"{engagement.label} assessment plan for {snapshot.organization}",
            now,
            f"Engagement {engagement.id}, {when}.",
        ),
        "import-ssp": {"href": f"urn:socready:{_uuid(snapshot.organization, 'system')}"},
        "terms-and-conditions": {
            "parts": [
                {
                    "name": "scope",
                    "ns": NAMESPACE,
                    "title": "Scope",
                    "prose": f"{engagement.label}, {when}. In scope: {scope}.",
                },
            ]
        },
        "reviewed-controls": {
            "description": f"Controls that serve the {engagement.label}.",
            "control-selections": [
                {"include-controls": [{"control-id": control_id(s)} for s in serving]}
                if serving
                else {"include-all": {}}
            ],
        },
        "tasks": [
            {
                "uuid": _uuid(snapshot.organization, "task", engagement.id),
                "type": "milestone",
                "title": "Observation window" if engagement.type2 else "As-of date",
                "timing": _timing(engagement),
            }
        ],
    }
    if engagement.auditor:
        plan["metadata"]["parties"] = [
            {
                "uuid": _uuid(snapshot.organization, "auditor", engagement.auditor),
                "type": "organization",
                "name": engagement.auditor,
            }
        ]
    return {"assessment-plan": plan}


def _dump(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def write_oscal(snapshot: ProgramSnapshot, directory: Path, now: dt.datetime | None = None) -> list[Path]:
    """Write catalog.json and one assessment-plan-<engagement>.json per engagement into a folder."""
    directory.mkdir(parents=True, exist_ok=True)
    written = [_dump(catalog_document(snapshot, now), directory / "catalog.json")]
    for engagement in snapshot.engagements:
        written.append(
            _dump(
                assessment_plan_document(snapshot, engagement.id, now),
                directory / f"assessment-plan-{engagement.id}.json",
            )
        )
    return written
