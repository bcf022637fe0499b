"""costs.charts: the axis and the geometry of the server-side SVG charts."""

from __future__ import annotations

from decimal import Decimal

from ennoshita.costs import charts

Y = Decimal


def test_nice_steps_and_axes_in_yen_or_man_yen():
    assert [charts.nice_step(s) for s in (1, 7, 45, 100, 101, 600, 147500)] == [1, 2, 10, 20, 50, 200, 50000]
    assert charts.axis(Y(0), Y(147500)) == (0, 150000, 50000, "万円")
    assert charts.axis(Y(-3000), Y(9000)) == (-5000, 10000, 5000, "円")
    bottom, top, step, unit = charts.axis(Y(-3000), Y(147500))
    assert (bottom, top, unit) == (-50000, 150000, "万円") and step == 50000
    assert charts.axis(Y(0), Y(0)) == (0, 1, 1, "円")  # nothing to show: still a valid axis
    assert charts.tick_label(150000, "万円") == "15" and charts.tick_label(-50000, "万円") == "-5"
    assert charts.tick_label(2500, "円") == "2,500"


def test_stacked_columns_put_credits_below_zero_and_link_every_segment():
    chart = charts.stacked_columns(
        columns=[("10月", ""), ("11月", "")],
        series=[("通信費", [Y(10000), Y(13500)]), ("旅費交通費", [Y(-3000), Y(0)])],
        href=lambda s, c: f"/d/{s}/{c}",
        title=lambda s, c: f"t{s}{c}",
    )
    assert [r.href for r in chart.rects] == ["/d/0/0", "/d/1/0", "/d/0/1"]  # a zero draws nothing
    zero = float(chart.zero)
    pos, neg, _ = chart.rects
    assert abs(float(pos.y) + float(pos.height) - zero) < 0.11  # stands on the axis
    assert abs(float(neg.y) - zero) < 0.11 and float(neg.height) > 0  # hangs below it
    assert float(chart.rects[2].height) > float(pos.height)  # 13,500 is taller than 10,000
    assert [t.label for t in chart.ticks] == ["-5,000", "0", "5,000", "10,000", "15,000"]
    assert [item.label for item in chart.legend] == ["通信費", "旅費交通費"]


def test_bars_are_proportional_and_titled():
    chart = charts.bars(rows=[("総務部", Y(120000), "/a"), ("営業部", Y(18500), "/b"), ("なし", Y(0), "/c")])
    assert [r.title for r in chart.rects] == ["総務部 ¥120,000", "営業部 ¥18,500"]
    ratio = float(chart.rects[1].width) / float(chart.rects[0].width)
    assert abs(ratio - 18500 / 120000) < 0.01
    assert [lb.sub for lb in chart.labels] == ["¥120,000", "¥18,500", "¥0"]
