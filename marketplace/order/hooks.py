"""
Checks other packages add to placing an order, without this package importing them.

A check is ``check(*, basket, lines, channel, shipping_address, shipping_method,
payment_option, total)`` and raises ``CheckoutError`` to refuse. ``order_place``
runs them on its first look and again inside the order transaction, once the
listings are locked, so a rule changed meanwhile (a zone turned red) is seen.

A payment filter is ``filter(options, *, shipping_method, total) -> options``: the
payment step offers only what it keeps (a partner shop takes cash on delivery
only up to its own limit), so the shopper is never offered what placing refuses.
"""

PLACEMENT_CHECKS: list = []
PAYMENT_FILTERS: list = []


def register_placement_check(check) -> None:
    if check not in PLACEMENT_CHECKS:
        PLACEMENT_CHECKS.append(check)


def run_placement_checks(**kwargs) -> None:
    for check in PLACEMENT_CHECKS:
        check(**kwargs)


def register_payment_filter(payment_filter) -> None:
    if payment_filter not in PAYMENT_FILTERS:
        PAYMENT_FILTERS.append(payment_filter)


def filter_payment_options(options, *, shipping_method, total):
    for payment_filter in PAYMENT_FILTERS:
        options = payment_filter(options, shipping_method=shipping_method, total=total)
    return options
