"""遡及差額 (back-dated pay) and 訂正 (the difference a correction run pays), computed from plain
figures with no database. run_inputs.py reads what was paid; services/runs.py and
services/corrections.py recompute the month with calculation.compute_payslip and call these.

遡及 (a raise decided late and dated back): for each month already paid by a confirmed salary run,
the difference between what the month's pay gives under the settings as they now stand and what
was paid for it (the original payslip, its corrections, and arrears already paid for it) is paid
in the next run as its own lines 「遡及差額(基本給 2026年4月分)」. The difference is wages of the
month PAID: taxed with that month's pay (所得税基本通達36-9(3): 既往にさかのぼって改定された給与の差額
は、その支給日が定められているものはその支給日), in that month's 報酬 (健康保険法3条5項) and 雇用保険の
賃金 (労働保険徴収法2条2項) as the component's flags say. A cut dated back is taken back as a
deduction line, never silently.

訂正 (a correction run): the month recomputed with today's settings and attendance, less what was
paid for it; every Payslip figure is the difference (the 源泉所得税 recomputed on the corrected total
by the original pay date's table, less what was withheld).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .calculation_inputs import LineOut, PayslipOut

__all__ = [
    "AMOUNT_FIELDS",
    "ARREARS_PREFIX",
    "Arrears",
    "PaidMonth",
    "arrears_due",
    "arrears_from_inputs",
    "arrears_message",
    "component_of",
    "correction_difference",
    "is_arrears_code",
]

ARREARS_PREFIX = "arr:"  # line codes: arr:202604:base (payment), item:arr:202604:base (deduction)
# payment lines that belong to one component: 欠勤控除 lowers the 基本給 it is computed from
MERGED = {"absence": "base"}
# the legal payment lines whose amount follows the settings (基本給, 割増賃金 on the new hourly base,
# 通勤手当); company items are added by their code when their amount is fixed or by a formula
LEGAL_COMPONENTS = ("base", "legal_overtime", "overtime", "holiday", "night", "commute", "commute_taxable")
NAMES = {
    "base": "基本給",
    "legal_overtime": "法定内残業手当",
    "overtime": "時間外手当",
    "holiday": "休日手当",
    "night": "深夜手当",
    "commute": "通勤手当",
    "commute_taxable": "通勤手当(課税分)",
}
# the Payslip amount fields a correction payslip holds as differences
AMOUNT_FIELDS = (
    "gross", "taxable", "nontaxable", "social_insurance_wage", "employment_insurance_wage", "health",
    "child_support", "pension", "employment", "social_insurance_total", "income_tax", "resident_tax",
    "other_deductions", "deduction_total", "net", "employer_health", "employer_child_support",
    "employer_pension",
)  # fmt: skip


def is_arrears_code(code: str) -> bool:
    return code.startswith(ARREARS_PREFIX) or code.startswith("item:" + ARREARS_PREFIX)


def component_of(code: str) -> str:
    return MERGED.get(code, code)


@dataclass(frozen=True)
class Arrears:
    """One component of one month paid late: ``due`` under today's settings, ``paid`` so far."""

    month: date  # the pay month the difference belongs to
    code: str  # the component: base, overtime, item:<code> …
    name: str
    paid: int
    due: int
    taxable: bool = True
    social_insurance: bool = True
    employment_insurance: bool = True

    @property
    def difference(self) -> int:
        return self.due - self.paid

    @property
    def line_code(self) -> str:
        return f"{ARREARS_PREFIX}{self.month:%Y%m}:{self.code}"[:25]

    @property
    def label(self) -> str:
        return f"遡及差額({self.name} {self.month.year}年{self.month.month}月分)"[:50]

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month.strftime("%Y-%m"),
            "code": self.code,
            "name": self.name,
            "paid": self.paid,
            "due": self.due,
            "difference": self.difference,
            "taxable": self.taxable,
            "social_insurance": self.social_insurance,
            "employment_insurance": self.employment_insurance,
        }


def arrears_from_inputs(rows: Iterable[Mapping[str, Any]]) -> list[Arrears]:
    """The ``inputs["arrears"]`` of a payslip back as Arrears (a correction of that month pays
    them again unchanged, so that they cancel)."""
    out = []
    for r in rows or ():
        try:
            year, month = (int(x) for x in str(r["month"]).split("-"))
            out.append(
                Arrears(
                    month=date(year, month, 1),
                    code=str(r["code"]),
                    name=str(r.get("name") or r["code"]),
                    paid=int(r.get("paid") or 0),
                    due=int(r.get("due") or 0),
                    taxable=bool(r.get("taxable", True)),
                    social_insurance=bool(r.get("social_insurance", True)),
                    employment_insurance=bool(r.get("employment_insurance", True)),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return out


@dataclass
class PaidMonth:
    """What was paid for one employee's pay month: the payment lines by component (the original
    payslip plus its confirmed corrections) and the arrears paid for it later, by component."""

    month: date
    lines: dict[str, int] = field(default_factory=dict)
    arrears: dict[str, int] = field(default_factory=dict)

    def paid(self, component: str) -> int:
        return self.lines.get(component, 0) + self.arrears.get(component, 0)


def payment_components(lines: Iterable[Any], item_codes: Iterable[str]) -> dict[str, int]:
    """component → amount of the payment lines that follow the settings (the legal ones and the
    company items named in ``item_codes``, as ``item:<code>``); arrears lines left out."""
    wanted = set(LEGAL_COMPONENTS) | {f"item:{c}" for c in item_codes}
    out: dict[str, int] = {}
    for line in lines:
        if line.kind != "payment" or is_arrears_code(line.code):
            continue
        key = component_of(line.code)
        if key in wanted:
            out[key] = out.get(key, 0) + int(line.amount)
    return out


def arrears_due(*, paid: PaidMonth, recomputed: list[LineOut], item_codes: Iterable[str]) -> list[Arrears]:
    """The differences of one month: today's amount of each component (``recomputed``: the month's
    payment lines as calculation.compute_payslip gives them now) less what was paid for it. Zero
    differences are left out; each carries its component's flags (課税, 報酬, 雇用保険の賃金)."""
    codes = list(item_codes)
    now = payment_components(recomputed, codes)
    before_keys = {k for k in paid.lines if k in set(LEGAL_COMPONENTS) | {f"item:{c}" for c in codes}}
    flags: dict[str, tuple[bool, bool, bool, str]] = {}
    for line in recomputed:
        if line.kind == "payment":
            key = component_of(line.code)
            if key not in flags or line.code == key:
                name = NAMES.get(key, line.name)
                flags[key] = (line.taxable, line.social_insurance, line.employment_insurance, name)
    out: list[Arrears] = []
    for key in sorted(now.keys() | before_keys | set(paid.arrears), key=_order):
        if key not in now and key not in before_keys and key not in paid.arrears:
            continue
        due, before = now.get(key, 0), paid.paid(key)
        if due == before:
            continue
        taxable, si, ei, name = flags.get(key, (key != "commute", True, True, NAMES.get(key, key)))
        out.append(Arrears(paid.month, key, name, before, due, taxable, si, ei))
    return out


def _order(key: str) -> tuple[int, str]:
    return (LEGAL_COMPONENTS.index(key), key) if key in LEGAL_COMPONENTS else (len(LEGAL_COMPONENTS), key)


def arrears_message(items: list[Arrears]) -> str:
    parts = [f"{a.label[5:-1]} {a.difference:+,}円" for a in items]
    total = sum(a.difference for a in items)
    return f"遡及差額を精算します(計 {total:+,}円): " + "、".join(parts)


# ------------------------------------------------------------------------------ 訂正
@dataclass
class PaidSlip:
    """A month's pay as it stands: the original payslip's amount fields and lines, plus every
    confirmed correction of it (their differences added)."""

    fields: dict[str, int] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, code) → amount
    names: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, fields: Mapping[str, Any], lines: Iterable[Any]) -> None:
        for name in AMOUNT_FIELDS:
            self.fields[name] = self.fields.get(name, 0) + int(fields.get(name) or 0)
        for line in lines:
            if line.kind == "info":
                continue
            key = (line.kind, line.code)
            self.lines[key] = self.lines.get(key, 0) + int(line.amount)
            self.names.setdefault(key, line.name)


@dataclass
class Difference:
    fields: dict[str, int]
    lines: list[LineOut]

    @property
    def empty(self) -> bool:
        return not any(self.fields.values()) and not any(line.amount for line in self.lines)


def correction_difference(*, paid: PaidSlip, now: PayslipOut) -> Difference:
    """Every amount field and every payment and deduction line of ``now`` (the month recomputed)
    less ``paid``; a line paid before and absent now comes back negative. INFO lines (勤怠) are
    kept as they are now, for reading."""
    fields = {name: int(now.fields.get(name) or 0) - paid.fields.get(name, 0) for name in AMOUNT_FIELDS}
    seen: set[tuple[str, str]] = set()
    lines: list[LineOut] = []
    for line in now.lines:
        if line.kind == "info":
            lines.append(line)
            continue
        key = (line.kind, line.code)
        if key in seen:  # the same code twice (住民税 and its lump): added into the first
            continue
        seen.add(key)
        amount = sum(int(x.amount) for x in now.lines if (x.kind, x.code) == key)
        diff = amount - paid.lines.get(key, 0)
        if diff:
            lines.append(LineOut(line.kind, line.code, line.name, diff, "", line.taxable, line.sort_order))
    for key, amount in paid.lines.items():
        if key not in seen and amount:
            kind, code = key
            lines.append(LineOut(kind, code, paid.names.get(key, code), -amount, "", False, 999))
    return Difference(fields, lines)
