"""
Delivery methods offered by something other than the channel's delivery options.

A higher package (``retail``: a partner shop delivering its own orders) registers a
provider at start-up; for each basket the first provider that answers (not None)
gives the whole list of methods, else the channel's options apply. Registered,
not imported, so this package never depends on the ones above it.
"""

PROVIDERS: list = []


def register(provider) -> None:
    """``provider(basket, shipping_addr) -> list of methods | None``."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def provided_methods(basket, shipping_addr):
    for provider in PROVIDERS:
        methods = provider(basket, shipping_addr)
        if methods is not None:
            return methods
    return None
