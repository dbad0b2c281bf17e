"""
Customer service per channel: how to reach it, and the requests it answers.

A channel's help desk (its phone, WhatsApp number, e-mail address and hours,
in the channel's time zone) is data its operators keep in the admin. A help
request has a reference the shopper quotes, may be tied to an order, and is a
thread of messages between the shopper and the channel's customer-service
agents (members of the channel of the kind "agent").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.localisation.content import Translation

from . import return_rules


class HelpDesk(models.Model):
    channel = models.OneToOneField(
        "channels.Channel", on_delete=models.CASCADE, related_name="help_desk", verbose_name=_("channel")
    )
    phone = models.CharField(_("phone"), max_length=32)
    whatsapp = models.CharField(_("WhatsApp"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail address"))
    days = models.CharField(_("days open"), max_length=64, help_text=_("For example: Monday to Saturday."))
    opens_at = models.TimeField(_("opens at"), help_text=_("In the channel's time zone."))
    closes_at = models.TimeField(_("closes at"), help_text=_("In the channel's time zone."))
    return_days = models.PositiveSmallIntegerField(
        _("return window, in days"), default=7, help_text=_("Days after delivery a shopper may ask to return an item."),
    )

    class Meta:
        verbose_name = _("help desk")
        verbose_name_plural = _("help desks")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="helpdesk_opens_before_closing"),
        ]

    def __str__(self):
        return str(self.channel)


class HelpDeskTranslation(Translation):
    parent = models.ForeignKey(HelpDesk, on_delete=models.CASCADE, related_name="translations")
    days = models.CharField(_("days open"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("parent", "language"), name="helpdesk_one_per_language")
        ]


class HelpRequest(models.Model):
    DELIVERY, PAYMENT, RETURNS, WARRANTY, OTHER = "delivery", "payment", "returns", "warranty", "other"
    TOPICS = [
        (DELIVERY, _("Delivery")), (PAYMENT, _("Payment")), (RETURNS, _("Returns and refunds")),
        (WARRANTY, _("Warranty and repairs")), (OTHER, _("Something else")),
    ]
    OPEN, ANSWERED, CLOSED = "open", "answered", "closed"
    STATUSES = [(OPEN, _("Waiting for us")), (ANSWERED, _("Answered")), (CLOSED, _("Closed"))]

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="help_requests",
                                verbose_name=_("channel"))
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="help_requests", verbose_name=_("order"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="help_requests", verbose_name=_("shopper"))
    name = models.CharField(_("name"), max_length=128)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    topic = models.CharField(_("topic"), max_length=16, choices=TOPICS)
    status = models.CharField(_("status"), max_length=16, choices=STATUSES, default=OPEN)
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)
    date_updated = models.DateTimeField(_("last message"), auto_now=True)

    class Meta:
        ordering = ("status", "-date_updated")
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")

    def __str__(self):
        return self.reference


class HelpMessage(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages",
                                verbose_name=_("help request"))
    from_agent = models.BooleanField(_("from customer service"), default=False, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               editable=False, related_name="+", verbose_name=_("author"))
    body = models.TextField(_("message"), max_length=4000)
    date_created = models.DateTimeField(_("date"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("request", "date_created", "pk")
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.request} #{self.pk}"


class ReturnRequest(models.Model):
    """A shopper asks to send back (some of) a delivered line; customer service or the seller decides.

    An approved return is refunded once the item is back (its warranty line
    with it), and the unit goes back into the listing's stock.
    """

    STATUSES = list(return_rules.LABELS.items())

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="return_requests",
                              verbose_name=_("order"), editable=False)
    line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="return_requests",
                             verbose_name=_("order line"), editable=False)
    quantity = models.PositiveSmallIntegerField(_("quantity"), editable=False)
    reason = models.TextField(_("reason"), max_length=2000, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=STATUSES, default=return_rules.REQUESTED)
    refusal_reason = models.TextField(_("reason for refusing"), max_length=2000, blank=True)
    refund = models.OneToOneField("payments.Refund", on_delete=models.PROTECT, null=True, blank=True,
                                  editable=False, related_name="return_request", verbose_name=_("refund"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, editable=False)
    # The decision (approved or refused) the shopper was told of by e-mail: told once.
    notified = models.CharField(_("decision e-mailed"), max_length=16, blank=True, editable=False)
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)
    date_updated = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ("-date_created",)
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="returnrequest_some_units"),
            models.CheckConstraint(condition=Q(status__in=list(return_rules.LABELS)),
                                   name="returnrequest_known_status"),
            # One return at a time per line: asking twice (a double click) makes one. A received
            # or refused return is over, so the line's other units can be returned after it.
            models.UniqueConstraint(fields=("line",),
                                    condition=Q(status__in=[return_rules.REQUESTED, return_rules.APPROVED]),
                                    name="returnrequest_one_open_per_line"),
        ]

    def __str__(self):
        return self.reference
