"""Oscar shipping methods built from a channel's delivery options."""

from django.utils import translation
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from oscar.apps.shipping.methods import Base
from oscar.core import prices

from marketplace.channels.tax import tax_on
from marketplace.delivery import rules
from marketplace.localisation.content import fallback_languages, translated


def ships_from_abroad(basket) -> bool:
    return any(line.stockrecord and line.stockrecord.ships_from_abroad for line in basket.all_lines())


class DeliveryMethod(Base):
    """A delivery option (and for pickup, one station) as Oscar sees a shipping method."""

    def __init__(self, option, channel, station=None, from_abroad=False):
        self.option, self.channel, self.station = option, channel, station
        languages = fallback_languages(translation.get_language() or "en", channel)
        self.code = f"{option.kind}-{option.pk}" + (f"-{station.pk}" if station else "")
        name = translated(option, "name", languages)
        if station is not None:
            name = f"{name}: {translated(station, 'name', languages)}"
        self.name = name
        low, high = rules.estimate_days(
            option.min_days, option.max_days, option.abroad_extra_days, from_abroad
        )
        self.estimate = (low, high)
        parts = [_("Delivered in %(low)s–%(high)s days") % {"low": low, "high": high}]
        if station is not None:
            parts.append(f"{station.address}, {station.city} · {translated(station, 'opening_hours', languages)}")
        # Oscar's templates show the description with |safe: escape what operators typed.
        self.description = format_html_join(" · ", "{}", ((part,) for part in parts))

    def calculate(self, basket):
        currency = self.channel.currency
        excl_tax = rules.charge(self.option.price, self.option.free_above, basket.total_incl_tax)
        return prices.Price(
            currency=currency, excl_tax=excl_tax,
            tax=tax_on(excl_tax, self.channel.tax_rate(), currency),
        )
