"""Delete confirmations for back-office roles: they name only what the user may see."""

from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def scoped_deleted_objects(objs, request, site):
    """``ModelAdmin.get_deleted_objects`` for a non-superuser.

    Like Django's, every object the deletion would take with it that the user
    may not delete blocks it (``perms_needed``); unlike Django's, an object the
    user may not even see is shown by its type only, never by its name.
    """
    try:
        first = objs[0]
    except IndexError:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(first._meta.model), origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def describe(obj):
        opts = obj._meta
        model_admin = site._registry.get(obj.__class__)
        if model_admin is None:
            # Rows edited only inside their parent (images, translations).
            return f"{capfirst(opts.verbose_name)}: {obj}"
        if not model_admin.has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
            if not model_admin.has_view_permission(request, obj):
                return _("%(type)s that you cannot see") % {"type": capfirst(opts.verbose_name)}
        try:
            url = reverse(
                f"{site.name}:{opts.app_label}_{opts.model_name}_change", args=(quote(obj.pk),)
            )
        except NoReverseMatch:
            return f"{capfirst(opts.verbose_name)}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = collector.nested(describe)
    protected = [describe(obj) for obj in collector.protected]
    model_count = {
        model._meta.verbose_name_plural: len(objects)
        for model, objects in collector.model_objs.items()
    }
    return to_delete, model_count, perms_needed, protected
