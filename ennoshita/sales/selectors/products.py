"""Reads of 品目: the searchable list (screen, export, API page), one product, its 変更履歴.

Every read is scoped by ``Product.objects.for_company(company)`` and needs a role of
``permissions.READ_ROLES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import jaconv
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ennoshita.core import selectors as core_selectors
from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, to_katakana
from ennoshita.sales.models import Product, SalesTax
from ennoshita.sales.permissions import READ_ROLES
from ennoshita.sales.services.products import format_unit_price

PRODUCT_STATUSES = ("active", "inactive", "all")
PRODUCT_SORTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "-code": ("-code",),
    "name": ("name", "code"),
    "-name": ("-name", "-code"),
    "price": ("unit_price", "code"),
    "-price": ("-unit_price", "-code"),
}


def _products(company: Company, membership: Membership) -> QuerySet[Product]:
    require_role(membership, *READ_ROLES)
    return Product.objects.for_company(company)


def text_variants(word: str) -> set[str]:
    """The ways a word may be stored in a name typed by hand: half- and full-width letters and
    digits, katakana, hiragana and half-width kana (names are kept as typed, without a key)."""
    folded = nfkc(word)
    kana = to_katakana(folded)
    return {
        folded,
        # full-width letters: SQLite's LIKE folds the case of ASCII letters only
        jaconv.h2z(folded.upper(), kana=False, ascii=True, digit=True),
        jaconv.h2z(folded.lower(), kana=False, ascii=True, digit=True),
        kana,
        jaconv.kata2hira(kana),
        jaconv.z2h(kana, kana=True, ascii=False, digit=False),
    } - {""}


def product_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    status: str = "active",
    tax: str = "",
    sort: str = "code",
) -> QuerySet[Product]:
    """The company's products, filtered: ``q`` (every word must match the code or the name,
    full-width and half-width alike; kana typed in hiragana finds katakana), ``status`` active /
    inactive / all, ``tax`` one of ``SalesTax`` (blank: any)."""
    qs = _products(company, membership)
    for word in nfkc(q).split():
        condition = Q(code__icontains=word)
        for variant in text_variants(word):
            condition |= Q(name__icontains=variant)
        qs = qs.filter(condition)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    if tax in SalesTax.values:
        qs = qs.filter(tax=tax)
    return qs.order_by(*PRODUCT_SORTS.get(sort, ("code",)))


def product_page(*, limit: int, offset: int, **filters: Any) -> tuple[int, list[Product]]:
    qs = product_list(**filters)
    return qs.count(), list(qs[offset : offset + limit])


def get_product(*, company: Company, membership: Membership, product_id: int) -> Product:
    product = _products(company, membership).filter(pk=product_id).first()
    if product is None:
        raise NotFound()
    return product


def product_history(*, company: Company, product: Product) -> QuerySet[AuditEvent]:
    return core_selectors.audit_events_for_object(
        company=company, object_type="sales.product", object_id=str(product.pk)
    )


def tax_label(tax: str) -> str:
    """税区分 as shown: 課税 8%(軽減) carries ※軽減, the mark the invoice prints."""
    label = str(dict(SalesTax.choices).get(tax, tax))
    return f"{label} {_('※軽減')}" if tax == SalesTax.S8R else label


EXPORT_HEADER = (
    _l("品目コード"),
    _l("品名"),
    _l("単位"),
    _l("単価"),
    _l("税区分"),
    _l("軽減税率"),
    _l("使用中"),
)


def product_export_rows(products: Iterable[Product]) -> Iterator[list[Any]]:
    """Header, then one row per product; the unit price as written on screen (1,234.5) would be
    text in Excel, so it goes out as a number without trailing zeros."""
    yes, no = _("はい"), _("いいえ")
    yield [str(label) for label in EXPORT_HEADER]
    for p in products:
        yield [
            p.code,
            p.name,
            p.unit,
            p.unit_price.normalize() if p.unit_price else p.unit_price,
            str(dict(SalesTax.choices).get(p.tax, p.tax)),
            "※" if p.tax == SalesTax.S8R else "",
            yes if p.is_active else no,
        ]


def price_display(product: Product) -> str:
    return format_unit_price(product.unit_price)
