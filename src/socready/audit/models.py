"""Audit events: who changed what, when, with the values before and after, chained by SHA-256."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Audited(models.Model):
    """Abstract base: every change to a subclass is recorded in the audit trail."""

    # Notes the signal handlers in socready.audit.recorder keep on an instance between two signals of one
    # change (not database columns): the values before a save, and the ids of links about to be cleared.
    _audit_before: dict[str, Any] | None
    _audit_hidden: dict[str, str]
    _audit_cleared: list[Any]

    class Meta:
        abstract = True

    def audit_organization_id(self) -> int | None:
        """The tenant the row belongs to; models whose tenant is not ``organization`` override this."""
        return getattr(self, "organization_id", None)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a recorded audit event."""


class AuditEvent(models.Model):
    """One recorded change. ``hash`` covers the event's content and the previous event's hash."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.DO_NOTHING, null=True,
                                     db_constraint=False, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True,
                              db_constraint=False, related_name="+")
    actor_label = models.CharField(max_length=254, blank=True, default="")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=10)  # create | update | delete
    model = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300, blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["organization", "-id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.model} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class ChainHead(models.Model):
    """A single row holding the newest hash; locking it serializes appends so the chain never forks."""

    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash
