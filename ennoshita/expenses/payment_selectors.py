"""Reads for paying approved claims: what is approved and not yet paid, with the bank account of
the employee it is paid to. A payment run (purchasing) asks here; expenses never imports it.

The employee is the claim's own (``claim.employee``, set when it was written), else the
applicant's employee record in the company. The bank fields come annotated on each claim as
``payee_*``; a payee without an employee record has them empty (and cannot be paid by transfer).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from ennoshita.core.models import Company
from ennoshita.people.models import Employee

from .models import ClaimStatus, ExpenseClaim

# the claim's annotation → the Employee field it comes from
PAYEE_FIELDS = {
    "payee_bank_code": "bank_code",
    "payee_branch_code": "bank_branch_code",
    "payee_account_type": "bank_account_type",
    "payee_account_number": "bank_account_number",
    "payee_holder_kana": "bank_account_holder_kana",
    "payee_family_name": "family_name",
    "payee_given_name": "given_name",
}


def _start_of_day_after(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))


def with_payee(qs: QuerySet[ExpenseClaim], *, company: Company) -> QuerySet[ExpenseClaim]:
    """``qs`` with the payee's employee id, name and bank fields annotated (no query per row)."""
    applicants_record = Employee.objects.filter(company=company, user_id=OuterRef("applicant_id"))

    def field(name: str) -> Case:
        return Case(
            When(employee__isnull=False, then=F(f"employee__{name}")),
            default=Coalesce(Subquery(applicants_record.values(name)[:1]), Value("")),
            output_field=CharField(),
        )

    qs = qs.annotate(
        payee_employee_id=Coalesce(F("employee_id"), Subquery(applicants_record.values("pk")[:1])),
        **{annotation: field(name) for annotation, name in PAYEE_FIELDS.items()},
    )
    return qs.annotate(
        payee_name=Concat(F("payee_family_name"), Value(" "), F("payee_given_name"), output_field=CharField())
    )


def payable_claims(*, company: Company, due_by: date | None = None) -> QuerySet[ExpenseClaim]:
    """Approved claims not yet paid (未払金), oldest approval first, each with its payee's bank
    account annotated (``payee_bank_code`` … ``payee_holder_kana``, ``payee_name``).
    ``due_by``: only claims approved on or before that day."""
    qs = ExpenseClaim.objects.for_company(company).filter(status=ClaimStatus.APPROVED, paid_at__isnull=True)
    if due_by is not None:
        qs = qs.filter(approved_at__lt=_start_of_day_after(due_by))
    qs = qs.select_related("applicant", "department").order_by("approved_at", "pk")
    return with_payee(qs, company=company)


def claims_for_payment(*, company: Company, claim_ids: list[int]) -> QuerySet[ExpenseClaim]:
    """The claims of these ids in the company (any status), with their payee annotated."""
    qs = ExpenseClaim.objects.for_company(company).filter(pk__in=claim_ids)
    return with_payee(qs.select_related("applicant", "department").order_by("pk"), company=company)
