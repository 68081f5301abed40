"""Signal handlers that write an audit event for every create, update and delete of tenant data.

A model takes part by subclassing ``Audited``. Updates record only the fields that changed, with their
values before and after; deletes record the whole row as it was.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from socready.audit import chain
from socready.audit.middleware import current_actor
from socready.audit.models import Audited

# Fields whose values never enter the audit trail; a change still shows, as "(hidden)" -> "(hidden, replaced)".
HIDDEN_FIELDS = frozenset({"password", "totp_secret", "token", "credentials"})
REPLACED = "(hidden, replaced)"


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's concrete field values, JSON-safe."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if field.name in HIDDEN_FIELDS:
            value = "(hidden)" if value else ""
        values[field.attname] = value
    return _jsonable(values)


def _hidden_digests(instance: models.Model) -> dict[str, str]:
    """A digest of each hidden field's value: enough to see it changed, kept only between two signals."""
    digests = {}
    for field in instance._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            value = field.value_from_object(instance)
            raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode("utf-8")
            digests[field.attname] = hashlib.sha256(raw).hexdigest()
    return digests


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    import json

    return dict(json.loads(json.dumps(values, cls=DjangoJSONEncoder)))


def _actor() -> tuple[int | None, str]:
    actor = current_actor.get()
    if actor is None:
        return None, "system"
    return getattr(actor, "pk", None), str(getattr(actor, "email", "") or actor)


def record(instance: Audited, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Append one audit event for a change to ``instance``."""
    actor_id, actor_label = _actor()
    chain.append(
        organization_id=instance.audit_organization_id(),
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )


def _pre_save(sender: type[models.Model], instance: Audited, raw: bool = False, **_: Any) -> None:
    if raw or instance.pk is None or not issubclass(sender, Audited):
        instance._audit_before = None
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None
    instance._audit_hidden = _hidden_digests(old) if old is not None else {}


def _post_save(sender: type[models.Model], instance: Audited, created: bool, raw: bool = False, **_: Any) -> None:
    if raw or not issubclass(sender, Audited):
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(instance, "create", None, after)
        return
    changed = [key for key in after if before.get(key) != after[key]]
    # Hidden values all read "(hidden)", so a replaced secret is found by comparing digests instead.
    old_hidden = getattr(instance, "_audit_hidden", {})
    replaced = [key for key, digest in _hidden_digests(instance).items()
                if key in old_hidden and old_hidden[key] != digest and after.get(key) and key not in changed]
    if changed or replaced:
        record(instance, "update", {k: before.get(k) for k in changed + replaced},
               {**{k: after[k] for k in changed}, **dict.fromkeys(replaced, REPLACED)})


def _post_delete(sender: type[models.Model], instance: Audited, **_: Any) -> None:
    if issubclass(sender, Audited):
        record(instance, "delete", snapshot(instance), None)


def _link_name(sender: Any, instance: models.Model, model: Any, reverse: bool) -> str:
    """The name the changed links have on ``instance``: its own field, or the reverse accessor."""
    if not reverse:
        return next((f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), "links")
    field = next((f for f in model._meta.many_to_many if f.remote_field.through is sender), None)
    return field.remote_field.get_accessor_name() if field is not None else "links"


def _m2m_changed(sender: Any, instance: models.Model, action: str, reverse: bool, model: Any,
                 pk_set: set[Any] | None, **_: Any) -> None:
    # Links are recorded on the object whose manager changed them, from either side: linking controls
    # from an engagement (engagement.controls.add) is as much a change as control.engagements.add.
    if not isinstance(instance, Audited):
        return
    name = _link_name(sender, instance, model, reverse)
    if action == "pre_clear":
        # The clear signal that follows carries no ids; note which links are about to go.
        instance._audit_cleared = sorted(getattr(instance, name).values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    ids = getattr(instance, "_audit_cleared", []) if action == "post_clear" else sorted(pk_set or [])
    if not ids:
        return  # adding links that already exist, or clearing none, changes nothing
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    record(instance, "update", None, {name: {verb: ids}})


def connect() -> None:
    """Connect the handlers once, for every model (they ignore models that are not Audited)."""
    pre_save.connect(_pre_save, dispatch_uid="socready.audit.pre_save")
    post_save.connect(_post_save, dispatch_uid="socready.audit.post_save")
    post_delete.connect(_post_delete, dispatch_uid="socready.audit.post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="socready.audit.m2m_changed")
