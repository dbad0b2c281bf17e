"""
Rules every listing follows, whoever writes it (admin form, import, service).

A listing is one product offered by one seller in one channel, priced in that
channel's currency (see ``partner.models.StockRecord``).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from marketplace.channels.money import currency_precision, has_valid_precision
from marketplace.localisation.catalogue import product_title


def price_errors(price: Decimal | None, currency: str) -> list[str]:
    """Why ``price`` cannot be a price in ``currency`` (empty if it can)."""
    if price is None:
        return []
    if price < 0:
        return [_("A price cannot be negative.")]
    if not has_valid_precision(price, currency):
        places = currency_precision(currency)
        if places == 0:
            return [
                _("Prices in %(currency)s are whole amounts: %(price)s is not.")
                % {"currency": currency, "price": price}
            ]
        return [
            _("Prices in %(currency)s have at most %(places)d decimal places: %(price)s has more.")
            % {"currency": currency, "places": places, "price": price}
        ]
    return []


def stock_errors(num_in_stock: int | None, num_allocated: int | None) -> list[str]:
    if num_in_stock is None:
        return []
    if num_in_stock < 0:
        return [_("Stock cannot be negative.")]
    if num_allocated and num_in_stock < num_allocated:
        return [
            _("Stock cannot be less than the %(allocated)d units already allocated to orders.")
            % {"allocated": num_allocated}
        ]
    return []


def exclusivity_errors(*, product, seller, channel, is_new: bool, is_live: bool) -> list[str]:
    """Why ``seller`` may not list ``product`` in ``channel`` now: another store's exclusive.

    A new listing is refused during the window; an existing one may be edited
    but not put on sale (the rule's end puts it back on sale by itself).
    """
    from marketplace.exclusives.messages import sold_only_by
    from marketplace.exclusives.selectors import excluding_rule_for

    if product is None or seller is None or channel is None or not (is_new or is_live):
        return []
    rule = excluding_rule_for(product=product, seller=seller, channel=channel)
    if rule is None:
        return []
    return [
        sold_only_by(product_title=product_title(product), rule=rule, channel=channel)
        + " "
        + (_("Another seller cannot list it there until then.") if is_new
           else _("This listing stays off sale until then."))
    ]


def validate_listing(
    *, product, seller, channel, price, num_in_stock, num_allocated=0, is_new=True, is_live=True
) -> None:
    """Raise a ``ValidationError`` by field if the listing breaks a rule."""
    errors: dict[str, list[str]] = {}
    if found := exclusivity_errors(
        product=product, seller=seller, channel=channel, is_new=is_new, is_live=is_live
    ):
        errors["__all__"] = found
    if product is not None and product.is_parent:
        errors["product"] = [
            _("A product with variants is sold through its variants: list a variant instead.")
        ]
    if seller is not None and channel is not None:
        if not seller.channels.filter(pk=channel.pk).exists():
            errors["channel"] = [
                _("%(seller)s does not sell in %(channel)s.")
                % {"seller": seller, "channel": channel}
            ]
    if channel is not None:
        if found := price_errors(price, channel.currency):
            errors["price"] = found
    if found := stock_errors(num_in_stock, num_allocated):
        errors["num_in_stock"] = found
    if errors:
        raise ValidationError(errors)
