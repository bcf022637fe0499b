"""Confirming a run (issue 9 "Books"): one balanced entry by department, the transfer file filed,
the payslips published and the employees told, one audit event; every refusal writes nothing."""

from __future__ import annotations

import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import NoReverseMatch, reverse
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents.models import Document
from ennoshita.ledger import entry_selectors
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.payroll import posting
from ennoshita.payroll.models import PayrollRun, Payslip
from ennoshita.payroll.services.confirm import confirm_run

from ..conftest import make_member
from .confirm_builders import add_slip, finish, make_org, make_run, person
from .factories import settings_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


def three_people_run(org):
    """A and B in 営業部 (B with a 組合費 and 50,000 to a second account), C an officer in 経理部
    with no bank account (paid by hand) and a 子ども・子育て拠出金 of 1,000.

    A: gross 300,000 + 10,000 = 310,000; 社会保険料等 14,850 + 690 + 27,450 + 1,550 = 44,540;
       deductions 44,540 + 6,640 + 12,000 = 63,180; net 246,820 (transferred)
    B: the same + 組合費 2,000: deductions 65,180; net 244,820 = 194,820 + 50,000 (split)
    C: gross 500,000; 24,750 + 1,150 + 45,750 + 0 = 71,650; + 30,000 + 20,000 = 121,650;
       net 378,350 (by hand)
    """
    run = make_run(org)
    a = person(org, org.sales, "1001", given_name="一郎")
    b = person(org, org.sales, "1002", given_name="二郎")
    c = person(org, org.office, "2001", given_name="社長")
    add_slip(run, a, department=org.sales)
    add_slip(run, b, department=org.sales, items=(("item:union", "組合費", 2_000),), split=50_000)
    add_slip(
        run,
        c,
        department=org.office,
        base=500_000,
        commute=0,
        health=24_750,
        child_support=1_150,
        pension=45_750,
        employment=0,
        income_tax=30_000,
        resident_tax=20_000,
        is_officer=True,
        bank=None,
        contribution=1_000,
    )
    return finish(run)


def lines_of(entry):
    return [
        (
            line.account.code,
            "debit" if line.debit else "credit",
            int(line.debit or line.credit),
            line.department_id,
            line.memo,
        )
        for line in JournalLine.objects.filter(entry=entry).select_related("account").order_by("line_no")
    ]


def confirm(org, run, member=None):
    m = member or org.accountant
    return confirm_run(company=org.company, actor=m.user, membership=m, run=run)


def nothing_written(org, run, *, entries=0, documents=0):
    run.refresh_from_db()
    assert run.status == "draft" and run.journal_entry_id is None and run.transfer_document_id is None
    assert run.confirmed_at is None and run.confirmed_by_id is None
    assert JournalEntry.objects.filter(company=org.company, source_type="payroll.run").count() == entries
    assert Document.objects.filter(company=org.company, folder__name="給与振込データ").count() == documents
    assert not Payslip.objects.filter(run=run, published_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(
        company=org.company, action="confirm", object_id=str(run.pk)
    ).exists()


# ------------------------------------------------------------------------------ the books
def test_confirm_posts_one_entry_by_department_that_balances(org):
    run = confirm(org, three_people_run(org))
    entry = JournalEntry.objects.get(company=org.company, source_type="payroll.run")
    assert run.journal_entry_id == entry.pk
    assert entry.date == run.pay_date and entry.status == "posted"
    assert entry.source_id == str(run.pk) and entry.source_repr.startswith(f"{run.pay_month.year}年")
    label = f"{run.pay_month.year}年{run.pay_month.month}月分 給与"
    s, o = org.sales.pk, org.office.pk
    assert lines_of(entry) == [
        ("6110", "debit", 500_000, o, f"{label} 経理部 1名"),
        ("6120", "debit", 620_000, s, f"{label} 営業部 2名"),
        ("6150", "debit", 85_980, s, f"{label} 社会保険料 会社負担 営業部"),  # (14,850 + 690 + 27,450) × 2
        (
            "6150",
            "debit",
            72_650,
            o,
            f"{label} 社会保険料 会社負担 経理部",
        ),  # 24,750 + 1,150 + 45,750 + 拠出金 1,000
        ("2150", "credit", 43_280, None, f"源泉所得税 {label}"),  # 6,640 × 2 + 30,000
        ("2150", "credit", 44_000, None, f"住民税 {label}"),  # 12,000 × 2 + 20,000
        (
            "2150",
            "credit",
            157_630,
            None,
            f"社会保険料(健康保険・子ども・子育て支援金・厚生年金) {label}",
        ),  # 85,980 + 71,650
        ("2150", "credit", 3_100, None, f"雇用保険料 {label}"),
        ("2150", "credit", 2_000, None, f"組合費 {label}"),
        ("2131", "credit", 158_630, None, f"社会保険料 会社負担 {label}(納入告知書で納付)"),
        ("1121", "credit", 491_640, None, f"給与振込 {label} 2名"),  # 246,820 + 244,820
        ("2130", "credit", 378_350, None, f"{label} 振込以外の支給 1名"),
    ]
    # 1,278,630 on each side
    assert entry.total == Decimal(1_278_630)
    debit = sum(x[2] for x in lines_of(entry) if x[1] == "debit")
    credit = sum(x[2] for x in lines_of(entry) if x[1] == "credit")
    assert debit == credit == 1_278_630
    # each figure is the payslips' sum
    slips = list(Payslip.objects.filter(run=run))
    assert sum(int(p.gross) for p in slips) == 620_000 + 500_000
    assert sum(int(p.income_tax) for p in slips) == 43_280
    assert sum(int(p.net) for p in slips) == 491_640 + 378_350


def test_confirm_marks_files_publishes_and_audits(org):
    run = three_people_run(org)
    confirm(org, run)
    run.refresh_from_db()
    assert run.status == "confirmed" and run.confirmed_by_id == org.accountant.user_id and run.confirmed_at
    document = Document.objects.get(pk=run.transfer_document_id)
    assert (
        document.folder.name == "給与振込データ"
        and document.name == f"kyuyo_{run.pay_date:%Y%m%d}-{run.pk}.txt"
    )
    assert not Payslip.objects.filter(run=run, published_at__isnull=True).exists()
    event = AuditEvent.objects.get(company=org.company, action="confirm", object_id=str(run.pk))
    extra = event.changes["extra"]
    assert (
        extra["headcount"] == 3 and extra["gross"] == 1_120_000 and extra["net"] == 869_990
    )  # 246,820 + 244,820 + 378,350
    assert extra["transferred"] == 491_640 and extra["entry_total"] == 1_278_630
    assert event.changes["fields"]["status"] == ["draft", "confirmed"]


def test_employees_with_a_login_are_told_after_commit(org, mailoutbox, django_capture_on_commit_callbacks):
    run = three_people_run(org)
    a = Payslip.objects.get(run=run, employee_number="1001").employee
    login = make_member(org.company, "ichiro", ["employee"], email="ichiro@example.com")
    a.user = login.user
    a.save(update_fields=["user"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        confirm(org, run)
        assert mailoutbox == []  # nothing is sent before the commit
    assert len(callbacks) == 1
    assert [m.to for m in mailoutbox] == [["ichiro@example.com"]]  # B and C have no login
    assert "給与明細を公開しました" in mailoutbox[0].body and "円" not in mailoutbox[0].body


def test_the_entry_drills_down_to_the_run(org, settings):
    run = confirm(org, three_people_run(org))
    entry = entry_selectors.get_entry(company=org.company, entry_id=run.journal_entry_id)
    assert (entry.source_type, entry.source_id) == ("payroll.run", str(run.pk))
    settings.ENNOSHITA_ENTRY_SOURCES = {
        **settings.ENNOSHITA_ENTRY_SOURCES,
        "payroll.run": "payroll:run_detail",
    }
    try:
        expected = reverse("payroll:run_detail", args=[run.pk])
    except NoReverseMatch:
        pytest.skip("the runs part's run_detail screen is not there yet")
    assert entry_selectors.source_url(entry=entry) == expected


def test_a_bonus_run_books_to_bonus_with_officers_apart(org):
    run = make_run(org, kind="bonus")
    add_slip(run, person(org, org.sales, "1001"), department=org.sales, base=400_000, commute=0)
    add_slip(
        run, person(org, org.sales, "1009"), department=org.sales, base=600_000, commute=0, is_officer=True
    )
    run = confirm(org, finish(run))
    label = f"{run.pay_month.year}年{run.pay_month.month}月分 賞与"
    debits = [x for x in lines_of(JournalEntry.objects.get(pk=run.journal_entry_id)) if x[0] == "6130"]
    assert debits == [
        ("6130", "debit", 400_000, org.sales.pk, f"{label} 営業部 1名"),
        ("6130", "debit", 600_000, org.sales.pk, f"{label} 役員 営業部 1名"),
    ]


def test_no_one_transferred_needs_no_transfer_settings(org):
    settings_of(org.company, transfer_requester_code="", transfer_bank_code="")
    run = make_run(org)
    add_slip(run, person(org, org.sales, "1001"), department=org.sales, bank=None)
    run = confirm(org, finish(run))
    assert run.status == "confirmed" and run.transfer_document_id is None
    codes = [x[0] for x in lines_of(JournalEntry.objects.get(pk=run.journal_entry_id))]
    assert "1121" not in codes and codes[-1] == "2130"


# ------------------------------------------------------------------------------ refusals
def test_an_error_anomaly_refuses_and_names_who_and_why(org):
    run = make_run(org)
    add_slip(run, person(org, org.sales, "1001"), department=org.sales)
    add_slip(
        run,
        person(org, org.sales, "1002", given_name="次郎"),
        department=org.sales,
        anomalies=[
            {"level": "warning", "code": "pay_up", "message": "前月より30%増えました"},
            {"level": "error", "code": "no_grade", "message": "標準報酬月額が未登録です"},
        ],
    )
    with pytest.raises(ServiceError) as caught:
        confirm(org, finish(run))
    assert caught.value.code == "anomalies"
    assert caught.value.field_errors == {"anomalies": ["1002 山田 次郎: 標準報酬月額が未登録です"]}
    nothing_written(org, run)


def test_a_confirmed_run_is_final(org):
    run = confirm(org, three_people_run(org))
    with pytest.raises(ServiceError, match="確定済み") as caught:
        confirm(org, PayrollRun.objects.get(pk=run.pk))
    assert caught.value.code == "bad_state"
    assert JournalEntry.objects.filter(company=org.company, source_type="payroll.run").count() == 1
    assert Document.objects.filter(company=org.company, folder__name="給与振込データ").count() == 1
    assert (
        AuditEvent.objects.filter(company=org.company, action="confirm", object_id=str(run.pk)).count() == 1
    )


@pytest.mark.parametrize("who", ["hr", "employee"])
def test_only_accounting_and_admin_confirm(org, who):
    run = three_people_run(org)
    member = org.hr if who == "hr" else make_member(org.company, "staff", ["employee"])
    with pytest.raises(PermissionDeniedError):
        confirm(org, run, member)
    nothing_written(org, run)


def test_the_admin_may_confirm(org):
    assert confirm(org, three_people_run(org), org.admin).status == "confirmed"


def test_an_empty_or_discarded_run_is_refused(org):
    run = finish(make_run(org))
    with pytest.raises(ServiceError, match="明細が1件もない"):
        confirm(org, run)
    nothing_written(org, run)
    PayrollRun.objects.filter(pk=run.pk).update(status="discarded")
    with pytest.raises(ServiceError, match="破棄"):
        confirm(org, run)


def test_figures_that_do_not_add_up_are_refused(org):
    run = three_people_run(org)
    Payslip.objects.filter(run=run, employee_number="1001").update(net=246_821, transfer_amount=246_821)
    with pytest.raises(ServiceError) as caught:
        confirm(org, run)
    assert caught.value.field_errors["payslips"] == [
        "1001 山田 一郎: 差引支給額 246,821円 ≠ 総支給額 − 控除合計 246,820円"
    ]
    nothing_written(org, run)


def test_run_totals_that_differ_from_the_payslips_are_refused(org):
    run = three_people_run(org)
    PayrollRun.objects.filter(pk=run.pk).update(net_total=1)
    with pytest.raises(ServiceError, match="明細の数字が合わない"):
        confirm(org, run)
    nothing_written(org, run)


def test_missing_transfer_settings_refuse_and_write_nothing(org):
    settings_of(org.company, transfer_requester_code="", transfer_account_number="")
    run = three_people_run(org)
    with pytest.raises(ServiceError) as caught:
        confirm(org, run)
    assert caught.value.field_errors["settings"] == [
        "給与の設定で振込依頼人と振込元の口座を登録してください(未登録: 振込依頼人コード、振込元 口座番号)。"
    ]
    nothing_written(org, run)


def test_a_holder_name_banks_refuse_writes_nothing(org):
    run = three_people_run(org)
    slip = Payslip.objects.get(run=run, employee_number="1001")
    slip.bank = {"main": {**slip.bank["main"], "holder_kana": "山田太郎"}, "split": None}
    slip.save()
    with pytest.raises(ServiceError) as caught:
        confirm(org, run)
    assert caught.value.code == "bad_bank_data"
    assert "1001 山田 一郎 への振込" in caught.value.field_errors["transfers"][0]
    nothing_written(org, run)


def test_another_companys_run_is_not_found(org, other_company, outsider):
    from ennoshita.core.errors import NotFound

    run = three_people_run(org)
    with pytest.raises(NotFound):
        confirm_run(company=other_company, actor=outsider.user, membership=outsider, run=run)
    nothing_written(org, run)


# ------------------------------------------------------------------------------ concurrency
@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_once_confirm_once(company, admin, hr):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race is PostgreSQL's")
    org = make_org(company, admin, hr)
    run = three_people_run(org)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            confirm(org, PayrollRun.objects.get(pk=run.pk))
            results.append("ok")
        except ServiceError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["bad_state", "ok"], results
    assert JournalEntry.objects.filter(company=company, source_type="payroll.run").count() == 1
    assert Document.objects.filter(company=company, folder__name="給与振込データ").count() == 1
    assert AuditEvent.objects.filter(company=company, action="confirm", object_id=str(run.pk)).count() == 1


# ------------------------------------------------------------------------------ property
slip_figures = st.fixed_dictionaries(
    {
        "department": st.sampled_from([None, 1, 2, 3]),
        "officer": st.booleans(),
        "payments": st.lists(st.integers(-50_000, 2_000_000), min_size=1, max_size=4),
        "health": st.integers(0, 100_000),
        "child": st.integers(0, 5_000),
        "pension": st.integers(0, 120_000),
        "employment": st.integers(0, 20_000),
        "income_tax": st.integers(0, 300_000),
        "resident_tax": st.integers(0, 100_000),
        "items": st.lists(
            st.tuples(st.sampled_from(["union", "loan", "rent"]), st.integers(-5_000, 80_000)), max_size=3
        ),
        "employer": st.tuples(st.integers(0, 100_000), st.integers(0, 5_000), st.integers(0, 120_000)),
        "contribution": st.integers(0, 2_000),
        "split_share": st.integers(0, 100),
        "banked": st.booleans(),
    }
)


def _slip(f):
    gross = max(sum(f["payments"]), 0)
    si = f["health"] + f["child"] + f["pension"] + f["employment"]
    other = sum(a for _c, a in f["items"])
    deductions = si + f["income_tax"] + f["resident_tax"] + other
    net = gross - deductions
    transfer = net if f["banked"] and net > 0 else 0
    split = transfer * f["split_share"] // 100
    slip = SimpleNamespace(
        department_id=f["department"],
        department_name=f"部{f['department']}" if f["department"] else "",
        is_officer=f["officer"],
        gross=gross,
        health=f["health"],
        child_support=f["child"],
        pension=f["pension"],
        employment=f["employment"],
        social_insurance_total=si,
        income_tax=f["income_tax"],
        resident_tax=f["resident_tax"],
        other_deductions=other,
        deduction_total=deductions,
        net=net,
        employer_health=f["employer"][0],
        employer_child_support=f["employer"][1],
        employer_pension=f["employer"][2],
        transfer_amount=transfer - split,
        split_transfer_amount=split,
        inputs={"employer_child_contribution": f["contribution"]},
    )
    lines = [SimpleNamespace(kind="deduction", code=f"item:{c}", name=c, amount=a) for c, a in f["items"]]
    lines += [SimpleNamespace(kind="deduction", code="income_tax", name="所得税", amount=f["income_tax"])]
    return slip, lines


@hypothesis_settings(max_examples=60)
@given(st.lists(slip_figures, min_size=1, max_size=8), st.booleans())
def test_the_entry_balances_and_each_line_is_the_payslips_sum(raw, bonus):
    figures = []
    for f in raw:
        slip, lines = _slip(f)
        if slip.net < 0:
            with pytest.raises(ValueError, match="マイナス"):
                posting.figures_of(slip, lines)
            continue
        figures.append(posting.figures_of(slip, lines))
    assume(figures)
    out = posting.postings(figures=figures, label="2026年5月分 給与", bonus=bonus)
    assert all(p.amount > 0 for p in out)
    debit, credit = posting.totals(out)
    assert debit == credit

    def net_of(code, memo_start="", department=...):
        return sum(
            (p.amount if p.side == "debit" else -p.amount)
            for p in out
            if p.account_code == code
            and p.memo.startswith(memo_start)
            and (department is ... or p.department_id == department)
        )

    for dept in {f.department_id for f in figures}:
        mine = [f for f in figures if f.department_id == dept]
        pay = (
            net_of("6130", department=dept)
            if bonus
            else net_of("6110", department=dept) + net_of("6120", department=dept)
        )
        assert pay == sum(f.gross for f in mine)
        assert net_of("6150", department=dept) == sum(f.employer for f in mine)
    assert -net_of("2150", "源泉所得税") == sum(f.income_tax for f in figures)
    assert -net_of("2150", "住民税") == sum(f.resident_tax for f in figures)
    assert -net_of("2150", "社会保険料") == sum(f.social_insurance for f in figures)
    assert -net_of("2150", "雇用保険料") == sum(f.employment for f in figures)
    assert -net_of("2131") == sum(f.employer for f in figures)
    assert -net_of("1121") == sum(f.transfer for f in figures)
    assert -net_of("2130") == sum(f.net - f.transfer for f in figures)
    for item in ("union", "loan", "rent"):
        assert -net_of("2150", item) == sum(f.items.get((f"item:{item}", item), 0) for f in figures)
