"""36協定: an agreement's own limits, what the law allows an agreement to say, and how close an
employee is to each limit (労基法36条3項〜6項; jp-rules §4.2; 平成30年9月7日基発0907第1号).

Pure functions, no database. Hours are ``int`` or ``Decimal``. The legal breaches themselves come
from :func:`.overtime_limits.overtime_limit_violations` (the function auditors call); this module
adds the agreement's own (possibly lower) figures and the warnings before a limit is reached.

The state of every limit is judged on the figures as they stand (so a screen shows the same level
all month): a yearly figure over its limit stays a breach for the rest of the agreement year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .overtime_limits import (
    AVERAGE_LIMIT,
    MONTH_LIMIT,
    SINGLE_MONTH_LIMIT,
    SPECIAL_MONTHS_ALLOWED,
    SPECIAL_YEAR_LIMIT,
    YEAR_LIMIT,
    _h,
    overtime_limit_violations,
    worst_average,
)
from .rounding import Number, to_decimal

OK, WARNING, BREACH = "ok", "warning", "breach"
LEVEL_RANK = {OK: 0, WARNING: 1, BREACH: 2}

# The limits checked, in the order a screen lists them. The codes are those of
# overtime_limits.Violation, plus ``special_month`` (the 特別条項's own monthly hours).
CODES = ("month_45", "special_month", "month_100", "average_80", "year_360", "year_720", "months_over_45")
# Limits of the agreement year (an alert for them is kept once per year, not once per month).
YEAR_CODES = frozenset({"year_360", "year_720", "months_over_45"})

CODE_LABELS = {
    "month_45": "1か月の限度時間",
    "special_month": "特別条項の1か月の上限",
    "month_100": "単月100時間未満",
    "average_80": "2〜6か月平均80時間以内",
    "year_360": "1年の限度時間",
    "year_720": "特別条項の1年の上限",
    "months_over_45": "限度時間を超えられる回数",
}


@dataclass(frozen=True)
class AgreementLimits:
    """What an agreement says (the fields of attendance.OvertimeAgreement)."""

    monthly_limit: Decimal = MONTH_LIMIT  # 時間外, 法定休日 not included
    yearly_limit: Decimal = YEAR_LIMIT
    special_clause: bool = False
    special_monthly: Decimal | None = None  # 時間外 + 休日 in a month under the 特別条項
    special_yearly: Decimal | None = None  # 時間外 in the year under the 特別条項
    special_months_allowed: int | None = None  # months whose 時間外 may exceed monthly_limit


@dataclass(frozen=True)
class LimitStatus:
    """One limit for the checked month: the figure against the limit, the level, a message for
    the people told, and the rule in plain words with its source."""

    code: str
    level: str  # ok | warning | breach
    hours: Decimal  # hours, an average, or a count of months
    limit: Decimal
    message: str
    rule: str
    span: int = 0  # for average_80: the months of the worst window

    @property
    def percent(self) -> int:
        """The figure as a whole percentage of the limit (rounded down)."""
        if self.limit <= 0:
            return 0
        return int(self.hours * 100 // self.limit)

    @property
    def label(self) -> str:
        return CODE_LABELS[self.code]

    @property
    def figures(self) -> str:
        """ "36 / 45時間", "5 / 6回", "平均82.5 / 80時間(2か月)" for screens."""
        if self.code == "months_over_45":
            return f"{_h(self.hours)} / {_h(self.limit)}回"
        if self.code == "average_80":
            return f"{_h(self.hours)} / {_h(self.limit)}時間({self.span}か月平均)"
        return f"{_h(self.hours)} / {_h(self.limit)}時間"


# ------------------------------------------------------------------------------ the agreement


def agreement_errors(
    *,
    start_date: date | None,
    end_date: date | None,
    monthly_limit: Decimal | None,
    yearly_limit: Decimal | None,
    special_clause: bool,
    special_monthly: Decimal | None,
    special_yearly: Decimal | None,
    special_months_allowed: int | None,
    warning_percent: int | None,
) -> dict[str, list[str]]:
    """What the law refuses in an agreement, by field (empty when it may be saved):
    限度時間 at most 45 h a month and 360 h a year (36条4項); under a 特別条項 the month's 時間外
    and 休日 under 100 h, the year's 時間外 at most 720 h, and at most 6 months over the 限度時間
    (36条5項); a period of at most one year (36条2項2号 "対象期間": 1年間に限る) that starts on the
    first of a month (the months checked are calendar months)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if start_date is not None and start_date.day != 1:
        add("start_date", "起算日は月の初日にしてください(勤怠は暦月で集計しています)。")
    if start_date is not None and end_date is not None:
        if end_date <= start_date:
            add("end_date", "終了日は起算日より後の日にしてください。")
        elif end_date > one_year_end(start_date):
            add(
                "end_date",
                f"36協定の対象期間は1年間までです(労基法36条2項2号)。終了日は{one_year_end(start_date):%Y-%m-%d}"
                "までにしてください。",
            )
    if monthly_limit is not None:
        if monthly_limit <= 0:
            add("monthly_limit_hours", "1か月の限度時間は0より大きい時間にしてください。")
        elif monthly_limit > MONTH_LIMIT:
            add("monthly_limit_hours", "1か月の限度時間は45時間以内にしてください(労基法36条4項)。")
    if yearly_limit is not None:
        if yearly_limit <= 0:
            add("yearly_limit_hours", "1年の限度時間は0より大きい時間にしてください。")
        elif yearly_limit > YEAR_LIMIT:
            add("yearly_limit_hours", "1年の限度時間は360時間以内にしてください(労基法36条4項)。")
    if special_clause:
        if special_monthly is None:
            add("special_monthly_hours", "特別条項の1か月の時間を入力してください(労基法36条5項)。")
        elif special_monthly >= SINGLE_MONTH_LIMIT:
            add(
                "special_monthly_hours",
                "特別条項の1か月の時間(時間外+休日)は100時間未満にしてください(労基法36条5項・6項2号)。",
            )
        elif monthly_limit is not None and special_monthly <= monthly_limit:
            add("special_monthly_hours", "特別条項の1か月の時間は1か月の限度時間より長くしてください。")
        if special_yearly is None:
            add("special_yearly_hours", "特別条項の1年の時間を入力してください(労基法36条5項)。")
        elif special_yearly > SPECIAL_YEAR_LIMIT:
            add("special_yearly_hours", "特別条項の1年の時間は720時間以内にしてください(労基法36条5項)。")
        elif yearly_limit is not None and special_yearly <= yearly_limit:
            add("special_yearly_hours", "特別条項の1年の時間は1年の限度時間より長くしてください。")
        if special_months_allowed is None:
            add("special_months_allowed", "限度時間を超えられる月数を入力してください(労基法36条5項)。")
        elif not 1 <= special_months_allowed <= SPECIAL_MONTHS_ALLOWED:
            add(
                "special_months_allowed",
                "限度時間を超えられる月数は1年について6か月以内にしてください(労基法36条5項)。",
            )
    if warning_percent is not None and not 1 <= warning_percent <= 100:
        add("warning_percent", "警告する割合は1〜100%で入力してください。")
    return errors


def one_year_end(start: date) -> date:
    """The last day of the year that starts on ``start`` (2026-04-01 → 2027-03-31)."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 2月29日
        return start.replace(year=start.year + 1, day=28)


# ------------------------------------------------------------------------------ the check


def _level(hours: Decimal, limit: Decimal, percent: int, *, reached_is_breach: bool = False) -> str:
    over = hours >= limit if reached_is_breach else hours > limit
    if over:
        return BREACH
    if hours * 100 >= limit * percent:
        return WARNING
    return OK


def agreement_status(
    *,
    limits: AgreementLimits,
    warning_percent: int,
    months: Sequence[tuple[Number, Number]],
    earlier_months: Sequence[tuple[Number, Number]] = (),
) -> list[LimitStatus]:
    """Every limit of the agreement for the last month of ``months``: the figure, the limit and
    the level (``warning`` from ``warning_percent`` % of the limit, ``breach`` beyond it).

    ``months`` are the agreement year's months up to the one checked, oldest first, as pairs of
    (時間外, 法定休日) hours; ``earlier_months`` the months just before the agreement year (the
    2〜6か月平均 does not start again with the agreement year, 36条6項3号; at most the last 5 are
    used). The limits:

    - without 特別条項: 時間外 of the month within the agreement's 1か月 (≤ 45 h) and of the year
      within its 1年 (≤ 360 h) (36条3項・4項);
    - with 特別条項: 時間外 + 休日 of the month within the clause's hours (< 100 h), 時間外 of the
      year within its hours (≤ 720 h), and the months whose 時間外 is over the 1か月 限度時間 at most
      the clause's number (≤ 6) (36条5項); the 1か月 限度時間 itself is a warning only (going over
      it uses one of those months);
    - always: 時間外 + 休日 under 100 h in the month (36条6項2号; exactly 100 h is a breach) and at
      most 80 h on average over every window of 2 to 6 months ending with it (36条6項3号; exactly
      80 h is not).

    A legal breach found by ``overtime_limit_violations`` keeps that function's message."""
    if not 1 <= warning_percent <= 100:
        raise ValueError("warning_percent: 警告する割合は1〜100%で入力してください。")
    if not months:
        raise ValueError("months: 判定する月を少なくとも1か月入れてください。")
    rows = _rows(months, "months")
    before = _rows(earlier_months, "earlier_months")[-5:]
    overtime, holiday = rows[-1]
    both = overtime + holiday
    year = sum((o for o, _ in rows), Decimal(0))
    pct = warning_percent
    out: list[LimitStatus] = []

    monthly = to_decimal(limits.monthly_limit, "monthly_limit")
    if limits.special_clause:
        allowed = limits.special_months_allowed or 0
        special_monthly = to_decimal(limits.special_monthly or 0, "special_monthly")
        special_yearly = to_decimal(limits.special_yearly or 0, "special_yearly")
        level = OK if _level(overtime, monthly, pct) == OK else WARNING
        out.append(
            LimitStatus(
                "month_45",
                level,
                overtime,
                monthly,
                f"今月の時間外労働が{_h(overtime)}時間で、1か月の限度時間{_h(monthly)}時間"
                + ("を超え、特別条項の月になっています。" if overtime > monthly else "に近づいています。"),
                f"時間外労働は原則1か月{_h(monthly)}時間まで。超えられるのは特別条項の年{allowed}回まで"
                "(36協定・労基法36条4項・5項)。",
            )
        )
        out.append(
            _status(
                "special_month",
                both,
                special_monthly,
                pct,
                f"今月の時間外労働と休日労働の合計が{_h(both)}時間で、特別条項の1か月{_h(special_monthly)}時間",
                f"特別条項でも、時間外労働と休日労働の合計は1か月{_h(special_monthly)}時間まで"
                "(36協定・労基法36条5項)。",
            )
        )
    else:
        out.append(
            _status(
                "month_45",
                overtime,
                monthly,
                pct,
                f"今月の時間外労働が{_h(overtime)}時間で、1か月の限度時間{_h(monthly)}時間",
                f"時間外労働は1か月{_h(monthly)}時間まで(36協定の限度時間・労基法36条4項)。",
            )
        )
    out.append(
        _status(
            "month_100",
            both,
            SINGLE_MONTH_LIMIT,
            pct,
            f"今月の時間外労働と休日労働の合計が{_h(both)}時間で、法律の上限の100時間未満",
            "時間外労働と休日労働の合計は、毎月100時間未満でなければなりません(労基法36条6項2号)。",
            reached_is_breach=True,
        )
    )
    worst = worst_average([*before, *rows])
    if worst is not None:
        span, average = worst
        out.append(
            _status(
                "average_80",
                average,
                AVERAGE_LIMIT,
                pct,
                f"時間外労働と休日労働の{span}か月平均が{_h(average)}時間で、法律の上限の平均80時間",
                "時間外労働と休日労働の合計は、直近2〜6か月のどの平均も80時間以内でなければなりません"
                "(労基法36条6項3号)。",
                span=span,
            )
        )
    if limits.special_clause:
        out.append(
            _status(
                "year_720",
                year,
                special_yearly,
                pct,
                f"協定年度の時間外労働が{_h(year)}時間で、特別条項の1年{_h(special_yearly)}時間",
                f"特別条項でも、時間外労働は1年{_h(special_yearly)}時間まで(36協定・労基法36条5項)。",
            )
        )
        count = Decimal(sum(1 for o, _ in rows if o > monthly))
        out.append(
            _status(
                "months_over_45",
                count,
                Decimal(allowed),
                pct,
                f"1か月の限度時間{_h(monthly)}時間を超えた月が年{count}回で、特別条項で認められる年{allowed}回",
                f"時間外労働が1か月{_h(monthly)}時間を超えてよいのは1年に{allowed}回まで"
                "(36協定の特別条項・労基法36条5項)。",
            )
        )
    else:
        yearly = to_decimal(limits.yearly_limit, "yearly_limit")
        out.append(
            _status(
                "year_360",
                year,
                yearly,
                pct,
                f"協定年度の時間外労働が{_h(year)}時間で、1年の限度時間{_h(yearly)}時間",
                f"時間外労働は1年{_h(yearly)}時間まで(36協定の限度時間・労基法36条4項)。",
            )
        )
    return _with_legal_breaches(out, rows, before, limits.special_clause)


def findings(
    *,
    limits: AgreementLimits,
    warning_percent: int,
    months: Sequence[tuple[Number, Number]],
    earlier_months: Sequence[tuple[Number, Number]] = (),
) -> list[LimitStatus]:
    """The warnings and breaches of :func:`agreement_status` (the limits not at ``ok``)."""
    return [
        s
        for s in agreement_status(
            limits=limits, warning_percent=warning_percent, months=months, earlier_months=earlier_months
        )
        if s.level != OK
    ]


def hours_text(hours: Decimal) -> str:
    """Hours for people: 45, 45.5, 82.33 (at most two decimals, no trailing zeros)."""
    return _h(hours)


def worst_level(statuses: Sequence[LimitStatus]) -> str:
    return max((s.level for s in statuses), key=LEVEL_RANK.__getitem__, default=OK)


def _rows(months: Sequence[tuple[Number, Number]], name: str) -> list[tuple[Decimal, Decimal]]:
    rows = [
        (to_decimal(o, f"{name}[{i}] overtime"), to_decimal(h, f"{name}[{i}] holiday"))
        for i, (o, h) in enumerate(months)
    ]
    for i, (o, h) in enumerate(rows):
        if o < 0 or h < 0:
            raise ValueError(f"{name}[{i}]: 時間は0以上で入れてください。")
    return rows


def _status(
    code: str,
    hours: Decimal,
    limit: Decimal,
    pct: int,
    said: str,
    rule: str,
    *,
    reached_is_breach: bool = False,
    span: int = 0,
) -> LimitStatus:
    level = _level(hours, limit, pct, reached_is_breach=reached_is_breach)
    if level == BREACH:
        ending = "に達しています。" if reached_is_breach else "を超えています。"
    elif level == WARNING:
        ending = f"の{pct}%以上に近づいています。"
    else:
        ending = "の範囲内です。"
    return LimitStatus(code, level, hours, limit, said + ending, rule, span)


def _with_legal_breaches(
    out: list[LimitStatus],
    rows: list[tuple[Decimal, Decimal]],
    before: list[tuple[Decimal, Decimal]],
    special_clause: bool,
) -> list[LimitStatus]:
    """The legal limits as overtime_limit_violations judges them (its message wins): the year's
    codes on the agreement year's months, the 80 h average also on the months before it."""
    legal = {v.code: v for v in overtime_limit_violations(months=rows, special_clause=special_clause)}
    legal.pop("average_80", None)
    legal.update(
        {
            v.code: v
            for v in overtime_limit_violations(months=[*before, *rows][-6:], special_clause=special_clause)
            if v.code == "average_80"
        }
    )
    result = []
    for s in out:
        found = legal.get(s.code)
        if found is not None and not (s.code == "month_45" and special_clause):
            s = LimitStatus(s.code, BREACH, s.hours, s.limit, found.message, s.rule, s.span)
        result.append(s)
    return result
