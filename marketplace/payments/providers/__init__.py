"""
The provider registry: provider codes → configured provider instances.

Built from ``settings.PAYMENT_PROVIDERS`` (see ``base`` for the entries) on
first use and rebuilt when the setting changes (tests). ``pay_on_delivery`` is
not a provider: nothing is paid online, so it has no instance.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .. import conf
from ..exceptions import UnknownProvider
from .base import PaymentProvider

PAY_ON_DELIVERY = "pay_on_delivery"

_registry: dict[str, PaymentProvider] | None = None


def _build() -> dict[str, PaymentProvider]:
    providers = {}
    for code, options in conf.provider_settings().items():
        cls = import_string(options["CLASS"])
        providers[code] = cls(code=code, options=options)
    return providers


def providers() -> dict[str, PaymentProvider]:
    global _registry
    if _registry is None:
        _registry = _build()
    return _registry


def get_provider(code: str) -> PaymentProvider:
    try:
        return providers()[code]
    except KeyError:
        raise UnknownProvider(code) from None


def usable_codes() -> list[str]:
    """Codes a payment option may name: the configured providers and pay on delivery."""
    return [PAY_ON_DELIVERY, *providers()]


def provider_choices():
    """Choices of ``PaymentOption.provider`` (a callable, so migrations ignore them)."""
    return [(PAY_ON_DELIVERY, _("none (pay on delivery)"))] + [(code, code) for code in providers()]


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    global _registry
    if setting == "PAYMENT_PROVIDERS":
        _registry = None
