"""Evidence for the demo organization: months of it for running controls, a gap or two, a reviewed PBC list."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from socready.accounts.models import Membership, Organization, Role
from socready.core.sampling import parse_frequency
from socready.core.window import Window, expected_periods
from socready.evidence.models import EvidenceKind, EvidenceRequest, RequestStatus
from socready.evidence.services import Content, add_evidence, generate_requests, review_request
from socready.programs.models import Control, ControlStatus

RUNNING = (ControlStatus.OPERATING, ControlStatus.IMPLEMENTED)
# Every fifth running control misses its second period, so the timeline and readiness show real gaps.
GAP_EVERY = 5


def _content(kind: str, control: Control, day: dt.date) -> Content:
    if kind == EvidenceKind.FILE:
        body = f"{control.code} {control.title}\nperformed {day.isoformat()}\nreviewer sign-off: yes\n"
        return Content(upload=SimpleUploadedFile(f"{control.code.lower()}-{day.isoformat()}.txt", body.encode(),
                                                 content_type="text/plain"))
    return Content(text=f"{control.title}: performed on {day.isoformat()}; exceptions: none.")


def populate_evidence(org: Organization, today: dt.date) -> None:
    """Add evidence for the demo's running controls over the Type II window so far, then build the PBC list."""
    engagement = org.engagements.filter(report_type="type2").order_by("id").first()
    collectors = [m.user for m in Membership.objects.filter(organization=org).exclude(role=Role.AUDITOR)
                  .select_related("user").order_by("id")]
    if engagement is None or not engagement.period_start or not engagement.period_end or not collectors:
        return
    window = Window(engagement.period_start, min(engagement.period_end, today))
    running = Control.objects.filter(organization=org, status__in=RUNNING).order_by("code")
    people = itertools.cycle(collectors)
    for index, control in enumerate(running):
        try:
            periods = expected_periods(parse_frequency(control.frequency), window)
        except ValueError:
            continue
        for number, period in enumerate(periods[:8]):  # a weekly control needs no 26 demo rows
            if index % GAP_EVERY == 0 and number == 1:
                continue
            day = min(period.end, today)
            kind = EvidenceKind.FILE if number == 0 else EvidenceKind.NOTE
            add_evidence(org, next(people), kind=kind, title=f"{control.title} ({period.label})",
                         effective_date=day, controls=[control], content=_content(kind, control, day))
    generate_requests(org)
    auditor = Membership.objects.filter(organization=org, role=Role.AUDITOR).select_related("user").first()
    if auditor is None:
        return
    requests = EvidenceRequest.objects.filter(organization=org, controls__status=ControlStatus.OPERATING).distinct()
    for position, request in enumerate(requests.order_by("code")[:6]):
        review_request(request, collectors[0], Role.OWNER, status=RequestStatus.PROVIDED, text="Uploaded.")
        verdict = RequestStatus.FLAGGED if position == 2 else RequestStatus.ACCEPTED
        review_request(request, auditor.user, Role.AUDITOR, status=verdict,
                       text="The reviewer's sign-off is not dated." if verdict == RequestStatus.FLAGGED else "")
