"""Reading an uploaded vendor report in the background, with progress.

A report may take many seconds to read (hundreds of pages, OCR of scanned ones), so the web upload only
stores the file in the blob store (hashed) with a queued row, and a task reads it in a bounded child
process (``services.read_report_file``). The file becomes evidence of the vendor's review control only
once it reads as a SOC report; until then the report cannot be reviewed. A refused file keeps its row as
a note of the reason, and the stored file is released: nothing of it is kept half-read.

The worker writes the row's heartbeat while the child reads; a read whose heartbeat went stale lost its worker
and may be taken over (the population import's pattern, ``evidence.services_population``). A task whose worker
died is queued again, or given up, by ``work.recovery``, which calls ``requeue_abandoned`` or ``fail_abandoned``.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from socready.core.errors import InputError
from socready.evidence.services import check_uploads
from socready.io.sandbox import VENDOR_REPORT_SANDBOX
from socready.storage.blobs import CorruptBlob, blob_store, copy_verified
from socready.storage.references import release_blob
from socready.storage.uploads import clean_file_name
from socready.vendors.models import ReadState, Vendor, VendorReport
from socready.vendors.services import read_report_file, store_read_report

log = logging.getLogger(__name__)

# Phases as the page shows them. The read is one call with no progress of its own, so the bar jumps between
# phases instead of pretending to know how far through the pages it is.
STORED, READING, DONE = 10, 30, 100
PHASES = {STORED: "File stored; waiting for the reader",
          READING: "Reading the report: its text, then OCR of any scanned pages of the auditor's report",
          DONE: "Read"}
FINISHED = (ReadState.READY, ReadState.FAILED)
# A read whose worker dies this many times is refused rather than taken again (the file may be what kills it).
MAX_ATTEMPTS = 3
# A queued read no worker has taken after this long suggests no worker is running.
QUEUED_TOO_LONG = dt.timedelta(seconds=30)


def phase_label(report: VendorReport) -> str:
    """What the reading is doing now, in words."""
    if report.state == ReadState.FAILED:
        return "Refused"
    return PHASES.get(report.progress, report.get_state_display())


def limit_label() -> str:
    """The wall-clock limit of one read, in words, for the page that waits on it."""
    return f"{VENDOR_REPORT_SANDBOX.seconds / 60:g} minutes"


def queue_report(vendor: Vendor, user: Any, upload: UploadedFile[bytes]) -> VendorReport:
    """Store an uploaded report's file and a queued row; the caller enqueues ``read_vendor_report``.

    Raises UploadRefused (too large) or InputError (not a PDF at all), storing nothing. Whether the PDF is a
    readable SOC report is for the background read to say.
    """
    check_uploads([upload])
    name = clean_file_name(upload.name or "report.pdf", "report.pdf")
    head = upload.read(1024)
    upload.seek(0)
    if head.find(b"%PDF-") < 0:
        # The one refusal that needs no parsing: said at once rather than after a trip through the queue.
        raise InputError("not a PDF (no PDF header)", file=name)
    blob = blob_store().put(upload.chunks(), settings.MAX_UPLOAD_BYTES)
    return VendorReport.objects.create(organization=vendor.organization, vendor=vendor, evidence=None,
                                       sha256=blob.sha256, size=blob.size, file_name=name, uploaded_by=user,
                                       state=ReadState.QUEUED, progress=STORED)


def remove_report(report: VendorReport) -> None:
    """Delete a report that holds no evidence (a refused one), then its stored file unless another row uses it."""
    if report.evidence_id is not None:
        raise ValueError("a report stored as evidence stays: it is part of the vendor's review")
    sha256 = report.sha256
    with transaction.atomic():
        report.delete()
        transaction.on_commit(lambda: release_blob(sha256))


def stale_after() -> dt.timedelta:
    """How old a heartbeat may get before its read counts as abandoned (SOCREADY_IMPORT_STALE_SECONDS)."""
    return dt.timedelta(seconds=settings.IMPORT_STALE_SECONDS)


def _abandoned(now: dt.datetime) -> Q:
    return (Q(state=ReadState.READING, heartbeat_at__lt=now - stale_after())
            | Q(state=ReadState.READING, heartbeat_at=None, created_at__lt=now - stale_after()))


def _claim(report_id: int) -> VendorReport | None:
    """Take the read for this worker, or None when it is finished or another live worker has it.

    One conditional UPDATE: of two workers given the same task only one gets it, so no report is read twice.
    """
    now = timezone.now()
    taken = VendorReport.objects.filter(Q(state=ReadState.QUEUED) | _abandoned(now), pk=report_id).update(
        state=ReadState.READING, progress=STORED, heartbeat_at=now, attempts=F("attempts") + 1)
    return VendorReport.objects.select_related("vendor", "uploaded_by").get(pk=report_id) if taken else None


def _beat(report_id: int) -> None:
    VendorReport.objects.filter(pk=report_id, state=ReadState.READING).update(heartbeat_at=timezone.now())


def _set_progress(report: VendorReport, progress: int) -> None:
    # A plain UPDATE: the audit trail gets one event for the outcome, not one per phase.
    VendorReport.objects.filter(pk=report.pk).update(progress=progress)
    report.progress = progress


def _refuse(report: VendorReport, reason: str) -> str:
    report.state, report.error = ReadState.FAILED, reason
    report.save()
    # A refused file is never reviewed; keeping it would let repeated refusals fill the disk.
    release_blob(report.sha256)
    return f"refused: {reason}"


def read_report(report_id: int) -> str:
    """Read a queued report in a bounded child process and record its facts or why it was refused.

    Returns a one-line outcome. A second call for a report already read, refused, or being read by a live
    worker does nothing.
    """
    report = _claim(report_id)
    if report is None:
        current = VendorReport.objects.filter(pk=report_id).values_list("state", flat=True).first()
        return f"nothing to do ({current or 'missing'})"
    if report.attempts > MAX_ATTEMPTS:
        return _refuse(report, f"{report.file_name}: reading stopped {MAX_ATTEMPTS} times without finishing (its "
                               "worker was stopped each time); nothing was stored")
    try:
        with tempfile.TemporaryDirectory(prefix="socready-vendor-") as folder:
            # Under its own name, so every refusal the reader gives names the file the person uploaded.
            local = copy_verified(blob_store(), report.sha256, Path(folder) / report.file_name)
            _set_progress(report, READING)
            facts = read_report_file(local, tick=lambda: _beat(report_id))
            with local.open("rb") as handle:
                store_read_report(report, facts, UploadedFile(handle, name=report.file_name,
                                                              content_type="application/pdf", size=report.size))
    except InputError as exc:
        return _refuse(report, str(exc))
    except CorruptBlob as exc:
        return _refuse(report, f"{report.file_name}: {exc}")
    except Exception:
        log.exception("reading vendor report %s failed", report_id)
        _refuse(report, f"{report.file_name}: reading stopped on an internal error; the server log has the details")
        raise
    return f"read {report.file_name}"


def can_retry(report: VendorReport, now: dt.datetime | None = None) -> bool:
    """Whether a read looks abandoned: queued with no worker taking it, or reading with a stale heartbeat."""
    now = now or timezone.now()
    if report.state == ReadState.READING:
        return now - (report.heartbeat_at or report.created_at) > stale_after()
    return report.state == ReadState.QUEUED and now - report.created_at > QUEUED_TOO_LONG


def requeue(report: VendorReport) -> None:
    """Put an abandoned read back in the queue; the caller enqueues its task again."""
    VendorReport.objects.filter(pk=report.pk, state__in=(ReadState.QUEUED, ReadState.READING)).update(
        state=ReadState.QUEUED, progress=STORED)
    report.refresh_from_db()


def requeue_abandoned(report_id: int) -> None:
    """Show a read queued again: the worker reading it died and its task goes back to the queue."""
    VendorReport.objects.filter(pk=report_id, state=ReadState.READING).update(state=ReadState.QUEUED,
                                                                               progress=STORED)


def fail_abandoned(report_id: int, reason: str) -> None:
    """Refuse a read that did not finish (its task was given up, or ended on an error), saying why."""
    report = VendorReport.objects.filter(pk=report_id).exclude(state__in=FINISHED).first()
    if report is not None:
        _refuse(report, f"{report.file_name}: {reason}")
