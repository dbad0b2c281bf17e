"""Oscar's basket middleware, keyed by channel: one open basket per shopper per country."""

from django.conf import settings
from oscar.apps.basket.middleware import BasketMiddleware

from marketplace.compiledquery import INT_SENTINELS, Compiled, CompiledCache

from .models import Basket

_OWNER, _CHANNEL = INT_SENTINELS[:2]
_OPEN = CompiledCache()


def _open_baskets(*, owner_id: int, channel_id: int) -> list:
    """The shopper's open baskets in the channel, oldest first: the query every signed-in
    shopper's request runs, compiled once per process (``compiledquery``)."""
    compiled = _OPEN.get(lambda: Compiled(
        Basket.open.filter(owner_id=_OWNER, channel_id=_CHANNEL).order_by("pk"), _OWNER, _CHANNEL))
    return compiled.run(owner_id, channel_id)


class ChannelBasketMiddleware(BasketMiddleware):
    def __call__(self, request):
        if getattr(request, "channel", None) is None:
            # No storefront here (admin, picker): nothing to buy, no basket.
            return self.get_response(request)
        return super().__call__(request)

    def process_template_response(self, request, response):
        if getattr(request, "channel", None) is None:
            return response
        return super().process_template_response(request, response)

    def apply_offers_to_basket(self, request, basket):
        # Offers are off (``basket.offers``): Oscar's call only loaded the lines to see
        # whether the basket is empty, before the view could say what it reads of them.
        pass

    def get_cookie_key(self, request):
        return f"{settings.OSCAR_BASKET_COOKIE_OPEN}_{request.channel.code}"

    def get_basket(self, request):
        if request._basket_cache is not None:
            return request._basket_cache
        channel = request.channel
        cookie_key = self.get_cookie_key(request)
        cookie_basket = self.get_cookie_basket(cookie_key, request, Basket.open)
        if cookie_basket is not None and cookie_basket.channel_id != channel.pk:
            cookie_basket = None
            request.cookies_to_delete.append(cookie_key)

        if request.user.is_authenticated:
            baskets = _open_baskets(owner_id=request.user.pk, channel_id=channel.pk)
            if baskets:
                basket = baskets[0]
                for other in baskets[1:]:
                    self.merge_baskets(basket, other)
            else:
                basket = Basket.objects.create(owner=request.user, channel=channel)
            basket.owner = request.user
            if cookie_basket is not None:
                self.merge_baskets(basket, cookie_basket)
                request.cookies_to_delete.append(cookie_key)
        elif cookie_basket is not None:
            basket = cookie_basket
        else:
            basket = Basket(channel=channel)
        basket.channel = channel  # saves a query when the currency is read
        request._basket_cache = basket
        return basket
