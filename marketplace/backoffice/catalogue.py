"""
Products in the back office: brand managers edit their brand's products.

A product's brand is ``stores.ProductBrand`` (a variant follows its parent).
On the product's page a brand manager edits its titles and descriptions per
language, images, attributes, categories and variants (children pick their
parent here), and the listings of their official store.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.catalogue import admin as oscar_admin
from oscar.apps.catalogue.models import Product, ProductImage

from marketplace.brands.models import Brand
from marketplace.localisation.admin import ProductTranslationInline as BaseTranslationInline
from marketplace.memberships import roles
from marketplace.partner.models import StockRecord
from marketplace.stores.models import ProductBrand
from marketplace.stores.services import product_brand_set

from . import display
from .forms import ListingForm
from .scoping import ALL, ScopedAdmin, ScopedInline
from .widgets import preselect_single_choice

PRODUCT_SCOPE = {"brand": ("brand_link__brand", "parent__brand_link__brand")}


class ProductTranslationInline(ScopedInline, BaseTranslationInline):
    """Titles and descriptions in each language (the localisation app's inline)."""


class ProductImageInline(ScopedInline, admin.TabularInline):
    model = ProductImage
    fields = ("original", "caption", "display_order")
    extra = 0


class ProductCategoryInline(ScopedInline, oscar_admin.CategoryInline):
    shared_choices = ("category",)  # the category tree is the marketplace's, for all


class AttributeValueInline(ScopedInline, oscar_admin.AttributeInline):
    raw_id_fields = ()
    # Generic "entity" values point at any table: not for back-office roles. Rich
    # text, files, images and date-times no attribute of the catalogue uses.
    exclude = (
        "entity_content_type", "entity_object_id", "value_richtext", "value_file", "value_image",
        "value_datetime",
    )
    shared_choices = ("attribute", "value_option", "value_multi_option")
    extra = 0


class ListingInline(ScopedInline, admin.TabularInline):
    """The brand's official-store listings of this product, per channel."""

    model = StockRecord
    form = ListingForm
    fk_name = "product"
    fields = ("partner", "channel", "partner_sku", "price", "price_with_tax", "num_in_stock", "is_live")
    readonly_fields = ("price_with_tax",)
    scope = {"brand": "partner__brand", "seller": "partner", "channel": "channel"}
    role_permissions = {roles.BRAND: ALL, roles.SELLER: ALL, roles.CHANNEL: ALL}
    extra = 0
    verbose_name_plural = gettext_lazy("listings of your stores")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("channel").prefetch_related(
            "channel__tax_components"
        )

    @admin.display(description=gettext_lazy("shoppers pay (with tax)"))
    def price_with_tax(self, listing):
        if listing.pk is None:
            return "–"
        return display.shelf_price_text(listing.price, listing.channel)


class ProductForm(forms.ModelForm):
    brand = forms.ModelChoiceField(
        queryset=Brand.objects.none(), required=False, label=gettext_lazy("Brand"),
        help_text=gettext_lazy("Variants belong to their parent's brand."),
    )
    brand_required = False

    class Meta:
        # Plain words for the people who fill it in, instead of Oscar's notes
        # for developers ("Code can be used to store a secondary unique identifier…").
        labels = {
            "upc": gettext_lazy("Product code (UPC or EAN)"),
            "code": gettext_lazy("Your own reference"),
            "slug": gettext_lazy("Name in the web address"),
            "priority": gettext_lazy("Order in lists"),
            "is_public": gettext_lazy("On show in the shop"),
            "is_discountable": gettext_lazy("Can be discounted"),
            "product_class": gettext_lazy("Product type"),
            "parent": gettext_lazy("Variant of"),
            "meta_title": gettext_lazy("Title for search engines"),
            "meta_description": gettext_lazy("Description for search engines"),
        }
        help_texts = {
            "upc": gettext_lazy("The barcode number, if it has one. No two products share one."),
            "code": gettext_lazy("Optional: a reference of your own, unique across the shop."),
            "slug": gettext_lazy("Lower-case letters, digits and hyphens; filled in from the title."),
            "priority": gettext_lazy("Products with a higher number are listed first."),
            "is_public": gettext_lazy("Shown in the catalogue and in search results."),
            "is_discountable": gettext_lazy("Whether promotions may lower its price."),
            "product_class": gettext_lazy("What kind of product it is: it decides its attributes."),
            "parent": gettext_lazy("Only for a variant (a size, a colour): the product it is a variant of."),
            "structure": gettext_lazy("A product with variants is a parent; each variant is a child."),
            "product_options": gettext_lazy(
                "Choices the shopper makes when adding it to the basket, such as a text to engrave."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            link = ProductBrand.objects.filter(product=self.instance).first()
            if link is not None:
                self.fields["brand"].initial = link.brand_id

    def clean(self):
        cleaned = super().clean()
        parent, brand = cleaned.get("parent"), cleaned.get("brand")
        if parent is None and brand is None and self.brand_required and "brand" not in self.errors:
            self.add_error("brand", _("Choose the brand this product belongs to."))
        if parent is not None and brand is not None:
            parent_link = ProductBrand.objects.filter(product=parent).first()
            if parent_link is not None and parent_link.brand_id != brand.pk:
                self.add_error(
                    "brand",
                    _("A variant belongs to its parent's brand (%(brand)s).")
                    % {"brand": parent_link.brand},
                )
        return cleaned


class ProductAdmin(ScopedAdmin, oscar_admin.ProductAdmin):
    scope = PRODUCT_SCOPE
    role_permissions = {roles.BRAND: ALL}
    form = ProductForm
    raw_id_fields = ()
    autocomplete_fields = ("parent",)
    shared_choices = ("product_class", "product_options")
    list_display = ("get_title", "upc", "brand_name", "structure", "is_public", "date_created")
    list_filter = ("structure", "is_public", "brand_link__brand", "categories")
    list_select_related = ("brand_link__brand", "parent__brand_link__brand", "product_class")
    inlines = [
        ProductTranslationInline, ProductImageInline, ProductCategoryInline,
        AttributeValueInline, ListingInline,
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        brands = self.choice_queryset(request, ProductBrand._meta.get_field("brand"))
        required = not request.user.is_superuser

        class RequestProductForm(form):
            brand_required = required

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields["brand"].queryset = brands
                if required:
                    # A brand manager of one brand has nothing to choose.
                    self.fields["brand"].required = not self.instance.parent_id
                    preselect_single_choice(self.fields["brand"])
                    self.fields["brand"].required = False

        return RequestProductForm

    def choices_for_parent(self, request, queryset):
        return queryset.filter(
            pk__in=self.get_queryset(request).filter(structure=Product.PARENT).values("pk")
        )

    def construct_change_message(self, request, form, formsets, add=False):
        """The history says "Category Phones added", not Oscar's developer repr of the link
        ("<productcategory for product '…'>"): a category link is named by its category."""
        message = super().construct_change_message(request, form, formsets, add)
        plain = {}
        for formset in formsets or ():
            if formset.model is not ProductCategoryInline.model:
                continue
            changed = [obj for obj, _fields in formset.changed_objects]
            for link in (*formset.new_objects, *changed, *formset.deleted_objects):
                plain[str(link)] = str(link.category)
        for entry in message:
            for action in entry.values():
                if isinstance(action, dict) and action.get("object") in plain:
                    action["object"] = plain[action["object"]]
        return message

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Before the scope check in save_related: the brand is what puts it in scope.
        product_brand_set(product=obj, brand=form.cleaned_data.get("brand"))

    @admin.display(description=gettext_lazy("brand"))
    def brand_name(self, product):
        owner = product.parent if product.is_child else product
        link = getattr(owner, "brand_link", None) if owner is not None else None
        return link.brand.name if link else "–"
