"""
Checks other packages add to placing an order, without this package importing them.

A check is ``check(*, basket, lines, channel, shipping_address, shipping_method,
payment_option, total)`` and raises ``CheckoutError`` to refuse. ``order_place``
runs them on its first look and again inside the order transaction, once the
listings are locked, so a rule changed meanwhile (a zone turned red) is seen.
"""

PLACEMENT_CHECKS: list = []


def register_placement_check(check) -> None:
    if check not in PLACEMENT_CHECKS:
        PLACEMENT_CHECKS.append(check)


def run_placement_checks(**kwargs) -> None:
    for check in PLACEMENT_CHECKS:
        check(**kwargs)
