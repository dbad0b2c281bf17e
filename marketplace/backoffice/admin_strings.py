"""
Oscar's messages shown in the back office that Oscar's French or Arabic catalogue lacks.

Like ``marketplace/localisation/oscar_strings.py`` for the storefront: listing
them with ``gettext_noop`` makes ``makemessages`` extract them into our
catalogues (``LOCALE_PATHS`` wins over Oscar's), where they are translated.
``tests/i18n/test_admin_in_each_language.py`` walks every admin page of each
role in French and Arabic and fails on a message no catalogue translates: add
such a message here (exactly Oscar's msgid), then ``make messages``, translate
it, ``make compilemessages``.

Nothing imports this module.
"""

from django.utils.translation import gettext_noop

OSCAR_ADMIN = (
    # oscar/apps/partner/abstract_models.py
    gettext_noop("Fulfillment partner"),
    gettext_noop("Fulfillment partners"),
    gettext_noop("Number in stock"),
    gettext_noop("Low Stock Threshold"),
    # oscar/apps/order/abstract_models.py
    gettext_noop("Order Line"),
    gettext_noop("Order Status Change"),
    gettext_noop("Old Status"),
    gettext_noop("New Status"),
    gettext_noop("Product '%(name)s', quantity '%(qty)s'"),
    # Oscar's French says "Diminutif": the part of a web address, not a nickname.
    gettext_noop("Slug"),
)

DJANGO_ADMIN = (
    # django/contrib/admin/actions.py: Django's French agrees the adjective with a
    # masculine plural whatever the noun ("les offres sélectionnés").
    gettext_noop("Delete selected %(verbose_name_plural)s"),
)
