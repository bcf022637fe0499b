"""福利厚生: the catalogue, applying (eligibility, limits counting pending uses), the approval flow
through the engine (所属長 → 総務), withdrawal, 差し戻し and resubmission; refusals write nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.affairs.models import Benefit, BenefitUse, BenefitUseStatus
from ennoshita.affairs.selectors import welfare as selectors
from ennoshita.affairs.services import welfare as services
from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.approvals.models import ApprovalRequest
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people.models import Department, EmploymentType

from ..conftest import make_employee, make_member

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- fixtures
@pytest.fixture
def boss(company, hr, department, employee_member):
    m = make_member(company, "boss", ["manager"], last_name="上司", first_name="一郎")
    make_employee(company, hr, department, number="M001", family_name="上司", user=m.user)
    Department.objects.filter(pk=department.pk).update(head=m.user.employee_records.get())
    return m


@pytest.fixture
def affairs(company):
    return make_member(company, "soumu", ["affairs"], last_name="総務", first_name="三郎")


def benefit_input(**kw):
    fields = {
        "code": "QUAL",
        "name": "資格取得支援",
        "category": "qualification",
        "description": "業務に関わる資格の受験料と教材費を補助します。",
        "eligible_employment_types": ["regular", "contract"],
        "min_service_months": 6,
        "yearly_amount_limit": Decimal(100000),
        "yearly_count_limit": None,
        "requires_approval": True,
    }
    fields.update(kw)
    return services.BenefitInput(**fields)


def make_benefit(member, **kw):
    return services.create_benefit(
        company=member.company, actor=member.user, membership=member, data=benefit_input(**kw)
    )


@pytest.fixture
def qualification(affairs):
    return make_benefit(affairs)


@pytest.fixture
def resort(affairs):
    return make_benefit(
        affairs,
        code="RESORT",
        name="保養所",
        category="resort",
        yearly_amount_limit=None,
        yearly_count_limit=2,
        min_service_months=0,
    )


@pytest.fixture
def housing(affairs):
    return make_benefit(
        affairs,
        code="HOUSE",
        name="住宅手当",
        category="housing",
        yearly_amount_limit=None,
        eligible_employment_types=["regular"],
        min_service_months=0,
        requires_approval=False,
    )


def today():
    return timezone.localdate()


def apply(member, benefit, amount=30000, used_on=None, **kw):
    return services.apply_benefit(
        company=member.company,
        actor=member.user,
        membership=member,
        benefit=benefit,
        used_on=used_on or today(),
        amount=amount,
        detail=kw.pop("detail", "基本情報技術者試験"),
        **kw,
    )


def approval(use):
    return approval_selectors.request_for(
        company=use.company, request_type="affairs.benefit", object_id=use.pk
    )


def decide(member, use, action="approve", **kw):
    getattr(approval_services, action)(
        company=member.company, actor=member.user, membership=member, request=approval(use), **kw
    )
    use.refresh_from_db()
    return use


def nothing_written(company):
    return (
        not BenefitUse.objects.for_company(company).exists()
        and not ApprovalRequest.objects.for_company(company).exists()
    )


# ---------------------------------------------------------------------------- the catalogue
def test_the_catalogue_is_kept_by_affairs_and_audited(company, affairs, qualification):
    assert qualification.eligible_employment_types == ["contract", "regular"]
    changed = services.update_benefit(
        company=company,
        actor=affairs.user,
        membership=affairs,
        benefit=qualification,
        data=benefit_input(yearly_amount_limit=Decimal(150000)),
    )
    assert changed.yearly_amount_limit == Decimal(150000)
    services.set_benefit_active(
        company=company, actor=affairs.user, membership=affairs, benefit=qualification, active=False
    )
    qualification.refresh_from_db()
    assert not qualification.is_active
    actions = list(
        AuditEvent.objects.filter(object_type="affairs.benefit", object_id=str(qualification.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "deactivate"]
    update = AuditEvent.objects.get(object_type="affairs.benefit", action="update")
    assert update.changes["fields"] == {"yearly_amount_limit": ["100000", "150000"]}


def test_bad_catalogue_input_is_refused_on_its_field(company, affairs, qualification):
    cases = [
        ({"code": "QUAL"}, "code"),  # taken
        ({"code": " "}, "code"),
        ({"name": ""}, "name"),
        ({"category": "nope"}, "category"),
        ({"eligible_employment_types": ["regular", "astronaut"]}, "eligible_employment_types"),
        ({"min_service_months": -1}, "min_service_months"),
        ({"yearly_amount_limit": Decimal("0.5")}, "yearly_amount_limit"),
        ({"yearly_amount_limit": Decimal(0)}, "yearly_amount_limit"),
        ({"yearly_count_limit": 0}, "yearly_count_limit"),
    ]
    for kw, field in cases:
        kw.setdefault("code", "NEW")
        with pytest.raises(ServiceError) as refused:
            make_benefit(affairs, **kw)
        assert field in refused.value.field_errors, kw
    assert Benefit.objects.for_company(company).count() == 1


def test_only_admin_affairs_and_hr_keep_the_catalogue(company, employee_member, boss, hr):
    for member in (employee_member, boss):
        with pytest.raises(PermissionDeniedError):
            make_benefit(member)
    assert not Benefit.objects.for_company(company).exists()
    assert make_benefit(hr).code == "QUAL"


# ---------------------------------------------------------------------------- applying
def test_the_approval_flow_manager_then_affairs(company, employee_member, boss, affairs, qualification):
    use = apply(employee_member, qualification, amount=30000)
    assert use.status == BenefitUseStatus.PENDING
    year = selectors.current_fiscal_year(company=company)
    assert use.fiscal_year == year
    request = approval(use)
    assert request.amount == Decimal(30000)
    assert request.url == f"/affairs/welfare/uses/{use.pk}/"
    assert request.department_id == use.employee.placements.get().department_id
    assert approval_selectors.open_approver_ids(request) == {boss.user_id}
    decide(boss, use)
    assert use.status == BenefitUseStatus.PENDING  # 総務 next
    assert approval_selectors.open_approver_ids(approval(use)) == {affairs.user_id}
    decide(affairs, use)
    assert use.status == BenefitUseStatus.APPROVED and use.decided_at is not None
    events = list(
        AuditEvent.objects.filter(object_type="affairs.benefituse", object_id=str(use.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert events == ["submit", "approve"]


def test_a_rejected_use_does_not_count(company, employee_member, boss, affairs, qualification):
    use = apply(employee_member, qualification, amount=90000)
    decide(boss, use, "reject", reason="業務に関係しない資格です。")
    assert use.status == BenefitUseStatus.REJECTED and use.decided_at is not None
    # the whole limit is free again
    assert apply(employee_member, qualification, amount=100000).status == BenefitUseStatus.PENDING


def test_pending_uses_count_against_the_amount_limit(company, employee_member, boss, qualification):
    apply(employee_member, qualification, amount=60000)
    with pytest.raises(ServiceError) as refused:
        apply(employee_member, qualification, amount=40001)
    assert refused.value.code == "over_limit"
    assert "残りは40,000円" in refused.value.field_errors["amount"][0]
    assert BenefitUse.objects.for_company(company).count() == 1
    assert ApprovalRequest.objects.for_company(company).count() == 1
    assert apply(employee_member, qualification, amount=40000).status == BenefitUseStatus.PENDING


def test_the_count_limit_counts_pending_and_approved(company, employee_member, boss, affairs, resort):
    first = apply(employee_member, resort, amount=0)
    decide(boss, first)
    decide(affairs, first)
    apply(employee_member, resort, amount=0)  # pending
    with pytest.raises(ServiceError) as refused:
        apply(employee_member, resort, amount=0)
    assert "2回" in refused.value.field_errors["used_on"][0]
    assert BenefitUse.objects.for_company(company).count() == 2


def test_limits_are_per_fiscal_year(company, employee_member, boss, resort):
    this_year = selectors.current_fiscal_year(company=company)
    _start, end = selectors.rules.fiscal_year_bounds(this_year, start_month=company.fiscal_year_start_month)
    apply(employee_member, resort, amount=0)
    apply(employee_member, resort, amount=0)
    next_year = apply(employee_member, resort, amount=0, used_on=end + timedelta(days=1))
    assert next_year.fiscal_year == this_year + 1


def test_without_approval_the_use_is_approved_at_once(company, employee_member, housing):
    use = apply(employee_member, housing, amount=20000, detail="家賃の補助")
    assert use.status == BenefitUseStatus.APPROVED and use.decided_at is not None
    assert not ApprovalRequest.objects.for_company(company).exists()
    assert AuditEvent.objects.get(object_type="affairs.benefituse").action == "create"


def test_ineligible_applications_write_nothing(
    company, hr, department, boss, affairs, qualification, housing
):
    part = make_member(company, "part1", ["employee"])
    make_employee(
        company,
        hr,
        department,
        number="P001",
        family_name="短時間",
        user=part.user,
        hire_date=today() - timedelta(days=40),
        employment_type=EmploymentType.objects.for_company(company).get(code="part_time"),
    )
    before = AuditEvent.objects.filter(company=company).count()
    with pytest.raises(ServiceError) as refused:
        apply(part, qualification, amount=1000)
    assert refused.value.code == "not_eligible"
    assert refused.value.field_errors["used_on"] == [
        "この制度は、あなたの雇用形態では利用できません。",
        "勤続6か月以上で利用できます(利用日の勤続は1か月です)。",
    ]
    with pytest.raises(ServiceError):
        apply(part, housing, amount=1000)
    assert nothing_written(company)
    assert AuditEvent.objects.filter(company=company).count() == before


def test_bad_input_and_inactive_benefits_are_refused(company, employee_member, boss, affairs, qualification):
    cases = [
        ({"amount": Decimal("100.5")}, "amount"),
        ({"amount": -1}, "amount"),
        ({"amount": 0}, "amount"),  # a benefit with an amount limit needs an amount
        ({"used_on": today() + timedelta(days=400)}, "used_on"),
        ({"used_on": date(2019, 4, 1)}, "used_on"),  # before the hire date
        ({"detail": "あ" * 2001}, "detail"),
    ]
    for kw, field in cases:
        with pytest.raises(ServiceError) as refused:
            apply(employee_member, qualification, **kw)
        assert field in refused.value.field_errors, kw
    services.set_benefit_active(
        company=company, actor=affairs.user, membership=affairs, benefit=qualification, active=False
    )
    with pytest.raises(ServiceError) as refused:
        apply(employee_member, qualification)
    assert refused.value.code == "inactive"
    assert nothing_written(company)


def test_no_approver_refuses_and_writes_nothing(company, employee_member, affairs, qualification):
    # the department has no 所属長
    with pytest.raises(ServiceError) as refused:
        apply(employee_member, qualification)
    assert refused.value.code == "no_approver"
    assert nothing_written(company)


def test_affairs_applies_on_behalf_an_employee_may_not(
    company, employee_member, boss, affairs, hr, qualification
):
    boss_employee = boss.user.employee_records.get()
    with pytest.raises(PermissionDeniedError):
        apply(employee_member, qualification, employee_id=boss_employee.pk)
    with pytest.raises(PermissionDeniedError):
        apply(hr, qualification, employee_id=boss_employee.pk)  # 人事 keeps the catalogue, 総務 applies
    employee = employee_member.user.employee_records.get()
    use = apply(affairs, qualification, employee_id=employee.pk)
    assert use.employee_id == employee.pk and use.applicant_id == affairs.user_id
    # the employee's 所属長 decides; the applying 総務 member cannot decide the 総務 step
    assert approval_selectors.open_approver_ids(approval(use)) == {boss.user_id}
    assert AuditEvent.objects.get(object_type="affairs.benefituse").changes["extra"] == {"on_behalf": True}


def test_another_companys_benefit_or_employee_is_not_found(company, employee_member, affairs, outsider, boss):
    theirs = make_benefit(outsider)
    with pytest.raises(NotFound):
        apply(employee_member, theirs)
    their_employee = make_employee(
        outsider.company,
        outsider,
        Department.objects.create(company=outsider.company, code="9", name="よそ"),
        number="X1",
    )
    mine = make_benefit(affairs)
    with pytest.raises(NotFound):
        apply(affairs, mine, employee_id=their_employee.pk)
    assert nothing_written(company)


# ---------------------------------------------------------------------------- withdraw, 差し戻し
def test_the_employee_withdraws_and_the_limit_frees(company, employee_member, boss, qualification):
    use = apply(employee_member, qualification, amount=100000)
    withdrawn = services.withdraw_benefit_use(
        company=company, actor=employee_member.user, membership=employee_member, use=use
    )
    assert withdrawn.status == BenefitUseStatus.WITHDRAWN
    assert approval(use).status == "withdrawn"
    assert not approval_selectors.open_approver_ids(approval(use))
    assert apply(employee_member, qualification, amount=100000).status == BenefitUseStatus.PENDING


def test_withdrawing_what_affairs_applied_for(company, employee_member, boss, affairs, qualification):
    employee = employee_member.user.employee_records.get()
    use = apply(affairs, qualification, employee_id=employee.pk)
    services.withdraw_benefit_use(
        company=company, actor=employee_member.user, membership=employee_member, use=use
    )
    use.refresh_from_db()
    assert use.status == BenefitUseStatus.WITHDRAWN
    assert approval_selectors.history(company=company, request=approval(use))[-1].comment == (
        "本人が取り下げました。"
    )


def test_who_may_not_withdraw(company, employee_member, boss, affairs, qualification, housing):
    use = apply(employee_member, qualification)
    stranger = make_member(company, "stranger", ["employee"])
    with pytest.raises(NotFound):
        services.withdraw_benefit_use(company=company, actor=stranger.user, membership=stranger, use=use)
    decide(boss, use)
    decide(affairs, use)
    with pytest.raises(ServiceError) as refused:  # approved: too late
        services.withdraw_benefit_use(
            company=company, actor=employee_member.user, membership=employee_member, use=use
        )
    assert refused.value.code == "bad_state"
    direct = apply(employee_member, housing, amount=20000)
    with pytest.raises(ServiceError):
        services.withdraw_benefit_use(
            company=company, actor=employee_member.user, membership=employee_member, use=direct
        )


def test_sent_back_then_corrected_and_resubmitted(company, employee_member, boss, affairs, qualification):
    use = apply(employee_member, qualification, amount=90000)
    decide(boss, use, "send_back", reason="領収書の金額と違います。")
    assert use.status == BenefitUseStatus.DRAFT
    # a 下書き does not count: the whole limit is free for another application meanwhile
    assert (
        selectors.counted_usage(
            company=company,
            employee_id=use.employee_id,
            benefit_id=qualification.pk,
            fiscal_year=use.fiscal_year,
        ).count
        == 0
    )
    resubmitted = services.resubmit_benefit_use(
        company=company,
        actor=employee_member.user,
        membership=employee_member,
        use=use,
        used_on=use.used_on,
        amount=80000,
        detail="修正しました",
    )
    assert resubmitted.status == BenefitUseStatus.PENDING and resubmitted.amount == Decimal(80000)
    assert approval(use).round == 2 and approval(use).amount == Decimal(80000)
    decide(boss, use)
    decide(affairs, use)
    assert use.status == BenefitUseStatus.APPROVED
    actions = list(
        AuditEvent.objects.filter(object_type="affairs.benefituse", object_id=str(use.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["submit", "send_back", "resubmit", "approve"]


def test_a_resubmission_over_the_limit_is_refused(company, employee_member, boss, qualification):
    use = apply(employee_member, qualification, amount=50000)
    decide(boss, use, "send_back", reason="直してください")
    apply(employee_member, qualification, amount=60000)
    with pytest.raises(ServiceError) as refused:
        services.resubmit_benefit_use(
            company=company,
            actor=employee_member.user,
            membership=employee_member,
            use=use,
            used_on=use.used_on,
            amount=50000,
        )
    assert "amount" in refused.value.field_errors
    use.refresh_from_db()
    assert use.status == BenefitUseStatus.DRAFT and approval(use).status == "returned"
