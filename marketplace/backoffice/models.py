"""The audit trail: who changed a price, a stock level, a store page or a role, and when."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """
    One change to an audited object, written by ``audit`` and never edited.

    The brand, seller and channel the object belonged to are copied onto the
    entry so the entry can be scoped like the object (a seller sees the trail
    of its own listings). They are ids without a database constraint: the
    trail outlives a deleted seller, and a cascade that deletes a seller's
    listings can audit them without tripping over the seller's own deletion.
    """

    CREATED, CHANGED, DELETED = "created", "changed", "deleted"
    ACTIONS = [
        (CREATED, pgettext_lazy("audit action", "created")),
        (CHANGED, pgettext_lazy("audit action", "changed")),
        (DELETED, pgettext_lazy("audit action", "deleted")),
    ]

    when = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("who"),
    )
    # Kept as text too: the trail outlives the account.
    actor_name = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ACTIONS)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(
        _("changes"), default=dict, blank=True,
        help_text=_("Each changed field with its value before and after."),
    )
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", verbose_name=_("brand"),
    )
    seller = models.ForeignKey(
        "partner.Partner", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", verbose_name=_("seller"),
    )
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+", verbose_name=_("channel"),
    )

    class Meta:
        ordering = ("-when", "-pk")
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=("content_type", "object_id"))]

    def __str__(self):
        return f"{self.when:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"
