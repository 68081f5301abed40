"""Files made in the background (the slow exports, questionnaire copies), with their progress and result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from socready.accounts.models import Organization
from socready.audit.models import Audited


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not be made"


class ExportJob(Audited):
    """One file asked for to be made in the background; it is stored by hash when it is ready."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField(max_length=30)
    engagement = models.CharField(max_length=20, blank=True, default="")  # an engagement id, or every one
    # What a file of another app is made from, e.g. a questionnaire's id (see ``jobs.register_job_kind``).
    subject = models.CharField(max_length=40, blank=True, default="")
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, for the page that polls it
    phase = models.CharField(max_length=100, blank=True, default="")
    error = models.TextField(blank=True, default="")
    file_name = models.CharField(max_length=255, blank=True, default="")
    sha256 = models.CharField(max_length=64, blank=True, default="")
    size = models.BigIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} export {self.pk}"
