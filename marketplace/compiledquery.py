"""
A queryset built and compiled to SQL once per process, run many times with other values.

Building a queryset (filters, joins, ``select_related``) and compiling it to SQL costs the
ORM more than PostgreSQL takes to run a lookup by key: on the checkout and the flash
sale's accepting POST, about a millisecond a query, on every request. A ``Compiled`` is
made from a queryset whose varying values are *sentinels* (values no row has); each run
puts the real values in their places in the same SQL and turns the rows into instances as
Django's ``ModelIterable`` does (select_related populators, annotations, converters).

Only for querysets whose SQL does not depend on the values (no ``__in`` of a varying
length, no ``None`` that would become ``IS NULL``): each sentinel must appear exactly once
among the parameters, which ``Compiled`` checks when it is made.
"""

import threading
import uuid

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators

# Values no row has, one per type of parameter: a basket, user or channel id, a token.
INT_SENTINELS = (-2_000_000_001, -2_000_000_002, -2_000_000_003)
UUID_SENTINEL = uuid.UUID("00000000-0000-4000-8000-00000000dead")


class Compiled:
    """``queryset``'s SQL and row-to-instance plan, made once; ``run(*values)`` in ``sentinels``' order."""

    def __init__(self, queryset, *sentinels):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = []
        for sentinel in sentinels:
            slots = [i for i, value in enumerate(self.params) if _same(value, sentinel)]
            if len(slots) != 1:
                raise ValueError(f"the compiled query must take the sentinel {sentinel!r} exactly once")
            self.slots.append(slots[0])
        self.db = queryset.db
        self.select, self.klass_info = compiler.select, compiler.klass_info
        self.annotation_col_map = compiler.annotation_col_map
        self.model = self.klass_info["model"]
        fields = self.klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in self.select[self.start:self.end]]
        self.converters = list(compiler.get_converters([s[0] for s in self.select[: compiler.col_count]]).items())

    def run(self, *values) -> list:
        params = list(self.params)
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = _as_param(value, self.params[slot])
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        populators = get_related_populators(self.klass_info, self.select, self.db)
        objects = []
        for row in rows:
            row = list(row)
            for pos, (converters, expression) in self.converters:
                for converter in converters:
                    row[pos] = converter(row[pos], expression, connection)
            obj = self.model.from_db(self.db, self.init_list, row[self.start:self.end])
            for populator in populators:
                populator.populate(row, obj)
            for name, pos in self.annotation_col_map.items():
                setattr(obj, name, row[pos])
            objects.append(obj)
        return objects


def _same(value, sentinel) -> bool:
    # A UUID is passed as its hex (SQLite) or as the UUID (PostgreSQL).
    if isinstance(sentinel, uuid.UUID):
        return value == sentinel or value == sentinel.hex
    return type(value) is type(sentinel) and value == sentinel


def _as_param(value, sentinel_param):
    if isinstance(value, uuid.UUID) and isinstance(sentinel_param, str):
        return value.hex
    return value


class CompiledCache:
    """What ``make()`` makes (a ``Compiled``, an INSERT's SQL), once per process, database vendor
    (the SQL is the vendor's) and ``key`` (a set of languages...)."""

    def __init__(self):
        self._made: dict = {}
        self._lock = threading.Lock()

    def get(self, make, key=(), using=DEFAULT_DB_ALIAS):
        key = (connections[using].vendor, key)
        compiled = self._made.get(key)
        if compiled is None:
            compiled = make()
            with self._lock:
                self._made[key] = compiled
        return compiled


_INSERTS = CompiledCache()


def insert(obj) -> None:
    """``obj``'s row written with one INSERT whose SQL is made once per model (no save signals).

    For a row written on a hot path by code that owns its model (no signal receivers, an
    auto-increment key, every field's value set on the instance): ``Model.save`` rebuilt the
    same INSERT each time. Sets ``obj.pk``.
    """
    model = type(obj)
    meta = model._meta
    connection = connections[obj._state.db or "default"]
    fields = [field for field in meta.concrete_fields if not field.primary_key]

    def make():
        quote = connection.ops.quote_name
        return (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
                f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}")

    sql = _INSERTS.get(make, meta.label, using=connection.alias)
    params = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding, obj._state.db = False, connection.alias
