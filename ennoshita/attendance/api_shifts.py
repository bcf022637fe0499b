"""API of 勤怠 — shifts (mounted under /api/v1/attendance/ by api.py): patterns, a department's
monthly table (read, replace whole, publish), one's own published month, and swap requests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ennoshita.core.api import Input, Problem, caller_of
from ennoshita.core.dates import parse_month
from ennoshita.core.errors import PermissionDeniedError, ServiceError

from . import shift_selectors as sel
from .models import ShiftPattern, ShiftSwap
from .rules.shifts import ShiftWarning
from .services import shifts as services

router = Router(tags=["attendance"])

ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
T = TypeVar("T")


def _as_422(call: Callable[[], T]) -> T:
    try:
        return call()
    except ServiceError as exc:
        if exc.code == "validation":
            exc.status = 422
        raise


def _month(text: str) -> date:
    if not text:
        return timezone.localdate().replace(day=1)
    month = parse_month(text)
    if month is None:
        message = _("月は YYYY-MM の形式で入力してください。")
        error = ServiceError(message, code="validation", field_errors={"month": [message]})
        error.status = 422
        raise error
    return month


class MonthParam(Schema):
    month: str = Field("", pattern=r"^(\d{4}-\d{1,2})?$", description="月(YYYY-MM、既定: 今月)")


# ------------------------------------------------------------------------------ patterns
class PatternOut(Schema):
    id: int
    code: str = Field(description="シフト表の記号")
    name: str
    start_time: time
    end_time: time = Field(description="開始以前なら翌日の終了(9:00〜9:00は24時間)")
    break_minutes: int
    planned_minutes: int = Field(description="実働(終了−開始−休憩、分)")
    color: str
    is_active: bool
    sort_order: int

    @staticmethod
    def of(p: ShiftPattern) -> PatternOut:
        return PatternOut(
            id=p.pk,
            code=p.code,
            name=p.name,
            start_time=p.start_time,
            end_time=p.end_time,
            break_minutes=p.break_minutes,
            planned_minutes=p.planned_minutes,
            color=p.color,
            is_active=p.is_active,
            sort_order=p.sort_order,
        )


class PatternIn(Input):
    code: str = Field(min_length=1, max_length=8)
    name: str = Field(min_length=1, max_length=50)
    start_time: time
    end_time: time
    break_minutes: int = Field(ge=0, le=1440, description="労基法34条: 6時間超は45分以上、8時間超は60分以上")
    color: str = Field("#4f7cac", pattern=r"^#[0-9a-fA-F]{6}$")
    sort_order: int = Field(0, ge=-9999, le=9999)


@router.get("/shift-patterns", response={200: list[PatternOut], **ERRORS}, summary="シフトパターンの一覧")
def list_shift_patterns(request: HttpRequest, include_inactive: bool = False) -> list[PatternOut]:
    """人事・管理者と所属長が読めます。"""
    c = caller_of(request)
    if not c.membership.has_any_role(*sel.PATTERN_ROLES) and not sel.can_use_tables(
        company=c.company, membership=c.membership
    ):
        raise PermissionDeniedError()
    return [PatternOut.of(p) for p in sel.patterns(company=c.company, include_inactive=include_inactive)]


@router.post("/shift-patterns", response={201: PatternOut, **ERRORS}, summary="シフトパターンの登録(人事)")
def create_shift_pattern(request: HttpRequest, body: PatternIn) -> Status[PatternOut]:
    """休憩が労基法34条に足りないパターンは422で拒否します。"""
    c = caller_of(request)
    pattern = _as_422(lambda: services.save_pattern(**c.writer(), data=services.PatternInput(**body.dict())))
    return Status(201, PatternOut.of(pattern))


# ------------------------------------------------------------------------------ tables
class WarningOut(Schema):
    code: str = Field(
        description="weekly_rest, four_week_rest, period_limit, daily_over, weekly_over, short_rest"
    )
    day: date
    message: str


class TableRowOut(Schema):
    employee_id: int
    number: str
    name: str
    variable: bool = Field(description="1か月単位の変形労働時間制")
    cells: dict[str, str] = Field(description="日付(YYYY-MM-DD) → 記号(休は休日)。空のセルは含みません")
    changed: list[date] = Field(description="公開後に変わったセルの日付")
    planned_minutes: int
    rest_days: int
    warnings: list[WarningOut]


class TableOut(Schema):
    department_id: int
    month: str
    revision: int = Field(description="保存のたびに1増える版。PUTに付けると、他の人の保存を上書きしません")
    published_at: datetime | None
    changed_cells: int
    rows: list[TableRowOut]


class TableIn(Input):
    revision: int | None = Field(None, description="読み込んだときの版(違えば409)")
    cells: dict[str, dict[str, str]] = Field(
        description="社員ID → 日付(YYYY-MM-DD) → 記号(パターンの記号、休、空文字)。含まれないセルは空になります"
    )


class TableSaveOut(Schema):
    revision: int
    changed: int
    warnings: dict[str, list[WarningOut]]


def _warnings(ws: list[ShiftWarning]) -> list[WarningOut]:
    return [WarningOut(code=w.code, day=w.day, message=w.message) for w in ws]


def _table_out(view: sel.ShiftTableView) -> TableOut:
    return TableOut(
        department_id=view.department_id,
        month=f"{view.month:%Y-%m}",
        revision=view.revision,
        published_at=view.published_at,
        changed_cells=view.changed_cells,
        rows=[
            TableRowOut(
                employee_id=r.employee_id,
                number=r.number,
                name=r.name,
                variable=r.variable,
                cells={c.day.isoformat(): c.code for c in r.cells if c.code},
                changed=[c.day for c in r.cells if c.changed],
                planned_minutes=r.planned_minutes,
                rest_days=r.rest_days,
                warnings=_warnings(r.warnings),
            )
            for r in view.rows
        ],
    )


@router.get("/shift-tables/{department_id}", response={200: TableOut, **ERRORS}, summary="部署の月のシフト表")
def get_shift_table(request: HttpRequest, department_id: int, filters: Query[MonthParam]) -> TableOut:
    """人事・管理者はすべての部署、所属長は自分の部署(と配下)だけ。警告は労基法32条・32条の2・35条による。"""
    c = caller_of(request)
    return _table_out(sel.shift_table(**c.reader(), department_id=department_id, month=_month(filters.month)))


def _parse_cells(raw: dict[str, dict[str, str]]) -> dict[int, dict[date, str]]:
    errors: dict[str, list[str]] = {}
    out: dict[int, dict[date, str]] = {}
    for emp, days in raw.items():
        try:
            pk = int(emp)
        except ValueError:
            errors[f"cells.{emp}"] = [_("社員IDが正しくありません。")]
            continue
        row: dict[date, str] = {}
        for day, code in days.items():
            try:
                row[date.fromisoformat(day)] = code
            except ValueError:
                errors[f"cells.{emp}.{day}"] = [_("日付は YYYY-MM-DD で指定してください。")]
        out[pk] = row
    if errors:
        error = ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
        error.status = 422
        raise error
    return out


@router.put(
    "/shift-tables/{department_id}",
    response={200: TableSaveOut, **ERRORS},
    summary="部署の月のシフト表を丸ごと保存",
)
def put_shift_table(
    request: HttpRequest, department_id: int, body: TableIn, filters: Query[MonthParam]
) -> TableSaveOut:
    """すべてのセルを確かめてから書きます(1つでも誤りがあれば何も書きません): 未登録の記号、
    承認済みの休暇の日の勤務、締め済みの月の変更。警告は保存を止めません。"""
    c = caller_of(request)
    month = _month(filters.month)
    cells = _parse_cells(body.cells)
    result = _as_422(
        lambda: services.save_table(
            **c.writer(), department_id=department_id, month=month, cells=cells, revision=body.revision
        )
    )
    return TableSaveOut(
        revision=result.table.revision,
        changed=result.changed,
        warnings={str(pk): _warnings(ws) for pk, ws in result.warnings.items()},
    )


class PublishOut(Schema):
    department_id: int
    month: str
    published_at: datetime


@router.post(
    "/shift-tables/{department_id}/publish",
    response={200: PublishOut, **ERRORS},
    summary="部署の月のシフトを公開",
)
def publish_shift_table(request: HttpRequest, department_id: int, filters: Query[MonthParam]) -> PublishOut:
    """保存済みの内容を社員に公開します(自分のシフトに表示)。"""
    c = caller_of(request)
    month = _month(filters.month)
    table = services.publish_table(**c.writer(), department_id=department_id, month=month)
    assert table.published_at is not None
    return PublishOut(department_id=department_id, month=f"{month:%Y-%m}", published_at=table.published_at)


# ------------------------------------------------------------------------------ mine
class MyDayOut(Schema):
    day: date
    code: str
    name: str
    start: str
    end: str = Field(description="翌日に終わる時は「翌」付き")
    break_minutes: int
    leave: str


class MyMonthOut(Schema):
    month: str
    published: bool
    planned_minutes: int
    work_days: int
    days: list[MyDayOut]


@router.get("/shifts/me", response={200: MyMonthOut, **ERRORS}, summary="自分のシフト(公開済み)")
def my_shift_month(request: HttpRequest, filters: Query[MonthParam]) -> MyMonthOut:
    """公開された内容だけを返します(公開後の未公開の変更は含みません)。"""
    c = caller_of(request)
    mine = sel.my_shifts(**c.reader(), month=_month(filters.month))
    return MyMonthOut(
        month=f"{mine.month:%Y-%m}",
        published=mine.published,
        planned_minutes=mine.planned_minutes,
        work_days=mine.work_days,
        days=[
            MyDayOut(
                day=d.day,
                code=d.code,
                name=d.name,
                start=d.start,
                end=d.end,
                break_minutes=d.break_minutes,
                leave=d.leave,
            )
            for d in mine.days
        ],
    )


# ------------------------------------------------------------------------------ swaps
class SwapIn(Input):
    partner_id: int = Field(description="交換する相手(同じ部署の社員)")
    requester_date: date = Field(description="自分の勤務日(相手に代わってもらう日)")
    partner_date: date = Field(description="相手の勤務日(代わりに自分が入る日。同じ日なら勤務の入れ替え)")
    reason: str = Field("", max_length=500)


class SwapOut(Schema):
    id: int
    requester_id: int
    partner_id: int
    requester_date: date
    partner_date: date
    reason: str
    state: str
    cells: dict[str, str] = Field(description="申請時のセル(社員ID:日付 → 記号)")
    after: dict[str, str] = Field(description="交換後のセル")
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def of(s: ShiftSwap) -> SwapOut:
        return SwapOut(
            id=s.pk,
            requester_id=s.requester_id,
            partner_id=s.partner_id,
            requester_date=s.requester_date,
            partner_date=s.partner_date,
            reason=s.reason,
            state=s.state,
            cells=s.cells or {},
            after=services.exchanged_cells(s, s.cells) if s.cells else {},
            created_at=s.created_at,
            decided_at=s.decided_at,
        )


@router.post("/shift-swaps", response={201: SwapOut, **ERRORS}, summary="シフト交換の申請")
def create_shift_swap(request: HttpRequest, body: SwapIn) -> Status[SwapOut]:
    """所属長の承認で、2人の両日のセルが入れ替わります。"""
    c = caller_of(request)
    swap = _as_422(lambda: services.request_swap(**c.writer(), **body.dict()))
    return Status(201, SwapOut.of(swap))


@router.get("/shift-swaps/{swap_id}", response={200: SwapOut, **ERRORS}, summary="シフト交換の申請")
def get_shift_swap(request: HttpRequest, swap_id: int) -> SwapOut:
    c = caller_of(request)
    return SwapOut.of(sel.get_swap(**c.reader(), swap_id=swap_id))
