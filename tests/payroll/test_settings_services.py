"""給与の設定, 支給グループ and 支給・控除項目 through their services: what is refused writes nothing,
every write is audited, only 人事・経理・管理者 may write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll.models import PayGroup, PayItem, PayrollRun, PayrollSettings, Payslip, PayslipLine
from ennoshita.payroll.selectors.settings import payroll_settings_of
from ennoshita.payroll.services import settings as services
from ennoshita.payroll.services.employee_pay import ProfileInput, set_employee_item, set_pay_profile

from ..conftest import make_employee, make_member
from .factories import make_group, make_profile

pytestmark = pytest.mark.django_db

GOOD = services.SettingsInput(
    prefecture="大阪府",
    annual_scheduled_hours=Decimal("2040"),
    transfer_requester_code="1234567890",
    transfer_requester_name="カブシキガイシャ　テスト",
    transfer_bank_code="0001",
    transfer_branch_code="001",
    transfer_account_type="1",
    transfer_account_number="12345",
)


def w(m):
    return {"company": m.company, "actor": m.user, "membership": m}


def events(company, **kw):
    return AuditEvent.objects.filter(company=company, **kw).count()


# ============================================================================ 給与の設定
def test_settings_are_made_on_first_read_and_saved_converted(company, hr):
    assert payroll_settings_of(company=company).prefecture == "東京都"
    row = services.update_payroll_settings(**w(hr), data=GOOD)
    assert row.prefecture == "大阪府"
    assert row.transfer_requester_name == "ｶ)ﾃｽﾄ"  # bank_kana: 株式会社 → ｶ), half-width
    assert row.transfer_account_number == "0012345"  # 7 digits, zero-filled
    assert events(company, object_type="payroll.payrollsettings", action="update") == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"prefecture": "東京"}, "prefecture"),  # not one of the 47 names as the table has them
        ({"prefecture": "ニューヨーク"}, "prefecture"),
        ({"annual_scheduled_hours": Decimal(0)}, "annual_scheduled_hours"),
        # 40 × 365 ÷ 7 = 2,085.71…: 2,085.7 is the most, 2,085.8 is over 労基法32条
        ({"annual_scheduled_hours": Decimal("2085.8")}, "annual_scheduled_hours"),
        ({"transfer_bank_code": "12"}, "transfer_bank_code"),
        ({"transfer_bank_code": "9998"}, "transfer_bank_code"),  # no such bank
        ({"transfer_branch_code": "999"}, "transfer_branch_code"),  # no such branch of みずほ
        ({"transfer_account_number": "12345678"}, "transfer_account_number"),
        ({"transfer_account_number": "12a"}, "transfer_account_number"),
        ({"transfer_requester_name": "山田商店"}, "transfer_requester_name"),  # kanji
        ({"transfer_requester_code": "123"}, "transfer_requester_code"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(company, hr, change, field):
    before = payroll_settings_of(company=company)
    data = services.SettingsInput(**{**GOOD.__dict__, **change})
    with pytest.raises(ServiceError) as exc:
        services.update_payroll_settings(**w(hr), data=data)
    assert field in exc.value.field_errors
    assert PayrollSettings.objects.get(company=company).prefecture == before.prefecture == "東京都"
    assert events(company, object_type="payroll.payrollsettings") == 0


def test_the_most_hours_the_law_allows_is_accepted(company, hr):
    data = services.SettingsInput(**{**GOOD.__dict__, "annual_scheduled_hours": Decimal("2085.7")})
    assert services.update_payroll_settings(**w(hr), data=data).annual_scheduled_hours == Decimal("2085.7")


def test_only_settings_roles_write(company, hr, employee_member):
    accountant = make_member(company, "acc1", ["accounting"])
    services.update_payroll_settings(**w(accountant), data=GOOD)
    with pytest.raises(PermissionDeniedError):
        services.update_payroll_settings(**w(employee_member), data=services.SettingsInput())
    with pytest.raises(PermissionDeniedError):
        services.create_pay_group(**w(employee_member), data=services.PayGroupInput(code="x", name="x"))
    assert not PayGroup.objects.for_company(company).exists()


# ============================================================================ 支給グループ
def test_groups_are_checked(company, hr):
    group = services.create_pay_group(
        **w(hr),
        data=services.PayGroupInput(
            code="hourly", name="時給者", closing_day=15, pay_day=0, pay_month_offset=0
        ),
    )
    assert (group.closing_day, group.pay_day, group.pay_month_offset) == (15, 0, 0)
    for bad, field in (
        ({"closing_day": 32}, "closing_day"),
        ({"pay_day": -1}, "pay_day"),
        ({"pay_month_offset": 2}, "pay_month_offset"),
        ({"code": "hourly"}, "code"),  # taken
        ({"code": "時給"}, "code"),
        ({"name": ""}, "name"),
    ):
        args = {"code": "monthly", "name": "月給者", **bad}
        with pytest.raises(ServiceError) as exc:
            services.create_pay_group(**w(hr), data=services.PayGroupInput(**args))
        assert field in exc.value.field_errors
    assert PayGroup.objects.for_company(company).count() == 1
    assert events(company, object_type="payroll.paygroup") == 1


def test_a_group_someone_is_in_cannot_be_deactivated(company, hr, department):
    group = make_group(company)
    other = make_group(company, code="officers", name="役員")
    employee = make_employee(company, hr, department, number="0100")
    make_profile(employee, hr.user, group)
    data = services.PayGroupInput(code="monthly", name="月給者", is_active=False)
    with pytest.raises(ServiceError) as exc:
        services.update_pay_group(**w(hr), pay_group_id=group.pk, data=data)
    assert "1人が所属" in exc.value.field_errors["is_active"][0]
    group.refresh_from_db()
    assert group.is_active
    # moved to another group from this month on: the old group is free (the past rows stay)
    month = date.today().replace(day=1)
    make_profile(employee, hr.user, other, effective_from=month)
    services.update_pay_group(**w(hr), pay_group_id=group.pk, data=data)
    group.refresh_from_db()
    assert not group.is_active


def test_a_future_row_also_counts_as_being_in_the_group(company, hr, department):
    group = make_group(company)
    employee = make_employee(company, hr, department, number="0101")
    make_profile(employee, hr.user, group, effective_from=date(2999, 1, 1))
    data = services.PayGroupInput(code="monthly", name="月給者", is_active=False)
    with pytest.raises(ServiceError):
        services.update_pay_group(**w(hr), pay_group_id=group.pk, data=data)


# ============================================================================ 支給・控除項目
def test_default_items_are_seeded_once(company, hr):
    first = services.ensure_default_items(company)
    assert [i.code for i in first][:2] == ["position", "family"]
    names = {i.code: i for i in first}
    assert names["family"].premium_base is False and names["housing"].premium_base is False
    assert names["position"].premium_base is True and names["perfect_attendance"].premium_base is True
    assert names["union_dues"].kind == "deduction" and names["union_dues"].taxable is False
    assert len(first) == 8
    assert events(company, object_type="payroll.payitem") == 8
    again = services.ensure_default_items(company)
    assert [i.pk for i in again] == [i.pk for i in first]
    assert events(company, object_type="payroll.payitem") == 8


def test_a_company_with_its_own_items_gets_no_defaults(company, hr):
    PayItem.objects.create(company=company, code="own", name="独自手当", kind="payment")
    assert [i.code for i in services.ensure_default_items(company)] == ["own"]


def _item(**kw):
    base = {"code": "night_duty", "name": "宿直手当", "kind": "payment"}
    return services.PayItemInput(**{**base, **kw})


def test_attendance_items_need_a_known_key_and_a_rate(company, hr):
    item = services.create_pay_item(
        **w(hr), data=_item(source="attendance", attendance_key="days_worked", rate=Decimal("500"))
    )
    assert (item.attendance_key, item.rate) == ("days_worked", Decimal("500"))
    for kw, field in (
        ({"attendance_key": "salary", "rate": Decimal(1)}, "attendance_key"),
        ({"attendance_key": "overtime", "rate": Decimal(0)}, "rate"),
        ({"attendance_key": "overtime", "rate": Decimal("1.005")}, "rate"),
    ):
        with pytest.raises(ServiceError) as exc:
            services.create_pay_item(**w(hr), data=_item(code="x1", name="x1", source="attendance", **kw))
        assert field in exc.value.field_errors


def test_formula_items_are_checked(company, hr):
    services.ensure_default_items(company)
    item = services.create_pay_item(
        **w(hr), data=_item(code="extra", source="formula", formula="position × 0.5")
    )
    assert item.formula == "position * 0.5"
    for expr, message in (
        ("position.__class__", "属性"),
        ("nothing * 2", "「nothing」"),
        ("base2 + 1", "「base2」"),
        ("extra2 + 1", "自分自身"),
    ):
        data = _item(code="extra2", name="追加2", source="formula", formula=expr)
        with pytest.raises(ServiceError) as exc:
            services.create_pay_item(**w(hr), data=data)
        assert message in exc.value.field_errors["formula"][0]
    # a cycle: extra2 = extra + 1, then extra = extra2 × 2
    services.create_pay_item(
        **w(hr), data=_item(code="extra2", name="追加2", source="formula", formula="extra + 1")
    )
    with pytest.raises(ServiceError) as exc:
        services.update_pay_item(
            **w(hr), pay_item_id=item.pk, data=_item(code="extra", source="formula", formula="extra2 * 2")
        )
    assert "循環参照" in exc.value.field_errors["formula"][0]
    item.refresh_from_db()
    assert item.formula == "position * 0.5"


def test_deduction_flags_are_not_kept_and_codes_must_be_names(company, hr):
    item = services.create_pay_item(**w(hr), data=_item(code="rent", name="家賃", kind="deduction"))
    assert (item.taxable, item.social_insurance, item.employment_insurance, item.premium_base) == (
        False,
        False,
        False,
        False,
    )
    for code in ("base", "min", "1x", "役職", ""):
        with pytest.raises(ServiceError) as exc:
            services.create_pay_item(**w(hr), data=_item(code=code, name=f"n{code}"))
        assert "code" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        services.update_pay_item(
            **w(hr), pay_item_id=item.pk, data=_item(code="other", name="家賃", kind="deduction")
        )
    assert "code" in exc.value.field_errors


def test_items_in_use_are_not_deleted(company, hr, department):
    items = {i.code: i for i in services.ensure_default_items(company)}
    group = make_group(company)
    employee = make_employee(company, hr, department, number="0200")
    # set for an employee: refused
    set_employee_item(
        **w(hr),
        employee_id=employee.pk,
        item_id=items["position"].pk,
        effective_from=date(2026, 4, 1),
        amount=Decimal(10000),
    )
    with pytest.raises(ServiceError, match="社員に設定"):
        services.delete_pay_item(**w(hr), pay_item_id=items["position"].pk)
    # on a payslip (line code item:<code>): refused
    run = PayrollRun.objects.create(
        company=company,
        pay_group=group,
        pay_month=date(2026, 5, 1),
        closing_date=date(2026, 4, 30),
        pay_date=date(2026, 5, 25),
        withholding_method="table",
        created_by=hr.user,
    )
    slip = Payslip.objects.create(
        company=company, run=run, employee=employee, employee_number="0200", pay_type="monthly"
    )
    PayslipLine.objects.create(
        company=slip.company,
        payslip=slip,
        kind="payment",
        code="item:qualification",
        name="資格手当",
        amount=5000,
    )
    with pytest.raises(ServiceError) as exc:
        services.delete_pay_item(**w(hr), pay_item_id=items["qualification"].pk)
    assert exc.value.code == "in_use" and "給与明細" in exc.value.message
    # named by an active formula: refused, and it cannot be deactivated either
    services.create_pay_item(
        **w(hr), data=_item(code="calc", name="計算", source="formula", formula="housing * 2")
    )
    with pytest.raises(ServiceError, match="計算式で使われ"):
        services.delete_pay_item(**w(hr), pay_item_id=items["housing"].pk)
    with pytest.raises(ServiceError) as exc:
        services.update_pay_item(
            **w(hr),
            pay_item_id=items["housing"].pk,
            data=_item(code="housing", name="住宅手当", is_active=False),
        )
    assert "is_active" in exc.value.field_errors
    assert PayItem.objects.for_company(company).count() == 9
    # an unused one goes, audited
    services.delete_pay_item(**w(hr), pay_item_id=items["savings"].pk)
    assert not PayItem.objects.filter(pk=items["savings"].pk).exists()
    assert events(company, object_type="payroll.payitem", action="delete") == 1


def test_a_fixed_item_only_is_set_per_employee(company, hr, department):
    services.ensure_default_items(company)
    calc = services.create_pay_item(
        **w(hr), data=_item(code="calc", name="計算", source="formula", formula="base / 10")
    )
    employee = make_employee(company, hr, department, number="0300")
    with pytest.raises(ServiceError) as exc:
        set_employee_item(
            **w(hr),
            employee_id=employee.pk,
            item_id=calc.pk,
            effective_from=date(2026, 4, 1),
            amount=Decimal(1),
        )
    assert "item_id" in exc.value.field_errors


def test_profile_input_defaults_are_sane(company, hr, department):
    """The ProfileInput defaults make a valid 月給 row (used by the API and the screen)."""
    group = make_group(company)
    employee = make_employee(company, hr, department, number="0400")
    saved = set_pay_profile(
        **w(hr),
        employee_id=employee.pk,
        data=ProfileInput(effective_from=date(2026, 4, 1), pay_group_id=group.pk),
    )
    assert saved.profile.pay_type == "monthly" and not saved.replaced
