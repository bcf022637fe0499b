"""買掛金 reads: outstanding per vendor by due bucket, the 仕入先元帳 with its running balance, the
支払予定表. Payments are the payment runs' (another slice): here a confirmed run with its item is
written as that slice leaves it (run confirmed, item → bill, the bill's paid_at)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.core.errors import PermissionDeniedError
from ennoshita.purchasing.models import PaymentItem, PaymentRun, RunStatus
from ennoshita.purchasing.selectors import payables

from .conftest import approved_bill, bill_line, make_vendor, recent_day, save_bill, submit

Y = Decimal


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _pay(org, bill, day: date):
    """What a confirmed payment run leaves behind for one bill."""
    run = PaymentRun.objects.create(
        company=org.company,
        number=f"PAY-T-{bill.pk}",
        payment_date=day,
        due_by=day,
        status=RunStatus.CONFIRMED,
        total=bill.total,
        count=1,
        created_by=org.clerk.user,
    )
    PaymentItem.objects.create(
        company=org.company,
        run=run,
        kind=PaymentItem.Kind.VENDOR_BILL,
        vendor_bill=bill,
        payee_name=bill.vendor.name,
        bank_code="0001",
        branch_code="001",
        account_type="1",
        account_number="1234567",
        account_holder="ﾃｽﾄ",
        amount=bill.total,
        payable_account_code=bill.payable_account_code,
    )
    bill.paid_at = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    bill.save(update_fields=["paid_at"])


@pytest.fixture
def book(org, vendor):
    """Four approved bills of 山田商事 due in each bucket, one of すずき, one waiting, one paid."""
    today = timezone.localdate()
    this_end = _month_end(today)
    next_end = _month_end(this_end + timedelta(days=1))
    b = {}
    b["overdue"] = approved_bill(
        org, vendor, [bill_line(amount="1100")], bill_date=recent_day(5), due_date=today - timedelta(days=1)
    )
    b["this"] = approved_bill(
        org, vendor, [bill_line(amount="2200")], bill_date=recent_day(4), due_date=this_end
    )
    b["next"] = approved_bill(
        org, vendor, [bill_line(amount="3300")], bill_date=recent_day(3), due_date=next_end
    )
    b["later"] = approved_bill(
        org,
        vendor,
        [bill_line(amount="4400")],
        bill_date=recent_day(2),
        due_date=next_end + timedelta(days=40),
        payable_account_code="2130",
    )
    suzuki = make_vendor(org, code="V002", name="有限会社すずき", registration_number="")
    b["suzuki"] = approved_bill(
        org,
        suzuki,
        [bill_line(amount="5500")],
        is_qualified=False,
        bill_date=recent_day(2),
        due_date=this_end,
    )
    b["waiting"] = submit(org, save_bill(org, vendor, [bill_line(amount="9900")]))
    b["paid"] = approved_bill(
        org, vendor, [bill_line(amount="7700")], bill_date=recent_day(6), due_date=today
    )
    _pay(org, b["paid"], recent_day(1))
    b["suzuki_vendor"] = suzuki
    return b


def test_payables_by_vendor(org, vendor, book, django_assert_num_queries):
    with django_assert_num_queries(1):
        report = payables.payables_by_vendor(company=org.company, membership=org.clerk)
    rows = {r.vendor_code: r for r in report.rows}
    yamada = rows["V001"]
    assert (yamada.count, yamada.total) == (4, Y(11000))
    assert (yamada.overdue, yamada.this_month, yamada.next_month, yamada.later) == (
        Y(1100),
        Y(2200),
        Y(3300),
        Y(4400),
    )
    assert (yamada.accounts_payable, yamada.other_payable) == (Y(6600), Y(4400))
    assert (rows["V002"].count, rows["V002"].this_month) == (1, Y(5500))
    assert [r.vendor_code for r in report.rows] == ["V001", "V002"]  # biggest first
    assert (report.total.count, report.total.total, report.total.this_month) == (5, Y(16500), Y(7700))


def test_payables_as_of_an_earlier_day_leaves_later_bills_out(org, vendor, book):
    report = payables.payables_by_vendor(company=org.company, membership=org.clerk, as_of=recent_day(5))
    assert [(r.vendor_code, r.total) for r in report.rows] == [("V001", Y(1100))]


def test_vendor_ledger_running_balance(org, vendor, book):
    start, end = recent_day(4), timezone.localdate()
    ledger = payables.vendor_ledger(
        company=org.company, membership=org.clerk, vendor=vendor, start=start, end=end
    )
    # before start: the paid bill (day −6, 7,700) and the overdue one (day −5, 1,100)
    assert ledger.opening == Y(8800)
    assert [(r.kind, r.credit, r.debit, r.balance) for r in ledger.rows] == [
        ("bill", Y(2200), Y(0), Y(11000)),
        ("bill", Y(3300), Y(0), Y(14300)),
        ("bill", Y(4400), Y(0), Y(18700)),
        ("payment", Y(0), Y(7700), Y(11000)),
    ]
    assert (ledger.credit_total, ledger.debit_total, ledger.closing) == (Y(9900), Y(7700), Y(11000))
    # the closing balance is what the vendor is still owed
    report = payables.payables_by_vendor(company=org.company, membership=org.clerk)
    assert ledger.closing == next(r.total for r in report.rows if r.vendor_code == "V001")


def test_vendor_ledger_after_the_payment_starts_from_it(org, vendor, book):
    day = timezone.localdate()
    ledger = payables.vendor_ledger(
        company=org.company, membership=org.clerk, vendor=vendor, start=day, end=day
    )
    assert ledger.rows == [] and ledger.opening == ledger.closing == Y(11000)


def test_payment_schedule_groups_by_due_date(org, vendor, book):
    today = timezone.localdate()
    end = _month_end(today)
    schedule = payables.payment_schedule(company=org.company, membership=org.clerk, start=today, end=end)
    assert [(d.day, [b.total for b in d.bills], d.total) for d in schedule.days] == [
        (today - timedelta(days=1), [Y(1100)], Y(1100)),
        (end, [Y(2200), Y(5500)], Y(7700)),
    ]
    assert (schedule.count, schedule.total, schedule.overdue_count, schedule.overdue_total) == (
        3,
        Y(8800),
        1,
        Y(1100),
    )
    without = payables.payment_schedule(
        company=org.company, membership=org.clerk, start=today, end=end, include_overdue=False
    )
    assert without.total == Y(7700)


def test_employee_sees_no_payables(org, book):
    with pytest.raises(PermissionDeniedError):
        payables.payables_by_vendor(company=org.company, membership=org.employee)
    with pytest.raises(PermissionDeniedError):
        payables.payment_schedule(
            company=org.company, membership=org.manager, start=recent_day(), end=recent_day()
        )
