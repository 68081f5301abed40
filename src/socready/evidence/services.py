"""Evidence items and their revisions, and the PBC list: the rules the evidence screens rely on.

An item is created with its first revision in one transaction, so a refused upload leaves nothing
behind. Later content goes into new revisions; deleting only marks the item, so its history and the
audit trail stay whole.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from socready.accounts.models import Organization, Role
from socready.core.canonical import canonical_json
from socready.core.terms import default_evidence_purpose
from socready.evidence.models import (
    EvidenceItem,
    EvidenceKind,
    EvidencePurpose,
    EvidenceRequest,
    EvidenceRevision,
    ImportState,
    Population,
    RequestComment,
    RequestStatus,
)
from socready.programs.models import Control, Engagement
from socready.storage.blobs import UploadRefused, blob_store
from socready.storage.uploads import check_upload_limits, clean_file_name

MAX_RESULT_CHARS = 1_000_000


def check_uploads(files: Sequence[UploadedFile[bytes]]) -> None:
    """The upload limits, and no empty file: an item of evidence with no content proves nothing."""
    check_upload_limits(files)
    for upload in files:
        if not upload.size:
            raise UploadRefused(f"{clean_file_name(upload.name or '')}: the file is empty")


def parse_result(text: str) -> Any:
    """Read an automated result as JSON; raise ValueError naming the line and column of a syntax error."""
    if len(text) > MAX_RESULT_CHARS:
        raise ValueError(f"the result is longer than {MAX_RESULT_CHARS:,} characters")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


@dataclass(frozen=True)
class Content:
    """What one revision holds: exactly one of a file, a link, a note or a JSON result."""

    upload: UploadedFile[bytes] | None = None
    url: str = ""
    text: str = ""
    result: Any = None
    result_name: str = "result.json"  # the file name a JSON result is stored and exported under


def _revision(item: EvidenceItem, content: Content, user: Any, note: str) -> EvidenceRevision:
    number = (item.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = EvidenceRevision(item=item, number=number, created_by=user, change_note=note[:300])
    if item.kind == EvidenceKind.FILE:
        if content.upload is None:
            raise UploadRefused("choose a file to upload")
        blob = blob_store().put(content.upload.chunks(), settings.MAX_UPLOAD_BYTES)
        revision.sha256, revision.size = blob.sha256, blob.size
        revision.file_name = clean_file_name(content.upload.name or "")
        revision.content_type = (content.upload.content_type or "application/octet-stream")[:100]
    elif item.kind == EvidenceKind.LINK:
        revision.url = content.url
    elif item.kind == EvidenceKind.NOTE:
        revision.text = content.text
    else:
        # The result is also kept as a file (its canonical JSON, hashed like an upload), so downloads,
        # backups and the auditor's bundle carry it exactly as stored.
        revision.result = content.result
        data = canonical_json(content.result)
        blob = blob_store().put([data], len(data))
        revision.sha256, revision.size = blob.sha256, blob.size
        revision.file_name = clean_file_name(content.result_name or "result.json", "result.json")
        revision.content_type = "application/json"
    revision.save()
    item.current = revision
    item.save(update_fields=["current"])
    return revision


def add_evidence(org: Organization, user: Any, *, kind: str, title: str, effective_date: dt.date,
                 controls: Iterable[Control], content: Content, period_end: dt.date | None = None,
                 description: str = "", request: EvidenceRequest | None = None, purpose: str = "") -> EvidenceItem:
    """Create an item with its first revision, linked to the given controls (all of this organization).

    ``purpose`` is design or operating; left empty it follows the kind and whether the item covers a period.
    """
    purpose = purpose or default_evidence_purpose(kind, period_end is not None).value
    if purpose not in EvidencePurpose.values:
        raise ValueError(f"purpose must be one of: {', '.join(EvidencePurpose.values)}")
    chosen = list(controls)
    if not chosen:
        raise ValueError("link the evidence to at least one control")
    if any(c.organization_id != org.pk for c in chosen):
        raise ValueError("a control of another organization was given")
    if request is not None and request.organization_id != org.pk:
        raise ValueError("a request of another organization was given")
    if period_end is not None and period_end < effective_date:
        raise ValueError("the covered period ends before it starts")
    with transaction.atomic():
        item = EvidenceItem.objects.create(organization=org, kind=kind, purpose=purpose, title=title[:300],
                                           description=description,
                                           effective_date=effective_date, period_end=period_end, collector=user,
                                           request=request)
        item.controls.set(chosen)
        _revision(item, content, user, "first version")
        if request is not None and request.status in (RequestStatus.REQUESTED, RequestStatus.FLAGGED,
                                                      RequestStatus.WITHDRAWN):
            request.status = RequestStatus.PROVIDED
            request.save(update_fields=["status"])
    return item


def add_revision(item: EvidenceItem, user: Any, content: Content, note: str = "") -> EvidenceRevision:
    """Store new content for an item; earlier revisions stay and can still be downloaded."""
    if item.deleted_at is not None:
        raise ValueError("this evidence was deleted")
    with transaction.atomic():
        return _revision(item, content, user, note or "new version")


def withdraws_acceptance(item: EvidenceItem) -> EvidenceRequest | None:
    """The accepted request that deleting ``item`` would leave without evidence, if any."""
    request = item.request
    if request is None or request.status != RequestStatus.ACCEPTED:
        return None
    others = request.evidence_items.filter(deleted_at__isnull=True).exclude(pk=item.pk)
    return None if others.exists() else request


def soft_delete(item: EvidenceItem, user: Any = None) -> EvidenceRequest | None:
    """Hide an item from the program; its revisions and files stay for the audit trail.

    When it was the only evidence behind an accepted request, the request is reopened as "evidence withdrawn"
    with a comment saying why, so the auditor sees the acceptance no longer stands. Returns that request.
    """
    if item.deleted_at is not None:
        return None
    with transaction.atomic():
        reopened = withdraws_acceptance(item)
        item.deleted_at = timezone.now()
        item.save(update_fields=["deleted_at"])
        if reopened is not None:
            reopened.status = RequestStatus.WITHDRAWN
            reopened.save(update_fields=["status"])
            RequestComment.objects.create(
                request=reopened, author=user, status_set=RequestStatus.WITHDRAWN,
                text=f"Evidence withdrawn: '{item.title}' was deleted, and it was the only evidence behind the "
                     f"acceptance. The request needs evidence again.")
    return reopened


def live_evidence(org: Organization) -> QuerySet[EvidenceItem]:
    """The organization's evidence that is not deleted, with what the lists show."""
    return (EvidenceItem.objects.filter(organization=org, deleted_at__isnull=True)
            .select_related("current", "collector", "request")
            .prefetch_related(Prefetch("controls", Control.objects.only("id", "code"))))


def evidence_for_engagement(engagement: Engagement) -> QuerySet[EvidenceItem]:
    """Evidence of the controls serving an engagement; a shared control's items show under each engagement."""
    return live_evidence(engagement.organization).filter(controls__engagements=engagement).distinct()


# ---- The PBC list -------------------------------------------------------------------------------------

def generate_requests(org: Organization) -> tuple[int, int]:
    """Create or refresh one request per evidence request of the controls serving the engagements.

    A request asked by several controls or engagements is listed once and linked to all of them. Returns
    (created, updated). Requests of controls no longer in scope are kept: the auditor may have commented.
    """
    wanted: dict[str, dict[str, Any]] = {}
    controls = (Control.objects.filter(organization=org, not_applicable=False)
                .prefetch_related("engagements").order_by("code"))
    for control in controls:
        engagements = list(control.engagements.all())
        if not engagements:
            continue
        for entry in control.evidence_requests:
            code = str(entry.get("id") or f"{control.code}-evidence")
            slot = wanted.setdefault(code, {"title": str(entry.get("name") or code),
                                            "shows": str(entry.get("shows", "")), "controls": set(),
                                            "engagements": set()})
            slot["controls"].add(control.pk)
            slot["engagements"].update(e.pk for e in engagements)
    created = updated = 0
    with transaction.atomic():
        existing = {r.code: r for r in EvidenceRequest.objects.filter(organization=org)
                    .prefetch_related("controls", "engagements")}
        for code, slot in wanted.items():
            request = existing.get(code)
            if request is None:
                request = EvidenceRequest.objects.create(organization=org, code=code, title=slot["title"][:300],
                                                         shows=slot["shows"])
                created += 1
            elif ({c.pk for c in request.controls.all()} == slot["controls"]
                  and {e.pk for e in request.engagements.all()} == slot["engagements"]):
                continue
            else:
                updated += 1
            request.controls.set(slot["controls"])
            request.engagements.set(slot["engagements"])
    return created, updated


class ReviewRefused(PermissionError):
    """A status change the member's role may not make."""


AUDITOR_STATUSES = (RequestStatus.ACCEPTED, RequestStatus.FLAGGED)
TEAM_STATUSES = (RequestStatus.REQUESTED, RequestStatus.PROVIDED)


def allowed_statuses(role: str) -> tuple[str, ...]:
    """The statuses a role may set: the auditor judges (accept, flag); the team provides."""
    if role == Role.AUDITOR:
        return tuple(AUDITOR_STATUSES)
    if role in (Role.OWNER, Role.ADMIN, Role.CONTRIBUTOR):
        return tuple(TEAM_STATUSES)
    return ()


def review_request(request: EvidenceRequest, user: Any, role: str, *, status: str = "", text: str = "") -> None:
    """Comment on a request and optionally change its status, within what the role allows."""
    text = text.strip()
    if status and status not in allowed_statuses(role):
        raise ReviewRefused(f"a {role} cannot set a request to {status}")
    if status == RequestStatus.FLAGGED and not text:
        raise ValueError("say what is wrong when flagging a request")
    if not status and not text:
        raise ValueError("write a comment or choose a status")
    with transaction.atomic():
        if status and status != request.status:
            request.status = status
            request.save(update_fields=["status"])
        RequestComment.objects.create(request=request, author=user, text=text or f"set to {status}",
                                      status_set=status)


@dataclass(frozen=True)
class EvidenceFigures:
    """What the dashboard shows of evidence: live items, PBC lines by status, populations imported."""

    items: int
    requests: dict[str, int]
    populations: int

    @property
    def requests_total(self) -> int:
        return sum(self.requests.values())


def evidence_figures(org: Organization) -> EvidenceFigures:
    """Count the organization's evidence, PBC lines by status and imported populations in one query."""
    def counted(queryset: QuerySet[Any]) -> Any:
        return Coalesce(Subquery(queryset.values("organization").annotate(n=Count("id")).values("n")[:1]), 0)

    live = EvidenceItem.objects.filter(organization=OuterRef("pk"), deleted_at__isnull=True)
    done = Population.objects.filter(organization=OuterRef("pk"), state=ImportState.DONE)
    # Names that cannot clash with the organization's own fields and relations.
    per_status = {f"n_{status}": Count("evidence_requests", filter=Q(evidence_requests__status=status))
                  for status in RequestStatus.values}
    row = (Organization.objects.filter(pk=org.pk)
           .annotate(n_items=counted(live), n_populations=counted(done), **per_status)
           .values("n_items", "n_populations", *per_status).get())
    return EvidenceFigures(items=row["n_items"], populations=row["n_populations"],
                           requests={status: row[f"n_{status}"] for status in RequestStatus.values})
