"""仕訳 screens: the keyboard-first entry form (振替・入金・出金伝票), drafts, the list with its
CSV export, the detail page with reversal, and the account suggestions (JSON)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.csvio import encode_csv
from ennoshita.core.errors import ServiceError
from ennoshita.core.web import error_text
from ennoshita.core.web import service_kwargs as ctx
from ennoshita.documents import selectors as documents_selectors

from . import entry_selectors, services
from .forms import (
    ENTRY_KINDS,
    EntryChoices,
    EntryFilterForm,
    EntryForm,
    ParsedEntry,
    ReverseForm,
    apply_entry_error,
    draft_initial,
    line_formset,
    parse_lines,
)
from .models import JournalEntry
from .permissions import can_write
from .views import reader, report_links, writer

PAGE_SIZE = 50


def _kind(value: str | None) -> str:
    return value if value in ENTRY_KINDS else JournalEntry.Kind.TRANSFER


# ------------------------------------------------------------------------------ entry form


def _save(
    request: HttpRequest,
    *,
    kind: str,
    action: str,
    data: dict[str, Any],
    parsed: ParsedEntry,
    draft: JournalEntry | None,
) -> JournalEntry:
    """Save a draft, or post (a new entry, or an edited draft: saved, then posted)."""
    fields = {"date": data["date"], "lines": parsed.inputs, "memo": data["memo"], "kind": kind}
    if action == "draft" or draft is not None:
        draft = services.save_draft(**ctx(request), **fields, draft=draft)
        if action == "draft":
            return draft
        return services.post_draft(**ctx(request), entry=draft)
    return services.post_entry(**ctx(request), **fields)


def _saved(request: HttpRequest, *, entry: JournalEntry, action: str, kind: str) -> HttpResponse:
    if action == "draft":
        messages.success(request, _("下書きを保存しました。"))
        return redirect("ledger:entry_detail", pk=entry.pk)
    messages.success(
        request, _("%(entry)s を記帳しました(%(total)s円)。") % {"entry": entry, "total": f"{entry.total:,}"}
    )
    if action == "post_next":
        query = urlencode({"kind": kind, "date": entry.date.isoformat()})
        return redirect(reverse("ledger:entry_new") + "?" + query)
    return redirect("ledger:entry_detail", pk=entry.pk)


def _entry_screen(request: HttpRequest, draft: JournalEntry | None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    choices = EntryChoices.load(company)
    general_errors: list[str] = []
    if request.method == "POST":
        entry_form = EntryForm(request.POST)
        kind = _kind(request.POST.get("kind"))
        formset = line_formset(company=company, choices=choices, data=request.POST)
        action = request.POST.get("action", "post")
        valid = entry_form.is_valid() & formset.is_valid()
        parsed = parse_lines(kind=kind, formset=formset, choices=choices)  # checks of its own too
        if valid and parsed is not None:
            try:
                entry = _save(
                    request,
                    kind=kind,
                    action=action,
                    data=entry_form.cleaned_data,
                    parsed=parsed,
                    draft=draft,
                )
            except ServiceError as exc:  # nothing was written (the service's transaction)
                general_errors = apply_entry_error(entry_form, formset, parsed, exc)
            else:
                return _saved(request, entry=entry, action=action, kind=kind)
    else:
        kind = _kind(draft.kind if draft else request.GET.get("kind"))
        if draft is not None:
            lines = entry_selectors.entry_lines(entry=draft)
            initial_rows = draft_initial(entry=draft, lines=lines, settings=choices.settings)
            entry_form = EntryForm(initial={"date": draft.date, "memo": draft.memo, "kind": kind})
        else:
            initial_rows = []
            day = request.GET.get("date") or timezone.localdate().isoformat()
            entry_form = EntryForm(initial={"date": day, "kind": kind})
        formset = line_formset(company=company, choices=choices, initial=initial_rows)
    context = {
        "entry_form": entry_form,
        "formset": formset,
        "kind": kind,
        "kind_label": JournalEntry.Kind(kind).label,
        "kinds": [(k.value, k.label) for k in ENTRY_KINDS],
        "draft": draft,
        "tax_data": choices.tax_data(),
        "general_errors": general_errors,
        "cash": choices.cash,
    }
    # a POST that gets here was refused (a saved one redirects)
    return render(request, "ledger/entry_form.html", context, status=400 if request.method == "POST" else 200)


@writer
def entry_new(request: HttpRequest) -> HttpResponse:
    return _entry_screen(request, None)


@writer
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_selectors.get_entry(company=request.company, entry_id=pk)  # type: ignore[attr-defined]
    if entry.status != JournalEntry.Status.DRAFT:
        messages.error(request, _("記帳済みの仕訳は変更できません。反対仕訳で訂正してください。"))
        return redirect("ledger:entry_detail", pk=entry.pk)
    return _entry_screen(request, entry)


@require_POST
@writer
def entry_post(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_selectors.get_entry(company=request.company, entry_id=pk)  # type: ignore[attr-defined]
    try:
        entry = services.post_draft(**ctx(request), entry=entry)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(entry)s を記帳しました。") % {"entry": entry})
    return redirect("ledger:entry_detail", pk=entry.pk)


@require_POST
@writer
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_selectors.get_entry(company=request.company, entry_id=pk)  # type: ignore[attr-defined]
    try:
        services.delete_draft(**ctx(request), entry=entry)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return redirect("ledger:entry_detail", pk=entry.pk)
    messages.success(request, _("下書きを削除しました。"))
    return redirect("ledger:entry_list")


@require_POST
@writer
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_selectors.get_entry(company=request.company, entry_id=pk)  # type: ignore[attr-defined]
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
        return redirect("ledger:entry_detail", pk=entry.pk)
    try:
        reversal = services.reverse_entry(
            **ctx(request), entry=entry, date=form.cleaned_data["date"], memo=form.cleaned_data["memo"]
        )
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return redirect("ledger:entry_detail", pk=entry.pk)
    messages.success(request, _("反対仕訳 %(entry)s を記帳しました。") % {"entry": reversal})
    return redirect("ledger:entry_detail", pk=reversal.pk)


# ------------------------------------------------------------------------------ detail, list


@reader
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    entry = entry_selectors.get_entry(company=company, entry_id=pk)
    lines = entry_selectors.entry_lines(entry=entry)
    debit = sum(ln.debit for ln in lines)
    credit = sum(ln.credit for ln in lines)
    context = {
        "entry": entry,
        "lines": lines,
        "debit_total": debit,
        "credit_total": credit,
        "reversed_by": entry_selectors.reversed_by(entry=entry),
        "source_url": entry_selectors.source_url(entry=entry),
        "events": entry_selectors.entry_history(company=company, entry=entry),
        "can_write": can_write(request.membership),  # type: ignore[attr-defined]
        "reverse_form": ReverseForm(initial={"date": timezone.localdate()}),
        "reports": {link["name"]: link["url"] for link in report_links()},
        "attachments": documents_selectors.attachments_for(
            company=company,
            membership=request.membership,  # type: ignore[attr-defined]
            object_type=entry_selectors.ATTACHMENT_TYPE,
            object_id=str(entry.pk),
        ),
        "attachable": (
            documents_selectors.attachable_documents(company=company, membership=request.membership)  # type: ignore[attr-defined]
            if can_write(request.membership)  # type: ignore[attr-defined]
            else None
        ),
    }
    return render(request, "ledger/entry_detail.html", context)


def _filters(request: HttpRequest) -> EntryFilterForm:
    form = EntryFilterForm(request.GET or None, company=request.company)  # type: ignore[attr-defined]
    form.is_valid()
    return form


@reader
def entry_list(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    qs = entry_selectors.entry_list(company=request.company, filters=form.filters())  # type: ignore[attr-defined]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/entry_list.html",
        {"form": form, "page_obj": page, "can_write": can_write(request.membership)},  # type: ignore[attr-defined]
        status=400 if form.errors else 200,
    )


CSV_HEADER = [
    "年度",
    "伝票番号",
    "日付",
    "種類",
    "状態",
    "伝票摘要",
    "行",
    "科目コード",
    "勘定科目",
    "補助科目",
    "部門",
    "借方金額",
    "貸方金額",
    "税区分",
    "消費税額",
    "行摘要",
]


def _csv_rows(lines: Any) -> Any:
    yield CSV_HEADER
    for ln in lines:
        e = ln.entry
        yield [
            e.fiscal_year.year,
            e.number or "",
            e.date.isoformat(),
            e.get_kind_display(),
            e.get_status_display(),
            e.memo,
            ln.line_no,
            ln.account.code,
            ln.account.name,
            ln.sub_account.name if ln.sub_account else "",
            ln.department.name if ln.department else "",
            ln.debit,
            ln.credit,
            ln.tax_code.label if ln.tax_code else "",
            "" if ln.tax_amount is None else ln.tax_amount,
            ln.memo,
        ]


@reader
def entry_export(request: HttpRequest) -> HttpResponse:
    """The listed entries as CSV (UTF-8 with BOM, one row per line)."""
    form = _filters(request)
    lines = entry_selectors.entry_export_rows(company=request.company, filters=form.filters())  # type: ignore[attr-defined]
    body = encode_csv(_csv_rows(lines.iterator(chunk_size=2000)), encoding="utf-8-sig", replace=True)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="journal-entries-{stamp}.csv"'
    return response


@reader
def account_search(request: HttpRequest) -> JsonResponse:
    """Suggestions for the account cell: ?q=111, 現金, げんきん or ｹﾞﾝｷﾝ."""
    results = entry_selectors.account_search(company=request.company, q=request.GET.get("q", "")[:50])  # type: ignore[attr-defined]
    return JsonResponse({"results": results})
