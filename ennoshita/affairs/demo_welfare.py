"""The demo company's 福利厚生, made through the services: a catalogue of four benefits (住宅手当,
資格取得支援, 保養所, 慶弔見舞金) and uses in every state — approved (through 所属長 and 総務, and
住宅手当 registered by 総務 without approval), one waiting for the demo manager, one rejected and
one withdrawn. Loaded by ``manage.py demo`` through ``ENNOSHITA_DEMO_EXTRAS`` (after the approvals
demo, which sets the 所属長 and the routes).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors

from .models import Benefit, BenefitUse
from .rules.welfare import add_months
from .services import welfare as services

CATALOGUE = [
    services.BenefitInput(
        code="HOUSE",
        name="住宅手当",
        category="housing",
        description=(
            "賃貸住宅に住む正社員に、家賃の一部を毎月の給与で支給します(月額20,000円まで)。"
            "入居・転居のときは賃貸借契約書の写しを総務へ提出してください。総務が毎月登録します。"
        ),
        eligible_employment_types=["regular"],
        yearly_amount_limit=Decimal(240000),
        requires_approval=False,
    ),
    services.BenefitInput(
        code="QUAL",
        name="資格取得支援",
        category="qualification",
        description=(
            "業務に関わる資格の受験料・教材費・講習費を補助します。合格・不合格を問いません。"
            "領収書を添えて申請してください。"
        ),
        eligible_employment_types=["regular", "contract"],
        min_service_months=6,
        yearly_amount_limit=Decimal(100000),
    ),
    services.BenefitInput(
        code="RESORT",
        name="保養所",
        category="resort",
        description="箱根の契約保養所を1泊2食付きで利用できます(本人負担なし)。同伴の家族は実費です。",
        yearly_count_limit=2,
    ),
    services.BenefitInput(
        code="CONDO",
        name="慶弔見舞金",
        category="condolence",
        description=(
            "結婚祝金 30,000円、出産祝金 10,000円、傷病見舞金(連続30日以上の休業) 20,000円、"
            "弔慰金(配偶者・子・父母) 50,000円。事由の発生から6か月以内に申請してください。"
        ),
        eligible_employment_types=["regular", "contract", "part_time"],
    ),
]


def _member(company: Company, username: str) -> Membership | None:
    return (
        Membership.objects.for_company(company).select_related("user").filter(user__username=username).first()
    )


def _decide(member: Membership, use: BenefitUse, action: str = "approve", **kw: str) -> None:
    request = approval_selectors.request_for(
        company=member.company, request_type=services.REQUEST_TYPE, object_id=use.pk
    )
    assert request is not None
    getattr(approval_services, action)(
        company=member.company, actor=member.user, membership=member, request=request, **kw
    )


def build_demo_welfare(company: Company, *, today: date | None = None) -> None:
    if Benefit.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    affairs, employee, manager, admin = (
        _member(company, u) for u in ("affairs", "employee", "manager", "admin")
    )
    if affairs is None or employee is None or manager is None or admin is None:
        return
    benefits = {
        data.code: services.create_benefit(company=company, actor=affairs.user, membership=affairs, data=data)
        for data in CATALOGUE
    }

    def apply(
        member: Membership, code: str, days_ago: int, amount: int, detail: str, **kw: int
    ) -> BenefitUse:
        return services.apply_benefit(
            company=company,
            actor=member.user,
            membership=member,
            benefit=benefits[code],
            used_on=today - timedelta(days=days_ago),
            amount=amount,
            detail=detail,
            **kw,
        )

    # 住宅手当: 総務 registers the last three months for the demo employee (no approval needed)
    own = people_selectors.own_employee_record(company=company, membership=employee)
    if own is not None:
        first = today.replace(day=1)
        for months_ago in (2, 1, 0):
            month = add_months(first, -months_ago)
            services.apply_benefit(
                company=company,
                actor=affairs.user,
                membership=affairs,
                benefit=benefits["HOUSE"],
                used_on=month,
                amount=20000,
                detail=f"{month:%Y年%m月分} 家賃補助",
                employee_id=own.pk,
            )
    # 資格取得支援: approved by the 所属長 and 総務
    passed = apply(employee, "QUAL", 45, 7500, "基本情報技術者試験 受験料")
    _decide(manager, passed)
    _decide(affairs, passed)
    # 保養所: waiting for the demo manager
    apply(employee, "RESORT", -20, 0, "箱根保養所 1泊(家族2名同伴)")
    # 保養所: withdrawn (the dates changed)
    withdrawn = apply(employee, "RESORT", -10, 0, "箱根保養所 1泊")
    services.withdraw_benefit_use(company=company, actor=employee.user, membership=employee, use=withdrawn)
    # 慶弔見舞金: the manager's own, decided by their 所属長 (admin); one rejected
    wedding = apply(manager, "CONDO", 20, 30000, "結婚祝金(本人の結婚)")
    _decide(admin, wedding)
    _decide(affairs, wedding)
    course = apply(manager, "QUAL", 10, 120000 - 30000, "MBA通信講座 受講料")
    _decide(admin, course, "reject", reason="資格の取得に当たらないため、研修制度で申請してください。")
