"""Journal entries: the lines with their tax, drafts, posting with balances and audit, reversals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import next_number
from ennoshita.core.permissions import require_role
from ennoshita.core.rows import insert_rows, new_instance, statement_cursor
from ennoshita.ledger.models import (
    FiscalYear,
    JournalEntry,
    JournalLine,
)
from ennoshita.ledger.permissions import WRITE_ROLES

from .books import JOURNAL_NUMBERS

# ------------------------------------------------------------------------------ entries
from .lines import (
    LineInput,
    _add_to_balances,
    _build_lines,
    _delete_draft_lines,
    _lines_for_audit,
    _write_lines,
)
from .periods import _check_period, check_period, posting_context

POST_SQL = (
    "UPDATE ledger_journalentry SET status = %s, number = %s, posted_by_id = %s, posted_at = %s WHERE id = %s"
)


def _post(
    entry: JournalEntry,
    actor: User | None,
    *,
    actor_label: str = "",
    lines: list[JournalLine] | None = None,
    cursor: Any = None,
) -> JournalEntry:
    if cursor is None:
        with statement_cursor() as own:
            return _post(entry, actor, actor_label=actor_label, lines=lines, cursor=own)
    if lines is None:
        lines = list(
            JournalLine.objects.filter(entry=entry).select_related("account", "tax_code").order_by("line_no")
        )
    year_number = getattr(entry, "_year_number", None) or entry.fiscal_year.year
    entry.number = next_number(
        company=entry.company, doc_type=JOURNAL_NUMBERS, fiscal_year=year_number, cursor=cursor
    )
    entry.status = JournalEntry.Status.POSTED
    entry.posted_by = actor
    entry.posted_at = timezone.now()
    # a plain UPDATE (the posting trigger checks the row: balanced, open period, active accounts)
    connection = cursor.db
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
    _add_to_balances(entry.company, lines, cursor=cursor)
    record_event(
        company=entry.company,
        actor=actor,
        action="post",
        instance=entry,
        after=snapshot(entry, fields=("number", "date", "kind", "memo", "total", "source_type", "source_id")),
        extra={"lines": _lines_for_audit(lines)},
        actor_label=actor_label,
        cursor=cursor,
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
    cursor: Any,
) -> tuple[JournalEntry, list[JournalLine]]:
    """Check and write an entry with its lines as a draft; returns the entry and its lines."""
    errors: dict[str, list[str]] = {}
    context = posting_context(company, date, cursor=cursor)
    check_period(context, date, errors)
    built = _build_lines(company, date, lines, errors, context=context)
    if reversal_of is None:
        _check_kind(kind, errors)
    if errors:
        raise ServiceError(_("仕訳を記帳できません。"), code="validation", field_errors=errors)
    assert context.year_id is not None  # check_period reported it otherwise
    entry = new_instance(
        JournalEntry,
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
    insert_rows([entry], cursor=cursor)  # no save() override or signal on entries (core/rows.py)
    entry._year_number = context.year_number  # type: ignore[attr-defined]  # spares _post a query
    _write_lines(entry, built, cursor=cursor)
    return entry, built.lines


# a 反対仕訳 is made only by reverse_entry, linked to what it reverses
_KINDS_ENTERED = frozenset(JournalEntry.Kind.values) - {JournalEntry.Kind.REVERSAL}


def _check_kind(kind: str, errors: dict[str, list[str]]) -> None:
    if kind not in _KINDS_ENTERED:
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
    with statement_cursor() as cursor:  # one cursor for the posting's dozen statements
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
            cursor=cursor,
        )
        return _post(entry, actor, actor_label=actor_label, lines=lines_written, cursor=cursor)


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
