"""Reads of 仕入先: the list (search, 取引中 filter), one vendor with its bills and what the company
owes it (買掛金・未払金: approved bills not yet paid), and bank / branch candidates for the form."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.core.text import nfkc
from ennoshita.expenses import rules as expense_rules
from ennoshita.purchasing import banks, rules
from ennoshita.purchasing.models import BillStatus, Vendor, VendorBill
from ennoshita.purchasing.permissions import manages_payables


def _check(membership: Membership) -> None:
    if not manages_payables(membership):
        raise PermissionDeniedError()


def vendor_list(
    *, company: Company, membership: Membership, q: str = "", active: bool | None = None
) -> QuerySet[Vendor]:
    """Vendors by code; ``q`` matches code, name, kana or 登録番号 (each word)."""
    _check(membership)
    qs = Vendor.objects.for_company(company).order_by("code", "pk")
    if active is not None:
        qs = qs.filter(is_active=active)
    for word in nfkc(q or "").split()[:5]:
        number = expense_rules.normalize_registration_number(word)
        qs = qs.filter(
            Q(code__icontains=word)
            | Q(name__icontains=word)
            | Q(kana__icontains=word)
            | Q(registration_number__icontains=number or word)
        )
    return qs


def active_vendors(*, company: Company) -> QuerySet[Vendor]:
    return Vendor.objects.for_company(company).filter(is_active=True).order_by("code")


def get_vendor(*, company: Company, membership: Membership, vendor_id: int) -> Vendor:
    _check(membership)
    vendor = Vendor.objects.for_company(company).filter(pk=vendor_id).first()
    if vendor is None:
        raise NotFound()
    return vendor


@dataclass(frozen=True)
class VendorBalance:
    unpaid_count: int
    unpaid_total: Decimal  # 買掛金・未払金: approved bills not yet paid
    waiting_count: int  # submitted or returned: not yet a payable
    waiting_total: Decimal


def vendor_balance(*, company: Company, vendor: Vendor) -> VendorBalance:
    rows = VendorBill.objects.for_company(company).filter(vendor=vendor)
    unpaid = rows.filter(status=BillStatus.APPROVED, paid_at__isnull=True).aggregate(
        n=Count("pk"), t=Sum("total")
    )
    waiting = rows.filter(status__in=(BillStatus.SUBMITTED, BillStatus.RETURNED)).aggregate(
        n=Count("pk"), t=Sum("total")
    )
    return VendorBalance(unpaid["n"], unpaid["t"] or Decimal(0), waiting["n"], waiting["t"] or Decimal(0))


def vendor_bills(*, company: Company, vendor: Vendor) -> QuerySet[VendorBill]:
    return (
        VendorBill.objects.for_company(company)
        .filter(vendor=vendor)
        .select_related("department")
        .order_by("-bill_date", "-pk")
    )


def terms_text(vendor: Vendor) -> str:
    return rules.terms_label(
        closing_day=vendor.closing_day,
        payment_month_offset=vendor.payment_month_offset,
        payment_day=vendor.payment_day,
    )


def bank_name(vendor: Vendor) -> str:
    """「みずほ銀行 東京営業部 普通 1234567」 for the screen (the codes when the data lacks one)."""
    if not vendor.bank_code:
        return ""
    bank = banks.bank(vendor.bank_code)
    branch = banks.branch(vendor.bank_code, vendor.branch_code)
    return " ".join(
        [
            bank.name if bank else vendor.bank_code,
            branch.name if branch else vendor.branch_code,
            vendor.get_account_type_display(),
            vendor.account_number,
        ]
    )


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    kana: str


def bank_candidates(*, q: str, limit: int = 15) -> list[Candidate]:
    return [Candidate(b.code, b.name, b.kana) for b in banks.search_banks(q, limit)]


def branch_candidates(*, bank_code: str, q: str, limit: int = 15) -> list[Candidate]:
    code = nfkc(bank_code or "").strip()
    return [Candidate(b.code, b.name, b.kana) for b in banks.search_branches(code, q, limit)]
