"""
Rules every listing follows, whoever writes it (admin form, import, service).

A listing is one product offered by one seller in one channel, priced in that
channel's currency (see ``partner.models.StockRecord``).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from marketplace.channels.money import currency_precision, has_valid_precision


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


def validate_listing(*, product, seller, channel, price, num_in_stock, num_allocated=0) -> None:
    """Raise a ``ValidationError`` by field if the listing breaks a rule."""
    errors: dict[str, list[str]] = {}
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
