"""/api/v1/sales/: customers (得意先) with their contacts, and products (品目).

Handlers parse, call ``sales.services`` / ``sales.selectors`` with the token's company, membership
and user, and return. Reading takes a role of ``permissions.READ_ROLES`` (admin, sales_admin,
accounting, finance, manager), writing one of ``WRITE_ROLES`` (admin, sales_admin, accounting);
anyone else gets a 403, and nothing is written. An id of another company is a 404 like a missing
one. A business rule that says no (a check digit, a duplicate 法人番号, a similar name without
``allow_similar_name``, deleting a customer that documents refer to) is a 400 problem with the
message on its field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.permissions import require_role

from . import selectors, services
from .models import Customer
from .permissions import WRITE_ROLES
from .schemas_customers import (
    ContactIn,
    ContactOut,
    CustomerCreate,
    CustomerDetail,
    CustomerFilters,
    CustomerOut,
    CustomerPage,
    CustomerUpdate,
    ProductCreate,
    ProductFilters,
    ProductOut,
    ProductPage,
    ProductUpdate,
    TermsOut,
)

router = Router(tags=["sales"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _writer(request: HttpRequest) -> Caller:
    """Checked before any lookup, so that a reader learns nothing from a write."""
    c = caller_of(request)
    require_role(c.membership, *WRITE_ROLES)
    return c


def _detail(c: Caller, customer: Customer) -> CustomerDetail:
    contacts = selectors.customer_contacts(company=c.company, customer=customer)
    terms = selectors.customer_terms(company=c.company, customer=customer)
    base = CustomerOut.of(customer, contacts).model_dump()
    return CustomerDetail(
        **base,
        terms=None
        if terms is None
        else TermsOut(
            label=terms.label,
            example_invoice_date=terms.invoice_date,
            example_due_date=terms.due,
            holiday_rule=terms.holiday_rule,
        ),
    )


def _customer(c: Caller, customer_id: int) -> Customer:
    return selectors.get_customer(**c.reader(), customer_id=customer_id)


# ------------------------------------------------------------------ customers
@router.get("/customers", response={200: CustomerPage, **READ_ERRORS}, summary="得意先の一覧")
def list_customers(request: HttpRequest, filters: Query[CustomerFilters]) -> CustomerPage:
    """得意先コード順(`sort` で変更)。`count` は条件に合う件数の合計です。"""
    c = caller_of(request)
    total, rows = selectors.customer_page(
        **c.reader(),
        q=filters.q,
        status=filters.status,
        registration=filters.registration or "",
        sort=filters.sort,
        limit=filters.limit,
        offset=filters.offset,
    )
    return CustomerPage(
        count=total,
        limit=filters.limit,
        offset=filters.offset,
        items=[CustomerOut.of(r, list(r.contacts.all())) for r in rows],
    )


@router.get("/customers/{customer_id}", response={200: CustomerDetail, **READ_ERRORS}, summary="得意先の詳細")
def get_customer(request: HttpRequest, customer_id: Id) -> CustomerDetail:
    """担当者と、支払条件(今日請求したときの支払期日の例つき)を含みます。"""
    c = caller_of(request)
    return _detail(c, _customer(c, customer_id))


@router.post("/customers", response={201: CustomerDetail, **ERRORS}, summary="得意先の登録")
def create_customer(request: HttpRequest, payload: CustomerCreate) -> Status[CustomerDetail]:
    """同じ法人番号の得意先があれば 400(`corporate_number`)。同じ名称の得意先があれば
    `allow_similar_name: true` がない限り 400(`code: similar_name`、`name`)。"""
    c = _writer(request)
    customer = services.create_customer(**c.writer(), **payload.model_dump())
    return Status(201, _detail(c, customer))


@router.patch("/customers/{customer_id}", response={200: CustomerDetail, **ERRORS}, summary="得意先の変更")
def update_customer(request: HttpRequest, customer_id: Id, payload: CustomerUpdate) -> CustomerDetail:
    """送った項目だけを変更します。取引停止は POST /customers/{id}/deactivate で行います。"""
    c = _writer(request)
    customer = _customer(c, customer_id)
    changes = payload.model_dump(exclude_unset=True)
    customer = services.update_customer(**c.writer(), customer=customer, **changes)
    return _detail(c, customer)


@router.post(
    "/customers/{customer_id}/deactivate",
    response={200: CustomerDetail, **ERRORS},
    summary="得意先の取引停止",
)
def deactivate_customer(request: HttpRequest, customer_id: Id) -> CustomerDetail:
    """得意先と記録は残り、新しい見積・受注・請求の候補に出なくなります。"""
    c = _writer(request)
    customer = services.deactivate_customer(**c.writer(), customer=_customer(c, customer_id))
    return _detail(c, customer)


@router.post(
    "/customers/{customer_id}/reactivate",
    response={200: CustomerDetail, **ERRORS},
    summary="得意先の取引再開",
)
def reactivate_customer(request: HttpRequest, customer_id: Id) -> CustomerDetail:
    c = _writer(request)
    customer = services.reactivate_customer(**c.writer(), customer=_customer(c, customer_id))
    return _detail(c, customer)


@router.delete("/customers/{customer_id}", response={204: None, **ERRORS}, summary="得意先の削除")
def delete_customer(request: HttpRequest, customer_id: Id) -> Status[None]:
    """見積書・受注・請求書・入金・商談のどれもない得意先だけを削除できます(誤登録の取消)。
    あれば 400(`code: in_use`)で、取引停止を使います。"""
    c = _writer(request)
    services.delete_customer(**c.writer(), customer=_customer(c, customer_id))
    return Status(204, None)


# ------------------------------------------------------------------ contacts
@router.get(
    "/customers/{customer_id}/contacts",
    response={200: list[ContactOut], **READ_ERRORS},
    summary="担当者の一覧",
)
def list_contacts(request: HttpRequest, customer_id: Id) -> list[ContactOut]:
    c = caller_of(request)
    customer = _customer(c, customer_id)
    return [ContactOut.of(p) for p in selectors.customer_contacts(company=c.company, customer=customer)]


@router.post(
    "/customers/{customer_id}/contacts", response={201: ContactOut, **ERRORS}, summary="担当者の追加"
)
def add_contact(request: HttpRequest, customer_id: Id, payload: ContactIn) -> Status[ContactOut]:
    c = _writer(request)
    contact = services.add_contact(**c.writer(), customer=_customer(c, customer_id), **payload.model_dump())
    return Status(201, ContactOut.of(contact))


@router.delete(
    "/customers/{customer_id}/contacts/{contact_id}", response={204: None, **ERRORS}, summary="担当者の削除"
)
def remove_contact(request: HttpRequest, customer_id: Id, contact_id: Id) -> Status[None]:
    c = _writer(request)
    customer = _customer(c, customer_id)
    contact = selectors.get_contact(company=c.company, customer=customer, contact_id=contact_id)
    services.remove_contact(**c.writer(), contact=contact)
    return Status(204, None)


# ------------------------------------------------------------------ products
@router.get("/products", response={200: ProductPage, **READ_ERRORS}, summary="品目の一覧")
def list_products(request: HttpRequest, filters: Query[ProductFilters]) -> ProductPage:
    c = caller_of(request)
    total, rows = selectors.product_page(
        **c.reader(),
        q=filters.q,
        status=filters.status,
        tax=filters.tax or "",
        sort=filters.sort,
        limit=filters.limit,
        offset=filters.offset,
    )
    return ProductPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[ProductOut.of(p) for p in rows]
    )


@router.get("/products/{product_id}", response={200: ProductOut, **READ_ERRORS}, summary="品目の詳細")
def get_product(request: HttpRequest, product_id: Id) -> ProductOut:
    c = caller_of(request)
    return ProductOut.of(selectors.get_product(**c.reader(), product_id=product_id))


@router.post("/products", response={201: ProductOut, **ERRORS}, summary="品目の登録")
def create_product(request: HttpRequest, payload: ProductCreate) -> Status[ProductOut]:
    """単価は JSON の数値か文字列("1234.5")。小数点以下5桁以上や負の値は 400(`unit_price`)。"""
    c = _writer(request)
    return Status(201, ProductOut.of(services.create_product(**c.writer(), **payload.model_dump())))


@router.patch("/products/{product_id}", response={200: ProductOut, **ERRORS}, summary="品目の変更")
def update_product(request: HttpRequest, product_id: Id, payload: ProductUpdate) -> ProductOut:
    """送った項目だけを変更します。作成済みの見積書・請求書の明細は変わりません。"""
    c = _writer(request)
    product = selectors.get_product(**c.reader(), product_id=product_id)
    changes = payload.model_dump(exclude_unset=True)
    return ProductOut.of(services.update_product(**c.writer(), product=product, **changes))


@router.post(
    "/products/{product_id}/deactivate", response={200: ProductOut, **ERRORS}, summary="品目の使用停止"
)
def deactivate_product(request: HttpRequest, product_id: Id) -> ProductOut:
    c = _writer(request)
    product = selectors.get_product(**c.reader(), product_id=product_id)
    return ProductOut.of(services.deactivate_product(**c.writer(), product=product))


@router.post(
    "/products/{product_id}/reactivate", response={200: ProductOut, **ERRORS}, summary="品目の使用再開"
)
def reactivate_product(request: HttpRequest, product_id: Id) -> ProductOut:
    c = _writer(request)
    product = selectors.get_product(**c.reader(), product_id=product_id)
    return ProductOut.of(services.reactivate_product(**c.writer(), product=product))
