"""Autocomplete answers with the choices the form field offers the user, nothing more."""

import pytest
from django.contrib import admin

pytestmark = pytest.mark.django_db

# (app, model, field) -> role -> (ids that must be offered, ids that must not) or 403
EXPECTED = {
    ("partner", "stockrecord", "product"): {
        # A brand's store lists the brand's products; parents are sold through variants.
        "brand": (["redmi_pad", "note_variant"], ["spark", "note", "pova"]),
        "seller": (["redmi_pad", "spark"], ["note", "pova"]),
        "channel": (["redmi_pad", "spark"], ["note", "pova"]),
        "superuser": (["spark", "note"], []),
    },
    ("catalogue", "product", "parent"): {
        "brand": (["note"], ["pova", "redmi"]),
        "seller": 403,
        "channel": 403,
        "superuser": (["note", "pova"], []),
    },
    ("catalogue", "productcategory", "category"): {
        "brand": (["phones"], []),
        "seller": 403,
        "channel": 403,
        "superuser": (["phones"], []),
    },
    ("stores", "featuredproduct", "product"): {
        "brand": 403,
        "seller": 403,
        "channel": (["redmi", "note", "spark"], ["pova"]),
        "superuser": (["pova"], []),
    },
    # Exclusives (issue 5): operators pick a product or a family, never a variant.
    ("exclusives", "exclusiverule", "product"): {
        "brand": 403,
        "seller": 403,
        "channel": (["redmi", "note", "spark", "pova"], ["note_variant"]),
        "superuser": (["note", "pova"], []),
    },
}


def autocomplete(client, app, model, field, term=""):
    return client.get(
        "/admin/autocomplete/",
        {"app_label": app, "model_name": model, "field_name": field, "term": term},
    )


def declared_autocompletes():
    """Every (app, model, field) an admin or inline on the site autocompletes."""
    found = set()
    for model, model_admin in admin.site._registry.items():
        for field in model_admin.autocomplete_fields:
            found.add((model._meta.app_label, model._meta.model_name, field))
        for inline in model_admin.inlines:
            for field in inline.autocomplete_fields:
                found.add((inline.model._meta.app_label, inline.model._meta.model_name, field))
    return sorted(found)


@pytest.mark.parametrize("role", ["brand", "channel", "seller", "superuser"])
@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_autocomplete_offers_exactly_the_form_choices(world, as_role, source, role):
    expected = EXPECTED[source][role]
    response = autocomplete(as_role(role), *source)

    if expected == 403:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    offered = {int(r["id"]) for r in response.json()["results"]}
    must, must_not = expected
    assert {world.objects[k].pk for k in must} <= offered
    assert not {world.objects[k].pk for k in must_not} & offered


@pytest.mark.parametrize("source", [s for s in declared_autocompletes() if s not in EXPECTED])
def test_other_autocompletes_are_closed_to_back_office_roles(world, as_role, source):
    # Those in EXPECTED are checked role by role above.
    for role in ("brand", "channel", "seller"):
        response = autocomplete(as_role(role), *source)
        assert response.status_code == 403, (source, role)


def test_a_search_term_never_reaches_beyond_the_scope(world, as_role):
    response = autocomplete(as_role("brand"), "partner", "stockrecord", "product", term="Tecno")

    assert response.json()["results"] == []
