"""
Sign-in lockouts (django-axes), for the admin and the storefront alike.

A lockout is keyed by the username *and* the client's address
(``AXES_LOCKOUT_PARAMETERS``): someone guessing a shopper's password from one
address is stopped after ``AXES_FAILURE_LIMIT`` failures, but cannot lock the
shopper out of signing in from their own phone. Guessing many accounts from
one address is the per-address rate limits' job (``RATELIMITS``).
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext, ngettext

from .clients import client_ip
from .responses import minutes_to_wait, too_many_requests


def username(request, credentials) -> str | None:
    """
    The name a lockout counts under: what was typed, trimmed and lower-cased.

    Oscar matches e-mails case-insensitively, so ``Shopper@Example.com`` and
    ``shopper@example.com`` must share one count or each spelling would get its
    own allowance of guesses.
    """
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        # Admin form (``username``) or Oscar's prefixed login form (``login-username``).
        value = request.POST.get("username") or request.POST.get("login-username")
    value = str(value).strip().lower()[:255] if value is not None else ""
    return value or None


def lockout_response(request, original_response=None, credentials=None):
    """Axes' AXES_LOCKOUT_CALLABLE: a translated 429 page with the cool-off as Retry-After."""
    seconds = int(get_cool_off(request).total_seconds())
    minutes = minutes_to_wait(seconds)
    message = ngettext(
        "Too many failed sign-in attempts. Signing in to this account from your connection "
        "is paused for %(count)d minute.",
        "Too many failed sign-in attempts. Signing in to this account from your connection "
        "is paused for %(count)d minutes.",
        minutes,
    ) % {"count": minutes}
    return too_many_requests(request, seconds, message=message, title=gettext("Sign-in paused"))


@receiver(user_logged_in)
def forget_failures_under_email(sender, request, user, **kwargs):
    """
    A shopper who signs in clears the failures counted under their e-mail.

    Axes resets the failures under ``user.get_username()``; storefront
    customers sign in with their e-mail, which Oscar's users do not use as
    their username, so those failures would otherwise linger until the cool-off.
    """
    if request is None or not settings.AXES_RESET_ON_SUCCESS or not user.email:
        return
    address = client_ip(request)
    if address is not None:
        AxesProxyHandler.reset_attempts(ip_address=address, username=username(None, {"username": user.email}))
