"""
The back office's admin site: Django's, with scoped autocomplete and an audit
actor around every view. (The language chooser is the localisation app's.)
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import audit, dates
from .scoping import ScopedAdmin


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """
    Autocomplete answers with exactly the choices the form field offers.

    Django asks whether the user may *view* the related model and searches
    its admin's queryset. Here the admin (or inline) that edits the source
    field decides, through ``choice_queryset``: a brand manager picking a
    category for a product searches every category, though the category
    admin is the superuser's alone; a seller picking a listing's product
    searches the catalogue, nothing else.
    """

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        self.source = self.admin_site.choice_source(source_field.model)
        return term, model_admin, source_field, to_field_name

    def has_perm(self, request, obj=None):
        if self.source is None:
            return request.user.is_superuser
        return self.source.can_pick_choices(request)

    def get_queryset(self):
        if self.source is None:
            return super().get_queryset()
        remote = self.source_field.remote_field.model
        ordering = self.model_admin.get_ordering(self.request) or remote._meta.ordering or ("pk",)
        queryset = self.source.choice_queryset(
            self.request, self.source_field, remote._default_manager.order_by(*ordering)
        )
        queryset = queryset.complex_filter(self.source_field.get_limit_choices_to())
        queryset, use_distinct = self.model_admin.get_search_results(
            self.request, queryset, self.term
        )
        return queryset.distinct() if use_distinct else queryset


class BackOfficeSite(admin.AdminSite):
    # The marketplace's name instead of "Django administration", in every language.
    site_header = gettext_lazy("Marketplace back office")
    site_title = gettext_lazy("Marketplace back office")
    index_title = gettext_lazy("Home")

    # The apps in the order people work in them, the same in every language
    # (Django sorts by the translated name, so French and Arabic moved them about).
    APP_ORDER = (
        "order", "partner", "catalogue", "stores", "exclusives", "delivery", "payments",
        "channels", "brands", "memberships", "backoffice",
    )

    def get_app_list(self, request, app_label=None):
        app_dict = self._build_app_dict(request, app_label)
        rank = {label: position for position, label in enumerate(self.APP_ORDER)}
        app_list = sorted(
            app_dict.values(),
            key=lambda app: (rank.get(app["app_label"], len(rank)), app["app_label"]),
        )
        for app in app_list:
            app["models"].sort(key=lambda model: model["object_name"])
        return app_list

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def acting_view(request, *args, **kwargs):
            # Changes made through any admin page are audited as this user's; the page's
            # dates, date hierarchy and "Today" are in the user's working time zone
            # (``dates.working_timezone``), so the page is rendered here, inside it.
            with audit.acting(request.user), timezone.override(dates.working_timezone(request)):
                response = inner(request, *args, **kwargs)
                if callable(getattr(response, "render", None)) and not response.is_rendered:
                    response.render()
                return response

        return update_wrapper(acting_view, inner)

    def each_context(self, request):
        # The header says which time zone the page's dates are in.
        return {**super().each_context(request), "time_zone_label": dates.zone_label()}

    def autocomplete_view(self, request):
        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)

    def choice_source(self, model):
        """The scoped admin, or inline of one, whose forms edit ``model``'s fields."""
        registered = self._registry.get(model)
        if isinstance(registered, ScopedAdmin):
            return registered
        for model_admin in self._registry.values():
            for inline_class in getattr(model_admin, "inlines", ()):
                if inline_class.model is model and hasattr(inline_class, "choice_queryset"):
                    return inline_class(model_admin.model, self)
        return None
