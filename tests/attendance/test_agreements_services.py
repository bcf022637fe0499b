"""36協定: recording agreements (refusals write nothing; every change audited) and the daily check
(alerts once, mails to the employee, their 所属長 and 人事)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command

from ennoshita.attendance import agreement_selectors, timesheet_selectors
from ennoshita.attendance.models import MonthFigures, OvertimeAgreement, OvertimeAlert
from ennoshita.attendance.services import agreements as services
from ennoshita.attendance.tasks_agreements import check_all_companies
from ennoshita.core.audit import verify_company_chain
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people import services as people_services

from ..conftest import make_department, make_employee, make_member

pytestmark = pytest.mark.django_db

APRIL = date(2026, 4, 1)


def data(**kw) -> services.AgreementInput:
    args = {"name": "2026年度 全社", "start_date": APRIL, "end_date": date(2027, 3, 31)}
    args.update(kw)
    return services.AgreementInput(**args)


def record(member, **kw) -> OvertimeAgreement:
    return services.create_agreement(
        company=member.company, actor=member.user, membership=member, data=data(**kw)
    )


def events(company, action=None):
    qs = AuditEvent.objects.filter(company=company, object_type="attendance.overtimeagreement")
    return qs.filter(action=action) if action else qs


# ------------------------------------------------------------------------------ agreements


def test_hr_records_an_agreement_audited(hr):
    a = record(
        hr,
        special_clause=True,
        special_monthly_hours=Decimal("99.5"),
        special_yearly_hours=Decimal(720),
        special_months_allowed=6,
        warning_percent=75,
    )
    a.refresh_from_db()
    assert (a.monthly_limit_hours, a.yearly_limit_hours, a.special_monthly_hours) == (
        45,
        360,
        Decimal("99.5"),
    )
    assert a.special_months_allowed == 6 and a.warning_percent == 75 and a.created_by == hr.user
    (event,) = events(hr.company, "create")
    assert event.changes["fields"]["special_monthly_hours"] == [None, "99.5"]
    assert verify_company_chain(hr.company.pk) is None


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        (
            {"monthly_limit_hours": Decimal(46)},
            "monthly_limit_hours",
            "45時間以内にしてください(労基法36条4項)",
        ),
        (
            {"yearly_limit_hours": Decimal(361)},
            "yearly_limit_hours",
            "360時間以内にしてください(労基法36条4項)",
        ),
        (
            {
                "special_clause": True,
                "special_monthly_hours": Decimal(100),
                "special_yearly_hours": Decimal(720),
                "special_months_allowed": 6,
            },
            "special_monthly_hours",
            "100時間未満",
        ),
        (
            {
                "special_clause": True,
                "special_monthly_hours": Decimal(80),
                "special_yearly_hours": Decimal(721),
                "special_months_allowed": 6,
            },
            "special_yearly_hours",
            "720時間以内にしてください(労基法36条5項)",
        ),
        (
            {
                "special_clause": True,
                "special_monthly_hours": Decimal(80),
                "special_yearly_hours": Decimal(720),
                "special_months_allowed": 7,
            },
            "special_months_allowed",
            "6か月以内にしてください(労基法36条5項)",
        ),
        ({"end_date": APRIL}, "end_date", "起算日より後"),
        ({"end_date": date(2027, 4, 1)}, "end_date", "1年間まで"),
        ({"monthly_limit_hours": Decimal("40.25")}, "monthly_limit_hours", "小数点以下1桁"),
        ({"name": " "}, "name", "名称"),
    ],
)
def test_refusals_write_nothing(hr, kw, field, words):
    with pytest.raises(ServiceError) as caught:
        record(hr, **kw)
    assert words in " ".join(caught.value.field_errors[field])
    assert not OvertimeAgreement.objects.exists() and not events(hr.company).exists()


def test_overlapping_agreements_for_the_same_scope_are_refused(hr, department):
    first = record(hr)
    with pytest.raises(ServiceError) as caught:
        record(hr, name="重複", start_date=date(2027, 3, 1), end_date=date(2028, 2, 29))
    assert (
        "全社の36協定「2026年度 全社」(2026-04-01〜2027-03-31)と期間が重なっています"
        in (caught.value.field_errors["start_date"][0])
    )
    # a department's own agreement may overlap the company's; two of the same department may not
    record(hr, name="総務部", department_id=department.pk, monthly_limit_hours=Decimal(30))
    with pytest.raises(ServiceError):
        record(hr, name="総務部2", department_id=department.pk)
    record(hr, name="翌年度", start_date=date(2027, 4, 1), end_date=date(2028, 3, 31))
    assert OvertimeAgreement.objects.count() == 3 and first.pk


def test_only_hr_and_admins_record(employee_member, company):
    with pytest.raises(PermissionDeniedError):
        record(employee_member)
    assert not OvertimeAgreement.objects.exists()


def test_another_companys_department_is_not_found(hr, outsider):
    theirs = make_department(outsider.company, outsider, code="900", name="よその部")
    with pytest.raises(ServiceError) as caught:
        record(hr, department_id=theirs.pk)
    assert caught.value.field_errors["department"] == ["部署が見つかりません。"]
    assert not OvertimeAgreement.objects.exists()


def test_without_the_clause_its_figures_are_not_kept(hr):
    a = record(
        hr, special_monthly_hours=Decimal(80), special_yearly_hours=Decimal(700), special_months_allowed=6
    )
    assert (a.special_monthly_hours, a.special_yearly_hours, a.special_months_allowed) == (None, None, None)


def test_an_update_is_audited_and_a_refused_one_changes_nothing(hr):
    a = record(hr)
    kw = {"company": hr.company, "actor": hr.user, "membership": hr, "agreement": a}
    services.update_agreement(**kw, data=data(end_date=date(2026, 12, 31), monthly_limit_hours=Decimal(40)))
    (event,) = events(hr.company, "update")
    assert event.changes["fields"]["end_date"] == ["2027-03-31", "2026-12-31"]
    assert event.changes["fields"]["monthly_limit_hours"] == ["45.0", "40.0"]
    with pytest.raises(ServiceError):
        services.update_agreement(**kw, data=data(monthly_limit_hours=Decimal(50)))
    a.refresh_from_db()
    assert a.monthly_limit_hours == 40 and events(hr.company, "update").count() == 1


# ------------------------------------------------------------------------------ the check


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Mails leave after the commit; the test's transaction never commits, so run them at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture
def hours(monkeypatch):
    """The months' (時間外, 休日) hours by (employee id, month); zero when not given. Setting a
    month marks its stored figures stale, as every write to an employee's days does."""

    class Table(dict):
        def __setitem__(self, key, value):
            super().__setitem__(key, value)
            MonthFigures.objects.filter(employee_id=key[0], month=key[1]).update(fresh=False)

    table: dict[tuple[int, date], tuple[int, int]] = Table()

    def fake(*, company, employee_id, month):
        overtime, holiday = table.get((employee_id, month), (0, 0))
        return SimpleNamespace(overtime=int(overtime * 60), holiday=int(holiday * 60))

    monkeypatch.setattr(timesheet_selectors, "monthly_totals", fake)
    return table


@pytest.fixture
def office(company, hr, admin, department, employee_member):
    """総務部 (head: boss) with 社員 次郎 (E001) and 部下 (E002, no login); 営業部 with S001 (login);
    each person with an e-mail address."""
    for m, address in (
        (hr, "hr@example.jp"),
        (admin, "admin@example.jp"),
        (employee_member, "jiro@example.jp"),
    ):
        m.user.email = address
        m.user.save()
    boss = make_member(company, "boss", ["manager"], email="boss@example.jp")
    head = make_employee(company, hr, department, number="M001", family_name="上司", user=boss.user)
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=department, head=head
    )
    sales = make_department(company, hr, code="200", name="営業部")
    seller = make_member(company, "seller", ["employee"], email="seller@example.jp")
    make_employee(company, hr, sales, number="S001", family_name="営業", user=seller.user)
    make_employee(company, hr, department, number="E002", family_name="部下")
    record(hr)
    return {
        "jiro": employee_member.user.employee_records.get(),
        "boss": boss,
        "head": head,
        "sales": sales,
        "seller": seller,
    }


def _alerts():
    return sorted(
        (a.employee.number, f"{a.month:%Y-%m}", a.code, a.level)
        for a in OvertimeAlert.objects.select_related("employee")
    )


def test_a_warning_is_recorded_once_and_mailed_to_the_right_people(company, office, hours):
    jiro = office["jiro"]
    hours[(jiro.pk, APRIL)] = (36, 0)  # 36 / 45 = 80 %
    result = services.check_overtime_limits(company=company, as_of=date(2026, 4, 30))
    assert _alerts() == [("E001", "2026-04", "month_45", "warning")]
    assert result.checked == 4 and result.mails == 3
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["boss@example.jp", "hr@example.jp", "jiro@example.jp"]  # not the admin, not 営業
    own = next(m for m in mail.outbox if m.to == ["jiro@example.jp"])
    assert "/attendance/my-overtime/" in own.body and "36時間で、1か月の限度時間45時間の80%以上" in own.body
    boss = next(m for m in mail.outbox if m.to == ["boss@example.jp"])
    assert "/attendance/agreements/status/" in boss.body and "E001 社員 次郎" in boss.body
    alert = OvertimeAlert.objects.get()
    assert (alert.hours, alert.limit_hours) == (Decimal("36.00"), Decimal("45.00"))
    assert (
        AuditEvent.objects.filter(
            company=company, object_type="attendance.overtimealert", actor_label="check_overtime_limits"
        ).count()
        == 1
    )

    mail.outbox.clear()
    again = services.check_overtime_limits(company=company, as_of=date(2026, 4, 30))
    assert again.alerts == [] and mail.outbox == [] and OvertimeAlert.objects.count() == 1


def test_a_breach_after_a_warning_is_new_and_one_mail_lists_everything(company, office, hours):
    jiro, seller = office["jiro"], office["seller"].user.employee_records.get()
    hours[(jiro.pk, APRIL)] = (36, 0)
    services.check_overtime_limits(company=company, as_of=date(2026, 4, 30))
    mail.outbox.clear()
    hours[(jiro.pk, APRIL)] = (50, 52)  # 時間外 50 > 45; 時間外+休日 102 ≥ 100
    hours[(seller.pk, APRIL)] = (40, 0)  # 40 / 45 = 88 %
    services.check_overtime_limits(company=company, as_of=date(2026, 4, 30))
    assert _alerts() == [
        ("E001", "2026-04", "month_100", "breach"),
        ("E001", "2026-04", "month_45", "breach"),
        ("E001", "2026-04", "month_45", "warning"),
        ("S001", "2026-04", "month_45", "warning"),
    ]
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == ["boss@example.jp", "hr@example.jp", "jiro@example.jp", "seller@example.jp"]
    hr_mail = by_to["hr@example.jp"].body
    assert "[超過] E001 社員 次郎" in hr_mail and "[注意] S001 営業 太郎" in hr_mail  # both in one mail
    assert "S001" not in by_to["boss@example.jp"].body  # 営業部 has no head here; 総務部's head sees 総務部
    assert "労基法36条6項2号" in by_to["jiro@example.jp"].body


def test_the_years_limits_are_kept_once_a_year(company, office, hours):
    jiro = office["jiro"]
    for n in range(8):
        hours[(jiro.pk, date(2026, 4 + n, 1))] = (36, 0)  # 8 × 36 = 288 = 80 % of 360
    services.check_overtime_limits(company=company, as_of=date(2026, 11, 30))
    services.check_overtime_limits(company=company, as_of=date(2026, 12, 31))
    year = [a for a in _alerts() if a[2] == "year_360"]
    assert year == [("E001", "2026-04", "year_360", "warning")]  # the agreement year's first month


def test_a_departments_agreement_comes_first(company, hr, department, office, hours):
    record(
        hr,
        name="総務部",
        department_id=department.pk,
        monthly_limit_hours=Decimal(30),
        yearly_limit_hours=Decimal(300),
    )
    jiro, seller = office["jiro"], office["seller"].user.employee_records.get()
    hours[(jiro.pk, APRIL)] = hours[(seller.pk, APRIL)] = (31, 0)
    services.check_overtime_limits(company=company, as_of=date(2026, 4, 30))
    assert _alerts() == [("E001", "2026-04", "month_45", "breach")]  # 31 > 30; 営業部: 31 / 45 = 68 %
    mine = agreement_selectors.my_overtime_status(
        company=company, employee_id=jiro.pk, as_of=date(2026, 4, 30)
    )
    assert mine is not None and mine.agreement_name == "総務部" and mine.monthly_limit == 30


def test_no_agreement_no_check(company, hr, hours, employee_member):
    jiro = employee_member.user.employee_records.get()
    hours[(jiro.pk, APRIL)] = (90, 20)
    assert services.check_overtime_limits(company=company, as_of=date(2026, 4, 30)).checked == 0
    assert agreement_selectors.my_overtime_status(company=company, employee_id=jiro.pk, as_of=APRIL) is None


def test_an_agreement_with_alerts_is_ended_not_deleted(company, hr, office, hours):
    a = OvertimeAgreement.objects.get()
    kw = {"company": company, "actor": hr.user, "membership": hr, "agreement": a}
    hours[(office["jiro"].pk, APRIL)] = (40, 0)
    services.check_overtime_limits(company=company, as_of=date(2026, 4, 30))
    with pytest.raises(ServiceError, match="終了日を最後に適用した日に変更"):
        services.delete_agreement(**kw)
    assert OvertimeAgreement.objects.filter(pk=a.pk).exists()
    services.update_agreement(**kw, data=data(end_date=date(2026, 9, 30)))
    assert (
        agreement_selectors.my_overtime_status(
            company=company, employee_id=office["jiro"].pk, as_of=date(2026, 10, 1)
        )
        is None
    )


def test_an_agreement_without_alerts_is_deleted_audited(hr):
    a = record(hr)
    services.delete_agreement(company=hr.company, actor=hr.user, membership=hr, agreement=a)
    assert not OvertimeAgreement.objects.exists()
    (event,) = events(hr.company, "delete")
    assert event.changes["fields"]["name"] == ["2026年度 全社", None]


def test_the_status_reads_the_months(company, office, hours):
    jiro = office["jiro"]
    hours[(jiro.pk, date(2026, 2, 1))] = (20, 0)  # before the agreement year: only the average
    hours[(jiro.pk, date(2026, 3, 1))] = (90, 0)
    hours[(jiro.pk, APRIL)] = (60, 12)
    status = agreement_selectors.my_overtime_status(
        company=company, employee_id=jiro.pk, as_of=date(2026, 4, 15)
    )
    assert status is not None
    assert (status.overtime, status.overtime_and_holiday, status.year_overtime) == (60, 72, 60)
    assert status.worst_average == 81 and status.worst_span == 2  # (90 + 72) / 2
    assert status.months_over == 1 and status.level == "breach"
    with pytest.raises(NotFound):
        agreement_selectors.my_overtime_status(company=company, employee_id=987654, as_of=APRIL)


def test_the_daily_job_and_the_command(company, office, hours, settings):
    hours[(office["jiro"].pk, APRIL)] = (45, 0)
    assert "ennoshita.attendance.tasks_agreements.DAILY_OVERTIME_CHECK" in settings.ENNOSHITA_SCHEDULED_JOBS
    assert (
        check_all_companies(date(2026, 4, 30))
        == "2026-04-30: 4 employee(s) checked, 1 new alert(s), 3 mail(s)"
    )
    call_command("check_overtime_limits", "--date", "2026-04-30", stdout=__import__("io").StringIO())
    assert OvertimeAlert.objects.count() == 1


def test_real_punches_become_hours(company, hr, employee_member):
    """The wiring, without the fake: 9:00〜20:30 without a break on a Tuesday = 11.5 h worked, 3.5 h
    over 8 hours (時間外), and a Sunday (the 法定休日) 10:00〜14:00 = 4 h of 休日労働."""
    from ennoshita.attendance import services as attendance_services

    record(hr, start_date=date(2026, 12, 1), end_date=date(2027, 11, 30))
    csv = "社員番号,勤務日,種類,時刻,メモ\nE001,2026-12-01,出勤,9:00,\nE001,2026-12-01,退勤,20:30,\n"
    csv += "E001,2026-12-06,出勤,10:00,\nE001,2026-12-06,退勤,14:00,\n"
    attendance_services.import_punches(company=company, actor=hr.user, membership=hr, data=csv.encode())
    jiro = employee_member.user.employee_records.get()
    status = agreement_selectors.my_overtime_status(
        company=company, employee_id=jiro.pk, as_of=date(2026, 12, 8)
    )
    assert status is not None
    assert status.overtime == Decimal("3.5") and status.overtime_and_holiday == Decimal("7.5")


def test_the_demo_agreement(company, admin):
    services.build_demo_agreement(company, today=date(2027, 2, 10))
    services.build_demo_agreement(company, today=date(2027, 2, 10))  # once
    a = OvertimeAgreement.objects.get()
    assert (a.name, a.start_date, a.end_date) == ("2026年度 36協定(全社)", APRIL, date(2027, 3, 31))
    assert a.special_clause and a.special_monthly_hours == 75 and a.special_months_allowed == 6
