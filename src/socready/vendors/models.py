"""The vendor register, vendors' SOC reports under review, the risks they raise, and rolled-forward engagements.

A vendor's report file is stored as an item of evidence (hashed, in the blob store) linked to the vendor's
annual review control, so the review itself is evidence an auditor can open.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from socready.accounts.models import Organization
from socready.audit.models import Audited
from socready.evidence.models import EvidenceItem
from socready.programs.models import Control, Engagement, RemediationTask


class Criticality(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class SubserviceMethod(models.TextChoices):
    NONE = "", "Not a subservice organization"
    CARVE_OUT = "carve-out", "Subservice organization, carve-out"
    INCLUSIVE = "inclusive", "Subservice organization, inclusive"


class Vendor(Audited):
    """A vendor the system relies on: what it does for us, what data it sees, who owns the relationship."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="vendors")
    name = models.CharField(max_length=200)
    services = models.TextField(blank=True, default="")
    data_shared = models.TextField(blank=True, default="")
    criticality = models.CharField(max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="owned_vendors")
    review_months = models.PositiveSmallIntegerField(default=12)  # how often its report is reviewed
    subservice = models.CharField(max_length=10, choices=SubserviceMethod.choices, blank=True, default="")
    csocs = models.TextField(blank=True, default="")  # controls we expect of it, one a line (carve-out)
    review_control = models.ForeignKey(Control, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="vendor_name_per_org")]

    def __str__(self) -> str:
        return self.name


class ReviewStatus(models.TextChoices):
    TO_REVIEW = "to_review", "To review"
    REVIEWED = "reviewed", "Reviewed"


class Conclusion(models.TextChoices):
    RELY = "rely", "We can rely on it"
    RELY_WITH_FOLLOW_UP = "follow_up", "We can rely on it with follow-up"
    CANNOT_RELY = "cannot_rely", "We cannot rely on it"


class ReadState(models.TextChoices):
    """How far the reading of an uploaded report has got (it is read by the background worker)."""

    QUEUED = "queued", "Queued"
    READING = "reading", "Reading"
    READY = "ready", "Read"
    FAILED = "failed", "Refused"


class VendorReport(Audited):
    """One SOC report of a vendor: the facts read from it, the facts as the reviewer confirmed them, the verdict.

    An upload is read in the background: until ``state`` is ready the file sits in the blob store only, with
    no evidence item, and cannot be reviewed. A refused read keeps the row as a note of why (``error``) and
    nothing else: its file is released and no evidence is ever made of it.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="vendor_reports")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="reports")
    # Made once the file reads as a SOC report; empty while queued or reading, and for a refused file.
    evidence = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    file_name = models.CharField(max_length=255)
    state = models.CharField(max_length=10, choices=ReadState.choices, default=ReadState.READY)
    progress = models.PositiveSmallIntegerField(default=100)  # percent, for the page that polls it
    error = models.TextField(blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # written every few seconds while it is read
    attempts = models.PositiveSmallIntegerField(default=0)  # workers that took the read
    read_facts = models.JSONField(default=dict)  # ReportFacts.to_dict() as the reader found them
    facts = models.JSONField(default=dict)  # the same, as confirmed or corrected by the reviewer
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.TO_REVIEW)
    conclusion = models.CharField(max_length=12, choices=Conclusion.choices, blank=True, default="")
    conclusion_note = models.TextField(blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        facts = self.facts or self.read_facts
        kind = " ".join(str(facts.get(k) or "") for k in ("report", "type")).strip() or "SOC report"
        return f"{self.vendor.name} {kind}"


class CuecTreatment(models.TextChoices):
    """How a CUEC enters our program (core.vendors.cuecs.TREATMENTS)."""

    CONTROL = "control", "A control we operate"
    TASK = "task", "A one-off task"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class VendorCuec(Audited):
    """A CUEC a vendor's report lists, and what answers it: a control of ours, a task, or a reason it does not apply."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="vendor_cuecs")
    report = models.ForeignKey(VendorReport, on_delete=models.CASCADE, related_name="cuecs")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    page = models.PositiveIntegerField(null=True, blank=True)
    treatment = models.CharField(max_length=16, choices=CuecTreatment.choices, default=CuecTreatment.CONTROL)
    reason = models.TextField(blank=True, default="")  # why it does not apply to us
    control = models.ForeignKey(Control, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    task = models.ForeignKey(RemediationTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["report", "number"]

    def __str__(self) -> str:
        return f"CUEC {self.number} of {self.report}"


class VendorRisk(Audited):
    """A risk a vendor's report raised (a modified opinion, an exception), with the task that follows it up."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="vendor_risks")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="risks")
    report = models.ForeignKey(VendorReport, on_delete=models.CASCADE, related_name="risks")
    reason = models.TextField()
    task = models.ForeignKey(RemediationTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"risk on {self.vendor}: {self.reason[:60]}"


class RollForward(Audited):
    """A finished engagement and the next period's engagement started from it; the finished one is read-only."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roll_forwards")
    source = models.OneToOneField(Engagement, on_delete=models.PROTECT, related_name="rolled_forward")
    target = models.OneToOneField(Engagement, on_delete=models.PROTECT, related_name="rolled_from")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")
    # {"controls", "prior_evidence", "requests"}: what the new engagement took over, shown on the periods page
    summary = models.JSONField(default=dict)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.source} rolled forward to {self.target}"
