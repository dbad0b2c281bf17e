"""
Throttling: rate limits on the endpoints a client can hammer, and sign-in lockouts.

Low in the layering (next to ``channels``): it knows requests, the shared cache
and django-axes, nothing of orders, payments or the catalogue. Views decorate
themselves with ``ratelimit.ratelimited`` (or call ``ratelimit.throttle``); the
limits are the ``RATELIMITS`` setting.
"""
