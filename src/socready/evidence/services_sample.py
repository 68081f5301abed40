"""Testing a drawn sample in bulk: passing every item not yet tested, after the tester confirms them.

Each item gets its own audited test row, so the audit trail shows who passed which items this way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from socready.accounts.models import User
from socready.evidence.models import SampleSet, SampleTest


def remaining_items(sample_set: SampleSet) -> list[dict[str, Any]]:
    """The sampled items with no test recorded yet, in selection order."""
    done = set(sample_set.tests.values_list("item_id", flat=True))
    return [item for item in sample_set.items if item["id"] not in done]


def remaining_digest(items: Iterable[dict[str, Any]]) -> str:
    """A fingerprint of a list of items, so a confirmation applies to exactly the items it showed."""
    return hashlib.sha256("\n".join(item["id"] for item in items).encode()).hexdigest()


BULK_NOTE = 'Recorded with "pass all remaining": every attribute held.'


class RemainingChanged(Exception):
    """The untested items differ from the ones the person confirmed."""


def pass_remaining(sample_set: SampleSet, confirmed_digest: str, note: str, user: User | None) -> int:
    """Record every attribute passed for each untested item; return how many items were recorded.

    Raises RemainingChanged, recording nothing, when the untested items are no longer the ones confirmed
    (another tester saved one, or the sample was extended).
    """
    text = f"{BULK_NOTE} {note.strip()}".strip()
    with transaction.atomic():
        # Locked and read again: an extension saved meanwhile changes the items to pass.
        locked = SampleSet.objects.select_for_update().get(pk=sample_set.pk)
        remaining = remaining_items(locked)
        if not remaining or remaining_digest(remaining) != confirmed_digest:
            raise RemainingChanged("the untested items changed since they were shown")
        now = timezone.now()
        try:
            for item in remaining:
                SampleTest.objects.create(sample=sample_set, item_id=item["id"], note=text, tested_by=user,
                                          tested_at=now, results=dict.fromkeys(sample_set.attributes, True))
        except IntegrityError:
            # A tester saved one of these items meanwhile (one test per item): nothing of this batch is kept.
            raise RemainingChanged("an item was tested while the batch was recorded") from None
    return len(remaining)
