"""Confirming a payment run (確定): the 全銀 総合振込 file, filed as 電子取引データ; one journal
entry (Dr 買掛金 / 未払金, Cr 普通預金); the bills and claims paid. Reversing it (確定の取消): a
反対仕訳 and the bills and claims unpaid again; the filed file stays as a record.

The file (jp-rules §8): a header from the payment settings, one data record per item from the
item's snapshot of the payee's account, the trailer (count, total) and the end record; CP932,
120 bytes a record, CR LF after each (``rules.encode_zengin``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.documents import services as document_services
from ennoshita.documents.storage import open_blob, sha256_of
from ennoshita.expenses import services as expense_services
from ennoshita.expenses.models import ClaimStatus, ExpenseClaim
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.ledger import services as ledger_services
from ennoshita.purchasing import rules
from ennoshita.purchasing.models import (
    BillStatus,
    PaymentItem,
    PaymentRun,
    PurchasingSettings,
    RunStatus,
    VendorBill,
)
from ennoshita.purchasing.payment_permissions import PAYMENT_ROLES

from .payment_runs import RUN_FIELDS, check_payment_date, check_settings, locked_run, require_status

SOURCE_TYPE = "purchasing.payment_run"
FOLDER = "振込データ"
DOCUMENT_TYPE = ""  # a transfer file is none of 電帳法's 書類の種類 (documents.models.DocumentType)
KIND = "21"  # 総合振込 (jp-rules §8)
_TRANSFER_INDEX = re.compile(r"transfers\[(\d+)\]（\d+件目）")


# ============================================================================ the file
def file_name(run: PaymentRun) -> str:
    return f"sogo_furikomi_{run.payment_date:%Y%m%d}_{run.number or f'draft-{run.pk}'}.txt"


def _header(row: PurchasingSettings, payment_date: date) -> dict[str, Any]:
    return {
        "requester_code": row.requester_code,
        "requester_name": row.requester_name,
        "date": payment_date,
        "bank_code": row.bank_code,
        "branch_code": row.branch_code,
        "account_type": row.account_type,
        "account_number": row.account_number,
    }


def _transfer(item: PaymentItem) -> dict[str, Any]:
    return {
        "bank_code": item.bank_code,
        "branch_code": item.branch_code,
        "account_type": item.account_type,
        "account_number": item.account_number,
        "name": item.account_holder,
        "amount": item.amount,
    }


def build_transfer_file(
    *, settings_row: PurchasingSettings, run: PaymentRun, items: Sequence[PaymentItem]
) -> bytes:
    """The 総合振込 file's bytes, or ServiceError naming the payee whose data a bank would refuse."""
    if not items:
        raise ServiceError(_("振込が1件もありません。"), code="empty")
    try:
        records = rules.zengin_transfer_records(
            kind=KIND, header=_header(settings_row, run.payment_date), transfers=[_transfer(i) for i in items]
        )
        return rules.encode_zengin(records)
    except ValueError as error:
        message = str(error)
        found = _TRANSFER_INDEX.search(message)
        if found:
            item = items[int(found.group(1))]
            message = _("%(payee)s への振込: %(problem)s") % {"payee": item.payee_name, "problem": message}
        raise ServiceError(
            _("振込データを作れません。%(problem)s") % {"problem": message},
            code="bad_bank_data",
            field_errors={"items": [message]},
        ) from None


def _items(run: PaymentRun) -> list[PaymentItem]:
    return list(
        PaymentItem.objects.filter(run=run)
        .select_related("vendor_bill__vendor", "vendor_bill__department", "expense_claim__department")
        .order_by("pk")
    )


# ============================================================================ checks
def _check_sources(company: Company, items: Sequence[PaymentItem]) -> None:
    """Each bill and claim is still approved, unpaid and of the amount snapshotted (rows locked)."""
    problems: list[str] = []
    bill_items = {i.vendor_bill_id: i for i in items if i.vendor_bill_id}
    bills = VendorBill.objects.for_company(company).select_for_update().filter(pk__in=list(bill_items))
    for bill in bills.only("pk", "number", "status", "paid_at", "total"):
        item = bill_items.pop(bill.pk)
        if bill.status != BillStatus.APPROVED or bill.paid_at is not None or bill.total != item.amount:
            problems.append(
                _("%(number)s(%(payee)s)は支払える状態ではありません。")
                % {"number": bill.number, "payee": item.payee_name}
            )
    claim_items = {i.expense_claim_id: i for i in items if i.expense_claim_id}
    claims = ExpenseClaim.objects.for_company(company).filter(pk__in=list(claim_items))
    for claim in claims.only("pk", "number", "status", "paid_at", "total"):
        item = claim_items.pop(claim.pk)
        if claim.status != ClaimStatus.APPROVED or claim.paid_at is not None or claim.total != item.amount:
            problems.append(
                _("%(number)s(%(payee)s)は支払える状態ではありません。")
                % {"number": claim.number, "payee": item.payee_name}
            )
    if bill_items or claim_items:
        problems.append(_("支払処理の対象が見つかりません。"))
    if problems:
        raise ServiceError(
            _("確定できません。") + " ".join(problems), code="not_payable", field_errors={"items": problems}
        )


# ============================================================================ posting
def _journal_lines(
    company: Company, run: PaymentRun, items: Sequence[PaymentItem], bank_code: str
) -> list[Any]:
    """Dr each payable account per (account, department, payee), the memo naming the payee and the
    bills / claims paid; Cr the bank account for the total."""
    accounts: dict[str, Any] = {}

    def account(code: str) -> Any:
        if code not in accounts:
            found = ledger_entry_selectors.account_by_code(company=company, code=code)
            if found is None:
                raise ServiceError(
                    _("勘定科目 %(code)s がありません。支払の設定を確かめてください。") % {"code": code},
                    code="no_account",
                )
            accounts[code] = found
        return accounts[code]

    groups: dict[tuple[str, int | None, str], list[PaymentItem]] = defaultdict(list)
    departments: dict[int, Any] = {}
    for item in items:
        source: Any = item.vendor_bill if item.vendor_bill_id else item.expense_claim
        if source.department_id:
            departments[source.department_id] = source.department
        groups[(item.payable_account_code, source.department_id, item.payee_name)].append(item)
    lines = []
    for (code, department_id, payee), group in groups.items():
        numbers = [(i.vendor_bill or i.expense_claim).number for i in group]  # type: ignore[union-attr]
        memo = f"{payee} {' '.join(numbers)}"
        if len(memo) > 200:
            memo = f"{payee} {numbers[0]} ほか{len(numbers) - 1}件"
        lines.append(
            ledger_services.LineInput(
                account=account(code),
                side="debit",
                amount=sum((i.amount for i in group), Decimal(0)),
                department=departments.get(department_id) if department_id else None,
                memo=memo[:200],
            )
        )
    lines.append(
        ledger_services.LineInput(
            account=account(bank_code),
            side="credit",
            amount=run.total,
            memo=f"総合振込 {run.number} {run.count}件"[:200],
        )
    )
    return lines


def paid_at_of(payment_date: date) -> datetime:
    """支払日時 of what a run pays: the start of its 振込指定日 in the company's time zone."""
    return timezone.make_aware(datetime.combine(payment_date, time()))


def _counterparty(items: Sequence[PaymentItem]) -> str:
    names = list(dict.fromkeys(i.payee_name for i in items))
    text = "、".join(names[:3])
    return f"{text} ほか{len(names) - 3}件" if len(names) > 3 else text


def _searchable(run: PaymentRun, items: Sequence[PaymentItem]) -> str:
    head = f"{run.number} 総合振込 {run.payment_date:%Y-%m-%d} {run.count}件 {run.total}円"
    return "\n".join([head, *(f"{i.payee_name} {i.amount}" for i in items)])[:100_000]


@transaction.atomic
def confirm_payment_run(
    *, company: Company, actor: User, membership: Membership, run: PaymentRun, today: date | None = None
) -> PaymentRun:
    """確定: build and file the 総合振込 file, post the entry dated the 振込指定日, mark the bills
    and claims paid, all in this transaction; any refusal writes nothing."""
    require_role(membership, *PAYMENT_ROLES)
    run = locked_run(company, run)
    require_status(run, RunStatus.DRAFT)
    items = _items(run)
    if not items:
        raise ServiceError(_("振込が1件もない支払処理は確定できません。"), code="empty")
    errors: dict[str, list[str]] = {}
    check_payment_date(run.payment_date, today or timezone.localdate(), errors)
    settings_row = check_settings(company, errors)
    if errors:
        raise ServiceError(_("確定できません。"), code="validation", field_errors=errors)
    _check_sources(company, items)
    data = build_transfer_file(settings_row=settings_row, run=run, items=items)
    document = document_services.file_generated_document(
        company=company,
        actor=actor,
        folder_name=FOLDER,
        roles=tuple(str(r) for r in PAYMENT_ROLES),
        name=file_name(run),
        data=data,
        transaction_date=run.payment_date,
        transaction_amount=run.total,
        counterparty=_counterparty(items),
        document_type=DOCUMENT_TYPE,
        text=_searchable(run, items),
    )
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=run.payment_date,
        lines=_journal_lines(company, run, items, settings_row.bank_account_code),
        memo=f"支払処理 {run.number} 総合振込 {run.count}件",
        source_type=SOURCE_TYPE,
        source_id=str(run.pk),
        source_repr=run.number,
    )
    paid_at = paid_at_of(run.payment_date)
    bills = [i.vendor_bill for i in items if i.vendor_bill is not None]
    VendorBill.objects.filter(pk__in=[b.pk for b in bills]).update(paid_at=paid_at)
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "pay",
                b,
                before={"paid_at": None},
                after={"paid_at": paid_at},
                extra={"payment_run": run.number},
            )
            for b in bills
        ],
    )
    claims = [i.expense_claim for i in items if i.expense_claim is not None]
    if claims:
        expense_services.mark_claims_paid(
            company=company, actor=actor, claims=claims, paid_at=paid_at, run_number=run.number
        )
    before = snapshot(run, RUN_FIELDS)
    run.status = RunStatus.CONFIRMED
    run.file_document_id = document.pk
    run.file_sha256 = sha256_of(data)
    run.journal_entry_id = entry.pk
    run.confirmed_by = actor
    run.confirmed_at = timezone.now()
    run.save(
        update_fields=[
            "status",
            "file_document_id",
            "file_sha256",
            "journal_entry_id",
            "confirmed_by",
            "confirmed_at",
        ]
    )
    record_event(
        company=company,
        actor=actor,
        action="confirm",
        instance=run,
        before=before,
        after=snapshot(run, (*RUN_FIELDS, "file_document_id", "file_sha256", "journal_entry_id")),
    )
    return run


@transaction.atomic
def reverse_payment_run(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    run: PaymentRun,
    reversal_date: date | None = None,
) -> PaymentRun:
    """確定の取消: the entry's 反対仕訳 (dated ``reversal_date``; by default today, or the
    振込指定日 while that is still ahead), the bills and claims unpaid and released, the run
    cancelled. The filed file stays in 文書 as the record of what was made."""
    require_role(membership, *PAYMENT_ROLES)
    run = locked_run(company, run)
    require_status(run, RunStatus.CONFIRMED)
    today = timezone.localdate()
    day = reversal_date or max(today, run.payment_date)
    items = _items(run)
    reversal_id = None
    if run.journal_entry_id is not None:
        entry = ledger_entry_selectors.get_entry(company=company, entry_id=run.journal_entry_id)
        reversal = ledger_services.reverse_entry(
            company=company,
            actor=actor,
            entry=entry,
            date=day,
            memo=f"支払処理の取消 {run.number}",
            source_type=SOURCE_TYPE,
        )
        reversal_id = reversal.pk
    bills = [i.vendor_bill for i in items if i.vendor_bill is not None]
    VendorBill.objects.filter(pk__in=[b.pk for b in bills]).update(paid_at=None)
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "unpay",
                b,
                before={"paid_at": b.paid_at},
                after={"paid_at": None},
                extra={"payment_run": run.number},
            )
            for b in bills
        ],
    )
    claims = [i.expense_claim for i in items if i.expense_claim is not None]
    if claims:
        expense_services.unmark_claims_paid(
            company=company, actor=actor, claims=claims, run_number=run.number
        )
    PaymentItem.objects.filter(run=run).update(released=True)
    before = snapshot(run, RUN_FIELDS)
    run.status = RunStatus.CANCELLED
    run.save(update_fields=["status"])
    record_event(
        company=company,
        actor=actor,
        action="reverse",
        instance=run,
        before=before,
        after=snapshot(run, RUN_FIELDS),
        extra={"reversal_entry_id": reversal_id, "reversal_date": day},
    )
    return run


def transfer_file(*, company: Company, membership: Membership, run: PaymentRun) -> tuple[str, bytes]:
    """The file's name and bytes: a confirmed (or since reversed) run's filed file as filed, checked
    against its SHA-256; a draft's preview built now from the settings and the snapshots."""
    require_role(membership, *PAYMENT_ROLES)
    if run.company_id != company.pk:
        from ennoshita.core.errors import NotFound

        raise NotFound()
    if run.file_sha256:
        data = open_blob(run.file_sha256)
        if sha256_of(data) != run.file_sha256:
            raise ServiceError(
                _("保存された振込データが壊れています(SHA-256 が一致しません)。"), code="corrupt"
            )
        return file_name(run), data
    if run.status != RunStatus.DRAFT:
        raise ServiceError(_("取り消した支払処理の振込データはありません。"), code="bad_state")
    errors: dict[str, list[str]] = {}
    settings_row = check_settings(company, errors)
    if errors:
        raise ServiceError(_("振込データを作れません。"), code="validation", field_errors=errors)
    return file_name(run), build_transfer_file(settings_row=settings_row, run=run, items=_items(run))
