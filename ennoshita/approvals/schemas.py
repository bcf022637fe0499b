"""Schemas of /api/v1/approvals/."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field

from ennoshita.core.api import MAX_ID, Id, Input, PageParams, Str20, Str50, Str100, UserRef, whole_yen_parser

from .models import ApprovalAction, ApprovalRequest, ApprovalRoute, RouteStep
from .routing import type_label

Yen = Annotated[Decimal, BeforeValidator(whole_yen_parser(minimum=0, maximum=999_999_999_999_999))]
Comment = Annotated[str, Field(max_length=2000)]


def user_ref(user: Any) -> UserRef | None:
    return None if user is None else UserRef(id=user.pk, name=user.display_name())


class RequestFilters(PageParams):
    q: Str100 = Field("", description="件名・申請者の部分一致(空白区切りで AND)")
    request_type: Str50 = Field("", description="申請の種類(省略: すべて)")


class MyRequestFilters(RequestFilters):
    status: Literal["", "pending", "approved", "rejected", "returned", "withdrawn"] = Field(
        "", description="状態(省略: すべて)"
    )


class RequestOut(Schema):
    id: int
    request_type: str
    type_label: str = Field(description="申請の種類の表示名")
    object_id: str = Field(description="申請の対象(所有するアプリでのID)")
    object_repr: str = Field(description="件名")
    url: str
    applicant: UserRef
    department_id: int | None
    amount: Decimal = Field(description="金額(円)")
    account_codes: list[str]
    status: str = Field(description="pending / approved / rejected / returned / withdrawn")
    current_step: int = Field(description="現在の段階(1から)")
    current_step_name: str
    round: int = Field(description="申請回数(再申請で1つ増える)")
    submitted_at: datetime
    step_started_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, r: ApprovalRequest) -> RequestOut:
        return cls(
            id=r.pk,
            request_type=r.request_type,
            type_label=type_label(r.request_type),
            object_id=r.object_id,
            object_repr=r.object_repr,
            url=r.url,
            applicant=UserRef(id=r.applicant_id, name=r.applicant.display_name()),
            department_id=r.department_id,
            amount=r.amount,
            account_codes=list(r.account_codes or []),
            status=r.status,
            current_step=r.current_step,
            current_step_name=r.current_step_name if r.status == "pending" else "",
            round=r.round,
            submitted_at=r.submitted_at,
            step_started_at=r.step_started_at,
            decided_at=r.decided_at,
        )


class RequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[RequestOut]


class ActionOut(Schema):
    action: str = Field(description="submit / approve / reject / return / withdraw / resubmit")
    round: int
    step_order: int
    actor: UserRef
    on_behalf_of: UserRef | None = Field(description="代理で判断したときの本来の承認者")
    comment: str
    at: datetime

    @classmethod
    def of(cls, a: ApprovalAction) -> ActionOut:
        return cls(
            action=a.action,
            round=a.round,
            step_order=a.step_order,
            actor=UserRef(id=a.actor_id, name=a.actor.display_name()),
            on_behalf_of=user_ref(a.on_behalf_of),
            comment=a.comment,
            at=a.at,
        )


class StepStateOut(Schema):
    order: int
    label: str
    state: str = Field(description="done / current / waiting / stopped")
    approvers: list[UserRef] = Field(description="現在の段階を判断できる人")


class RequestDetail(RequestOut):
    steps: list[StepStateOut]
    actions: list[ActionOut]
    can_decide: bool = Field(description="呼び出したユーザーが今この段階を判断できるか")
    on_behalf_of: UserRef | None = Field(description="判断できるとき、誰の代理か(本人なら null)")


class ApproveIn(Input):
    comment: Comment = Field("", description="コメント(任意)")


class ReasonIn(Input):
    reason: Comment = Field(description="理由(必須)")


# ------------------------------------------------------------------ routes
class StepIn(Input):
    kind: Literal["manager", "upper_manager", "role", "people"]
    name: Str50 = ""
    role: Str20 = Field("", description="kind=role のときのロール(accounting など)")
    user_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, description="kind=people のときの承認する人(ユーザーID)"
    )


class StepOut(Schema):
    order: int
    name: str
    kind: str
    role: str
    user_ids: list[int]

    @classmethod
    def of(cls, s: RouteStep) -> StepOut:
        return cls(
            order=s.order,
            name=s.name,
            kind=s.kind,
            role=s.role,
            user_ids=sorted(u.user_id for u in s.step_users.all()),
        )


class RouteIn(Input):
    name: Str100
    request_type: Str50
    priority: int = Field(100, ge=-99999, le=99999)
    min_amount: Yen | None = None
    max_amount: Yen | None = None
    department_id: Id | None = None
    account_code: Str20 = ""
    allow_same_approver: bool = False
    is_active: bool = True
    steps: list[StepIn] = Field(max_length=10)


class RouteOut(Schema):
    id: int
    name: str
    request_type: str
    priority: int
    min_amount: Decimal | None
    max_amount: Decimal | None
    department_id: int | None
    account_code: str
    allow_same_approver: bool
    is_active: bool
    steps: list[StepOut]

    @classmethod
    def of(cls, r: ApprovalRoute, steps: list[RouteStep]) -> RouteOut:
        return cls(
            id=r.pk,
            name=r.name,
            request_type=r.request_type,
            priority=r.priority,
            min_amount=r.min_amount,
            max_amount=r.max_amount,
            department_id=r.department_id,
            account_code=r.account_code,
            allow_same_approver=r.allow_same_approver,
            is_active=r.is_active,
            steps=[StepOut.of(s) for s in steps],
        )
