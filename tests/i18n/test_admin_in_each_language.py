"""
No back-office page a role works in shows English text in French or Arabic.

Each role (brand manager, country operator, seller) opens the admin's home and,
for every admin it may see, the change list, the add form (where it may add)
and the change page of one of its objects, in French and in Arabic. Every
message lookup made meanwhile (ours, Oscar's verbose names and help texts,
Django's admin) must be held by a catalogue of that language, and not be its
English msgid again. Oscar's and Django's strings that their own catalogues
lack are kept in ours through ``marketplace/backoffice/admin_strings.py``.
"""

import pytest
from django.contrib import admin

from tests.backoffice.conftest import as_role, world  # noqa: F401  (fixtures)

from .lookups import recording

pytestmark = pytest.mark.django_db

ROLES = ("brand", "channel", "seller")


def not_messages(language):
    """Lookups that are no message of ours to translate.

    django-countries looks up its alternative country names ("Naoero") and
    translates them from its own catalogues; the language chooser passes the
    already translated names of the languages ("Français") through gettext.
    """
    from django.conf import settings
    from django.utils import translation
    from django_countries import countries
    from django_countries.data import COUNTRIES

    names = {str(name) for name in COUNTRIES.values()}
    names |= {str(name) for name in countries.COMMON_NAMES.values()}
    for old in countries.OLD_NAMES.values():
        names |= {str(name) for name in (old if isinstance(old, list | tuple) else [old])}
    for shown_in in ("en", language):
        with translation.override(shown_in):
            names |= {translation.gettext(name) for _code, name in settings.LANGUAGES}
    return names


def pages_of(client, request_user):
    """The admin pages the user may open: home, and each visible admin's list, add and change."""
    from django.test import RequestFactory

    from marketplace.memberships.selectors import request_scope  # noqa: F401  (scope per request)

    request = RequestFactory().get("/admin/")
    request.user = request_user
    pages = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request) or not model_admin.has_view_permission(request):
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages.append(base)
        if model_admin.has_add_permission(request):
            pages.append(base + "add/")
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None:
            pages.append(f"{base}{first.pk}/change/")
    return pages


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_of_a_role_is_translated(world, as_role, role, language):  # noqa: F811
    client = as_role(role)
    client.cookies["django_language"] = language
    pages = pages_of(client, world.users[role])
    assert len(pages) > 5

    untranslated = {}
    exempt = not_messages(language)
    for url in pages:
        with recording() as recorder:
            response = client.get(url)
        assert response.status_code == 200, url
        for lookup in recorder.untranslated:
            if lookup.msgid not in exempt:
                untranslated.setdefault(str(lookup), url)

    assert not untranslated, f"{role} in {language}: untranslated on\n" + "\n".join(
        f"  {msgid}  ({url})" for msgid, url in sorted(untranslated.items())
    )
