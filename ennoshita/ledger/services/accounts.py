"""勘定科目 and 補助科目: add, rename, change, deactivate (never delete)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import search_key
from ennoshita.ledger import chart
from ennoshita.ledger.models import (
    Account,
    JournalLine,
    SubAccount,
    TaxCode,
)
from ennoshita.ledger.permissions import WRITE_ROLES

# ------------------------------------------------------------------------------ accounts


# Accounts the posting code finds by their code: the tax lines and the statements rely on them.
SYSTEM_ACCOUNT_CODES = frozenset(
    {chart.INPUT_TAX_ACCOUNT_CODE, chart.OUTPUT_TAX_ACCOUNT_CODE, chart.RETAINED_EARNINGS_ACCOUNT_CODE}
)


class _Keep:
    """Marks an argument left out: the account keeps its current value."""


KEEP: Any = _Keep()


def save_account(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    account: Account | None,
    code: str,
    name: str,
    kana: str | None = None,
    section: str = "",
    default_tax_code: TaxCode | None = KEEP,
    is_active: bool | None = None,
) -> Account:
    """Add an account or rename/change one. Arguments left out keep their value. The section of a
    used account is fixed (it would move posted figures between statements); accounts are
    deactivated, never deleted; the system accounts (仮払・仮受消費税等, 繰越利益剰余金) keep their
    code and stay active."""
    with transaction.atomic():
        return _save_account(
            company=company,
            actor=actor,
            membership=membership,
            account=account,
            code=code,
            name=name,
            kana=kana,
            section=section,
            default_tax_code=default_tax_code,
            is_active=is_active,
        )


def _save_account(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    account: Account | None,
    code: str,
    name: str,
    kana: str | None,
    section: str,
    default_tax_code: TaxCode | None,
    is_active: bool | None,
) -> Account:
    require_role(membership, *WRITE_ROLES)
    if account is not None:
        # work on a fresh, locked copy: a refusal leaves the caller's object as it was
        account = Account.objects.for_company(company).select_for_update().filter(pk=account.pk).first()
        if account is None:
            raise NotFound()
    before = snapshot(account) if account else None
    errors: dict[str, list[str]] = {}
    code, name = code.strip(), name.strip()
    if account is None:
        if section not in chart.SECTIONS_BY_KEY:
            errors["section"] = [_("区分を選んでください。")]
        account = Account(company=company, section=section)
    else:
        if (
            section
            and section != account.section
            and JournalLine.objects.filter(company=company, account=account).exists()
        ):
            errors["section"] = [_("仕訳で使われた科目の区分は変えられません。")]
        if account.code in SYSTEM_ACCOUNT_CODES and (code != account.code or is_active is False):
            errors["code"] = [_("この科目はシステムが使うため、コードの変更や使用停止はできません。")]
        if section:
            account.section = section
    if account.section in chart.SECTIONS_BY_KEY:
        side = chart.SECTIONS_BY_KEY[account.section].normal_side
        # a contra account (貸倒引当金, 減価償却累計額…) sits on the other side of its section
        account.normal_side = ("credit" if side == "debit" else "debit") if account.is_contra else side
    if not code or not code.isascii() or not code.isalnum():
        errors["code"] = [_("科目コードは半角英数字で入力してください。")]
    if not name:
        errors["name"] = [_("科目名を入力してください。")]
    others = Account.objects.for_company(company).exclude(pk=account.pk)
    if code and others.filter(code=code).exists():
        errors.setdefault("code", []).append(_("この科目コードは使われています。"))
    if name and others.filter(name=name).exists():
        errors.setdefault("name", []).append(_("この科目名は使われています。"))
    if (
        default_tax_code is not KEEP
        and default_tax_code is not None
        and default_tax_code.company_id != company.pk
    ):
        raise NotFound()
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    account.code, account.name = code, name
    if kana is not None:
        account.kana = kana.strip()
    account.search_key = search_key(f"{code} {name} {account.kana}")
    if default_tax_code is not KEEP:
        account.default_tax_code = default_tax_code
    if is_active is not None:
        account.is_active = is_active
    account.save()
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=account,
        before=before,
        after=snapshot(account),
    )
    return account


@transaction.atomic
def save_sub_account(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    account: Account,
    sub_account: SubAccount | None = None,
    code: str,
    name: str,
    kana: str = "",
    is_active: bool = True,
) -> SubAccount:
    """Add a 補助科目 under an account, or rename/deactivate one (never deleted)."""
    require_role(membership, *WRITE_ROLES)
    if account.company_id != company.pk or (sub_account is not None and sub_account.company_id != company.pk):
        raise NotFound()
    before = snapshot(sub_account) if sub_account else None
    row = sub_account or SubAccount(company=company, account=account)
    code, name = code.strip(), name.strip()
    errors: dict[str, list[str]] = {}
    if not code or not code.isascii() or not code.isalnum():
        errors["code"] = [_("補助コードは半角英数字で入力してください。")]
    elif SubAccount.objects.filter(account=row.account, code=code).exclude(pk=row.pk).exists():
        errors["code"] = [_("この補助コードは使われています。")]
    if not name:
        errors["name"] = [_("補助科目名を入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    row.code, row.name, row.kana, row.is_active = code, name, kana.strip(), is_active
    row.save()
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=row,
        before=before,
        after=snapshot(row),
    )
    return row
