"""
Who a request comes from, as the rate limits and the sign-in lockouts see it.

Behind a load balancer ``REMOTE_ADDR`` is the balancer: every shopper would
share one budget. ``TRUSTED_PROXY_COUNT`` says how many proxies of ours append
to ``X-Forwarded-For``; the client is the address the outermost of them saw.
Anything further left was written by the client and is ignored.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address, or None when the request carries none that parses."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Not through all our proxies (a health check, a direct hit): the peer is the client.
        return remote
    return _parse(forwarded[-proxies]) or remote


def client_key(request) -> str:
    """
    The budget a request counts against: its IPv4 address, or its IPv6 /64.

    One IPv6 subscriber is handed a whole /64 and can pick a new address per
    request; counting per address would give them 2**64 budgets.
    """
    address = client_ip(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def _parse(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
