"""A partner shop's basket and its order, placed through the real order service."""

import itertools

from django.contrib.auth.models import AnonymousUser

from marketplace.basket.models import Basket
from marketplace.order.services import order_place
from marketplace.partner.strategy import Selector
from marketplace.retail.methods import ShopMethod
from marketplace.stores.offers import ChosenListing
from tests.checkout.builders import address, pay_on_delivery

_keys = itertools.count(1)


def shop_basket(channel, listing, quantity=1):
    basket = Basket.objects.create(channel=channel)
    basket.strategy = ChosenListing(Selector().strategy(channel=channel), listing)
    basket.add_product(listing.product, quantity)
    basket.strategy = Selector().strategy(channel=channel)
    return basket


def place_with_shop(channel, basket, retailer, *, handover="delivery", contactless=False,
                    city="Lagos", district="", payment=None):
    shipping = address(channel, city=city)
    shipping.line3 = district
    return order_place(
        channel=channel, basket=basket, user=AnonymousUser(), guest_email="guest@example.com",
        shipping_address=shipping,
        shipping_method=ShopMethod(retailer, handover, contactless=contactless),
        payment_option=payment or pay_on_delivery(channel),
        checkout_key=f"shop-{next(_keys)}",
    )
