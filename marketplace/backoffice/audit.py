"""
Recording changes to audited models, with the person who made them.

Models are tracked by ``track()`` (in app ``ready()``); their saves and
deletes are diffed on the tracked fields and written as ``AuditEntry`` rows.
The actor is set by ``acting()``: the back-office site wraps every admin view
in it, and an import or a script that changes prices on someone's behalf
wraps its work the same way. Writes with no actor (checkout allocating stock,
``seed_demo``) are not audited here: orders are their own record, and the
checkout path stays free of extra queries.

Signals rather than explicit calls because the admin writes these rows from
many places (forms, inlines, list actions) and every one must be caught.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from asgiref.local import Local
from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from .models import AuditEntry

_state = Local()


@contextmanager
def acting(user):
    """Audit the changes made inside the block as ``user``'s."""
    previous = getattr(_state, "actor", None)
    _state.actor = user if user is not None and user.is_authenticated else None
    try:
        yield
    finally:
        _state.actor = previous


def current_actor():
    return getattr(_state, "actor", None)


@dataclass(frozen=True)
class Tracking:
    fields: tuple[str, ...]
    scope: object  # callable(instance) -> {"brand_id": …, "seller_id": …, "channel_id": …}


_tracked: dict[type, Tracking] = {}


def track(model, *, fields, scope) -> None:
    """Audit saves and deletes of ``model`` that change ``fields``."""
    _tracked[model] = Tracking(tuple(fields), scope)
    uid = f"audit:{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid + ":pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=uid + ":post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + ":delete")


def _plain(value):
    """A JSON-friendly form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _values(instance, fields) -> dict:
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.is_relation:
            related = getattr(instance, name, None)
            values[name] = str(related) if related is not None else None
        else:
            values[name] = _plain(getattr(instance, field.attname))
    return values


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    tracking = _tracked.get(sender)
    if raw or current_actor() is None or instance.pk is None or tracking is None:
        return
    previous = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = _values(previous, tracking.fields) if previous else None


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    tracking = _tracked.get(sender)
    actor = current_actor()
    if raw or actor is None or tracking is None:
        return
    after = _values(instance, tracking.fields)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = after
    if created or before is None:
        record(instance, AuditEntry.CREATED, {k: [None, v] for k, v in after.items()}, actor)
        return
    changes = {k: [before[k], after[k]] for k in tracking.fields if before[k] != after[k]}
    if changes:
        record(instance, AuditEntry.CHANGED, changes, actor)


def _after_delete(sender, instance, **kwargs):
    tracking = _tracked.get(sender)
    actor = current_actor()
    if actor is None or tracking is None:
        return
    before = _values(instance, tracking.fields)
    record(instance, AuditEntry.DELETED, {k: [v, None] for k, v in before.items()}, actor)


def record(obj, action: str, changes: dict, actor=None, scope: dict | None = None) -> AuditEntry:
    """Write one entry for ``obj`` (also used directly, e.g. for order status moves)."""
    actor = actor if actor is not None else current_actor()
    if scope is None:
        tracking = _tracked.get(type(obj))
        scope = tracking.scope(obj) if tracking else {}
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
        brand_id=scope.get("brand_id"),
        seller_id=scope.get("seller_id"),
        channel_id=scope.get("channel_id"),
    )
