"""Journal entries: the lines with their tax, drafts, posting with balances and audit, reversals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.money import Rounding
from ennoshita.core.numbering import next_number
from ennoshita.core.permissions import require_role
from ennoshita.ledger import chart, rules
from ennoshita.ledger.models import (
    Account,
    FiscalYear,
    JournalEntry,
    JournalLine,
    SubAccount,
    TaxCode,
)
from ennoshita.ledger.permissions import WRITE_ROLES
from ennoshita.people.models import Department

from .books import JOURNAL_NUMBERS
from .periods import PostingContext, _check_period, check_period, posting_context

# ------------------------------------------------------------------------------ entries


@dataclass(frozen=True)
class LineInput:
    """One line as a person (or another app) enters it. ``amount`` sits on ``side``; with a taxable
    税区分 it is 税込 or 税抜 by ``tax_included`` (None: the company's setting), and the tax line
    is generated from it."""

    account: Account
    side: str  # "debit" | "credit"
    amount: Decimal | int | str
    tax_code: TaxCode | None = None
    tax_included: bool | None = None
    department: Department | None = None
    sub_account: SubAccount | None = None
    memo: str = ""


# Lines and monthly totals are stored in 15 digits; one line stays below 1兆円 so sums keep room.
MAX_LINE_AMOUNT = Decimal(999_999_999_999)


@dataclass
class _Built:
    lines: list[JournalLine]
    total: Decimal
    tax_for: dict[int, int]  # index of a generated tax line → index of its base line


def _yen(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        return None
    return amount


def _build_lines(
    company: Company,
    day: date,
    inputs: Sequence[LineInput],
    errors: dict[str, list[str]],
    *,
    context: PostingContext,
    balanced: bool = True,
) -> _Built:
    """Check every line and expand taxed lines into base + tax line (税抜経理)."""
    rounding = Rounding(context.tax_rounding)
    built: list[JournalLine] = []
    tax_for: dict[int, int] = {}
    debit_total = credit_total = Decimal(0)
    if not inputs:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    for n, line in enumerate(inputs):
        key = f"lines.{n}"
        problems: list[str] = []
        if line.account.company_id != company.pk or (
            line.sub_account is not None and line.sub_account.company_id != company.pk
        ):
            raise NotFound()
        if line.department is not None and line.department.company_id != company.pk:
            raise NotFound()
        if line.tax_code is not None and line.tax_code.company_id != company.pk:
            raise NotFound()
        if not line.account.is_active:
            problems.append(_("勘定科目「%(name)s」は使用停止です。") % {"name": line.account.name})
        if line.sub_account is not None and line.sub_account.account_id != line.account.pk:
            problems.append(_("補助科目が勘定科目に属していません。"))
        if line.side not in ("debit", "credit"):
            problems.append(_("借方か貸方かを指定してください。"))
        amount = _yen(line.amount)
        if amount is None:
            problems.append(_("金額は円単位の整数で入力してください。"))
        elif amount <= 0:
            problems.append(_("金額は1円以上で入力してください。"))
        elif amount > MAX_LINE_AMOUNT:
            problems.append(_("金額が大きすぎます(1行あたり1兆円未満)。"))
        if problems:
            errors[key] = problems
            continue
        assert amount is not None
        base = JournalLine(
            company=company,
            date=day,
            account=line.account,
            sub_account=line.sub_account,
            department=line.department,
            tax_code=line.tax_code,
            memo=line.memo.strip()[:200],
        )
        tax_line: JournalLine | None = None
        code = line.tax_code
        if code is not None and code.is_taxable:
            included = context.tax_included_entry if line.tax_included is None else line.tax_included
            split = rules.split_amount(
                amount=amount, rate_percent=code.rate, tax_included=included, rounding=rounding
            )
            base.tax_base, base.tax_amount = split.net, split.tax
            tax_part = split.tax
            if code.kind == "taxable_purchase":
                # 経過措置: only the creditable part goes to 仮払消費税等; the rest is cost (附則52・53条)
                tax_part = rules.deductible_input_tax(
                    tax=split.tax, purchase_date=day, qualified=code.qualified, rounding=rounding
                )
                if not code.qualified:
                    note = rules.transitional_note(purchase_date=day)
                    base.memo = (
                        f"{base.memo} {note}".strip()[:200] if note and note not in base.memo else base.memo
                    )
            amount = split.gross - tax_part
            if tax_part:
                purchase = code.kind == "taxable_purchase"
                tax_account_id = context.input_tax_account_id if purchase else context.output_tax_account_id
                assert tax_account_id is not None  # system accounts: never renumbered or removed
                tax_account_code = chart.INPUT_TAX_ACCOUNT_CODE if purchase else chart.OUTPUT_TAX_ACCOUNT_CODE
                tax_line = JournalLine(
                    company=company,
                    date=day,
                    account_id=tax_account_id,
                    department=line.department,
                    memo=base.memo,
                )
                tax_line._account_code = tax_account_code  # type: ignore[attr-defined]  # for the audit
                setattr(tax_line, line.side, tax_part)
        elif code is not None:
            base.tax_base, base.tax_amount = amount, Decimal(0)
        setattr(base, line.side, amount)
        built.append(base)
        if tax_line is not None:
            tax_for[len(built)] = len(built) - 1
            built.append(tax_line)
    for row in built:
        debit_total += row.debit
        credit_total += row.credit
    if balanced and not errors and debit_total != credit_total:
        errors["lines"] = [
            _("借方合計(%(debit)s円)と貸方合計(%(credit)s円)が一致しません。")
            % {"debit": f"{debit_total:,}", "credit": f"{credit_total:,}"}
        ]
    return _Built(built, debit_total, tax_for)


def _write_lines(entry: JournalEntry, built: _Built) -> None:
    for n, line in enumerate(built.lines, start=1):
        line.entry, line.line_no, line.date = entry, n, entry.date
    JournalLine.objects.bulk_create([ln for i, ln in enumerate(built.lines) if i not in built.tax_for])
    tax_lines = []
    for i, base in built.tax_for.items():
        built.lines[i].tax_for = built.lines[base]
        tax_lines.append(built.lines[i])
    if tax_lines:
        JournalLine.objects.bulk_create(tax_lines)


def _delete_draft_lines(entry: JournalEntry) -> None:
    # tax lines first: they point at their base lines (PROTECT)
    JournalLine.objects.filter(entry=entry, tax_for__isnull=False).delete()
    JournalLine.objects.filter(entry=entry).delete()


def _lines_for_audit(lines: Iterable[JournalLine]) -> list[dict[str, Any]]:
    return [
        {
            "line": ln.line_no,
            "account": getattr(ln, "_account_code", None) or ln.account.code,
            "debit": ln.debit,
            "credit": ln.credit,
            "department": ln.department_id,
            "sub_account": ln.sub_account_id,
            "tax_code": ln.tax_code.key if ln.tax_code else None,
            "memo": ln.memo,
        }
        for ln in lines
    ]


# One statement per key that inserts the month's row or adds to it (SQLite ≥ 3.24, PostgreSQL ≥ 9.5);
# sorted keys keep concurrent posters taking row locks in the same order.
_BALANCE_UPSERT = (
    "INSERT INTO ledger_balance (company_id, account_id, sub_key, dept_key, month, debit, credit) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (company_id, account_id, sub_key, dept_key, month) DO UPDATE SET "
    "debit = ledger_balance.debit + excluded.debit, credit = ledger_balance.credit + excluded.credit"
)


def _add_to_balances(company: Company, lines: Iterable[JournalLine]) -> None:
    """Add the posted lines to the monthly balances, in this transaction (one upsert per key)."""
    sums: dict[tuple[int, int, int, date], list[int]] = defaultdict(lambda: [0, 0])
    for ln in lines:
        key = (ln.account_id, ln.sub_account_id or 0, ln.department_id or 0, ln.date.replace(day=1))
        sums[key][0] += int(ln.debit)
        sums[key][1] += int(ln.credit)
    with connection.cursor() as cursor:
        cursor.executemany(
            _BALANCE_UPSERT,
            [(company.pk, a, s, d, m, dr, cr) for (a, s, d, m), (dr, cr) in sorted(sums.items())],
        )


POST_SQL = (
    "UPDATE ledger_journalentry SET status = %s, number = %s, posted_by_id = %s, posted_at = %s WHERE id = %s"
)


def _post(
    entry: JournalEntry, actor: User | None, *, actor_label: str = "", lines: list[JournalLine] | None = None
) -> JournalEntry:
    if lines is None:
        lines = list(
            JournalLine.objects.filter(entry=entry).select_related("account", "tax_code").order_by("line_no")
        )
    year_number = getattr(entry, "_year_number", None) or entry.fiscal_year.year
    entry.number = next_number(company=entry.company, doc_type=JOURNAL_NUMBERS, fiscal_year=year_number)
    entry.status = JournalEntry.Status.POSTED
    entry.posted_by = actor
    entry.posted_at = timezone.now()
    # a plain UPDATE (the posting trigger checks the row: balanced, open period, active accounts)
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(
            POST_SQL,
            [
                entry.status,
                entry.number,
                actor.pk if actor else None,
                connection.ops.adapt_datetimefield_value(entry.posted_at),
                entry.pk,
            ],
        )
    _add_to_balances(entry.company, lines)
    record_event(
        company=entry.company,
        actor=actor,
        action="post",
        instance=entry,
        after=snapshot(entry, fields=("number", "date", "kind", "memo", "total", "source_type", "source_id")),
        extra={"lines": _lines_for_audit(lines)},
        actor_label=actor_label,
    )
    return entry


def _create(
    *,
    company: Company,
    actor: User | None,
    date: date,
    lines: Sequence[LineInput],
    memo: str,
    kind: str,
    source_type: str,
    source_id: str,
    source_repr: str,
    reversal_of: JournalEntry | None = None,
) -> tuple[JournalEntry, list[JournalLine]]:
    """Check and write an entry with its lines as a draft; returns the entry and its lines."""
    errors: dict[str, list[str]] = {}
    context = posting_context(company, date)
    check_period(context, date, errors)
    built = _build_lines(company, date, lines, errors, context=context)
    if reversal_of is None:
        _check_kind(kind, errors)
    if errors:
        raise ServiceError(_("仕訳を記帳できません。"), code="validation", field_errors=errors)
    assert context.year_id is not None  # check_period reported it otherwise
    entry = JournalEntry.objects.create(
        company=company,
        fiscal_year_id=context.year_id,
        date=date,
        kind=kind,
        memo=memo.strip()[:200],
        source_type=source_type[:50],
        source_id=str(source_id)[:50],
        source_repr=source_repr[:200],
        reversal_of=reversal_of,
        total=built.total,
        created_by=actor,
    )
    entry._year_number = context.year_number  # type: ignore[attr-defined]  # spares _post a query
    _write_lines(entry, built)
    return entry, built.lines


def _check_kind(kind: str, errors: dict[str, list[str]]) -> None:
    # a 反対仕訳 is made only by reverse_entry, linked to what it reverses
    if kind not in JournalEntry.Kind.values or kind == JournalEntry.Kind.REVERSAL:
        errors["kind"] = [_("伝票の種類が正しくありません。")]


def _locked_entry(company: Company, entry: JournalEntry) -> JournalEntry:
    found = (
        JournalEntry.objects.for_company(company)
        .select_for_update()
        .select_related("fiscal_year")
        .filter(pk=entry.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _require_writer(membership: Membership | None, source_type: str) -> None:
    # Another app's service posts with its own checks done and names its source; people post
    # through the screens and the API with an accounting role.
    if membership is None and not source_type:
        raise ServiceError(_("仕訳の記帳には経理の権限が必要です。"), code="forbidden")
    if membership is not None:
        require_role(membership, *WRITE_ROLES)


@transaction.atomic
def post_entry(
    *,
    company: Company,
    actor: User | None,
    date: date,
    lines: Sequence[LineInput],
    memo: str = "",
    kind: str = JournalEntry.Kind.TRANSFER,
    source_type: str = "",
    source_id: str = "",
    source_repr: str = "",
    membership: Membership | None = None,
    actor_label: str = "",
) -> JournalEntry:
    """Record and post an entry in one step: the lines are checked, taxed lines get their tax line,
    the voucher number is taken without gaps, balances and the audit trail are written, all in
    this transaction. Raises ServiceError (nothing written) when anything is wrong."""
    _require_writer(membership, source_type)
    entry, lines_written = _create(
        company=company,
        actor=actor,
        date=date,
        lines=lines,
        memo=memo,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        source_repr=source_repr,
    )
    return _post(entry, actor, actor_label=actor_label, lines=lines_written)


@transaction.atomic
def save_draft(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    date: date,
    lines: Sequence[LineInput],
    memo: str = "",
    kind: str = JournalEntry.Kind.TRANSFER,
    draft: JournalEntry | None = None,
) -> JournalEntry:
    """Keep an unfinished entry as a draft (not in any balance; no voucher number yet). A draft
    need not balance, but its lines must be valid and its date inside an open period."""
    require_role(membership, *WRITE_ROLES)
    if draft is not None:
        draft = _locked_entry(company, draft)
        if draft.status != JournalEntry.Status.DRAFT:
            raise ServiceError(_("記帳済みの仕訳は変更できません。反対仕訳で訂正してください。"))
    errors: dict[str, list[str]] = {}
    context = posting_context(company, date)
    check_period(context, date, errors)
    built = _build_lines(company, date, lines, errors, context=context, balanced=False)
    _check_kind(kind, errors)
    if errors:
        raise ServiceError(_("下書きを保存できません。"), code="validation", field_errors=errors)
    year = FiscalYear.objects.get(pk=context.year_id or 0)
    before = None
    if draft is not None:
        old_lines = JournalLine.objects.filter(entry=draft)
        before = {"lines": _lines_for_audit(old_lines.select_related("account", "tax_code"))}
        _delete_draft_lines(draft)
        draft.fiscal_year, draft.date, draft.kind, draft.memo = year, date, kind, memo.strip()[:200]
        draft.total = built.total
        draft.save()
    else:
        draft = JournalEntry.objects.create(
            company=company,
            fiscal_year=year,
            date=date,
            kind=kind,
            memo=memo.strip()[:200],
            total=built.total,
            created_by=actor,
        )
    _write_lines(draft, built)
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=draft,
        after=snapshot(draft, fields=("date", "kind", "memo", "total")),
        # the lines are not fields of the entry: they go with the event as its details
        extra={
            "lines": _lines_for_audit(built.lines),
            **({"lines_before": before["lines"]} if before else {}),
        },
    )
    return draft


@transaction.atomic
def post_draft(*, company: Company, actor: User, membership: Membership, entry: JournalEntry) -> JournalEntry:
    require_role(membership, *WRITE_ROLES)
    entry = _locked_entry(company, entry)
    if entry.status != JournalEntry.Status.DRAFT:
        raise ServiceError(_("この仕訳は記帳済みです。"))
    errors: dict[str, list[str]] = {}
    _check_period(company, entry.date, errors)
    lines = list(entry.lines.select_related("account"))
    debit = sum((ln.debit for ln in lines), Decimal(0))
    credit = sum((ln.credit for ln in lines), Decimal(0))
    if not lines:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    elif debit != credit:
        errors["lines"] = [
            _("借方合計(%(debit)s円)と貸方合計(%(credit)s円)が一致しません。")
            % {"debit": f"{debit:,}", "credit": f"{credit:,}"}
        ]
    if any(not ln.account.is_active for ln in lines):
        errors.setdefault("lines", []).append(_("使用停止の勘定科目が含まれています。"))
    if errors:
        raise ServiceError(_("仕訳を記帳できません。"), code="validation", field_errors=errors)
    return _post(entry, actor)


@transaction.atomic
def delete_draft(*, company: Company, actor: User, membership: Membership, entry: JournalEntry) -> None:
    require_role(membership, *WRITE_ROLES)
    entry = _locked_entry(company, entry)
    if entry.status != JournalEntry.Status.DRAFT:
        raise ServiceError(_("記帳済みの仕訳は削除できません。反対仕訳で訂正してください。"))
    info = {"lines": _lines_for_audit(entry.lines.select_related("account", "tax_code"))}
    record_event(
        company=company,
        actor=actor,
        action="delete",
        instance=entry,
        before=snapshot(entry, fields=("date", "kind", "memo", "total")),
        extra=info,
    )
    _delete_draft_lines(entry)
    entry.delete()


@transaction.atomic
def reverse_entry(
    *,
    company: Company,
    actor: User | None,
    entry: JournalEntry,
    date: date,
    memo: str = "",
    membership: Membership | None = None,
    source_type: str = "",
) -> JournalEntry:
    """反対仕訳: a new posted entry with every line on the other side, linked to the original.
    An entry is reversed at most once; a reversal is not itself reversed (post the entry again)."""
    _require_writer(membership, source_type or entry.source_type)
    original = JournalEntry.objects.for_company(company).select_for_update().filter(pk=entry.pk).first()
    if original is None:
        raise NotFound()
    if original.status != JournalEntry.Status.POSTED:
        raise ServiceError(_("記帳済みの仕訳だけが取り消せます。下書きは削除してください。"))
    if JournalEntry.objects.filter(reversal_of=original).exists():
        raise ServiceError(_("この仕訳はすでに取り消されています。"))
    if original.kind == JournalEntry.Kind.REVERSAL:
        raise ServiceError(_("反対仕訳は取り消せません。元の仕訳をもう一度記帳してください。"))
    errors: dict[str, list[str]] = {}
    year = _check_period(company, date, errors)
    if errors:
        raise ServiceError(_("反対仕訳を記帳できません。"), code="validation", field_errors=errors)
    assert year is not None
    reversal = JournalEntry.objects.create(
        company=company,
        fiscal_year=year,
        date=date,
        kind=JournalEntry.Kind.REVERSAL,
        memo=(memo.strip() or _("取消: %(entry)s %(memo)s") % {"entry": original, "memo": original.memo})[
            :200
        ],
        source_type=original.source_type,
        source_id=original.source_id,
        source_repr=original.source_repr,
        reversal_of=original,
        total=original.total,
        created_by=actor,
    )
    originals = list(JournalLine.objects.filter(entry=original).order_by("line_no"))
    copies = {
        ln.pk: JournalLine(
            company=company,
            entry=reversal,
            line_no=ln.line_no,
            date=date,
            account_id=ln.account_id,
            sub_account_id=ln.sub_account_id,
            department_id=ln.department_id,
            debit=ln.credit,
            credit=ln.debit,
            tax_code_id=ln.tax_code_id,
            tax_base=-ln.tax_base if ln.tax_base is not None else None,
            tax_amount=-ln.tax_amount if ln.tax_amount is not None else None,
            memo=ln.memo,
        )
        for ln in originals
    }
    JournalLine.objects.bulk_create([copies[ln.pk] for ln in originals if ln.tax_for_id is None])
    tax_lines = []
    for ln in originals:
        if ln.tax_for_id is not None:  # the reversal's tax line points at the reversal's base line
            copies[ln.pk].tax_for = copies[ln.tax_for_id]
            tax_lines.append(copies[ln.pk])
    JournalLine.objects.bulk_create(tax_lines)
    return _post(reversal, actor)
