"""
Scoping the back office: one mixin decides what each role sees and may change.

Every ``ModelAdmin`` registered on ``admin.site`` uses ``ScopedAdmin`` (a test
walks the registry and fails on one that does not). An admin declares two
things, both keyed by role (``memberships.roles``: ``brand``, ``seller``,
``channel``):

``scope``
    the path (or paths, OR-ed) from the admin's model to the object a
    membership points at, as ORM lookups::

        scope = {
            "brand": ("brand_link__brand", "parent__brand_link__brand"),
            "seller": "partner",
            "channel": "channel",     # e.g. a delivery option with a channel FK
        }

    ``"pk"`` means the object itself (the Brand admin scopes brands by
    ``{"brand": "pk"}``). A role missing from ``scope`` sees nothing.

``role_permissions``
    what each role may do with the objects in its scope: a subset of
    ``{"view", "add", "change", "delete"}`` (``ALL``, ``VIEW``…). Any
    permission implies ``view``.

A new admin plugs in like this (then add it to the permission matrix in
``tests/backoffice/test_permission_matrix.py``)::

    @admin.register(DeliveryOption)
    class DeliveryOptionAdmin(ScopedAdmin, admin.ModelAdmin):
        scope = {roles.CHANNEL: "channel"}
        role_permissions = {roles.CHANNEL: ALL}

A country operator (``channel``) sees every object one of whose channels is
theirs, but may change, add or delete only what lies wholly inside their
channels: a seller that also sells elsewhere, or a rule that also runs
elsewhere, is read-only to them (403 on a POST). "Its channels" are the values
of all the ``channel`` paths of ``scope``; this rule is applied here, in
``scope_condition``, so every admin and inline gets it.

Some objects are shared by several members: an order holds the lines of
several sellers. Roles named in ``partial_roles`` see only their part of such
an object (``sees_part``): the change list, the export and the search use
``partial_list_display`` and ``partial_search_fields``; the change page
``get_partial_fieldsets``; list filters and query-string lookups are limited
to the declared filters (``?guest_email__startswith=`` would otherwise leak a
hidden field one guess at a time). Where a role that sees the object whole
(an operator of the order's country) also reaches it, the page is whole.

An admin with an empty ``scope`` is the superuser's alone. Superusers pass
every check; Django's model permissions are not consulted for anyone else,
so memberships are the only thing that grants access.

From these the mixin derives, for non-superusers:

- the change list, search, date hierarchy and bulk actions (they all start
  from ``get_queryset``), and list filters on relations (only values present
  in the scoped rows are offered);
- object pages (change, delete, history): an object outside the scope is a
  404, exactly like one that does not exist;
- foreign-key and many-to-many choices, including autocomplete (see
  ``sites.ScopedAutocompleteJsonView``): by default what the related model's
  own admin lets the user see; fields named in ``shared_choices`` offer the
  whole table (reference data such as categories); a ``choices_for_<field>``
  method decides anything else. A foreign id posted anyway fails form
  validation ("Select a valid choice").
- many-to-many values the user cannot see are kept when the form is saved;
- after every save (add, change, inline rows), the object must still be in
  the user's scope for that action, or the whole save is rolled back (403);
- delete confirmations name only objects the user may see.

Inlines use ``ScopedInline``: with no ``scope`` of their own, their rows
belong to the parent and follow its permissions (images of a product); with
one, they are filtered and checked like a model admin (listings of a product).
"""

from django import forms
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from marketplace.channels.models import Channel
from marketplace.memberships import roles
from marketplace.memberships.selectors import request_scope

from .deletion import scoped_deleted_objects
from .prevalidation import key_checked_kwargs, readable_initial
from .widgets import ListField, add_dir_auto, is_list_field, preselect_single_choice

VIEW = frozenset({"view"})
ALL = frozenset({"view", "add", "change", "delete"})
EDIT = frozenset({"view", "add", "change"})
CHANGE = frozenset({"view", "change"})


def _paths(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _in(path: str) -> str:
    return "pk__in" if path in ("", "pk") else f"{path}__in"


def _any_of(terms) -> Q:
    condition = None
    for term in terms:
        condition = term if condition is None else condition | term
    return condition


def _is_superuser(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_active and user.is_superuser)


class _Scoped:
    """What ``ScopedAdmin`` and ``ScopedInline`` share: the scope and its checks."""

    scope: dict = {}
    role_permissions: dict = {}
    shared_choices: tuple[str, ...] = ()

    # Roles and querysets ---------------------------------------------------

    def granted_roles(self, request, action: str) -> list[str]:
        """The user's roles that may do ``action`` here."""
        memberships = request_scope(request)
        granted = []
        for role, actions in self.role_permissions.items():
            if role not in self.scope or not actions or not memberships.ids(role):
                continue
            if action == "view" or action in actions:
                granted.append(role)
        return granted

    def scope_condition(self, request, action: str, roles_only=None) -> Q | None:
        """A filter on ``self.model`` for the rows the user may ``action``, or None.

        ``roles_only`` limits it to those of the user's roles.
        """
        memberships = request_scope(request)
        condition = None
        for role in self.granted_roles(request, action):
            if roles_only is not None and role not in roles_only:
                continue
            ids = sorted(memberships.ids(role))
            term = _any_of(Q(**{_in(path): ids}) for path in _paths(self.scope[role]))
            if role == roles.CHANNEL and action != "view":
                # A country operator sees what reaches one of their countries
                # but changes only what lies wholly inside them: renaming a
                # seller, or moving a rule, that also sells or runs elsewhere
                # is the marketplace's decision, not one country's.
                term &= ~Q(pk__in=self._reaching_outside(ids))
            condition = term if condition is None else condition | term
        return condition

    def _reaching_outside(self, channel_ids):
        """The rows with a channel, on any of their channel paths, not in ``channel_ids``."""
        others = Channel._default_manager.exclude(pk__in=channel_ids).values("pk")
        outside = _any_of(Q(**{_in(path): others}) for path in _paths(self.scope[roles.CHANNEL]))
        return self.model._default_manager.filter(outside).values("pk")

    def scoped_queryset(self, request, queryset, action: str = "view"):
        if _is_superuser(request):
            return queryset
        condition = self.scope_condition(request, action)
        if condition is None:
            return queryset.none()
        # A subquery, so paths through many-to-many relations never repeat rows.
        return queryset.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))

    def allows(self, request, action: str, obj=None, *, fresh: bool = False) -> bool:
        """May the user do ``action`` here at all (``obj`` None) or to ``obj``?

        Answers for objects are remembered for the request (a change page asks
        the same question once per inline); ``fresh`` asks the database again.
        """
        if _is_superuser(request):
            return True
        if obj is None:
            return bool(self.granted_roles(request, action))
        if obj.pk is None:
            return False
        key = (self.model._meta.label, action, obj.pk)
        answers = request.__dict__.setdefault("_scope_answers", {})
        if fresh or key not in answers:
            condition = self.scope_condition(request, action)
            answers[key] = condition is not None and (
                self.model._default_manager.filter(condition, pk=obj.pk).exists()
            )
        return answers[key]

    def ensure_allowed(self, request, action: str, obj) -> None:
        if not self.allows(request, action, obj, fresh=True):
            raise PermissionDenied

    # Choices -----------------------------------------------------------------

    def choice_queryset(self, request, db_field, queryset=None):
        """The objects the user may pick for ``db_field`` in this admin's forms."""
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        if _is_superuser(request):
            return queryset
        custom = getattr(self, f"choices_for_{db_field.name}", None)
        if custom is not None:
            return custom(request, queryset)
        if db_field.name in self.shared_choices:
            return queryset
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        if isinstance(related_admin, ScopedAdmin):
            return queryset.filter(pk__in=related_admin.get_queryset(request).values("pk"))
        return queryset.none()

    def can_pick_choices(self, request) -> bool:
        """Whether the user edits forms of this admin at all (autocomplete asks)."""
        raise NotImplementedError

    # Form pieces every admin gets (``widgets``): lists, dir="auto", one choice preselected.
    list_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_list_field(db_field) or db_field.name in self.list_fields:
            return ListField(
                label=capfirst(db_field.verbose_name), required=not db_field.blank,
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            add_dir_auto(formfield)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = key_checked_kwargs(self, db_field, request, kwargs, many=False)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self.choice_queryset(request, db_field, formfield.queryset)
            preselect_single_choice(formfield)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = key_checked_kwargs(self, db_field, request, kwargs, many=True)
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            formfield.queryset = self.choice_queryset(request, db_field, formfield.queryset)
        return formfield


class ScopedChangeList(ChangeList):
    """Django's change list, refusing dates no calendar has instead of failing on them."""

    def get_filters(self, request):
        # The date hierarchy turns ?<field>__year=&__month=&__day= into a
        # datetime and adds a year or a month to it, outside the try that
        # catches ValueError: year 99999999999 is an OverflowError, year 9999
        # (then 10000) a ValueError. Both are a bad lookup, which Django answers
        # with a redirect to ``?e=1`` and its "invalid filter" message.
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class ScopedAdmin(_Scoped):
    """Mix into every ModelAdmin: see the module docstring."""

    # Fields only a superuser may edit; read-only for everyone else.
    superuser_fields: tuple[str, ...] = ()

    # A fact of the user's memberships (``memberships.selectors.reach_fact``) without
    # which a role allowed to add has nothing to add here (every store has its page):
    # the "Add" links of the index, the side bar and the change list are then hidden.
    add_needs_fact: str | None = None

    # Roles that see only their own part of a shared object, and what they see
    # of it (see the module docstring).
    partial_roles: frozenset[str] = frozenset()
    partial_list_display: tuple = ()
    partial_search_fields: tuple[str, ...] = ()

    # Queryset and permissions --------------------------------------------------

    def get_queryset(self, request):
        return self.scoped_queryset(request, super().get_queryset(request))

    def has_module_permission(self, request):
        return _is_superuser(request) or bool(self.granted_roles(request, "view"))

    def has_view_permission(self, request, obj=None):
        return self.allows(request, "view", obj)

    def has_add_permission(self, request):
        return self.allows(request, "add")

    def has_change_permission(self, request, obj=None):
        return self.allows(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self.allows(request, "delete", obj)

    def can_pick_choices(self, request) -> bool:
        return self.has_add_permission(request) or self.has_change_permission(request)

    def offers_add(self, request) -> bool:
        """Whether an "Add" link leads anywhere (read with the memberships: no query)."""
        if _is_superuser(request) or self.add_needs_fact is None:
            return True
        return request_scope(request).has(self.add_needs_fact)

    def get_model_perms(self, request):
        perms = super().get_model_perms(request)
        if perms.get("add") and not self.offers_add(request):
            perms["add"] = False  # the index's and the side bar's "Add" links
        return perms

    def changelist_view(self, request, extra_context=None):
        if not self.offers_add(request):
            extra_context = {**(extra_context or {}), "has_add_permission": False}
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not _is_superuser(request):
            fields += tuple(f for f in self.superuser_fields if f not in fields)
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only field is neither filled in nor a source to fill from.
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            field: sources
            for field, sources in super().get_prepopulated_fields(request, obj).items()
            if field not in readonly and not readonly.intersection(sources)
        }

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index saying the object does not exist; an
        # object outside the scope must look exactly like that, and a plain
        # 404 says it without echoing the id back.
        raise Http404(_("There is no such %(name)s.") % {"name": opts.verbose_name})

    # Shared objects: a part for some roles --------------------------------------

    def sees_part(self, request, obj=None) -> bool:
        """Whether the user sees only their part of ``obj`` (or of the change list's rows).

        The change list, its search and its export are the same for every row,
        so they are partial as soon as one of the user's roles is; an object's
        page is whole when a role that sees it whole reaches it.
        """
        if _is_superuser(request) or not self.partial_roles:
            return False
        granted = self.granted_roles(request, "view")
        if obj is None:
            return any(role in self.partial_roles for role in granted)
        whole = [role for role in granted if role not in self.partial_roles]
        condition = self.scope_condition(request, "view", roles_only=whole) if whole else None
        if condition is None:
            return True
        # Asked several times per change page (form, fieldsets, readonly fields).
        key = (self.model._meta.label, "part", obj.pk)
        answers = request.__dict__.setdefault("_scope_answers", {})
        if key not in answers:
            answers[key] = not self.model._default_manager.filter(condition, pk=obj.pk).exists()
        return answers[key]

    def get_partial_fieldsets(self, request, obj):
        """The change page's fieldsets for a user who sees only their part of ``obj``."""
        raise NotImplementedError(f"{type(self).__name__} declares partial_roles")

    def get_list_display(self, request):
        if self.sees_part(request):
            return self.partial_list_display
        return super().get_list_display(request)

    def get_search_fields(self, request):
        if self.sees_part(request):
            return self.partial_search_fields
        return super().get_search_fields(request)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and self.sees_part(request, obj):
            return self.get_partial_fieldsets(request, obj)
        return super().get_fieldsets(request, obj)

    def lookup_allowed(self, lookup, value, request=None):
        if request is not None and self.sees_part(request):
            # Django lets any lookup on the model's own fields through the
            # query string; filtering on a field the user cannot see tells
            # them its value, so only the offered filters are allowed.
            offered = {self.date_hierarchy} if self.date_hierarchy else set()
            for item in self.get_list_filter(request):
                name = item[0] if isinstance(item, tuple | list) else item
                if isinstance(name, str):
                    offered.add(name)
            fields = {name.split(LOOKUP_SEP)[0] for name in offered}
            if lookup.split(LOOKUP_SEP)[0] not in fields:
                return False
        return super().lookup_allowed(lookup, value, request)

    # Change lists ----------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return ScopedChangeList

    def get_changeform_initial_data(self, request):
        return readable_initial(self.model, super().get_changeform_initial_data(request))

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if _is_superuser(request):
            return filters
        # Django offers every row of a related table as a filter choice; show
        # only the values present in the rows this user may see.
        scoped = []
        for item in filters:
            if isinstance(item, str):
                try:
                    field = get_fields_from_path(self.model, item)[-1]
                except (FieldDoesNotExist, LookupError):
                    field = None
                if field is not None and field.is_relation:
                    item = (item, RelatedOnlyFieldListFilter)
            scoped.append(item)
        return scoped

    # Saving ----------------------------------------------------------------------

    def save_form(self, request, form, change):
        if change:
            # Before the save, as the database has it: the change page checks
            # this too, but the change list's editable columns do not.
            self.ensure_allowed(request, "change", form.instance)
        return super().save_form(request, form, change)

    def save_related(self, request, form, formsets, change):
        hidden = self._hidden_many_to_many(request, form) if change else {}
        super().save_related(request, form, formsets, change)
        for name, objects in hidden.items():
            getattr(form.instance, name).add(*objects)
        # The object must end where the user may have it (say, a seller's
        # channels still include one of the operator's). Raising here rolls
        # back the whole save: the admin runs it in one transaction.
        self.ensure_allowed(request, "change" if change else "add", form.instance)

    def _hidden_many_to_many(self, request, form) -> dict:
        """Current many-to-many values the user's choices do not include."""
        if _is_superuser(request):
            return {}
        hidden = {}
        for field in form.instance._meta.many_to_many:
            formfield = form.fields.get(field.name)
            if not isinstance(formfield, forms.ModelMultipleChoiceField):
                continue
            current = getattr(form.instance, field.name).all()
            hidden[field.name] = list(current.exclude(pk__in=formfield.queryset.values("pk")))
        return hidden

    def save_formset(self, request, form, formset, change):
        inline = getattr(formset, "scoped_inline", None)
        if inline is not None and inline.scope and not _is_superuser(request):
            for deleted in formset.deleted_forms:
                if deleted.instance.pk is not None:
                    inline.ensure_allowed(request, "delete", deleted.instance)
            for changed in formset.initial_forms:
                if changed not in formset.deleted_forms and changed.has_changed():
                    inline.ensure_allowed(request, "change", changed.instance)
        super().save_formset(request, form, formset, change)
        if inline is not None and inline.scope and not _is_superuser(request):
            for obj in formset.new_objects:
                inline.ensure_allowed(request, "add", obj)
            for obj, _fields in formset.changed_objects:
                inline.ensure_allowed(request, "change", obj)

    # Deleting --------------------------------------------------------------------

    def get_deleted_objects(self, objs, request):
        """Django's confirmation list, naming only objects the user may see."""
        if _is_superuser(request):
            return super().get_deleted_objects(objs, request)
        return scoped_deleted_objects(objs, request, self.admin_site)


class ScopedInline(_Scoped):
    """Mix into every inline of a scoped admin: see the module docstring."""

    scope: dict | None = None

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def _parent_editable(self, request, obj) -> bool:
        parent = self._parent_admin()
        if obj is None:
            return parent.has_add_permission(request) or parent.has_change_permission(request)
        return parent.has_change_permission(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.scope:
            return self.scoped_queryset(request, queryset)
        return queryset

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.scoped_inline = self  # ScopedAdmin.save_formset checks the rows it saves
        return formset

    def _own(self, request, action) -> bool:
        return not self.scope or bool(self.granted_roles(request, action))

    def has_view_permission(self, request, obj=None):
        if _is_superuser(request):
            return True
        return self._own(request, "view") and self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if _is_superuser(request):
            return True
        return self._own(request, "add") and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        if _is_superuser(request):
            return True
        return self._own(request, "change") and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _is_superuser(request):
            return True
        return self._own(request, "delete") and self._parent_editable(request, obj)

    def can_pick_choices(self, request) -> bool:
        return self.has_add_permission(request) or self.has_change_permission(request)


def replace_registration(site, model, admin_class) -> None:
    """Register ``admin_class`` for ``model`` instead of whatever is registered."""
    if site.is_registered(model):
        site.unregister(model)
    site.register(model, admin_class)


class ReadOnly:
    """Rows the site writes (baskets, a shopper's addresses, messages): looked at, never
    written in the admin, whose forms for them break the models' own invariants. Before
    ``ScopedAdmin`` in the bases: who may look is still its scope's to say."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class Record(ReadOnly):
    """A record (the audit trail, orders taken): looked at, never written nor deleted by hand."""

    def has_delete_permission(self, request, obj=None):
        return False


class _SafeTree:
    """treebeard's tree admin (categories) without its two 500s on malformed requests: a
    POST to the change list never set the parent it reads, and the children view let a
    bad filter out as IncorrectLookupParameters instead of a 400."""

    def changelist_view(self, request, extra_context=None):
        if not hasattr(request, "_treebeard_parent_id"):
            request._treebeard_parent_id = None
        return super().changelist_view(request, extra_context)

    def children_view(self, request, parent_id):
        from django.contrib.admin.options import IncorrectLookupParameters
        from django.http import HttpResponseBadRequest

        try:
            return super().children_view(request, parent_id)
        except (IncorrectLookupParameters, ValueError):
            return HttpResponseBadRequest()


def superuser_only(site, model, *, read_only=False) -> None:
    """Keep the registered admin of ``model`` for superusers alone (to look at only, with
    ``read_only``)."""
    if not site.is_registered(model):
        return
    current = type(site._registry[model])
    if issubclass(current, ScopedAdmin):
        return
    from treebeard.admin import TreeAdmin

    bases = (ReadOnly, ScopedAdmin, current) if read_only else (ScopedAdmin, current)
    if issubclass(current, TreeAdmin):
        bases = (_SafeTree, *bases)
    scoped = type(f"SuperuserOnly{current.__name__}", bases, {"scope": {}})
    replace_registration(site, model, scoped)
