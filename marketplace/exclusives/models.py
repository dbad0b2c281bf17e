"""
Exclusive-listing rules: a product (or a whole product family) that only one
official store may sell in some channels, for a time window.

Windows are stored in UTC; they are shown in each channel's timezone. The rule
is enforced at request time from ``starts_at``/``ends_at`` (see ``rules`` and the
channel strategy); the ``*_processed_at`` columns only record that the
follow-up work (suspending or restoring listings, notices) was done.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExclusiveRuleQuerySet(models.QuerySet):
    def in_force(self, moment):
        """Rules whose window ``[starts_at, ends_at)`` contains ``moment``."""
        return self.filter(starts_at__lte=moment).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=moment)
        )

    def starting_within(self, moment, period):
        """Rules not yet started at ``moment`` that start within ``period`` (a timedelta)."""
        return self.filter(starts_at__gt=moment, starts_at__lte=moment + period)


class ExclusiveRule(models.Model):
    """Product X may be sold in channels C only by official store S, from start to end."""

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="exclusive_rules",
        verbose_name=_("product"),
        help_text=_("A product, or a product family: then all its variants, even ones added later."),
    )
    store = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="exclusive_rules",
        verbose_name=_("official store"),
    )
    channels = models.ManyToManyField(
        "channels.Channel", related_name="exclusive_rules", verbose_name=_("channels")
    )
    starts_at = models.DateTimeField(_("starts at (UTC)"))
    ends_at = models.DateTimeField(
        _("ends at (UTC)"), null=True, blank=True, help_text=_("Leave empty for no end date.")
    )
    reason = models.CharField(
        _("reason or agreement reference"), max_length=255, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)
    date_updated = models.DateTimeField(_("date updated"), auto_now=True)
    # Follow-up work (suspensions, notices) done for the start and for the end.
    start_processed_at = models.DateTimeField(null=True, blank=True, editable=False)
    end_processed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ExclusiveRuleQuerySet.as_manager()

    class Meta:
        ordering = ("-starts_at", "-pk")
        verbose_name = _("exclusive-listing rule")
        verbose_name_plural = _("exclusive-listing rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="exclusiverule_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]
        indexes = [models.Index(fields=("product", "starts_at"))]

    def __str__(self):
        return f"{self.product} · {self.store}"


class ListingSuspension(models.Model):
    """
    A listing taken off sale because another store holds an exclusive on it.

    The listing's ``is_live`` is switched off (so every path that sells only
    live listings stops selling it); this row says why, so it is told apart
    from a seller's own off-sale and switched back on when the rule ends.
    """

    listing = models.OneToOneField(
        "partner.StockRecord", on_delete=models.CASCADE, related_name="exclusive_suspension",
        verbose_name=_("listing"),
    )
    rule = models.ForeignKey(
        ExclusiveRule, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="suspensions", verbose_name=_("exclusive-listing rule"),
    )
    suspended_at = models.DateTimeField(_("suspended at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suspended listing")
        verbose_name_plural = _("suspended listings")

    def __str__(self):
        return str(self.listing)
