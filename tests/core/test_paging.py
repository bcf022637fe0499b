"""core.paging: keys-first pages are exactly Django's pages."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from ennoshita.core.models import Company, NumberSequence
from ennoshita.core.paging import KeysFirstPaginator, rows_by_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def sequences(company):
    other = Company.objects.create(name="他社")
    # prefixes repeat so that the order needs its tie-breaker (-pk)
    for n in range(23):
        NumberSequence.objects.create(company=company, doc_type=f"k{n:02d}", fiscal_year=2020 + n % 4)
    NumberSequence.objects.create(company=other, doc_type="k99", fiscal_year=2021)
    return (
        NumberSequence.objects.filter(company=company)
        .select_related("company")
        .order_by("fiscal_year", "-pk")
    )


@pytest.mark.parametrize(("start", "stop"), [(0, 5), (5, 10), (20, 25), (22, 23), (23, 30), (3, 3), (7, 2)])
def test_rows_by_keys_is_the_slice(sequences, start, stop):
    assert rows_by_keys(sequences, start, stop) == list(sequences[start:stop])


def test_rows_keep_their_joins_and_filters(sequences, company, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = rows_by_keys(sequences, 0, 50)
        assert {r.company.pk for r in rows} == {company.pk}  # joined, no query per row
    assert len(rows) == 23


@pytest.mark.parametrize("orphans", [0, 3])
def test_every_page_is_djangos_page(sequences, orphans):
    ours, django = KeysFirstPaginator(sequences, 5, orphans=orphans), Paginator(sequences, 5, orphans=orphans)
    assert ours.num_pages == django.num_pages and ours.count == django.count == 23
    for number in ours.page_range:
        mine, theirs = ours.page(number), django.page(number)
        assert list(mine.object_list) == list(theirs.object_list)
        assert (mine.start_index(), mine.end_index(), mine.has_next()) == (
            theirs.start_index(),
            theirs.end_index(),
            theirs.has_next(),
        )
    assert ours.get_page("999").number == django.get_page("999").number
