"""Store pages and featured products in the back office."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice.scoping import ALL, EDIT, VIEW, ScopedAdmin, ScopedInline
from marketplace.localisation.admin import TranslationInline, translation_inline
from marketplace.memberships import roles
from marketplace.partner.selectors import sold_in_channel

from .models import (
    FeaturedProduct,
    HeroBanner,
    HeroBannerTranslation,
    StoreProfile,
    StoreProfileTranslation,
)
from .services import validate_featured


class ScopedTranslationInline(ScopedInline, TranslationInline):
    """The localisation app's translation inline; rows follow their parent's permissions."""


StoreProfileTranslationInline = translation_inline(
    StoreProfileTranslation, ("tagline", "description"), base=ScopedTranslationInline
)


@admin.register(StoreProfile)
class StoreProfileAdmin(ScopedAdmin, admin.ModelAdmin):
    """A store's page: banner, logo, and its words in each language."""

    scope = {"brand": "partner__brand", "seller": "partner", "channel": "partner__channels"}
    role_permissions = {roles.BRAND: EDIT, roles.SELLER: EDIT, roles.CHANNEL: VIEW}
    list_display = ("partner", "tagline", "logo_preview", "date_updated")
    list_filter = ("partner__is_official_store",)
    search_fields = ("partner__name", "tagline")
    inlines = [StoreProfileTranslationInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields + ("partner",) if obj is not None else fields

    @admin.display(description=_("logo"))
    def logo_preview(self, profile):
        if not profile.logo:
            return "–"
        return format_html('<img src="{}" alt="" style="max-height:32px">', profile.logo.url)


class FeaturedProductForm(forms.ModelForm):
    class Meta:
        model = FeaturedProduct
        fields = ("channel", "product", "position")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            validate_featured(channel=cleaned.get("channel"), product=cleaned.get("product"))
        return cleaned


@admin.register(FeaturedProduct)
class FeaturedProductAdmin(ScopedAdmin, admin.ModelAdmin):
    """What a channel's home page features, chosen by its country operators."""

    scope = {"channel": "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    form = FeaturedProductForm
    list_display = ("product", "channel", "position")
    list_editable = ("position",)
    list_filter = ("channel",)
    list_select_related = ("product", "channel")
    search_fields = ("product__title", "product__upc")
    autocomplete_fields = ("product",)

    def choices_for_product(self, request, queryset):
        """Products on sale in one of the operator's channels (checked per channel on save)."""
        channels = self.choice_queryset(
            request, FeaturedProduct._meta.get_field("channel")
        )
        condition = None
        for channel in channels:
            term = sold_in_channel(channel)
            condition = term if condition is None else condition | term
        if condition is None:
            return queryset.none()
        return queryset.browsable().filter(condition)


HeroBannerTranslationInline = translation_inline(
    HeroBannerTranslation, ("title", "subtitle"), base=ScopedTranslationInline
)


@admin.register(HeroBanner)
class HeroBannerAdmin(ScopedAdmin, admin.ModelAdmin):
    """The banners at the top of a channel's home page, run by its country operators."""

    scope = {"channel": "channel"}
    role_permissions = {roles.CHANNEL: ALL}
    list_display = ("title", "channel", "position", "is_active", "starts_at", "ends_at")
    list_editable = ("position", "is_active")
    list_filter = ("channel", "is_active")
    list_select_related = ("channel",)
    search_fields = ("title",)
    inlines = [HeroBannerTranslationInline]
