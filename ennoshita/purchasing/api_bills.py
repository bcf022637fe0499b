"""/api/v1/purchasing/bills: list, create (draft), get, submit, withdraw (経理 / admin).

Wrong input (a future bill date, no lines, an inactive account, a fraction of a yen) is a 422 problem
with the message on its field; an act the state does not allow is a 400; a bill or vendor of another
company is a 404; nothing is written on any of them.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from ennoshita.core.api import Caller, Id
from ennoshita.people import selectors as people_selectors

from .api_vendors import ERRORS, READ_ERRORS, accounting_caller, as_422
from .models import VendorBill
from .schemas import BillDetail, BillFiltersIn, BillIn, BillLineOut, BillOut, BillPage
from .selectors import bills as selectors
from .selectors import vendors as vendor_selectors
from .services import bills as services

router = Router(tags=["purchasing"])


def _detail(bill: VendorBill) -> BillDetail:
    return BillDetail(
        **BillOut.of(bill).model_dump(), lines=[BillLineOut.of(ln) for ln in selectors.lines_of(bill=bill)]
    )


def _bill(c: Caller, bill_id: int) -> VendorBill:
    return selectors.get_bill(**c.reader(), bill_id=bill_id)


@router.get("/bills", response={200: BillPage, **READ_ERRORS}, summary="仕入先請求書の一覧")
def list_bills(request: HttpRequest, filters: Query[BillFiltersIn]) -> BillPage:
    """請求日の新しい順。"""
    c = accounting_caller(request)
    qs = selectors.bill_list(
        **c.reader(),
        filters=selectors.BillFilters(
            q=filters.q,
            status=filters.status,
            vendor_id=filters.vendor_id,
            due_from=filters.due_from,
            due_to=filters.due_to,
            unpaid=filters.unpaid,
        ),
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return BillPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[BillOut.of(b) for b in rows]
    )


@router.post("/bills", response={201: BillDetail, **ERRORS}, summary="仕入先請求書(下書き)の登録")
def create_bill(request: HttpRequest, payload: BillIn) -> Status[BillDetail]:
    """支払期日を省くと仕入先の支払条件から決めます。"""
    c = accounting_caller(request)
    vendor = vendor_selectors.get_vendor(**c.reader(), vendor_id=payload.vendor_id)
    department = (
        people_selectors.get_department(company=c.company, department_id=payload.department_id)
        if payload.department_id
        else None
    )
    bill = as_422(
        lambda: services.save_bill(
            **c.writer(),
            bill=None,
            vendor=vendor,
            bill_date=payload.bill_date,
            due_date=payload.due_date,
            vendor_reference=payload.vendor_reference,
            is_qualified=payload.is_qualified,
            payable_account_code=payload.payable_account_code,
            department=department,
            memo=payload.memo,
            lines=[
                services.BillLineSpec(
                    description=ln.description,
                    account_code=ln.account_code,
                    amount=ln.amount,
                    tax_handling=ln.tax_handling,
                    department_id=ln.department_id,
                )
                for ln in payload.lines
            ],
        )
    )
    return Status(201, _detail(bill))


@router.get("/bills/{bill_id}", response={200: BillDetail, **READ_ERRORS}, summary="仕入先請求書の詳細")
def get_bill(request: HttpRequest, bill_id: Id) -> BillDetail:
    c = accounting_caller(request)
    return _detail(_bill(c, bill_id))


@router.post(
    "/bills/{bill_id}/submit", response={200: BillDetail, **ERRORS}, summary="申請(差し戻し後は再申請)"
)
def submit_bill(request: HttpRequest, bill_id: Id) -> BillDetail:
    c = accounting_caller(request)
    bill = as_422(lambda: services.submit_bill(**c.writer(), bill=_bill(c, bill_id)))
    return _detail(bill)


@router.post("/bills/{bill_id}/withdraw", response={200: BillDetail, **ERRORS}, summary="取り下げ")
def withdraw_bill(request: HttpRequest, bill_id: Id) -> BillDetail:
    c = accounting_caller(request)
    return _detail(services.withdraw_bill(**c.writer(), bill=_bill(c, bill_id)))
