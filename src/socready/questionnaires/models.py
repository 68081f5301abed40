"""Questionnaires an organization received, the asks found in them, and the answers drafted for them.

The uploaded file itself lives in the blob store under its SHA-256 and is never changed; the filled copy
a person downloads is generated from it and the current answers each time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from socready.accounts.models import Organization
from socready.audit.models import Audited


class ReadState(models.TextChoices):
    QUEUED = "queued", "Queued"
    READING = "reading", "Reading the file"
    DRAFTING = "drafting", "Drafting answers"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Questionnaire(Audited):
    """One uploaded questionnaire: the stored original, what it asks for and when it was drafted.

    An upload is read and drafted in the background: ``state`` and ``progress`` say how far it has got,
    ``error`` why it could not be read.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="questionnaires")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    question_count = models.PositiveIntegerField(default=0)
    asks = models.JSONField(default=list, blank=True)  # core.asks.Ask fields, one dict per ask
    warnings = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    drafted_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=ReadState.choices, default=ReadState.READY)
    progress = models.PositiveSmallIntegerField(default=100)  # percent, for the page that polls it
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return self.file_name

    @property
    def suffix(self) -> str:
        """The file's extension in lower case, which decides how it is read and written."""
        _, dot, ext = self.file_name.rpartition(".")
        return f".{ext.lower()}" if dot else ""


class AnswerChoice(models.TextChoices):
    YES = "Yes", "Yes"
    NO = "No", "No"
    PARTIAL = "Partial", "Partial"
    NA = "N/A", "N/A"


class DraftAnswer(Audited):
    """The answer to one question: drafted from the program, then edited and marked reviewed by a person."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveIntegerField()
    question_id = models.CharField(max_length=100)
    text = models.TextField()
    location = models.CharField(max_length=300)
    section = models.CharField(max_length=300, blank=True, default="")
    answer = models.CharField(max_length=10, choices=AnswerChoice.choices, blank=True, default="")
    explanation = models.TextField(blank=True, default="")
    confidence = models.FloatField(default=0.0)
    review_reason = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=12, default="control")
    controls = models.JSONField(default=list, blank=True)  # [{"code", "title", "status"}]
    evidence = models.JSONField(default=list, blank=True)  # [{"title", "date", "control"}]
    edited = models.BooleanField(default=False)  # a person changed the answer; redrafting leaves it alone
    reviewed = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "position"],
                                               name="one_answer_per_question_position")]

    def __str__(self) -> str:
        return f"{self.question_id} of {self.questionnaire}"

    def audit_organization_id(self) -> int | None:
        return self.questionnaire.organization_id

    @property
    def needs_review(self) -> bool:
        """True until a person marks it reviewed, when the draft recorded a reason to look at it."""
        return bool(self.review_reason) and not self.reviewed


class KnownAnswer(Audited):
    """A reviewed answer kept for the organization, reused when the same question comes again.

    One row per question wording (``key``: the question in lower case, spaces collapsed); reviewing the
    same question in a later questionnaire updates it.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="known_answers")
    key = models.CharField(max_length=500)
    question = models.TextField()
    answer = models.CharField(max_length=10, choices=AnswerChoice.choices, blank=True, default="")
    explanation = models.TextField(blank=True, default="")
    controls = models.JSONField(default=list, blank=True)  # control codes the answer rests on
    source = models.CharField(max_length=255, blank=True, default="")  # the questionnaire it was reviewed in
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization", "key"]
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="one_known_answer_per_question")]

    def __str__(self) -> str:
        return self.question[:80]
