"""
How many messages one sender may have answered: ``MESSAGING_REPLY_RATE`` per
sender and channel (default 5 an hour), so a number cannot flood a shop with
order requests or make us pay for a reply to each of its messages.

Counted on the shared cache, in the throttling's fixed windows. When the cache
cannot be reached, the database counts instead: the sender's messages recorded
in the last period (each message is recorded once, before it is counted).
"""

import logging
from datetime import timedelta

from django.core.cache.backends.base import InvalidCacheBackendError
from django.utils import timezone

from marketplace.throttling import ratelimit

from . import conf
from .models import InboundMessage

logger = logging.getLogger(__name__)

try:  # the shared cache is Redis where REDIS_URL is set
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a dependency
    RedisError = OSError

SCOPE = "messaging-inbound"
CACHE_DOWN = (RedisError, OSError, InvalidCacheBackendError)


def _count_in_database(message, rate) -> int:
    # The last period's messages (a sliding window: never laxer than the cache's).
    started = timezone.now() - timedelta(seconds=rate.period)
    return InboundMessage.objects.filter(
        channel_id=message.channel_id, sender=message.sender, date_received__gte=started,
        pk__lte=message.pk,
    ).count()


def count_inbound(message) -> tuple[int, int]:
    """Count the just-recorded ``message`` against its sender: (its count in the window, limit)."""
    rate = conf.reply_rate()
    try:
        decision = ratelimit.hit(SCOPE, f"{message.channel_id}:{message.sender}", rate)
        return decision.count, rate.limit
    except CACHE_DOWN as exc:
        logger.warning("Cache unreachable (%s): counting %s's messages in the database",
                       exc.__class__.__name__, message.sender[-4:])
        return _count_in_database(message, rate), rate.limit
