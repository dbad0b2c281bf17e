"""Delivery rules as pure functions: charge, free threshold, estimate, where express goes."""

from decimal import Decimal


def charge(price: Decimal, free_above: Decimal | None, basket_total: Decimal) -> Decimal:
    """What delivery costs for a basket: nothing once the basket reaches the threshold."""
    if free_above is not None and basket_total >= free_above:
        return Decimal(0)
    return price


def estimate_days(min_days: int, max_days: int, abroad_extra_days: int, ships_from_abroad: bool):
    """Working days to delivery; longer when any item ships from abroad."""
    extra = abroad_extra_days if ships_from_abroad else 0
    return min_days + extra, max_days + extra


def serves_city(cities: list[str], city: str) -> bool:
    """Express goes to listed cities only (compared without case or surrounding spaces)."""
    wanted = (city or "").strip().casefold()
    return bool(wanted) and wanted in {c.strip().casefold() for c in cities}
