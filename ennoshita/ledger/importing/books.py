"""仕訳CSV取込: the company's books that every row is checked against, read once."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ennoshita.core.models import Company
from ennoshita.core.money import Rounding
from ennoshita.core.text import nfkc
from ennoshita.ledger import chart, services
from ennoshita.ledger.models import Account, FiscalYear, LedgerSettings, PeriodLock, SubAccount, TaxCode
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department


def _key(text: str) -> str:
    return nfkc(text).strip().casefold()


class _Books:
    """Everything a row is checked against, read once (a fixed number of queries per import)."""

    def __init__(self, company: Company) -> None:
        self.company = company
        settings_row = services.ensure_books(company=company)
        self.settings: LedgerSettings = settings_row
        self.rounding = Rounding(settings_row.tax_rounding)
        accounts = list(Account.objects.for_company(company).select_related("default_tax_code"))
        self.accounts: dict[str, Account] = {_key(a.name): a for a in accounts}
        self.accounts.update({_key(a.code): a for a in accounts})  # a code wins over a name
        self.tax_accounts = {
            a.pk for a in accounts if a.code in (chart.INPUT_TAX_ACCOUNT_CODE, chart.OUTPUT_TAX_ACCOUNT_CODE)
        }
        self.input_tax = next((a for a in accounts if a.code == chart.INPUT_TAX_ACCOUNT_CODE), None)
        self.output_tax = next((a for a in accounts if a.code == chart.OUTPUT_TAX_ACCOUNT_CODE), None)
        self.subs: dict[tuple[int, str], SubAccount] = {}
        for s in SubAccount.objects.for_company(company):
            self.subs.setdefault((s.account_id, _key(s.name)), s)
        for s in SubAccount.objects.for_company(company):
            self.subs[(s.account_id, _key(s.code))] = s
        departments = list(people_selectors.departments(company=company, include_inactive=True))
        self.departments: dict[str, Department] = {_key(d.name): d for d in departments}
        self.departments.update({_key(d.code): d for d in departments})
        self.tax_codes = {t.key: t for t in TaxCode.objects.for_company(company)}
        self.years = list(FiscalYear.objects.for_company(company).order_by("start"))
        self.locked = set(
            PeriodLock.objects.for_company(company).filter(locked=True).values_list("month", flat=True)
        )

    def period_error(self, day: date) -> str:
        year = next((y for y in self.years if y.start <= day <= y.end), None)
        if year is None:
            return _("%(date)s を含む会計年度がありません。") % {"date": day}
        if year.status != FiscalYear.Status.OPEN:
            return _("%(year)sは締め済みです。") % {"year": year}
        if day.replace(day=1) in self.locked:
            return _("%(month)s は月次締め済みです。") % {"month": date_format(day, "YEAR_MONTH_FORMAT")}
        return ""
