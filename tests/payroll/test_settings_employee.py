"""社員の給与設定 through the services: a row from a month (a later month allowed, the same month
replaced with before/after audited), each refusal writing nothing, the grade from the rules, and
住民税 figures that must add up."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll import rules
from ennoshita.payroll.models import EmployeePayItem, PayProfile, ResidentTax, StandardRemuneration
from ennoshita.payroll.selectors import settings as selectors
from ennoshita.payroll.services import employee_pay as services
from ennoshita.payroll.services.resident_tax_import import (
    ResidentTaxInput,
    municipality_code_ok,
    set_resident_tax,
)
from ennoshita.payroll.services.settings import ensure_default_items

from ..conftest import make_employee, make_member
from .factories import make_group

pytestmark = pytest.mark.django_db


def w(m):
    return {"company": m.company, "actor": m.user, "membership": m}


@pytest.fixture
def group(company):
    return make_group(company)


@pytest.fixture
def employee(company, hr, department):
    return make_employee(company, hr, department, number="1001", family_name="山田", given_name="太郎")


def profile(group, **kw):
    return services.ProfileInput(
        **{
            "effective_from": date(2026, 4, 1),
            "pay_group_id": group.pk,
            "base_pay": Decimal(300_000),
            "si_acquired_on": date(2020, 4, 1),
            "ei_acquired_on": date(2020, 4, 1),
            **kw,
        }
    )


def test_a_raise_for_a_later_month_takes_effect_then(company, hr, group, employee):
    services.set_pay_profile(**w(hr), employee_id=employee.pk, data=profile(group))
    services.set_pay_profile(
        **w(hr),
        employee_id=employee.pk,
        data=profile(group, effective_from=date(2026, 7, 1), base_pay=Decimal(320_000)),
    )
    assert (
        selectors.profile_in_force(company=company, employee_id=employee.pk, on=date(2026, 6, 30)).base_pay
        == 300_000
    )
    assert (
        selectors.profile_in_force(company=company, employee_id=employee.pk, on=date(2026, 7, 1)).base_pay
        == 320_000
    )
    assert selectors.profile_in_force(company=company, employee_id=employee.pk, on=date(2026, 3, 31)) is None


def test_the_same_month_is_replaced_and_audited_with_before_and_after(company, hr, group, employee):
    first = services.set_pay_profile(**w(hr), employee_id=employee.pk, data=profile(group))
    again = services.set_pay_profile(
        **w(hr), employee_id=employee.pk, data=profile(group, base_pay=Decimal(310_000))
    )
    assert again.replaced and again.profile.pk == first.profile.pk
    assert PayProfile.objects.filter(employee=employee).count() == 1
    event = (
        AuditEvent.objects.filter(company=company, object_type="payroll.payprofile").order_by("-seq").first()
    )
    assert event.action == "update"
    assert event.changes["fields"]["base_pay"] == ["300000", "310000"]


def test_otsu_ignores_dependents_and_says_so(company, hr, group, employee):
    saved = services.set_pay_profile(
        **w(hr), employee_id=employee.pk, data=profile(group, tax_column="乙", dependents=2)
    )
    assert saved.profile.dependents == 0
    assert saved.notices == ["乙欄では扶養親族等の数を数えないため、0人にしました。"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"base_pay": Decimal(-1)}, "base_pay"),
        ({"base_pay": Decimal("1000.5")}, "base_pay"),
        ({"effective_from": date(2026, 4, 15)}, "effective_from"),
        ({"si_lost_on": date(2019, 12, 31)}, "si_lost_on"),  # before 取得日 2020-04-01
        ({"ei_acquired_on": None, "ei_lost_on": date(2026, 1, 1)}, "ei_acquired_on"),
        ({"is_officer": True}, "employment_insured"),  # 役員 with 雇用保険: refused
        ({"split_bank_code": "0001"}, "split_branch_code"),  # half an account
        ({"split_amount": Decimal(10_000)}, "split_amount"),  # an amount with no account
        ({"commute_exempt_limit": Decimal(150_001)}, "commute_exempt_limit"),
        ({"dependents": 31}, "dependents"),
        ({"tax_column": "丙"}, "tax_column"),
        ({"pay_type": "weekly"}, "pay_type"),
    ],
)
def test_bad_profiles_are_refused_and_nothing_is_written(company, hr, group, employee, change, field):
    with pytest.raises(ServiceError) as exc:
        services.set_pay_profile(**w(hr), employee_id=employee.pk, data=profile(group, **change))
    assert field in exc.value.field_errors, exc.value.field_errors
    assert not PayProfile.objects.filter(employee=employee).exists()
    assert not AuditEvent.objects.filter(company=company, object_type="payroll.payprofile").exists()


def test_the_officer_message(company, hr, group, employee):
    with pytest.raises(ServiceError) as exc:
        services.set_pay_profile(**w(hr), employee_id=employee.pk, data=profile(group, is_officer=True))
    assert exc.value.field_errors["employment_insured"] == ["役員は雇用保険の被保険者になりません。"]
    saved = services.set_pay_profile(
        **w(hr), employee_id=employee.pk, data=profile(group, is_officer=True, employment_insured=False)
    )
    assert saved.profile.is_officer and not saved.profile.employment_insured


SPLIT = {
    "split_bank_code": "0005",
    "split_branch_code": "001",
    "split_account_type": "1",
    "split_account_number": "1234",
    "split_account_holder_kana": "やまだ　たろう",
    "split_amount": Decimal(30_000),
}


def test_a_split_account_is_kept_as_banks_need_it(company, hr, group, employee):
    saved = services.set_pay_profile(**w(hr), employee_id=employee.pk, data=profile(group, **SPLIT))
    p = saved.profile
    assert (p.split_account_number, p.split_account_holder_kana) == ("0001234", "ﾔﾏﾀﾞ ﾀﾛｳ")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"split_bank_code": "9998"}, "split_bank_code"),
        ({"split_branch_code": "998"}, "split_branch_code"),
        ({"split_account_number": "12345678"}, "split_account_number"),
        ({"split_account_holder_kana": "山田太郎"}, "split_account_holder_kana"),
        ({"split_amount": Decimal(0)}, "split_amount"),
        ({"split_account_type": ""}, "split_account_type"),
    ],
)
def test_bad_split_accounts_are_refused(company, hr, group, employee, change, field):
    with pytest.raises(ServiceError) as exc:
        services.set_pay_profile(**w(hr), employee_id=employee.pk, data=profile(group, **{**SPLIT, **change}))
    assert field in exc.value.field_errors
    assert not PayProfile.objects.filter(employee=employee).exists()


def test_inactive_or_foreign_groups_and_employees(company, hr, group, employee, other_company, outsider):
    foreign = make_group(other_company)
    with pytest.raises(ServiceError) as exc:
        services.set_pay_profile(**w(hr), employee_id=employee.pk, data=profile(foreign))
    assert "pay_group_id" in exc.value.field_errors
    with pytest.raises(NotFound):
        services.set_pay_profile(**w(outsider), employee_id=employee.pk, data=profile(foreign))
    employee_member = make_member(company, "emp9", ["employee"])
    with pytest.raises(PermissionDeniedError):
        services.set_pay_profile(**w(employee_member), employee_id=employee.pk, data=profile(group))
    assert not PayProfile.objects.exists()


def test_fixed_items_from_a_month_and_zero_ends_them(company, hr, employee):
    items = {i.code: i for i in ensure_default_items(company)}
    args = {**w(hr), "employee_id": employee.pk, "item_id": items["position"].pk}
    services.set_employee_item(**args, effective_from=date(2026, 4, 1), amount=Decimal(20_000))
    services.set_employee_item(**args, effective_from=date(2026, 10, 1), amount=Decimal(0))
    assert [
        r.amount
        for r in selectors.fixed_items_in_force(company=company, employee_id=employee.pk, on=date(2026, 9, 1))
    ] == [20_000]
    assert (
        selectors.fixed_items_in_force(company=company, employee_id=employee.pk, on=date(2026, 10, 1)) == []
    )
    with pytest.raises(ServiceError) as exc:
        services.set_employee_item(**args, effective_from=date(2026, 11, 1), amount=Decimal(-5))
    assert "amount" in exc.value.field_errors
    assert EmployeePayItem.objects.filter(employee=employee).count() == 2


def test_the_grade_comes_from_the_rules(company, hr, employee):
    row = services.set_standard_remuneration(
        **w(hr),
        employee_id=employee.pk,
        effective_from=date(2026, 9, 1),
        monthly_remuneration=Decimal(300_000),
        reason="annual",
    )
    # 報酬月額 300,000: 健保 22級 (290,000–310,000) 300,000円, 厚年 19級 300,000円 (jp-rules §2.2)
    assert (row.health_grade, row.health_standard, row.pension_grade, row.pension_standard) == (
        22,
        300_000,
        19,
        300_000,
    )
    # 700,000 from 2027-09: 健保 37級 710,000 (695,000–730,000); 厚年 the new 33級 680,000 (from 2027-09-01)
    later = services.set_standard_remuneration(
        **w(hr),
        employee_id=employee.pk,
        effective_from=date(2027, 9, 1),
        monthly_remuneration=Decimal(700_000),
        reason="annual",
    )
    grade = rules.standard_remuneration(monthly_remuneration=700_000, on=date(2027, 9, 1))
    assert (later.health_grade, later.pension_standard) == (grade.health_grade, grade.pension_standard)
    # replaced in the same month
    services.set_standard_remuneration(
        **w(hr),
        employee_id=employee.pk,
        effective_from=date(2026, 9, 1),
        monthly_remuneration=Decimal(250_000),
        reason="manual",
    )
    assert StandardRemuneration.objects.filter(employee=employee).count() == 2
    assert (
        StandardRemuneration.objects.get(employee=employee, effective_from=date(2026, 9, 1)).health_standard
        == 260_000
    )


def test_a_bad_grade_writes_nothing(company, hr, employee):
    for kw, field in (
        ({"effective_from": date(2020, 4, 1)}, "effective_from"),  # no 厚年 table loaded before 2020-09
        ({"reason": "guess"}, "reason"),
        ({"effective_from": date(2026, 9, 2)}, "effective_from"),
        ({"monthly_remuneration": Decimal(-1)}, "monthly_remuneration"),
    ):
        args = {
            "effective_from": date(2026, 9, 1),
            "monthly_remuneration": Decimal(300_000),
            "reason": "annual",
            **kw,
        }
        with pytest.raises(ServiceError) as exc:
            services.set_standard_remuneration(**w(hr), employee_id=employee.pk, **args)
        assert field in exc.value.field_errors
    assert not StandardRemuneration.objects.exists()


NOTICE = ResidentTaxInput(
    fiscal_year=2026,
    municipality_code="131016",
    municipality_name="千代田区",
    annual=Decimal(250_300),
    june=Decimal(21_500),
    monthly=Decimal(20_800),
)


def test_resident_tax_figures_must_add_up(company, hr, employee):
    # jp-rules §3: 250,300 → June 21,500 + 20,800 × 11 = 250,300
    row = set_resident_tax(**w(hr), employee_id=employee.pk, data=NOTICE)
    assert (row.june, row.monthly) == (21_500, 20_800)
    with pytest.raises(ServiceError) as exc:
        set_resident_tax(**w(hr), employee_id=employee.pk, data=replace(NOTICE, monthly=Decimal(20_900)))
    assert "合いません" in exc.value.field_errors["annual"][0]
    with pytest.raises(ServiceError) as exc:
        set_resident_tax(**w(hr), employee_id=employee.pk, data=replace(NOTICE, municipality_code="131017"))
    assert "municipality_code" in exc.value.field_errors
    assert ResidentTax.objects.get(employee=employee).monthly == 20_800
    # the same 年度 again replaces, audited as an update
    set_resident_tax(
        **w(hr),
        employee_id=employee.pk,
        data=replace(NOTICE, annual=Decimal(180_300), june=Decimal(15_300), monthly=Decimal(15_000)),
    )
    assert ResidentTax.objects.get(employee=employee).annual == 180_300
    assert (
        AuditEvent.objects.filter(company=company, object_type="payroll.residenttax", action="update").count()
        == 1
    )


def test_municipality_check_digits():
    # 千代田区 131016, 札幌市 011002, 大阪市 271004 (総務省 全国地方公共団体コード)
    assert (
        municipality_code_ok("131016") and municipality_code_ok("011002") and municipality_code_ok("271004")
    )
    assert not municipality_code_ok("131010") and not municipality_code_ok("13101")


def test_employee_list_annotates_what_is_in_force(
    company, hr, group, employee, department, django_assert_max_num_queries
):
    services.set_pay_profile(
        **w(hr), employee_id=employee.pk, data=profile(group, effective_from=date(2020, 4, 1))
    )
    services.set_standard_remuneration(
        **w(hr),
        employee_id=employee.pk,
        effective_from=date(2020, 9, 1),
        monthly_remuneration=Decimal(300_000),
        reason="acquisition",
    )
    for n in range(5):
        make_employee(company, hr, department, number=f"20{n:02d}", family_name="佐藤", given_name=f"花子{n}")
    with django_assert_max_num_queries(1):
        rows = list(selectors.employee_pay_list(company=company))
    first = rows[0]
    assert (first.number, first.p_base, first.p_group, first.g_health_grade) == (
        "1001",
        300_000,
        "月給者",
        22,
    )
    assert [r.p_from for r in rows[1:]] == [None] * 5
    assert [r.number for r in selectors.employee_pay_list(company=company, q="山田")] == ["1001"]
    assert [r.number for r in selectors.employee_pay_list(company=company, group=str(group.pk))] == ["1001"]
    assert len(selectors.employee_pay_list(company=company, group="none")) == 5
