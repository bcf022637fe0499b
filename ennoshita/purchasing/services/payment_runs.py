"""Making a payment run (支払処理) as a draft: what is paid, to which account (a snapshot), on
which bank day; removing an item from it; cancelling it while it is a draft.

States (RunStatus): draft → confirmed (payment_confirm) → cancelled by reversal; draft → cancelled.
A bill or a claim sits in at most one live run: ``PaymentItem.released`` stays False while the run
is a draft or confirmed, and the database's partial unique constraints refuse a second live item.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.dates import holiday_name
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import format_number, next_number_for_date
from ennoshita.core.permissions import require_role
from ennoshita.expenses import payment_selectors as expense_payments
from ennoshita.purchasing.models import PaymentItem, PaymentRun, RunStatus
from ennoshita.purchasing.payment_permissions import PAYMENT_ROLES
from ennoshita.purchasing.selectors import payments as selectors

NUMBER_TYPE = "purchasing.payment_run"
NUMBER_PREFIX = "PAY"
NUMBER_WIDTH = 4  # PAY-2026-0001
RUN_FIELDS = ("number", "payment_date", "due_by", "status", "total", "count")


def check_payment_date(payment_date: date, today: date, errors: dict[str, list[str]]) -> None:
    """振込指定日: today or later, and a bank business day (銀行法施行令5条1項)."""
    if payment_date < today:
        errors.setdefault("payment_date", []).append(_("振込指定日が過去の日付です。"))
    elif not selectors.is_bank_business_day(payment_date):
        holiday = holiday_name(payment_date)
        if payment_date.weekday() >= 5:
            why = _("土曜日・日曜日")
        elif holiday:
            why = holiday
        else:
            why = _("年末年始(12月31日〜1月3日)")
        errors.setdefault("payment_date", []).append(
            _(
                "振込指定日 %(day)s は銀行の休業日(%(why)s)です。営業日を指定してください(次の営業日は %(next)s)。"
            )
            % {"day": payment_date, "why": why, "next": selectors.next_bank_business_day(payment_date)}
        )


def check_settings(company: Company, errors: dict[str, list[str]]) -> Any:
    row = selectors.settings_of(company=company)
    problems = selectors.settings_problems(row)
    if problems:
        errors["settings"] = [
            _("支払の設定(振込依頼人・依頼人の口座)を先に登録してください: %(what)s")
            % {"what": " ".join(m for msgs in problems.values() for m in msgs)}
        ]
    return row


def _chosen(
    company: Company, due_by: date, bill_ids: list[int] | None, claim_ids: list[int] | None
) -> list[selectors.Candidate]:
    if bill_ids is None and claim_ids is None:
        return [c for c in selectors.candidates(company=company, due_by=due_by) if c.payable]
    errors: dict[str, list[str]] = {}
    bills = selectors.payable_bills(company=company, due_by=None).filter(pk__in=bill_ids or [])
    bills = bills.annotate(in_run=selectors.live_run_number("vendor_bill"))
    claims = expense_payments.payable_claims(company=company).filter(pk__in=claim_ids or [])
    claims = claims.annotate(in_run=selectors.live_run_number("expense_claim"))
    found = selectors.bill_candidates(bills) + selectors.claim_candidates(claims)
    seen = {c.key for c in found}
    for key, ids, kind in (
        ("bill_ids", bill_ids, PaymentItem.Kind.VENDOR_BILL),
        ("claim_ids", claim_ids, PaymentItem.Kind.EXPENSE_CLAIM),
    ):
        missing = [i for i in dict.fromkeys(ids or []) if f"{kind}:{i}" not in seen]
        if missing:
            errors.setdefault(key, []).append(
                _("支払える状態ではないか、見つかりません(承認済み・未払いのものだけを選べます): ID %(ids)s")
                % {"ids": ", ".join(map(str, missing))}
            )
    for c in found:
        if not c.payable:
            key = "bill_ids" if c.kind == PaymentItem.Kind.VENDOR_BILL else "claim_ids"
            errors.setdefault(key, []).append(f"{c.number} {c.payee_name}: {c.reason}")
    if errors:
        raise ServiceError(
            _("選んだものの中に支払えないものがあります。"), code="validation", field_errors=errors
        )
    return found


def _item(company: Company, run: PaymentRun, c: selectors.Candidate) -> PaymentItem:
    account = c.account
    assert account is not None  # only payable candidates come here
    bill = c.kind == PaymentItem.Kind.VENDOR_BILL
    return PaymentItem(
        company=company,
        run=run,
        kind=c.kind,
        vendor_bill_id=c.source_id if bill else None,
        expense_claim_id=None if bill else c.source_id,
        released=False,
        payee_name=c.payee_name[:100],
        bank_code=account.bank_code,
        branch_code=account.branch_code,
        account_type=account.account_type,
        account_number=account.account_number,
        account_holder=account.holder,
        amount=c.amount,
        payable_account_code=c.payable_account_code,
    )


@transaction.atomic
def create_payment_run(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    payment_date: date,
    due_by: date,
    bill_ids: list[int] | None = None,
    claim_ids: list[int] | None = None,
    today: date | None = None,
) -> PaymentRun:
    """A draft run paying on ``payment_date``. With no ids, every payable candidate due by
    ``due_by``; with ids (either list; the other then counts as empty), those bills and claims,
    each of which must still be payable. One item per bill and per claim, with the payee's bank
    account as it is now. ``today`` is the day taken as today (for the demo's past runs)."""
    require_role(membership, *PAYMENT_ROLES)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    check_payment_date(payment_date, today, errors)
    check_settings(company, errors)
    if errors:
        raise ServiceError(_("支払処理を作れません。"), code="validation", field_errors=errors)
    chosen = _chosen(company, due_by, bill_ids, claim_ids)
    if not chosen:
        raise ServiceError(
            _("支払えるものがありません。承認済みで未払いの請求書・経費精算を選んでください。"),
            code="validation",
            field_errors={"bill_ids": [_("1件以上選んでください。")]},
        )
    fiscal_year, n = next_number_for_date(company=company, doc_type=NUMBER_TYPE, day=payment_date)
    run = PaymentRun.objects.create(
        company=company,
        number=format_number(NUMBER_PREFIX, fiscal_year, n, width=NUMBER_WIDTH),
        payment_date=payment_date,
        due_by=due_by,
        status=RunStatus.DRAFT,
        total=sum((c.amount for c in chosen), Decimal(0)),
        count=len(chosen),
        created_by=actor,
    )
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal becomes our message
            PaymentItem.objects.bulk_create([_item(company, run, c) for c in chosen], batch_size=1000)
    except IntegrityError as exc:
        raise ServiceError(
            _(
                "選んだ請求書・経費精算の中に、別の支払処理にすでに含まれたものがあります。画面を読み込み直してください。"
            ),
            code="conflict",
        ) from exc
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=run,
        after=snapshot(run, RUN_FIELDS),
        extra={
            "vendor_bills": [c.source_id for c in chosen if c.kind == PaymentItem.Kind.VENDOR_BILL],
            "expense_claims": [c.source_id for c in chosen if c.kind == PaymentItem.Kind.EXPENSE_CLAIM],
        },
    )
    return run


def locked_run(company: Company, run: PaymentRun) -> PaymentRun:
    found = PaymentRun.objects.for_company(company).select_for_update().filter(pk=run.pk).first()
    if found is None:
        raise NotFound()
    return found


def require_status(run: PaymentRun, *allowed: str) -> None:
    if run.status not in allowed:
        raise ServiceError(
            _("「%(status)s」の支払処理はこの操作ができません。") % {"status": run.get_status_display()},
            code="bad_state",
        )


@transaction.atomic
def remove_item(
    *, company: Company, actor: User, membership: Membership, run: PaymentRun, item_id: int
) -> PaymentRun:
    """Take one bill or claim out of a draft run (it becomes a candidate again)."""
    require_role(membership, *PAYMENT_ROLES)
    run = locked_run(company, run)
    require_status(run, RunStatus.DRAFT)
    item = PaymentItem.objects.filter(company=company, run=run, pk=item_id).first()
    if item is None:
        raise NotFound()
    before = snapshot(run, RUN_FIELDS)
    removed = {"payee": item.payee_name, "amount": item.amount, "kind": item.kind}
    removed["source_id"] = item.vendor_bill_id or item.expense_claim_id
    item.delete()
    totals = PaymentItem.objects.filter(run=run).aggregate(total=Sum("amount"))
    run.total = totals["total"] or Decimal(0)
    run.count = PaymentItem.objects.filter(run=run).count()
    run.save(update_fields=["total", "count"])
    record_event(
        company=company,
        actor=actor,
        action="remove_item",
        instance=run,
        before=before,
        after=snapshot(run, RUN_FIELDS),
        extra={"removed": removed},
    )
    return run


@transaction.atomic
def cancel_payment_run(
    *, company: Company, actor: User, membership: Membership, run: PaymentRun
) -> PaymentRun:
    """取消 of a draft: its bills and claims are released (they can be paid by another run). A
    confirmed run is reversed instead (``reverse_payment_run``)."""
    require_role(membership, *PAYMENT_ROLES)
    run = locked_run(company, run)
    if run.status == RunStatus.CONFIRMED:
        raise ServiceError(
            _("確定した支払処理は取り消せません。「確定の取消(反対仕訳)」を使ってください。"),
            code="bad_state",
        )
    require_status(run, RunStatus.DRAFT)
    before = snapshot(run, RUN_FIELDS)
    PaymentItem.objects.filter(run=run).update(released=True)
    run.status = RunStatus.CANCELLED
    run.save(update_fields=["status"])
    record_event(
        company=company,
        actor=actor,
        action="cancel",
        instance=run,
        before=before,
        after=snapshot(run, RUN_FIELDS),
    )
    return run
