"""勘定科目 screens: the chart by section with search, add, rename, default 税区分, deactivate
(accounts are never deleted), and the 補助科目 under an account."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import service_kwargs as ctx

from . import entry_selectors, services
from .forms import AccountForm, AccountSearchForm, SubAccountForm
from .models import Account
from .permissions import can_write
from .views import reader, writer


@reader
def account_list(request: HttpRequest) -> HttpResponse:
    form = AccountSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    groups = entry_selectors.accounts_by_section(
        company=request.company,  # type: ignore[attr-defined]
        q=data.get("q") or "",
        include_inactive=bool(data.get("inactive")),
    )
    return render(
        request,
        "ledger/account_list.html",
        {"form": form, "groups": groups, "can_write": can_write(request.membership)},  # type: ignore[attr-defined]
    )


def _account_screen(request: HttpRequest, account: Account | None) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    initial: dict[str, Any] = {"is_active": True}
    if account is not None:
        initial = {
            "code": account.code,
            "name": account.name,
            "kana": account.kana,
            "section": account.section,
            "default_tax_code": account.default_tax_code_id,
            "is_active": account.is_active,
        }
    form = AccountForm(request.POST or None, initial=initial, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_account(**ctx(request), account=account, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
            if account is not None:  # the refused save may have changed it in memory
                account = entry_selectors.get_account(company=company, account_id=account.pk)
        else:
            messages.success(request, _("勘定科目「%(name)s」を保存しました。") % {"name": saved.name})
            return redirect(reverse("ledger:account_list") + f"#account-{saved.pk}")
    context = {
        "form": form,
        "account": account,
        "sub_accounts": list(account.sub_accounts.order_by("code")) if account else [],
        "events": entry_selectors.account_history(company=company, account=account) if account else None,
    }
    return render(request, "ledger/account_form.html", context, status=400 if form.errors else 200)


@writer
def account_new(request: HttpRequest) -> HttpResponse:
    return _account_screen(request, None)


@writer
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = entry_selectors.get_account(company=request.company, account_id=pk)  # type: ignore[attr-defined]
    return _account_screen(request, account)


@writer
def sub_account_new(request: HttpRequest, pk: int) -> HttpResponse:
    account = entry_selectors.get_account(company=request.company, account_id=pk)  # type: ignore[attr-defined]
    form = SubAccountForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.save_sub_account(**ctx(request), account=account, **form.cleaned_data)
        except ServiceError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("補助科目「%(name)s」を追加しました。") % {"name": sub.name})
            return redirect("ledger:account_edit", pk=account.pk)
    return render(
        request,
        "ledger/sub_account_form.html",
        {"form": form, "account": account},
        status=400 if form.errors else 200,
    )
