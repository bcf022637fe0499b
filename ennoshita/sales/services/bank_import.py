"""入金明細の取込と消込: import a bank statement (CSV or 全銀 入出金取引明細), match a line to a
customer's invoices (which records the payment), or set a line aside as not a customer payment.

A line's fingerprint is its date, amount, payer and description with the occurrence index of
that combination within the file: importing the same file (or an overlapping statement) again
skips the lines already there, while two equal transfers on one day in one file stay two lines.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import object_type_of, record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.sales.bank_statement import ParsedStatement, StatementEntry, parse_statement
from ennoshita.sales.models import BankStatementLine, Customer, Payment
from ennoshita.sales.permissions import PAYMENT_ROLES
from ennoshita.sales.selectors.bank import (
    ACTION_DISMISS,
    ACTION_RESTORE,
    STATUS_DISMISSED,
    get_line,
    line_status,
)

from .payments import Allocation, record_payment

LOOKUP_CHUNK = 500


@dataclass
class ImportResult:
    batch: str
    statement: ParsedStatement
    created: list[BankStatementLine] = field(default_factory=list)
    duplicates: int = 0

    @property
    def debits(self) -> int:
        return self.statement.debits

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.created), Decimal(0))


def fingerprint(entry: StatementEntry, occurrence: int) -> str:
    text = "|".join(
        [entry.date.isoformat(), str(entry.amount), entry.payer_name, entry.description, str(occurrence)]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fingerprints(entries: Sequence[StatementEntry]) -> list[str]:
    seen: Counter[tuple[object, ...]] = Counter()
    result = []
    for entry in entries:
        key = (entry.date, entry.amount, entry.payer_name, entry.description)
        result.append(fingerprint(entry, seen[key]))
        seen[key] += 1
    return result


def _existing(company: Company, prints: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(prints), LOOKUP_CHUNK):
        chunk = prints[start : start + LOOKUP_CHUNK]
        found.update(
            BankStatementLine.objects.for_company(company)
            .filter(fingerprint__in=chunk)
            .values_list("fingerprint", flat=True)
        )
    return found


def statement_error(statement: ParsedStatement) -> ServiceError:
    messages = [e.message for e in statement.errors]
    return ServiceError(
        _("ファイルに誤りが %(n)d 件あります。1件も取り込んでいません。") % {"n": len(messages)},
        code="bad_file",
        field_errors={"file": messages},
    )


@transaction.atomic
def import_statement(
    *, company: Company, actor: User, membership: Membership, data: bytes, filename: str
) -> ImportResult:
    """Read the file and add its credit lines that are not there yet, in one transaction.
    Raises :class:`ServiceError` (field ``file``, one message per problem) and writes nothing
    when the file has an error."""
    require_role(membership, *PAYMENT_ROLES)
    statement = parse_statement(data, today=timezone.localdate())
    if not statement.ok:
        raise statement_error(statement)
    batch = f"{timezone.localtime():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"
    result = ImportResult(batch=batch, statement=statement)
    prints = _fingerprints(statement.entries)
    existing = _existing(company, prints)
    rows = []
    for entry, print_ in zip(statement.entries, prints, strict=True):
        if print_ in existing:
            result.duplicates += 1
            continue
        rows.append(
            BankStatementLine(
                company=company,
                batch=batch,
                date=entry.date,
                amount=entry.amount,
                payer_name=entry.payer_name[:100],
                payer_kana=entry.payer_kana[:100],
                description=entry.description[:200],
                fingerprint=print_,
            )
        )
    try:
        with transaction.atomic():
            result.created = BankStatementLine.objects.bulk_create(rows, batch_size=1000)
    except IntegrityError:
        raise ServiceError(
            _("同じ明細が同時に取り込まれました。もう一度取り込んでください(取込済みの明細は飛ばされます)。"),
            code="conflict",
            field_errors={"file": [_("同じ明細が同時に取り込まれました。")]},
        ) from None
    record_event(
        company=company,
        actor=actor,
        action="import",
        object_type=object_type_of(BankStatementLine),
        object_id=batch,
        object_repr=(filename or batch)[:300],
        extra={
            "filename": filename,
            "layout": statement.layout,
            "encoding": statement.encoding,
            "imported": len(result.created),
            "duplicates": result.duplicates,
            "debits_skipped": statement.debits,
            "total": result.total,
        },
    )
    return result


def _locked_line(company: Company, line: BankStatementLine) -> BankStatementLine:
    if line.company_id != company.pk:
        raise NotFound()
    locked = BankStatementLine.objects.for_company(company).select_for_update().filter(pk=line.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _is_dismissed(company: Company, line: BankStatementLine) -> bool:
    return line_status(get_line(company, line.pk)) == STATUS_DISMISSED


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, code="validation", field_errors={"statement_line": [message]})


@transaction.atomic
def match_statement_line(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    line: BankStatementLine,
    customer: Customer,
    allocations: Sequence[Allocation],
    fee: Decimal | int | str = 0,
    memo: str = "",
) -> Payment:
    """消込: record the line's money as the customer's payment, applied to the invoices given
    (what is left becomes 前受金). A line is matched once; a line set aside is refused."""
    require_role(membership, *PAYMENT_ROLES)
    locked = _locked_line(company, line)
    if _is_dismissed(company, locked):
        raise _refuse(_("対象外にした入金明細です。元に戻してから消し込んでください。"))
    return record_payment(
        company=company,
        actor=actor,
        membership=membership,
        customer=customer,
        date=locked.date,
        amount=locked.amount,
        allocations=allocations,
        fee=fee,
        payer_name=locked.payer_name,
        memo=memo or locked.description,
        statement_line=locked,
    )


@transaction.atomic
def dismiss_statement_line(
    *, company: Company, actor: User, membership: Membership, line: BankStatementLine, reason: str = ""
) -> BankStatementLine:
    """Set a line aside as not a customer payment (a loan, interest, a refund…): it leaves the
    list of lines to match. Recorded in the audit trail with the reason."""
    require_role(membership, *PAYMENT_ROLES)
    locked = _locked_line(company, line)
    if Payment.objects.filter(statement_line=locked).exists():
        raise _refuse(_("この入金明細はすでに消込済みです。"))
    if _is_dismissed(company, locked):
        raise _refuse(_("この入金明細はすでに対象外です。"))
    reason = (reason or "").strip()[:200]
    before = snapshot(locked, fields=("dismissed_at", "dismiss_reason"))
    locked.dismissed_at, locked.dismiss_reason = timezone.now(), reason
    locked.save(update_fields=["dismissed_at", "dismiss_reason"])
    record_event(
        company=company,
        actor=actor,
        action=ACTION_DISMISS,
        instance=locked,
        before=before,
        after=snapshot(locked, fields=("dismissed_at", "dismiss_reason")),
        extra={
            "reason": reason,
            "date": locked.date,
            "amount": locked.amount,
            "payer_name": locked.payer_name,
        },
    )
    return locked


@transaction.atomic
def restore_statement_line(
    *, company: Company, actor: User, membership: Membership, line: BankStatementLine
) -> BankStatementLine:
    """Undo :func:`dismiss_statement_line`: the line is waiting to be matched again."""
    require_role(membership, *PAYMENT_ROLES)
    locked = _locked_line(company, line)
    if not _is_dismissed(company, locked):
        raise _refuse(_("対象外の入金明細ではありません。"))
    before = snapshot(locked, fields=("dismissed_at", "dismiss_reason"))
    locked.dismissed_at, locked.dismiss_reason = None, ""
    locked.save(update_fields=["dismissed_at", "dismiss_reason"])
    record_event(
        company=company,
        actor=actor,
        action=ACTION_RESTORE,
        instance=locked,
        before=before,
        after=snapshot(locked, fields=("dismissed_at", "dismiss_reason")),
    )
    return locked
