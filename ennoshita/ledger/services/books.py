"""The books of a company: first-use setup, fiscal years, the ledger settings."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.money import Rounding
from ennoshita.core.permissions import require_role
from ennoshita.core.text import search_key
from ennoshita.ledger import chart, rules
from ennoshita.ledger.models import (
    Account,
    FiscalYear,
    LedgerSettings,
    TaxCode,
)
from ennoshita.ledger.permissions import WRITE_ROLES

JOURNAL_NUMBERS = "ledger.journal"


# ------------------------------------------------------------------------------ the books


def ensure_books(*, company: Company) -> LedgerSettings:
    """Give a company its books on first use: settings, 税区分, the standard chart and the fiscal
    years around today. Idempotent; existing rows are never changed."""
    existing = LedgerSettings.objects.filter(company=company).first()
    return existing if existing is not None else _create_books(company)


@transaction.atomic
def _create_books(company: Company) -> LedgerSettings:
    existing = LedgerSettings.objects.select_for_update().filter(company=company).first()
    if existing is not None:  # created meanwhile by a concurrent first use
        return existing
    settings_row = LedgerSettings.objects.create(company=company)
    codes = {}
    for order, category in enumerate(rules.TAX_CATEGORIES.values()):
        codes[category.key] = TaxCode.objects.create(
            company=company,
            key=category.key,
            label=category.label,
            kind=category.kind,
            rate=category.rate_percent,
            qualified=category.qualified,
            order=order,
        )
    Account.objects.bulk_create(
        Account(
            company=company,
            code=a.code,
            name=a.name,
            kana=a.kana,
            search_key=search_key(f"{a.code} {a.name} {a.kana}"),
            section=a.section,
            normal_side=a.normal_side,
            is_contra=a.contra,
            default_tax_code=codes.get(a.tax_category),
        )
        for a in chart.STANDARD_CHART
    )
    current = fiscal_year_of(timezone.localdate(), start_month=company.fiscal_year_start_month)
    for year in (current.year - 1, current.year):
        fy = fiscal_year_of(
            date(year, company.fiscal_year_start_month, 1), start_month=company.fiscal_year_start_month
        )
        FiscalYear.objects.create(company=company, start=fy.start, end=fy.end)
    record_event(
        company=company,
        actor=None,
        action="create",
        instance=settings_row,
        extra={"accounts": len(chart.STANDARD_CHART), "tax_codes": len(codes)},
        actor_label="ledger.setup",
    )
    return settings_row


def on_company_created(company: Company) -> None:
    ensure_books(company=company)


@transaction.atomic
def open_next_fiscal_year(*, company: Company, actor: User, membership: Membership) -> FiscalYear:
    """The year after the last one, by the company's 期首月 (a 変則決算 is not supported here)."""
    require_role(membership, *WRITE_ROLES)
    last = FiscalYear.objects.for_company(company).order_by("-start").first()
    if last is None:
        raise ServiceError(_("会計年度がありません。"))
    start = date.fromordinal(last.end.toordinal() + 1)
    fy = fiscal_year_of(start, start_month=start.month)
    year = FiscalYear.objects.create(company=company, start=fy.start, end=fy.end)
    record_event(company=company, actor=actor, action="create", instance=year, after=snapshot(year))
    return year


@transaction.atomic
def update_ledger_settings(
    *, company: Company, actor: User, membership: Membership, tax_rounding: str, tax_included_entry: bool
) -> LedgerSettings:
    """消費税の端数処理 and the 税込入力 default; applies to entries posted from now on."""
    require_role(membership, *WRITE_ROLES)
    row = LedgerSettings.objects.for_company(company).select_for_update().first() or ensure_books(
        company=company
    )
    if tax_rounding not in (Rounding.TRUNCATE, Rounding.ROUND_UP, Rounding.HALF_UP):
        raise ServiceError(
            _("入力内容に誤りがあります。"),
            code="validation",
            field_errors={"tax_rounding": [_("端数処理を選んでください。")]},
        )
    before = snapshot(row)
    row.tax_rounding, row.tax_included_entry = tax_rounding, tax_included_entry
    row.save()
    record_event(
        company=company, actor=actor, action="update", instance=row, before=before, after=snapshot(row)
    )
    return row
