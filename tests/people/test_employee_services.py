from __future__ import annotations

from datetime import date

import pytest

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.people import selectors, services
from ennoshita.people.models import Employee

from ..conftest import make_employee


def test_input_is_normalised(company, hr, department):
    e = make_employee(
        company,
        hr,
        department,
        number="０１２",
        family_name_kana="やまだ",
        given_name_kana="ﾀﾛｳ",
        postal_code="〒１５０－０００２",
        phone="０３ １２３４ ５６７８",
        bank_code="0001",
        bank_branch_code="１２３",
        bank_account_number="12345",
        bank_account_holder_kana="ﾔﾏﾀﾞ ﾀﾛｳ",
    )
    assert (e.number, e.family_name_kana, e.given_name_kana) == ("012", "ヤマダ", "タロウ")
    assert (e.postal_code, e.phone) == ("150-0002", "03-1234-5678")
    assert (e.bank_branch_code, e.bank_account_number, e.bank_account_holder_kana) == (
        "123",
        "0012345",
        "ヤマダ タロウ",
    )


def test_every_bad_field_is_reported_and_nothing_written(company, hr, department):
    before = (Employee.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as err:
        make_employee(
            company,
            hr,
            department,
            family_name_kana="Yamada",
            postal_code="12-34",
            phone="12",
            bank_code="1",
            birth_date=date(2021, 1, 1),
            hire_date=date(2020, 4, 1),
            retire_date=date(2019, 1, 1),
        )
    fields = err.value.field_errors
    assert {"family_name_kana", "postal_code", "phone", "bank_code"} <= set(fields)
    assert (Employee.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"bank_code": "9998", "bank_branch_code": "001"}, "bank_code"),  # no such bank in the data
        ({"bank_code": "0001", "bank_branch_code": "999"}, "bank_branch_code"),  # no such branch of みずほ
        ({"bank_code": "0001", "bank_account_holder_kana": "山田太郎"}, "bank_account_holder_kana"),
    ],
)
def test_a_bank_account_a_transfer_file_cannot_carry_is_refused(company, hr, department, fields, bad):
    """jp-rules §8: the code must exist in the bank-code data and the name be in bank characters."""
    before = (Employee.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as err:
        make_employee(company, hr, department, **fields)
    assert set(err.value.field_errors) == {bad}
    assert (Employee.objects.count(), AuditEvent.objects.count()) == before


def test_dates_are_checked_against_each_other(company, hr, department):
    with pytest.raises(ServiceError) as err:
        make_employee(
            company,
            hr,
            department,
            birth_date=date(2021, 1, 1),
            hire_date=date(2020, 4, 1),
            retire_date=date(2019, 1, 1),
        )
    assert {"birth_date", "retire_date"} <= set(err.value.field_errors)


def test_employee_numbers_are_unique_per_company(company, hr, department, other_company, outsider):
    make_employee(company, hr, department, number="0001")
    with pytest.raises(ServiceError) as err:
        make_employee(company, hr, department, number="0001")
    assert "number" in err.value.field_errors
    from ..conftest import make_department

    make_employee(other_company, outsider, make_department(other_company, outsider), number="0001")


def test_update_records_before_and_after(company, hr, department):
    e = make_employee(company, hr, department)
    services.update_employee(
        company=company, actor=hr.user, membership=hr, employee=e, address="東京都港区1-1"
    )
    ev = AuditEvent.objects.filter(object_type="people.employee", object_id=str(e.pk)).last()
    assert ev.action == "update" and ev.changes["fields"] == {"address": ["", "東京都港区1-1"]}


def test_an_update_that_changes_nothing_writes_no_event(company, hr, department):
    e = make_employee(company, hr, department)
    count = AuditEvent.objects.count()
    services.update_employee(company=company, actor=hr.user, membership=hr, employee=e, family_name="山田")
    assert AuditEvent.objects.count() == count


def test_deletion_is_in_the_history(company, hr, department):
    e = make_employee(company, hr, department)
    pk = e.pk
    services.delete_employee(company=company, actor=hr.user, membership=hr, employee=e)
    ev = AuditEvent.objects.filter(object_type="people.employee", object_id=str(pk)).last()
    assert ev.action == "delete" and ev.changes["fields"]["family_name"] == ["山田", None]


def test_an_employee_sees_only_their_own_record(company, hr, department, employee_member):
    colleague = make_employee(company, hr, department, number="0002")
    own = selectors.own_employee_record(company=company, membership=employee_member)
    assert selectors.get_employee(company=company, membership=employee_member, employee_id=own.pk) == own
    with pytest.raises(NotFound):
        selectors.get_employee(company=company, membership=employee_member, employee_id=colleague.pk)
    assert [x.pk for x in selectors.employee_list(company=company, membership=employee_member)] == [own.pk]


def test_another_companys_employee_is_not_found(company, hr, department, outsider):
    e = make_employee(company, hr, department)
    with pytest.raises(NotFound):
        selectors.get_employee(company=outsider.company, membership=outsider, employee_id=e.pk)
    with pytest.raises(NotFound):
        services.update_employee(
            company=outsider.company, actor=outsider.user, membership=outsider, employee=e, address="x"
        )


def test_employees_cannot_write(company, department, employee_member):
    with pytest.raises(PermissionDeniedError):
        make_employee(company, employee_member, department, number="0009")


def test_search_finds_half_width_and_hiragana(company, hr, department):
    e = make_employee(
        company, hr, department, family_name="鈴木", family_name_kana="スズキ", given_name_kana="イチロウ"
    )
    for q in ("ｽｽﾞｷ", "すずき", "鈴木", "スズキ　イチロウ"):
        assert [x.pk for x in selectors.employee_list(company=company, membership=hr, q=q)] == [e.pk], q
    assert list(selectors.employee_list(company=company, membership=hr, q="佐藤")) == []


def test_a_user_links_to_one_employee_only(company, hr, department, employee_member):
    with pytest.raises(ServiceError) as err:
        make_employee(company, hr, department, number="0003", user=employee_member.user)
    assert "user" in err.value.field_errors
