"""
Baskets belong to a channel: a shopper has one open basket per country, and a
basket never mixes currencies because every line's listing is in its channel
(the basket middleware gives a basket its request's channel and the request's
strategy, which only selects that channel's listings).
"""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.abstract_models import AbstractBasket


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

    # Pages that show the lines read their pictures; a checkout step that does not
    # (``checkout.views.OncePerRequest``) says so before the lines are loaded.
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


from oscar.apps.basket.models import *  # noqa: E402,F401,F403,I001
