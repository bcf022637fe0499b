"""The demo company's 就業規則・社内規程: 就業規則 with its 第1版 (acknowledged) replaced by a 第2版
published to everyone (most with a login have acknowledged it, the demo ``employee`` has not, so
they find it on their home page), 賃金規程 in force, and 情報セキュリティ規程 with a draft revision.
Everything through ``affairs.services.rules``; the files are small generated PDFs. Idempotent."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, Role
from ennoshita.documents.demo import pdf
from ennoshita.people import selectors as people_selectors

from .models import Rule
from .services import rules as services

NOT_YET = {"employee", "manager"}  # the demo logins left to acknowledge 就業規則 第2版


def _manager(company: Company) -> Membership:
    members = Membership.objects.for_company(company).select_related("user", "company")
    for m in members:
        if m.user.username == "affairs" and m.has_any_role(Role.AFFAIRS):
            return m
    return next(m for m in members if m.has_any_role(Role.ADMIN))


def _acknowledge_all(company: Company, version: object, *, skip: set[str]) -> None:
    members = Membership.objects.for_company(company).select_related("user", "company")
    for m in members:
        if (
            m.user.username in skip
            or people_selectors.own_employee_record(company=company, membership=m) is None
        ):
            continue
        with suppress(ServiceError):  # not in the audience (no record when it was published)
            services.acknowledge(company=company, actor=m.user, membership=m, version=version)  # type: ignore[arg-type]


def build_demo_rules(company: Company) -> None:
    if Rule.objects.for_company(company).exists():
        return
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    m = _manager(company)
    w: dict[str, Any] = {"company": company, "actor": m.user, "membership": m}
    everyone = services.Audience()

    work = services.create_rule(
        **w,
        code="R-001",
        title="就業規則",
        category="work_rules",
        file_name="就業規則.pdf",
        data=pdf(
            "就業規則",
            [
                "第1章 総則",
                "第1条 この規則は従業員の就業に関する事項を定める。",
                "第12条 始業 9:00 終業 18:00",
            ],
        ),
        effective_from=date(2020, 4, 1),
        summary="制定",
    )
    first = work.versions.get(number=1)
    services.publish_version(**w, version=first, audience=everyone)
    _acknowledge_all(company, first, skip=set())
    revised = services.add_draft_version(
        **w,
        rule=work,
        file_name="就業規則.pdf",
        data=pdf(
            "就業規則(改定)",
            [
                "第1章 総則",
                "第1条 この規則は従業員の就業に関する事項を定める。",
                "第12条 始業 9:30 終業 18:30(フレックスタイム制の対象者を除く)",
                "第25条 育児・介護休業法の改正に合わせ、看護等休暇の取得事由を拡大する。",
            ],
        ),
        effective_from=last_month,
        summary="始業・終業時刻の変更(第12条)、看護等休暇の取得事由の拡大(第25条)。",
    )
    services.publish_version(
        **w, version=revised, audience=everyone, acknowledge_by=today + timedelta(days=14)
    )
    _acknowledge_all(company, revised, skip=NOT_YET)

    wages = services.create_rule(
        **w,
        code="R-002",
        title="賃金規程",
        category="wages",
        file_name="賃金規程.pdf",
        data=pdf(
            "賃金規程",
            ["第1条 賃金の構成は基本給及び諸手当とする。", "第10条 賃金は毎月末日締め、翌月25日に支払う。"],
        ),
        effective_from=date(2022, 4, 1),
        summary="制定",
    )
    wages_v1 = wages.versions.get(number=1)
    services.publish_version(**w, version=wages_v1, audience=everyone)
    _acknowledge_all(company, wages_v1, skip=set())

    security = services.create_rule(
        **w,
        code="R-010",
        title="情報セキュリティ規程",
        category="information",
        file_name="情報セキュリティ規程.pdf",
        data=pdf(
            "情報セキュリティ規程",
            ["第1条 会社の情報資産を守るための基本方針を定める。", "第8条 パスワードは他人に教えない。"],
        ),
        effective_from=date(2023, 10, 1),
        summary="制定",
    )
    security_v1 = security.versions.get(number=1)
    services.publish_version(**w, version=security_v1, audience=everyone)
    _acknowledge_all(company, security_v1, skip={"employee"})
    services.add_draft_version(
        **w,
        rule=security,
        file_name="情報セキュリティ規程.pdf",
        data=pdf(
            "情報セキュリティ規程(改定案)",
            ["第8条 多要素認証を必須とする。", "第9条 私物端末の業務利用は届出制とする。"],
        ),
        effective_from=today.replace(day=1) + timedelta(days=62),
        summary="多要素認証の必須化、私物端末の届出制(改定案)。",
    )
