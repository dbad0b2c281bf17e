"""
The provider registry: provider codes → configured provider instances.

Built from ``settings.MESSAGING_PROVIDERS`` on first use and rebuilt when the
setting changes (tests). Which provider sends a medium is ``MESSAGING_SEND_WITH``.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from .. import conf
from ..exceptions import UnknownProvider
from .base import MessagingProvider

_registry: dict[str, MessagingProvider] | None = None


def _build() -> dict[str, MessagingProvider]:
    return {
        code: import_string(options["CLASS"])(code=code, options=options)
        for code, options in conf.provider_settings().items()
    }


def providers() -> dict[str, MessagingProvider]:
    global _registry
    if _registry is None:
        _registry = _build()
    return _registry


def get_provider(code: str) -> MessagingProvider:
    try:
        return providers()[code]
    except KeyError:
        raise UnknownProvider(code) from None


def sender_for(medium: str) -> MessagingProvider | None:
    """The provider that sends ``medium``; None when none is configured (nothing is sent)."""
    code = conf.send_with().get(medium)
    return providers().get(code) if code else None


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    global _registry
    if setting in ("MESSAGING_PROVIDERS", "MESSAGING_SEND_WITH"):
        _registry = None
