"""Posting many entries at once (imports, later payroll runs): the same checks, taxes, gapless
numbers, balances and one audit event per entry as ``post_entry``, written in bulk in one
transaction — all of them or none."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_events, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import next_numbers
from ennoshita.ledger.models import JournalEntry, JournalLine

from .books import JOURNAL_NUMBERS
from .entries import POST_SQL, _check_kind, _require_writer
from .lines import LineInput, _add_to_balances, _build_lines, _Built, _lines_for_audit
from .periods import PostingContext, check_period, posting_context


@dataclass(frozen=True)
class EntryInput:
    """One entry for :func:`post_entries`."""

    date: date
    lines: Sequence[LineInput]
    memo: str = ""
    kind: str = JournalEntry.Kind.TRANSFER
    source_id: str = ""
    source_repr: str = ""


@transaction.atomic
def post_entries(
    *,
    company: Company,
    actor: User | None,
    entries: Sequence[EntryInput],
    source_type: str = "",
    membership: Membership | None = None,
    actor_label: str = "",
) -> list[JournalEntry]:
    """Check every entry first; any problem raises ServiceError with field errors keyed
    ``entries.<n>.<field>`` and writes nothing. Otherwise the entries are posted in the given order
    (voucher numbers consecutive per fiscal year) and returned."""
    _require_writer(membership, source_type)
    contexts: dict[date, PostingContext] = {}  # fiscal years and locks change only at month starts
    errors: dict[str, list[str]] = {}
    checked: list[tuple[EntryInput, PostingContext, _Built]] = []
    for n, item in enumerate(entries):
        month = item.date.replace(day=1)
        if month not in contexts:
            contexts[month] = posting_context(company, item.date)
        context = contexts[month]
        own: dict[str, list[str]] = {}
        check_period(context, item.date, own)
        built = _build_lines(company, item.date, item.lines, own, context=context)
        _check_kind(item.kind, own)
        errors.update({f"entries.{n}.{key}": messages for key, messages in own.items()})
        checked.append((item, context, built))
    if errors:
        raise ServiceError(_("仕訳を記帳できません。"), code="validation", field_errors=errors)
    if not checked:
        return []
    rows = [
        JournalEntry(
            company=company,
            fiscal_year_id=context.year_id or 0,  # check_period refused a date outside every year
            date=item.date,
            kind=item.kind,
            memo=item.memo.strip()[:200],
            source_type=source_type[:50],
            source_id=str(item.source_id)[:50],
            source_repr=item.source_repr[:200],
            total=built.total,
            created_by=actor,
        )
        for item, context, built in checked
    ]
    JournalEntry.objects.bulk_create(rows, batch_size=500)
    base: list[JournalLine] = []
    taxed: list[tuple[JournalLine, JournalLine]] = []
    for entry, (_item, _context, built) in zip(rows, checked, strict=True):
        for n, line in enumerate(built.lines):
            line.entry, line.line_no, line.date = entry, n + 1, entry.date
            if n in built.tax_for:
                taxed.append((line, built.lines[built.tax_for[n]]))
            else:
                base.append(line)
    JournalLine.objects.bulk_create(base, batch_size=1000)
    for line, of in taxed:  # the base lines have their ids now
        line.tax_for = of
    JournalLine.objects.bulk_create([line for line, _of in taxed], batch_size=1000)
    by_year: dict[int, list[JournalEntry]] = defaultdict(list)
    for entry, (_item, context, _built) in zip(rows, checked, strict=True):
        assert context.year_number is not None
        by_year[context.year_number].append(entry)
    now = timezone.now()
    for year_number, group in by_year.items():
        numbers = next_numbers(
            company=company, doc_type=JOURNAL_NUMBERS, fiscal_year=year_number, count=len(group)
        )
        for entry, number in zip(group, numbers, strict=True):
            entry.number = number
    for entry in rows:
        entry.status, entry.posted_by, entry.posted_at = JournalEntry.Status.POSTED, actor, now
    # One plain UPDATE per entry (Django's bulk_update builds a CASE per column: far slower); the
    # database checks every row as it becomes posted (balanced, open period: triggers.py).
    connection = transaction.get_connection()
    posted_at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(
            POST_SQL,
            [
                (JournalEntry.Status.POSTED.value, e.number, actor.pk if actor else None, posted_at, e.pk)
                for e in rows
            ],
        )
    _add_to_balances(company, [line for _item, _context, built in checked for line in built.lines])
    record_events(
        company=company,
        actor=actor,
        actor_label=actor_label,
        events=[
            EventInput(
                "post",
                entry,
                after=snapshot(
                    entry, fields=("number", "date", "kind", "memo", "total", "source_type", "source_id")
                ),
                extra={"lines": _lines_for_audit(built.lines)},
            )
            for entry, (_item, _context, built) in zip(rows, checked, strict=True)
        ],
    )
    return rows
