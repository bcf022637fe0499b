"""Request and response shapes of /api/v1/affairs/health/…: checkups (list, detail, book, result).

The list never carries results. The detail carries them (``record``) only for a member with health
access, and that read is an audit event like the screen's.
"""

from __future__ import annotations

from datetime import date as Day
from typing import Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Input, PageParams, Str100, Str200, Text

from .models import Checkup

KindKey = Literal["", "hiring", "periodic", "specific", "overseas_before", "overseas_after", "other"]
StatusKey = Literal["", "planned", "booked", "done", "exempt", "cancelled"]


class CheckupFilters(PageParams):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    kind: KindKey = Field("", description="種類")
    status: StatusKey = Field("", description="状態")
    department_id: int | None = Field(None, ge=1, description="部署ID(配下の部署を含む)")
    overdue: bool = Field(False, description="true: 期限切れ(未受診)だけ")
    unexamined: bool = Field(False, description="true: 未受診(未予約・予約済み)だけ")
    q: Str100 = Field("", description="社員番号・氏名")


class CheckupOut(Schema):
    id: int
    employee_id: int
    employee_number: str
    employee_name: str
    kind: str
    kind_label: str
    fiscal_year: int
    due_on: Day
    status: str
    status_label: str
    clinic: str
    booked_for: Day | None
    examined_on: Day | None
    has_findings: bool | None
    doctor_instructed: bool | None
    result_notified_on: Day | None
    opinion_due_on: Day | None
    opinion_on: Day | None
    keep_until: Day | None

    @classmethod
    def of(cls, c: Checkup) -> CheckupOut:
        return cls(
            id=c.pk,
            employee_id=c.employee_id,
            employee_number=c.employee.number,
            employee_name=c.employee.full_name,
            kind=c.kind,
            kind_label=c.get_kind_display(),
            fiscal_year=c.fiscal_year,
            due_on=c.due_on,
            status=c.status,
            status_label=c.get_status_display(),
            clinic=c.clinic,
            booked_for=c.booked_for,
            examined_on=c.examined_on,
            has_findings=c.has_findings,
            doctor_instructed=c.doctor_instructed,
            result_notified_on=c.result_notified_on,
            opinion_due_on=c.opinion_due_on,
            opinion_on=c.opinion_on,
            keep_until=c.keep_until,
        )


class CheckupRecordOut(Schema):
    result: str = Field(description="結果(所見・判定)")
    opinion: str = Field(description="医師の意見")
    measures: str = Field(description="就業上の措置")


class CheckupDetailOut(CheckupOut):
    record: CheckupRecordOut | None = Field(
        None, description="健康情報の閲覧権限がある場合だけ(閲覧は監査ログに記録されます)"
    )


class CheckupPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CheckupOut]


class BookIn(Input):
    clinic: Str200 = Field(description="医療機関")
    booked_for: Day = Field(description="予約日")


class ResultIn(Input):
    examined_on: Day = Field(description="受診日(未来日は不可)")
    has_findings: bool = Field(description="有所見")
    doctor_instructed: bool = Field(False, description="医師の指示あり(要再検査・要精密検査・要治療)")
    result: Text = Field(description="結果(所見・判定)。暗号化して保存します")
    clinic: Str200 = Field("", description="医療機関(省略: 予約時のまま)")
