"""Pages of long lists that read the page's keys first, then its rows.

A deep page of a long, joined list (page 500 of the invoices holding 「保守」) made the database
sort every match with the columns of every joined table to find 50 rows. Reading the page's keys
first sorts only (sort key, id) pairs; the 50 rows and their joins are then read by key
(docs/performance.md, the sales list at 200,000 invoices).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def rows_by_keys(qs: QuerySet[Any], start: int, stop: int) -> list[Any]:
    """``list(qs[start:stop])`` in two reads: the keys of that slice in the list's order, then the
    rows of those keys with everything ``qs`` joins. The rows still pass every filter of ``qs``
    (a row changed between the two reads so that it no longer matches is left out, never another
    company's row)."""
    if stop <= start:
        return []
    keys = list(qs.values_list("pk", flat=True)[start:stop])
    if not keys:
        return []
    found = {row.pk: row for row in qs.filter(pk__in=keys).order_by()}
    return [found[key] for key in keys if key in found]


class KeysFirstPaginator(Paginator):
    """Django's Paginator (same numbers, counts and orphans) whose pages are read with
    :func:`rows_by_keys`. For querysets only."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        qs = cast(QuerySet[Any], self.object_list)
        return Page(rows_by_keys(qs, bottom, top), number, self)
