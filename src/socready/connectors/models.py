"""Connections, their runs, and each run's check results.

A connection's secrets are stored encrypted (``crypto.py``) in ``credentials``; the audit trail records
that they changed, never their value (the recorder hides the field by name).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from socready.accounts.models import Organization
from socready.audit.models import Audited
from socready.evidence.models import EvidenceItem

DEFAULT_SCHEDULE_HOURS = 24


class Connection(Audited):
    """A named connection of one organization to one system, run on a schedule and on demand."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="connections")
    kind = models.CharField(max_length=60)  # the entry point name: aws, github, okta, or a package's own
    name = models.CharField(max_length=100)
    options = models.JSONField(default=dict, blank=True)  # settings that are not secret
    credentials = models.BinaryField(default=b"", blank=True)  # Fernet token of a JSON object of secrets
    schedule_hours = models.PositiveIntegerField(default=DEFAULT_SCHEDULE_HOURS)  # 0: on demand only
    enabled = models.BooleanField(default=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    failures_in_a_row = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="connection_name_per_org")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def interval(self) -> dt.timedelta | None:
        return dt.timedelta(hours=self.schedule_hours) if self.schedule_hours else None


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    OK = "ok", "Finished"
    FAILED = "failed", "Failed"


class Run(Audited):
    """One collection from a connection: when, how long, its outcome, and the evidence it stored."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    trigger = models.CharField(max_length=20, default="on demand")  # on demand | schedule | command line
    error = models.TextField(blank=True, default="")
    notes = models.TextField(blank=True, default="")  # what a finished run could not store, in words
    account = models.CharField(max_length=300, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True, default="")  # of the stored run document
    evidence = models.ForeignKey(EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    population_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["connection", "-created_at"])]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.connection.name}"

    def audit_organization_id(self) -> int | None:
        return self.connection.organization_id

    @property
    def duration_text(self) -> str:
        if self.duration_ms is None:
            return ""
        return f"{self.duration_ms / 1000:.1f} s"


class CheckResult(Audited):
    """One check of a run: its outcome, the failing resources, and every resource's result."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="checks")
    check_id = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10)  # pass | fail | error
    controls = models.JSONField(default=list)  # library control codes
    failing = models.JSONField(default=list)
    finding = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    resources = models.JSONField(default=list)  # [{"resource", "status", "reason"}]

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.check_id}: {self.status}"

    def audit_organization_id(self) -> int | None:
        return self.run.connection.organization_id
