"""Partner shops, their hours, the zones they deliver in, and the orders they receive."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from marketplace.locator.models import Located, located_constraints, located_index


class Retailer(Located):
    """A partner retailer's shop: a seller with an address, hours and a delivery area."""

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="retailer",
        verbose_name=_("seller"),
    )
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, related_name="retailers",
        verbose_name=_("channel"),
    )
    slug = models.SlugField(
        _("address on the site"), max_length=64,
        help_text=_("The shop's own page is /<country>/r/<this>/ (letters, digits, hyphens)."),
    )
    name = models.CharField(_("shop name"), max_length=128)
    address = models.CharField(_("address"), max_length=255)
    city = models.CharField(_("city"), max_length=128)
    district = models.CharField(_("district"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, help_text=_("With the country code: +234…"))
    whatsapp = models.CharField(
        _("WhatsApp number"), max_length=32, blank=True, help_text=_("With the country code: +234…")
    )
    photo = models.ImageField(_("photo"), upload_to="retail/shops/", blank=True)
    brands = models.ManyToManyField(
        "brands.Brand", blank=True, related_name="partner_retailers",
        verbose_name=_("authorised partner of"),
    )
    delivery_radius_km = models.DecimalField(
        _("delivers within (km)"), max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text=_("From the shop to the delivery address's city. Empty: districts only."),
    )
    delivery_districts = models.JSONField(
        _("delivers to the districts"), default=list, blank=True,
        help_text=_("Districts of the shop's city it delivers to, e.g. [\"Ikeja\", \"Yaba\"]."),
    )
    cash_on_delivery_limit = models.DecimalField(
        _("pay on delivery up to"), max_digits=12, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Largest order total the shop takes in cash or mobile money at the door."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)

    class Meta:
        ordering = ("channel", "city", "name")
        verbose_name = _("partner retailer")
        verbose_name_plural = _("partner retailers")
        indexes = [located_index("channel", "is_active", name="retailer_located")]
        constraints = [
            models.UniqueConstraint(
                fields=("channel", "slug"), name="retailer_slug_per_channel",
                violation_error_message=_("Another shop of this country has this address."),
            ),
            models.CheckConstraint(
                condition=Q(cash_on_delivery_limit__gte=0), name="retailer_cod_limit_not_negative"
            ),
            *located_constraints("retailer"),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"


WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]


class OpeningHours(models.Model):
    """A span the shop is open on a weekday, in its channel's time zone."""

    retailer = models.ForeignKey(
        Retailer, on_delete=models.CASCADE, related_name="hours", verbose_name=_("shop")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ("retailer", "weekday", "opens")
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="openinghours_closes_after_opening",
                violation_error_message=_("A shop closes after it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Zone(models.Model):
    """
    The authorities' status of an area from a moment on. The latest status that has
    started applies; a district's status overrides its city's.
    """

    GREEN, ORANGE, RED = "green", "orange", "red"
    STATUSES = [
        (GREEN, pgettext_lazy("zone status", "Green: home delivery")),
        (ORANGE, pgettext_lazy("zone status", "Orange: contactless delivery in set hours")),
        (RED, pgettext_lazy("zone status", "Red: no delivery")),
    ]

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="zones",
        verbose_name=_("channel"),
    )
    city = models.CharField(_("city"), max_length=128)
    district = models.CharField(
        _("district"), max_length=128, blank=True, help_text=_("Empty: the whole city.")
    )
    status = models.CharField(_("status"), max_length=8, choices=STATUSES)
    starts_at = models.DateTimeField(_("applies from"))
    delivery_from = models.TimeField(
        _("deliveries from"), null=True, blank=True,
        help_text=_("Orange: contactless deliveries only from this time (local)."),
    )
    delivery_until = models.TimeField(
        _("deliveries until"), null=True, blank=True,
        help_text=_("Orange: contactless deliveries only until this time (local)."),
    )
    shop_pickup_allowed = models.BooleanField(
        _("pickup at the shop door allowed"), default=True,
        help_text=_("Orange and red: whether shoppers may collect at the shop door."),
    )

    class Meta:
        ordering = ("channel", "city", "district", "-starts_at")
        verbose_name = _("zone status")
        verbose_name_plural = _("zone statuses")
        indexes = [models.Index(fields=("channel", "city", "starts_at"), name="zone_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="orange")
                | Q(delivery_from__isnull=False, delivery_until__isnull=False,
                    delivery_until__gt=F("delivery_from")),
                name="zone_orange_has_hours",
                violation_error_message=_("An orange zone needs its delivery hours, in order."),
            ),
        ]

    def __str__(self):
        area = f"{self.city} / {self.district}" if self.district else self.city
        return f"{area}: {self.get_status_display()}"


class RetailPolicy(models.Model):
    """What a channel's operators set for all its partner retailers."""

    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.CASCADE, related_name="retail_policy",
        verbose_name=_("channel"),
    )
    answer_within_minutes = models.PositiveSmallIntegerField(
        _("shops answer an order within (minutes)"), default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    delivery_code_tries = models.PositiveSmallIntegerField(
        _("tries of a delivery code"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )

    class Meta:
        verbose_name = _("partner retailer policy")
        verbose_name_plural = _("partner retailer policies")

    def __str__(self):
        return str(self.channel)


class RetailOrder(models.Model):
    """An order placed through a partner shop: the shop's answer and its delivery."""

    NEW, ACCEPTED, DECLINED, EXPIRED = "new", "accepted", "declined", "expired"
    OUT_FOR_DELIVERY, DELIVERED = "out", "delivered"
    STATUSES = [
        (NEW, pgettext_lazy("retail order", "New: to answer")),
        (ACCEPTED, pgettext_lazy("retail order", "Accepted")),
        (DECLINED, pgettext_lazy("retail order", "Declined")),
        (EXPIRED, pgettext_lazy("retail order", "Not answered in time")),
        (OUT_FOR_DELIVERY, pgettext_lazy("retail order", "Out for delivery")),
        (DELIVERED, pgettext_lazy("retail order", "Delivered")),
    ]
    DELIVERY, PICKUP = "delivery", "pickup"
    HANDOVERS = [
        (DELIVERY, _("Delivery by the shop")),
        (PICKUP, _("Pickup at the shop door")),
    ]

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="retail", verbose_name=_("order")
    )
    retailer = models.ForeignKey(
        Retailer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("shop")
    )
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=NEW)
    handover = models.CharField(_("handover"), max_length=8, choices=HANDOVERS, default=DELIVERY)
    contactless = models.BooleanField(_("contactless"), default=False)
    answer_by = models.DateTimeField(_("to answer by"))
    delivery_code = models.CharField(_("delivery code"), max_length=8, editable=False)
    code_tries = models.PositiveSmallIntegerField(_("wrong codes entered"), default=0, editable=False)
    # The shopper's language when ordering: their texts and e-mails about the order are
    # in it. Empty (orders from before it was kept): the channel's default language.
    language = models.CharField(_("language"), max_length=8, blank=True, default="", editable=False)
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)
    date_updated = models.DateTimeField(_("date updated"), auto_now=True)

    class Meta:
        ordering = ("-date_created",)
        verbose_name = _("partner retailer order")
        verbose_name_plural = _("partner retailer orders")
        indexes = [models.Index(fields=("status", "answer_by"), name="retailorder_to_answer")]

    def __str__(self):
        return self.order.number


class ShopperNotice(models.Model):
    """A message sent to the shopper about a shop's order: each event once per medium."""

    retail_order = models.ForeignKey(
        RetailOrder, on_delete=models.CASCADE, related_name="notices", verbose_name=_("order")
    )
    event = models.CharField(_("event"), max_length=16)
    medium = models.CharField(_("medium"), max_length=8, default="email")
    date_sent = models.DateTimeField(_("date sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("shopper notice")
        verbose_name_plural = _("shopper notices")
        constraints = [
            models.UniqueConstraint(
                fields=("retail_order", "event", "medium"), name="shoppernotice_once"
            ),
        ]

    def __str__(self):
        return f"{self.retail_order} · {self.event} ({self.medium})"


class OrderRequest(models.Model):
    """A shopper's order sent by text or WhatsApp to a shop's number, for the shop to
    confirm with them and turn into an order (one per message, however often it came)."""

    NEW, ORDERED, DECLINED = "new", "ordered", "declined"
    STATUSES = [
        (NEW, pgettext_lazy("order request", "New: to confirm with the shopper")),
        (ORDERED, pgettext_lazy("order request", "Ordered")),
        (DECLINED, pgettext_lazy("order request", "Declined")),
    ]

    retailer = models.ForeignKey(
        Retailer, on_delete=models.PROTECT, related_name="order_requests", verbose_name=_("shop")
    )
    message = models.OneToOneField(
        "messaging.InboundMessage", on_delete=models.PROTECT, related_name="order_request",
        verbose_name=_("message"),
    )
    medium = models.CharField(_("sent by"), max_length=8)
    phone = models.CharField(_("shopper's number"), max_length=20)
    language = models.CharField(_("language"), max_length=8)
    listing = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="+", verbose_name=_("listing")
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    status = models.CharField(_("status"), max_length=8, choices=STATUSES, default=NEW)
    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, null=True, blank=True,
        related_name="message_request", verbose_name=_("order"),
    )
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)

    class Meta:
        ordering = ("-date_created",)
        verbose_name = _("order by message")
        verbose_name_plural = _("orders by message")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=20), name="orderrequest_quantity_range"
            ),
        ]

    def __str__(self):
        return f"R-{self.pk}"


class RetailerInvitation(models.Model):
    """A country operator's e-mail invitation to a new partner retailer: a signed link,
    valid for a few days, used once to open the shop and its retailer account."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="retailer_invitations",
        verbose_name=_("channel"),
    )
    # It becomes the retailer's username, which Django caps at 150 characters.
    email = models.EmailField(_("e-mail"), max_length=150)
    shop_name = models.CharField(_("shop name"), max_length=128, blank=True)
    nonce = models.CharField(max_length=32, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("invited by"),
    )
    expires_at = models.DateTimeField(_("valid until"), editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    retailer = models.OneToOneField(
        Retailer, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="invitation", verbose_name=_("shop"),
    )
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)

    class Meta:
        ordering = ("-date_created",)
        verbose_name = _("partner retailer invitation")
        verbose_name_plural = _("partner retailer invitations")

    def __str__(self):
        return f"{self.email} ({self.channel})"
