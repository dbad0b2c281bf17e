"""
Placing orders. Services write; they run their own transactions.

``order_place`` turns a channel's basket into an order, exactly once per
checkout attempt and once per basket, allocating stock with ``stock.allocate``
inside the order transaction and re-checking every price, listing and the
total there, after the listings are locked. Status moves after that (paid,
shipped, cancelled) are ``marketplace.payments.transitions``: the order app
never imports payments, it is handed the payment option.

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
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.calculators import OrderTotalCalculator
from oscar.apps.order.utils import OrderCreator

from marketplace.basket.models import Basket
from marketplace.channels import tax
from marketplace.exclusives import messages as exclusive_messages
from marketplace.exclusives import rules as exclusivity
from marketplace.exclusives.selectors import rules_in_force
from marketplace.localisation.catalogue import load_translations, product_title
from marketplace.localisation.content import (
    current_languages,
    fallback_languages,
    needs_translations,
)
from marketplace.partner import dependent_lines, sale_terms
from marketplace.partner.models import StockRecord
from marketplace.partner.strategy import Refused, Selector

from . import stock
from .exceptions import CheckoutError
from .hooks import run_placement_checks
from .models import Order, OrderTax
from .numbers import order_number

__all__ = ["CheckoutError", "Placed", "order_check", "order_place", "order_totals"]

logger = logging.getLogger(__name__)


class _ChannelOrderCreator(OrderCreator):
    def __init__(self, *, languages):
        super().__init__()
        self.languages = languages
        # Basket line id -> its order line: a dependent line's order line points at
        # its product's (Oscar creates the lines in the basket's order, product first).
        self.order_lines = {}

    # Stock is allocated by stock.allocate, race-free, before the order rows
    # are written; Oscar's own allocation (check outside a lock) must not run.
    def update_stock_records(self, line):
        pass

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        # The title as the shopper read it (Oscar stores the English base title):
        # the confirmation, the order pages and the e-mail show the stored title.
        kind = dependent_lines.kind_for(basket_line)
        if kind is None:
            fields = {**(extra_line_fields or {}),
                      "title": product_title(basket_line.product, self.languages)}
        else:
            fields = {
                **(extra_line_fields or {}),
                "title": kind.title(line=basket_line, languages=self.languages),
                "parent_line": self.order_lines[basket_line.parent_line_id],
                "num_allocated": 0,  # takes no stock
            }
        order_line = super().create_line_models(order, basket_line, fields)
        self.order_lines[basket_line.pk] = order_line
        if kind is not None:
            kind.order_line_created(basket_line=basket_line, order_line=order_line)
        return order_line


@dataclass(frozen=True)
class Placed:
    order: Order
    created: bool  # False: this checkout attempt had already placed it


def _check_lines(lines, channel, strategy):
    """Every line is still sold here, at the price the shopper saw.

    A dependent line (an extended warranty) is priced again from its product
    line: a plan that no longer covers the product, or whose price is not the
    one stored on the line, refuses the order like any other line.
    """
    for line in lines:
        listing = line.stockrecord
        # As the line is priced (a flash-sale reservation's terms come through here).
        info = strategy.fetch_for_line(line, listing)
        if listing is None or listing.channel_id != channel.pk or info.stockrecord is None:
            raise CheckoutError(
                _("“%(title)s” is no longer sold here. Please remove it from your basket.")
                % {"title": _line_title(line)}
            )
        if isinstance(info.availability, Refused):
            raise CheckoutError(info.availability.message)
        # ``price_incl_tax`` is what the line cost when it went into the basket.
        if info.price.incl_tax != line.price_incl_tax:
            raise CheckoutError(
                _("The price of “%(title)s” has changed. Please check your basket.")
                % {"title": _line_title(line)}
            )
    return lines


def _line_title(line) -> str:
    kind = dependent_lines.kind_for(line)
    if kind is not None:
        return kind.title(line=line, languages=current_languages(line.basket.channel))
    return product_title(line.product)


def _check_exclusives(lines, channel):
    """Re-read the rules in force and refuse a line another store holds an exclusive on.

    Called inside the order transaction once the lines' listings are locked.
    """
    moment = timezone.now()
    rules = rules_in_force(channel=channel, moment=moment)
    if not rules:
        return
    for line in lines:
        if line.parent_line_id is not None:
            continue  # its product line answers for it
        listing = exclusivity.Listing.from_stockrecord(line.stockrecord, product=line.product)
        rule = exclusivity.excluding_rule(listing, rules, moment)
        if rule is not None:
            raise CheckoutError(
                exclusive_messages.sold_only_by(
                    product_title=product_title(line.product), rule=rule, channel=channel
                )
            )


def _verify(
    *, basket, lines, channel, strategy, shipping_method, payment_option, expected_total,
    shipping_address=None,
):
    """The lines, prices, total and payment option still hold; the charge and total."""
    _check_lines(lines, channel, strategy)
    shipping_charge, total = order_totals(basket=basket, shipping_method=shipping_method)
    if expected_total is not None and total.incl_tax != expected_total:
        raise CheckoutError(_("Your order total has changed. Please check it and confirm again."))
    payment_option.ensure_usable(channel=channel, total=total.incl_tax)
    # Other packages' rules (a partner shop's zone and delivery area): see ``hooks``.
    run_placement_checks(
        basket=basket, lines=lines, channel=channel, shipping_address=shipping_address,
        shipping_method=shipping_method, payment_option=payment_option, total=total,
    )
    return shipping_charge, total


def _reload_listings(lines) -> None:
    """Give the lines their listings as committed now (called once the rows are locked)."""
    # With their sellers: the order lines copy the seller's name.
    fresh = StockRecord.objects.select_related("partner").in_bulk(
        [line.stockrecord_id for line in lines if line.stockrecord_id]
    )
    for line in lines:
        line.stockrecord = fresh.get(line.stockrecord_id)
        line.__dict__.pop("_info", None)  # Oscar's cached price of the line
    if lines:
        dependent_lines.forget(lines[0].basket)  # warranty plans read afresh too


def _lock_open_basket(basket, checkout_key) -> Order | None:
    """Lock the basket's row: None while it is open, else the order this attempt placed.

    Another session (another checkout key) that ordered the basket first makes
    this a clear refusal rather than a clash of order numbers.
    """
    row = (
        Basket.objects.select_for_update().filter(pk=basket.pk)
        # Oscar's order creation lists the basket's vouchers twice (locked, then to
        # record their use): whether it has any comes with the lock.
        .annotate(has_vouchers=Exists(Basket.vouchers.through.objects.filter(basket_id=OuterRef("pk"))))
        .values_list("status", "has_vouchers").first()
    )
    status, has_vouchers = row or (None, True)
    if not has_vouchers:
        none = basket.vouchers.none()
        none._result_cache, none._prefetch_done = [], True
        # (setattr: the view's basket is the request's lazy object)
        basket._prefetched_objects_cache = {**getattr(basket, "_prefetched_objects_cache", {}), "vouchers": none}
    if status is not None and status != Basket.SUBMITTED:
        return None
    existing = Order.objects.filter(checkout_key=checkout_key).first()
    if existing is None:
        raise CheckoutError(_(
            "This basket has already been ordered, in another window or on another device."
        ))
    return existing


def _create_order(*, creator, channel, number: str | None = None, **kwargs) -> Order:
    """Oscar's order creation with ``number`` (given to the shopper already), else a fresh random one.

    Oscar looks the number up before it writes anything (and refuses a taken one with a
    ValueError): that look is the check, not a second one of ours. A taken random number
    is drawn again; a ValueError for anything else, or for a given number, is Oscar's.
    """
    if number is not None:
        return creator.place_order(order_number=number, channel=channel, **kwargs)
    while True:
        number = order_number(channel)
        try:
            return creator.place_order(order_number=number, channel=channel, **kwargs)
        except ValueError:
            if not Order.objects.filter(number=number).exists():
                raise


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
    number: str | None = None,
    language: str | None = None,
) -> Placed:
    """Place the basket's order once per ``checkout_key``; the same key again returns it.

    ``number`` and ``language``: an order accepted before and written now by a worker
    (``flashsales.accepting``) keeps the number its shopper was given and their language.
    """
    if basket.status != Basket.OPEN:
        # Ordered already (this object was submitted): by this attempt, or refused below.
        # An open basket needs no look: the lock below finds an order placed meanwhile.
        existing = Order.objects.filter(checkout_key=checkout_key).first()
        if existing is not None:
            return Placed(existing, created=False)
    if basket.channel_id != channel.pk:
        raise CheckoutError(_("This basket belongs to another country."))
    if basket.is_empty:
        raise CheckoutError(_("Your basket is empty."))

    strategy = basket.strategy = _strategy(channel=channel, request=request, user=user)
    lines = list(basket.all_lines())
    languages = fallback_languages(language, channel) if language else _shopper_languages(channel, request)
    if needs_translations(languages):
        # The order lines keep the titles the shopper read: one query for every line.
        load_translations([line.product for line in lines], languages)
    checks = {
        "basket": basket, "lines": lines, "channel": channel, "strategy": strategy,
        "shipping_method": shipping_method, "payment_option": payment_option,
        "expected_total": expected_total, "shipping_address": shipping_address,
    }
    # A first look, before any lock: most refusals need none.
    _verify(**checks)

    try:
        with transaction.atomic():
            # The basket first: a second session ordering it waits here, then is refused.
            if (placed := _lock_open_basket(basket, checkout_key)) is not None:
                return Placed(placed, created=False)  # the same attempt, submitted twice
            # Dependent lines (extended warranties) take no stock; a line whose units
            # are held for it already (a flash sale's) takes them over (``order_placed``).
            product_lines = [line for line in lines if line.parent_line_id is None]
            moment = timezone.now()
            held = [line for line in product_lines
                    if sale_terms.allocated_already(line=line, channel=channel, moment=moment)]
            stock.allocate(
                ((line.stockrecord_id, line.quantity) for line in product_lines if line not in held),
                held=[line.stockrecord_id for line in held],
            )
            # After the listings are locked: a price, listing or rule committed
            # since the first look is seen here, and nothing is placed.
            _reload_listings(lines)
            shipping_charge, total = _verify(**checks)
            _check_exclusives(lines, channel)
            if shipping_address is not None:
                shipping_address.save()
            order = _create_order(
                creator=_ChannelOrderCreator(languages=languages), number=number,
                basket=basket, total=total, shipping_method=shipping_method,
                shipping_charge=shipping_charge, user=user if user.is_authenticated else None,
                shipping_address=shipping_address, billing_address=None,
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
            _queue_confirmation(order, language or _shopper_language(channel, request))
    except stock.SoldOut as exc:
        raise CheckoutError(exc.message) from exc
    except IntegrityError:
        # A concurrent submission of the same attempt won the race.
        existing = Order.objects.filter(checkout_key=checkout_key).first()
        if existing is None:
            raise
        return Placed(existing, created=False)
    return Placed(order, created=True)


def _strategy(*, channel, request, user):
    # The request's strategy when it is this channel's: its rules in force are read
    # already (the first look needs no fresher ones; the second, locked, reads them again).
    strategy = getattr(request, "strategy", None)
    if getattr(strategy, "channel", None) != channel:
        strategy = Selector().strategy(channel=channel, request=request, user=user)
    return strategy


def order_check(*, channel, basket, user, shipping_method, payment_option, expected_total: Decimal,
                shipping_address=None, request=None):
    """``order_place``'s checks, before its transaction: the lines, prices, total and options hold.

    For an order taken now and written later (``flashsales.accepting``): the (charge, total),
    or ``CheckoutError``.
    """
    if basket.channel_id != channel.pk:
        raise CheckoutError(_("This basket belongs to another country."))
    if basket.is_empty:
        raise CheckoutError(_("Your basket is empty."))
    strategy = basket.strategy = _strategy(channel=channel, request=request, user=user)
    return _verify(basket=basket, lines=list(basket.all_lines()), channel=channel, strategy=strategy,
                   shipping_method=shipping_method, payment_option=payment_option,
                   expected_total=expected_total, shipping_address=shipping_address)


def _shopper_language(channel, request) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or channel.default_language


def _shopper_languages(channel, request) -> list[str]:
    return fallback_languages(_shopper_language(channel, request), channel)


def _queue_confirmation(order, language: str):
    from .tasks import send_order_confirmation

    # After commit: never inside the order transaction or while rows are locked.
    transaction.on_commit(lambda: send_order_confirmation.delay(order.pk, language))
