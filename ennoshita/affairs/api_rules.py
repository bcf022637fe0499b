"""/api/v1/affairs/: 就業規則・社内規程 — rules, versions, publish, acknowledge, not-yet lists.

Rule managers (admin, 総務, 人事) list rules and versions, publish and remind; every member lists
what waits for them and acknowledges. New rules and new versions carry a file (``multipart/form-data``;
the file goes into 文書 as a version of the rule's document). Another company's id, and a version one was not asked to
read, are a 404; a replaced version's acknowledgement is a 400 with ``code: replaced``; nothing is
written on any error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from ennoshita.core.api import Id, Problem, caller_of
from ennoshita.core.errors import ServiceError

from .schemas_rules import (
    AckOut,
    AckPage,
    NotYetFilters,
    PublishIn,
    RemindIn,
    RemindOut,
    RuleDetail,
    RuleFilters,
    RuleOut,
    RulePage,
    VersionOut,
)
from .selectors import rules as selectors
from .services import rules as services

router = Router(tags=["総務"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _as_422(exc: ServiceError) -> ServiceError:
    if exc.code == "validation":
        exc.status = 422
    return exc


def _upload(file: UploadedFile | None) -> tuple[str, bytes]:
    if file is None:
        message = _("規程のファイルを選んでください。")
        raise _as_422(ServiceError(message, code="validation", field_errors={"file": [message]}))
    return file.name or "rule", file.read()


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        message = _("施行日を YYYY-MM-DD で入力してください。")
        raise _as_422(ServiceError(message, code="validation", field_errors={field: [message]})) from None


@router.post("/rules", response={201: RuleDetail, **ERRORS}, summary="規程の登録(第1版の下書き)")
def rule_create(
    request: HttpRequest,
    file: File[UploadedFile | None] = None,
    code: str = Form("", max_length=30, description="規程番号(会社内で一意)"),
    title: str = Form("", max_length=200, description="規程名"),
    category: str = Form(
        "other",
        description="区分: work_rules, wages, retirement, childcare, travel, information, harassment, other",
    ),
    effective_from: str = Form("", description="第1版の施行日(YYYY-MM-DD)"),
    summary: str = Form("", max_length=2000, description="概要"),
) -> Status[RuleDetail]:
    """`multipart/form-data` で `file` と項目を送ります。第1版は下書きで、公開(`/rule-versions/{id}/publish`)で
    既読確認を依頼します。規程の管理者(管理者・総務・人事)だけが登録できます。"""
    c = caller_of(request)
    name, data = _upload(file)
    try:
        rule = services.create_rule(
            **c.writer(),
            code=code,
            title=title,
            category=category,
            file_name=name,
            data=data,
            effective_from=_day(effective_from, "effective_from"),
            summary=summary,
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(201, rule_detail(request, rule.pk))


@router.post(
    "/rules/{rule_id}/versions", response={201: VersionOut, **ERRORS}, summary="規程の改定案(新しい版)の登録"
)
def rule_version_create(
    request: HttpRequest,
    rule_id: Id,
    file: File[UploadedFile | None] = None,
    effective_from: str = Form("", description="施行日(YYYY-MM-DD)"),
    summary: str = Form("", max_length=2000, description="改定の概要"),
) -> Status[VersionOut]:
    """`multipart/form-data` で新しいファイルを送ります。文書の新しい版になり、下書きの規程の版が
    それを指します。公開中の版は、この版を公開するまで有効です。"""
    c = caller_of(request)
    rule = selectors.get_rule(**c.reader(), rule_id=rule_id)
    name, data = _upload(file)
    try:
        version = services.add_draft_version(
            **c.writer(),
            rule=rule,
            file_name=name,
            data=data,
            effective_from=_day(effective_from, "effective_from"),
            summary=summary,
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return Status(201, VersionOut.of(selectors.get_version(**c.reader(), version_id=version.pk)))


@router.get("/rules", response={200: RulePage, **READ_ERRORS}, summary="規程の一覧")
def rule_list(request: HttpRequest, filters: Query[RuleFilters]) -> RulePage:
    c = caller_of(request)
    qs = selectors.rule_list(**c.reader(), q=filters.q, category=filters.category, active=filters.active)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return RulePage(
        count=total, limit=filters.limit, offset=filters.offset, items=[RuleOut.of(r) for r in rows]
    )


@router.get("/rules/pending", response={200: list[AckOut], **READ_ERRORS}, summary="自分の未確認の規程")
def rule_pending(request: HttpRequest) -> list[AckOut]:
    c = caller_of(request)
    return [AckOut.of(a) for a in selectors.pending_for(**c.reader()).select_related("employee")[:500]]


@router.get("/rules/not-yet", response={200: AckPage, **READ_ERRORS}, summary="全社の未確認者一覧")
def rule_unacknowledged(request: HttpRequest, filters: Query[NotYetFilters]) -> AckPage:
    c = caller_of(request)
    qs = selectors.unacknowledged(**c.reader(), q=filters.q, department_id=filters.department_id)
    total = qs.count()
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return AckPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[AckOut.of(a) for a in rows]
    )


@router.get("/rules/{rule_id}", response={200: RuleDetail, **READ_ERRORS}, summary="規程の詳細と版")
def rule_detail(request: HttpRequest, rule_id: Id) -> RuleDetail:
    c = caller_of(request)
    rule = selectors.get_rule(**c.reader(), rule_id=rule_id)
    versions = [VersionOut.of(v) for v in selectors.rule_versions(company=c.company, rule=rule)]
    current = next((v for v in versions if v.status == "published"), None)
    base = RuleOut.of(rule).model_dump()
    base["current_version"] = current.number if current else None
    base["not_yet"] = (current.asked or 0) - (current.acknowledged or 0) if current else 0
    return RuleDetail(**base, versions=versions)


@router.get("/rule-versions/{version_id}", response={200: VersionOut, **READ_ERRORS}, summary="規程の版")
def rule_version_detail(request: HttpRequest, version_id: Id) -> VersionOut:
    """管理者と、その版の既読確認を依頼された社員が読めます。"""
    c = caller_of(request)
    return VersionOut.of(selectors.readable_version(**c.reader(), version_id=version_id))


@router.post(
    "/rule-versions/{version_id}/publish", response={200: VersionOut, **ERRORS}, summary="規程の版の公開"
)
def rule_publish(request: HttpRequest, version_id: Id, payload: PublishIn) -> VersionOut:
    """下書きの版を公開し、対象者に既読確認を依頼します。公開中だった版は改定済みになります。"""
    c = caller_of(request)
    version = selectors.get_version(**c.reader(), version_id=version_id)
    try:
        services.publish_version(
            **c.writer(),
            version=version,
            audience=services.Audience(
                kind=payload.audience,
                department_ids=payload.department_ids,
                employee_ids=payload.employee_ids,
            ),
            effective_from=payload.effective_from,
            summary=payload.summary,
            acknowledge_by=payload.acknowledge_by,
            requires_acknowledgement=payload.requires_acknowledgement,
        )
    except ServiceError as exc:
        raise _as_422(exc) from exc
    return VersionOut.of(selectors.get_version(**c.reader(), version_id=version_id))


@router.post(
    "/rule-versions/{version_id}/acknowledge", response={200: AckOut, **ERRORS}, summary="規程の既読確認"
)
def rule_acknowledge(request: HttpRequest, version_id: Id) -> AckOut:
    """本人が公開中の版を確認します。改定済みの版は 400(`code: replaced`)、2回目はそのまま返します。"""
    c = caller_of(request)
    version = selectors.readable_version(**c.reader(), version_id=version_id)
    row = services.acknowledge(**c.writer(), version=version)
    return AckOut.of(row)


@router.get(
    "/rule-versions/{version_id}/not-yet",
    response={200: AckPage, **READ_ERRORS},
    summary="規程の版の未確認者",
)
def rule_not_yet(request: HttpRequest, version_id: Id, filters: Query[NotYetFilters]) -> AckPage:
    c = caller_of(request)
    version = selectors.get_version(**c.reader(), version_id=version_id)
    qs = selectors.not_yet(**c.reader(), version=version, department_id=filters.department_id, q=filters.q)
    total = qs.count()
    rows = list(qs.select_related("version__rule")[filters.offset : filters.offset + filters.limit])
    return AckPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[AckOut.of(a) for a in rows]
    )


@router.post(
    "/rule-versions/{version_id}/remind", response={200: RemindOut, **ERRORS}, summary="未確認者への催促"
)
def rule_remind(request: HttpRequest, version_id: Id, payload: RemindIn) -> RemindOut:
    c = caller_of(request)
    version = selectors.get_version(**c.reader(), version_id=version_id)
    count = services.remind(**c.writer(), version=version, employee_ids=payload.employee_ids)
    return RemindOut(reminded=count)
