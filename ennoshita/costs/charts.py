"""Server-side SVG charts: the geometry of a stacked column chart and of a horizontal bar chart.

Amounts stay Decimal; floats appear only as SVG coordinates, formatted here to one decimal place so
that the template writes them as they are (no locale formatting). The axis is in 円, or in 万円
once its range reaches 10万円 (its ticks are then whole 万円).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.core.money import format_yen

# Tableau 10: distinguishable colours, also in grey scale order
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
MAN = 10_000  # 1万円


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _f(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Rect:
    x: str
    y: str
    width: str
    height: str
    fill: str
    href: str
    title: str


@dataclass(frozen=True)
class Tick:
    pos: str  # y of a column chart, x of a bar chart
    label: str


@dataclass(frozen=True)
class Label:
    x: str
    y: str
    text: str
    sub: str = ""


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    zero: str  # the coordinate of 0 on the value axis
    unit: str
    ticks: list[Tick]
    labels: list[Label]
    rects: list[Rect]
    legend: list[LegendItem]

    @property
    def empty(self) -> bool:
        return not self.rects


def nice_step(span: int, parts: int = 5) -> int:
    """A round step (1, 2 or 5 × 10ⁿ yen) that cuts ``span`` into about ``parts`` ticks."""
    raw = max(1, -(-span // parts))
    power = 10 ** (len(str(raw)) - 1)
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power  # pragma: no cover - the loop always returns


def axis(low: Decimal, high: Decimal) -> tuple[int, int, int, str]:
    """(bottom, top, step, unit) of a value axis that holds low..high and 0."""
    lo, hi = min(int(low), 0), max(int(high), 0)
    if lo == hi:
        hi = 1
    step = nice_step(hi - lo)
    top = (hi + step - 1) // step * step
    bottom = -((-lo + step - 1) // step * step)
    unit = "万円" if top - bottom >= 10 * MAN else "円"
    return bottom, top, step, unit


def tick_label(value: int, unit: str) -> str:
    if unit == "万円":
        return f"{value // MAN:,}" if value % MAN == 0 else f"{Decimal(value) / MAN:,}"
    return f"{value:,}"


def stacked_columns(
    *,
    columns: Sequence[tuple[str, str]],  # (label, sub-label) per column
    series: Sequence[tuple[str, Sequence[Decimal]]],  # (name, amount per column)
    href: Callable[[int, int], str],  # (series index, column index) → link
    title: Callable[[int, int], str],
    width: int = 760,
    height: int = 320,
) -> Chart:
    """A column per month, a segment per series stacked from 0 (negatives below it)."""
    left, right, top_m, bottom_m = 72.0, width - 12.0, 16.0, height - 44.0
    ups = [sum((max(s[1][i], Decimal(0)) for s in series), Decimal(0)) for i in range(len(columns))]
    downs = [sum((min(s[1][i], Decimal(0)) for s in series), Decimal(0)) for i in range(len(columns))]
    bottom, top, step, unit = axis(min(downs, default=Decimal(0)), max(ups, default=Decimal(0)))

    def y(v: Decimal | int) -> float:  # a pixel position: float is for geometry, never for money
        return top_m + float(top - Decimal(v)) / float(top - bottom) * (bottom_m - top_m)

    band = (right - left) / max(len(columns), 1)
    bar = band * 0.62
    rects: list[Rect] = []
    for ci in range(len(columns)):
        up = down = Decimal(0)
        x = left + band * ci + (band - bar) / 2
        for si, (_name, values) in enumerate(series):
            v = values[ci]
            if v == 0:
                continue
            if v > 0:
                y0, y1 = y(up + v), y(up)
                up += v
            else:
                y0, y1 = y(down), y(down + v)
                down += v
            rects.append(
                Rect(_f(x), _f(y0), _f(bar), _f(max(y1 - y0, 0.5)), color(si), href(si, ci), title(si, ci))
            )
    ticks = [Tick(_f(y(v)), tick_label(v, unit)) for v in range(bottom, top + 1, step)]
    labels = [
        Label(_f(left + band * ci + band / 2), _f(bottom_m + 16), text, sub)
        for ci, (text, sub) in enumerate(columns)
    ]
    return Chart(
        width,
        height,
        _f(left),
        _f(right),
        _f(top_m),
        _f(bottom_m),
        _f(y(0)),
        unit,
        ticks,
        labels,
        rects,
        [LegendItem(name, color(si)) for si, (name, _v) in enumerate(series)],
    )


def bars(
    *,
    rows: Sequence[tuple[str, Decimal, str]],  # (label, amount, link)
    width: int = 760,
    row_height: int = 28,
) -> Chart:
    """A horizontal bar per row (a department), from 0 (negatives to the left)."""
    left, right, top_m = 170.0, width - 90.0, 8.0
    height = int(top_m + row_height * max(len(rows), 1) + 30)
    bottom_m = height - 30.0
    bottom, top, step, unit = axis(
        min((r[1] for r in rows), default=Decimal(0)), max((r[1] for r in rows), default=Decimal(0))
    )

    def x(v: Decimal | int) -> float:  # a pixel position: float is for geometry, never for money
        return left + float(Decimal(v) - bottom) / float(top - bottom) * (right - left)

    rects: list[Rect] = []
    labels: list[Label] = []
    for i, (label, amount, link) in enumerate(rows):
        y0 = top_m + row_height * i + row_height * 0.18
        x0, x1 = sorted((x(0), x(amount)))
        labels.append(Label(_f(left - 6), _f(y0 + row_height * 0.45), label, format_yen(amount)))
        if amount != 0:
            rects.append(
                Rect(
                    _f(x0),
                    _f(y0),
                    _f(max(x1 - x0, 0.5)),
                    _f(row_height * 0.64),
                    color(0),
                    link,
                    _("%(label)s %(amount)s") % {"label": label, "amount": format_yen(amount)},
                )
            )
    ticks = [Tick(_f(x(v)), tick_label(v, unit)) for v in range(bottom, top + 1, step)]
    return Chart(
        width, height, _f(left), _f(right), _f(top_m), _f(bottom_m), _f(x(0)), unit, ticks, labels, rects, []
    )
