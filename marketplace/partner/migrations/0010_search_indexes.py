"""Indexes for product search on PostgreSQL; nothing on SQLite (its search is plain LIKE).

Full-text: a GIN index on the English title of products (their base text), and
one per language on translated titles with that language's configuration
(french, arabic; simple for Swahili), partial on the language so each query
reads only its own. Trigram (pg_trgm): GIN on upper(title) of both, which is
what Django's icontains compares, for partial words ("M042" in "M0420").
The full-text ones are built by Django from the same expressions
partner.search queries with, so the planner matches them.
"""

from django.db import migrations
from django.db.models import Q

# Frozen here: partner.search.TEXT_SEARCH_CONFIGS when this was written.
CONFIGS = {"en": "english", "fr": "french", "ar": "arabic", "sw": "simple"}
TRIGRAM = (
    ("catalogue_product", "product_title_trgm"),
    ("localisation_producttranslation", "producttranslation_title_trgm"),
)


def _fts_indexes(apps):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    product = apps.get_model("catalogue", "Product")
    translation = apps.get_model("localisation", "ProductTranslation")
    yield product, GinIndex(SearchVector("title", config="english"), name="product_title_fts")
    for language, config in CONFIGS.items():
        if language == "en":
            continue
        yield translation, GinIndex(
            SearchVector("title", config=config), condition=Q(language=language),
            name=f"producttranslation_fts_{language}",
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for model, index in _fts_indexes(apps):
        schema_editor.add_index(model, index)
    for table, name in TRIGRAM:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("title"::text)) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _fts_indexes(apps):
        schema_editor.remove_index(model, index)
    for _table, name in TRIGRAM:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("partner", "0009_listing_ships_from_abroad"),
        ("catalogue", "0032_category_exclude_from_menu_category_long_description"),
        ("localisation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
