"""The hash chain: how an event's hash is computed, appended under a lock, and verified."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from socready.audit.models import AuditEvent, ChainHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    """The event's content in one stable byte form; any change to a field changes the hash."""
    content = {
        "organization": event.organization_id,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "at": event.at.isoformat(),
        "action": event.action,
        "model": event.model,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    """Return the SHA-256 of the event's canonical content (which includes the previous hash)."""
    return hashlib.sha256(_canonical(event)).hexdigest()


def append(**fields: Any) -> AuditEvent:
    """Append one event to the chain; the head row lock keeps concurrent appends in one line."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead.objects.create(pk=1, last_hash=GENESIS)
        event = AuditEvent(prev_hash=head.last_hash, **fields)
        # JSON round trip so the hash is computed over exactly what the database will give back.
        event.before = _json_roundtrip(event.before)
        event.after = _json_roundtrip(event.after)
        event.hash = compute_hash(event)
        event.save()
        ChainHead.objects.filter(pk=1).update(last_hash=event.hash)
    return event


def _json_roundtrip(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verifying the chain: how many events were checked and the first broken one."""

    checked: int
    broken_id: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain() -> ChainReport:
    """Walk every event oldest first; report the first whose link or content does not check out."""
    previous = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != previous:
            return ChainReport(checked, event.id, "its previous-hash does not match the event before it")
        if compute_hash(event) != event.hash:
            return ChainReport(checked, event.id, "its content does not match its hash (it was altered)")
        previous = event.hash
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        return ChainReport(checked, None if checked == 0 and head.last_hash == GENESIS else -1,
                           "the newest event is missing (the chain head points past it)")
    return ChainReport(checked, None, "intact")
