"""Reads of 支払処理: the payment settings, what can be paid by a date (candidates, each with its
bank account checked), the runs and their items.

A bank account is checked the way the 全銀 file will need it (jp-rules §8): a bank and a branch
that exist in the bank-code data, a 預金種目, an account number of up to 7 digits, and a holder
name that ``rules.bank_kana`` can write in bank characters within 30. A payee whose account fails
is listed with the reason and cannot be selected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from ennoshita.core.dates import is_holiday
from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.expenses import payment_selectors as expense_payments
from ennoshita.expenses.models import ExpenseClaim
from ennoshita.purchasing import banks, rules
from ennoshita.purchasing.models import (
    BillStatus,
    PaymentItem,
    PaymentRun,
    PurchasingSettings,
    RunStatus,
    VendorBill,
)
from ennoshita.purchasing.payment_permissions import PAYMENT_ROLES

HOLDER_WIDTH = 30  # 受取人名 C(30), jp-rules §8
REQUESTER_NAME_WIDTH = 40  # 振込依頼人名 C(40), jp-rules §8
_DIGITS = re.compile(r"[0-9]+")
CLAIM_PAYABLE_ACCOUNT_CODE = "2130"  # 未払金: approved claims post there (expenses.services.workflow)


# ============================================================================ bank days
def is_bank_business_day(day: date) -> bool:
    """銀行の営業日. 銀行法15条1項・銀行法施行令5条1項: a bank's holidays are Sundays, the
    holidays of 国民の祝日に関する法律, 12月31日 to 1月3日, and Saturdays. A transfer can only
    be made on a business day."""
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in {(12, 31), (1, 1), (1, 2), (1, 3)}:
        return False
    return not is_holiday(day)


def next_bank_business_day(day: date) -> date:
    from datetime import timedelta

    while not is_bank_business_day(day):
        day += timedelta(days=1)
    return day


# ============================================================================ bank accounts
@dataclass(frozen=True)
class BankAccount:
    """A payee's account as the file will carry it (codes of digits, the holder in bank kana)."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str  # 7 digits, zero-filled
    holder: str  # half-width bank characters, at most 30

    @property
    def bank_name(self) -> str:
        found = banks.bank(self.bank_code)
        return found.name if found else ""

    @property
    def branch_name(self) -> str:
        found = banks.branch(self.bank_code, self.branch_code)
        return found.name if found else ""


@lru_cache(maxsize=4096)
def _holder(text: str) -> tuple[str, str]:
    try:
        converted = rules.bank_kana(text)
    except ValueError as error:
        return "", str(error)
    if not converted:
        return "", _("口座名義が登録されていません。")
    if len(converted) > HOLDER_WIDTH:
        return "", _("口座名義が全銀ファイルの%(n)s文字を超えます(変換後 %(len)s 文字「%(text)s」)。") % {
            "n": HOLDER_WIDTH,
            "len": len(converted),
            "text": converted,
        }
    return converted, ""


def check_bank_account(
    *, bank_code: str, branch_code: str, account_type: str, account_number: str, holder: str
) -> tuple[BankAccount | None, str]:
    """The account as a transfer needs it, or None and the reason (in Japanese) it cannot be paid."""
    bank_code, branch_code = (bank_code or "").strip(), (branch_code or "").strip()
    account_number, holder = (account_number or "").strip(), (holder or "").strip()
    if not (bank_code or branch_code or account_number):
        return None, _("振込先の口座が登録されていません。")
    if not (len(bank_code) == 4 and _DIGITS.fullmatch(bank_code)) or banks.bank(bank_code) is None:
        return None, _("銀行コード「%(code)s」は銀行コードのデータにありません。") % {"code": bank_code}
    if (
        not (len(branch_code) == 3 and _DIGITS.fullmatch(branch_code))
        or banks.branch(bank_code, branch_code) is None
    ):
        return None, _("支店コード「%(branch)s」は銀行 %(bank)s にありません。") % {
            "branch": branch_code,
            "bank": bank_code,
        }
    if account_type not in rules.ACCOUNT_TYPES:
        return None, _("預金種目が正しくありません(普通・当座・貯蓄・その他)。")
    if not (_DIGITS.fullmatch(account_number) and len(account_number) <= 7):
        return None, _("口座番号は7桁以内の数字です(「%(number)s」)。") % {"number": account_number}
    name, problem = _holder(holder)
    if problem:
        return None, problem
    return BankAccount(bank_code, branch_code, account_type, account_number.zfill(7), name), ""


# ============================================================================ settings
def settings_of(*, company: Company) -> PurchasingSettings:
    """The company's payment settings, or the defaults (unsaved) before they are first kept."""
    found = PurchasingSettings.objects.for_company(company).first()
    return found if found is not None else PurchasingSettings(company=company)


def settings_problems(row: PurchasingSettings) -> dict[str, list[str]]:
    """What keeps the settings from heading a 全銀 file (empty when they are complete)."""
    errors: dict[str, list[str]] = {}
    if not (_DIGITS.fullmatch(row.requester_code or "") and len(row.requester_code) == 10):
        errors["requester_code"] = [_("振込依頼人コード(委託者コード)は銀行から通知された10桁の数字です。")]
    try:
        name = rules.bank_kana(row.requester_name or "")
    except ValueError as error:
        errors["requester_name"] = [str(error)]
    else:
        if not name:
            errors["requester_name"] = [_("振込依頼人名(カナ)を入力してください。")]
        elif len(name) > REQUESTER_NAME_WIDTH:
            errors["requester_name"] = [
                _("振込依頼人名は全銀ファイルの%(n)s文字までです。") % {"n": REQUESTER_NAME_WIDTH}
            ]
    if banks.bank(row.bank_code or "") is None:
        errors["bank_code"] = [_("仕向銀行コードが銀行コードのデータにありません。")]
    elif banks.branch(row.bank_code, row.branch_code or "") is None:
        errors["branch_code"] = [_("仕向支店コードがその銀行にありません。")]
    if row.account_type not in rules.HEADER_ACCOUNT_TYPES:
        errors["account_type"] = [_("依頼人の預金種目は普通・当座・その他のどれかです。")]
    if not (_DIGITS.fullmatch(row.account_number or "") and len(row.account_number) <= 7):
        errors["account_number"] = [_("依頼人の口座番号は7桁以内の数字です。")]
    return errors


# ============================================================================ candidates
@dataclass
class Candidate:
    """A bill or a claim that is due and unpaid, with the account it would be paid to."""

    kind: str  # PaymentItem.Kind
    source_id: int
    number: str
    payee_name: str
    due_date: date | None
    amount: Decimal
    payable_account_code: str
    department_id: int | None
    account: BankAccount | None
    reason: str  # why it cannot be paid ("" when it can)
    raw_bank: tuple[str, str, str, str, str]  # as registered, for display when the account fails

    @property
    def payable(self) -> bool:
        return self.account is not None and not self.reason

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.source_id}"


def live_run_number(field: str) -> Subquery:
    return Subquery(
        PaymentItem.objects.filter(**{field: OuterRef("pk")}, released=False).values("run__number")[:1]
    )


def _reason(account_reason: str, amount: Decimal, in_run: str | None) -> str:
    if in_run:
        return _("支払処理 %(number)s に含まれています。") % {"number": in_run}
    if amount <= 0:
        return _("金額が0円です。")
    if amount > rules.MAX_AMOUNT:
        return _("1件の振込は%(max)s円までです。") % {"max": f"{rules.MAX_AMOUNT:,}"}
    return account_reason


def payable_bills(*, company: Company, due_by: date | None) -> QuerySet[VendorBill]:
    qs = VendorBill.objects.for_company(company).filter(status=BillStatus.APPROVED, paid_at__isnull=True)
    if due_by is not None:
        qs = qs.filter(due_date__lte=due_by)
    return qs.select_related("vendor").order_by("due_date", "pk")


def bill_candidates(bills: Iterable[VendorBill]) -> list[Candidate]:
    out = []
    for bill in bills:
        v = bill.vendor
        raw = (v.bank_code, v.branch_code, v.account_type, v.account_number, v.account_holder)
        account, reason = check_bank_account(
            bank_code=v.bank_code,
            branch_code=v.branch_code,
            account_type=v.account_type,
            account_number=v.account_number,
            holder=v.account_holder,
        )
        out.append(
            Candidate(
                kind=PaymentItem.Kind.VENDOR_BILL,
                source_id=bill.pk,
                number=bill.number,
                payee_name=v.name,
                due_date=bill.due_date,
                amount=bill.total,
                payable_account_code=bill.payable_account_code or "2112",
                department_id=bill.department_id,
                account=account,
                reason=_reason(reason, bill.total, getattr(bill, "in_run", None)),
                raw_bank=raw,
            )
        )
    return out


def claim_candidates(claims: Iterable[ExpenseClaim]) -> list[Candidate]:
    out = []
    for c in claims:
        p: Any = c  # the payee_* annotations of expenses.payment_selectors
        raw = (
            p.payee_bank_code or "",
            p.payee_branch_code or "",
            p.payee_account_type or "",
            p.payee_account_number or "",
            p.payee_holder_kana or "",
        )
        account, reason = check_bank_account(
            bank_code=raw[0], branch_code=raw[1], account_type=raw[2], account_number=raw[3], holder=raw[4]
        )
        if p.payee_employee_id is None:
            account, reason = None, _("申請者の社員情報がないため、振込先の口座がわかりません。")
        out.append(
            Candidate(
                kind=PaymentItem.Kind.EXPENSE_CLAIM,
                source_id=c.pk,
                number=c.number,
                payee_name=(p.payee_name or "").strip() or c.applicant.display_name(),
                due_date=None,
                amount=c.total,
                payable_account_code=CLAIM_PAYABLE_ACCOUNT_CODE,
                department_id=c.department_id,
                account=account,
                reason=_reason(reason, c.total, getattr(c, "in_run", None)),
                raw_bank=raw,
            )
        )
    return out


def candidates(*, company: Company, due_by: date) -> list[Candidate]:
    """Approved, unpaid bills due on or before ``due_by`` and approved, unpaid claims; each with
    its bank account checked, and the run it already sits in (then it cannot be selected)."""
    bills = payable_bills(company=company, due_by=due_by).annotate(in_run=live_run_number("vendor_bill"))
    claims = expense_payments.payable_claims(company=company).annotate(
        in_run=live_run_number("expense_claim")
    )
    return bill_candidates(bills) + claim_candidates(claims)


# ============================================================================ runs
def runs(*, company: Company, membership: Membership, status: str = "") -> QuerySet[PaymentRun]:
    require_role(membership, *PAYMENT_ROLES)
    qs = PaymentRun.objects.for_company(company).select_related("created_by", "confirmed_by")
    if status in RunStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-payment_date", "-pk")


def get_run(*, company: Company, membership: Membership, run_id: int) -> PaymentRun:
    require_role(membership, *PAYMENT_ROLES)
    run = (
        PaymentRun.objects.for_company(company)
        .select_related("created_by", "confirmed_by")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise NotFound()
    return run


def run_items(*, run: PaymentRun) -> list[PaymentItem]:
    """The run's items in order, each with ``bank_name``, ``branch_name`` and ``source_number``."""
    items = list(
        PaymentItem.objects.filter(run=run).select_related("vendor_bill", "expense_claim").order_by("pk")
    )
    for item in items:
        bank = banks.bank(item.bank_code)
        branch = banks.branch(item.bank_code, item.branch_code)
        item.bank_name = bank.name if bank else ""  # type: ignore[attr-defined]
        item.branch_name = branch.name if branch else ""  # type: ignore[attr-defined]
        source = item.vendor_bill if item.kind == PaymentItem.Kind.VENDOR_BILL else item.expense_claim
        item.source_number = source.number if source is not None else ""  # type: ignore[attr-defined]
    return items


def reversal_entry_id(*, run: PaymentRun) -> int | None:
    """The 反対仕訳 of a reversed run (the ledger links it to the original entry)."""
    if run.journal_entry_id is None:
        return None
    from ennoshita.ledger import entry_selectors

    original = entry_selectors.get_entry(company=run.company, entry_id=run.journal_entry_id)
    reversal = entry_selectors.reversed_by(entry=original)
    return reversal.pk if reversal is not None else None


def selection_totals(*, company: Company, bill_ids: list[int], claim_ids: list[int]) -> tuple[int, Decimal]:
    """How many of the picked bills and claims are approved and unpaid, and their sum (the new-run
    screen's running total, computed here rather than in the browser)."""
    from django.db.models import Count, Sum

    count, total = 0, Decimal(0)
    for qs in (
        VendorBill.objects.for_company(company).filter(pk__in=bill_ids, status=BillStatus.APPROVED),
        ExpenseClaim.objects.for_company(company).filter(pk__in=claim_ids, status="approved"),
    ):
        sums = qs.filter(paid_at__isnull=True).aggregate(n=Count("pk"), t=Sum("total"))
        count += sums["n"] or 0
        total += sums["t"] or Decimal(0)
    return count, total
