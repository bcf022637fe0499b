"""Screens of 商談 (the sales pipeline): the board by stage (move a card with a select and a
button: an HTMX post that swaps the board, or a plain post without JavaScript), the list with
search, filters, pages and CSV/Excel export, register / edit / delete, one opportunity with its
quotes and 変更履歴, and 見積書を作成 from an opportunity.

Views stay thin: a form parses, ``services.opportunities`` writes, ``selectors.opportunities``
reads. Reading takes a role of ``permissions.READ_ROLES``, writing one of ``WRITE_ROLES`` (the
services check it again); buttons a user cannot use are not shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ennoshita.core.downloads import table_download as download
from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import error_text
from ennoshita.core.web import read_kwargs as read
from ennoshita.core.web import service_kwargs as ctx

from .document_views import document_screen, page_of, perms, reader, status_of, writer
from .models import Opportunity, Quote, SalesTax
from .opportunity_forms import BoardFilterForm, MoveForm, OpportunityFilterForm, OpportunityForm
from .selectors import opportunities as selectors
from .services import opportunities as services
from .services import quotes as quote_services
from .services.lines import LineSpec

Stage = Opportunity.Stage
TEMPLATES = "sales/opportunities/"


def _moves(stage: str) -> list[tuple[str, str]]:
    return [(s, str(Stage(s).label)) for s in services.TRANSITIONS[stage]]


# ------------------------------------------------------------------------------------- board
def _board_url(mine: bool) -> str:
    return reverse("sales:opportunity_board") + ("?mine=on" if mine else "")


def _board_context(request: HttpRequest, *, mine: bool) -> dict[str, Any]:
    data = selectors.board(**read(request), owner=request.user.pk if mine else None)
    return {
        "board": data,
        "columns": [(column, _moves(column.stage)) for column in data.columns],
        "mine": mine,
        **perms(request),
    }


@reader
def opportunity_board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    mine = bool(form.is_valid() and form.cleaned_data["mine"])
    context = {"form": form, **_board_context(request, mine=mine)}
    return render(request, TEMPLATES + "board.html", context)


@require_POST
@writer
def opportunity_move(request: HttpRequest, pk: int) -> HttpResponse:
    """段階を変更, from a card of the board (``back=board``) or from the opportunity's page."""
    opportunity = selectors.get_opportunity(**read(request), opportunity_id=pk)
    form = MoveForm(request.POST)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    mine, back = bool(data.get("mine")), data.get("back") or "detail"
    notice, error = "", ""
    if valid:
        try:
            opportunity = services.move_opportunity(
                **ctx(request), opportunity=opportunity, stage=data["stage"], reason=data["reason"]
            )
        except ServiceError as exc:
            error = error_text(exc)
        else:
            notice = _("「%(title)s」を「%(stage)s」にしました。") % {
                "title": opportunity.title,
                "stage": opportunity.get_stage_display(),
            }
    else:
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    if request.htmx and back == "board":  # type: ignore[attr-defined]
        # Swapped into the page: the board again, with what happened above it (status 200, as htmx
        # swaps only successful answers).
        context = {
            **_board_context(request, mine=mine),
            "notice": notice,
            "error": error,
            "moved": opportunity if notice else None,
        }
        return render(request, TEMPLATES + "_board.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    if back == "board" and not (notice and opportunity.stage == Stage.WON):
        return redirect(_board_url(mine))
    return redirect("sales:opportunity_detail", pk=opportunity.pk)


# ------------------------------------------------------------------------------------- list
def _filters(request: HttpRequest) -> OpportunityFilterForm:
    owners = selectors.owner_choices(company=request.company)  # type: ignore[attr-defined]
    form = OpportunityFilterForm(request.GET or None, owners=owners)
    form.is_valid()
    return form


@reader
def opportunity_list(request: HttpRequest) -> HttpResponse:
    form = _filters(request)
    qs = selectors.opportunity_list(**read(request), **form.filters(request.user))
    context = {
        "form": form,
        "page_obj": page_of(request, qs),
        "today": timezone.localdate(),
        **perms(request),
    }
    return render(request, TEMPLATES + "opportunity_list.html", context, status=status_of(form))


EXPORT_HEADER = ["商談名", "得意先コード", "得意先", "段階", "見込金額", "受注予定日", "担当", "メモ"]


@reader
def opportunity_export(request: HttpRequest) -> HttpResponse:
    """The filtered list (every page) as CSV (UTF-8 with BOM) or Excel (?format=xlsx)."""
    form = _filters(request)
    qs = selectors.opportunity_list(**read(request), **form.filters(request.user))

    def rows() -> Iterable[list[Any]]:
        yield EXPORT_HEADER
        for o in qs.iterator(chunk_size=2000):
            yield [
                o.title,
                o.customer.code,
                o.customer.name,
                o.get_stage_display(),
                o.expected_amount,
                o.expected_date or "",
                o.owner.display_name() if o.owner else "",
                o.notes,
            ]

    return download(request, rows(), name="opportunities", title=_("商談一覧"))


# ------------------------------------------------------------------------------------- one
def _form(request: HttpRequest, opportunity: Opportunity | None, data: Any = None) -> OpportunityForm:
    company = request.company  # type: ignore[attr-defined]
    customers = selectors.customer_choices(
        company=company, include=opportunity.customer_id if opportunity else None
    )
    owners = selectors.owner_choices(company=company, include=opportunity.owner_id if opportunity else None)
    if opportunity is not None:
        initial = {
            "customer": str(opportunity.customer_id),
            "title": opportunity.title,
            "expected_amount": f"{opportunity.expected_amount:f}",
            "expected_date": opportunity.expected_date,
            "owner": str(opportunity.owner_id or ""),
            "notes": opportunity.notes,
        }
    else:
        me = str(request.user.pk)
        initial = {
            "customer": request.GET.get("customer", ""),
            "stage": Stage.LEAD,
            "owner": me if any(str(u.pk) == me for u in owners) else "",
        }
    return OpportunityForm(
        data, customers=customers, owners=owners, creating=opportunity is None, initial=initial
    )


def _form_page(request: HttpRequest, form: OpportunityForm, opportunity: Opportunity | None) -> HttpResponse:
    return render(
        request,
        TEMPLATES + "opportunity_form.html",
        {"form": form, "opportunity": opportunity},
        status=status_of(form),
    )


@writer
def opportunity_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, _form(request, None), None)
    form = _form(request, None, request.POST)
    if form.is_valid():
        try:
            opportunity = services.create_opportunity(**ctx(request), **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("商談「%(title)s」を登録しました。") % {"title": opportunity.title})
            return redirect("sales:opportunity_detail", pk=opportunity.pk)
    return _form_page(request, form, None)


@writer
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.get_opportunity(**read(request), opportunity_id=pk)
    if opportunity.stage in services.CLOSED_STAGES:
        messages.error(
            request, _("「%(stage)s」の商談は変更できません。") % {"stage": opportunity.get_stage_display()}
        )
        return redirect("sales:opportunity_detail", pk=opportunity.pk)
    if request.method != "POST":
        return _form_page(request, _form(request, opportunity), opportunity)
    form = _form(request, opportunity, request.POST)
    if form.is_valid():
        try:
            services.update_opportunity(**ctx(request), opportunity=opportunity, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request, _("商談「%(title)s」を保存しました。") % {"title": form.cleaned_data["title"]}
            )
            return redirect("sales:opportunity_detail", pk=opportunity.pk)
    return _form_page(request, form, opportunity)


@reader
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    opportunity = selectors.get_opportunity(**read(request), opportunity_id=pk)
    quotes = selectors.opportunity_quotes(company=company, opportunity=opportunity)
    moves = services.TRANSITIONS[opportunity.stage]
    today = timezone.localdate()
    context = {
        "opportunity": opportunity,
        "quotes": quotes,
        "move_form": MoveForm(allowed=moves, initial={"back": "detail"}) if moves else None,
        "events": selectors.opportunity_history(company=company, opportunity=opportunity),
        "closed": opportunity.stage in services.CLOSED_STAGES,
        "can_quote": opportunity.stage != Stage.LOST,
        "can_delete": not quotes,
        "overdue": bool(
            opportunity.expected_date
            and opportunity.expected_date < today
            and opportunity.stage in services.OPEN_STAGES
        ),
        **perms(request),
    }
    return render(request, TEMPLATES + "opportunity_detail.html", context)


@require_POST
@writer
def opportunity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.get_opportunity(**read(request), opportunity_id=pk)
    try:
        services.delete_opportunity(**ctx(request), opportunity=opportunity)
    except ServiceError as exc:
        messages.error(request, error_text(exc))
        return redirect("sales:opportunity_detail", pk=opportunity.pk)
    messages.success(request, _("商談「%(title)s」を削除しました。") % {"title": opportunity.title})
    return redirect("sales:opportunity_list")


@writer
def opportunity_quote(request: HttpRequest, pk: int) -> HttpResponse:
    """見積書を作成: the quote form (見積日, 有効期限, 件名, lines) for the opportunity's customer;
    saving calls ``create_quote(opportunity=…)`` and shows the new quote. The first line starts
    from the opportunity's title and expected amount."""
    opportunity = selectors.get_opportunity(**read(request), opportunity_id=pk)
    if opportunity.stage == Stage.LOST:
        messages.error(request, _("失注した商談の見積書は作成できません。"))
        return redirect("sales:opportunity_detail", pk=opportunity.pk)
    today = timezone.localdate()

    def save(data: dict[str, Any], specs: list[LineSpec]) -> Quote:
        return quote_services.create_quote(
            **ctx(request),
            customer=opportunity.customer,
            opportunity=opportunity,
            date=data["date"],
            valid_until=data["valid_until"],
            lines=specs,
            subject=data["subject"],
            notes=data["notes"],
            prices_include_tax=data["prices_include_tax"],
        )

    def saved(quote: Quote) -> HttpResponse:
        messages.success(request, _("見積書 %(number)s を作成しました。") % {"number": str(quote)})
        return redirect("sales:quote_detail", pk=quote.pk)

    lines = []
    if opportunity.expected_amount > 0:
        lines = [
            {
                "description": opportunity.title,
                "quantity": "1",
                "unit_price": f"{opportunity.expected_amount:f}",
                "tax": SalesTax.S10,
            }
        ]
    return document_screen(
        request,
        kind="revise",  # the quote head without the customer: it is the opportunity's
        title=_("商談「%(title)s」の見積書を作成") % {"title": opportunity.title},
        initial={"date": today, "valid_until": today + timedelta(days=30), "subject": opportunity.title},
        lines=lines,
        save=save,
        saved=saved,
        cancel_url=reverse("sales:opportunity_detail", args=[opportunity.pk]),
        extra={"customer_label": str(opportunity.customer)},
    )
