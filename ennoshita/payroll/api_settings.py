"""/api/v1/payroll/ — settings (人事・経理・管理者 only; anyone else gets 403): 給与の設定, 支給グループ,
支給・控除項目, and each employee's 基本設定, 固定項目, 標準報酬月額 and 住民税, with the 住民税 import.
Input the rules refuse is a 422 with the message on its field; nothing is written on any refusal.
Another company's ids answer 404."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile
from pydantic import Field

from ennoshita.core.api import Caller, Id, PageParams, Problem, Str100, caller_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.permissions import require_role

from .permissions import SETTINGS_ROLES
from .schemas_settings import (
    EmployeeItemIn,
    EmployeeItemOut,
    EmployeePayPage,
    EmployeePayRow,
    GradeIn,
    GradeOut,
    ImportOut,
    PayGroupIn,
    PayGroupOut,
    PayItemIn,
    PayItemOut,
    ProfileIn,
    ProfileOut,
    ResidentTaxNoticeIn,
    ResidentTaxNoticeOut,
    SettingsIn,
    SettingsOut,
)
from .selectors import settings as selectors
from .services import employee_pay as pay_services
from .services import resident_tax_import as tax_services
from .services import settings as services

router = Router(tags=["payroll"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
T = TypeVar("T")


def _caller(request: HttpRequest) -> Caller:
    c = caller_of(request)
    require_role(c.membership, *SETTINGS_ROLES)
    return c


def _call(fn: Callable[[], T]) -> T:
    """A refusal of the rules as 422 (409 when the object is in use)."""
    try:
        return fn()
    except ServiceError as exc:
        if exc.code in ("validation", "bad_file"):
            exc.status = 422
        elif exc.code == "in_use":
            exc.status = 409
        raise


# ============================================================================ 給与の設定
@router.get("/settings", response={200: SettingsOut, **READ_ERRORS}, summary="給与の設定")
def get_payroll_settings(request: HttpRequest) -> SettingsOut:
    c = _caller(request)
    return SettingsOut.of(
        selectors.payroll_settings_of(company=c.company), selectors.union_rate_versions(company=c.company)
    )


@router.put("/settings", response={200: SettingsOut, **ERRORS}, summary="給与の設定を保存")
def put_payroll_settings(request: HttpRequest, payload: SettingsIn) -> SettingsOut:
    """全銀ヘッダーの項目(銀行・支店コードの実在、7桁の口座番号、カナの依頼人名)、47都道府県、
    年間所定労働時間(0超 2,085.7以下、労基法32条)、健康保険組合なら名称と料率(1000分の、
    0 < 被保険者負担 ≤ 合計 ≤ 200、一般・介護とも)を確かめて保存します。"""
    c = _caller(request)
    row = _call(
        lambda: services.update_payroll_settings(**c.writer(), data=services.SettingsInput(**payload.dict()))
    )
    return SettingsOut.of(row, selectors.union_rate_versions(company=c.company))


# ============================================================================ 支給グループ
@router.get("/groups", response={200: list[PayGroupOut], **READ_ERRORS}, summary="支給グループ")
def list_groups(request: HttpRequest) -> list[PayGroupOut]:
    c = _caller(request)
    return [PayGroupOut.of(g) for g in selectors.pay_groups(company=c.company)]


@router.post("/groups", response={201: PayGroupOut, **ERRORS}, summary="支給グループを追加")
def create_group(request: HttpRequest, payload: PayGroupIn) -> Status[PayGroupOut]:
    c = _caller(request)
    group = _call(
        lambda: services.create_pay_group(**c.writer(), data=services.PayGroupInput(**payload.dict()))
    )
    return Status(201, PayGroupOut.of(group, 0))


@router.get("/groups/{group_id}", response={200: PayGroupOut, **READ_ERRORS}, summary="支給グループ")
def get_group(request: HttpRequest, group_id: Id) -> PayGroupOut:
    c = _caller(request)
    group = selectors.get_pay_group(company=c.company, pay_group_id=group_id)
    return PayGroupOut.of(group, selectors.group_member_count(company=c.company, pay_group=group))


@router.put("/groups/{group_id}", response={200: PayGroupOut, **ERRORS}, summary="支給グループを保存")
def put_group(request: HttpRequest, group_id: Id, payload: PayGroupIn) -> PayGroupOut:
    """所属している人がいるグループは無効にできません(422)。"""
    c = _caller(request)
    group = selectors.get_pay_group(company=c.company, pay_group_id=group_id)
    group = _call(
        lambda: services.update_pay_group(
            **c.writer(), pay_group_id=group.pk, data=services.PayGroupInput(**payload.dict())
        )
    )
    return PayGroupOut.of(group, selectors.group_member_count(company=c.company, pay_group=group))


# ============================================================================ 支給・控除項目
@router.get("/items", response={200: list[PayItemOut], **READ_ERRORS}, summary="支給・控除項目")
def list_items(request: HttpRequest) -> list[PayItemOut]:
    """初めて使うときに既定の項目(役職手当・家族手当・住宅手当…)が作られます。"""
    c = _caller(request)
    return [PayItemOut.of(i) for i in services.ensure_default_items(c.company)]


@router.post("/items", response={201: PayItemOut, **ERRORS}, summary="支給・控除項目を追加")
def create_item(request: HttpRequest, payload: PayItemIn) -> Status[PayItemOut]:
    c = _caller(request)
    item = _call(lambda: services.create_pay_item(**c.writer(), data=services.PayItemInput(**payload.dict())))
    return Status(201, PayItemOut.of(item))


@router.get("/items/{item_id}", response={200: PayItemOut, **READ_ERRORS}, summary="支給・控除項目")
def get_item(request: HttpRequest, item_id: Id) -> PayItemOut:
    c = _caller(request)
    return PayItemOut.of(selectors.get_pay_item(company=c.company, pay_item_id=item_id))


@router.put("/items/{item_id}", response={200: PayItemOut, **ERRORS}, summary="支給・控除項目を保存")
def put_item(request: HttpRequest, item_id: Id, payload: PayItemIn) -> PayItemOut:
    c = _caller(request)
    item = selectors.get_pay_item(company=c.company, pay_item_id=item_id)
    data = services.PayItemInput(**{**payload.dict(), "code": payload.code or item.code})
    return PayItemOut.of(
        _call(lambda: services.update_pay_item(**c.writer(), pay_item_id=item.pk, data=data))
    )


@router.delete("/items/{item_id}", response={204: None, **ERRORS}, summary="支給・控除項目を削除")
def delete_item(request: HttpRequest, item_id: Id) -> Status[None]:
    """給与明細や社員に使われた項目は削除できません(409)。無効にしてください。"""
    c = _caller(request)
    item = selectors.get_pay_item(company=c.company, pay_item_id=item_id)
    _call(lambda: services.delete_pay_item(**c.writer(), pay_item_id=item.pk))
    return Status(204, None)


# ============================================================================ 社員の給与設定
class EmployeeFilters(PageParams):
    q: Str100 = Field("", description="社員番号・氏名")
    group: str = Field("", pattern=r"^(|none|\d{1,10})$", description="支給グループのID、none は未設定")
    status: str = Field("active", pattern="^(active|retired|all)$")


@router.get("/employees", response={200: EmployeePayPage, **READ_ERRORS}, summary="社員の給与設定の一覧")
def list_pay_employees(request: HttpRequest, filters: Query[EmployeeFilters]) -> EmployeePayPage:
    """社員番号順。今日適用中の基本設定と標準報酬月額(なければ null)。"""
    c = _caller(request)
    qs: Any = selectors.employee_pay_list(
        company=c.company, q=filters.q, group=filters.group, status=filters.status
    )
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    items = [
        EmployeePayRow(
            id=e.pk,
            number=e.number,
            name=e.full_name,
            effective_from=e.p_from,
            pay_group_id=e.p_group_id,
            pay_group=e.p_group,
            pay_type=e.p_type,
            base_pay=None if e.p_base is None else int(e.p_base),
            tax_column=e.p_column,
            dependents=e.p_dependents,
            is_officer=e.p_officer,
            health_grade=e.g_health_grade,
            health_standard=None if e.g_health_standard is None else int(e.g_health_standard),
        )
        for e in rows
    ]
    return EmployeePayPage(count=total, limit=filters.limit, offset=filters.offset, items=items)


def _pay(c: Caller, employee_id: int) -> selectors.EmployeePay:
    employee = selectors.get_employee(company=c.company, employee_id=employee_id)
    return selectors.employee_pay(company=c.company, employee=employee)


@router.get(
    "/employees/{employee_id}/profiles",
    response={200: list[ProfileOut], **READ_ERRORS},
    summary="給与の基本設定の履歴",
)
def list_profiles(request: HttpRequest, employee_id: Id) -> list[ProfileOut]:
    return [ProfileOut.of(p) for p in _pay(_caller(request), employee_id).profiles]


@router.post(
    "/employees/{employee_id}/profiles", response={201: ProfileOut, **ERRORS}, summary="給与の基本設定を登録"
)
def create_profile(request: HttpRequest, employee_id: Id, payload: ProfileIn) -> Status[ProfileOut]:
    """適用開始月から。同じ月の行があれば置き換えます(`replaced`)。乙欄では扶養親族等の数を0にします
    (`notices`)。役員は雇用保険に加入できません。第2口座は全項目か、すべて空。"""
    c = _caller(request)
    employee = selectors.get_employee(company=c.company, employee_id=employee_id)
    values = payload.dict()
    for key in ("base_pay", "commute_allowance", "commute_exempt_limit", "split_amount"):
        values[key] = Decimal(values[key])
    saved = _call(
        lambda: pay_services.set_pay_profile(
            **c.writer(), employee_id=employee.pk, data=pay_services.ProfileInput(**values)
        )
    )
    return Status(201, ProfileOut.of(saved.profile, saved.replaced, saved.notices))


@router.get(
    "/employees/{employee_id}/pay-items",
    response={200: list[EmployeeItemOut], **READ_ERRORS},
    summary="固定の項目",
)
def list_employee_items(request: HttpRequest, employee_id: Id) -> list[EmployeeItemOut]:
    return [EmployeeItemOut.of(r) for r in _pay(_caller(request), employee_id).items]


@router.post(
    "/employees/{employee_id}/pay-items",
    response={201: EmployeeItemOut, **ERRORS},
    summary="固定の項目を登録",
)
def create_employee_item(
    request: HttpRequest, employee_id: Id, payload: EmployeeItemIn
) -> Status[EmployeeItemOut]:
    c = _caller(request)
    employee = selectors.get_employee(company=c.company, employee_id=employee_id)
    row = _call(
        lambda: pay_services.set_employee_item(
            **c.writer(),
            employee_id=employee.pk,
            item_id=payload.item_id,
            effective_from=payload.effective_from,
            amount=Decimal(payload.amount),
        )
    )
    return Status(201, EmployeeItemOut.of(row))


@router.get(
    "/employees/{employee_id}/grades",
    response={200: list[GradeOut], **READ_ERRORS},
    summary="標準報酬月額の履歴",
)
def list_grades(request: HttpRequest, employee_id: Id) -> list[GradeOut]:
    return [GradeOut.of(g) for g in _pay(_caller(request), employee_id).grades]


@router.post(
    "/employees/{employee_id}/grades", response={201: GradeOut, **ERRORS}, summary="標準報酬月額を登録"
)
def create_grade(request: HttpRequest, employee_id: Id, payload: GradeIn) -> Status[GradeOut]:
    """等級は報酬月額から法令の等級表で決まります(健康保険法40条、厚生年金保険法20条)。"""
    c = _caller(request)
    employee = selectors.get_employee(company=c.company, employee_id=employee_id)
    row = _call(
        lambda: pay_services.set_standard_remuneration(
            **c.writer(),
            employee_id=employee.pk,
            effective_from=payload.effective_from,
            monthly_remuneration=Decimal(payload.monthly_remuneration),
            reason=payload.reason,
            note=payload.note,
        )
    )
    return Status(201, GradeOut.of(row))


@router.get(
    "/employees/{employee_id}/resident-taxes",
    response={200: list[ResidentTaxNoticeOut], **READ_ERRORS},
    summary="住民税の履歴",
)
def list_resident_taxes(request: HttpRequest, employee_id: Id) -> list[ResidentTaxNoticeOut]:
    return [ResidentTaxNoticeOut.of(t) for t in _pay(_caller(request), employee_id).resident_taxes]


@router.post(
    "/employees/{employee_id}/resident-taxes",
    response={201: ResidentTaxNoticeOut, **ERRORS},
    summary="住民税を登録",
)
def create_resident_tax(
    request: HttpRequest, employee_id: Id, payload: ResidentTaxNoticeIn
) -> Status[ResidentTaxNoticeOut]:
    """通知書の金額のまま。年税額 = 6月分 + 7月分 × 11 でなければ422。同じ年度の行は置き換えます。"""
    c = _caller(request)
    employee = selectors.get_employee(company=c.company, employee_id=employee_id)
    data = tax_services.ResidentTaxInput(
        fiscal_year=payload.fiscal_year,
        municipality_code=payload.municipality_code,
        municipality_name=payload.municipality_name,
        annual=Decimal(payload.annual),
        june=Decimal(payload.june),
        monthly=Decimal(payload.monthly),
    )
    row = _call(lambda: tax_services.set_resident_tax(**c.writer(), employee_id=employee.pk, data=data))
    return Status(201, ResidentTaxNoticeOut.of(row))


@router.post("/resident-taxes/import", response={200: ImportOut, **ERRORS}, summary="住民税の一括取込")
def import_resident_taxes(request: HttpRequest, file: File[UploadedFile | None] = None) -> ImportOut:
    """`multipart/form-data` の `file`: 見出し「年度,市区町村コード,市区町村名,社員番号,氏名,年税額,6月分,7月分」
    のCSV(UTF-8 または Shift_JIS)。すべての行を確かめ、1行でも誤りがあれば何も登録せず422で行ごとの理由を返します。"""
    c = _caller(request)
    if file is None:
        raise ValidationError([{"type": "missing", "loc": ["file"], "msg": "missing"}])
    result = _call(lambda: tax_services.import_resident_taxes(**c.writer(), data=file.read()))
    return ImportOut(created=result.created, replaced=result.replaced)
