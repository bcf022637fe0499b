"""消耗品の計算: pure functions, no database.

- 単価は移動平均法 (法人税法施行令28条1項1号ヘ の評価方法の一つ): each 入庫 re-averages the item's unit
  cost over the stock on hand and the quantity received, kept to 4 places (四捨五入). An 出庫 is
  costed at the unit cost of the moment, so that consumption by department follows what was paid,
  and the cost of one issue does not depend on which box was opened first.
- 金額 = 数量 × 単価, rounded to whole yen by 四捨五入 (an internal cost allocation: no law fixes the
  rule; 四捨五入 keeps the sum of many small issues closest to the true cost).
- 発注の目安: the 発注数 set on the item, and never less than what brings the stock above the 発注点.
"""

from __future__ import annotations

from decimal import Decimal

from ennoshita.core.money import Rounding, quantize, round_yen

AMOUNT_ROUNDING = Rounding.HALF_UP  # 四捨五入
UNIT_COST_PLACES = 4


def move_amount(*, quantity: int, unit_cost: Decimal) -> Decimal:
    """The whole-yen amount of a move, signed like its quantity (an 出庫 of 3 × ¥12.5 is −¥38)."""
    return round_yen(Decimal(quantity) * unit_cost, AMOUNT_ROUNDING)


def moving_average_cost(
    *, on_hand: int, current_cost: Decimal, received: int, received_cost: Decimal
) -> Decimal:
    """移動平均単価 after receiving ``received`` at ``received_cost`` onto ``on_hand`` at
    ``current_cost``. With nothing on hand the receipt's cost is the new cost."""
    if received <= 0:
        raise ValueError("received must be positive")
    if on_hand <= 0:
        return quantize(received_cost, AMOUNT_ROUNDING, UNIT_COST_PLACES)
    total = Decimal(on_hand) * current_cost + Decimal(received) * received_cost
    return quantize(total / Decimal(on_hand + received), AMOUNT_ROUNDING, UNIT_COST_PLACES)


def is_below_reorder_point(*, on_hand: int, reorder_point: int) -> bool:
    """On the 発注リスト: a reorder point is set and the stock of all places is at or under it."""
    return reorder_point > 0 and on_hand <= reorder_point


def suggested_order_quantity(*, on_hand: int, reorder_point: int, reorder_quantity: int) -> int:
    """How many to order: the item's 発注数, but at least enough to lift the stock above its
    発注点 (with no 発注数 set, up to twice the 発注点)."""
    needed = max(reorder_point - on_hand + 1, 0)
    if reorder_quantity > 0:
        return max(reorder_quantity, needed)
    return max(2 * reorder_point - on_hand, needed)
