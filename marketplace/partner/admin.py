"""
Sellers and listings in the back office, scoped by membership.

Brand managers run their brand's official stores and their listings; sellers
their own; country operators the sellers and listings of their countries.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.catalogue.models import Product

from marketplace.backoffice import actions, dates, display
from marketplace.backoffice.forms import ListingForm
from marketplace.backoffice.scoping import ALL, CHANGE, EDIT, ScopedAdmin
from marketplace.memberships import roles
from marketplace.memberships.selectors import request_scope

from .models import Partner, StockRecord


class StockLevelFilter(admin.SimpleListFilter):
    title = gettext_lazy("stock level")
    parameter_name = "stock"

    def lookups(self, request, model_admin):
        return [
            ("out", gettext_lazy("Out of stock")),
            ("low", gettext_lazy("Low stock")),
        ]

    def queryset(self, request, queryset):
        if self.value() in ("out", "low"):
            # The same condition the admin index counts with.
            return queryset.filter(display.stock_level_condition(self.value()))
        return queryset


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        # Not Oscar's ``users``: memberships say who works for a seller.
        fields = ("name", "slug", "brand", "is_official_store", "channels")
        widgets = {"channels": forms.CheckboxSelectMultiple}

    def clean_channels(self):
        channels = self.cleaned_data.get("channels")
        if self.operator_channel_ids is not None and channels is not None:
            if not any(c.pk in self.operator_channel_ids for c in channels):
                raise forms.ValidationError(_("Choose at least one of your countries."))
        return channels

    operator_channel_ids = None


@admin.register(Partner)
class PartnerAdmin(ScopedAdmin, admin.ModelAdmin):
    """Sellers. Memberships, not Oscar's ``users`` field, say who works for one."""

    scope = {"brand": "brand", "seller": "pk", "channel": "channels"}
    role_permissions = {roles.BRAND: CHANGE, roles.SELLER: CHANGE, roles.CHANNEL: EDIT}
    superuser_fields = ("brand", "is_official_store")
    form = PartnerForm
    list_display = ("name", "slug", "is_official_store", "brand", "channel_codes")
    list_filter = ("is_official_store", "channels", "brand")
    search_fields = ("name", "code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    actions = [actions.export_csv]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("brand").prefetch_related("channels")

    @admin.display(description=gettext_lazy("sells in"))
    def channel_codes(self, partner):
        return ", ".join(c.code.upper() for c in partner.channels.all())

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Where a seller sells is the country operators' decision.
        if not request.user.is_superuser and not request_scope(request).channel_ids:
            fields += ("channels",)
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        scope = request_scope(request)
        if not request.user.is_superuser and scope.channel_ids:
            form = type(form.__name__, (form,), {"operator_channel_ids": scope.channel_ids})
        return form


@admin.register(StockRecord)
class ListingAdmin(ScopedAdmin, admin.ModelAdmin):
    """Listings: one product, one seller, one channel, priced in the channel's currency."""

    scope = {"brand": "partner__brand", "seller": "partner", "channel": "channel"}
    role_permissions = {roles.BRAND: ALL, roles.SELLER: ALL, roles.CHANNEL: ALL}
    form = ListingForm
    list_display = (
        "product_title", "partner", "channel", "partner_sku", "price_with_currency",
        "price_with_tax", "stock", "on_sale",
    )
    list_filter = ("channel", "partner", "is_live", StockLevelFilter)
    list_select_related = ("product", "product__parent", "partner", "channel")
    search_fields = ("product__title", "product__parent__title", "product__upc", "partner_sku")
    autocomplete_fields = ("product",)
    actions = [actions.make_live, actions.take_off_sale, actions.export_csv]

    def get_queryset(self, request):
        # The shelf price column reads each channel's tax components: once per list.
        return (
            super().get_queryset(request)
            # Django applies list_select_related only to a queryset with none: name them all.
            .select_related(*self.list_select_related, "exclusive_suspension__rule__store")
            .prefetch_related("channel__tax_components")
        )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None:
            # A listing is one product by one seller in one channel: list anew instead.
            fields += ("product", "partner", "channel", "off_sale_reason")
        return fields

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "off_sale_reason"]
        if obj is not None and self._suspension(obj) is not None:
            # Beside "live", which an exclusive turned off.
            at = fields.index("is_live") + 1 if "is_live" in fields else len(fields)
            fields.insert(at, "off_sale_reason")
        return fields

    @staticmethod
    def _suspension(listing):
        try:
            return listing.exclusive_suspension
        except ObjectDoesNotExist:
            return None

    def _why_off_sale(self, listing) -> str | None:
        """Why an exclusive took the listing off sale, and until when, in the channel's time."""
        suspension = self._suspension(listing)
        if suspension is None:
            return None
        rule = suspension.rule
        if rule is None:
            return _("Taken off sale by an exclusive that has since ended.")
        until = (
            dates.local_datetime(rule.ends_at, listing.channel) if rule.ends_at
            else _("no end date yet")
        )
        return _(
            "Off sale: %(store)s sells this product exclusively here, until %(until)s. "
            "It goes back on sale by itself when the exclusive ends."
        ) % {"store": rule.store.name, "until": until}

    @admin.display(description=gettext_lazy("why it is off sale"))
    def off_sale_reason(self, listing):
        return self._why_off_sale(listing) or "–"

    @admin.display(description=gettext_lazy("on sale"), boolean=False, ordering="is_live")
    def on_sale(self, listing):
        reason = self._why_off_sale(listing)
        if reason is not None:
            return reason
        return _("Yes") if listing.is_live else _("No")

    def choices_for_product(self, request, queryset):
        """Brand managers list their brand's products; others the whole catalogue."""
        scope = request_scope(request)
        sellable = queryset.filter(is_public=True).exclude(structure=Product.PARENT)
        condition = Q(pk__in=[])
        if scope.seller_ids or scope.channel_ids:
            condition |= Q(pk__isnull=False)
        if scope.brand_ids:
            condition |= Q(brand_link__brand__in=scope.brand_ids)
            condition |= Q(parent__brand_link__brand__in=scope.brand_ids)
        return sellable.filter(condition)

    @admin.display(description=gettext_lazy("product"), ordering="product__title")
    def product_title(self, listing):
        return listing.product.get_title()

    @admin.display(description=gettext_lazy("price before tax"), ordering="price")
    def price_with_currency(self, listing):
        return display.money(listing.price, listing.channel)

    @admin.display(description=gettext_lazy("shoppers pay (with tax)"), ordering="price")
    def price_with_tax(self, listing):
        return display.shelf_price_text(listing.price, listing.channel)

    @admin.display(description=gettext_lazy("in stock"), ordering="num_in_stock")
    def stock(self, listing):
        return display.stock_cell(listing)
