"""Inserting rows on the hottest write paths (a posting, its audit event) without the ORM's per-call
cost of building the statement.

``insert_rows`` writes new model instances with one multi-row ``INSERT … RETURNING id`` whose text
is built once per model, row count and database, and prepares each value with the field's own
``get_db_prep_save`` (what the ORM does). Measured on the ledger's posting path (bench/ledger.py):
the ORM's ``create``/``bulk_create`` spent most of a posting's time composing SQL — about 70
``prepare_value`` and 70 ``quote_name`` calls per entry. No ``save()`` override or signal runs:
use it only for models that have none that matter (the callers say so).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeVar

from django.db import models, transaction

_MISSING = object()  # an attribute not loaded (deferred): the field's own pre_save reads it


@lru_cache(maxsize=256)
def _insertable(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The columns an INSERT gives: not the primary key, not a column the database computes
    (``GeneratedField``)."""
    return tuple(
        f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)
    )


@lru_cache(maxsize=256)
def _insert_sql(model: type[models.Model], rows: int, vendor: str) -> tuple[str, tuple[models.Field, ...]]:
    connection = transaction.get_connection()
    qn = connection.ops.quote_name
    fields = _insertable(model)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # names come from the model's metadata, quoted; every value is a parameter
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([one] * rows)} RETURNING {qn(model._meta.pk.column)}"
    )
    return sql, fields


class StatementCursor:
    """The database's own cursor for a hot path's raw statements (``%s`` placeholders), without
    the ORM's wrapper around every statement. Measured on a posting (11 statements): the wrapper
    — the placeholder rewrite for SQLite, the error translation, the thread and settings checks —
    was about an eighth of its time. Errors still arrive as Django's (``IntegrityError`` …)."""

    def __init__(self, connection: Any, raw: Any) -> None:
        self._connection = connection
        self.db = connection  # the name Django's cursor wrapper gives it
        self._raw = raw
        self._qmark = connection.vendor == "sqlite"

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        with self._connection.wrap_database_errors:
            self._raw.execute(_qmark(sql) if self._qmark else sql, params)

    def fetchone(self) -> Any:
        with self._connection.wrap_database_errors:
            return self._raw.fetchone()

    def fetchall(self) -> list[Any]:
        with self._connection.wrap_database_errors:
            return self._raw.fetchall()


_FORMAT = re.compile(r"(?<!%)%s")


@lru_cache(maxsize=512)
def _qmark(sql: str) -> str:
    # what Django's SQLite cursor does to every statement, once per statement text
    return _FORMAT.sub("?", sql).replace("%%", "%")


@contextmanager
def statement_cursor() -> Iterator[Any]:
    """A cursor for raw statements on a hot path. Where statements are being logged or counted
    (``DEBUG``, the test suite's query assertions, ``CaptureQueriesContext``) it is the ordinary
    cursor, so every statement is still seen there."""
    connection = transaction.get_connection()
    if connection.queries_logged:
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection.cursor() if connection.vendor == "sqlite" else connection.create_cursor()
    try:
        yield StatementCursor(connection, raw)
    finally:
        raw.close()


def insert_rows(objs: Sequence[models.Model], *, cursor: Any = None) -> None:
    """Insert new instances of one model (one statement per chunk that fits the database's
    parameter limit); each gets its primary key, in order."""
    if not objs:
        return
    if cursor is None:
        with statement_cursor() as own:
            return insert_rows(objs, cursor=own)
    model = type(objs[0])
    connection = cursor.db
    per_row = max(1, len(_insertable(model)))
    chunk = max(1, (connection.features.max_query_params or 65_535) // per_row)
    for start in range(0, len(objs), chunk):
        _insert_chunk(connection, cursor, model, objs[start : start + chunk])


# Field classes whose database value is the Python value itself when that value is already of the
# plain type named here (the field's own preparation would only call str(), int(), bool() or
# Decimal() on it, and the backends pass a Decimal on unchanged): most of a row's values take this
# way instead of the field's preparation chain. A date goes through the backend's date adapter,
# as the field would send it.
_TEXT = (models.CharField, models.TextField)
_WHOLE = (models.IntegerField, models.AutoField, models.BigAutoField, models.ForeignKey)


def _plain_type(field: models.Field) -> type | None:
    """The Python type that ``field`` stores as it is, or None when every value needs the field's
    ``get_db_prep_save`` (datetimes, JSON, …) or its ``pre_save`` does more than read the
    attribute (``auto_now``, files). Only Django's own field classes: a project's subclass may
    prepare its values differently."""
    if not type(field).__module__.startswith("django.db.models."):
        return None
    if type(field) is models.DateField and not (field.auto_now or field.auto_now_add):
        return date
    if type(field).pre_save is not models.Field.pre_save:
        return None
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        return int if isinstance(target, _WHOLE) and not isinstance(target, models.ForeignKey) else None
    if isinstance(field, _TEXT) and not isinstance(field, models.JSONField):
        return str
    if isinstance(field, _WHOLE):
        return int
    if isinstance(field, models.BooleanField):
        return bool
    if type(field) is models.DecimalField:
        return Decimal
    return None


def _finite(value: Any) -> bool:
    return bool(value.is_finite())


@lru_cache(maxsize=256)
def _preparers(model: type[models.Model], vendor: str) -> tuple[tuple[models.Field, str, type | None], ...]:
    return tuple((f, f.attname, _plain_type(f)) for f in _insertable(model))


def _insert_chunk(
    connection: Any, cursor: Any, model: type[models.Model], objs: Sequence[models.Model]
) -> None:
    sql, _fields = _insert_sql(model, len(objs), connection.vendor)
    params: list[Any] = []
    append = params.append
    adapt_date = connection.ops.adapt_datefield_value
    for obj in objs:
        values = obj.__dict__
        for field, attname, plain in _preparers(model, connection.vendor):
            value = values.get(attname, _MISSING)
            # None is NULL for every field with a plain type; a value of exactly that type goes as
            # it is (a date through the backend's adapter; NaN and infinity to the field, which
            # refuses them)
            if plain is not None and value is None:
                append(None)
            elif plain is not None and type(value) is plain and (plain is not Decimal or _finite(value)):
                append(adapt_date(value) if plain is date else value)
            else:
                append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    cursor.execute(sql, params)
    ids = [row[0] for row in cursor.fetchall()]
    # SQLite and PostgreSQL return the rows of a multi-row VALUES insert in the order given (the
    # ORM's bulk_create relies on the same).
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


# ------------------------------------------------------------------------------ new instances
_M = TypeVar("_M", bound=models.Model)


@lru_cache(maxsize=256)
def _row_spec(
    model: type[models.Model],
) -> tuple[dict[str, tuple[int, models.Field]], tuple[Any, ...], tuple[int, ...]]:
    """Where each field's value goes among ``model(*args)``'s positional arguments (by field name
    and by attname), the defaults, and which defaults are callables to call per instance."""
    fields = model._meta.concrete_fields
    where: dict[str, tuple[int, models.Field]] = {}
    for i, f in enumerate(fields):
        where[f.name] = (i, f)
        where[f.attname] = (i, f)
    defaults = tuple(
        f.default if f.has_default() and callable(f.default) else f.get_default() for f in fields
    )
    called = tuple(i for i, f in enumerate(fields) if f.has_default() and callable(f.default))
    return where, defaults, called


def new_instance(model: type[_M], /, **values: Any) -> _M:
    """A new, unsaved ``model(**values)`` for a hot path, built the way the ORM builds a row it
    reads (positional arguments, one per column), which costs about a third of keyword arguments
    (13 → 4 µs for a journal line, measured): a posting builds several per entry. A related object
    given by field name is kept on the instance as the field's descriptor keeps it, so reading it
    back costs no query. Unlike ``model(**values)`` it does not check a related object's model:
    callers pass objects they have just loaded or checked."""
    where, defaults, called = _row_spec(model)
    args = list(defaults)
    for i in called:
        args[i] = args[i]()
    related: list[tuple[models.ForeignKey, Any]] = []
    for name, value in values.items():
        try:
            i, field = where[name]
        except KeyError:
            raise TypeError(f"{model.__name__} has no field {name!r}") from None
        if isinstance(field, models.ForeignKey) and name == field.name:
            args[i] = None if value is None else getattr(value, field.target_field.attname)
            related.append((field, value))
        else:
            args[i] = value
    obj = model(*args)
    for field, value in related:
        field.set_cached_value(obj, value)
        if value is not None and not field.remote_field.multiple:  # one-to-one: the way back too
            field.remote_field.set_cached_value(value, obj)
    return obj
