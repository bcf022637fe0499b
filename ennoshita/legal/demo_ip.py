"""The demo company's 知的財産: two trademarks (one inside its renewal window, one paid in halves
with the second half due soon), a patent whose 4th-year fee is due within 60 days, a design, a
copyright, a .jp domain name expiring at the end of next month, and their costs. Dates are set
from today so that the deadlines are always near. Through the services; idempotent (nothing is
added a second time)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ennoshita.core import selectors as core_selectors
from ennoshita.core.models import Company, Membership, Role

from .models import IpRight
from .rules.ip import add_months
from .services import ip as services


def _operator(company: Company) -> Membership | None:
    members = list(core_selectors.memberships_of_company(company=company).filter(is_active=True))
    for role in (Role.LEGAL, Role.ADMIN):
        for m in members:
            if m.has_any_role(role):
                return m
    return None


def _years_ago(today: date, years: int, plus_days: int) -> date:
    return add_months(today, -12 * years) + timedelta(days=plus_days)


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def build_demo_ip(company: Company) -> None:
    if IpRight.objects.for_company(company).exists():
        return
    operator = _operator(company)
    if operator is None:
        return
    w: dict[str, Any] = {"company": company, "actor": operator.user, "membership": operator}
    today = timezone.localdate()
    owner = operator.user.pk if operator.has_any_role(Role.LEGAL) else None

    def add(**kw: Any) -> IpRight:
        kw.setdefault("status", "registered")
        kw.setdefault("owner_id", owner)
        return services.register_ip_right(**w, data=services.IpInput(**kw))

    def cost(right: IpRight, kind: str, day: date, amount: int, memo: str) -> None:
        services.record_ip_cost(
            **w, right=right, kind=kind, paid_on=min(day, today), amount=amount, memo=memo
        )

    # 1. a trademark in its renewal window (満了 in 75 days)
    registered = _years_ago(today, 10, 75)
    house = add(
        kind="trademark",
        title="サンプル商事(標準文字)",
        application_number="商願2015-012345",
        registration_number="第5801234号",
        classes="35, 39",
        filed_on=registered - timedelta(days=240),
        registered_on=registered,
        agent="サンプル国際特許事務所",
    )
    cost(house, "filing", registered - timedelta(days=240), 12000, "出願料(2区分)")
    cost(house, "registration", registered - timedelta(days=20), 65800, "登録料 10年分 × 2区分")
    cost(house, "agent", registered - timedelta(days=20), 88000, "出願・登録手続")

    # 2. a trademark paid in halves; the second half is due in 45 days
    registered = _years_ago(today, 5, 45)
    logo = add(
        kind="trademark",
        title="SAMPLE LOGISTICS(ロゴ)",
        application_number="商願2020-045678",
        registration_number="第6312345号",
        classes="9, 39, 42",
        filed_on=registered - timedelta(days=300),
        registered_on=registered,
        installment=True,
        agent="サンプル国際特許事務所",
    )
    cost(logo, "filing", registered - timedelta(days=300), 20600, "出願料(3区分)")
    cost(logo, "registration", registered - timedelta(days=20), 51600, "登録料 前期5年分 × 3区分")

    # 3. a patent; the 4th-year fee is due in 40 days
    registered = _years_ago(today, 3, 40)
    patent = add(
        kind="patent",
        title="配送ルートの自動最適化方法",
        application_number="特願2021-123456",
        registration_number="特許第7234567号",
        filed_on=registered - timedelta(days=700),
        registered_on=registered,
        paid_through_year=3,
        agent="サンプル国際特許事務所",
    )
    cost(patent, "filing", registered - timedelta(days=700), 14000, "出願料")
    cost(patent, "other", registered - timedelta(days=400), 138000, "審査請求料")
    cost(patent, "registration", registered - timedelta(days=20), 12900, "第1〜3年分の特許料")
    cost(patent, "agent", registered - timedelta(days=20), 350000, "明細書作成・中間対応")

    # 4. a design (filed after 2020-04-01: 25 years from filing)
    registered = _years_ago(today, 2, -30)
    design = add(
        kind="design",
        title="配送用折りたたみコンテナ",
        application_number="意願2022-001234",
        registration_number="意匠登録第1734567号",
        filed_on=registered - timedelta(days=200),
        registered_on=registered,
        paid_through_year=2,
        agent="サンプル国際特許事務所",
    )
    cost(design, "filing", registered - timedelta(days=200), 16000, "出願料")
    cost(design, "registration", registered - timedelta(days=20), 8500, "第1年分の登録料")

    # 5. a copyright (a work published in the company's name: 70 years after publication)
    add(
        kind="copyright",
        title="配送管理システム「ハコブ」ソースコード",
        copyright_basis="publication",
        basis_year=2019,
        note="職務著作(著作権法15条)。団体名義で公表。",
    )

    # 6. a .jp domain name: JPRS's expiry is the last day of a month; this one ends next month
    domain = add(
        kind="domain",
        title="sample-shoji.co.jp",
        expires_on=_month_end(add_months(today, 1)),
        agent="サンプルレジストラ株式会社",
        note="自動更新。廃止しない限り毎年更新されます。",
    )
    cost(domain, "domain", today - timedelta(days=330), 7480, "年間登録料")
