"""住民税 特別徴収の月割額 (jp-rules §3).

The amounts to deduct come from the municipality's 特別徴収税額の決定通知書 and are stored as
printed; this function reproduces the rule the notice follows, for the simulator and to check a
notice that was typed in:

- 地方税法321条の5第1項: the year's 特別徴収税額 is collected in 12 installments, June to May.
- 地方税法20条の4の2第6項・第8項: each installment is the annual ÷ 12 with its 100円未満 dropped,
  and the 端数 all go into the first installment (June).

Decisions:

- An annual below 1,200円 makes the ÷ 12 installment 0円 after the 100円未満 truncation, so June
  takes the whole amount and July–May are 0 (1,000 → (1,000, 0)). That follows from the two
  rules above alone, with no special case.
- 地方税法321条の5第1項ただし書 (an annual at or below the 均等割 equivalent collected otherwise
  than in 12 installments) is not applied: it turns on the municipality's 均等割 and its own
  choice, which this function does not know and jp-rules states only in summary. When a notice
  does that, store the notice's amounts as printed.
- The annual is normally a multiple of 100円 (地方税法20条の4の2第3項, 確定金額の100円未満切捨て);
  any whole yen is accepted and the arithmetic still sums to the annual exactly.
"""

from __future__ import annotations

from decimal import Decimal

from ennoshita.payroll.rules.steps import Step

INSTALLMENTS = 12  # 地方税法321条の5第1項: 6月から翌年5月まで
INSTALLMENT_UNIT = 100  # 地方税法20条の4の2第6項・第8項: 100円未満の端数は最初の月へ


def _annual_arg(value: object) -> int:
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("annual: 0以上の整数(円)で入れてください。")
    return value


def resident_tax_installments(*, annual: int | Decimal) -> tuple[int, int]:
    """(June's amount, each of July–May) for an annual 特別徴収税額: 250,300 → (21,500, 20,800)."""
    total = _annual_arg(annual)
    monthly = total // INSTALLMENTS // INSTALLMENT_UNIT * INSTALLMENT_UNIT
    return total - monthly * (INSTALLMENTS - 1), monthly


def resident_tax_installments_steps(*, annual: int | Decimal) -> list[Step]:
    june, monthly = resident_tax_installments(annual=annual)
    total = _annual_arg(annual)
    return [
        Step("特別徴収税額(年税額)", f"{total:,}円", "特別徴収税額の決定通知書(地方税法321条の5第1項)"),
        Step(
            "7月〜翌5月の各月(12分の1、100円未満切捨て)",
            f"{total:,}円 ÷ {INSTALLMENTS} → {monthly:,}円",
            "地方税法321条の5第1項・20条の4の2第6項・第8項",
        ),
        Step(
            "6月(端数をまとめて徴収)",
            f"{total:,}円 − {monthly:,}円 × {INSTALLMENTS - 1} = {june:,}円",
            "地方税法20条の4の2第6項・第8項(端数は最初の納期へ)",
        ),
    ]
