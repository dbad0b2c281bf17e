"""Bulk actions for scoped admins: they act on the scoped change list's rows only."""

import csv

from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field, lookup_field
from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy, ngettext

from marketplace.stores.services import listings_set_live


@admin.action(description=gettext_lazy("Export the selected rows as CSV"), permissions=["view"])
def export_csv(modeladmin, request, queryset):
    """The selected rows (already limited to the user's scope), as the change list shows them."""
    fields = [f for f in modeladmin.get_list_display(request) if f != "action_checkbox"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{modeladmin.model._meta.model_name}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [strip_tags(force_str(label_for_field(f, modeladmin.model, modeladmin))) for f in fields]
    )
    for obj in queryset:
        row = []
        for name in fields:
            _field, _attr, value = lookup_field(name, obj, modeladmin)
            row.append(strip_tags(force_str(value if value is not None else "")))
        writer.writerow(row)
    return response


def _set_live(modeladmin, request, queryset, live: bool):
    # Only rows the user may change, even if more were visible and selected.
    changeable = modeladmin.scoped_queryset(request, queryset, "change")
    count = listings_set_live(listings=changeable, live=live)
    modeladmin.message_user(
        request,
        (
            ngettext("%(count)d listing is now on sale.", "%(count)d listings are now on sale.", count)
            if live
            else ngettext(
                "%(count)d listing is now off sale.", "%(count)d listings are now off sale.", count
            )
        ) % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=gettext_lazy("Put the selected listings on sale"), permissions=["change"])
def make_live(modeladmin, request, queryset):
    _set_live(modeladmin, request, queryset, True)


@admin.action(description=gettext_lazy("Take the selected listings off sale"), permissions=["change"])
def take_off_sale(modeladmin, request, queryset):
    _set_live(modeladmin, request, queryset, False)
