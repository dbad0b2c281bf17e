"""
Versions of what storefront pages show: one token per channel, one for every channel.

A cached page is stored under the tokens current when its render started, so a
bump makes every page rendered before it unreachable at once, in every web
process (the tokens live in the shared Django cache: Redis in production,
files in the demo; never a per-process memory cache).

- The **global** token covers what every channel shows: products, categories,
  their translations, images, brands, sellers and their store pages, the
  channels themselves (every page lists them) and flat pages.
- A **channel** token covers what one channel shows: its listings (price, stock,
  allocation, on/off sale), exclusive rules and suspensions, featured products,
  tax, delivery and payment options.
- A **stock status** token per channel covers which of its listings can be bought
  at all (a listing sold out, or back in stock): every page of the channel names it,
  since cards, filters ("in stock only") and the home's lists show it.
- A **product stock** token per channel and product covers the units left of its
  listings (and its variants'), which only its own product page counts ("3
  available"). An order's allocation bumps these, not the channel's token, so
  placing an order re-renders one product page, not every page of the channel
  (``order.stock``).
- A **basket** token per basket covers its lines (added, removed, quantities,
  options, the basket submitted or merged): with the page version it names what
  the basket holes show (``holes``), so they are rendered once per change, not
  on every page of a signed-in shopper.

Tokens are counters (``cache.incr``, atomic on Redis; several bumped together in one
Lua script there, ``rediscache.SharedRedisCache.incr_many``), started from the clock
in microseconds when missing, so a token evicted from the cache never comes
back with a number an old page was stored under.

Time changes pages too, without any write: an exclusive rule, a flash sale or a
home-page hero banner starts or ends (enforced to the second), a tax rate applies from a date. The version therefore
also says which of the channel's rule windows are in force now, and the
channel's date. The windows are read for each channel token, after the token:
every change bumps after it commits, so windows read under a token include
every change that token stands for.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

GLOBAL = "all"
_TOKEN_KEY = "pagecache:token:{scope}"


@lru_cache(maxsize=1)
def release() -> str:
    """Names the deploy: pages rendered by older code or with older static file names are not reused."""
    return f"{settings.PAGECACHE_RELEASE}:{getattr(staticfiles_storage, 'manifest_hash', '')}"


def _token_key(scope) -> str:
    return _TOKEN_KEY.format(scope=scope)


def _fresh_start() -> int:
    return time.time_ns() // 1000


def _bump_now(scopes: Iterable) -> None:
    scopes = list(scopes)
    incr_many = getattr(cache, "incr_many", None)
    if incr_many is not None:
        # Redis (``marketplace.rediscache``): every token in one round-trip, one Lua script
        # (atomic: a reader sees all of them moved or none); a missing one is started first.
        incr_many({_token_key(scope): _fresh_start() for scope in scopes})
        return
    for scope in scopes:
        key = _token_key(scope)
        try:
            cache.incr(key)
        except ValueError:
            # Missing: start it, then move it on anyway, in case a reader started it
            # first and has just rendered the state from before this change.
            cache.add(key, _fresh_start(), None)
            cache.incr(key)


def bump(*, channel_ids: Iterable[int] | None = None) -> None:
    """Make pages of these channels (of every channel without ``channel_ids``) render afresh.

    Bumps now, so the next request inside this transaction (a test, a shell) sees
    the change, and again once the transaction commits, so no page rendered from
    the state before the commit survives it. Outside a transaction both happen at once.
    """
    scopes = [GLOBAL] if channel_ids is None else sorted(set(channel_ids))
    if not scopes:
        return
    _bump_now(scopes)
    transaction.on_commit(lambda: _bump_now(scopes))


def _status_scope(channel_id) -> str:
    return f"status:{channel_id}"


def _product_stock_scope(channel_id, product_id) -> str:
    return f"stock:{channel_id}:{product_id}"


def bump_stock(*, products: Iterable[tuple[int, int]], status_channel_ids: Iterable[int] = ()) -> None:
    """Units left moved: the product pages of ``(channel_id, product_id)`` pairs render afresh,
    and every page of ``status_channel_ids`` (a listing there was sold out, or is back).

    Now, and again once the transaction commits, as ``bump``.
    """
    scopes = sorted({_product_stock_scope(*pair) for pair in products}) + sorted(
        {_status_scope(channel_id) for channel_id in status_channel_ids}
    )
    if not scopes:
        return
    _bump_now(scopes)
    transaction.on_commit(lambda: _bump_now(scopes))


def _basket_scope(basket_id) -> str:
    return f"basket:{basket_id}"


def bump_basket(basket_id) -> None:
    """Make the basket holes of this basket render afresh (now, and again on commit)."""
    if basket_id is None:
        return
    scopes = [_basket_scope(basket_id)]
    _bump_now(scopes)
    transaction.on_commit(lambda: _bump_now(scopes))


def _read_tokens(scopes) -> list[int]:
    keys = [_token_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            cache.add(key, _fresh_start(), None)
            token = cache.get(key)
        tokens.append(token)
    return tokens


def _tokens(channel) -> tuple[int, int]:
    global_token, channel_token = _read_tokens([GLOBAL, channel.pk])
    return global_token, channel_token


def basket_version(basket_id) -> int:
    """The token of a saved basket's lines."""
    return _read_tokens([_basket_scope(basket_id)])[0]


# Windows per (channel, token): a token's windows never change, so each process keeps a few.
_WINDOWS: OrderedDict = OrderedDict()
_WINDOWS_KEPT = 256
_WINDOWS_LOCK = threading.Lock()  # threaded servers (runserver, the browser tests' live server)


def _window_order(window):
    # A banner may have no start (shown from its creation): first, like the distant past.
    starts_at, ends_at = window
    return (starts_at is not None, starts_at or ends_at, ends_at is None, ends_at or starts_at)


def _rule_windows(channel, token) -> list[tuple[datetime, datetime | None]]:
    memo_key = (channel.pk, token)
    windows = _WINDOWS.get(memo_key)
    if windows is None:
        # Through the channel's reverse relations: no import of the apps above. Flash
        # sales start and end on the second like rules (the strip, prices, sold out):
        # their windows come in the same query.
        now = timezone.now()
        rules = channel.exclusive_rules.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        sales = channel.flash_sales.filter(status="approved", ends_at__gt=now)
        # Hero banners come and go at their dates on the home page; only a banner with a
        # date still ahead can change a page (one with neither shows or not by ``is_active``,
        # whose edit bumps the token).
        banners = channel.hero_banners.filter(is_active=True).filter(
            Q(starts_at__gt=now) | Q(ends_at__gt=now)
        )
        windows = sorted(
            # No ORDER BY in any part: SQLite refuses one inside a compound statement.
            rules.order_by().values_list("starts_at", "ends_at").union(
                sales.order_by().values_list("starts_at", "ends_at"),
                banners.order_by().values_list("starts_at", "ends_at"),
                all=True,
            ),
            key=_window_order,
        )
        with _WINDOWS_LOCK:
            _WINDOWS[memo_key] = windows
            while len(_WINDOWS) > _WINDOWS_KEPT:
                _WINDOWS.popitem(last=False)
    return windows


# Values derived from what a channel's pages show, per (name, channel, tokens): a token's
# values never change, so each process keeps a few.
_MEMO: OrderedDict = OrderedDict()
_MEMO_KEPT = 256


def memo_per_version(channel, name: str, compute):
    """``compute()``, kept in this process until the global or the channel's token moves.

    For data every change to which bumps one of them (receivers), read on many requests
    that do not go through the page cache (checkout steps): one read of the tokens from
    the shared cache instead of a query.
    """
    return _kept((name, channel.pk, *_tokens(channel)), compute)


def _kept(memo_key, compute):
    """``compute()`` under ``memo_key`` in this process's few kept values."""
    found = _MEMO.get(memo_key)
    if found is None:
        found = compute()
        with _WINDOWS_LOCK:
            _MEMO[memo_key] = found
            while len(_MEMO) > _MEMO_KEPT:
                _MEMO.popitem(last=False)
    return found


def memo_per_page_version(channel, name: str, compute):
    """``compute()``, kept in this process while ``page_version(channel)`` stays the same.

    For parts of pages that are the same for every shopper of a channel and language
    (the menu's categories, the home page's stores and banner): a render after the page
    cache missed, or of a shopper's page that is never shared, reads them once per
    version, not once per request. The version moves with every change they show (the
    receivers), with the rule windows (a banner's dates) and with the channel's date, so
    the next request after a change, in any process, computes afresh. ``compute`` must
    return something finished (a list, not a queryset) that no request changes.
    """
    return _kept((name, channel.pk, page_version(channel)), compute)


def page_version(channel) -> str:
    """A string naming the state of everything a page of ``channel`` shows at this moment."""
    return page_versions(channel)[0]


def page_versions(channel, stock_of: Iterable[int] = ()) -> tuple[str, str]:
    """``page_version(channel)``, and the tokens of the units left of products ``stock_of``.

    One read of the shared cache for both: a product page names its product's
    stock token besides the channel's version (it counts the units left).
    """
    stock_of = list(stock_of)
    global_token, channel_token, status_token, *stock_tokens = _read_tokens(
        [GLOBAL, channel.pk, _status_scope(channel.pk),
         *(_product_stock_scope(channel.pk, product_id) for product_id in stock_of)]
    )
    now = timezone.now()
    in_force = "".join(
        "1" if (starts_at is None or starts_at <= now) and (ends_at is None or now < ends_at) else "0"
        for starts_at, ends_at in _rule_windows(channel, channel_token)
    )
    version = f"{global_token}.{channel_token}.{status_token}.{in_force}.{channel.today().isoformat()}"
    return version, ".".join(str(token) for token in stock_tokens)
