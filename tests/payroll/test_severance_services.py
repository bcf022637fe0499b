"""退職金 services: a draft computed on save with its defaults (hire date, 退職日, the 住民税
notice's municipality), edits, discard, and confirm — one balanced entry (Dr 退職金 / Cr 預り金 ×2,
未払金), the 源泉徴収票 filed, the row final; every refusal writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents.models import Document
from ennoshita.ledger.models import JournalEntry, JournalLine
from ennoshita.payroll.models import SeverancePay
from ennoshita.payroll.services import severance as services
from ennoshita.payroll.services.severance import (
    compute_severance,
    confirm_severance,
    create_severance,
    discard_severance,
    update_severance,
)

from ..conftest import make_department, make_employee, make_member
from .confirm_builders import make_org
from .factories import make_resident_tax

pytestmark = pytest.mark.django_db
OBJECT_TYPE = "payroll.severancepay"


def leaving_day() -> date:
    """The 1st of this month: inside the books' open fiscal years whatever today is."""
    return timezone.localdate().replace(day=1)


def years_before(end: date, years: int) -> date:
    """The first day of a service of exactly ``years`` years ending on ``end``."""
    return end.replace(year=end.year - years) + timedelta(days=1)


def leaver(org, number: str = "3001", years: int = 20, **fields):
    end = leaving_day()
    values = {
        "family_name": "退職",
        "given_name": "太郎",
        "family_name_kana": "タイショク",
        "given_name_kana": "タロウ",
        "hire_date": years_before(end, years),
        "retire_date": end,
        "postal_code": "100-0001",
        "address": "東京都千代田区千代田1-1",
    }
    values.update(fields)
    return make_employee(org.company, org.hr, org.sales, number=number, **values)


def draft(org, employee, member=None, **kwargs):
    m = member or org.hr
    values = {"paid_on": leaving_day() + timedelta(days=9), "amount": 20_000_000}
    values.update(kwargs)
    return create_severance(company=org.company, actor=m.user, membership=m, employee=employee, **values)


def confirm(org, row, member=None):
    m = member or org.accountant
    return confirm_severance(company=org.company, actor=m.user, membership=m, severance=row)


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


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


# ------------------------------------------------------------------------------ drafts
def test_a_draft_takes_its_dates_from_the_employee_and_is_computed(org):
    """20年, 2,000万: 控除 800万, 課税 600万, 所得税 788,722, 住民税 360,000 + 240,000."""
    person = leaver(org)
    make_resident_tax(person, leaving_day().year + 1, 120_000, municipality="新宿区")  # another 年度
    row = draft(org, person)
    assert (row.service_from, row.service_to) == (person.hire_date, person.retire_date)
    assert (row.service_years, int(row.deduction), int(row.taxable_income)) == (20, 8_000_000, 6_000_000)
    assert (int(row.income_tax), int(row.city_tax), int(row.prefecture_tax)) == (788_722, 360_000, 240_000)
    assert int(row.net) == 20_000_000 - 788_722 - 600_000
    assert row.status == "draft" and row.municipality_name == ""
    assert [s["label"] for s in row.steps][:2] == ["退職手当等の収入金額", "勤続年数"]
    event = AuditEvent.objects.get(
        company=org.company, object_type=OBJECT_TYPE, action="create", object_id=str(row.pk)
    )
    assert event.changes["fields"]["income_tax"] == [None, "788722"]


def test_the_municipality_comes_from_the_resident_tax_notice_of_the_year(org):
    person = leaver(org)
    make_resident_tax(person, leaving_day().year, 240_000, municipality="千代田区")
    row = draft(org, person)
    assert (row.municipality_code, row.municipality_name) == ("131016", "千代田区")
    typed = draft(org, person, municipality_code="131041", municipality_name="新宿区")
    assert (typed.municipality_code, typed.municipality_name) == ("131041", "新宿区")


def test_an_edit_computes_again_and_is_audited(org):
    person = leaver(org)
    row = draft(org, person)
    row = update_severance(
        company=org.company, actor=org.hr.user, membership=org.hr, severance=row, employee=person,
        paid_on=row.paid_on, amount=20_000_000, declaration=False, disability=True,
    )  # fmt: skip
    assert int(row.deduction) == 9_000_000 and int(row.income_tax) == 4_084_000  # 20.42%
    assert int(row.taxable_income) == 5_500_000 and int(row.city_tax) == 330_000
    event = AuditEvent.objects.get(
        company=org.company, object_type=OBJECT_TYPE, action="update", object_id=str(row.pk)
    )
    assert event.changes["fields"]["income_tax"] == ["788722", "4084000"]


def test_compute_again_keeps_the_inputs(org):
    row = draft(org, leaver(org))
    SeverancePay.objects.filter(pk=row.pk).update(income_tax=1)
    row.refresh_from_db()
    row = compute_severance(company=org.company, actor=org.hr.user, membership=org.hr, severance=row)
    assert int(row.income_tax) == 788_722
    assert AuditEvent.objects.filter(
        company=org.company, object_type=OBJECT_TYPE, action="compute", object_id=str(row.pk)
    ).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"paid_on": date(2000, 1, 1)}, "paid_on"),  # before the first day of service
        ({"service_from": date(2030, 1, 1)}, "service_to"),
        ({"officer_from": date(1990, 1, 1)}, "officer_from"),
        ({"municipality_code": "12"}, "municipality_code"),
    ],
)
def test_refusals_name_their_field_and_write_nothing(org, kwargs, field):
    person = leaver(org)
    with pytest.raises(ServiceError) as caught:
        draft(org, person, **kwargs)
    assert field in caught.value.field_errors
    assert not SeverancePay.objects.filter(company=org.company).exists()
    assert not AuditEvent.objects.filter(company=org.company, object_type=OBJECT_TYPE).exists()


def test_an_employee_without_a_leaving_date_needs_one(org):
    person = leaver(org, retire_date=None)
    with pytest.raises(ServiceError) as caught:
        draft(org, person)
    assert "service_to" in caught.value.field_errors
    row = draft(org, person, service_to=leaving_day())
    assert row.service_years == 20


def test_a_payment_after_leaving_is_fine(org):
    row = draft(org, leaver(org), paid_on=leaving_day() + timedelta(days=40))
    assert row.paid_on > row.service_to


def test_an_employee_of_another_company_is_refused(org, other_company, outsider):
    stranger = make_employee(
        other_company,
        outsider,
        make_department(other_company, outsider),
        number="X1",
        hire_date=date(2010, 4, 1),
    )
    with pytest.raises(ServiceError) as caught:
        draft(org, stranger, service_to=leaving_day())
    assert caught.value.field_errors == {"employee": ["社員が見つかりません。"]}
    with pytest.raises(ServiceError):
        draft(org, stranger.pk, service_to=leaving_day())
    assert not SeverancePay.objects.exists()


def test_a_plain_employee_cannot_create(org, employee_member):
    with pytest.raises(PermissionDeniedError):
        draft(org, leaver(org), member=employee_member)
    assert not SeverancePay.objects.exists()


# ------------------------------------------------------------------------------ confirm
def test_confirm_posts_one_balanced_entry_and_files_the_certificate(org):
    person = leaver(org)
    make_resident_tax(person, leaving_day().year, 240_000, municipality="千代田区")
    row = confirm(org, draft(org, person))
    entry = JournalEntry.objects.get(company=org.company, source_type="payroll.severance")
    assert row.status == "confirmed" and row.journal_entry_id == entry.pk
    assert row.confirmed_by_id == org.accountant.user_id and row.confirmed_at is not None
    assert entry.date == row.paid_on and entry.source_id == str(row.pk) and entry.status == "posted"
    who = "3001 退職 太郎"
    assert lines_of(entry) == [
        ("6140", "debit", 20_000_000, org.sales.pk, f"退職金 {who}"),
        ("2150", "credit", 788_722, None, f"源泉所得税(退職所得) {who}"),
        ("2150", "credit", 600_000, None, f"住民税(退職所得 千代田区) {who}"),
        ("2130", "credit", 20_000_000 - 788_722 - 600_000, None, f"退職金 差引支給額 {who}"),
    ]
    document = Document.objects.get(pk=row.document_id)
    assert document.folder.name == services.FOLDER
    assert document.name.endswith(".pdf")
    event = AuditEvent.objects.get(
        company=org.company, object_type=OBJECT_TYPE, action="confirm", object_id=str(row.pk)
    )
    assert event.changes["extra"]["entry_total"] == 20_000_000
    assert event.changes["fields"]["status"] == ["draft", "confirmed"]


def test_a_payment_within_the_deduction_posts_no_tax_lines(org):
    row = confirm(org, draft(org, leaver(org), amount=3_000_000))
    entry = JournalEntry.objects.get(pk=row.journal_entry_id)
    assert [(c, s, a) for c, s, a, _d, _m in lines_of(entry)] == [
        ("6140", "debit", 3_000_000),
        ("2130", "credit", 3_000_000),
    ]


def nothing_confirmed(org, row, documents=0):
    row.refresh_from_db()
    assert row.status == "draft" and row.journal_entry_id is None and row.document_id is None
    assert row.confirmed_at is None and row.confirmed_by_id is None
    assert not JournalEntry.objects.filter(company=org.company, source_type="payroll.severance").exists()
    assert Document.objects.filter(company=org.company, folder__name=services.FOLDER).count() == documents
    assert not AuditEvent.objects.filter(
        company=org.company, object_type=OBJECT_TYPE, action="confirm", object_id=str(row.pk)
    ).exists()


def test_hr_cannot_confirm(org):
    row = draft(org, leaver(org))
    with pytest.raises(PermissionDeniedError):
        confirm(org, row, member=org.hr)
    nothing_confirmed(org, row)


def test_a_stale_draft_is_refused(org):
    row = draft(org, leaver(org))
    SeverancePay.objects.filter(pk=row.pk).update(income_tax=1, net=int(row.net) + 788_721)
    row.refresh_from_db()
    with pytest.raises(ServiceError) as caught:
        confirm(org, row)
    assert caught.value.code == "stale"
    nothing_confirmed(org, row)


def test_a_missing_account_rolls_everything_back(org):
    """The document is filed before the entry is posted: a failure of the posting must take the
    document back with it (all or nothing)."""
    from ennoshita.ledger.models import Account

    row = draft(org, leaver(org))
    Account.objects.filter(company=org.company, code="2130").update(code="2139")
    with pytest.raises(ServiceError) as caught:
        confirm(org, row)
    assert caught.value.code == "no_account" and "2130" in str(caught.value.field_errors)
    nothing_confirmed(org, row)


def test_a_confirmed_payment_is_final(org):
    person = leaver(org)
    row = confirm(org, draft(org, person))
    for act in (
        lambda: update_severance(
            company=org.company, actor=org.hr.user, membership=org.hr, severance=row, employee=person,
            paid_on=row.paid_on, amount=1,
        ),
        lambda: compute_severance(company=org.company, actor=org.hr.user, membership=org.hr, severance=row),
        lambda: discard_severance(company=org.company, actor=org.hr.user, membership=org.hr, severance=row, reason="x"),
        lambda: confirm(org, row),
    ):  # fmt: skip
        with pytest.raises(ServiceError) as caught:
            act()
        assert caught.value.code == "bad_state"
    row.refresh_from_db()
    assert int(row.amount) == 20_000_000 and row.status == "confirmed"
    assert JournalEntry.objects.filter(source_type="payroll.severance").count() == 1


def test_discard_needs_a_reason_and_ends_the_draft(org):
    row = draft(org, leaver(org))
    with pytest.raises(ServiceError):
        discard_severance(
            company=org.company, actor=org.hr.user, membership=org.hr, severance=row, reason=" "
        )
    row = discard_severance(
        company=org.company, actor=org.hr.user, membership=org.hr, severance=row, reason="金額の誤り"
    )
    assert row.status == "discarded"
    event = AuditEvent.objects.get(
        company=org.company, object_type=OBJECT_TYPE, action="discard", object_id=str(row.pk)
    )
    assert event.changes["extra"] == {"reason": "金額の誤り"}
    with pytest.raises(ServiceError):
        confirm(org, row)


def test_another_companys_payment_is_not_found(org, other_company, outsider):
    row = draft(org, leaver(org))
    with pytest.raises(NotFound):
        confirm_severance(company=other_company, actor=outsider.user, membership=outsider, severance=row)
    nothing_confirmed(org, row)


def test_the_accountant_role_alone_may_confirm(org):
    keiri = make_member(org.company, "keiri-only", ["accounting"])
    row = confirm(org, draft(org, leaver(org)), member=keiri)
    assert row.status == "confirmed"
