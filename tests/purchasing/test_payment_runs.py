"""支払処理 through its services: candidates, a draft run, 確定 (file, entry, paid), 取消 and
確定の取消 (反対仕訳), and everything that must be refused with nothing written."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ennoshita.core.dates import holidays_between, is_holiday
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents.models import Document
from ennoshita.expenses.models import ExpenseClaim
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.purchasing.models import PaymentItem, PaymentRun, Vendor, VendorBill
from ennoshita.purchasing.services import payments

from ..conftest import make_company, make_member
from .payments_fixtures import (  # noqa: F401
    REQUESTER,
    YEN,
    approved_claim_through_expenses,
    balance,
    confirm,
    counts,
    create_run,
    make_bill,
    make_claim,
    make_vendor,
    next_weekend_day,
    pay_fixture,
    writer,
)
from .test_zengin_file import field, records_of

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------ the scenario
def test_claim_and_bill_paid_in_one_file(pay):
    claim = approved_claim_through_expenses(pay, "4400")
    bill = make_bill(pay, 110000, department=pay.dept)
    bank_before = balance(pay, "1121")
    assert balance(pay, "2112") == YEN(-110000)  # 買掛金 (credit balance)
    assert balance(pay, "2130") == YEN(-4400)  # 未払金

    run = create_run(pay)
    assert run.status == "draft" and run.count == 2 and run.total == YEN(114400)
    run = confirm(pay, run)

    _name, data = payments.transfer_file(company=pay.company, membership=pay.accountant, run=run)
    data_records = records_of(data)[1:-2]
    transfers = {(field(r, 2, 4), field(r, 51, 30).rstrip(), int(field(r, 81, 10))) for r in data_records}
    assert transfers == {("0009", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", 110000), ("0005", "ﾔﾏﾀﾞ ﾊﾅｺ", 4400)}

    assert balance(pay, "2112") == 0
    assert balance(pay, "2130") == 0
    assert balance(pay, "1121") == bank_before - YEN(114400)
    bill.refresh_from_db()
    claim.refresh_from_db()
    assert bill.paid_at is not None and timezone.localtime(bill.paid_at).date() == pay.day
    assert claim.paid_at is not None and timezone.localtime(claim.paid_at).date() == pay.day
    assert run.status == "confirmed" and run.confirmed_by == pay.accountant.user


# ------------------------------------------------------------------------------ candidates
def test_candidates_say_why_a_payee_cannot_be_paid(pay):
    no_bank = make_vendor(
        pay, code="V002", name="口座なし商店", bank_code="", branch_code="", account_number=""
    )
    bad_bank = make_vendor(pay, code="V003", name="銀行違い", bank_code="9998")
    bad_branch = make_vendor(pay, code="V004", name="支店違い", branch_code="999")
    kanji = make_vendor(pay, code="V005", name="漢字名義", account_holder="漢字商店")
    good = make_bill(pay, 1000)
    later = make_bill(pay, 2000, due_date=timezone.localdate() + timedelta(days=60))
    bills = {v.code: make_bill(pay, 3000, vendor=v) for v in (no_bank, bad_bank, bad_branch, kanji)}
    no_account = make_member(pay.company, "pay_nobank", ["employee"], last_name="口座", first_name="なし")
    claim_no_employee = make_claim(pay, 800, member=no_account)
    claim_ok = make_claim(pay, 900, employee=pay.employee)

    found = {c.key: c for c in payments.candidates(company=pay.company, due_by=timezone.localdate())}
    assert f"vendor_bill:{later.pk}" not in found
    assert found[f"vendor_bill:{good.pk}"].payable
    assert found[f"expense_claim:{claim_ok.pk}"].payable
    assert found[f"expense_claim:{claim_ok.pk}"].account.holder == "ﾔﾏﾀﾞ ﾊﾅｺ"
    reasons = {code: found[f"vendor_bill:{b.pk}"].reason for code, b in bills.items()}
    assert "登録されていません" in reasons["V002"]
    assert "9998" in reasons["V003"]
    assert "999" in reasons["V004"]
    assert "使えない文字" in reasons["V005"]
    assert not any(found[f"vendor_bill:{b.pk}"].payable for b in bills.values())
    assert "社員情報" in found[f"expense_claim:{claim_no_employee.pk}"].reason

    run = create_run(pay, due_by=timezone.localdate())
    assert set(PaymentItem.objects.filter(run=run).values_list("vendor_bill_id", flat=True)) == {
        good.pk,
        None,
    }
    assert set(PaymentItem.objects.filter(run=run).values_list("expense_claim_id", flat=True)) == {
        claim_ok.pk,
        None,
    }
    again = {c.key: c for c in payments.candidates(company=pay.company, due_by=timezone.localdate())}
    assert (
        run.number in again[f"vendor_bill:{good.pk}"].reason and not again[f"vendor_bill:{good.pk}"].payable
    )


def test_a_claim_without_its_employee_link_finds_the_applicants_record(pay):
    claim = make_claim(pay, 1200)  # claim.employee left empty: the applicant's record is used
    found = {c.key: c for c in payments.candidates(company=pay.company, due_by=timezone.localdate())}
    candidate = found[f"expense_claim:{claim.pk}"]
    assert candidate.payable and candidate.payee_name == "山田 花子"
    assert candidate.account.bank_code == "0005"


# ------------------------------------------------------------------------------ the draft
def test_a_run_has_one_item_per_bill_and_claim_with_the_account_snapshotted(pay):
    first, second = make_bill(pay, 1000), make_bill(pay, 2000)
    claim = make_claim(pay, 300, employee=pay.employee)
    run = create_run(pay, bill_ids=[first.pk, second.pk], claim_ids=[claim.pk])
    fy = run.payment_date.year if run.payment_date.month >= 4 else run.payment_date.year - 1
    assert run.number == f"PAY-{fy}-0001"
    items = list(PaymentItem.objects.filter(run=run).order_by("pk"))
    assert [(i.kind, i.amount) for i in items] == [
        ("vendor_bill", YEN(1000)),
        ("vendor_bill", YEN(2000)),
        ("expense_claim", YEN(300)),
    ]
    assert items[0].account_holder == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ" and items[0].account_number == "1112223"
    assert items[0].payable_account_code == "2112" and items[2].payable_account_code == "2130"
    Vendor.objects.filter(pk=pay.vendor.pk).update(account_number="9999999")
    items[0].refresh_from_db()
    assert items[0].account_number == "1112223"
    assert create_run(pay, bill_ids=[make_bill(pay, 10).pk]).number == f"PAY-{fy}-0002"
    assert AuditEvent.objects.filter(object_type="purchasing.paymentrun", action="create").count() == 2


def test_remove_item_and_cancel_release_what_they_held(pay):
    first, second = make_bill(pay, 1000), make_bill(pay, 2000)
    run = create_run(pay)
    item = PaymentItem.objects.get(run=run, vendor_bill=first)
    run = payments.remove_item(**writer(pay), run=run, item_id=item.pk)
    assert (run.count, run.total) == (1, YEN(2000))
    with pytest.raises(NotFound):
        payments.remove_item(**writer(pay), run=run, item_id=item.pk)
    other = create_run(pay, bill_ids=[first.pk])  # the removed bill can be paid by another run
    run = payments.cancel_payment_run(**writer(pay), run=run)
    assert run.status == "cancelled"
    assert PaymentItem.objects.get(run=run, vendor_bill=second).released
    third = create_run(pay, bill_ids=[second.pk])  # and so can the cancelled run's
    assert {other.status, third.status} == {"draft"}
    with pytest.raises(ServiceError):
        payments.cancel_payment_run(**writer(pay), run=run)


# ------------------------------------------------------------------------------ refusals
@pytest.mark.parametrize("which", ["weekend", "holiday", "year_end", "past"])
def test_a_payment_date_that_is_not_a_future_bank_day_is_refused(pay, which):
    make_bill(pay, 1000)
    today = timezone.localdate()
    if which == "weekend":
        day = next_weekend_day()
    elif which == "holiday":  # the next 祝日 on a weekday
        day = next(
            d
            for d, _n in holidays_between(today + timedelta(days=1), today + timedelta(days=800))
            if d.weekday() < 5
        )
    elif which == "year_end":  # 12/31–1/3 on a weekday (銀行法施行令5条1項)
        days = (
            date(y, m, d) for y in range(today.year, today.year + 3) for m, d in ((12, 31), (1, 2), (1, 3))
        )
        day = next(d for d in sorted(days) if d > today and d.weekday() < 5 and not is_holiday(d))
    else:
        day = today - timedelta(days=1)
    before = counts()
    with pytest.raises(ServiceError) as err:
        create_run(pay, payment_date=day)
    assert "payment_date" in err.value.field_errors
    assert counts() == before


def test_settings_must_be_complete(pay):
    from ennoshita.purchasing.models import PurchasingSettings

    PurchasingSettings.objects.filter(company=pay.company).update(requester_code="")
    make_bill(pay, 1000)
    before = counts()
    with pytest.raises(ServiceError) as err:
        create_run(pay)
    assert "settings" in err.value.field_errors
    assert counts() == before


def test_an_empty_run_is_refused(pay):
    before = counts()
    with pytest.raises(ServiceError):
        create_run(pay)  # nothing is payable
    assert counts() == before
    bill = make_bill(pay, 1000)
    run = create_run(pay)
    run = payments.remove_item(**writer(pay), run=run, item_id=PaymentItem.objects.get(vendor_bill=bill).pk)
    before = counts()
    with pytest.raises(ServiceError) as err:
        confirm(pay, run)
    assert "1件もない" in err.value.message
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"account_holder": "山田商事"}, "使えない文字"),  # full-width kanji in the holder
        ({"account_holder": "ＡＢＣ　漢"}, "使えない文字"),
        ({"bank_code": "9998"}, "9998"),
        ({"branch_code": "999"}, "999"),
        ({"account_number": "12-4567"}, "7桁"),
    ],
)
def test_a_payee_with_bad_bank_data_cannot_be_selected(pay, change, words):
    vendor = make_vendor(pay, code="VX", name="問題のある仕入先", **change)
    bill = make_bill(pay, 1000, vendor=vendor)
    before = counts()
    with pytest.raises(ServiceError) as err:
        create_run(pay, bill_ids=[bill.pk])
    assert words in " ".join(err.value.field_errors["bill_ids"])
    assert counts() == before


def test_the_same_bill_cannot_be_in_two_live_runs(pay):
    bill = make_bill(pay, 1000)
    run = create_run(pay, bill_ids=[bill.pk])
    before = counts()
    with pytest.raises(ServiceError) as err:
        create_run(pay, bill_ids=[bill.pk])
    assert run.number in " ".join(err.value.field_errors["bill_ids"])
    assert counts() == before
    with pytest.raises(IntegrityError), transaction.atomic():  # the database's own guard
        PaymentItem.objects.create(
            company=pay.company,
            run=run,
            kind="vendor_bill",
            vendor_bill=bill,
            payee_name="x",
            bank_code="0001",
            branch_code="001",
            account_type="1",
            account_number="1",
            account_holder="X",
            amount=1,
            payable_account_code="2112",
        )
    confirm(pay, run)
    with pytest.raises(ServiceError):
        create_run(pay, bill_ids=[bill.pk])  # paid: no longer payable


def test_confirming_twice_is_refused(pay):
    make_bill(pay, 1000)
    run = confirm(pay, create_run(pay))
    before = counts()
    with pytest.raises(ServiceError):
        confirm(pay, run)
    assert counts() == before


def test_only_accounting_and_admin_make_and_confirm_runs(pay):
    make_bill(pay, 1000)
    before = counts()
    for member in (pay.staff, pay.hr):
        with pytest.raises(PermissionDeniedError):
            create_run(pay, member=member)
    assert counts() == before
    run = create_run(pay, member=pay.admin)
    with pytest.raises(PermissionDeniedError):
        confirm(pay, run, member=pay.staff)
    assert PaymentRun.objects.get(pk=run.pk).status == "draft"


def test_another_companys_bill_is_not_payable_here(pay):
    other = make_company("株式会社よそ")
    foreign_vendor = Vendor.objects.create(
        company=other, code="V1", name="よそ", bank_code="0001", branch_code="001"
    )
    foreign = VendorBill.objects.create(
        company=other,
        vendor=foreign_vendor,
        number="X-1",
        bill_date=timezone.localdate(),
        due_date=timezone.localdate(),
        status="approved",
        total=1000,
        created_by=pay.admin.user,
    )
    with pytest.raises(ServiceError) as err:
        create_run(pay, bill_ids=[foreign.pk])
    assert str(foreign.pk) in " ".join(err.value.field_errors["bill_ids"])
    run = create_run(pay, bill_ids=[make_bill(pay, 10).pk])
    outsider = make_member(other, "pay_outsider", ["admin"])
    with pytest.raises(NotFound):
        payments.confirm_payment_run(company=other, actor=outsider.user, membership=outsider, run=run)
    with pytest.raises(NotFound):
        payments.transfer_file(company=other, membership=outsider, run=run)


# ------------------------------------------------------------------------------ posting
def test_the_entry_debits_each_payable_per_payee_and_credits_the_bank(pay):
    other = make_vendor(pay, code="V002", name="有限会社さくら", account_holder="ユウゲンガイシャ サクラ")
    b1 = make_bill(pay, 1000, department=pay.dept)
    b2 = make_bill(pay, 2000, department=pay.dept)
    b3 = make_bill(pay, 5000, vendor=other, payable="2130")
    claim = make_claim(pay, 700, employee=pay.employee)
    run = confirm(pay, create_run(pay))
    entry = JournalEntry.objects.get(pk=run.journal_entry_id)
    assert (entry.source_type, entry.source_id, entry.date) == (
        "purchasing.payment_run",
        str(run.pk),
        pay.day,
    )
    assert entry.status == "posted"
    lines = list(JournalLine.objects.filter(entry=entry).select_related("account").order_by("line_no"))
    debits = {(ln.account.code, ln.department_id, ln.debit) for ln in lines if ln.debit}
    assert debits == {
        ("2112", pay.dept.pk, YEN(3000)),  # two bills of one payee in one department: one line
        ("2130", None, YEN(5000)),
        ("2130", pay.dept.pk, YEN(700)),
    }
    memo = {ln.debit: ln.memo for ln in lines if ln.debit}
    assert (
        "株式会社山田商事" in memo[YEN(3000)]
        and b1.number in memo[YEN(3000)]
        and b2.number in memo[YEN(3000)]
    )
    assert "有限会社さくら" in memo[YEN(5000)] and b3.number in memo[YEN(5000)]
    assert "山田 花子" in memo[YEN(700)] and claim.number in memo[YEN(700)]
    credits = [(ln.account.code, ln.credit) for ln in lines if ln.credit]
    assert credits == [("1121", YEN(8700))]
    assert balance(pay, "2112") == 0 and balance(pay, "2130") == 0
    assert balance(pay, "2112", pay.dept) == 0 and balance(pay, "2130", pay.dept) == 0


# ------------------------------------------------------------------------------ reversal
def test_reversing_a_confirmed_run_restores_everything(pay):
    bill = make_bill(pay, 110000)
    claim = make_claim(pay, 4400, employee=pay.employee)
    bank_before = balance(pay, "1121")
    run = confirm(pay, create_run(pay))
    document_id = run.file_document_id
    with pytest.raises(ServiceError):
        payments.cancel_payment_run(**writer(pay), run=run)  # a confirmed run is reversed, not cancelled
    run = payments.reverse_payment_run(**writer(pay), run=run)
    assert run.status == "cancelled"
    reversal = JournalEntry.objects.get(reversal_of_id=run.journal_entry_id)
    assert reversal.kind == "reversal" and reversal.date == pay.day
    assert balance(pay, "2112") == YEN(-110000)
    assert balance(pay, "2130") == YEN(-4400)
    assert balance(pay, "1121") == bank_before
    bill.refresh_from_db()
    claim.refresh_from_db()
    assert bill.paid_at is None and claim.paid_at is None
    assert Document.objects.filter(pk=document_id, trashed_at__isnull=True).exists()  # the record stays
    assert PaymentItem.objects.filter(run=run, released=False).count() == 0
    actions = set(
        AuditEvent.objects.filter(object_type="expenses.expenseclaim").values_list("action", flat=True)
    )
    assert {"pay", "unpay"} <= actions
    _name, data = payments.transfer_file(company=pay.company, membership=pay.accountant, run=run)
    assert data.startswith(b"121")  # the filed file can still be read
    again = confirm(pay, create_run(pay))  # payable again
    assert again.total == YEN(114400)
    with pytest.raises(ServiceError):
        payments.reverse_payment_run(**writer(pay), run=run)


def test_settings_are_checked_field_by_field(pay):
    before = counts()
    with pytest.raises(ServiceError) as err:
        payments.update_payment_settings(
            **writer(pay),
            requester_code="123456789",
            requester_name="縁の下商事",
            bank_code="9998",
            branch_code="001",
            account_type="4",
            account_number="12345678",
        )
    assert set(err.value.field_errors) >= {
        "requester_code",
        "requester_name",
        "bank_code",
        "account_type",
        "account_number",
    }
    assert counts() == before
    row = payments.update_payment_settings(
        **writer(pay), **{**REQUESTER, "requester_name": "かぶしきがいしゃ　てすと", "account_number": "42"}
    )
    assert row.requester_name == "ｶ)ﾃｽﾄ" and row.account_number == "0000042"


# ------------------------------------------------------------------------------ concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirms_and_runs_pay_once(pay):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race is PostgreSQL's")
    bill = make_bill(pay, 1000)
    run = create_run(pay, bill_ids=[bill.pk])
    other_bill = make_bill(pay, 2000)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def work(fn):
        try:
            barrier.wait()
            fn()
            results.append("ok")
        except ServiceError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    jobs = [
        lambda: confirm(pay, run),
        lambda: confirm(pay, run),
        lambda: create_run(pay, bill_ids=[other_bill.pk]),
        lambda: create_run(pay, bill_ids=[other_bill.pk]),
    ]
    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count("ok") == 2, results
    assert PaymentRun.objects.get(pk=run.pk).status == "confirmed"
    assert JournalEntry.objects.filter(source_type="purchasing.payment_run").count() == 1
    assert PaymentItem.objects.filter(vendor_bill=other_bill, released=False).count() == 1
    assert ExpenseClaim.objects.filter(paid_at__isnull=False).count() == 0
