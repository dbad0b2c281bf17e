"""
Baskets belong to a channel: a shopper has one open basket per country, and a
basket never mixes currencies because every line's listing is in its channel
(the basket middleware gives a basket its request's channel and the request's
strategy, which only selects that channel's listings).

A line is named in the shopper's language (``Line.description``, the title in
its warnings): Oscar's ``Product.get_title`` is the English base title.
"""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.abstract_models import AbstractBasket, AbstractLine
from oscar.apps.partner.availability import Unavailable
from oscar.templatetags.currency_filters import currency

from marketplace.localisation.catalogue import product_description, product_title
from marketplace.localisation.content import (
    current_languages,
    needs_translations,
    translations_prefetch,
)
from marketplace.localisation.models import ProductTranslation


class _LinesQuerySet(models.QuerySet):
    """A basket's lines whose options (``attributes``) are fetched only for lines that have some.

    Oscar prefetches every line's options, a query on every request that reads the lines,
    for products that almost never have any. The lines query says which lines have
    options (``has_options``, an EXISTS); the others get an empty list before the
    prefetch runs, which then skips them (a query only when some line has options).
    """

    def _fetch_all(self):
        if self._result_cache is None:
            self._result_cache = list(self._iterable_class(self))
            for line in self._result_cache:
                if getattr(line, "has_options", True) is False:
                    empty = line.attributes.get_queryset()
                    empty._result_cache, empty._prefetch_done = [], True
                    line.__dict__.setdefault("_prefetched_objects_cache", {})["attributes"] = empty
        super()._fetch_all()


class Basket(AbstractBasket):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, null=True, blank=True,
        related_name="baskets", verbose_name=_("channel"),
    )

    # Pages that show the lines read their pictures and titles; a checkout step that does
    # not (``checkout.views.OncePerRequest``) says so before the lines are loaded.
    lines_shown = True

    def all_lines(self):
        # Oscar's query, joined with what every checkout step reads of a line: the product
        # class (shipping required? stock tracked?), a variant's parent's, and the
        # listing's seller. Without them each was a query per line per request.
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            lines = (
                self.lines.select_related(
                    "product__product_class", "product__parent__product_class",
                    "stockrecord__partner",
                )
                .annotate(has_options=Exists(
                    self.lines.model.attributes.rel.related_model.objects.filter(line=OuterRef("pk"))
                ))
                .prefetch_related("attributes", *(["product__images"] if self.lines_shown else []))
                .order_by(self._meta.pk.name)
            )
            # The lines' titles in the shopper's language come with them, in one query
            # (the basket page, the mini basket on every page, the checkout).
            languages = current_languages()
            if self.lines_shown and needs_translations(languages):
                lines = lines.prefetch_related(
                    translations_prefetch(ProductTranslation, languages, "product__translations")
                )
            # The related manager's queryset (its lines know their basket), as ours.
            lines.__class__ = _LinesQuerySet
            self._lines = lines
        return self._lines

    @property
    def num_lines(self):
        # Oscar counts with a COUNT(*) before the lines are loaded (is_empty, asked first
        # by every checkout step), then loads them anyway: load them once.
        return len(self.all_lines())

    @property
    def currency(self):
        if self.channel_id:
            return self.channel.currency
        return super().currency


class Line(AbstractLine):
    @property
    def description(self):
        # Oscar's, from the product's title in the shopper's language.
        d = product_description(self.product)
        ops = []
        for attribute in self.attributes.all():
            value = attribute.value
            if isinstance(value, list):
                ops.append(f"{attribute.option.name} = '{', '.join(str(v) for v in value)}'")
            else:
                ops.append(f"{attribute.option.name} = '{value}'")
        if ops:
            d = f"{d} ({', '.join(ops)})"
        return d

    def get_warning(self):
        # Oscar's messages, with the product's title in the shopper's language.
        if isinstance(self.purchase_info.availability, Unavailable):
            return _("'%(product)s' is no longer available") % {
                "product": product_title(self.product)
            }
        if not self.price_incl_tax or not self.purchase_info.price.is_tax_known:
            return None
        current_price_incl_tax = self.purchase_info.price.incl_tax
        if current_price_incl_tax == self.price_incl_tax:
            return None
        product_prices = {
            "product": product_title(self.product),
            "old_price": currency(self.price_incl_tax, self.price_currency),
            "new_price": currency(current_price_incl_tax, self.price_currency),
        }
        if current_price_incl_tax > self.price_incl_tax:
            warning = _(
                "The price of '%(product)s' has increased from"
                " %(old_price)s to %(new_price)s since you added"
                " it to your basket"
            )
        else:
            warning = _(
                "The price of '%(product)s' has decreased from"
                " %(old_price)s to %(new_price)s since you added"
                " it to your basket"
            )
        return warning % product_prices


from oscar.apps.basket.models import *  # noqa: E402,F401,F403,I001
