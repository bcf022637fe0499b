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

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db import models, transaction


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


def insert_rows(objs: Sequence[models.Model]) -> None:
    """Insert new instances of one model (one statement per chunk that fits the database's
    parameter limit); each gets its primary key, in order."""
    if not objs:
        return
    model = type(objs[0])
    connection = transaction.get_connection()
    per_row = max(1, len(_insertable(model)))
    chunk = max(1, (connection.features.max_query_params or 65_535) // per_row)
    for start in range(0, len(objs), chunk):
        _insert_chunk(connection, model, objs[start : start + chunk])


def _insert_chunk(connection: Any, model: type[models.Model], objs: Sequence[models.Model]) -> None:
    sql, fields = _insert_sql(model, len(objs), connection.vendor)
    params: list[Any] = []
    for obj in objs:
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    # SQLite and PostgreSQL return the rows of a multi-row VALUES insert in the order given (the
    # ORM's bulk_create relies on the same).
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
