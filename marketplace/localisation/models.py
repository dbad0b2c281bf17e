"""
Catalogue content in other languages than the base (English) text.

Oscar's product and category keep their English text in their own fields; each
other language is a row here, entered by brand managers on the product's and
category's admin page. Store descriptions (brands) and delivery options live
with their own models, in the same shape (``content.Translation``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .content import Translation


class ProductTranslation(Translation):
    """A product's title and description in one language."""

    parent = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="translations",
        verbose_name=_("product"),
    )
    title = models.CharField(pgettext_lazy("Product title", "title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("product translation")
        verbose_name_plural = _("product translations")
        ordering = ("parent", "language")
        constraints = [
            models.UniqueConstraint(
                fields=("parent", "language"), name="producttranslation_one_per_language"
            ),
        ]


class CategoryTranslation(Translation):
    """A category's name and description in one language."""

    parent = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, related_name="translations",
        verbose_name=_("category"),
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category translation")
        verbose_name_plural = _("category translations")
        ordering = ("parent", "language")
        constraints = [
            models.UniqueConstraint(
                fields=("parent", "language"), name="categorytranslation_one_per_language"
            ),
        ]
