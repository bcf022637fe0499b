"""Reads for leavers (退職者): the figures of the 給与所得者異動届出書 for the municipalities, and the
給与所得の源泉徴収票 of a leaver. Made from confirmed payslips only (what was actually paid).

給与所得者異動届出書 (地方税法321条の7; jp-rules §3): when a 特別徴収 employee leaves, the employer
tells the municipality — by the 10th of the next month — the 年税額, what was collected (徴収済額),
what was not (未徴収税額), and how the rest is collected: 一括徴収 from the last pay (地方税法321条の5
第2項: required when leaving 1 January – 30 April, on the employee's 申出 when leaving 1 June –
31 December, in both cases only when the pay exceeds it) or 普通徴収. The run decides it at the last
pay (calculation_deductions) and records it in the payslip's ``inputs`` (``resident_tax_lump`` /
``resident_tax_ordinary``); this module reads that back.

Who: 人事, 経理 and the admin (RUN_ROLES); the 源泉徴収票 also its own employee (anyone else: 404).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership
from ennoshita.core.text import nfkc, search_key
from ennoshita.payroll.models import Payslip, ResidentTax, RunKind, RunStatus
from ennoshita.payroll.permissions import RUN_ROLES
from ennoshita.payroll.rules import resident_tax_leaving as rules_leaving
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

# 徴収方法 (the 異動届's 「徴収方法」 column)
METHOD_LUMP = "lump"  # 一括徴収
METHOD_ORDINARY = "ordinary"  # 普通徴収
METHOD_DONE = "done"  # nothing left (the last installment was the last pay's)
METHOD_NONE = "none"  # not under 特別徴収 for the 年度 (no notice entered)
METHOD_PENDING = "pending"  # the last pay is not confirmed yet

METHOD_LABELS = {
    METHOD_LUMP: "一括徴収",
    METHOD_ORDINARY: "普通徴収",
    METHOD_DONE: "徴収済み(残りなし)",
    METHOD_NONE: "特別徴収なし",
    METHOD_PENDING: "最終給与が未確定",
}
LUMP_REASONS = {
    rules_leaving.LUMP_REQUIRED: "1月1日から4月30日までの退職(地方税法321条の5第2項2号)",
    rules_leaving.LUMP_REQUEST: "本人の申出(地方税法321条の5第2項1号)",
}
ORDINARY_REASONS = {
    "short": "最終給与が未徴収税額に満たない(一括徴収できない)",
    "no_request": "一括徴収の申出なし(6月1日〜12月31日の退職)",
    "may": "5月の退職",
}


def _require_reader(membership: Membership) -> None:
    if not membership.has_any_role(*RUN_ROLES):
        raise PermissionDeniedError()


@dataclass(frozen=True)
class Payer:
    """特別徴収義務者 / 給与の支払者 (core's company record)."""

    name: str
    corporate_number: str
    postal_code: str
    address: str

    @classmethod
    def of(cls, company: Company) -> Payer:
        address = " ".join(x for x in (company.address, company.address2) if x)
        return cls(company.name, company.corporate_number, company.postal_code, address)


def _name(e: Employee) -> str:
    return f"{e.family_name} {e.given_name}"


def _kana(e: Employee) -> str:
    return f"{e.family_name_kana} {e.given_name_kana}"


def _yen(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# ------------------------------------------------------------------------ 給与所得者異動届出書


@dataclass(frozen=True)
class Leaver:
    """One leaver as the 給与所得者異動届出書 asks (amounts in yen; None where there is no notice)."""

    employee_id: int
    number: str
    name: str
    name_kana: str
    birth_date: date | None
    postal_code: str
    address: str
    hire_date: date
    retire_date: date  # 異動年月日
    fiscal_year: int  # 住民税の年度 (June – May)
    municipality_code: str
    municipality_name: str
    annual: int | None  # 年税額
    collected: int  # 徴収済額 (the monthly installments, the lump not included)
    uncollected: int | None  # 未徴収税額 = 年税額 − 徴収済額
    method: str
    lump_amount: int = 0  # 一括徴収した額
    lump_month: date | None = None  # 一括徴収した月 (the last pay's pay month)
    lump_months: tuple[str, ...] = ()  # the installments it covers (YYYY-MM)
    reason: str = ""  # 一括徴収の理由 / 普通徴収の理由
    final_pay_date: date | None = None
    notes: tuple[str, ...] = ()  # discrepancies for 経理 to look at

    reason_of_change = "退職"  # 異動事由

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @property
    def method_text(self) -> str:
        """「一括徴収(2026年3月)」 as on the form."""
        if self.method == METHOD_LUMP and self.lump_month is not None:
            return f"一括徴収({self.lump_month.year}年{self.lump_month.month}月)"
        return self.method_label


@dataclass
class LeaverList:
    payer: Payer
    start: date
    end: date
    rows: list[Leaver] = field(default_factory=list)


def _leavers(company: Company, start: date, end: date, q: str) -> list[Employee]:
    """Employees whose 退職日 is in [start, end], by 退職日 then 社員番号. (people has no selector for
    leavers of a period; this reads its table the way selectors.settings.employee_pay_list does.)"""
    qs = Employee.objects.for_company(company).filter(retire_date__gte=start, retire_date__lte=end)
    for word in nfkc(q).split():
        qs = qs.filter(Q(search_key__contains=search_key(word)) | Q(number__icontains=word))
    return list(qs.order_by("retire_date", "number"))


@dataclass
class _Slips:
    """One leaver's confirmed payslips, reduced to what the 異動届 needs."""

    by_month: dict[date, int] = field(default_factory=lambda: defaultdict(int))  # pay month → 住民税
    lumps: list[tuple[date, dict[str, Any]]] = field(default_factory=list)
    final: tuple[date, date, dict[str, Any]] | None = None  # (pay month, pay date, inputs)


def _slips(company: Company, employees: list[Employee]) -> dict[int, _Slips]:
    """The confirmed payslips of the leavers from the June before the earliest 退職日's year on
    (one query)."""
    out: dict[int, _Slips] = defaultdict(_Slips)
    if not employees:
        return out
    retire = {e.pk: e.retire_date for e in employees}
    earliest = min(d for d in retire.values() if d is not None)
    since = date(rules_leaving.resident_tax_year(earliest) - 1, 6, 1)
    rows = (
        Payslip.objects.for_company(company)
        .filter(employee_id__in=list(retire), run__status=RunStatus.CONFIRMED, run__pay_month__gte=since)
        .order_by("employee_id", "run__pay_date", "run_id")
        .values_list("employee_id", "run__kind", "run__pay_month", "run__pay_date", "resident_tax", "inputs")
    )
    for employee_id, kind, pay_month, pay_date, resident_tax, inputs in rows:
        s = out[employee_id]
        inputs = inputs or {}
        s.by_month[pay_month] += _yen(resident_tax)
        if isinstance(inputs.get("resident_tax_lump"), dict):
            s.lumps.append((pay_month, inputs["resident_tax_lump"]))
        end = _iso(inputs.get("period_end"))
        retired = retire[employee_id]
        # the first salary whose period reaches the 退職日 is the last pay
        reaches = kind == RunKind.SALARY and end is not None and retired is not None and end >= retired
        if reaches and s.final is None:
            s.final = (pay_month, pay_date, inputs)
    return out


def _notices(company: Company, ids: list[int]) -> dict[tuple[int, int], ResidentTax]:
    return {
        (t.employee_id, t.fiscal_year): t
        for t in ResidentTax.objects.for_company(company).filter(employee_id__in=ids)
    }


def _leaver(e: Employee, slips: _Slips, notices: dict[tuple[int, int], ResidentTax]) -> Leaver:
    retire = e.retire_date
    assert retire is not None
    final = slips.final
    fiscal = rules_leaving.resident_tax_year(final[0] if final else retire)
    notice = notices.get((e.pk, fiscal))
    first, last = date(fiscal, 6, 1), date(fiscal + 1, 5, 1)
    in_year = sum(v for m, v in slips.by_month.items() if first <= m <= last)
    lumps = [(m, x) for m, x in slips.lumps if first <= m <= last]
    lump_total = sum(_yen(x.get("amount")) for _m, x in lumps)
    collected = in_year - lump_total
    common: dict[str, Any] = {
        "employee_id": e.pk,
        "number": e.number,
        "name": _name(e),
        "name_kana": _kana(e),
        "birth_date": e.birth_date,
        "postal_code": e.postal_code,
        "address": e.address,
        "hire_date": e.hire_date,
        "retire_date": retire,
        "fiscal_year": fiscal,
        "municipality_code": notice.municipality_code if notice else "",
        "municipality_name": notice.municipality_name if notice else "",
        "final_pay_date": final[1] if final else None,
    }
    if notice is None:
        return Leaver(**common, annual=None, collected=collected, uncollected=None, method=METHOD_NONE)
    annual = int(notice.annual)
    uncollected = annual - collected
    notes: list[str] = []
    if final is None:
        return Leaver(
            **common, annual=annual, collected=collected, uncollected=uncollected, method=METHOD_PENDING
        )
    inputs = final[2]
    lump = inputs.get("resident_tax_lump") if isinstance(inputs.get("resident_tax_lump"), dict) else None
    if lump is not None:
        amount = _yen(lump.get("amount"))
        if amount != uncollected:
            notes.append(
                f"一括徴収した額({amount:,}円)が未徴収税額({uncollected:,}円)と一致しません。"
                "各月の徴収額を通知書と照らしてください。"
            )
        return Leaver(
            **common,
            annual=annual,
            collected=collected,
            uncollected=uncollected,
            method=METHOD_LUMP,
            lump_amount=amount,
            lump_month=final[0],
            lump_months=tuple(str(m) for m in lump.get("months") or ()),
            reason=LUMP_REASONS.get(str(lump.get("rule")), ""),
            notes=tuple(notes),
        )
    if uncollected <= 0:
        if uncollected < 0:
            notes.append(f"徴収済額が年税額を{-uncollected:,}円上回っています。通知書と照らしてください。")
        return Leaver(
            **common,
            annual=annual,
            collected=collected,
            uncollected=uncollected,
            method=METHOD_DONE,
            notes=tuple(notes),
        )
    ordinary = inputs.get("resident_tax_ordinary")
    reason = ORDINARY_REASONS.get(str(ordinary.get("reason")), "") if isinstance(ordinary, dict) else ""
    return Leaver(
        **common,
        annual=annual,
        collected=collected,
        uncollected=uncollected,
        method=METHOD_ORDINARY,
        reason=reason,
    )


def leavers(*, company: Company, membership: Membership, start: date, end: date, q: str = "") -> LeaverList:
    """Leavers with a 退職日 in [start, end] and their 異動届 figures (3 queries whatever their
    number: the employees, their confirmed payslips, their 住民税 notices)."""
    _require_reader(membership)
    employees = _leavers(company, start, end, q)
    slips = _slips(company, employees)
    notices = _notices(company, [e.pk for e in employees])
    rows = [_leaver(e, slips[e.pk], notices) for e in employees]
    return LeaverList(payer=Payer.of(company), start=start, end=end, rows=rows)


LEAVER_HEADER = [
    "社員番号",
    "受給者氏名",
    "フリガナ",
    "生年月日",
    "郵便番号",
    "住所",
    "市区町村コード",
    "市区町村",
    "年度",
    "年税額",
    "徴収済額",
    "未徴収税額",
    "異動年月日",
    "異動事由",
    "徴収方法",
    "一括徴収額",
    "一括徴収の月",
    "理由",
    "最終給与の支給日",
    "確認事項",
]


def leaver_rows(data: LeaverList) -> list[list[Any]]:
    """The list as rows for CSV/Excel: the 特別徴収義務者 first, then the header and one row each."""
    p = data.payer
    rows: list[list[Any]] = [
        [
            "特別徴収義務者",
            p.name,
            "法人番号",
            p.corporate_number,
            "所在地",
            f"{p.postal_code} {p.address}".strip(),
        ],
        LEAVER_HEADER,
    ]
    for r in data.rows:
        rows.append(
            [
                r.number,
                r.name,
                r.name_kana,
                r.birth_date,
                r.postal_code,
                r.address,
                r.municipality_code,
                r.municipality_name,
                r.fiscal_year,
                r.annual if r.annual is not None else "",
                r.collected,
                r.uncollected if r.uncollected is not None else "",
                r.retire_date,
                r.reason_of_change,
                r.method_text,
                r.lump_amount or "",
                f"{r.lump_month:%Y-%m}" if r.lump_month else "",
                r.reason,
                r.final_pay_date or "",
                " ".join(r.notes),
            ]
        )
    return rows


# ------------------------------------------------------------------------ 給与所得の源泉徴収票


@dataclass(frozen=True)
class WithholdingSlip:
    """給与所得の源泉徴収票 of a leaver for one year (所得税法226条1項; 所得税法施行規則93条): the pay
    of confirmed runs whose 支払日 falls in the year (所得税 counts pay when paid: 所得税法36条・183条).

    No 年末調整 is made for someone who left during the year (所得税法190条 applies to those employed
    at the year's last pay; jp-rules §19.4), so 給与所得控除後の金額, 所得控除の額の合計額 and the
    deductions are left blank and 源泉徴収税額 is the tax withheld from each pay. The leaver settles
    the year by 確定申告 or at the next employer's 年末調整 (which takes this slip)."""

    year: int
    payer: Payer
    employee_id: int
    number: str
    name: str
    name_kana: str
    birth_date: date | None
    postal_code: str
    address: str
    hire_date: date
    retire_date: date
    salary: int  # 課税支給額 of the salaries (非課税の通勤手当 excluded: 所得税法9条1項5号)
    bonus: int  # 課税支給額 of the bonuses
    social_insurance: (
        int  # 社会保険料等の金額 (健康保険・介護・子ども・子育て支援金・厚生年金・雇用保険: 所得税法74条2項)
    )
    income_tax: int  # 源泉徴収税額
    payments: int  # number of payslips counted
    final_pay_confirmed: bool

    @property
    def paid(self) -> int:
        """支払金額: 給料・賞与 together (the 源泉徴収票 has one 支払金額 for 種別 給料・賞与)."""
        return self.salary + self.bonus

    @property
    def hired_in_year(self) -> bool:
        return self.hire_date.year == self.year


def _slip_employee(company: Company, membership: Membership, employee_id: int, year: int) -> Employee:
    """The employee whose 源泉徴収票 is asked for: 人事・経理・admin any leaver of the company, an
    employee only themself; only someone whose 退職日 is in the year. Anything else: NotFound (a
    colleague's id says nothing)."""
    if membership.has_any_role(*RUN_ROLES):
        employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    else:
        own = people_selectors.own_employee_record(company=company, membership=membership)
        employee = own if own is not None and own.pk == employee_id else None
    if employee is None or employee.retire_date is None or employee.retire_date.year != year:
        raise NotFound()
    return employee


def slip_year(*, company: Company, membership: Membership, employee_id: int, year: int | None) -> int | None:
    """The year a 源泉徴収票 link asks for, or when none is given the year of the employee's 退職日
    (None: not a leaver). An employee the member may not see: NotFound, whatever the year."""
    if membership.has_any_role(*RUN_ROLES):
        employee = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    else:
        own = people_selectors.own_employee_record(company=company, membership=membership)
        employee = own if own is not None and own.pk == employee_id else None
    if employee is None:
        raise NotFound()
    if year is not None:
        return year
    return employee.retire_date.year if employee.retire_date is not None else None


def withholding_slip(
    *, company: Company, membership: Membership, employee_id: int, year: int
) -> WithholdingSlip:
    """The 源泉徴収票's figures (2 queries: the employee, the year's confirmed payslips)."""
    e = _slip_employee(company, membership, employee_id, year)
    retire = e.retire_date
    assert retire is not None
    salary = bonus = si = tax = count = 0
    final = False
    rows = (
        Payslip.objects.for_company(company)
        .filter(
            employee_id=e.pk,
            run__status=RunStatus.CONFIRMED,
            published_at__isnull=False,
            run__pay_date__year=year,
        )
        .values_list(
            "run__kind", "taxable", "health", "child_support", "pension", "employment", "income_tax", "inputs"
        )
    )
    for kind, taxable, health, child, pension, employment, income_tax, inputs in rows:
        count += 1
        if kind == RunKind.BONUS:
            bonus += _yen(taxable)
        else:
            salary += _yen(taxable)
            end = _iso((inputs or {}).get("period_end"))
            final = final or (end is not None and end >= retire)
        si += _yen(health) + _yen(child) + _yen(pension) + _yen(employment)
        tax += _yen(income_tax)
    return WithholdingSlip(
        year=year,
        payer=Payer.of(company),
        employee_id=e.pk,
        number=e.number,
        name=_name(e),
        name_kana=_kana(e),
        birth_date=e.birth_date,
        postal_code=e.postal_code,
        address=e.address,
        hire_date=e.hire_date,
        retire_date=retire,
        salary=salary,
        bonus=bonus,
        social_insurance=si,
        income_tax=tax,
        payments=count,
        final_pay_confirmed=final,
    )


def own_slip_years(*, company: Company, membership: Membership) -> list[int]:
    """The years for which the signed-in employee may download a leaver's 源泉徴収票 (the year of
    their 退職日, once they have one): for the payslip list's link."""
    own = people_selectors.own_employee_record(company=company, membership=membership)
    return [own.retire_date.year] if own is not None and own.retire_date is not None else []
