"""/api/v1/purchasing/vendors: list, create, get, update (経理 / admin).

Input the rules refuse (a bad 登録番号, an unknown bank code, half a bank account) is a 422 problem
with the message on its field; another company's vendor is a 404; nothing is written on either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id, Problem, caller_of
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from .permissions import manages_payables
from .schemas import VendorFilters, VendorIn, VendorOut, VendorPage
from .selectors import vendors as selectors
from .services import vendors as services

router = Router(tags=["purchasing"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def accounting_caller(request: HttpRequest) -> Caller:
    c = caller_of(request)
    if not manages_payables(c.membership):
        raise PermissionDeniedError()
    return c


def as_422(call: Callable[[], T]) -> T:
    """Input errors of the services answer 422 like the schema's own, with the same field names."""
    try:
        return call()
    except ServiceError as exc:
        if exc.code in ("validation", "bad_file"):
            exc.status = 422
        raise


def _input(payload: VendorIn) -> services.VendorInput:
    return services.VendorInput(**payload.model_dump())


@router.get("/vendors", response={200: VendorPage, **READ_ERRORS}, summary="仕入先の一覧")
def list_vendors(request: HttpRequest, filters: Query[VendorFilters]) -> VendorPage:
    c = accounting_caller(request)
    qs = selectors.vendor_list(**c.reader(), q=filters.q, active=filters.active)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return VendorPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[VendorOut.of(v) for v in rows]
    )


@router.post("/vendors", response={201: VendorOut, **ERRORS}, summary="仕入先の登録")
def create_vendor(request: HttpRequest, payload: VendorIn) -> Status[VendorOut]:
    c = accounting_caller(request)
    vendor = as_422(lambda: services.create_vendor(**c.writer(), data=_input(payload)))
    return Status(201, VendorOut.of(vendor))


@router.get("/vendors/{vendor_id}", response={200: VendorOut, **READ_ERRORS}, summary="仕入先の詳細")
def get_vendor(request: HttpRequest, vendor_id: Id) -> VendorOut:
    c = accounting_caller(request)
    return VendorOut.of(selectors.get_vendor(**c.reader(), vendor_id=vendor_id))


@router.put("/vendors/{vendor_id}", response={200: VendorOut, **ERRORS}, summary="仕入先の変更")
def update_vendor(request: HttpRequest, vendor_id: Id, payload: VendorIn) -> VendorOut:
    """すべての項目を置き換えます(取引中・取引停止は変わりません)。"""
    c = accounting_caller(request)
    vendor = selectors.get_vendor(**c.reader(), vendor_id=vendor_id)
    vendor = as_422(lambda: services.update_vendor(**c.writer(), vendor=vendor, data=_input(payload)))
    return VendorOut.of(vendor)
