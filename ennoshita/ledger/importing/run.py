"""仕訳CSV取込: check a file, then post all its vouchers in one transaction (or none)."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.csvio import decode_upload
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.ledger import services
from ennoshita.ledger.interchange import LAYOUT_GENERIC, LAYOUT_YAYOI
from ennoshita.ledger.models import JournalEntry
from ennoshita.ledger.permissions import WRITE_ROLES

from .books import _Books
from .cells import _records
from .generic import _parse_generic
from .results import MAX_ROWS, SOURCE_TYPE, ImportResult, ProgressFn, RowError, Voucher
from .vouchers import _check_voucher, _link_reversals, _preview
from .yayoi import _parse_yayoi


def _file_error(message: str) -> ServiceError:
    return ServiceError(message, code="bad_file", field_errors={"file": [message]})


def check_journal(
    *, company: Company, membership: Membership | None, data: bytes, layout: str
) -> ImportResult:
    """Read and check every row without writing anything. Raises ServiceError when the file as a
    whole cannot be read (encoding, header, layout); row problems are in ``result.errors``."""
    if membership is not None:
        require_role(membership, *WRITE_ROLES)
    if layout not in (LAYOUT_YAYOI, LAYOUT_GENERIC):
        raise ServiceError(
            _("形式を選んでください。"), field_errors={"layout": [_("形式を選んでください。")]}
        )
    text, encoding = decode_upload(data)
    records = _records(text)
    if not records or (layout == LAYOUT_GENERIC and len(records) < 2):
        raise _file_error(_("取り込む行がありません。"))
    if len(records) > MAX_ROWS:
        raise _file_error(
            _("一度に取り込めるのは %(n)s 行までです。ファイルを分けてください。") % {"n": f"{MAX_ROWS:,}"}
        )
    if (
        layout == LAYOUT_GENERIC
        and len(records[0][1]) >= 20
        and nfkc(records[0][1][0]).strip() in ("2000", "2110", "2111")
    ):
        raise _file_error(_("弥生インポート形式のファイルのようです。形式で「弥生会計」を選んでください。"))
    books = _Books(company)
    errors: list[RowError] = []
    parse = _parse_yayoi if layout == LAYOUT_YAYOI else _parse_generic
    vouchers = parse(records, books, errors)
    for voucher in vouchers:
        _check_voucher(voucher, books, errors)
    _link_reversals(vouchers, errors)
    errors.sort(key=lambda e: (e.line, e.column))
    rows = len(records) - (1 if layout == LAYOUT_GENERIC else 0)
    return ImportResult(layout, encoding, rows, vouchers, errors, _preview(vouchers))


def import_journal(
    *,
    company: Company,
    actor: User | None,
    membership: Membership | None,
    data: bytes,
    layout: str,
    filename: str = "",
    ref: str = "",
    progress: ProgressFn | None = None,
    actor_label: str = "",
) -> ImportResult:
    """Check every row, then post every voucher in one transaction — or nothing, with the errors.

    ``ref`` names the import in each entry's ``source_id`` (``<ref>:<line>``); by default the first
    12 hex digits of the file's SHA-256. ``membership`` None is a system caller (a job re-checks the
    starter's role itself)."""
    result = check_journal(company=company, membership=membership, data=data, layout=layout)
    if result.errors:
        return result
    ref = ref or hashlib.sha256(data).hexdigest()[:12]
    name = filename.rsplit("/", 1)[-1][:120]
    total = sum(len(v.lines) for v in result.vouchers)
    done = 0
    errors: list[RowError] = []
    entries: dict[int, JournalEntry] = {}  # id(voucher) → its posted entry
    with transaction.atomic():
        batch: list[Voucher] = []

        def flush() -> None:
            # vouchers go in bulk (services.post_entries); a reversal waits for its original
            nonlocal done
            if not batch:
                return
            try:
                posted = services.post_entries(
                    company=company,
                    actor=actor,
                    membership=membership,
                    source_type=SOURCE_TYPE,
                    actor_label=actor_label,
                    entries=[_entry_input(v, ref=ref, name=name) for v in batch],
                )
            except ServiceError as exc:  # something the check could not see; the whole import stops
                for key, messages in exc.field_errors.items() or {"": [exc.message]}.items():
                    index = int(key.split(".")[1]) if key.startswith("entries.") else 0
                    errors.extend(RowError(batch[index].line, "", m) for m in messages)
            else:
                entries.update({id(v): e for v, e in zip(batch, posted, strict=True)})
            done += sum(len(v.lines) for v in batch)
            batch.clear()

        for n, voucher in enumerate(result.vouchers, start=1):
            assert voucher.date is not None
            if voucher.original is not None:
                flush()
                try:
                    entries[id(voucher)] = _post_voucher(
                        voucher,
                        entries,
                        company=company,
                        actor=actor,
                        membership=membership,
                        ref=ref,
                        name=name,
                        actor_label=actor_label,
                    )
                except ServiceError as exc:
                    messages = [m for ms in exc.field_errors.values() for m in ms] or [exc.message]
                    errors.extend(RowError(voucher.line, "", m) for m in messages)
                done += len(voucher.lines)
            else:
                batch.append(voucher)
                if len(batch) >= BATCH:
                    flush()
            if errors:
                break
            if progress is not None:
                progress(
                    done,
                    total,
                    _("仕訳を記帳しています(%(n)s / %(total)s 伝票)")
                    % {"n": n, "total": len(result.vouchers)},
                )
        flush()
        if errors:
            transaction.set_rollback(True)
        else:
            record_event(
                company=company,
                actor=actor,
                action="import",
                object_type=SOURCE_TYPE,
                object_id=ref,
                object_repr=name or ref,
                extra={"layout": layout, "rows": result.rows, "entries": len(result.vouchers)},
                actor_label=actor_label,
            )
    result.errors = errors
    result.posted = 0 if errors else len(result.vouchers)
    return result


# Vouchers posted per bulk write: big enough to save the per-entry round trips, small enough that
# the progress bar moves.
BATCH = 500


def _entry_input(voucher: Voucher, *, ref: str, name: str) -> services.EntryInput:
    assert voucher.date is not None
    return services.EntryInput(
        date=voucher.date,
        lines=voucher.inputs(),
        memo=voucher.memo,
        kind=voucher.kind,
        source_id=f"{ref}:{voucher.line}",
        source_repr=_("CSV取込 %(file)s %(line)d行目") % {"file": name, "line": voucher.line},
    )


def _post_voucher(
    voucher: Voucher,
    entries: dict[int, JournalEntry],
    *,
    company: Company,
    actor: User | None,
    membership: Membership | None,
    ref: str,
    name: str,
    actor_label: str,
) -> JournalEntry:
    assert voucher.date is not None
    if voucher.original is not None and id(voucher.original) in entries:
        return services.reverse_entry(
            company=company,
            actor=actor,
            membership=membership,
            entry=entries[id(voucher.original)],
            date=voucher.date,
            memo=voucher.memo,
            source_type=SOURCE_TYPE,
        )
    return services.post_entry(
        company=company,
        actor=actor,
        membership=membership,
        date=voucher.date,
        lines=voucher.inputs(),
        memo=voucher.memo,
        kind=voucher.kind,
        source_type=SOURCE_TYPE,
        source_id=f"{ref}:{voucher.line}",
        source_repr=_("CSV取込 %(file)s %(line)d行目") % {"file": name, "line": voucher.line},
        actor_label=actor_label,
    )
