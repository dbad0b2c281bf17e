"""
Product search for a channel's listing pages.

On PostgreSQL: full-text search with each language's configuration (English
for the products' base titles; French, Arabic, and simple for Swahili on
their translations), every word a prefix ("M042" finds "M0420", "phones"
finds "Phone"), plus trigram-indexed substring matches for the inside of a
word, codes and SKUs. Results are ranked (full-text rank in the base and
the shopper's languages), then newest first. The GIN indexes are in
partner/migrations/0010_search_indexes.py, built from the same expressions.

On SQLite (the demo's default, ``make test``): case-insensitive substring
matches of every word (SQLite folds the case of ASCII letters only), newest first.

Either way only the ``products`` handed in are searched: the channel's
browsable products with a live listing (selectors.products_for_channel).
"""

import re

from django.db import connections
from django.db.models import F, FloatField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from marketplace.localisation.content import base_language
from marketplace.localisation.models import ProductTranslation

# PostgreSQL text search configuration per language (PostgreSQL 15 has Arabic;
# it has no Swahili stemmer: words are matched as written).
TEXT_SEARCH_CONFIGS = {"en": "english", "fr": "french", "ar": "arabic", "sw": "simple"}
_WORD = re.compile(r"\w+")
# Words beyond these are ignored (a query is at most 200 characters anyway).
_MAX_WORDS = 8


def config_for(language: str) -> str:
    return TEXT_SEARCH_CONFIGS.get(language, "simple")


def search_products(products, query: str, languages, ordering):
    """``products`` matching ``query``, and the order to show them in."""
    words = [word.lower() for word in _WORD.findall(query)][:_MAX_WORDS]
    if not uses_full_text(products) or not words:
        # Every word somewhere (title, translation, variant, code, SKU), or the whole query.
        each = Q()
        for word in query.split()[:_MAX_WORDS]:
            each &= plain_matches(word, languages)
        return products.filter(each | plain_matches(query, languages)), ordering
    return _full_text(products, query, words, languages, ordering)


def uses_full_text(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def plain_matches(query, languages) -> Q:
    """A title (base, or in one of ``languages``), a variant's title, code or SKU containing it."""
    from django.db.models import Exists

    from .models import StockRecord

    Product = _product_model()
    titles = ProductTranslation.objects.filter(language__in=languages, title__icontains=query)
    children = Product.objects.filter(parent=OuterRef("pk"))
    return (
        Q(title__icontains=query)
        | Q(Exists(titles.filter(parent=OuterRef("pk"))))
        | Q(upc__iexact=query)
        | Q(Exists(children.filter(title__icontains=query)))
        | Q(Exists(titles.filter(parent__parent=OuterRef("pk"))))
        | Q(Exists(StockRecord.objects.filter(product=OuterRef("pk"), partner_sku__iexact=query)))
    )


def _product_model():
    from oscar.apps.catalogue.models import Product

    return Product


def _vector(config):
    from django.contrib.postgres.search import SearchVector

    # The expression the GIN indexes are built on.
    return SearchVector("title", config=config)


def _query(words, config):
    from django.contrib.postgres.search import SearchQuery

    # \w+ words only: nothing in them is tsquery syntax. Each is a prefix.
    return SearchQuery(" & ".join(f"{word}:*" for word in words), config=config, search_type="raw")


def _matches_text(words, config):
    from django.contrib.postgres.search import SearchVectorExact

    return SearchVectorExact(_vector(config), _query(words, config))


def _full_text(products, query, words, languages, ordering):
    from django.contrib.postgres.search import SearchRank

    from .models import StockRecord

    Product = _product_model()
    base = config_for(base_language())
    other = [lang for lang in languages if lang != base_language()]

    # A title in the base language, or a substring of it (trigram index).
    title = Q(_matches_text(words, base)) | Q(title__icontains=query)
    translated = ProductTranslation.objects.none()
    for language in other:
        in_language = ProductTranslation.objects.filter(language=language).filter(
            Q(_matches_text(words, config_for(language))) | Q(title__icontains=query)
        )
        translated = translated | in_language
    variants = Product.objects.filter(parent__isnull=False, is_public=True).filter(title)
    matching = (
        title
        | Q(pk__in=translated.values("parent_id"))
        | Q(pk__in=translated.filter(parent__parent__isnull=False).values("parent__parent_id"))
        | Q(pk__in=variants.values("parent_id"))
        | Q(upc__iexact=query)
        | Q(pk__in=StockRecord.objects.filter(partner_sku__iexact=query).values("product_id"))
    )

    rank = SearchRank(_vector(base), _query(words, base))
    for language in other:
        config = config_for(language)
        in_language = (
            ProductTranslation.objects.filter(parent=OuterRef("pk"), language=language)
            .annotate(rank=SearchRank(_vector(config), _query(words, config)))
            .values("rank")[:1]
        )
        rank = rank + Coalesce(Subquery(in_language, output_field=FloatField()), Value(0.0))
    products = products.filter(matching).annotate(search_rank=rank)
    return products, (F("search_rank").desc(), *ordering)
