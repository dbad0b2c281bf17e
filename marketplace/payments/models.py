"""
How shoppers pay: the options a channel offers and the payments made with them.

A ``PaymentOption`` is one way to pay in one country (Pay on Delivery up to a
cap, M-Pesa through a provider, card through another). A ``Payment`` is one
attempt to pay one order online, in the order's currency, with an unguessable
reference the provider echoes back and an expiry after which it expires (its
order, if still awaiting it, is then cancelled: ``transitions``). A ``PaymentNotification`` is one event a provider told us about,
kept once (by its event id) so a callback delivered five times counts once.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from marketplace.channels.money import format_money, has_valid_precision
from marketplace.order import statuses
from marketplace.order.exceptions import CheckoutError

from . import conf
from .providers import PAY_ON_DELIVERY, provider_choices, usable_codes


class Method(models.TextChoices):
    PAY_ON_DELIVERY = "pay_on_delivery", _("Pay on delivery")
    CARD = "card", _("Card")
    MPESA = "mpesa", _("M-Pesa")
    MTN_MOMO = "mtn_momo", _("MTN Mobile Money")
    ORANGE_MONEY = "orange_money", _("Orange Money")


MOBILE_MONEY = frozenset({Method.MPESA, Method.MTN_MOMO, Method.ORANGE_MONEY})

DESCRIPTIONS = {
    Method.PAY_ON_DELIVERY: _("Pay the courier in cash or by card when your order arrives."),
    Method.CARD: _("Pay now with a Visa, Mastercard or Verve card."),
    Method.MPESA: _("Approve the payment on your phone with M-Pesa."),
    Method.MTN_MOMO: _("Approve the payment on your phone with MTN Mobile Money."),
    Method.ORANGE_MONEY: _("Approve the payment on your phone with Orange Money."),
}


def new_reference() -> str:
    """Unguessable: the reference alone opens the payment's status page."""
    return secrets.token_urlsafe(24)


class PaymentOptionQuerySet(models.QuerySet):
    def usable_for(self, channel, total: Decimal):
        """Active options of ``channel`` whose cap (if any) allows ``total``."""
        return self.filter(
            Q(max_order_total__isnull=True) | Q(max_order_total__gte=total),
            channel=channel, is_active=True, provider__in=usable_codes(),
        ).order_by("position", "pk")


class PaymentOption(models.Model):
    """One way to pay in one channel, through one provider."""

    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="payment_options",
        verbose_name=_("channel"),
    )
    method = models.CharField(_("method"), max_length=32, choices=Method.choices)
    provider = models.CharField(
        _("provider"), max_length=32, choices=provider_choices,
        help_text=_("The configured provider that takes the payment."),
    )
    max_order_total = models.DecimalField(
        _("maximum order total"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("In the channel's currency, tax included; not offered above it. "
                    "Empty: no limit."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = PaymentOptionQuerySet.as_manager()

    class Meta:
        ordering = ("channel", "position", "pk")
        verbose_name = _("payment option")
        verbose_name_plural = _("payment options")
        constraints = [
            models.UniqueConstraint(
                fields=("channel", "method", "provider"), name="paymentoption_unique_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(max_order_total__isnull=True) | Q(max_order_total__gte=0),
                name="paymentoption_cap_not_negative",
            ),
            # Pay on delivery has no provider, and no provider is "pay on delivery".
            models.CheckConstraint(
                condition=(Q(method=Method.PAY_ON_DELIVERY) & Q(provider=PAY_ON_DELIVERY))
                | (~Q(method=Method.PAY_ON_DELIVERY) & ~Q(provider=PAY_ON_DELIVERY)),
                name="paymentoption_pod_without_provider",
            ),
            models.CheckConstraint(
                condition=Q(method__in=Method.values), name="paymentoption_known_method"
            ),
        ]

    def __str__(self):
        return f"{self.channel.code.upper()} {self.get_method_display()} ({self.provider})"

    @property
    def label(self) -> str:
        return self.get_method_display()

    @property
    def description(self) -> str:
        return DESCRIPTIONS.get(self.method, "")

    @property
    def is_pay_on_delivery(self) -> bool:
        return self.method == Method.PAY_ON_DELIVERY

    @property
    def is_mobile_money(self) -> bool:
        return self.method in MOBILE_MONEY

    @property
    def initial_order_status(self) -> str:
        return statuses.initial_status(pays_online=not self.is_pay_on_delivery)

    def clean(self):
        errors = {}
        if self.method == Method.PAY_ON_DELIVERY and self.provider != PAY_ON_DELIVERY:
            errors["provider"] = _("Pay on delivery takes no provider: choose “%(none)s”.") % {
                "none": PAY_ON_DELIVERY}
        elif self.method != Method.PAY_ON_DELIVERY and self.provider == PAY_ON_DELIVERY:
            errors["provider"] = _("Online payments need a provider.")
        if (
            self.max_order_total is not None and self.channel_id
            and not has_valid_precision(self.max_order_total, self.channel.currency)
        ):
            errors["max_order_total"] = _(
                "Amounts in %(currency)s cannot be smaller than its smallest unit; round this one."
            ) % {"currency": self.channel.currency}
        if errors:
            raise ValidationError(errors)

    def format_cap(self, language: str | None = None) -> str:
        if self.max_order_total is None:
            return ""
        channel = self.channel
        return format_money(
            self.max_order_total, channel.currency, language or channel.default_language,
            channel.country.code,
        )

    def ensure_usable(self, *, channel, total: Decimal) -> None:
        """Raise ``CheckoutError`` when this option cannot pay ``total`` in ``channel``."""
        if self.channel_id != channel.pk:
            raise CheckoutError(gettext("This payment method is not offered in this country."))
        if not self.is_active or self.provider not in usable_codes():
            raise CheckoutError(gettext(
                "This payment method is not available at the moment. Please choose another one."
            ))
        if self.max_order_total is not None and total > self.max_order_total:
            raise CheckoutError(gettext(
                "%(method)s is only available for orders up to %(limit)s. "
                "Please choose another payment method."
            ) % {"method": self.label, "limit": self.format_cap((get_language() or "en")[:2])})

    def start_payment(self, *, order):
        """
        The order's online payment, pending until the provider reports; None for pay on delivery.

        Runs inside the order transaction: rows only, never a provider call.
        """
        if self.is_pay_on_delivery:
            return None
        return Payment.objects.create(
            order=order, option=self, provider=self.provider, method=self.method,
            amount=order.total_incl_tax, currency=order.currency,
            expires_at=timezone.now() + conf.payment_timeout(),
        )


class PaymentStatus(models.TextChoices):
    # The values are the order rules' (marketplace.order.statuses), which decide with them.
    PENDING = statuses.PAYMENT_PENDING, pgettext_lazy("payment status", "Waiting for payment")
    SUCCEEDED = statuses.PAYMENT_SUCCEEDED, pgettext_lazy("payment status", "Paid")
    FAILED = statuses.PAYMENT_FAILED, pgettext_lazy("payment status", "Failed")
    EXPIRED = statuses.PAYMENT_EXPIRED, pgettext_lazy("payment status", "Expired")


class Payment(models.Model):
    """One online payment of one order."""

    Status = PaymentStatus
    FINAL = frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.FAILED, PaymentStatus.EXPIRED})

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="payments", verbose_name=_("order")
    )
    option = models.ForeignKey(
        PaymentOption, on_delete=models.PROTECT, related_name="payments",
        verbose_name=_("payment option"),
    )
    provider = models.CharField(_("provider"), max_length=32)
    method = models.CharField(_("method"), max_length=32, choices=Method.choices)
    reference = models.CharField(
        _("reference"), max_length=64, unique=True, default=new_reference, editable=False
    )
    provider_reference = models.CharField(
        _("provider's reference"), max_length=128, blank=True, db_index=True,
        help_text=_("The provider's own id of the transaction, where it has one."),
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    redirect_url = models.CharField(_("provider URL"), max_length=1000, blank=True, editable=False)
    created_at = models.DateTimeField(_("date created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expiry time"))
    completed_at = models.DateTimeField(_("completion time"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="payment_currency_iso_4217"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payment_known_status"
            ),
            # A final payment has its completion time; a pending one has none.
            models.CheckConstraint(
                condition=Q(status="pending", completed_at__isnull=True)
                | (~Q(status="pending") & Q(completed_at__isnull=False)),
                name="payment_completed_when_final",
            ),
            # However often an order is submitted, it waits for one payment at a time.
            models.UniqueConstraint(
                fields=("order",), condition=Q(status="pending"),
                name="payment_one_pending_per_order",
            ),
        ]
        indexes = [models.Index(fields=("status", "expires_at"), name="payment_status_expiry")]

    def __str__(self):
        return f"{self.reference} {self.amount} {self.currency} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def is_mobile_money(self) -> bool:
        return self.method in MOBILE_MONEY

    def is_stale(self, now=None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= (now or timezone.now())


class PaymentNotification(models.Model):
    """One event reported by a provider, kept once however often it is delivered."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("payment notification", "applied")
        IGNORED = "ignored", pgettext_lazy("payment notification", "ignored: the payment was already settled")

    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("payment")
    )
    provider = models.CharField(_("provider"), max_length=32)
    event_id = models.CharField(_("event id"), max_length=128)
    status = models.CharField(_("reported status"), max_length=16)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    payload = models.JSONField(_("payload"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    received_at = models.DateTimeField(_("date received"), auto_now_add=True)

    class Meta:
        ordering = ("-received_at", "-pk")
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        constraints = [
            models.UniqueConstraint(
                fields=("provider", "event_id"), name="paymentnotification_once_per_event"
            ),
        ]

    def __str__(self):
        return f"{self.provider}:{self.event_id} {self.status}"


class RefundStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("refund status", "Being refunded")
    SUCCEEDED = "succeeded", pgettext_lazy("refund status", "Refunded")
    FAILED = "failed", pgettext_lazy("refund status", "Refund failed")
    MANUAL = "manual", pgettext_lazy("refund status", "To be paid back by customer service")


class Refund(models.Model):
    """Money given back on an order: through its online payment's provider, or by hand.

    ``key`` makes asking twice one refund (a return received twice, a double
    click); ``reference`` is what the provider echoes in its signed callback.
    An order paid on delivery has no online payment: its refund is ``manual``.
    """

    Status = RefundStatus

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refunds",
                              verbose_name=_("order"))
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="refunds", verbose_name=_("payment"))
    key = models.CharField(_("idempotency key"), max_length=64, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=64, unique=True, default=new_reference,
                                 editable=False)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    reason = models.CharField(_("reason"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=RefundStatus.choices,
                              default=RefundStatus.PENDING)
    requested_at = models.DateTimeField(_("asked of the provider"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("date created"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completion time"), null=True, blank=True)
    # The outcome (succeeded or failed) the shopper was told of by e-mail: told once.
    outcome_emailed = models.CharField(_("outcome e-mailed"), max_length=16, blank=True, editable=False)
    # Paid back by hand (pay on delivery, a provider without refunds): one operator records
    # how, a second one confirms it; only then is it refunded.
    payout_reference = models.CharField(
        _("how it was paid back"), max_length=128, blank=True,
        help_text=_("The bank transfer or mobile money reference of the money paid back."),
    )
    payout_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("paid back by"),
    )
    payout_recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True, editable=False)
    payout_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("confirmed by"),
    )
    payout_confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=RefundStatus.values), name="refund_known_status"),
            # Through a provider, or by hand when there was no online payment (then refunded
            # once a second operator confirmed the payout).
            models.CheckConstraint(
                condition=Q(payment__isnull=False) | Q(status="manual")
                | Q(status="succeeded", payout_confirmed_by__isnull=False),
                name="refund_manual_without_payment",
            ),
            # Four eyes: whoever recorded a payout by hand never confirms it.
            models.CheckConstraint(
                condition=Q(payout_confirmed_by__isnull=True)
                | (Q(payout_recorded_by__isnull=False) & ~Q(payout_confirmed_by=models.F("payout_recorded_by"))),
                name="refund_payout_confirmed_by_another",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.amount} {self.currency} ({self.status})"

    def format_amount(self, language: str | None = None) -> str:
        channel = self.order.channel
        return format_money(self.amount, self.currency, language or (get_language() or "en")[:2],
                            channel.country.code)
