"""The vendor register's rules: a report read in a bounded child process before its evidence is stored, the
review turning its facts into our program (CUECs as controls or tasks, risks, the annual review control), and
how its period covers our engagements."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socready.accounts.models import Organization
from socready.core.errors import InputError
from socready.core.readiness.snapshot import SubserviceOrganization
from socready.core.vendors.coverage import Coverage, ReportPeriod, coverage
from socready.core.vendors.cuecs import (
    CONTROL,
    NOT_APPLICABLE,
    TASK,
    CuecChoice,
    CuecSuggestion,
    choices_for,
    suggest_cuec_controls,
)
from socready.core.vendors.facts import Located, ReportFacts, facts_from_dict
from socready.evidence.models import EvidenceKind
from socready.evidence.services import Content, add_evidence, check_uploads
from socready.io.sandbox import VENDOR_REPORT_SANDBOX, Tick, run_bounded_ticking
from socready.io.socreport.reader import read_soc_report
from socready.programs.models import Control, Engagement, RemediationTask
from socready.storage.blobs import CorruptBlob
from socready.storage.uploads import clean_file_name
from socready.vendors.models import ReadState, ReviewStatus, Vendor, VendorCuec, VendorReport, VendorRisk

MODIFIED_OPINIONS = ("qualified", "adverse", "disclaimer")
VENDOR_RISK_CRITERIA = ["CC9.2"]  # vendor and business partner risk is assessed and managed


def review_control(vendor: Vendor) -> Control:
    """The vendor's scheduled review control (created once): its report is read and concluded on every period."""
    if vendor.review_control_id:
        found = Control.objects.filter(pk=vendor.review_control_id).first()
        if found is not None:
            return found
    code = f"VEN-{vendor.pk}"
    months = vendor.review_months
    control, _ = Control.objects.get_or_create(
        organization=vendor.organization, code=code,
        defaults={"title": f"Review of {vendor.name}'s SOC report"[:300],
                  "description": (f"Every {months} months the owner obtains {vendor.name}'s latest SOC report, checks "
                                  "its period, opinion, exceptions and CUECs, and records a conclusion in socready."),
                  "family": "Vendor management", "frequency": "annual" if months >= 12 else "quarterly",
                  "nature": "detective", "kind": "manual", "criteria": VENDOR_RISK_CRITERIA,
                  "owner": vendor.owner,
                  "evidence_requests": [{"id": f"{code}-report", "name": f"{vendor.name} SOC report and its review",
                                         "shows": "the report reviewed in the period and the recorded conclusion"}]})
    control.engagements.set(Engagement.objects.filter(organization=vendor.organization))
    vendor.review_control = control
    vendor.save(update_fields=["review_control"])
    return control


def _spooled(upload: UploadedFile[bytes], folder: Path) -> Path:
    target = folder / clean_file_name(upload.name or "report.pdf", "report.pdf")
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    upload.seek(0)
    return target


def read_report_file(path: Path, tick: Tick | None = None) -> ReportFacts:
    """The facts of the report at ``path``, read in a child process held to VENDOR_REPORT_SANDBOX.

    A stranger's PDF (and the OCR of its scanned pages) is parsed where it can be stopped: a file that loops
    the parser or balloons its memory is refused with an InputError naming the file and the limit, like a
    file that is not a SOC report. ``tick`` is called every few seconds meanwhile (a worker's heartbeat).
    """
    return run_bounded_ticking(tick, read_soc_report, path.name, VENDOR_REPORT_SANDBOX, path)


def store_read_report(report: VendorReport, facts: ReportFacts, upload: UploadedFile[bytes]) -> VendorReport:
    """Make the evidence item of a report whose file read as a SOC report, and record the facts on the row.

    ``upload`` is the same file (its hash is checked against the row's). One transaction: either the report
    is read, with its evidence, or nothing changed.
    """
    vendor = report.vendor
    control = review_control(vendor)
    with transaction.atomic():
        item = add_evidence(vendor.organization, report.uploaded_by, kind=EvidenceKind.FILE,
                            title=f"{vendor.name} SOC report: {report.file_name}", effective_date=timezone.localdate(),
                            controls=[control], content=Content(upload=upload),
                            description="Vendor SOC report uploaded for review.")
        assert item.current is not None
        if item.current.sha256 != report.sha256:
            raise CorruptBlob(f"{report.file_name}: the stored file no longer matches the SHA-256 recorded at upload")
        report.evidence, report.size = item, item.current.size
        report.read_facts = report.facts = facts.to_dict()
        report.state, report.progress, report.error = ReadState.READY, 100, ""
        report.save()
    return report


def upload_report(vendor: Vendor, user: Any, upload: UploadedFile[bytes]) -> VendorReport:
    """Read an uploaded report at once, then store it as evidence of the vendor's review control with its facts
    (the CLI and the demo; the web queues the reading, ``services_reading``).

    The file is read in full first, in a bounded child process: a file that is not a readable SOC report, or
    that passes a limit, raises InputError (naming the file) and nothing is stored.
    """
    check_uploads([upload])
    name = clean_file_name(upload.name or "report.pdf", "report.pdf")
    with tempfile.TemporaryDirectory(prefix="socready-vendor-") as folder:
        facts = read_report_file(_spooled(upload, Path(folder)))
    report = VendorReport(organization=vendor.organization, vendor=vendor, file_name=name, uploaded_by=user,
                          sha256=_sha256(upload))
    return store_read_report(report, facts, upload)


def _sha256(upload: UploadedFile[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _source(report: VendorReport, facts: ReportFacts) -> str:
    kind = " ".join(x for x in (facts.report, facts.type) if x) or "SOC report"
    when = (f"{facts.period_start} to {facts.period_end}" if facts.period_start and facts.period_end
            else f"as of {facts.as_of}" if facts.as_of else "dates not stated")
    return f"{report.vendor.name} {kind} ({when}), file {report.file_name}"


def _cuec_control(report: VendorReport, cuec: Located, number: int, suggestion: CuecSuggestion,
                  source: str) -> Control:
    code = f"VEN-{report.vendor_id}-CUEC-{report.pk}-{number}"
    control, _ = Control.objects.update_or_create(
        organization=report.organization, code=code,
        defaults={"title": suggestion.title[:300],
                  "description": f"{cuec.text}\n\nSource: CUEC {number} of {source}"
                                 + (f", page {cuec.page}." if cuec.page else "."),
                  "family": "Vendor CUECs", "frequency": "annual", "kind": "manual",
                  "criteria": list(suggestion.criteria), "owner": report.vendor.owner,
                  "not_applicable": False, "not_applicable_reason": "",
                  "evidence_requests": [{"id": f"{code}-evidence", "name": f"Operation of {suggestion.title}"[:300],
                                         "shows": f"that we operate CUEC {number} of {report.vendor.name}"}]})
    control.engagements.set(Engagement.objects.filter(organization=report.organization))
    return control


def _cuec_task(report: VendorReport, cuec: Located, number: int, suggestion: CuecSuggestion, source: str,
               user: Any) -> RemediationTask:
    criteria = ", ".join(suggestion.criteria) or "none suggested"
    return RemediationTask.objects.create(
        organization=report.organization, title=f"CUEC {number} of {report.vendor.name}: {suggestion.title}"[:300],
        control=report.vendor.review_control, owner=report.vendor.owner or user,
        due_date=timezone.localdate() + dt.timedelta(days=30),
        notes=(f"{cuec.text}\n\nSource: CUEC {number} of {source}" + (f", page {cuec.page}." if cuec.page else ".")
               + f"\nCriteria it serves: {criteria}. Do it once and keep the record as evidence of the vendor's "
               "review control."))


def _retire_cuec_controls(report: VendorReport, keep: set[int]) -> None:
    """A CUEC control of an earlier review whose CUEC is now a task or not applicable is marked not applicable."""
    for control in (Control.objects.filter(organization=report.organization,
                                           code__startswith=f"VEN-{report.vendor_id}-CUEC-{report.pk}-")
                    .exclude(pk__in=keep).filter(not_applicable=False)):
        control.not_applicable = True
        control.not_applicable_reason = (f"The reviewer of {report.file_name} no longer answers this CUEC with a "
                                         "control.")
        control.save()


def _cuec_items(report: VendorReport, facts: ReportFacts, choices: Sequence[CuecChoice], user: Any) -> list[VendorCuec]:
    source = _source(report, facts)
    suggestions = suggest_cuec_controls([c.text for c in facts.cuecs], source)
    made = []
    for number, (cuec, suggestion, choice) in enumerate(zip(facts.cuecs, suggestions, choices, strict=True), start=1):
        control = _cuec_control(report, cuec, number, suggestion, source) if choice.treatment == CONTROL else None
        task = _cuec_task(report, cuec, number, suggestion, source, user) if choice.treatment == TASK else None
        made.append(VendorCuec.objects.create(
            organization=report.organization, report=report, number=number, text=cuec.text, page=cuec.page,
            treatment=choice.treatment, reason=choice.reason.strip() if choice.treatment == NOT_APPLICABLE else "",
            control=control, task=task))
    _retire_cuec_controls(report, {m.control_id for m in made if m.control_id})
    return made


def _risks(report: VendorReport, facts: ReportFacts, user: Any) -> list[VendorRisk]:
    reasons = []
    if facts.opinion in MODIFIED_OPINIONS:
        reasons.append(f"The auditor's opinion is {facts.opinion}"
                       + (f" (page {facts.fact_pages['opinion']})." if "opinion" in facts.fact_pages else "."))
    reasons += [f"Exception in the tests: {e.text}" + (f" (page {e.page})" if e.page else "") for e in facts.exceptions]
    risks = []
    for reason in reasons:
        task = RemediationTask.objects.create(
            organization=report.organization, title=f"Follow up {report.vendor.name}: {reason}"[:300],
            control=report.vendor.review_control, owner=report.vendor.owner or user,
            due_date=timezone.localdate() + dt.timedelta(days=30),
            notes="Ask the vendor how it was remediated, and decide whether our own controls compensate.")
        risks.append(VendorRisk.objects.create(organization=report.organization, vendor=report.vendor, report=report,
                                               reason=reason, task=task))
    return risks


def confirm_review(report: VendorReport, user: Any, facts: ReportFacts, conclusion: str, note: str,
                   cuec_choices: dict[int, CuecChoice] | None = None) -> None:
    """Record the reviewer's facts and conclusion; a modified opinion or an exception raises a risk with a
    follow-up task.

    Each CUEC becomes what the reviewer chose in ``cuec_choices`` (by number from 1): a control (the default),
    a task, or not applicable with a reason. Reviewing again replaces the CUEC links, CUEC tasks and risks of
    that report; a CUEC control no longer chosen is marked not applicable.
    """
    if report.state != ReadState.READY:
        # The facts to confirm are not there yet (or never will be): nothing can be concluded from them.
        raise InputError("the report has not been read yet; review it once its facts are read"
                         if report.state != ReadState.FAILED else "the file was refused; there is nothing to review",
                         file=report.file_name)
    if not conclusion:
        raise InputError("record a conclusion", field="conclusion")
    try:
        choices = choices_for(len(facts.cuecs), cuec_choices or {})
    except ValueError as exc:
        raise InputError(str(exc), field="cuecs") from None
    with transaction.atomic():
        report.facts = facts.to_dict()
        report.conclusion, report.conclusion_note = conclusion, note
        report.status = ReviewStatus.REVIEWED
        report.reviewed_by, report.reviewed_at = user, timezone.now()
        report.save()
        review_control(report.vendor)
        for item in VendorCuec.objects.filter(report=report).select_related("task"):
            if item.task is not None:
                item.task.delete()
            item.delete()
        for risk in VendorRisk.objects.filter(report=report).select_related("task"):
            if risk.task is not None:
                risk.task.delete()
            risk.delete()
        _cuec_items(report, facts, choices, user)
        _risks(report, facts, user)


def report_period(facts: ReportFacts) -> ReportPeriod | None:
    """The days a report speaks for: its period, or its as-of day."""
    if facts.period_start and facts.period_end:
        return ReportPeriod(facts.period_start, facts.period_end)
    if facts.as_of:
        return ReportPeriod(facts.as_of, facts.as_of)
    return None


def vendor_coverage(vendor: Vendor, engagement: Engagement) -> Coverage | None:
    """How the vendor's reports cover a Type II engagement's period (None for one without a period)."""
    if not (engagement.period_start and engagement.period_end):
        return None
    periods = [p for r in read_reports(vendor) if (p := report_period(facts_from_dict(r.facts)))]
    return coverage(periods, engagement.period_start, engagement.period_end)


def read_reports(vendor: Vendor) -> list[VendorReport]:
    """The vendor's reports whose facts are read, newest first (not those queued, being read, or refused).

    Filtered in Python so a ``prefetch_related("reports")`` serves it without another query.
    """
    return [r for r in vendor.reports.all() if r.state == ReadState.READY]


def latest_report(vendor: Vendor) -> VendorReport | None:
    """The newest reviewed report, or the newest read one."""
    reports: Sequence[VendorReport] = read_reports(vendor)
    reviewed = [r for r in reports if r.status == ReviewStatus.REVIEWED]
    newest = reviewed or list(reports)
    return newest[0] if newest else None


def subservice_organizations(org: Organization) -> list[SubserviceOrganization]:
    """The register's subservice organizations, for the system description and the control matrix."""
    result = []
    for vendor in Vendor.objects.filter(organization=org).exclude(subservice="").prefetch_related("reports"):
        latest = latest_report(vendor)
        label = ""
        if latest is not None and latest.status == ReviewStatus.REVIEWED:
            facts = facts_from_dict(latest.facts)
            label = _source(latest, facts).removeprefix(f"{vendor.name} ").split(", file ")[0]
        result.append(SubserviceOrganization(
            name=vendor.name, service=" ".join(vendor.services.split())[:200], method=vendor.subservice,
            csocs=tuple(line.strip() for line in vendor.csocs.splitlines() if line.strip()), report=label))
    return result
