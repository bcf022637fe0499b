"""契約書: registering (number, 印紙税, current end), every refused input with nothing written, the
status table, files as versions of one document, automatic renewal and expiry, alerts sent once to
the owner and 法務, and who sees and changes what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.documents.models import Document, DocumentVersion, Folder, Share
from ennoshita.legal.models import Contract, ContractAlert
from ennoshita.legal.selectors import contracts as selectors
from ennoshita.legal.services import contracts as services
from ennoshita.purchasing.services.vendors import VendorInput, create_vendor
from ennoshita.sales.services.customers import create_customer
from tests.conftest import make_member
from tests.legal.contracts_fixtures import PDF_1, PDF_2, data, make_contract, me

pytest_plugins = ["tests.legal.contracts_fixtures"]

pytestmark = pytest.mark.django_db


def contract_events(contract: Contract | None = None) -> int:
    qs = AuditEvent.objects.filter(object_type="legal.contract")
    return qs.filter(object_id=str(contract.pk)).count() if contract else qs.count()


# ------------------------------------------------------------------------------ registering
def test_a_contract_gets_its_number_current_end_and_an_audit_event(legal):
    c = make_contract(legal)
    assert c.number.startswith("C-") and c.number.endswith("-0001")
    assert make_contract(legal, title="2件目").number.endswith("-0002")
    assert c.status == "draft" and c.current_end_on == date(2027, 3, 31)
    assert c.owner_id == legal.user_id and c.created_by_id == legal.user_id
    event = AuditEvent.objects.get(object_type="legal.contract", object_id=str(c.pk))
    assert event.action == "create" and event.changes["fields"]["title"] == [None, "業務委託契約書"]


@pytest.mark.parametrize(
    ("stamp_document", "paper", "amount", "tax", "duty"),
    [
        ("2", True, 2_500_000, 250_000, 1_000),  # 請負 2,500,000 (税抜) → 200万超300万以下
        ("2", False, 2_500_000, 250_000, 0),  # 電子契約: 課税文書を作成しない
        ("7", True, None, 0, 4_000),  # 継続的取引の基本となる契約書
        ("1-3", True, None, 0, 200),  # 金額の記載なし
        ("none", True, 5_000_000, 0, 0),
    ],
)
def test_the_stamp_duty_is_computed_and_stored(legal, stamp_document, paper, amount, tax, duty):
    c = make_contract(
        legal, stamp_document=stamp_document, paper_original=paper, amount=amount, tax_amount=tax
    )
    assert c.stamp_duty == duty


def test_editing_recomputes_the_stamp_duty_and_moves_the_current_end(legal):
    c = make_contract(legal, stamp_document="2", paper_original=True, amount=900_000)
    assert c.stamp_duty == 200
    c = services.update_contract(
        **me(legal),
        contract=c,
        data=data(stamp_document="2", paper_original=True, amount=6_000_000, ends_on=date(2027, 9, 30)),
    )
    assert c.stamp_duty == 10_000 and c.current_end_on == date(2027, 9, 30)
    event = AuditEvent.objects.filter(object_type="legal.contract", action="update").get()
    assert event.changes["fields"]["stamp_duty"] == ["200", "10000"]


def test_saving_the_same_values_records_nothing(legal):
    c = make_contract(legal)
    services.update_contract(**me(legal), contract=c, data=data())
    assert contract_events(c) == 1


def test_a_customer_or_vendor_gives_the_counterparty_name(company, admin, legal):
    customer = create_customer(**me(admin), code="C001", name="株式会社みなと商会")
    vendor = create_vendor(**me(admin), data=VendorInput(code="V001", name="さくら商事"))
    c1 = make_contract(legal, counterparty_kind="customer", customer_id=customer.pk, counterparty_name="")
    c2 = make_contract(
        legal, counterparty_kind="vendor", vendor_id=vendor.pk, counterparty_name="さくら商事 東京支店"
    )
    assert (c1.customer_id, c1.counterparty_name) == (customer.pk, "株式会社みなと商会")
    assert (c2.vendor_id, c2.counterparty_name) == (vendor.pk, "さくら商事 東京支店")


# ------------------------------------------------------------------------------ refused input
BAD = {
    "end_before_start": ({"starts_on": date(2026, 4, 1), "ends_on": date(2026, 3, 31)}, "ends_on"),
    "auto_renew_without_end": ({"ends_on": None, "auto_renew": True}, "ends_on"),
    "notice_longer_than_term": (
        {"starts_on": date(2026, 4, 1), "ends_on": date(2026, 6, 30), "auto_renew": True, "notice_period": 6},
        "notice_period",
    ),
    "notice_days_longer_than_term": (
        {
            "starts_on": date(2026, 4, 1),
            "ends_on": date(2026, 4, 30),
            "notice_period": 45,
            "notice_unit": "days",
        },
        "notice_period",
    ),
    "negative_amount": ({"amount": -1}, "amount"),
    "negative_tax": ({"tax_amount": -1}, "tax_amount"),
    "tax_over_amount": ({"amount": 1000, "tax_amount": 1001}, "tax_amount"),
    "tax_without_amount": ({"amount": None, "tax_amount": 100}, "tax_amount"),
    "relation_without_parent": ({"relation": "individual"}, "relation"),
    "no_title": ({"title": "  "}, "title"),
    "no_counterparty": ({"counterparty_name": ""}, "counterparty_name"),
    "bad_type": ({"contract_type": "marriage"}, "contract_type"),
    "bad_stamp_document": ({"stamp_document": "99"}, "stamp_document"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_on_its_field_with_nothing_written(legal, case):
    fields, field = BAD[case]
    with pytest.raises(ServiceError) as caught:
        make_contract(legal, **fields)
    assert field in caught.value.field_errors, caught.value.field_errors
    assert Contract.objects.count() == 0 and contract_events() == 0


def test_a_parent_without_relation_or_of_another_company_or_itself_is_refused(legal, outsider):
    parent = make_contract(legal, title="取引基本契約")
    theirs = make_contract(outsider, title="よその契約")
    with pytest.raises(ServiceError) as caught:
        make_contract(legal, parent_id=parent.pk)
    assert "relation" in caught.value.field_errors
    with pytest.raises(ServiceError) as caught:
        make_contract(legal, parent_id=theirs.pk, relation="individual")
    assert "parent" in caught.value.field_errors
    with pytest.raises(ServiceError) as caught:
        services.update_contract(
            **me(legal), contract=parent, data=data(parent_id=parent.pk, relation="amendment")
        )
    assert "parent" in caught.value.field_errors
    child = make_contract(legal, parent_id=parent.pk, relation="individual")
    with pytest.raises(ServiceError) as caught:  # a loop through the child
        services.update_contract(
            **me(legal), contract=parent, data=data(parent_id=child.pk, relation="amendment")
        )
    assert "parent" in caught.value.field_errors
    parent.refresh_from_db()
    assert parent.parent_id is None and Contract.objects.filter(company=legal.company).count() == 2


def test_a_customer_or_vendor_of_another_company_is_refused(legal, outsider):
    customer = create_customer(**me(outsider), code="C001", name="よその得意先")
    vendor = create_vendor(**me(outsider), data=VendorInput(code="V001", name="よその仕入先"))
    with pytest.raises(ServiceError) as caught:
        make_contract(legal, counterparty_kind="customer", customer_id=customer.pk)
    assert "customer" in caught.value.field_errors
    with pytest.raises(ServiceError) as caught:
        make_contract(legal, counterparty_kind="vendor", vendor_id=vendor.pk)
    assert "vendor" in caught.value.field_errors
    assert Contract.objects.filter(company=legal.company).count() == 0


def test_registering_a_signed_contract_needs_its_signing_date_and_legal(legal, employee_member):
    with pytest.raises(ServiceError) as caught:
        make_contract(legal, status="signed")
    assert "signed_on" in caught.value.field_errors
    with pytest.raises(PermissionDeniedError):
        make_contract(employee_member, status="active", signed_on=date(2026, 3, 1))
    c = make_contract(legal, status="active", signed_on=date(2026, 3, 1))
    assert (c.status, c.signed_on) == ("active", date(2026, 3, 1))
    assert Contract.objects.count() == 1


# ------------------------------------------------------------------------------ status
def move(m, c, to, **kw):
    return services.change_contract_status(**me(m), contract=c, to=to, **kw)


def test_the_whole_life_of_a_contract(legal):
    c = make_contract(legal, stamp_document="2", paper_original=True, amount=2_000_000)
    for to in ("in_review", "draft", "in_review", "negotiating", "in_review", "negotiating"):
        c = move(legal, c, to)
    c = move(legal, c, "signed", signed_on=date(2026, 3, 20))
    assert (c.status, c.signed_on, c.stamp_duty) == ("signed", date(2026, 3, 20), 400)
    c = move(legal, c, "active")
    c = move(legal, c, "terminated", terminated_on=date(2026, 12, 31))
    assert (c.status, c.terminated_on) == ("terminated", date(2026, 12, 31))
    assert AuditEvent.objects.filter(object_type="legal.contract", action="contract_status").count() == 9


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ((), "signed"),
        ((), "active"),
        ((), "expired"),
        (("in_review",), "active"),
        (("in_review", "negotiating", "signed"), "draft"),
        (("in_review", "negotiating", "signed", "active"), "negotiating"),
        (("in_review", "negotiating", "signed", "active"), "expired"),  # the job's, not a person's
    ],
)
def test_moves_not_in_the_table_are_refused(legal, path, to):
    c = make_contract(legal)
    for step in path:
        c = move(legal, c, step, signed_on=date(2026, 3, 1))
    before = contract_events(c)
    with pytest.raises(ServiceError) as caught:
        move(legal, c, to, signed_on=date(2026, 3, 1))
    assert caught.value.code == "bad_transition"
    c.refresh_from_db()
    assert c.status == (path[-1] if path else "draft") and contract_events(c) == before


def test_signing_and_ending_need_their_dates_or_reason(legal):
    c = make_contract(legal)
    with pytest.raises(ServiceError) as caught:
        move(legal, c, "terminated")
    assert "reason" in caught.value.field_errors
    move(legal, c, "in_review")
    move(legal, c, "negotiating")
    with pytest.raises(ServiceError) as caught:
        move(legal, c, "signed")
    assert "signed_on" in caught.value.field_errors
    move(legal, c, "signed", signed_on=date(2026, 3, 1))
    with pytest.raises(ServiceError) as caught:
        move(legal, c, "terminated")
    assert "terminated_on" in caught.value.field_errors
    c.refresh_from_db()
    assert c.status == "signed"
    other = make_contract(legal, title="取りやめ")
    other = move(legal, other, "terminated", reason="先方の事情で中止")
    event = AuditEvent.objects.filter(object_id=str(other.pk), action="contract_status").get()
    assert event.changes["extra"]["reason"] == "先方の事情で中止"


def test_an_owner_submits_and_withdraws_but_the_rest_is_legal(legal, employee_member):
    c = make_contract(employee_member)
    assert services.allowed_moves(employee_member, c) == ["in_review", "terminated"]
    c = move(employee_member, c, "in_review")
    assert services.allowed_moves(employee_member, c) == []
    with pytest.raises(PermissionDeniedError):
        move(employee_member, c, "negotiating")
    with pytest.raises(PermissionDeniedError):  # 法務確認中: the owner no longer edits it
        services.update_contract(**me(employee_member), contract=c, data=data(title="変えたい"))
    c = move(legal, c, "negotiating")
    c = services.update_contract(**me(employee_member), contract=c, data=data(title="交渉中の修正"))
    c = move(employee_member, c, "in_review")
    assert c.title == "交渉中の修正" and c.status == "in_review"


# ------------------------------------------------------------------------------ files
def test_drafts_and_the_signed_file_are_versions_of_one_document(legal, employee_member):
    c = make_contract(legal)
    v1 = services.attach_contract_file(
        **me(legal), contract=c, file_name="契約書.txt", data=PDF_1, kind="draft"
    )
    v2 = services.attach_contract_file(
        **me(legal), contract=c, file_name="契約書_締結.txt", data=PDF_2, kind="signed", comment="押印済み"
    )
    c.refresh_from_db()
    document = Document.objects.get()
    assert c.document_id == document.pk and (v1.number, v2.number) == (1, 2)
    assert document.current_version_id == v2.pk and v2.comment == "締結版 押印済み"
    assert document.folder.name == "契約書" and document.name.startswith(c.number)
    assert Share.objects.filter(
        folder=document.folder, grantee_kind="role", grantee="legal", permission="edit"
    ).exists()
    assert (
        AuditEvent.objects.filter(
            object_type="legal.contract", object_id=str(c.pk), action="new_version"
        ).count()
        == 2
    )
    assert [v.number for v in selectors.versions(contract=c)] == [2, 1]


def test_only_legal_attaches_files(legal, employee_member):
    c = make_contract(employee_member)
    with pytest.raises(PermissionDeniedError):
        services.attach_contract_file(**me(employee_member), contract=c, file_name="a.txt", data=PDF_1)
    assert Document.objects.count() == 0 and Folder.objects.count() == 0
    assert DocumentVersion.objects.count() == 0


# ------------------------------------------------------------------------------ renewal and expiry
def test_an_active_auto_renewing_contract_runs_another_term_and_others_expire(legal):
    renewing = make_contract(
        legal,
        status="active",
        signed_on=date(2024, 3, 1),
        starts_on=date(2024, 4, 1),
        ends_on=date(2025, 3, 31),
        auto_renew=True,
        renewal_months=6,
    )
    plain = make_contract(
        legal,
        status="signed",
        signed_on=date(2025, 3, 1),
        ends_on=date(2025, 9, 30),
        starts_on=date(2025, 4, 1),
    )
    later = make_contract(legal, status="active", signed_on=date(2026, 3, 1), ends_on=date(2026, 12, 31))
    result = services.roll_contracts(company=legal.company, today=date(2026, 1, 10))
    assert (result.renewed, result.expired) == (1, 1)
    for c in (renewing, plain, later):
        c.refresh_from_db()
    # 2025-03-31 → 2025-09-30 → 2026-03-31 (6-month terms until past today)
    assert renewing.current_end_on == date(2026, 3, 31) and renewing.ends_on == date(2025, 3, 31)
    assert renewing.status == "active" and plain.status == "expired" and later.status == "active"
    assert AuditEvent.objects.filter(action="renew", actor_label=services.JOB_NAME).count() == 1
    again = services.roll_contracts(company=legal.company, today=date(2026, 1, 10))
    assert (again.renewed, again.expired) == (0, 0)


def test_the_notice_deadline_is_stored_with_every_write_of_the_term(legal):
    c = make_contract(
        legal,
        status="active",
        signed_on=date(2024, 3, 1),
        starts_on=date(2024, 4, 1),
        ends_on=date(2025, 3, 31),
        auto_renew=True,
        renewal_months=12,
        notice_period=3,
        notice_unit="months",
    )
    assert c.notice_deadline_on == date(2024, 12, 31)  # 3 months before a month-end end
    c = services.update_contract(
        **me(legal), contract=c, data=data(**{**_facts(c), "notice_period": 30, "notice_unit": "days"})
    )
    assert c.notice_deadline_on == date(2025, 3, 1)
    services.roll_contracts(company=legal.company, today=date(2025, 4, 1))
    c.refresh_from_db()
    assert c.current_end_on == date(2026, 3, 31) and c.notice_deadline_on == date(2026, 3, 1)
    c = services.update_contract(**me(legal), contract=c, data=data(**{**_facts(c), "auto_renew": False}))
    assert c.notice_deadline_on is None


def _facts(c):
    return {
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "auto_renew": c.auto_renew,
        "renewal_months": c.renewal_months,
        "notice_period": c.notice_period,
        "notice_unit": c.notice_unit,
    }


def test_without_renewal_months_the_first_term_length_is_used(legal):
    c = make_contract(
        legal,
        status="active",
        signed_on=date(2024, 3, 1),
        starts_on=date(2024, 4, 1),
        ends_on=date(2026, 3, 31),
        auto_renew=True,
    )
    services.roll_contracts(company=legal.company, today=date(2026, 4, 1))
    c.refresh_from_db()
    assert c.current_end_on == date(2028, 3, 31)


# ------------------------------------------------------------------------------ alerts
def _alert_fixture(legal, employee_member):
    return make_contract(
        employee_member,
        status="draft",
        starts_on=date(2025, 4, 1),
        ends_on=date(2026, 3, 31),
        auto_renew=True,
        notice_period=3,
        notice_unit="months",
    )


def test_alerts_go_once_to_the_owner_and_legal(legal, employee_member, accounting):
    c = make_contract(
        legal,
        status="active",
        signed_on=date(2025, 3, 1),
        owner_id=employee_member.user_id,
        starts_on=date(2025, 4, 1),
        ends_on=date(2026, 3, 31),
        auto_renew=True,
        notice_period=3,
    )
    # notice deadline 2025-12-31: 30 days before is 2025-12-01
    sent = services.send_contract_alerts(company=legal.company, today=date(2025, 12, 1))
    assert sent == 2
    alert = ContractAlert.objects.get()
    assert (alert.kind, alert.due_on, alert.days_before) == ("notice", date(2025, 12, 31), 30)
    assert set(Notification.objects.values_list("user_id", flat=True)) == {
        legal.user_id,
        employee_member.user_id,
    }
    note = Notification.objects.first()
    assert note.url == f"/legal/contracts/{c.pk}/" and "2025-12-31" in note.text
    assert services.send_contract_alerts(company=legal.company, today=date(2025, 12, 1)) == 0
    assert services.send_contract_alerts(company=legal.company, today=date(2025, 12, 5)) == 0
    assert Notification.objects.count() == 2
    # 7 days before the deadline
    services.send_contract_alerts(company=legal.company, today=date(2025, 12, 24))
    # on the day of the deadline; the expiry is 90 days away by then
    services.send_contract_alerts(company=legal.company, today=date(2025, 12, 31))
    kinds = sorted(ContractAlert.objects.values_list("kind", "days_before"))
    assert kinds == [("expiry", 90), ("notice", 0), ("notice", 7), ("notice", 30)]


def test_a_missed_lead_sends_only_the_nearest_alert_and_drafts_get_none(legal):
    make_contract(
        legal,
        status="active",
        signed_on=date(2025, 3, 1),
        starts_on=date(2025, 4, 1),
        ends_on=date(2026, 3, 31),
    )
    make_contract(legal, title="起案中", starts_on=date(2025, 4, 1), ends_on=date(2026, 3, 31))
    services.send_contract_alerts(company=legal.company, today=date(2026, 3, 26))
    assert list(ContractAlert.objects.values_list("kind", "days_before")) == [("expiry", 7)]
    services.send_contract_alerts(company=legal.company, today=date(2026, 3, 31))
    assert ContractAlert.objects.filter(days_before=0).count() == 1


# ------------------------------------------------------------------------------ who sees what
def test_an_employee_sees_only_their_own_contracts(legal, employee_member, sales_member, accounting):
    mine = make_contract(employee_member, title="自分の契約")
    theirs = make_contract(sales_member, title="営業部の契約")
    legals = make_contract(legal, title="法務の契約", owner_id=employee_member.user_id)
    seen = set(selectors.contract_list(**{"company": employee_member.company, "membership": employee_member}))
    assert seen == {mine, legals}
    with pytest.raises(NotFound):
        selectors.get_contract(
            company=employee_member.company, membership=employee_member, contract_id=theirs.pk
        )
    with pytest.raises(NotFound):
        services.update_contract(**me(employee_member), contract=theirs, data=data())
    assert len(selectors.contract_list(company=accounting.company, membership=accounting)) == 3
    with pytest.raises(PermissionDeniedError):
        services.update_contract(**me(accounting), contract=mine, data=data(title="経理は変えない"))
    mine.refresh_from_db()
    assert mine.title == "自分の契約"


def test_an_employee_registers_for_their_own_department_only(employee_member, department, sales_department):
    c = make_contract(employee_member)
    assert c.owner_department_id == department.pk
    with pytest.raises(ServiceError) as caught:
        make_contract(employee_member, owner_department_id=sales_department.pk)
    assert "owner_department" in caught.value.field_errors
    assert Contract.objects.count() == 1


def test_the_outside_assistant_cannot_register_or_see(company, legal):
    assistant = make_member(company, "asst", ["assistant"], expires_on=date.today() + timedelta(days=30))
    make_contract(legal)
    with pytest.raises(PermissionDeniedError):
        make_contract(assistant)
    assert list(selectors.contract_list(company=company, membership=assistant)) == []


def test_another_companys_contract_is_not_found(legal, outsider):
    theirs = make_contract(outsider)
    with pytest.raises(NotFound):
        selectors.get_contract(company=legal.company, membership=legal, contract_id=theirs.pk)
    with pytest.raises(NotFound):
        services.change_contract_status(**me(legal), contract=theirs, to="in_review")
    theirs.refresh_from_db()
    assert theirs.status == "draft"
