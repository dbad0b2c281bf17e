from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalisationConfig(AppConfig):
    name = "marketplace.localisation"
    label = "localisation"
    verbose_name = _("Localisation")

    def ready(self):
        from . import admin

        # The admin has imported every admin module by now (it comes first in
        # INSTALLED_APPS), so the product and category admins are registered.
        admin.attach_translation_inlines()
