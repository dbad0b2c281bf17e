"""System checks: a malformed rate would otherwise be a 500 on the endpoint it guards."""

from django.conf import settings
from django.core.checks import Error, register

from .ratelimit import Rate


@register()
def check_ratelimits(app_configs=None, **kwargs):
    errors = []
    for scope, text in getattr(settings, "RATELIMITS", {}).items():
        if text is None:
            continue
        try:
            Rate.parse(text)
        except (TypeError, ValueError) as exc:
            errors.append(Error(
                f"RATELIMITS[{scope!r}] is {text!r}: {exc}",
                hint="Write a rate as requests/period, e.g. '10/15m', or None for no limit.",
                id="throttling.E001",
            ))
    return errors
