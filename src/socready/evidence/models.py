"""Evidence items and their revisions, the PBC list, populations and the samples drawn from them.

Evidence hangs off controls, not engagements: a control shared by SOC 1 and SOC 2 is one row, so one
item of evidence serves both reports. File content lives in the blob store (see ``blobs.py``), addressed
by its SHA-256; rows here keep the hash so every download can be checked against it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from socready.accounts.models import Organization
from socready.audit.models import Audited
from socready.core import terms
from socready.programs.models import Control, Engagement


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"
    NOTE = "note", "Note"
    RESULT = "result", "Automated result"


class EvidencePurpose(models.TextChoices):
    """Design or operating evidence, as core.terms defines them."""

    DESIGN = terms.EvidencePurpose.DESIGN.value, terms.EvidencePurpose.DESIGN.label
    OPERATING = terms.EvidencePurpose.OPERATING.value, terms.EvidencePurpose.OPERATING.label


class EvidenceItem(Audited):
    """One piece of evidence: what it is, the date or period it speaks for, who collected it, its controls."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    # Design evidence is kept as prior-period reference when an engagement is rolled forward; operating
    # evidence is asked for again (core.terms.default_evidence_purpose sets it from the kind when not given).
    purpose = models.CharField(max_length=10, choices=EvidencePurpose.choices, default=EvidencePurpose.OPERATING)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    effective_date = models.DateField()
    period_end = models.DateField(null=True, blank=True)  # set when the item covers a period, not a day
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="collected_evidence")
    controls = models.ManyToManyField(Control, related_name="evidence_items")
    request = models.ForeignKey("EvidenceRequest", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="evidence_items")
    current = models.ForeignKey("EvidenceRevision", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_date", "-id"]
        indexes = [models.Index(fields=["organization", "deleted_at", "effective_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def last_day(self) -> dt.date:
        return self.period_end or self.effective_date

    @property
    def when(self) -> str:
        if self.period_end and self.period_end != self.effective_date:
            return f"{self.effective_date} to {self.period_end}"
        return str(self.effective_date)


class EvidenceRevision(Audited):
    """The content of an item at one point: a stored file, a link, a note or a JSON result."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, blank=True, default="")
    size = models.BigIntegerField(default=0)
    file_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    url = models.URLField(max_length=2000, blank=True, default="")
    text = models.TextField(blank=True, default="")
    result = models.JSONField(null=True, blank=True)
    change_note = models.CharField(max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="revision_number_per_item")]

    def __str__(self) -> str:
        return f"{self.item} (revision {self.number})"

    def audit_organization_id(self) -> int | None:
        return self.item.organization_id


class RequestStatus(models.TextChoices):
    """The PBC request statuses of core.terms, as Django choices."""

    REQUESTED = terms.RequestStatus.REQUESTED.value, terms.RequestStatus.REQUESTED.label
    PROVIDED = terms.RequestStatus.PROVIDED.value, terms.RequestStatus.PROVIDED.label
    ACCEPTED = terms.RequestStatus.ACCEPTED.value, terms.RequestStatus.ACCEPTED.label
    FLAGGED = terms.RequestStatus.FLAGGED.value, terms.RequestStatus.FLAGGED.label
    WITHDRAWN = terms.RequestStatus.WITHDRAWN.value, terms.RequestStatus.WITHDRAWN.label


class EvidenceRequest(Audited):
    """One line of the PBC list: listed once however many engagements and controls rely on it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="evidence_requests")
    code = models.CharField(max_length=60)  # the library's evidence request id, or one of the organization's
    title = models.CharField(max_length=300)
    shows = models.TextField(blank=True, default="")
    controls = models.ManyToManyField(Control, related_name="evidence_requests_tracked")
    engagements = models.ManyToManyField(Engagement, related_name="evidence_requests")
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)
    due_date = models.DateField(null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="evidence_requests")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="request_code_per_org")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class RequestComment(Audited):
    """A remark on a request, by the team or the auditor; accepting or flagging leaves one too."""

    request = models.ForeignKey(EvidenceRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    status_set = models.CharField(max_length=12, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment on {self.request.code}"

    def audit_organization_id(self) -> int | None:
        return self.request.organization_id


class PopulationKind(models.TextChoices):
    CHANGES = "changes", "Changes"
    HIRES = "hires", "Hires"
    TERMINATIONS = "terminations", "Terminations"
    ACCESS_REVIEWS = "access_reviews", "Access reviews"
    INCIDENTS = "incidents", "Incidents"
    OTHER = "other", "Other events"


class ImportState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Validating"
    DONE = "done", "Imported"
    FAILED = "failed", "Refused"


class Population(Audited):
    """An imported list of events for one control, with its completeness-and-accuracy record."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="populations")
    # RESTRICT: an imported population is an audit record; removing its control alone must not erase it
    # (deleting the whole organization still removes both).
    control = models.ForeignKey(Control, on_delete=models.RESTRICT, related_name="populations")
    # RESTRICT for the same reason: the population was checked against this engagement's window and sampled
    # for it, so the engagement cannot be deleted from under it.
    engagement = models.ForeignKey(Engagement, on_delete=models.RESTRICT, null=True, blank=True,
                                   related_name="populations")
    kind = models.CharField(max_length=20, choices=PopulationKind.choices, default=PopulationKind.OTHER)
    source_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    id_column = models.CharField(max_length=200)
    date_column = models.CharField(max_length=200, blank=True, default="")
    date_format = models.CharField(max_length=40, blank=True, default="")  # strptime format; empty: ISO dates
    attribute_columns = models.JSONField(default=list, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, for the page that polls it
    error = models.TextField(blank=True, default="")
    record = models.JSONField(null=True, blank=True)  # the ImportRecord: format, rows, hash, dates
    months = models.JSONField(default=list, blank=True)  # [[YYYY-MM, rows]]
    rows = models.BigIntegerField(null=True, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds by the worker running the import; a stale one means that worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # how many times a worker has taken the import

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} population {self.source_name}"


class SampleSet(Audited):
    """A sample drawn from a population: how it was sized, its seed, and the items in selection order."""

    population = models.ForeignKey(Population, on_delete=models.CASCADE, related_name="samples")
    frequency = models.CharField(max_length=20)
    risk = models.CharField(max_length=10, default="moderate")
    seed = models.BigIntegerField()
    spread_months = models.BooleanField(default=False)
    items = models.JSONField(default=list)  # [{"id", "row", "date"}] in selection order
    record = models.JSONField(default=dict)  # Sample.to_dict(): method, basis, digest, extensions
    attributes = models.JSONField(default=list)  # the test attributes each item is checked against
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"sample of {len(self.items)} from {self.population.source_name}"

    def audit_organization_id(self) -> int | None:
        return self.population.organization_id


class SampleTest(Audited):
    """The test of one sampled item: pass or fail per attribute, a note, and the evidence looked at."""

    sample = models.ForeignKey(SampleSet, on_delete=models.CASCADE, related_name="tests")
    item_id = models.CharField(max_length=300)
    results = models.JSONField(default=dict)  # {attribute: true/false}
    note = models.TextField(blank=True, default="")
    evidence = models.ForeignKey(EvidenceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    tested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    tested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sample", "id"]
        constraints = [models.UniqueConstraint(fields=["sample", "item_id"], name="one_test_per_sample_item")]

    def __str__(self) -> str:
        return f"test of {self.item_id}"

    def audit_organization_id(self) -> int | None:
        return self.sample.population.organization_id

    @property
    def passed(self) -> bool:
        return all(bool(v) for v in self.results.values())


class SamplingSettings(Audited):
    """The organization's sampling policy (``SamplingPolicy.to_dict()``); absent means the defaults."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="sampling_settings")
    policy = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"sampling policy of {self.organization}"
