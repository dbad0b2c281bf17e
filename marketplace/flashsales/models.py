"""
Flash sales: a festival groups sales of several channels; a sale is a time box in
one or more channels; a sale item is one listing with a sale price and units.

A **reservation** is a unit claimed by a shopper for a few minutes, on their
basket; placing the order turns it into the order's allocation, or it expires
and the unit goes back. ``SaleItem.units_taken`` and ``ShopperTally`` are the
counters of the database path (units reserved or ordered, in total and per
shopper), each changed only by conditional UPDATEs and bounded by CHECKs; the
Redis path keeps the same counters in Redis (see ``admission``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.localisation.content import Translation

from . import rules


class Festival(models.Model):
    """A named event grouping several channels' sales, with a landing page per channel."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)

    class Meta:
        ordering = ("-pk",)
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")

    def __str__(self):
        return self.name


class FestivalTranslation(Translation):
    parent = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("parent", "language"), name="festival_translation_unique")]
        verbose_name = _("festival translation")
        verbose_name_plural = _("festival translations")


class SaleQuerySet(models.QuerySet):
    def shown(self, moment):
        """Approved, not stopped, not ended: the sales pages show (live or upcoming)."""
        return self.filter(status=Sale.APPROVED, ends_at__gt=moment)


class Sale(models.Model):
    """Limited units at a sale price in some channels, from ``starts_at`` to ``ends_at``."""

    DRAFT, SUBMITTED, APPROVED, STOPPED = "draft", "submitted", "approved", "stopped"
    STATUS_CHOICES = [
        (DRAFT, pgettext_lazy("flash sale status", "Draft")),
        (SUBMITTED, pgettext_lazy("flash sale status", "Awaiting approval")),
        (APPROVED, pgettext_lazy("flash sale status", "Approved")),
        (STOPPED, pgettext_lazy("flash sale status", "Stopped")),
    ]

    festival = models.ForeignKey(
        Festival, on_delete=models.PROTECT, null=True, blank=True, related_name="sales",
        verbose_name=_("festival"),
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("For the back office."))
    seller = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="flash_sales",
        verbose_name=_("seller or official store"),
        help_text=_("Only this seller's listings can be put on this sale."),
    )
    channels = models.ManyToManyField("channels.Channel", related_name="flash_sales", verbose_name=_("channels"))
    starts_at = models.DateTimeField(_("starts at (UTC)"))
    ends_at = models.DateTimeField(_("ends at (UTC)"))
    reservation_minutes = models.PositiveSmallIntegerField(
        _("reservation minutes"), default=10,
        help_text=_("How long a claimed unit is held for the shopper before it goes back."),
    )
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES, default=DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"), editable=False,
    )
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True, editable=False)
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)

    objects = SaleQuerySet.as_manager()

    class Meta:
        ordering = ("starts_at", "pk")
        verbose_name = _("flash sale")
        verbose_name_plural = _("flash sales")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="flashsale_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(reservation_minutes__gte=1, reservation_minutes__lte=60),
                name="flashsale_reservation_minutes_range",
                violation_error_message=_("A reservation lasts from 1 to 60 minutes."),
            ),
        ]

    def __str__(self):
        return self.name

    def state(self, moment=None) -> str:
        return rules.sale_state(
            approved=self.status == self.APPROVED, stopped=self.status == self.STOPPED,
            starts_at=self.starts_at, ends_at=self.ends_at, moment=moment or timezone.now(),
        )


class SaleItem(models.Model):
    """One listing on a sale: its sale price, the units for the sale and the limits."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="items", verbose_name=_("flash sale"))
    listing = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="flash_sale_items",
        verbose_name=_("listing"),
    )
    sale_price = models.DecimalField(_("sale price (excl. tax)"), max_digits=12, decimal_places=2)
    units = models.PositiveIntegerField(_("units for the sale"))
    per_shopper_limit = models.PositiveSmallIntegerField(_("limit per shopper"), default=1)
    per_order_limit = models.PositiveSmallIntegerField(_("limit per order"), null=True, blank=True)
    # Database path: units reserved or ordered, never above ``units`` (ordered units are
    # counted from the reservations: an order never waits for this hot row).
    units_taken = models.PositiveIntegerField(_("units taken"), default=0, editable=False)
    # Units allocated on the listing for this sale and not yet any order's: out of
    # regular stock from approval to the stop or end (``holds``).
    units_held = models.PositiveIntegerField(_("units held"), default=0, editable=False)

    class Meta:
        ordering = ("sale", "pk")
        verbose_name = _("flash-sale item")
        verbose_name_plural = _("flash-sale items")
        constraints = [
            models.UniqueConstraint(fields=("sale", "listing"), name="flashsaleitem_listing_once"),
            models.CheckConstraint(condition=Q(units__gte=1), name="flashsaleitem_units_positive"),
            models.CheckConstraint(condition=Q(units_taken__lte=F("units")), name="flashsaleitem_taken_within_units"),
            models.CheckConstraint(condition=Q(units_held__lte=F("units")), name="flashsaleitem_held_within_units"),
            models.CheckConstraint(condition=Q(per_shopper_limit__gte=1), name="flashsaleitem_per_shopper_positive"),
            models.CheckConstraint(condition=Q(sale_price__gt=0), name="flashsaleitem_price_positive"),
        ]

    def __str__(self):
        return f"{self.sale} · {self.listing}"

    @property
    def limits(self) -> rules.ItemLimits:
        return rules.ItemLimits(units=self.units, per_shopper=self.per_shopper_limit, per_order=self.per_order_limit)


class ShopperTally(models.Model):
    """Units of an item a shopper holds (reserved or ordered): the per-shopper limit's counter.

    ``shopper`` is ``u:<user id>``, ``s:<session>`` for a guest's claim, or
    ``e:<e-mail>`` for a guest's order (the contact given at checkout).
    """

    item = models.ForeignKey(SaleItem, on_delete=models.CASCADE, related_name="tallies")
    shopper = models.CharField(max_length=160)
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("item", "shopper"), name="flashsale_tally_once")]

    def __str__(self):
        return f"{self.shopper}: {self.taken}"


class ReservationQuerySet(models.QuerySet):
    def held(self, moment):
        return self.filter(status=Reservation.RESERVED, expires_at__gt=moment)


class Reservation(models.Model):
    """A claimed unit (or units) held for a shopper on their basket until ``expires_at``."""

    RESERVED, ORDERED, EXPIRED, RELEASED = "reserved", "ordered", "expired", "released"
    STATUS_CHOICES = [
        (RESERVED, pgettext_lazy("reservation status", "Reserved")),
        (ORDERED, pgettext_lazy("reservation status", "Ordered")),
        (EXPIRED, pgettext_lazy("reservation status", "Expired")),
        (RELEASED, pgettext_lazy("reservation status", "Released")),
    ]

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(SaleItem, on_delete=models.PROTECT, related_name="reservations",
                             verbose_name=_("flash-sale item"))
    shopper = models.CharField(_("shopper"), max_length=160)
    basket = models.ForeignKey("basket.Basket", on_delete=models.SET_NULL, null=True, related_name="+")
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=STATUS_CHOICES, default=RESERVED)
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    order = models.ForeignKey("order.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Which path granted it: released through the same one.
    via_redis = models.BooleanField(default=False)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        ordering = ("-pk",)
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        indexes = [models.Index(fields=("status", "expires_at")), models.Index(fields=("item", "status"))]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="reservation_quantity_positive")]

    def __str__(self):
        return f"{self.item} × {self.quantity}"


class AcceptedOrder(models.Model):
    """A flash-sale order taken at the peak: its number given, Oscar's order rows written by a worker.

    Written in the same transaction that turns the basket's reservations into ordered units
    (``accepting.order_accept``): from then on the units are the order's and the shopper
    has its number. A worker writes Oscar's order with that number, at this total, from the
    frozen basket (``accepting.accepted_order_place``); ``order`` is set then.
    """

    number = models.CharField(_("order number"), max_length=128, unique=True)
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("channel"))
    basket = models.OneToOneField("basket.Basket", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    guest_email = models.EmailField(_("guest e-mail"), blank=True)
    checkout_key = models.CharField(max_length=64, unique=True)
    # The delivery address as the form cleaned it (ShippingAddress's fields).
    address = models.JSONField()
    method_code = models.CharField(max_length=128)
    option_code = models.CharField(max_length=64)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    language = models.CharField(max_length=16)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    order = models.OneToOneField("order.Order", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    # Why the worker could not write the order yet (kept for the operators; it retries).
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ("-pk",)
        verbose_name = _("accepted flash-sale order")
        verbose_name_plural = _("accepted flash-sale orders")
        indexes = [models.Index(fields=("accepted_at",), condition=Q(order__isnull=True), name="acceptedorder_waiting")]

    def __str__(self):
        return self.number
