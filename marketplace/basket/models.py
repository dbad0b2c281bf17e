"""
Baskets belong to a channel: a shopper has one open basket per country, and a
basket never mixes currencies because every line's listing is in its channel
(the basket middleware gives a basket its request's channel and the request's
strategy, which only selects that channel's listings).

A line is named in the shopper's language (``Line.description``, the title in
its warnings): Oscar's ``Product.get_title`` is the English base title.
"""

from decimal import Decimal as D

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket.abstract_models import AbstractBasket, AbstractLine
from oscar.apps.partner.availability import Unavailable
from oscar.core.utils import round_half_up_two_dec
from oscar.templatetags.currency_filters import currency

from marketplace.localisation.catalogue import product_description, product_title
from marketplace.localisation.content import current_languages
from marketplace.partner import dependent_lines


class Basket(AbstractBasket):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, null=True, blank=True,
        related_name="baskets", verbose_name=_("channel"),
    )

    def all_lines(self):
        # Oscar's reads the lines in three queries, then more per line; ours in one
        # (basket.lines: titles in the shopper's language included), and keeps them:
        # counting them costs no COUNT either.
        if self.id is None:
            return super().all_lines()
        if self._lines is None:
            from .lines import load_lines

            queryset = self.lines.order_by("pk")
            queryset._result_cache = load_lines(self)
            queryset._prefetch_done = True
            self._lines = queryset
        return self._lines

    @property
    def num_lines(self):
        # Oscar counts with a COUNT(*) before the lines are loaded (is_empty, asked first
        # by every checkout step), then loads them anyway: load them once.
        return len(self.all_lines())

    def _get_total(self, model_property):
        # Oscar's, but a line without a price is left out when *its* listing cannot be
        # bought: Oscar asks about the product (any listing), so a line whose listing went
        # off sale while another seller still sells the product raised a TypeError, a 500
        # on every page showing the basket. A line keeps its listing (strategy.fetch_for_line).
        total = D("0.00")
        for line in self.all_lines():
            try:
                total += getattr(line, model_property)
            except ObjectDoesNotExist:
                pass  # the product deleted
            except TypeError:
                if line.purchase_info.availability.is_available_to_buy:
                    raise
        return round_half_up_two_dec(total)

    def merge_line(self, line, add_quantities=True):
        # Oscar's moves one line at a time; a dependent line (a warranty) moves with its
        # product line instead: when this basket already holds the product, Oscar deletes
        # the moved line, and its warranty went with it (cascade) before being saved
        # again under a deleted parent (an IntegrityError, a 500 at sign-in).
        if line.parent_line_id is not None:
            return  # moved, or dropped, with its product line
        with transaction.atomic():
            dependents = list(line.dependent_lines.all())
            target = self.lines.filter(line_reference=line.line_reference, parent_line__isnull=True).first()
            if target is None:
                super().merge_line(line, add_quantities)
                for dependent in dependents:
                    dependent.basket = self
                    dependent.save()
            else:
                taken = set(target.dependent_lines.values_list("line_reference", flat=True))
                for dependent in dependents:
                    new_reference = dependent_lines.moved_reference(dependent, target)
                    if new_reference in taken:
                        continue  # this basket's own choice stays; the other goes with its line
                    dependent.basket, dependent.parent_line = self, target
                    dependent.line_reference = new_reference
                    dependent.save()  # its quantity: the product line's (Line.save)
                # The product line's quantity is set here, and its dependents follow it.
                super().merge_line(line, add_quantities)
        dependent_lines.forget(self)
        self._lines = None

    merge_line.alters_data = True

    @property
    def currency(self):
        if self.channel_id:
            return self.channel.currency
        return super().currency


class Line(AbstractLine):
    # A line that exists only with another (an extended warranty for a product
    # line: ``partner.dependent_lines``): it goes when its product line goes.
    parent_line = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, editable=False,
        related_name="dependent_lines", verbose_name=_("for the line"),
    )

    @classmethod
    def from_db(cls, db, field_names, values):
        line = super().from_db(db, field_names, values)
        line._loaded_quantity = line.__dict__.get("quantity")
        return line

    def save(self, *args, **kwargs):
        if self.parent_line_id is not None:
            # Its quantity is the product line's, whatever was posted for it.
            self.quantity = type(self).objects.filter(pk=self.parent_line_id).values_list(
                "quantity", flat=True
            ).first() or self.quantity
        super().save(*args, **kwargs)
        loaded = getattr(self, "_loaded_quantity", None)
        if self.parent_line_id is None and loaded is not None and loaded != self.quantity:
            # A product line's quantity changed: its dependent lines follow (one UPDATE,
            # only when the quantity changed; a new line has none yet).
            self.dependent_lines.exclude(quantity=self.quantity).update(quantity=self.quantity)
        self._loaded_quantity = self.quantity

    @property
    def description(self):
        kind = dependent_lines.kind_for(self)
        if kind is not None:
            return kind.title(line=self, languages=current_languages())
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
