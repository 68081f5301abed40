"""The program of one organization: its scoping answers, engagements, objectives, controls and tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from socready.accounts.models import Organization
from socready.audit.models import Audited
from socready.core import terms


class ScopingProfile(Audited):
    """The organization's answers to the scoping questions and the recommendation they produced."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="scoping")
    answers = models.JSONField(default=dict, blank=True)
    recommendation = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"scoping of {self.organization}"


# The words are defined once, in core.terms; these are their Django choices, each member's code and label
# taken from its core member (tests/unit/test_terms.py checks that no member is missing).
class Report(models.TextChoices):
    SOC1 = terms.Report.SOC1.value, terms.Report.SOC1.label
    SOC2 = terms.Report.SOC2.value, terms.Report.SOC2.label


class ReportType(models.TextChoices):
    TYPE1 = terms.ReportType.TYPE1.value, terms.ReportType.TYPE1.label
    TYPE2 = terms.ReportType.TYPE2.value, terms.ReportType.TYPE2.label


class ControlStatus(models.TextChoices):
    NOT_STARTED = terms.ControlStatus.NOT_STARTED.value, terms.ControlStatus.NOT_STARTED.label
    IN_PROGRESS = terms.ControlStatus.IN_PROGRESS.value, terms.ControlStatus.IN_PROGRESS.label
    DESIGNED = terms.ControlStatus.DESIGNED.value, terms.ControlStatus.DESIGNED.label
    IMPLEMENTED = terms.ControlStatus.IMPLEMENTED.value, terms.ControlStatus.IMPLEMENTED.label
    OPERATING = terms.ControlStatus.OPERATING.value, terms.ControlStatus.OPERATING.label


class TaskStatus(models.TextChoices):
    OPEN = terms.TaskStatus.OPEN.value, terms.TaskStatus.OPEN.label
    IN_PROGRESS = terms.TaskStatus.IN_PROGRESS.value, terms.TaskStatus.IN_PROGRESS.label
    DONE = terms.TaskStatus.DONE.value, terms.TaskStatus.DONE.label


class Engagement(Audited):
    """One audit: a report kind and type, its as-of date or period, its scope and its audit firm."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="engagements")
    report = models.CharField(max_length=10, choices=Report.choices)
    report_type = models.CharField(max_length=10, choices=ReportType.choices)
    as_of_date = models.DateField(null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    categories = models.JSONField(default=list, blank=True)  # SOC 2 category names
    objectives = models.JSONField(default=list, blank=True)  # SOC 1 objective codes
    auditor_firm = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        when = (f"as of {self.as_of_date}" if self.report_type == ReportType.TYPE1 and self.as_of_date
                else f"{self.period_start} to {self.period_end}" if self.period_start else "dates not set")
        return f"{self.get_report_display()} {self.get_report_type_display()} ({when})"


class OrgObjective(Audited):
    """A SOC 1 control objective of this organization: adopted from the templates or its own."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(max_length=40)
    area = models.CharField(max_length=20, default="business")
    service = models.CharField(max_length=60, blank=True, default="")
    domain = models.CharField(max_length=100, blank=True, default="")
    title = models.CharField(max_length=200)
    statement = models.TextField()
    custom = models.BooleanField(default=False)

    class Meta:
        ordering = ["area", "code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="objective_code_per_org")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Control(Audited):
    """A control the organization runs: one row, however many reports and engagements it serves."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="controls")
    code = models.CharField(max_length=40)
    library_id = models.CharField(max_length=40, blank=True, default="")  # empty for custom controls
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    family = models.CharField(max_length=100, blank=True, default="")
    frequency = models.CharField(max_length=20, default="annual")
    nature = models.CharField(max_length=20, default="preventive")
    kind = models.CharField(max_length=30, default="manual")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="owned_controls")
    status = models.CharField(max_length=20, choices=ControlStatus.choices, default=ControlStatus.NOT_STARTED)
    notes = models.TextField(blank=True, default="")
    criteria = models.JSONField(default=list, blank=True)
    objectives = models.JSONField(default=list, blank=True)
    evidence_requests = models.JSONField(default=list, blank=True)  # [{"id", "name", "shows"}]
    type1_test = models.TextField(blank=True, default="")
    type2_attributes = models.JSONField(default=list, blank=True)
    not_applicable = models.BooleanField(default=False)
    not_applicable_reason = models.TextField(blank=True, default="")
    engagements = models.ManyToManyField(Engagement, blank=True, related_name="controls")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="control_code_per_org")]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_custom(self) -> bool:
        return not self.library_id


class RemediationTask(Audited):
    """Work that closes a gap: what, for which control, who, by when."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    control = models.ForeignKey(Control, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="remediation_tasks")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["organization", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.status != TaskStatus.DONE and self.due_date < timezone.localdate())
