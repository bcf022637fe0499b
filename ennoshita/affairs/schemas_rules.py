"""Request and response shapes of /api/v1/affairs/rules (就業規則・社内規程)."""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from ennoshita.core.api import Id, Input, PageParams, Str100, Text

from .models import Rule, RuleAcknowledgement, RuleVersion


class RuleFilters(PageParams):
    q: str = Field("", max_length=100, description="規程番号・規程名(語ごと)")
    category: str = Field("", max_length=20, description="区分(work_rules など)")
    active: bool | None = Field(None, description="true: 有効のみ、false: 廃止のみ")


class VersionOut(Schema):
    id: int
    number: int = Field(description="版")
    status: str = Field(description="draft 下書き / published 公開中 / replaced 改定済み")
    effective_from: Day = Field(description="施行日")
    summary: str = Field(description="改定の概要")
    requires_acknowledgement: bool
    acknowledge_by: Day | None = Field(description="確認期限")
    published_at: datetime | None
    replaced_at: datetime | None
    file_name: str
    file_url: str = Field(description="ファイル(画面のURL。ログイン中の対象者と管理者が開けます)")
    asked: int | None = Field(None, description="対象者数")
    acknowledged: int | None = Field(None, description="確認済みの人数")

    @classmethod
    def of(cls, v: RuleVersion) -> VersionOut:
        from django.urls import reverse

        return cls(
            id=v.pk,
            number=v.number,
            status=v.status,
            effective_from=v.effective_from,
            summary=v.summary,
            requires_acknowledgement=v.requires_acknowledgement,
            acknowledge_by=v.acknowledge_by,
            published_at=v.published_at,
            replaced_at=v.replaced_at,
            file_name=v.document_version.original_name,
            file_url=reverse("affairs:rule_version_file", args=[v.pk]),
            asked=getattr(v, "asked", None),
            acknowledged=getattr(v, "acknowledged", None),
        )


class RuleOut(Schema):
    id: int
    code: str
    title: str
    category: str
    category_label: str
    is_active: bool
    current_version: int | None = Field(None, description="公開中の版")
    not_yet: int | None = Field(None, description="公開中の版の未確認者数")

    @classmethod
    def of(cls, r: Rule) -> RuleOut:
        return cls(
            id=r.pk,
            code=r.code,
            title=r.title,
            category=r.category,
            category_label=str(r.get_category_display()),
            is_active=r.is_active,
            current_version=getattr(r, "current_number", None),
            not_yet=getattr(r, "not_yet", None) or 0,
        )


class RulePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RuleOut]


class RuleDetail(RuleOut):
    versions: list[VersionOut]


class PublishIn(Input):
    audience: Literal["all", "departments", "employees"] = Field("all", description="対象者")
    department_ids: list[Id] = Field(
        default_factory=list, max_length=500, description="対象の部署(下位を含む)"
    )
    employee_ids: list[Id] = Field(default_factory=list, max_length=20000, description="対象の社員")
    effective_from: Day | None = Field(None, description="施行日(省略時は版の施行日)")
    summary: Text | None = Field(None, description="改定の概要(省略時はそのまま)")
    acknowledge_by: Day | None = Field(None, description="確認期限")
    requires_acknowledgement: bool = True


class RemindIn(Input):
    employee_ids: list[Id] | None = Field(
        None, max_length=20000, description="催促する社員(省略時は未確認者全員)"
    )


class RemindOut(Schema):
    reminded: int


class AckOut(Schema):
    version_id: int
    rule_title: str
    number: int
    employee_id: int
    employee_number: str
    employee_name: str
    department: str | None = None
    requested_at: datetime
    acknowledged_at: datetime | None
    last_reminded_at: datetime | None
    acknowledge_by: Day | None = None

    @classmethod
    def of(cls, a: RuleAcknowledgement) -> AckOut:
        return cls(
            version_id=a.version_id,
            rule_title=a.version.rule.title,
            number=a.version.number,
            employee_id=a.employee_id,
            employee_number=a.employee.number,
            employee_name=a.employee.full_name,
            department=getattr(a, "dept_name", None),
            requested_at=a.requested_at,
            acknowledged_at=a.acknowledged_at,
            last_reminded_at=a.last_reminded_at,
            acknowledge_by=a.version.acknowledge_by,
        )


class AckPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AckOut]


class NotYetFilters(PageParams):
    q: Str100 = Field("", description="社員番号・氏名")
    department_id: int | None = Field(None, ge=1, description="部署(下位を含む)")
