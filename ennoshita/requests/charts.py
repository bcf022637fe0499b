"""The cost report's chart, drawn on the server as SVG geometry (integers only; the template draws
it): one row per team and month, a bar for the cost, and for an outside team a second, lighter bar
for what the same hours would have cost in-house."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ennoshita.core.money import format_yen

from .selectors.costs import MonthRow

WIDTH = 720
LABEL = 220
RIGHT = 110
ROW = 34
TOP = 10


def month_bars(rows: list[MonthRow]) -> dict[str, Any] | None:
    if not rows:
        return None
    top = max([r.cost for r in rows] + [r.inhouse_cost or Decimal(0) for r in rows]) or Decimal(1)
    span = WIDTH - LABEL - RIGHT
    bars = []
    for i, r in enumerate(rows):
        y = TOP + i * ROW
        cost_w = int(Decimal(span) * r.cost / top)
        inhouse_w = int(Decimal(span) * r.inhouse_cost / top) if r.inhouse_cost is not None else None
        bars.append(
            {
                "label": f"{r.month:%Y-%m} {r.team_name}",
                "y": y,
                "text_y": y + 12,
                "cost_w": max(cost_w, 1),
                "cost": format_yen(r.cost),
                "inhouse_y": y + 14,
                "inhouse_w": inhouse_w,
                "inhouse": format_yen(r.inhouse_cost) if r.inhouse_cost is not None else "",
            }
        )
    return {
        "width": WIDTH,
        "height": TOP * 2 + ROW * len(rows),
        "left": LABEL,
        "value_x": WIDTH - RIGHT + 6,
        "bars": bars,
    }
