"""Store pages and featured products in the back office."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.backoffice.scoping import ALL, EDIT, VIEW, ScopedAdmin, ScopedInline
from marketplace.backoffice.widgets import preselect_single_choice
from marketplace.channels.context import storefront
from marketplace.localisation.admin import TranslationInline, translation_inline
from marketplace.memberships import roles
from marketplace.partner.selectors import sold_in_channel

from .apps import STORE_WITHOUT_PAGE
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


class StoreProfileForm(forms.ModelForm):
    class Meta:
        model = StoreProfile
        fields = ("partner", "tagline", "description", "banner", "logo")
        help_texts = {
            "banner": _(
                "A wide picture across the top of the store's page: 1600 × 400 pixels or larger "
                "(4:1), JPEG, PNG or WebP. Phones show its middle part."
            ),
            "logo": _("A square picture: 400 × 400 pixels or larger, PNG with a clear background."),
        }


@admin.register(StoreProfile)
class StoreProfileAdmin(ScopedAdmin, admin.ModelAdmin):
    """A store's page: banner, logo, and its words in each language."""

    scope = {"brand": "partner__brand", "seller": "partner", "channel": "partner__channels"}
    role_permissions = {roles.BRAND: EDIT, roles.SELLER: EDIT, roles.CHANNEL: VIEW}
    # "Add store page" only while one of the user's stores has none (the permission
    # stays the role's: a new store of theirs gets its page here).
    add_needs_fact = STORE_WITHOUT_PAGE
    form = StoreProfileForm
    list_display = ("partner", "tagline", "logo_preview", "date_updated")
    list_filter = ("partner__is_official_store",)
    search_fields = ("partner__name", "tagline")
    inlines = [StoreProfileTranslationInline]
    fields = ("partner", "tagline", "description", "banner", "banner_preview", "logo", "logo_preview")

    class Media:
        css = {"all": ("marketplace/css/backoffice.css",)}

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj) + ("banner_preview", "logo_preview")
        return fields + ("partner",) if obj is not None else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "partner" and formfield is not None:
            # Each store has one page: offer only the stores that have none yet.
            formfield.queryset = formfield.queryset.filter(profile__isnull=True)
            preselect_single_choice(formfield)
        return formfield

    def _stores_without_page(self, request):
        stores = self.choice_queryset(request, StoreProfile._meta.get_field("partner"))
        return stores.filter(profile__isnull=True)

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "GET" and not self._stores_without_page(request).exists():
            self.message_user(request, gettext(
                "Each of your stores has its page already: open it from the list to change it."
            ), messages.WARNING)
        return super().add_view(request, form_url, extra_context)

    def view_on_site(self, profile):
        channel = profile.partner.channels.order_by("position", "pk").first()
        if channel is None:
            return None
        with storefront(channel):
            return reverse("stores:detail", kwargs={"slug": profile.partner.slug})

    @admin.display(description=_("logo"))
    def logo_preview(self, profile):
        if not profile.logo:
            return "–"
        return format_html('<img src="{}" alt="" class="logo-thumb image-preview">', profile.logo.url)

    @admin.display(description=_("banner as shown"))
    def banner_preview(self, profile):
        if not profile.banner:
            return "–"
        return format_html('<img src="{}" alt="" class="image-preview">', profile.banner.url)


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
