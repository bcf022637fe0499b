"""仕入先: validation (nothing written on error), 登録番号, the bank account, 支払条件, audit events,
stopping and deleting."""

from __future__ import annotations

import pytest

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.purchasing.models import Vendor
from ennoshita.purchasing.selectors import vendors as selectors
from ennoshita.purchasing.services import vendors as services

from .conftest import make_vendor, save_bill, vendor_input


def _events(org, action, vendor=None):
    qs = AuditEvent.objects.filter(company=org.company, object_type="purchasing.vendor", action=action)
    return qs.filter(object_id=str(vendor.pk)) if vendor else qs


def _refused(org, field, **kw):
    before = Vendor.objects.count()
    with pytest.raises(ServiceError) as info:
        make_vendor(org, **kw)
    assert field in info.value.field_errors, info.value.field_errors
    assert Vendor.objects.count() == before
    return info.value.field_errors[field][0]


def test_create_vendor_stores_bank_values_as_banks_want_them(org):
    vendor = make_vendor(org, account_number="12345", account_holder="カブシキガイシャ　ヤマダショウジ")
    assert vendor.account_number == "0012345"
    assert vendor.account_holder == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"
    assert vendor.registration_number == "T7000012050002"
    event = _events(org, "create", vendor).get()
    assert event.changes["fields"]["account_holder"] == [None, "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"]
    assert event.changes["fields"]["code"] == [None, "V001"]


def test_kanji_company_name_becomes_its_abbreviation(org):
    vendor = make_vendor(org, account_holder="株式会社ヤマダ")
    assert vendor.account_holder == "ｶ)ﾔﾏﾀﾞ"


def test_full_width_input_is_normalised(org):
    vendor = make_vendor(
        org, registration_number="ｔ７０００-０１２０-５０００２", bank_code="０００１", branch_code="００１"
    )
    assert vendor.registration_number == "T7000012050002"
    assert (vendor.bank_code, vendor.branch_code) == ("0001", "001")


def test_kanji_holder_is_refused_with_the_character(org):
    message = _refused(org, "account_holder", account_holder="山田太郎")
    assert "山" in message and "カナ" in message


def test_duplicate_code_is_refused(org):
    make_vendor(org)
    message = _refused(org, "code", name="別の会社")
    assert "V001" in message


def test_another_company_may_use_the_same_code(org, other_company, outsider):
    make_vendor(org)
    other = services.create_vendor(
        company=other_company, actor=outsider.user, membership=outsider, data=vendor_input()
    )
    assert other.code == "V001"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("T123", "13桁"),
        ("1234567890123", "13桁"),  # the T is missing
        ("T8000012050002", "検査数字"),  # 国税庁's number with a wrong check digit
    ],
)
def test_bad_registration_numbers_are_refused(org, number, fragment):
    assert fragment in _refused(org, "registration_number", registration_number=number)


def test_an_individual_number_is_not_checked_against_the_corporate_rule(org):
    vendor = make_vendor(org, registration_number="T8000012050002", is_individual=True)
    assert vendor.registration_number == "T8000012050002"
    assert vendor.is_individual


def test_no_registration_number_is_fine(org):
    vendor = make_vendor(org, registration_number="")
    assert not vendor.is_qualified_issuer


def test_unknown_bank_code_names_the_code(org):
    assert "9999" in _refused(org, "bank_code", bank_code="9999")


def test_unknown_branch_names_the_code(org):
    message = _refused(org, "branch_code", bank_code="0009", branch_code="100")
    assert "100" in message and "三井住友" in message


def test_bank_code_must_be_four_digits(org):
    assert "4桁" in _refused(org, "bank_code", bank_code="12")


def test_account_number_over_seven_digits_is_refused(org):
    assert "7桁" in _refused(org, "account_number", account_number="12345678")


def test_half_a_bank_account_is_refused(org):
    before = Vendor.objects.count()
    with pytest.raises(ServiceError) as info:
        make_vendor(org, account_number="", account_holder="")
    assert set(info.value.field_errors) == {"account_number", "account_holder"}
    assert Vendor.objects.count() == before


def test_no_bank_account_at_all_is_fine(org):
    vendor = make_vendor(org, bank_code="", branch_code="", account_number="", account_holder="")
    assert vendor.bank_code == "" and vendor.account_holder == ""


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"closing_day": 0}, "closing_day"),
        ({"closing_day": 32}, "closing_day"),
        ({"payment_month_offset": 7}, "payment_month_offset"),
        ({"payment_day": 0}, "payment_day"),
        ({"closing_day": 20, "payment_month_offset": 0, "payment_day": 10}, "payment_day"),
    ],
)
def test_bad_terms_are_refused(org, terms, field):
    _refused(org, field, **terms)


def test_default_account_must_be_active(org):
    assert "9999" in _refused(org, "default_account_code", default_account_code="9999")
    vendor = make_vendor(org, default_account_code="6410")
    assert vendor.default_account_code == "6410"


def test_employee_may_not_create_vendors(org):
    with pytest.raises(PermissionDeniedError):
        make_vendor(org, member=org.employee)
    assert not Vendor.objects.exists()


def test_update_records_before_and_after(org, vendor):
    services.update_vendor(
        company=org.company,
        actor=org.clerk.user,
        membership=org.clerk,
        vendor=vendor,
        data=vendor_input(name="株式会社山田商事(新)", payment_day=10),
    )
    vendor.refresh_from_db()
    assert vendor.payment_day == 10
    event = _events(org, "update", vendor).get()
    assert event.changes["fields"]["payment_day"] == [31, 10]
    assert event.changes["fields"]["name"] == ["株式会社山田商事", "株式会社山田商事(新)"]
    assert "bank_code" not in event.changes["fields"]  # only what changed


def test_update_refused_writes_nothing(org, vendor):
    with pytest.raises(ServiceError):
        services.update_vendor(
            company=org.company,
            actor=org.clerk.user,
            membership=org.clerk,
            vendor=vendor,
            data=vendor_input(name="変更", bank_code="9999"),
        )
    vendor.refresh_from_db()
    assert vendor.name == "株式会社山田商事"
    assert not _events(org, "update", vendor).exists()


def test_another_companys_vendor_is_not_found(org, vendor, outsider, other_company):
    with pytest.raises(NotFound):
        services.update_vendor(
            company=other_company,
            actor=outsider.user,
            membership=outsider,
            vendor=vendor,
            data=vendor_input(),
        )
    with pytest.raises(NotFound):
        selectors.get_vendor(company=other_company, membership=outsider, vendor_id=vendor.pk)


def test_deactivate_keeps_the_vendor_and_blocks_new_bills(org, vendor):
    services.deactivate_vendor(company=org.company, actor=org.clerk.user, membership=org.clerk, vendor=vendor)
    vendor.refresh_from_db()
    assert not vendor.is_active
    assert _events(org, "deactivate", vendor).count() == 1
    with pytest.raises(ServiceError) as info:
        save_bill(org, vendor)
    assert "vendor" in info.value.field_errors


def test_a_vendor_with_bills_cannot_be_deleted(org, vendor):
    save_bill(org, vendor)
    with pytest.raises(PermissionDeniedError):
        services.delete_vendor(company=org.company, actor=org.clerk.user, membership=org.clerk, vendor=vendor)
    assert Vendor.objects.filter(pk=vendor.pk).exists()


def test_an_unused_vendor_can_be_deleted(org, vendor):
    services.delete_vendor(company=org.company, actor=org.clerk.user, membership=org.clerk, vendor=vendor)
    assert not Vendor.objects.filter(pk=vendor.pk).exists()
    assert _events(org, "delete").count() == 1


def test_search_by_code_name_kana_and_number(org, vendor):
    make_vendor(org, code="V002", name="有限会社すずき", kana="スズキ", registration_number="")
    find = lambda q: [v.code for v in selectors.vendor_list(company=org.company, membership=org.clerk, q=q)]
    assert find("V00") == ["V001", "V002"]
    assert find("山田") == ["V001"]
    assert find("スズキ") == ["V002"]
    assert find("T7000012050002") == ["V001"]
    assert find("7000-0120") == ["V001"]


def test_bank_candidates_by_name_code_and_kana(org):
    assert selectors.bank_candidates(q="みずほ")[0].code == "0001"
    assert selectors.bank_candidates(q="0009")[0].name == "三井住友"
    assert selectors.bank_candidates(q="ﾐﾂﾋﾞｼ")[0].code == "0005"
    assert next(b.code for b in selectors.branch_candidates(bank_code="0001", q="東京営業部")) == "001"
