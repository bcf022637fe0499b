"""Company items whose amount is computed by a 計算式 (payroll.formula), for payments and
deductions: the names a formula may read, and the order in which formulas that read other
formula items are evaluated."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .calculation_inputs import EmployeeInput, ItemInput

__all__ = ["evaluate", "formula_amounts", "formula_names", "in_formula_order", "payment_amounts"]

MINUTES = Decimal(60)


def evaluate(expr: str, names: dict[str, Decimal]) -> int:
    """payroll.formula.evaluate: exact Decimal, whole yen by the 50銭 rule (基発150号)."""
    from ennoshita.payroll import formula

    return int(formula.evaluate(expr, names))


def formula_names(
    e: EmployeeInput, amounts: dict[str, int], item_codes: tuple[str, ...], hourly_base: int
) -> dict[str, Decimal]:
    """What a formula may name (payroll.formula.RUN_FIGURES): ``base`` (the 基本給 as set: 月額,
    日額 or 時間額), ``hourly_base`` (割増賃金の基礎となる1時間あたりの賃金), ``days_worked``,
    ``worked_hours``, ``overtime_hours``, ``absences`` — and every item code of the company, its
    amount on this payslip (0 when the employee has none)."""
    t = e.attendance.totals if e.attendance else None
    names: dict[str, Decimal] = {code: Decimal(0) for code in item_codes}
    names.update({code: Decimal(v) for code, v in amounts.items()})
    names.update(
        {
            "base": Decimal(e.base_pay),
            "hourly_base": Decimal(hourly_base),
            "days_worked": Decimal(t.days_worked if t else 0),
            "worked_hours": Decimal(t.worked if t else 0) / MINUTES,
            "overtime_hours": Decimal(t.overtime if t else 0) / MINUTES,
            "absences": Decimal(t.absences if t else 0),
        }
    )
    return names


def in_formula_order(items: list[ItemInput]) -> tuple[list[ItemInput], list[ItemInput]]:
    """(formula items in an order where each comes after the formula items it reads; those in a
    cycle, which cannot be computed)."""
    from ennoshita.payroll import formula

    pending = {i.code: i for i in items}
    reads = {i.code: formula.names_in(i.formula) & set(pending) - {i.code} for i in items}
    ordered: list[ItemInput] = []
    while pending:
        ready = [i for code, i in pending.items() if not reads[code] & set(pending)]
        if not ready:
            break
        for i in sorted(ready, key=lambda i: (i.sort_order, i.code)):
            ordered.append(i)
            del pending[i.code]
    return ordered, list(pending.values())


def formula_amounts(
    items: list[ItemInput],
    names_of: Callable[[dict[str, int]], dict[str, Decimal]],
    amounts: dict[str, int],
    anomalies: list[dict[str, str]],
) -> dict[str, int]:
    """Evaluate ``items`` in dependency order; each result is available to the next by its code.
    A formula that cannot be computed is 0 and an error on the checklist (the run cannot be
    confirmed until the item is fixed)."""
    out: dict[str, int] = {}
    try:
        ordered, cyclic = in_formula_order(items)
    except ImportError:
        ordered, cyclic = [], items
    for item in cyclic:
        anomalies.append(
            {
                "level": "error",
                "code": "formula",
                "message": f"{item.name}: 計算式が互いを参照していて計算できません。",
            }
        )
    for item in ordered:
        try:
            out[item.code] = evaluate(item.formula, names_of({**amounts, **out}))
        except ImportError:
            message = f"{item.name}: 計算式の機能がまだ使えないため、0円にしています。"
        except (ValueError, ArithmeticError, KeyError, TypeError) as exc:
            message = f"{item.name}: 計算式を計算できません({exc})。"
        else:
            continue
        out[item.code] = 0
        anomalies.append({"level": "error", "code": "formula", "message": message})
    return out


def payment_amounts(lines: list[Any]) -> dict[str, int]:
    """item code → amount of the payment lines of company items so far."""
    return {line.code[5:]: line.amount for line in lines if line.code.startswith("item:")}
