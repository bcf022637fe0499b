"""Tenancy isolation (ARCHITECTURE.md, "Tenancy in code").

(a) Every model of the ennoshita apps is a business model with a non-null ``company`` foreign key
    to core.Company and a default manager with ``for_company(company)`` that filters on it, except
    the few listed in EXEMPT. A new model without them fails here.
(b) Every URL of the project that takes an object id (``<int:...>``, or an argument named ``pk``,
    ``id`` or ``*_id`` such as the API's ``{employee_id}``) answers 404 to a signed-in HR + admin of
    company A who asks for company B's object, for every HTTP method the route accepts, and nothing
    is written. ROUTES maps each such URL name to the kind of object each argument names; a new
    id-taking URL that ROUTES does not cover fails ``test_every_id_taking_url_is_covered``, so each
    new app adds its routes (and, for API writes, a valid body) below.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from ennoshita.core import services as core_services
from ennoshita.core.models import ApiToken, Company, CompanyScopedModel, Job, Membership
from ennoshita.documents import services as documents_services
from ennoshita.ledger import chart as ledger_chart
from ennoshita.ledger import services as ledger_services
from ennoshita.ledger.models import Account, FiscalYear
from ennoshita.ledger.services import LineInput
from ennoshita.people import services as people_services
from ennoshita.people.models import EmploymentType
from tests.conftest import login, make_company, make_department, make_employee, make_member
from tests.core import tenancy_parts
from tests.core.tenancy_probe import Probe, World

# ------------------------------------------------------------------------------------ (a) models

# Models of the ennoshita apps that are not company-scoped business rows. Keep this short.
EXEMPT = {
    "core.Company": "the tenant itself",
    "core.User": "a person, who may belong to several companies; core.Membership scopes them",
    "core.AuditChainHead": "keyed by the company itself: its primary key is the company (checked below)",
    "core.BackupSchedule": "an installation setting: one archive holds every company",
    "core.ScheduledRun": "installation-wide scheduler bookkeeping (backups, daily jobs over all companies)",
}
# Has its non-null company foreign key (checked) but no for_company: the append-only trail is read
# through core.selectors, which filter by company explicitly.
FK_WITHOUT_FOR_COMPANY = {"core.AuditEvent"}


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def ennoshita_models() -> list[type[models.Model]]:
    # include_auto_created: a ManyToManyField's hidden through table is a table without company too.
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config is not None and m._meta.app_config.name.startswith("ennoshita.")
    ]


def _filters_on_company(qs: models.QuerySet, company_field: models.Field, company_pk: int) -> bool:
    def leaves(node: Any) -> Iterator[Any]:
        for child in getattr(node, "children", []):
            yield from leaves(child) if hasattr(child, "children") else [child]

    for lookup in leaves(qs.query.where):
        target = getattr(getattr(lookup, "lhs", None), "target", None)
        if target == company_field and lookup.lookup_name == "exact" and lookup.rhs in (company_pk,):
            return not qs.query.where.negated
    return False


def tenancy_problems(model: type[models.Model], *, needs_for_company: bool = True) -> list[str]:
    """What keeps ``model`` from being a company-scoped business model (empty when it is one)."""
    label = _label(model)
    try:
        company = model._meta.get_field("company")
    except Exception:
        hint = (
            " (a ManyToManyField's auto table: use an explicit through model)"
            if model._meta.auto_created
            else ""
        )
        return [f"{label}: no `company` field{hint}; subclass core.models.CompanyScopedModel"]
    problems = []
    if not isinstance(company, models.ForeignKey) or company.related_model is not Company:
        problems.append(f"{label}.company is not a ForeignKey to core.Company")
    elif company.null:
        problems.append(f"{label}.company is nullable; every business row belongs to a company")
    if needs_for_company and not problems:
        manager = model._default_manager
        if not callable(getattr(manager, "for_company", None)):
            problems.append(f"{label}: default manager has no for_company(company)")
        elif not _filters_on_company(manager.for_company(Company(pk=987654)), company, 987654):
            problems.append(f"{label}: for_company(company) does not filter on company")
    return problems


def test_exemptions_name_real_models():
    labels = {_label(m) for m in ennoshita_models()}
    assert set(EXEMPT) | FK_WITHOUT_FOR_COMPANY <= labels


def test_every_business_model_has_a_company_and_for_company():
    checked, problems = [], []
    for model in ennoshita_models():
        label = _label(model)
        owner = model._meta.auto_created  # the model whose ManyToManyField made this table
        if label in EXEMPT or (owner and _label(owner) in EXEMPT):
            continue
        checked.append(label)
        problems += tenancy_problems(model, needs_for_company=label not in FK_WITHOUT_FOR_COMPANY)
    assert not problems, "\n".join(problems)
    # The walk really walks: the business models of core and people are among those checked.
    assert {
        "core.Membership",
        "core.ApiToken",
        "core.AuditEvent",
        "people.Employee",
        "people.Placement",
    } <= set(checked)


def test_the_audit_chain_head_is_keyed_by_its_company():
    from ennoshita.core.models import AuditChainHead

    pk = AuditChainHead._meta.pk
    assert isinstance(pk, models.OneToOneField) and pk.related_model is Company and pk.name == "company"


@isolate_apps("ennoshita.core")
def test_the_model_check_catches_a_model_without_company():
    class Gadget(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    class LooseGadget(models.Model):  # noqa: DJ008
        company = models.ForeignKey(Company, on_delete=models.PROTECT, null=True)
        objects = models.Manager()

        class Meta:
            app_label = "core"

    class UnscopedGadget(models.Model):  # noqa: DJ008
        company = models.ForeignKey(Company, on_delete=models.PROTECT)

        class Meta:
            app_label = "core"

    class GoodGadget(CompanyScopedModel):
        class Meta:
            app_label = "core"

    assert tenancy_problems(Gadget) == [
        "core.Gadget: no `company` field; subclass core.models.CompanyScopedModel"
    ]
    assert tenancy_problems(LooseGadget) == [
        "core.LooseGadget.company is nullable; every business row belongs to a company"
    ]
    assert tenancy_problems(UnscopedGadget) == [
        "core.UnscopedGadget: default manager has no for_company(company)"
    ]
    assert tenancy_problems(GoodGadget) == []


# -------------------------------------------------------------------------------- (b) URL walk


def build_world(name: str, username: str, *, versions: int = 1) -> World:
    company = make_company(name)
    staff = make_member(company, username, ["hr", "admin"])
    hr = {"company": company, "actor": staff.user, "membership": staff}
    department = make_department(company, staff, code="100", name="総務部")
    other_department = make_department(company, staff, code="200", name="営業部")
    position = people_services.create_position(**hr, code="M1", name="課長", rank=10)
    employee = make_employee(company, staff, department, number="0001", hire_date=date(2020, 4, 1))
    placement = people_services.transfer_employee(
        **hr,
        employee=employee,
        department=other_department,
        position=position,
        effective_from=date(2099, 4, 1),
        note="予定された異動",
    )
    token, _raw = core_services.create_api_token(membership=staff, name="連携")
    job = Job.objects.create(company=company, kind="tests.probe", label="取込", created_by=staff.user)
    (closed_day,) = core_services.add_closed_days(
        company=company, actor=staff.user, membership=staff, start=date(2026, 8, 14), name="夏季休業"
    )
    cash = Account.objects.for_company(company).get(code=ledger_chart.CASH_ACCOUNT_CODE)
    sales = Account.objects.for_company(company).get(name="売上高")
    posted = ledger_services.post_entry(
        **hr,
        date=date(2026, 5, 1),
        lines=[
            LineInput(account=cash, side="debit", amount=1100),
            LineInput(account=sales, side="credit", amount=1100),
        ],
    )
    draft = ledger_services.save_draft(
        **hr, date=date(2026, 5, 2), lines=[LineInput(account=cash, side="debit", amount=500)]
    )
    folder = documents_services.create_folder(**hr, name="契約書", parent=None)
    document = documents_services.upload_document(
        **hr, folder=folder, name="契約書.txt", data=f"{name} 契約書".encode()
    )
    entry_attachment = documents_services.attach(
        **hr, document=document, object_type="ledger.journalentry", object_id=str(posted.pk)
    )
    return World(
        company=company,
        staff=staff,
        objects={
            "department": department,
            "position": position,
            "employee": employee,
            "placement": placement,
            "employment_type": EmploymentType.objects.for_company(company).get(code="regular"),
            "membership": staff,
            "api_token": token,
            "job": job,
            "closed_day": closed_day,
            "ledger_account": cash,
            "ledger_year": FiscalYear.objects.for_company(company).get(start=date(2026, 4, 1)),
            "ledger_entry": posted,
            "ledger_draft": draft,
            "ledger_attachment": entry_attachment,
            "folder": folder,
            "document": document,
            "document_version": document.current_version,
            **_screen_documents(company, staff, employee, versions=versions),
            **_sales(company, staff),
            **_approvals_and_expenses(company, staff, other_department),
            **_leave(company, staff),
            **_purchasing(company, staff),
            **_agreements(company, staff),
            **_paid_leave(company, staff, employee),
            **_corrections(company, staff),
            **_overtime(company, staff),
            **_shifts(company, staff, other_department),
            **_payroll(company, staff, employee),
            **_parts(company, staff, employee, department),
        },
    )


def _parts(company: Company, staff: Membership, employee: Any, department: Any) -> dict[str, Any]:
    """The objects of the apps whose routes live in tests/core/tenancy_parts/ (one module per part)."""
    from ennoshita.core.notifications import notify

    found: dict[str, Any] = {
        "notification": notify(company=company, user=staff.user, kind="tests.probe", text="通知", url="/")
    }
    for part in tenancy_parts.PARTS:
        found.update(part.objects(company=company, staff=staff, employee=employee, department=department))
    return found


def _payroll(company: Company, staff: Membership, employee: Any) -> dict[str, Any]:
    """A pay group and item, and a draft run with one payslip (written directly: a run needs closed
    attendance, and a draft with a payslip is all the URLs need)."""
    from ennoshita.payroll.models import PayGroup, PayItem, PayrollRun, Payslip, SeverancePay

    group = PayGroup.objects.create(company=company, code="monthly", name="月給者")
    item = PayItem.objects.create(company=company, code="position", name="役職手当", kind="payment")
    run = PayrollRun.objects.create(
        company=company,
        pay_group=group,
        pay_month=date(2026, 11, 1),
        attendance_month=date(2026, 10, 1),
        closing_date=date(2026, 10, 31),
        pay_date=date(2026, 11, 25),
        withholding_method="table",
        created_by=staff.user,
    )
    payslip = Payslip.objects.create(
        company=company,
        run=run,
        employee=employee,
        employee_number=employee.number,
        employee_name="山田 太郎",
        pay_type="monthly",
    )
    bonus_run = PayrollRun.objects.create(
        company=company,
        pay_group=group,
        kind="bonus",
        pay_month=date(2026, 12, 1),
        closing_date=date(2026, 12, 10),
        pay_date=date(2026, 12, 10),
        withholding_method="table",
        created_by=staff.user,
    )
    severance = SeverancePay.objects.create(
        company=company,
        employee=employee,
        paid_on=date(2026, 11, 30),
        amount=3_000_000,
        service_from=date(2016, 4, 1),
        service_to=date(2026, 10, 31),
        created_by=staff.user,
    )
    return {
        "pay_group": group,
        "pay_item": item,
        "payroll_run": run,
        "payslip": payslip,
        "bonus_run": bonus_run,
        "severance": severance,
    }


def _approvals_and_expenses(company: Company, staff: Membership, department: Any) -> dict[str, Any]:
    """An expense claim with a receipt, submitted: its approval request on the default route, the
    route, and a delegation of the department head's."""
    from ennoshita.approvals import selectors as approval_selectors
    from ennoshita.approvals import services as approval_services
    from ennoshita.approvals.models import ApprovalRoute
    from ennoshita.expenses import services as expense_services
    from ennoshita.expenses.models import ExpenseCategory

    hr = {"company": company, "actor": staff.user, "membership": staff}
    head = make_member(company, f"head-{company.pk}", ["manager"])
    head_employee = make_employee(company, staff, department, number="0900", user=head.user)
    deputy = make_member(company, f"deputy-{company.pk}", ["manager"])
    people_services.update_department(**hr, department=department, head=head_employee)
    applicant = staff  # the one who probes: their own claim is one they may open, edit and withdraw
    make_employee(company, staff, department, number="0901", user=applicant.user)
    expense_services.ensure_setup(company=company)
    category = ExpenseCategory.objects.for_company(company).get(code="SUPPLIES")
    claim = expense_services.save_claim(
        company=company,
        actor=applicant.user,
        membership=applicant,
        claim=None,
        title="文具",
        lines=[
            expense_services.LineSpec(
                date=date(2026, 11, 5), payee="文具店", purpose="用紙", category_id=category.pk, amount="1100"
            )
        ],
    )
    line = claim.lines.get()
    expense_services.attach_receipt(
        company=company,
        actor=applicant.user,
        membership=applicant,
        claim=claim,
        line=line,
        name="r.png",
        data=_png(),
    )
    expense_services.submit_claim(company=company, actor=applicant.user, membership=applicant, claim=claim)
    request = approval_selectors.request_for(
        company=company, request_type="expenses.claim", object_id=claim.pk
    )
    delegation = approval_services.set_delegation(
        **hr, approver=head.user, substitute=deputy.user, start=date(2026, 1, 1), end=date(2099, 12, 31)
    )
    return {
        "expense_claim": claim,
        "expense_line": line,
        "expense_category": category,
        "approval_request": request,
        "approval_route": ApprovalRoute.objects.for_company(company)
        .filter(request_type="expenses.claim")
        .first(),
        "approval_delegation": delegation,
    }


def _leave(company: Company, staff: Membership) -> dict[str, Any]:
    """A leave type and the staff's own 休暇申請 waiting for its 所属長 (after _approvals_and_expenses,
    which gives the staff an employee record in a department with a head)."""
    from ennoshita.attendance.services import leave

    types = {t.code: t for t in leave.ensure_leave_types(company=company)}
    request = leave.request_leave(
        company=company,
        actor=staff.user,
        membership=staff,
        data=leave.LeaveInput(leave_type_id=types["special"].pk, unit="full", start_date=date(2027, 1, 6)),
    )
    return {"leave_type": types["special"], "leave_request": request}


def _agreements(company: Company, staff: Membership) -> dict[str, Any]:
    """A 36協定 (attendance)."""
    from ennoshita.attendance.services import agreements

    agreement = agreements.create_agreement(
        company=company,
        actor=staff.user,
        membership=staff,
        data=agreements.AgreementInput(
            name="36協定", start_date=date(2026, 4, 1), end_date=date(2027, 3, 31)
        ),
    )
    return {"overtime_agreement": agreement}


def _corrections(company: Company, staff: Membership) -> dict[str, Any]:
    """The staff's own 打刻修正申請 for a past day, waiting for its 所属長 (after
    _approvals_and_expenses, which gives the staff an employee record in a department with a head)."""
    from ennoshita.attendance.services import corrections

    correction = corrections.submit_correction(
        company=company,
        actor=staff.user,
        membership=staff,
        employee_id=None,
        work_date=date(2026, 11, 10),
        rows=[corrections.CorrectionRow("in", "9:00"), corrections.CorrectionRow("out", "18:00")],
        reason="打刻漏れ",
    )
    return {"punch_correction": correction}


def _overtime(company: Company, staff: Membership) -> dict[str, Any]:
    """The staff's own 残業申請 waiting for its 所属長 (after _approvals_and_expenses)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ennoshita.attendance.services import overtime

    tokyo = ZoneInfo("Asia/Tokyo")
    row = overtime.request_overtime(
        company=company,
        actor=staff.user,
        membership=staff,
        data=overtime.OvertimeInput(
            work_date=date(2026, 11, 11),
            start_at=datetime(2026, 11, 11, 18, tzinfo=tokyo),
            end_at=datetime(2026, 11, 11, 20, tzinfo=tokyo),
            reason="月末の締め作業",
        ),
    )
    return {"overtime_request": row}


def _shifts(company: Company, staff: Membership, department: Any) -> dict[str, Any]:
    """A shift pattern, and a シフト交換 of the staff's (after _approvals_and_expenses, which places the
    staff and the department's head in ``department``) waiting for the 所属長."""
    from datetime import time

    from ennoshita.attendance.services import shifts
    from ennoshita.people.models import Employee

    me = {"company": company, "actor": staff.user, "membership": staff}
    pattern = shifts.save_pattern(**me, data=shifts.PatternInput("早", "早番", time(7), time(16), 60))
    shifts.save_pattern(**me, data=shifts.PatternInput("遅", "遅番", time(13), time(22), 60))
    day = date(2099, 1, 5)
    number = {e.number: e.pk for e in Employee.objects.for_company(company)}
    cells = {number["0901"]: {day: "早"}, number["0900"]: {day: "遅"}}
    shifts.save_table(**me, department_id=department.pk, month=day, cells=cells)
    swap = shifts.request_swap(**me, partner_id=number["0900"], requester_date=day, partner_date=day)
    return {"shift_pattern": pattern, "shift_swap": swap}


def _paid_leave(company: Company, staff: Membership, employee: Any) -> dict[str, Any]:
    """A grant of 年次有給休暇 entered by hand (attendance)."""
    from decimal import Decimal

    from ennoshita.attendance.services import leave_grants

    grant = leave_grants.add_grant(
        company=company,
        actor=staff.user,
        membership=staff,
        employee_id=employee.pk,
        granted_on=date(2026, 4, 1),
        days=Decimal(10),
        note="移行",
    )
    return {"leave_grant": grant}


def _purchasing(company: Company, staff: Membership) -> dict[str, Any]:
    """A vendor with a bank account, a draft bill with its document, and a draft payment run with
    one item (written directly: a run pays approved bills, and a draft bill is all the URLs need)."""
    from ennoshita.purchasing.models import PaymentItem, PaymentRun
    from ennoshita.purchasing.services import bills, payments, vendors

    me = {"company": company, "actor": staff.user, "membership": staff}
    payments.update_payment_settings(
        **me,
        requester_code="1234567890",
        requester_name="ｶ)ｴｰ",
        bank_code="0001",
        branch_code="001",
        account_type="1",
        account_number="1234567",
    )
    vendor = vendors.create_vendor(
        **me,
        data=vendors.VendorInput(
            code="V1",
            name="株式会社仕入",
            bank_code="0005",
            branch_code="001",
            account_number="7654321",
            account_holder="カ)シイレ",
        ),
    )
    bill = bills.save_bill(
        **me,
        bill=None,
        vendor=vendor,
        bill_date=date(2026, 11, 5),
        due_date=date(2026, 12, 31),
        vendor_reference="INV-1",
        is_qualified=False,
        payable_account_code="2112",
        department=None,
        memo="",
        lines=[bills.BillLineSpec(description="保守", account_code="6310", amount="11000")],
    )
    bill = bills.attach_bill_document(**me, bill=bill, name="bill.png", data=_png())
    run = PaymentRun.objects.create(
        company=company, payment_date=date(2099, 12, 1), due_by=date(2099, 11, 30), created_by=staff.user
    )
    item = PaymentItem.objects.create(
        company=company,
        run=run,
        kind="vendor_bill",
        vendor_bill=bill,
        payee_name=vendor.name,
        bank_code="0005",
        branch_code="001",
        account_type="1",
        account_number="7654321",
        account_holder="ｶ)ｼｲﾚ",
        amount=11000,
        payable_account_code="2112",
    )
    return {"vendor": vendor, "vendor_bill": bill, "payment_run": run, "payment_item": item}


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


def _sales(company: Company, staff: Membership) -> dict[str, Any]:
    """For the sales screens and API: a customer with a contact, a product, a draft quote, an
    order with a delivery note, a draft and an issued invoice, a payment, a bank statement line."""
    from ennoshita.sales.models import BankStatementLine
    from ennoshita.sales.services import (
        customers,
        invoices,
        opportunities,
        payments,
        products,
        quotes,
        reminders,
    )
    from ennoshita.sales.services.lines import LineSpec

    ctx = {"company": company, "actor": staff.user, "membership": staff}
    customer = customers.create_customer(**ctx, code="C1", name="株式会社得意先", closing_day=99)
    contact = customers.add_contact(**ctx, customer=customer, name="山田")
    product = products.create_product(**ctx, code="P1", name="作業", unit_price=1000)
    line = [LineSpec("作業", quantity=2, unit_price=1000, tax="S10", product=product)]
    quote = quotes.create_quote(
        **ctx, customer=customer, date=date(2026, 6, 1), valid_until=date(2026, 6, 30), lines=line
    )
    order = quotes.create_order(**ctx, customer=customer, date=date(2026, 6, 2), lines=line)
    delivery = quotes.create_delivery_note(
        **ctx, order=order, date=date(2026, 6, 3), quantities={order.lines.get().pk: 1}
    )
    draft = invoices.save_invoice_draft(**ctx, customer=customer, date=date(2026, 6, 4), lines=line)
    issued = invoices.issue_invoice(
        **ctx,
        invoice=invoices.save_invoice_draft(**ctx, customer=customer, date=date(2026, 6, 5), lines=line),
    )
    payment = payments.record_payment(
        **ctx,
        customer=customer,
        date=date(2026, 6, 30),
        amount=1000,
        allocations=[payments.Allocation(issued, 1000)],
    )
    bank_line = BankStatementLine.objects.create(
        company=company,
        batch="b1",
        date=date(2026, 7, 1),
        amount=1200,
        payer_name="ﾄｸｲｻｷ",
        fingerprint=f"probe-{company.pk}",
    )
    deal = opportunities.create_opportunity(
        **ctx, customer=customer, title="更新案件", expected_amount=100000
    )
    reminder = reminders.create_reminder(**ctx, customer=customer, as_of=date(2026, 9, 1))
    return {
        "sales_opportunity": deal,
        "sales_reminder": reminder,
        "sales_customer": customer,
        "sales_contact": contact,
        "sales_product": product,
        "sales_quote": quote,
        "sales_order": order,
        "sales_delivery": delivery,
        "sales_draft_invoice": draft,
        "sales_invoice": issued,
        "sales_payment": payment,
        "sales_bank_line": bank_line,
    }


def _screen_documents(company: Company, staff: Membership, employee: Any, *, versions: int) -> dict[str, Any]:
    """For the 文書 screens: a shared folder, a previewable PDF with ``versions`` versions (the
    worlds differ in their counts, so that one company's version number is not found in the other
    company's document), and the PDF attached to the employee."""
    from types import SimpleNamespace

    from tests.documents.conftest import make_pdf

    ctx = {"company": company, "actor": staff.user, "membership": staff}
    folder = documents_services.create_folder(**ctx, name="請求書", parent=None)
    share = documents_services.share(**ctx, folder=folder, grantee_kind="role", grantee="hr")
    pdf = documents_services.upload_document(**ctx, folder=folder, name="請求書.pdf", data=make_pdf())
    for n in range(1, versions):
        documents_services.add_version(**ctx, document=pdf, data=make_pdf(f"第{n + 1}版"))
    attachment = documents_services.attach(
        **ctx, document=pdf, object_type="people.employee", object_id=str(employee.pk)
    )
    return {
        "screen_folder": folder,
        "screen_share": share,
        "screen_pdf": pdf,
        "screen_version_number": SimpleNamespace(pk=versions),  # the URL names a version by its number
        "screen_attachment": attachment,
    }


ROUTES: dict[str, Probe] = {
    # core
    "core:revoke_token": Probe({"token_id": "api_token"}),
    "core:job_detail": Probe({"pk": "job"}),
    "core:closed_day_delete": Probe({"pk": "closed_day"}),
    "core:notification_read": Probe({"pk": "notification"}),
    # people: screens
    "people:employee_detail": Probe({"pk": "employee"}),
    "attendance:employee_timesheet": Probe({"employee_id": "employee"}),
    "people:employee_edit": Probe({"pk": "employee"}),
    "people:employee_transfer": Probe({"pk": "employee"}),
    "people:placement_cancel": Probe({"pk": "employee", "placement_id": "placement"}),
    "people:employee_retire": Probe({"pk": "employee"}),
    "people:employee_delete": Probe({"pk": "employee"}),
    "people:department_edit": Probe({"pk": "department"}),
    "people:department_delete": Probe({"pk": "department"}),
    "people:position_edit": Probe({"pk": "position"}),
    "people:employee_attach": Probe({"pk": "employee"}),
    "people:employee_detach": Probe({"pk": "employee", "attachment_id": "screen_attachment"}),
    # documents: screens
    "documents:folder": Probe({"pk": "screen_folder"}),
    "documents:upload": Probe({"pk": "screen_folder"}),
    "documents:folder_share": Probe({"pk": "screen_folder"}),
    "documents:share_revoke": Probe({"share_id": "screen_share"}),
    "documents:document": Probe({"pk": "screen_pdf"}),
    "documents:document_share": Probe({"pk": "screen_pdf"}),
    "documents:version_upload": Probe({"pk": "screen_pdf"}),
    "documents:version_restore": Probe({"pk": "screen_pdf", "number": "screen_version_number"}),
    "documents:download": Probe({"pk": "screen_pdf", "number": "screen_version_number"}),
    "documents:inline": Probe({"pk": "screen_pdf", "number": "screen_version_number"}),
    "documents:rename": Probe({"pk": "screen_pdf"}),
    "documents:tags": Probe({"pk": "screen_pdf"}),
    "documents:transaction": Probe({"pk": "screen_pdf"}),
    "documents:trash_document": Probe({"pk": "screen_pdf"}),
    "documents:restore": Probe({"pk": "screen_pdf"}),
    # ledger: screens
    "ledger:entry_detail": Probe({"pk": "ledger_entry"}),
    "ledger:entry_edit": Probe({"pk": "ledger_draft"}),
    "ledger:entry_post": Probe({"pk": "ledger_draft"}),
    "ledger:entry_delete": Probe({"pk": "ledger_draft"}),
    "ledger:entry_reverse": Probe({"pk": "ledger_entry"}),
    "ledger:entry_attach": Probe({"pk": "ledger_entry"}),
    "ledger:entry_detach": Probe({"pk": "ledger_entry", "attachment_id": "ledger_attachment"}),
    "ledger:account_edit": Probe({"pk": "ledger_account"}),
    "ledger:sub_account_new": Probe({"pk": "ledger_account"}),
    "ledger:close_year": Probe({"pk": "ledger_year"}),
    "ledger:reopen_year": Probe({"pk": "ledger_year"}),
    # people: API
    "api:get_department": Probe({"department_id": "department"}),
    "api:update_department": Probe({"department_id": "department"}),
    "api:get_employee": Probe({"employee_id": "employee"}),
    "api:employee_timesheet": Probe({"employee_id": "employee"}),
    "api:update_employee": Probe({"employee_id": "employee"}),
    "api:transfer_employee": Probe(
        {"employee_id": "employee"},
        body=lambda own: {"department_id": own.objects["department"].pk, "effective_from": "2098-10-01"},
    ),
    "api:list_placements": Probe({"employee_id": "employee"}),
    # documents: API
    "api:get_folder": Probe({"folder_id": "folder"}),
    "api:get_document": Probe({"document_id": "document"}),
    "api:list_versions": Probe({"document_id": "document"}),
    "api:add_version": Probe({"document_id": "document"}),
    "api:download_version": Probe({"document_id": "document", "version_id": "document_version"}),
    "api:restore_version": Probe({"document_id": "document", "version_id": "document_version"}),
    "api:set_tags": Probe({"document_id": "document"}, body=lambda own: {"tags": ["確認"]}),
    "api:set_transaction_record": Probe(
        {"document_id": "document"},
        body=lambda own: {
            "transaction_date": "2026-04-01",
            "transaction_amount": 1000,
            "counterparty": "株式会社テスト",
            "document_type": "contract",
        },
    ),
    "api:trash_document": Probe({"document_id": "document"}),
    "api:restore_document": Probe({"document_id": "document"}),
    "api:list_folder_shares": Probe({"folder_id": "folder"}),
    "api:share_folder": Probe({"folder_id": "folder"}, body=lambda own: {"grantee_kind": "everyone"}),
    "api:list_document_shares": Probe({"document_id": "document"}),
    "api:share_document": Probe({"document_id": "document"}, body=lambda own: {"grantee_kind": "everyone"}),
    "api:revoke_share": Probe({"share_id": "screen_share"}),
    # ledger: API
    "api:update_account": Probe({"account_id": "ledger_account"}, body=lambda own: {"name": "現金(本社)"}),
    "api:list_sub_accounts": Probe({"account_id": "ledger_account"}),
    "api:close_fiscal_year": Probe({"year_id": "ledger_year"}),
    "api:reopen_fiscal_year": Probe({"year_id": "ledger_year"}, body=lambda own: {"reason": "確認"}),
    "api:get_entry": Probe({"entry_id": "ledger_draft"}),
    "api:replace_draft": Probe(
        {"entry_id": "ledger_draft"},
        body=lambda own: {
            "date": "2026-05-03",
            "lines": [
                {"account": ledger_chart.CASH_ACCOUNT_CODE, "side": "debit", "amount": 1},
                {"account": own.objects["ledger_account"].code, "side": "credit", "amount": 1},
            ],
        },
    ),
    "api:delete_draft": Probe({"entry_id": "ledger_draft"}),
    "api:post_draft": Probe({"entry_id": "ledger_draft"}),
    "api:reverse_entry": Probe({"entry_id": "ledger_entry"}, body=lambda own: {"date": "2026-05-10"}),
    "api:attach": Probe(
        {"document_id": "document"},
        body=lambda own: {"object_type": "people.employee", "object_id": str(own.objects["employee"].pk)},
    ),
    "api:detach": Probe({"attachment_id": "screen_attachment"}),
    # sales: screens
    "sales:customer_detail": Probe({"pk": "sales_customer"}),
    "sales:customer_edit": Probe({"pk": "sales_customer"}),
    "sales:customer_deactivate": Probe({"pk": "sales_customer"}),
    "sales:customer_reactivate": Probe({"pk": "sales_customer"}),
    "sales:customer_delete": Probe({"pk": "sales_customer"}),
    "sales:customer_contact_add": Probe({"pk": "sales_customer"}),
    "sales:customer_contact_delete": Probe({"pk": "sales_customer", "contact_id": "sales_contact"}),
    "sales:customer_ledger": Probe({"pk": "sales_customer"}),
    "sales:product_edit": Probe({"pk": "sales_product"}),
    "sales:product_deactivate": Probe({"pk": "sales_product"}),
    "sales:product_reactivate": Probe({"pk": "sales_product"}),
    "sales:product_delete": Probe({"pk": "sales_product"}),
    **{
        f"sales:quote_{v}": Probe({"pk": "sales_quote"})
        for v in ("detail", "edit", "send", "revise", "accept", "decline", "pdf")
    },
    **{f"sales:order_{v}": Probe({"pk": "sales_order"}) for v in ("detail", "deliver", "invoice", "cancel")},
    "sales:delivery_pdf": Probe({"pk": "sales_delivery"}),
    **{f"sales:invoice_{v}": Probe({"pk": "sales_invoice"}) for v in ("detail", "pdf", "sent", "credit")},
    **{f"sales:invoice_{v}": Probe({"pk": "sales_draft_invoice"}) for v in ("edit", "delete", "issue")},
    "sales:payment_detail": Probe({"pk": "sales_payment"}),
    "sales:payment_receipt": Probe({"pk": "sales_payment"}),
    "sales:payment_apply_advance": Probe({"pk": "sales_payment"}),
    "sales:payment_refund": Probe({"pk": "sales_payment"}),
    "sales:customer_advances": Probe({"pk": "sales_customer"}),
    "sales:bank_line_detail": Probe({"pk": "sales_bank_line"}),
    "sales:bank_line_dismiss": Probe({"pk": "sales_bank_line"}),
    **{
        f"sales:opportunity_{v}": Probe({"pk": "sales_opportunity"})
        for v in ("detail", "edit", "move", "delete", "quote")
    },
    **{f"sales:reminder_{v}": Probe({"pk": "sales_reminder"}) for v in ("detail", "pdf", "send")},
    # sales: API
    "api:get_customer": Probe({"customer_id": "sales_customer"}),
    "api:update_customer": Probe({"customer_id": "sales_customer"}, body=lambda own: {"notes": "確認"}),
    "api:delete_customer": Probe({"customer_id": "sales_customer"}),
    "api:deactivate_customer": Probe({"customer_id": "sales_customer"}),
    "api:reactivate_customer": Probe({"customer_id": "sales_customer"}),
    "api:list_contacts": Probe({"customer_id": "sales_customer"}),
    "api:add_contact": Probe({"customer_id": "sales_customer"}, body=lambda own: {"name": "佐藤"}),
    "api:remove_contact": Probe({"customer_id": "sales_customer", "contact_id": "sales_contact"}),
    "api:customer_ledger": Probe({"customer_id": "sales_customer"}),
    "api:get_product": Probe({"product_id": "sales_product"}),
    "api:update_product": Probe({"product_id": "sales_product"}, body=lambda own: {"name": "作業(改)"}),
    "api:deactivate_product": Probe({"product_id": "sales_product"}),
    "api:reactivate_product": Probe({"product_id": "sales_product"}),
    "api:get_quote": Probe({"quote_id": "sales_quote"}),
    "api:update_quote": Probe({"quote_id": "sales_quote"}, body=lambda own: _quote_body()),
    "api:revise_quote": Probe({"quote_id": "sales_quote"}, body=lambda own: _quote_body()),
    "api:send_quote": Probe({"quote_id": "sales_quote"}),
    "api:accept_quote": Probe({"quote_id": "sales_quote"}, body=lambda own: {}),
    "api:decline_quote": Probe({"quote_id": "sales_quote"}),
    "api:quote_pdf": Probe({"quote_id": "sales_quote"}),
    "api:get_order": Probe({"order_id": "sales_order"}),
    "api:cancel_order": Probe({"order_id": "sales_order"}),
    "api:create_delivery": Probe(
        {"order_id": "sales_order"}, body=lambda own: {"date": "2026-06-10", "quantities": {}}
    ),
    "api:get_invoice": Probe({"invoice_id": "sales_invoice"}),
    "api:update_invoice": Probe(
        {"invoice_id": "sales_draft_invoice"},
        body=lambda own: {"customer_id": own.objects["sales_customer"].pk, **_quote_body(valid=False)},
    ),
    "api:delete_invoice": Probe({"invoice_id": "sales_draft_invoice"}),
    "api:issue_invoice": Probe({"invoice_id": "sales_draft_invoice"}),
    "api:credit_invoice": Probe(
        {"invoice_id": "sales_invoice"},
        body=lambda own: {"date": "2026-06-20", "reason": "返品", "lines": _quote_body()["lines"]},
    ),
    "api:send_invoice_mail": Probe({"invoice_id": "sales_invoice"}, body=lambda own: {"to": "a@example.jp"}),
    "api:invoice_pdf": Probe({"invoice_id": "sales_invoice"}),
    "api:get_payment": Probe({"payment_id": "sales_payment"}),
    "api:payment_receipt": Probe({"payment_id": "sales_payment"}),
    "api:apply_advance": Probe(
        {"payment_id": "sales_payment"},
        body=lambda own: {
            "date": "2098-10-01",
            "allocations": [{"invoice_id": own.objects["sales_invoice"].pk, "amount": 1}],
        },
    ),
    "api:refund_advance": Probe(
        {"payment_id": "sales_payment"}, body=lambda own: {"date": "2098-10-01", "amount": 1}
    ),
    # approvals
    "approvals:request_detail": Probe({"pk": "approval_request"}),
    "approvals:request_decide": Probe({"pk": "approval_request"}),
    "approvals:route_edit": Probe({"pk": "approval_route"}),
    "approvals:route_delete": Probe({"pk": "approval_route"}),
    "approvals:delegation_end": Probe({"pk": "approval_delegation"}),
    "api:get_request": Probe({"request_id": "approval_request"}),
    "api:approve": Probe({"request_id": "approval_request"}, body=lambda own: {"comment": ""}),
    "api:reject": Probe({"request_id": "approval_request"}, body=lambda own: {"reason": "不備"}),
    "api:send_back": Probe({"request_id": "approval_request"}, body=lambda own: {"reason": "不備"}),
    "api:withdraw": Probe({"request_id": "approval_request"}),
    "api:get_route": Probe({"route_id": "approval_route"}),
    "api:update_route": Probe(
        {"route_id": "approval_route"},
        body=lambda own: {"name": "経費", "request_type": "expenses.claim", "steps": [{"kind": "manager"}]},
    ),
    "api:delete_route": Probe({"route_id": "approval_route"}),
    # expenses
    **{
        f"expenses:claim_{v}": Probe({"pk": "expense_claim"})
        for v in ("detail", "edit", "submit", "withdraw", "delete")
    },
    "expenses:receipt_upload": Probe({"pk": "expense_claim", "line_id": "expense_line"}),
    "expenses:receipt_view": Probe({"pk": "expense_claim", "line_id": "expense_line"}),
    "expenses:category_edit": Probe({"pk": "expense_category"}),
    "api:get_claim": Probe({"claim_id": "expense_claim"}),
    "api:replace_claim": Probe(
        {"claim_id": "expense_claim"}, body=lambda own: {"title": "経費", "lines": []}
    ),
    "api:submit_claim": Probe({"claim_id": "expense_claim"}),
    "api:withdraw_claim": Probe({"claim_id": "expense_claim"}),
    "api:upload_receipt": Probe({"claim_id": "expense_claim", "line_id": "expense_line"}),
    # purchasing
    **{f"purchasing:vendor_{v}": Probe({"pk": "vendor"}) for v in ("detail", "edit", "set_active", "delete")},
    "purchasing:payable_vendor_ledger": Probe({"pk": "vendor"}),
    **{
        f"purchasing:bill_{v}": Probe({"pk": "vendor_bill"})
        for v in ("detail", "edit", "submit", "withdraw", "delete", "document_upload", "document_view")
    },
    **{
        f"purchasing:payment_run_{v}": Probe({"pk": "payment_run"})
        for v in ("detail", "confirm", "reverse", "cancel", "file")
    },
    "purchasing:payment_item_remove": Probe({"pk": "payment_run", "item_id": "payment_item"}),
    "api:get_vendor": Probe({"vendor_id": "vendor"}),
    "api:update_vendor": Probe({"vendor_id": "vendor"}, body=lambda own: {"code": "V9", "name": "仕入"}),
    "api:get_bill": Probe({"bill_id": "vendor_bill"}),
    "api:submit_bill": Probe({"bill_id": "vendor_bill"}),
    "api:withdraw_bill": Probe({"bill_id": "vendor_bill"}),
    **{
        f"api:{v}": Probe({"run_id": "payment_run"})
        for v in ("get_run", "confirm_run", "cancel_run", "reverse_run", "run_file")
    },
    "api:remove_item": Probe({"run_id": "payment_run", "item_id": "payment_item"}),
    # attendance: 休暇申請 and 休暇の種類
    **{f"attendance:leave_{v}": Probe({"pk": "leave_request"}) for v in ("detail", "cancel", "resubmit")},
    "attendance:leave_type_edit": Probe({"pk": "leave_type"}),
    "attendance:leave_type_delete": Probe({"pk": "leave_type"}),
    "api:get_leave_request": Probe({"leave_request_id": "leave_request"}),
    "api:cancel_leave_request": Probe(
        {"leave_request_id": "leave_request"}, body=lambda own: {"reason": "予定変更"}
    ),
    # attendance: 36協定
    "attendance:agreement_edit": Probe({"pk": "overtime_agreement"}),
    "attendance:agreement_delete": Probe({"pk": "overtime_agreement"}),
    "api:get_agreement": Probe({"agreement_id": "overtime_agreement"}),
    "api:update_agreement": Probe(
        {"agreement_id": "overtime_agreement"},
        body=lambda own: {"name": "36協定", "start_date": "2027-04-01", "end_date": "2028-03-31"},
    ),
    "api:delete_agreement": Probe({"agreement_id": "overtime_agreement"}),
    # attendance: 年次有給休暇
    "attendance:employee_paid_leave": Probe({"employee_id": "employee"}),
    "attendance:leave_ledger": Probe({"employee_id": "employee"}),
    "attendance:leave_grant_adjust": Probe({"grant_id": "leave_grant"}),
    "api:employee_paid_leave_balance": Probe({"employee_id": "employee"}),
    "api:employee_leave_ledger": Probe({"employee_id": "employee"}),
    "api:adjust_leave_grant": Probe(
        {"grant_id": "leave_grant"}, body=lambda own: {"days": "10", "note": "訂正"}
    ),
    # attendance: 勤怠締め and 打刻修正申請
    **{
        f"attendance:close_{v}": Probe({"employee_id": "employee"})
        for v in ("detail", "confirm", "unconfirm", "lock", "reopen")
    },
    "attendance:correction_detail": Probe({"pk": "punch_correction"}),
    # attendance: 残業申請 and the employee's 勤怠設定 (work systems)
    "attendance:overtime_detail": Probe({"pk": "overtime_request"}),
    "attendance:employee_profile": Probe({"employee_id": "employee"}),
    "api:get_overtime_request": Probe({"request_id": "overtime_request"}),
    "attendance:correction_edit": Probe({"pk": "punch_correction"}),
    "api:get_month_close": Probe({"employee_id": "employee"}),
    **{
        f"api:{v}_month_close": Probe({"employee_id": "employee"}, body=lambda own: {"month": "2026-11"})
        for v in ("confirm", "unconfirm", "lock")
    },
    "api:reopen_month_close": Probe(
        {"employee_id": "employee"}, body=lambda own: {"month": "2026-11", "reason": "修正のため"}
    ),
    "api:get_correction": Probe({"correction_id": "punch_correction"}),
    # attendance: シフト
    "attendance:shift_pattern_edit": Probe({"pk": "shift_pattern"}),
    "attendance:shift_pattern_active": Probe({"pk": "shift_pattern"}),
    "attendance:shift_swap_detail": Probe({"pk": "shift_swap"}),
    "api:get_shift_table": Probe({"department_id": "department"}),
    "api:put_shift_table": Probe({"department_id": "department"}, body=lambda own: {"cells": {}}),
    "api:publish_shift_table": Probe({"department_id": "department"}),
    "api:get_shift_swap": Probe({"swap_id": "shift_swap"}),
    # payroll
    "payroll:group_edit": Probe({"pk": "pay_group"}),
    "payroll:item_edit": Probe({"pk": "pay_item"}),
    "payroll:item_delete": Probe({"pk": "pay_item"}),
    "payroll:employee_pay": Probe({"employee_id": "employee"}),
    **{
        f"payroll:run_{v}": Probe({"pk": "payroll_run"})
        for v in ("detail", "recompute", "discard", "export", "confirm", "transfer", "transfer_file")
    },
    "payroll:run_job": Probe({"job_id": "job"}),
    "payroll:payslip_detail": Probe({"pk": "payslip"}),
    "payroll:payslip_pdf": Probe({"pk": "payslip"}),
    "payroll:file_payslip_documents": Probe({"pk": "payroll_run"}),
    "payroll:run_correction_new": Probe({"pk": "payroll_run"}),
    "api:create_correction_run": Probe({"run_id": "payroll_run"}, body=lambda own: {}),
    "api:get_group": Probe({"group_id": "pay_group"}),
    "api:put_group": Probe({"group_id": "pay_group"}, body=lambda own: {"code": "monthly", "name": "月給者"}),
    "api:get_item": Probe({"item_id": "pay_item"}),
    "api:put_item": Probe({"item_id": "pay_item"}, body=lambda own: {"name": "役職手当", "kind": "payment"}),
    "api:delete_item": Probe({"item_id": "pay_item"}),
    **{
        f"api:list_{v}": Probe({"employee_id": "employee"})
        for v in ("profiles", "employee_items", "grades", "resident_taxes")
    },
    "api:create_profile": Probe(
        {"employee_id": "employee"},
        body=lambda own: {
            "effective_from": "2026-12-01",
            "pay_group_id": own.objects["pay_group"].pk,
            "base_pay": 300000,
        },
    ),
    "api:create_employee_item": Probe(
        {"employee_id": "employee"},
        body=lambda own: {
            "item_id": own.objects["pay_item"].pk,
            "effective_from": "2026-12-01",
            "amount": 10000,
        },
    ),
    "api:create_grade": Probe(
        {"employee_id": "employee"},
        body=lambda own: {"effective_from": "2026-12-01", "monthly_remuneration": 300000},
    ),
    "api:create_resident_tax": Probe(
        {"employee_id": "employee"},
        body=lambda own: {
            "fiscal_year": 2026,
            "municipality_name": "千代田区",
            "annual": 120000,
            "june": 10000,
            "monthly": 10000,
        },
    ),
    **{
        f"api:{v}": Probe({"run_id": "payroll_run"})
        for v in (
            "get_payroll_run",
            "recompute_run",
            "confirm_payroll_run",
            "transfer_preview",
            "transfer_file",
        )
    },
    "api:discard_run": Probe({"run_id": "payroll_run"}, body=lambda own: {"reason": "誤り"}),
    "api:payslip_detail": Probe({"payslip_id": "payslip"}),
    # payroll: 賞与, 退職, 退職金
    **{f"payroll:bonus_{v}": Probe({"pk": "bonus_run"}) for v in ("amounts", "import", "template", "report")},
    **{
        f"api:{v}": Probe({"run_id": "bonus_run"})
        for v in ("list_bonus_amounts", "import_bonus_amounts", "bonus_report")
    },
    "api:put_bonus_amounts": Probe({"run_id": "bonus_run"}, body=lambda own: {"items": []}),
    "payroll:leaver_withholding_slip": Probe({"employee_id": "employee"}),
    **{
        f"api:{v}": Probe({"employee_id": "employee"})
        for v in ("withholding_slip", "withholding_slip_pdf_file")
    },
    **{
        f"payroll:severance_{v}": Probe({"pk": "severance"})
        for v in ("detail", "edit", "compute", "confirm", "discard", "certificate")
    },
    **{
        f"api:{v}": Probe({"severance_id": "severance"})
        for v in ("get_severance", "compute_severance", "confirm_severance", "severance_certificate")
    },
    "api:discard_severance": Probe({"severance_id": "severance"}, body=lambda own: {"reason": "誤り"}),
    "api:update_severance": Probe(
        {"severance_id": "severance"},
        body=lambda own: {
            "employee_id": own.objects["employee"].pk,
            "paid_on": "2026-11-30",
            "amount": 3000000,
        },
    ),
}
for _part in tenancy_parts.PARTS:
    ROUTES.update(_part.ROUTES)


def _quote_body(*, valid: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": "2026-06-01",
        "lines": [{"description": "作業", "quantity": "1", "unit_price": "1000", "tax": "S10"}],
    }
    if valid:
        body["valid_until"] = "2026-06-30"
    return body


METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Route:
    name: str
    route: str
    args: list[str]


def _takes_an_id(arg: str, converter: Any) -> bool:
    return isinstance(converter, IntConverter) or arg in ("pk", "id") or arg.endswith("_id")


def id_taking_routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str | None, converters: dict[str, Any]) -> None:
        for p in resolver.url_patterns:
            conv = {**converters, **p.pattern.converters}
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p, prefix + str(p.pattern), ns, conv)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                args = [a for a, c in conv.items() if _takes_an_id(a, c)]
                if args:
                    name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or route)
                    found.append(Route(name=name, route=route, args=sorted(conv)))

    walk(get_resolver(), "", None, {})
    return found


def test_every_id_taking_url_is_covered():
    routes = id_taking_routes()
    names = {r.name for r in routes}
    missing = sorted(names - set(ROUTES))
    assert not missing, (
        "URLs that take an object id are missing from ROUTES in tests/core/test_tenancy.py; add each "
        f"with the kind of object its arguments name, so that another company's id is proven a 404: {missing}"
    )
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"ROUTES names URLs that no longer exist: {stale}"
    for r in routes:
        assert sorted(ROUTES[r.name].args) == r.args, (
            f"{r.name}: URL arguments {r.args} vs ROUTES {ROUTES[r.name].args}"
        )


def _by_path() -> dict[str, list[str]]:
    """URL names grouped by route (the API serves GET and PATCH of one path under two names)."""
    grouped: dict[str, list[str]] = {}
    for r in id_taking_routes():
        if r.name in ROUTES:
            grouped.setdefault(r.route, []).append(r.name)
    return grouped


def _url(name: str, world_of_arg: dict[str, World]) -> str:
    probe = ROUTES[name]
    return reverse(name, kwargs={arg: world_of_arg[arg].objects[kind].pk for arg, kind in probe.args.items()})


def _body(names: list[str], own: World) -> str:
    body: dict[str, Any] = {}
    for name in names:
        if ROUTES[name].body is not None:
            body.update(ROUTES[name].body(own))
    return json.dumps(body)


def _rows() -> dict[str, Any]:
    """Every row of the ennoshita apps, and the row count of every other table."""
    state: dict[str, Any] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        manager = model._base_manager
        if model._meta.app_config.name.startswith("ennoshita."):
            rows = list(manager.order_by("pk").values())
            if model is ApiToken:
                # an API call records the token's last use (at most once a minute, a read's
                # bookkeeping, core.services.authenticate_api_token): not a change made by a
                # refused request, and a walk longer than a minute would otherwise see it
                for row in rows:
                    row.pop("last_used_at", None)
            state[_label(model)] = rows
        else:
            state[_label(model)] = manager.count()
    return state


@pytest.fixture
def worlds(db, settings, tmp_path) -> tuple[World, World]:
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path / "media"  # the documents' files, never into var/
    storages._storages.pop("default", None)
    return build_world("株式会社エー", "staff_a"), build_world("株式会社ビー", "staff_b", versions=2)


def test_another_companys_ids_answer_404_on_every_url_and_change_nothing(client, worlds):
    own, other = worlds
    login(client, own.staff)
    _t, raw = core_services.create_api_token(membership=own.staff, name="probe")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    grouped = _by_path()
    assert grouped, "no id-taking URL found: the walk is broken"

    # Control: the same URLs with company A's own objects are found (so the ids and kinds in
    # ROUTES are right, and a 404 below means "not yours", not "wrong URL"). GET only: it writes nothing.
    for names in grouped.values():
        probe_args = ROUTES[names[0]].args
        url = _url(names[0], dict.fromkeys(probe_args, own))
        r = client.get(url, **auth)
        assert r.status_code != 404 and r.status_code < 500, (
            f"GET {url} with company A's own ids: {r.status_code}"
        )

    before = _rows()
    failures: list[str] = []
    tried = 0
    for names in grouped.values():
        probe_args = list(ROUTES[names[0]].args)
        # Every mix of A's and B's ids with at least one of B's (so a lookup that scopes the
        # parent but not the child is caught too).
        for owners in itertools.product((own, other), repeat=len(probe_args)):
            if other not in owners:
                continue
            url = _url(names[0], dict(zip(probe_args, owners, strict=True)))
            served = []
            for method in METHODS:
                if method == "get":
                    r = client.get(url, **auth)
                else:
                    r = getattr(client, method)(
                        url, data=_body(names, own), content_type="application/json", **auth
                    )
                tried += 1
                if r.status_code == 405:
                    continue
                served.append(method)
                if r.status_code != 404:
                    failures.append(
                        f"{method.upper()} {url} ({', '.join(names)}) → {r.status_code}, expected 404"
                    )
            if not served:
                failures.append(f"{url} ({', '.join(names)}) answered 405 to every method")
    after = _rows()

    assert not failures, "\n".join(failures)
    changed = sorted(k for k in before if before[k] != after[k])
    assert not changed, f"rows changed by requests that should all have been refused: {changed}"
    assert tried >= len(grouped) * len(METHODS)
