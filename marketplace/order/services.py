"""
Placing and changing orders. Services write; they run their own transactions.

``order_place`` turns a channel's basket into an order, exactly once per
checkout attempt, allocating stock with ``stock.allocate`` inside the order
transaction and re-checking every price and listing there.

Exclusive-listing rules are checked twice: before the transaction through the
strategy, and inside it *after* the listings are locked by the allocation, from
a fresh read of the rules in force. A rule being created locks the listings it
excludes before it commits (``exclusives.services``), so an order and a rule
racing are serialised by those row locks: see that module's docstring.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.order.utils import OrderCreator

from marketplace.channels import tax
from marketplace.exclusives import messages as exclusive_messages
from marketplace.exclusives import rules as exclusivity
from marketplace.exclusives.selectors import rules_in_force
from marketplace.partner.strategy import Excluded, Selector

from . import statuses, stock
from .models import Order, OrderTax
from .numbers import order_number

logger = logging.getLogger(__name__)


class CheckoutError(Exception):
    """The basket cannot become an order as it is; ``message`` says why, for the shopper."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


class _ChannelOrderCreator(OrderCreator):
    # Stock is allocated by stock.allocate, race-free, before the order rows
    # are written; Oscar's own allocation (check outside a lock) must not run.
    def update_stock_records(self, line):
        pass


@dataclass(frozen=True)
class Placed:
    order: Order
    created: bool  # False: this checkout attempt had already placed it


def _check_lines(basket, channel, strategy):
    """Every line is still sold here, at the price the shopper saw."""
    lines = list(basket.all_lines())
    for line in lines:
        listing = line.stockrecord
        info = strategy.fetch_for_product(line.product, listing)
        if listing is None or listing.channel_id != channel.pk or info.stockrecord is None:
            raise CheckoutError(
                _("“%(title)s” is no longer sold here. Please remove it from your basket.")
                % {"title": line.product.get_title()}
            )
        if isinstance(info.availability, Excluded):
            raise CheckoutError(info.availability.message)
        # ``price_incl_tax`` is what the line cost when it went into the basket.
        if info.price.incl_tax != line.price_incl_tax:
            raise CheckoutError(
                _("The price of “%(title)s” has changed. Please check your basket.")
                % {"title": line.product.get_title()}
            )
    return lines


def _check_exclusives(lines, channel):
    """Re-read the rules in force and refuse a line another store holds an exclusive on.

    Called inside the order transaction once the lines' listings are locked.
    """
    moment = timezone.now()
    rules = rules_in_force(channel=channel, moment=moment)
    if not rules:
        return
    for line in lines:
        listing = exclusivity.Listing.from_stockrecord(line.stockrecord, product=line.product)
        rule = exclusivity.excluding_rule(listing, rules, moment)
        if rule is not None:
            raise CheckoutError(
                exclusive_messages.sold_only_by(
                    product_title=line.product.get_title(), rule=rule, channel=channel
                )
            )


def order_totals(*, basket, shipping_method):
    shipping_charge = shipping_method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, shipping_charge)
    return shipping_charge, total


def order_place(
    *,
    channel,
    basket,
    user,
    guest_email: str = "",
    shipping_address,
    shipping_method,
    payment_option,
    checkout_key: str,
    expected_total: Decimal | None = None,
    request=None,
) -> Placed:
    """Place the basket's order once per ``checkout_key``; the same key again returns it."""
    existing = Order.objects.filter(checkout_key=checkout_key).first()
    if existing is not None:
        return Placed(existing, created=False)
    if basket.channel_id != channel.pk:
        raise CheckoutError(_("This basket belongs to another country."))
    if basket.is_empty:
        raise CheckoutError(_("Your basket is empty."))

    strategy = Selector().strategy(channel=channel, request=request, user=user)
    basket.strategy = strategy
    lines = _check_lines(basket, channel, strategy)
    shipping_charge, total = order_totals(basket=basket, shipping_method=shipping_method)
    if expected_total is not None and total.incl_tax != expected_total:
        raise CheckoutError(_("Your order total has changed. Please check it and confirm again."))
    payment_option.ensure_usable(channel=channel, total=total.incl_tax)

    try:
        with transaction.atomic():
            stock.allocate((line.stockrecord_id, line.quantity) for line in lines)
            # After the listings are locked: a rule committed meanwhile is seen here.
            _check_exclusives(lines, channel)
            if shipping_address is not None:
                shipping_address.save()
            order = _ChannelOrderCreator().place_order(
                basket=basket, total=total, shipping_method=shipping_method,
                shipping_charge=shipping_charge, user=user if user.is_authenticated else None,
                shipping_address=shipping_address, billing_address=None,
                order_number=order_number(channel, basket),
                status=payment_option.initial_order_status, request=request,
                # Extra Order fields (Oscar passes them through to the model).
                channel=channel, checkout_key=checkout_key, guest_email=guest_email,
            )
            OrderTax.objects.bulk_create(
                OrderTax(order=order, name=name, rate=rate, amount=amount)
                for name, rate, amount in tax.split(
                    total.tax, channel.tax_rates(), channel.today(), channel.currency
                )
            )
            payment_option.start_payment(order=order)
            basket.submit()
            _queue_confirmation(order, request)
    except stock.SoldOut as exc:
        raise CheckoutError(exc.message) from exc
    except IntegrityError:
        # A concurrent submission of the same attempt won the race.
        existing = Order.objects.filter(checkout_key=checkout_key).first()
        if existing is None:
            raise
        return Placed(existing, created=False)
    return Placed(order, created=True)


def _queue_confirmation(order, request):
    from .tasks import send_order_confirmation

    language = getattr(request, "LANGUAGE_CODE", None) or order.channel.default_language
    # After commit: never inside the order transaction or while rows are locked.
    transaction.on_commit(lambda: send_order_confirmation.delay(order.pk, language))


def _line_quantities(order):
    return [(line.stockrecord_id, line.quantity) for line in order.lines.all() if line.stockrecord_id]


def order_mark_paid(*, order: Order, reference: str = "") -> Order:
    """The provider confirmed the payment."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == statuses.AWAITING_PAYMENT:
            order.set_status(statuses.PAID)
            order.notes.create(note_type="System", message=f"Paid: {reference}")
    return order


def order_cancel(*, order: Order, reason: str) -> Order:
    """Cancel an order (failed or expired payment, shopper or operator) and free its stock."""
    from marketplace.payments.services import payments_void_pending

    with transaction.atomic():
        # Payments first, then the order: the lock order the payment services use.
        payments_void_pending(order_id=order.pk)
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == statuses.CANCELLED:
            return order
        releases = order.status in statuses.RELEASES_STOCK_ON_CANCEL
        order.set_status(statuses.CANCELLED)
        order.notes.create(note_type="System", message=reason)
        if releases:
            stock.release(_line_quantities(order))
    return order
