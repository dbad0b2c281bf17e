"""Back-office forms: thin, they call the domain's validation."""

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.channels.selectors import active_channels
from marketplace.partner.models import StockRecord
from marketplace.stores.listings import validate_listing

from . import display


class ListingForm(forms.ModelForm):
    """A listing: price and stock checked against its channel's currency and its seller."""

    class Meta:
        model = StockRecord
        # No price_currency: it is always the channel's. No num_allocated: orders keep it.
        fields = (
            "product", "partner", "channel", "partner_sku", "price", "num_in_stock",
            "low_stock_threshold", "is_live", "ships_from_abroad",
        )
        labels = {"price": gettext_lazy("Price before tax")}
        help_texts = {
            "price": gettext_lazy(
                "In the channel's currency, without tax: shoppers pay it with the channel's "
                "tax added."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "price" not in self.fields:
            return
        if self.instance.pk:
            channel = self.instance.channel
            self.fields["price"].help_text = _("Shoppers pay %(shelf)s.") % {
                "shelf": display.shelf_price_text(self.instance.price, channel)
            }
        else:
            channel = self._only_channel()
            if channel is None:
                return
            self.fields["price"].help_text = _(
                "Without tax: shoppers pay it with %(tax)s added."
            ) % {"tax": display.tax_label(channel)}
        self.fields["price"].label = _("Price before tax (%(currency)s)") % {
            "currency": channel.currency
        }

    def _only_channel(self):
        """The channel a new listing can only be in (a seller in one country), or None."""
        field = self.fields.get("channel")
        if field is None or field.empty_label is not None or field.initial is None:
            return None  # several channels to choose from: the help text says "the channel's"
        # From the shared cache of active channels: the form costs no query for it.
        for channel in active_channels():
            if channel.pk == field.initial:
                return channel
        return None

    def _value(self, name):
        if name in self.fields:
            return self.cleaned_data.get(name)
        try:
            return getattr(self.instance, name)
        except ObjectDoesNotExist:
            return None

    def _allocated_now(self) -> int:
        """The allocated count as committed now, its row locked until the admin's save commits.

        The admin saves inside a transaction: an order allocating meanwhile
        waits, so the stock entered is checked against what orders really hold.
        """
        if not self.instance.pk:
            return 0
        rows = StockRecord.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        allocated = rows.values_list("num_allocated", flat=True).first()
        return allocated or 0

    def clean(self):
        cleaned = super().clean()
        # A field that failed (a foreign id, say) is already reported; check the rest.
        if any(name in self.errors for name in ("product", "partner", "channel")):
            return cleaned
        try:
            validate_listing(
                product=self._value("product"),
                seller=self._value("partner"),
                channel=self._value("channel"),
                price=cleaned.get("price"),
                num_in_stock=cleaned.get("num_in_stock"),
                num_allocated=self._allocated_now(),
                is_new=self.instance.pk is None,
                is_live=bool(self._value("is_live")),
            )
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        return cleaned
