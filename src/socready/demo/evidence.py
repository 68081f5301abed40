"""Evidence for the demo organization: months of it for running controls, a gap or two, a reviewed PBC list."""

from __future__ import annotations

import datetime as dt
import itertools
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from socready.accounts.models import Membership, Organization, Role
from socready.core.sampling.draw import Frequency, Risk, parse_frequency
from socready.core.window import Window, expected_periods
from socready.evidence.models import (
    EvidenceKind,
    EvidencePurpose,
    EvidenceRequest,
    ImportState,
    PopulationKind,
    RequestStatus,
)
from socready.evidence.services import Content, add_evidence, generate_requests, review_request
from socready.evidence.services_population import create_population, draw, record_test, run_import, store_upload
from socready.programs.models import Control, ControlStatus

RUNNING = (ControlStatus.OPERATING, ControlStatus.IMPLEMENTED)
# Every fifth running control misses its second period, so the timeline and readiness show real gaps.
GAP_EVERY = 5
# The library control the demo's change population belongs to: changes approved before production.
CHANGE_CONTROL = "CHG-01"
# Demo requests fall due from two weeks into the window to its end, each on a Friday.
FIRST_DUE_AFTER = dt.timedelta(days=14)


def _content(kind: str, control: Control, day: dt.date) -> Content:
    if kind == EvidenceKind.FILE:
        body = f"{control.code} {control.title}\nperformed {day.isoformat()}\nreviewer sign-off: yes\n"
        return Content(upload=SimpleUploadedFile(f"{control.code.lower()}-{day.isoformat()}.txt", body.encode(),
                                                 content_type="text/plain"))
    return Content(text=f"{control.title}: performed on {day.isoformat()}; exceptions: none.")


def populate_evidence(org: Organization, today: dt.date) -> None:
    """Add evidence for the demo's running controls over the Type II window so far, with its PBC list, a
    population of changes and a tested sample."""
    engagement = org.engagements.filter(report_type="type2").order_by("id").first()
    collectors = [m.user for m in Membership.objects.filter(organization=org).exclude(role=Role.AUDITOR)
                  .select_related("user").order_by("id")]
    if engagement is None or not engagement.period_start or not engagement.period_end or not collectors:
        return
    window = Window(engagement.period_start, min(engagement.period_end, today))
    generate_requests(org)
    _plan_requests(org, engagement.period_start, engagement.period_end)
    # Each control's evidence answers the first request on its PBC lines, as a team filing it would.
    request_of: dict[int, EvidenceRequest] = {}
    links = EvidenceRequest.controls.through.objects.filter(evidencerequest__organization=org).select_related(
        "evidencerequest").order_by("evidencerequest__code")
    for link in links:
        request_of.setdefault(link.control_id, link.evidencerequest)
    running = Control.objects.filter(organization=org, status__in=RUNNING).order_by("code")
    people = itertools.cycle(collectors)
    for index, control in enumerate(running):
        try:
            periods = expected_periods(parse_frequency(control.frequency), window)
        except ValueError:
            continue
        for number, period in enumerate(periods):  # every period of the window begun by today
            if index % GAP_EVERY == 0 and number == 1:
                continue
            day = min(period.end, today)
            kind = EvidenceKind.FILE if number == 0 else EvidenceKind.NOTE
            add_evidence(org, next(people), kind=kind, title=f"{control.title} ({period.label})",
                         effective_date=day, controls=[control], content=_content(kind, control, day),
                         request=request_of.get(control.pk), purpose=EvidencePurpose.OPERATING)
    auditor = Membership.objects.filter(organization=org, role=Role.AUDITOR).select_related("user").first()
    if auditor is None:
        return
    requests = EvidenceRequest.objects.filter(organization=org, controls__status=ControlStatus.OPERATING).distinct()
    for position, request in enumerate(requests.filter(status=RequestStatus.PROVIDED).order_by("code")[:6]):
        verdict = RequestStatus.FLAGGED if position == 2 else RequestStatus.ACCEPTED
        review_request(request, auditor.user, Role.AUDITOR, status=verdict,
                       text="The reviewer's sign-off is not dated." if verdict == RequestStatus.FLAGGED else "")
    _change_sample(org, today, collectors[0])


def _plan_requests(org: Organization, start: dt.date, end: dt.date) -> None:
    """Give every request a due date inside the window and its first control's owner as assignee.

    Dates follow from each request's code, so a rebuilt demo plans the same days, scattered over the
    window rather than in code order.
    """
    first = start + FIRST_DUE_AFTER
    days = max((end - first).days, 0) + 1
    for request in EvidenceRequest.objects.filter(organization=org).prefetch_related("controls__owner"):
        day = first + dt.timedelta(days=zlib.crc32(request.code.encode()) % days)
        friday = day - dt.timedelta(days=(day.weekday() - 4) % 7)
        owners = [c.owner for c in sorted(request.controls.all(), key=lambda c: c.code) if c.owner]
        request.due_date = max(friday, start)
        request.assignee = owners[0] if owners else None
        request.save(update_fields=["due_date", "assignee"])


def _change_sample(org: Organization, today: dt.date, person: Any) -> None:
    """Import a population of production changes for the change-approval control under a Type II engagement
    it serves, draw its sample and test it, one late approval included."""
    control = Control.objects.filter(organization=org, library_id=CHANGE_CONTROL, status__in=RUNNING).first()
    engagement = (control.engagements.filter(report_type="type2", period_start__isnull=False,
                                             period_end__isnull=False, period_start__lte=today)
                  .order_by("id").first() if control else None)
    if control is None or engagement is None or engagement.period_start is None or engagement.period_end is None:
        return
    window = Window(engagement.period_start, min(engagement.period_end, today))
    if window.days < 2:
        return
    lines = ["change_id,deployed_on,approver"]
    for number in range(120):
        day = window.start + dt.timedelta(days=number * (window.days - 1) // 120)
        lines.append(f"CHG-{1000 + number},{day.isoformat()},{('alex', 'sam', 'kim')[number % 3]}")
    content = ("\n".join(lines) + "\n").encode()
    blob = store_upload([content])
    population = create_population(control=control, engagement=engagement, kind=PopulationKind.CHANGES,
                                   source_name="production-changes.csv", blob=blob, id_column="change_id",
                                   date_column="deployed_on", attribute_columns=["approver"], user=person)
    if run_import(population.pk) != ImportState.DONE:
        return
    population.refresh_from_db()
    attributes = list(control.type2_attributes) or ["approved before deployment", "tested before deployment"]
    sample = draw(population, frequency=Frequency.PER_EVENT, risk=Risk.MODERATE, seed=20260901,
                  spread_months=False, attributes=attributes, user=person)
    # The fourth change was approved after it went out: the attribute about the approval's timing fails.
    late = next((name for name in attributes if "before deployment" in name), attributes[0])
    for position, item in enumerate(sample.items[:10]):
        results = {name: not (position == 3 and name == late) for name in attributes}
        note = "Approved in the ticket two days after deployment." if position == 3 else ""
        record_test(sample, item["id"], results, note, None, person)
