"""The name keys the top payees group on: kept on save, filled for rows written before them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from ennoshita.expenses.models import ExpenseLine
from ennoshita.purchasing.models import Vendor

pytestmark = pytest.mark.django_db


def test_keys_are_kept_on_save(org):
    assert set(ExpenseLine.objects.filter(company=org.company).values_list("payee", "payee_key")) >= {
        ("ABCモバイル", "abcモバイル"),
        ("タクシー会社", "タクシー会社"),
    }
    assert Vendor.objects.get(company=org.company, code="V001").name_key == "abcモバイル"


@pytest.mark.parametrize(
    ("migration", "model", "field"),
    [
        ("ennoshita.expenses.migrations.0002_payee_key", ExpenseLine, "payee_key"),
        ("ennoshita.purchasing.migrations.0002_vendor_name_key", Vendor, "name_key"),
    ],
)
def test_the_migration_fills_the_keys_of_rows_written_before_it(org, migration, model, field):
    before = dict(model.objects.values_list("pk", field))
    assert before and all(before.values())
    model.objects.update(**{field: ""})  # as the rows were before the column
    importlib.import_module(migration).fill_keys(apps, None)
    assert dict(model.objects.values_list("pk", field)) == before
