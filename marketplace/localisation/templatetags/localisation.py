"""
``{% load localisation %}``: catalogue content and dates in the shopper's language.

- ``{{ category|translated:"name" }}``, ``{{ product|translated:"description" }}``:
  the field in the shopper's language, the channel's default, then English.
- ``{{ product|translated:"description"|rich_text }}``: HTML that staff entered,
  with only an allow-list of tags and attributes (``localisation.rich_text``).
  Never ``|safe`` on content.
- ``{% menu_categories as categories %}``: the top-level categories of the primary
  navigation (Oscar's ``category_tree depth=1``), their names in the shopper's
  language, in one query.
- ``{{ product|product_title }}``: a product's title in the shopper's language
  (a variant without one: its family's). Oscar's ``product.get_title`` is the
  English base title, for the back office: never print it to shoppers.
  A basket line's ``line.description`` is already in the shopper's language
  (``marketplace.basket.models.Line``), an order line's is the title stored
  when the order was placed, in the shopper's language then.
- ``{% for category in categories|with_translations %}``: reads the translations
  of a whole list in one query first (use it on any list shown with ``translated``).
- ``{{ order.date_placed|local_datetime }}``, ``|local_date:"long"``,
  ``|local_time``: in the current channel's timezone and the language+country
  CLDR format; outside a channel, the active timezone and language. The
  argument is a Babel format: ``short``, ``medium`` (default), ``long``,
  ``full`` or a CLDR pattern.
"""

from django import template
from django.conf import settings
from django.utils import timezone, translation
from oscar.templatetags.category_tags import CheapCategoryInfo

from marketplace.channels.context import get_current_channel
from marketplace.channels.locale_names import country_name
from marketplace.channels.money import babel_locale

from .. import dates
from .. import rich_text as rich_text_sanitiser
from ..catalogue import load_translations, translated_text
from ..catalogue import product_title as title_of
from ..content import annotate_translations, current_languages, needs_translations
from ..models import CategoryTranslation

register = template.Library()


def _unwrap(obj):
    # Oscar's ``category_tree`` yields wrappers around the category.
    return obj.category if isinstance(obj, CheapCategoryInfo) else obj


@register.filter
def translated(obj, field):
    if obj is None or obj == "":
        return ""
    return translated_text(_unwrap(obj), str(field))


@register.simple_tag
def menu_categories():
    """Browsable root categories not excluded from the menu, as Oscar's ``for_menu``.

    Oscar's tag reads the excluded paths first and the categories second; at
    depth 1 a category can only be excluded by its own flag, so one query does.
    """
    from oscar.apps.catalogue.models import Category

    from marketplace.pagecache.versions import memo_per_page_version

    languages = current_languages()

    def compute():
        categories = Category.objects.filter(
            depth=1, is_public=True, ancestors_are_public=True, exclude_from_menu=False
        ).order_by("path")
        return list(annotate_translations(categories, CategoryTranslation, ("name",), languages))

    channel = get_current_channel()
    if channel is None:  # outside the storefront: no version to keep it under
        return compute()
    # The same on every page of the channel in this language: once per version of its
    # pages (categories and their translations bump it), not once per render.
    return memo_per_page_version(channel, f"menu-categories:{','.join(languages)}", compute)


@register.filter
def address_lines(address):
    """Oscar's ``active_address_fields``, the country named in the shopper's language
    (``Egypt`` is ``مصر`` on an Arabic page). Templates show each line in a ``<bdi>``: a
    line typed in Latin script keeps its order on a right-to-left page."""
    if not address:
        return []
    lines = address.active_address_fields()
    country = getattr(address, "country", None)
    if country is not None and lines and lines[-1] == country.printable_name.strip():
        lines[-1] = country_name(country.iso_3166_1_a2, translation.get_language() or settings.LANGUAGE_CODE)
    return lines


@register.filter
def product_title(product):
    if product is None or product == "":
        return ""
    return title_of(product)


@register.filter(is_safe=True)
def rich_text(value):
    return rich_text_sanitiser.clean(value)


@register.filter
def with_translations(objects):
    objects = list(objects or [])
    languages = current_languages()
    if objects and needs_translations(languages):
        load_translations([_unwrap(obj) for obj in objects], languages)
    return objects


def _zone_and_locale():
    channel = get_current_channel()
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if channel is not None:
        return channel.tzinfo, channel.locale(language)
    return timezone.get_current_timezone(), babel_locale(language)


def _format(formatter, value, format):
    if value in (None, ""):
        return ""
    tzinfo, locale = _zone_and_locale()
    return formatter(value, tzinfo=tzinfo, locale=locale, format=format)


@register.filter
def local_datetime(value, format="medium"):
    return _format(dates.local_datetime, value, format)


@register.filter
def local_date(value, format="medium"):
    return _format(dates.local_date, value, format)


@register.filter
def local_time(value, format="short"):
    return _format(dates.local_time, value, format)
