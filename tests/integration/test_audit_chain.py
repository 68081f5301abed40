"""Every change to tenant data lands in an append-only, hash-chained audit trail."""

from __future__ import annotations

import pytest
from django.db import connection

from socready.accounts.models import Membership, Role
from socready.audit.chain import verify_chain
from socready.audit.models import AppendOnlyError, AuditEvent
from tests.integration.conftest import Personas


def test_creates_updates_and_deletes_are_recorded_with_before_and_after(personas: Personas) -> None:
    membership = Membership.objects.get(organization=personas.acme, user=personas.bob)
    membership.role = Role.ADMIN
    membership.save()
    membership_id = membership.pk
    membership.delete()
    events = list(AuditEvent.objects.filter(model="accounts.Membership", object_id=str(membership_id))
                  .order_by("id"))
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert events[1].before == {"role": "contributor"} and events[1].after == {"role": "admin"}
    assert events[2].before["role"] == "admin" and events[2].after is None
    assert all(e.organization_id == personas.acme.pk for e in events)


def test_events_cannot_be_changed_or_deleted_through_the_model(personas: Personas) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_verify_finds_the_first_altered_event(personas: Personas) -> None:
    report = verify_chain()
    assert report.ok and report.checked >= 6
    victim = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:  # tamper behind the model's back, as an attacker with DB access would
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET object_repr = %s WHERE id = %s",  # noqa: S608
                       ["tampered", victim.id])
    report = verify_chain()
    assert not report.ok
    assert report.broken_id == victim.id
    assert "altered" in report.reason


def test_links_are_recorded_from_either_side_with_the_ids_that_changed(personas: Personas) -> None:
    from socready.programs.models import Control, Engagement

    org = personas.acme
    engagement = Engagement.objects.create(organization=org, report="soc2", report_type="type1")
    control = Control.objects.create(organization=org, code="AC-1", title="Access reviewed")

    def links(instance: object) -> list[dict[str, object]]:
        events = AuditEvent.objects.filter(model=instance._meta.label, object_id=str(instance.pk),  # type: ignore[attr-defined]
                                           action="update").order_by("id")
        return [e.after for e in events]

    engagement.controls.add(control)  # the reverse side, as scoping links adopted controls
    assert links(engagement) == [{"controls": {"added": [control.pk]}}]
    engagement.controls.add(control)  # already linked: nothing changed, nothing recorded
    assert len(links(engagement)) == 1
    control.engagements.clear()
    assert links(control) == [{"engagements": {"cleared": [engagement.pk]}}]
    assert verify_chain().ok
