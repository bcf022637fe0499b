"""Reads of the confirm part (issue 9): what confirming a run will do and what blocks it, the
transfer preview and the filed file, and the payments of what was withheld (源泉所得税 for the
納付書 and 住民税 per municipality, with their 納期限)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ennoshita.core import banks
from ennoshita.core.bank_text import bank_kana
from ennoshita.core.dates import is_holiday
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.payroll import posting, transfer
from ennoshita.payroll.models import PayrollRun, PayrollSettings, Payslip, ResidentTax, RunKind, RunStatus
from ennoshita.payroll.permissions import CONFIRM_ROLES, RUN_ROLES
from ennoshita.payroll.run_inputs import resident_tax_year


# ============================================================================ the run
def get_run(*, company: Company, membership: Membership, run_id: int) -> PayrollRun:
    """One run of the company for 人事・経理 (RUN_ROLES); another company's id is a 404."""
    require_role(membership, *RUN_ROLES)
    run = (
        PayrollRun.objects.for_company(company)
        .select_related("pay_group", "confirmed_by")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        raise NotFound()
    return run


def payslips_of(run: PayrollRun) -> QuerySet[Payslip]:
    return (
        Payslip.objects.filter(company_id=run.company_id, run=run)
        .prefetch_related("lines")
        .order_by("employee_number", "pk")
    )


def settings_row(company: Company) -> PayrollSettings:
    return PayrollSettings.objects.get_or_create(company=company)[0]


def run_label(run: PayrollRun) -> str:
    """2026年5月分 給与 (or 賞与, with the run's title when it has one)."""
    kind = _("賞与") if run.kind == RunKind.BONUS else _("給与")
    label = f"{run.pay_month.year}年{run.pay_month.month}月分 {kind}"
    return f"{label} {run.title}".strip() if run.title else label


def blocking_anomalies(payslips: list[Payslip]) -> list[str]:
    """Who cannot be paid as computed, and why: every anomaly of level "error"."""
    return [
        f"{p.employee_number} {p.employee_name}: {a.get('message') or a.get('code')}"
        for p in payslips
        for a in (p.anomalies or [])
        if isinstance(a, dict) and a.get("level") == "error"
    ]


@dataclass
class ConfirmSummary:
    run: PayrollRun
    headcount: int
    gross: int = 0
    deductions: int = 0
    net: int = 0
    income_tax: int = 0
    resident_tax: int = 0
    social_insurance: int = 0
    employment: int = 0
    other_deductions: int = 0
    employer: int = 0
    transferred: int = 0
    transfer_count: int = 0
    by_hand: int = 0
    anomalies: list[str] = field(default_factory=list)  # errors that block
    warnings: list[str] = field(default_factory=list)
    figure_problems: list[str] = field(default_factory=list)
    settings_problems: list[str] = field(default_factory=list)
    postings: list[posting.Posting] = field(default_factory=list)

    @property
    def can_confirm(self) -> bool:
        blocked = self.anomalies or self.figure_problems or self.settings_problems
        return self.run.status == RunStatus.DRAFT and self.headcount > 0 and not blocked


def figures_and_problems(payslips: list[Payslip]) -> tuple[list[posting.SlipFigures], list[str]]:
    figures, problems = [], []
    for p in payslips:
        try:
            figures.append(posting.figures_of(p, p.lines.all()))
        except ValueError as error:
            problems.append(f"{p.employee_number} {p.employee_name}: {error}")
    return figures, problems


def confirm_summary(*, company: Company, membership: Membership, run: PayrollRun) -> ConfirmSummary:
    """The totals confirming will post, the journal lines, and everything that blocks it."""
    require_role(membership, *RUN_ROLES)
    payslips = list(payslips_of(run))
    figures, problems = figures_and_problems(payslips)
    s = ConfirmSummary(run=run, headcount=len(payslips), figure_problems=problems)
    s.anomalies = blocking_anomalies(payslips)
    s.warnings = [
        f"{p.employee_number} {p.employee_name}: {a.get('message') or a.get('code')}"
        for p in payslips
        for a in (p.anomalies or [])
        if isinstance(a, dict) and a.get("level") != "error"
    ]
    # the totals as the payslips state them — also when one of them does not add up and is listed
    # as a problem (its figures are then left out of the postings, not out of what is shown)
    for p in payslips:
        s.gross += int(p.gross)
        s.net += int(p.net)
        s.income_tax += int(p.income_tax)
        s.resident_tax += int(p.resident_tax)
        s.social_insurance += int(p.health) + int(p.child_support) + int(p.pension)
        s.employment += int(p.employment)
        s.other_deductions += int(p.other_deductions)
        s.employer += (
            int(p.employer_health)
            + int(p.employer_child_support)
            + int(p.employer_pension)
            + int((p.inputs or {}).get("employer_child_contribution") or 0)
        )
        transferred = int(p.transfer_amount) + int(p.split_transfer_amount)
        s.transferred += transferred
        s.by_hand += max(int(p.net) - transferred, 0)
    s.deductions = s.gross - s.net
    try:
        s.transfer_count = len(transfer.transfers_of(payslips))
    except ValueError as error:
        s.figure_problems.append(str(error))
    if s.transferred:
        s.settings_problems = [
            m for ms in transfer.settings_problems(settings_row(company)).values() for m in ms
        ]
    if not problems:
        s.postings = posting.postings(figures=figures, label=run_label(run), bonus=run.kind == RunKind.BONUS)
    return s


# ============================================================================ the transfer file
@dataclass(frozen=True)
class TransferRow:
    transfer: transfer.Transfer
    bank_name: str
    branch_name: str
    holder_kana: str  # as the file carries it
    problem: str  # what a bank would refuse, else ""


@dataclass
class TransferPreview:
    run: PayrollRun
    rows: list[TransferRow]
    total: int
    net_total: int
    by_hand: int
    problems: list[str]
    notes: list[str]
    file_name: str
    can_download: bool
    pay_date_closed: bool  # the pay date is not a bank business day: the bank refuses the file


def is_bank_business_day(day: date) -> bool:
    """銀行法15条1項・施行令5条1項: Saturdays, Sundays, 国民の祝日 and 12月31日〜1月3日 are closed."""
    if day.weekday() >= 5 or (day.month, day.day) in {(12, 31), (1, 1), (1, 2), (1, 3)}:
        return False
    return not is_holiday(day)


def _row(t: transfer.Transfer) -> TransferRow:
    bank = banks.bank(t.bank_code)
    branch = banks.branch(t.bank_code, t.branch_code)
    problem = ""
    try:
        holder = bank_kana(t.holder)
    except ValueError as error:
        holder, problem = t.holder, str(error)
    if not holder:
        problem = problem or _("口座名義(カナ)がありません。")
    elif len(holder) > 30:
        problem = problem or _("口座名義が半角30文字を超えます。")
    if bank is None or branch is None:
        problem = problem or _("銀行コード・支店コードが銀行のデータにありません。")
    return TransferRow(
        transfer=t,
        bank_name=bank.name if bank else "",
        branch_name=branch.name if branch else "",
        holder_kana=holder,
        problem=problem,
    )


def transfer_preview(*, company: Company, membership: Membership, run: PayrollRun) -> TransferPreview:
    """Every transfer of the run with the bank and branch names, the holder as the file carries
    it, the totals, and what would stop the file being made."""
    require_role(membership, *RUN_ROLES)
    payslips = list(payslips_of(run))
    problems: list[str] = []
    try:
        transfers = transfer.transfers_of(payslips)
    except ValueError as error:
        transfers, problems = [], [str(error)]
    rows = [_row(t) for t in transfers]
    problems += [
        f"{r.transfer.employee_number} {r.transfer.employee_name}: {r.problem}" for r in rows if r.problem
    ]
    if transfers:
        problems += [m for ms in transfer.settings_problems(settings_row(company)).values() for m in ms]
    odd = sorted({t.employee_number for t in transfers if t.number_field == "0" and t.employee_number != "0"})
    notes = (
        [
            _("社員番号が数字10桁以内でない人は、ファイルの社員番号欄を0にします: %(numbers)s")
            % {"numbers": "、".join(odd)}
        ]
        if odd
        else []
    )
    net_total = sum(int(p.net) for p in payslips)
    total = sum(t.amount for t in transfers)
    return TransferPreview(
        run=run,
        rows=rows,
        total=total,
        net_total=net_total,
        by_hand=net_total - total,
        problems=problems,
        notes=notes,
        file_name=transfer.file_name(run),
        can_download=run.status == RunStatus.CONFIRMED
        and run.transfer_document_id is not None
        and membership.has_any_role(*CONFIRM_ROLES),
        pay_date_closed=bool(transfers) and not is_bank_business_day(run.pay_date),
    )


def transfer_file(*, company: Company, membership: Membership, run: PayrollRun) -> tuple[str, bytes]:
    """A confirmed run's file as it was filed in 文書 (経理 and the admin)."""
    from ennoshita.documents import selectors as document_selectors
    from ennoshita.documents.storage import open_blob

    require_role(membership, *CONFIRM_ROLES)
    if run.company_id != company.pk:
        raise NotFound()
    if run.status != RunStatus.CONFIRMED:
        raise ServiceError(_("振込データは給与計算を確定すると作られます。"), code="bad_state")
    if run.transfer_document_id is None:
        raise ServiceError(_("この給与計算には振込がありません(全員が振込以外の支給です)。"), code="empty")
    document = document_selectors.get_document(
        company=company, membership=membership, document_id=run.transfer_document_id
    )
    version = document.current_version
    if version is None:
        raise NotFound()
    return transfer.file_name(run), open_blob(version.sha256)


# ============================================================================ 納期限
def is_closed_for_tax(day: date) -> bool:
    """A day a tax deadline cannot fall on: 国税通則法10条2項 (日曜日・国民の祝日・その他一般の休日,
    and by 施行令2条2項 土曜日 and 12月29日〜31日) and 地方税法20条の5第2項 (the same, 施行令6条の18);
    1月2日・3日 are 一般の休日."""
    if day.weekday() >= 5 or is_holiday(day):
        return True
    return (day.month, day.day) in {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}


def next_open_day(day: date) -> date:
    """The deadline moved to the next day that is not closed (国税通則法10条2項, 地方税法20条の5第2項)."""
    while is_closed_for_tax(day):
        day += timedelta(days=1)
    return day


def _tenth_of_next_month(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=10)


def income_tax_due(*, pay_month: date, special: bool = False) -> date:
    """源泉所得税's 納期限 for tax withheld from pay paid in ``pay_month``: the 10th of the next
    month (所得税法183条1項); with the 納期の特例 (所得税法216条) 1–6月分 by 7月10日 and 7–12月分 by
    翌年1月20日 (租税特別措置法41条の6). Moved off closed days."""
    if special:
        raw = date(pay_month.year, 7, 10) if pay_month.month <= 6 else date(pay_month.year + 1, 1, 20)
    else:
        raw = _tenth_of_next_month(pay_month)
    return next_open_day(raw)


def resident_tax_half(month: date) -> date:
    """The first month of the 住民税 納期の特例's half-year holding ``month`` (地方税法321条の5の2第1項):
    June for June–November, December for December–May (of the year before, for January–May)."""
    if 6 <= month.month <= 11:
        return date(month.year, 6, 1)
    return date(month.year if month.month == 12 else month.year - 1, 12, 1)


def resident_tax_due(*, pay_month: date, special: bool = False) -> date:
    """住民税 (特別徴収): by the 10th of the month after it was withheld (地方税法321条の5第1項); with
    the 納期の特例 (地方税法321条の5の2第1項) what was withheld June–November by 12月10日 and
    December–May by 6月10日. Moved off closed days (地方税法20条の5第2項)."""
    if not special:
        return next_open_day(_tenth_of_next_month(pay_month))
    half = resident_tax_half(pay_month)
    raw = date(half.year, 12, 10) if half.month == 6 else date(half.year + 1, 6, 10)
    return next_open_day(raw)


def _resident_period(month: date, special: bool) -> str:
    """「2026年6月分」 or, with the 納期の特例, 「2026年6月〜11月分」 / 「2026年12月〜2027年5月分」."""
    if not special:
        return _("%(year)d年%(month)d月分") % {"year": month.year, "month": month.month}
    if month.month == 6:
        return _("%(year)d年6月〜11月分") % {"year": month.year}
    return _("%(year)d年12月〜%(next)d年5月分") % {"year": month.year, "next": month.year + 1}


# ============================================================================ 納付 (what was withheld)
@dataclass
class IncomeTaxRow:
    """One 納付書 (所得税徴収高計算書) line: pay paid in ``months`` of confirmed runs. 人員 counts
    payslips (延べ人数), 支給額 the taxable pay, as the 計算書 asks, 給与 and 賞与 apart."""

    period: str
    months: list[date]
    due: date
    salary_people: int = 0
    salary_paid: int = 0
    salary_tax: int = 0
    bonus_people: int = 0
    bonus_paid: int = 0
    bonus_tax: int = 0

    @property
    def tax(self) -> int:
        return self.salary_tax + self.bonus_tax


@dataclass
class ResidentTaxRow:
    """One municipality's 納入書 line: what was withheld in ``month`` (pay date) — or, under the
    住民税 納期の特例, in the half-year starting with ``month`` (June–November, December–May)."""

    month: date  # the month the tax was withheld (pay date); the half-year's first under the 特例
    fiscal_year: int  # 年度
    municipality_code: str
    municipality_name: str
    people: int  # payslips (延べ人数)
    amount: int
    due: date
    period: str = ""  # 「2026年6月分」, 「2026年6月〜11月分」


@dataclass
class WithheldTaxes:
    year: int
    special: bool
    income_tax: list[IncomeTaxRow]
    resident_tax: list[ResidentTaxRow]
    resident_special: bool = False  # 住民税の納期の特例: rows per half-year

    @property
    def income_tax_total(self) -> int:
        return sum(r.tax for r in self.income_tax)

    @property
    def resident_tax_total(self) -> int:
        return sum(r.amount for r in self.resident_tax)


def withheld_taxes(*, company: Company, membership: Membership, year: int) -> WithheldTaxes:
    """源泉所得税 per month of pay date (or per half-year under the 納期の特例) and 住民税 per
    municipality and month, from the payslips of the confirmed runs paid in ``year``. Under the
    住民税 納期の特例 the 住民税 rows are the two half-years paid in ``year``: December of the year
    before to May (due 6月10日) and June to November (due 12月10日)."""
    require_role(membership, *RUN_ROLES)
    row_of_settings = settings_row(company)
    special = row_of_settings.special_payment_schedule
    resident_special = row_of_settings.resident_tax_special_schedule
    # the year's pay dates, and under the 住民税 特例 the December before as well (one query)
    first = date(year - 1, 12, 1) if resident_special else date(year, 1, 1)
    fetched = Payslip.objects.filter(
        company=company,
        run__status=RunStatus.CONFIRMED,
        run__pay_date__gte=first,
        run__pay_date__lte=date(year, 12, 31),
    ).values_list("employee_id", "run__pay_date", "run__kind", "taxable", "income_tax", "resident_tax")
    slips = []
    resident_slips = []
    for slip in fetched:
        pay_date = slip[1]
        if pay_date.year == year:
            slips.append(slip)
        if resident_special and resident_tax_due(pay_month=pay_date, special=True).year == year:
            resident_slips.append(slip)
    if not resident_special:
        resident_slips = slips
    rows: dict[int, IncomeTaxRow] = {}
    for month in range(1, 13):
        start = date(year, month, 1)
        key = _slot(month, special)
        if key not in rows:
            period = (_("%(year)d年1月〜6月分") if month <= 6 else _("%(year)d年7月〜12月分")) % {
                "year": year
            }
            rows[key] = IncomeTaxRow(
                period=period if special else _("%(year)d年%(month)d月分") % {"year": year, "month": month},
                months=[],
                due=income_tax_due(pay_month=start, special=special),
            )
        rows[key].months.append(start)
    for _employee_id, pay_date, kind, taxable, income_tax, _resident_tax in slips:
        row = rows[_slot(pay_date.month, special)]
        if kind == RunKind.BONUS:
            row.bonus_people += 1
            row.bonus_paid += int(taxable)
            row.bonus_tax += int(income_tax)
        else:
            row.salary_people += 1
            row.salary_paid += int(taxable)
            row.salary_tax += int(income_tax)
    return WithheldTaxes(
        year=year,
        special=special,
        income_tax=list(rows.values()),
        resident_tax=_resident_rows(company, resident_slips, resident_special),
        resident_special=resident_special,
    )


def _resident_rows(company: Company, slips: list[Any], special: bool) -> list[ResidentTaxRow]:
    """住民税 per (month — or half-year under the 納期の特例 —, municipality of the 年度's notice)."""
    resident: dict[tuple[date, str, str, int], list[int]] = defaultdict(lambda: [0, 0])
    notices = _notices(company, {(e, resident_tax_year(d)) for e, d, _k, _t, _i, r in slips if r})
    for employee_id, pay_date, _kind, _taxable, _income_tax, resident_tax in slips:
        if not resident_tax:
            continue
        withheld_in = pay_date.replace(day=1)
        fiscal = resident_tax_year(withheld_in)
        code, name = notices.get((employee_id, fiscal), ("", _("(住民税の通知が未登録)")))
        month = resident_tax_half(withheld_in) if special else withheld_in
        sums = resident[(month, code, name, fiscal)]
        sums[0] += 1
        sums[1] += int(resident_tax)
    return [
        ResidentTaxRow(
            month=month,
            fiscal_year=fiscal,
            municipality_code=code,
            municipality_name=name,
            people=people,
            amount=amount,
            due=resident_tax_due(pay_month=month, special=special),
            period=_resident_period(month, special),
        )
        for (month, code, name, fiscal), (people, amount) in sorted(
            resident.items(), key=lambda kv: kv[0][:3]
        )
    ]


def _slot(month: int, special: bool) -> int:
    """The 納付書 a month's tax goes on: its own, or under the 納期の特例 the half-year's (1 or 7)."""
    if special:
        return 1 if month <= 6 else 7
    return month


def _notices(company: Company, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], tuple[str, str]]:
    """(employee, 年度) → (市区町村コード, 市区町村) of the 特別徴収税額通知 entered."""
    if not wanted:
        return {}
    rows = ResidentTax.objects.for_company(company).filter(
        employee_id__in={e for e, _y in wanted}, fiscal_year__in={y for _e, y in wanted}
    )
    return {
        (r.employee_id, r.fiscal_year): (r.municipality_code, r.municipality_name)
        for r in rows.only("employee_id", "fiscal_year", "municipality_code", "municipality_name")
    }


def withheld_rows(data: WithheldTaxes) -> list[list[Any]]:
    """The CSV/Excel of the screen: one table, 源泉所得税 then 住民税."""
    out: list[list[Any]] = [
        [
            _("税目"),
            _("期間"),
            _("市区町村コード"),
            _("市区町村"),
            _("人員"),
            _("支給額"),
            _("税額"),
            _("納期限"),
        ]
    ]
    for r in data.income_tax:
        out.append(
            [_("源泉所得税(給与)"), r.period, "", "", r.salary_people, r.salary_paid, r.salary_tax, r.due]
        )
        out.append(
            [_("源泉所得税(賞与)"), r.period, "", "", r.bonus_people, r.bonus_paid, r.bonus_tax, r.due]
        )
    for x in data.resident_tax:
        out.append(
            [_("住民税"), x.period, x.municipality_code, x.municipality_name, x.people, "", x.amount, x.due]
        )
    return out
