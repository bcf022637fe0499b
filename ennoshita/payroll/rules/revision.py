"""定時決定 and 随時改定 of the 標準報酬月額 (jp-rules §2.4): pure functions on ints and dates, no
database. The figures and the months used come back with the result so a screen can show the
working.

- 定時決定 (健康保険法41条, 厚生年金保険法21条): the 報酬 paid in April, May and June; a month counts
  when its 支払基礎日数 is 17 or more; the average is the total ÷ the counted months, 円未満切捨て;
  the grade applies from September. パートタイマー (短時間就労者, not a 特定適用事業所の短時間労働者):
  when none of the three months has 17 days, the months with 15 days or more count (日本年金機構
  「算定基礎届の記入・提出ガイドブック」, パートタイマーの算定). The 11-day rule for 短時間労働者 (健康保険法
  41条・厚年法21条 with 被保険者区分 短時間労働者) is not applied here.
- 随時改定 (健康保険法43条, 厚生年金保険法23条): a change of 固定的賃金, then the three months from the
  month of the change each with 17 days or more; their average (円未満切捨て) gives a 健康保険 grade
  2 or more away from the current one, in the same direction as the change of fixed pay (a rise of
  fixed pay with a fall of grade, or the reverse, is no 随時改定: 日本年金機構 随時改定の取扱い); the
  new grade applies from the fourth month.
- 随時改定 at the ends of the 健康保険 table (日本年金機構 「随時改定」: 標準報酬月額の上限・下限にかかる
  場合の取扱い, 昭和36年1月26日保発第4号): a 1-grade change is a 随時改定 when it crosses an end:
  1級 (58,000) whose 報酬月額 was under 53,000 rising to 2級; 2級 falling to 1級 with an average under
  53,000; 49級 rising to 50級 (1,390,000) with an average of 1,415,000 or more; 50級 whose 報酬月額
  was 1,415,000 or more falling to 49級. Read as grades: under 53,000 counts as "grade 0" and
  1,415,000 or more as "grade 51", and the 2-grade test is made on those. The 厚生年金 ends (1級
  88,000 under 83,000; 32級 650,000 from 665,000) sit on 健康保険 grades 3–5 and 34–36, where the
  健康保険 grades already move by 2, so testing the 健康保険 grade covers both.
- 定時決定 is not made (健康保険法41条3項, 厚生年金保険法21条3項) for whoever acquired 被保険者 status
  from 1 June to 1 July, or is revised by a 随時改定 from July, August or September; nor is it made
  for someone not insured on 1 July (41条1項: 7月1日現に使用される被保険者) — see ``annual_exclusion``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .insurance import Grade, standard_remuneration

# 健康保険法41条1項・43条1項, 厚生年金保険法21条1項・23条1項: 報酬支払の基礎となった日数が17日未満の月を除く.
MIN_BASE_DAYS = 17
# 日本年金機構 (パートタイマーの定時決定): 3か月とも17日未満なら15日以上の月で算定.
PART_TIME_MIN_BASE_DAYS = 15
# 随時改定: 従前の標準報酬月額との間に2等級以上の差.
REVISION_GRADE_GAP = 2
ANNUAL_MONTHS = (4, 5, 6)
ANNUAL_APPLIES_MONTH = 9
# 随時改定の特例 at the ends of the 健康保険 table (日本年金機構, 上限・下限の取扱い).
HEALTH_BOTTOM_GRADE = 1
HEALTH_TOP_GRADE = 50
HEALTH_BELOW_BOTTOM = 53_000  # 報酬月額 under this: one grade below 1級 for the 2-grade test
HEALTH_ABOVE_TOP = 1_415_000  # 報酬月額 this or more: one grade above 50級 for the 2-grade test
# 健康保険法41条3項, 厚生年金保険法21条3項: no 定時決定 for these.
EXCLUDED_ACQUIRED = "acquired_june"  # 資格取得 6月1日〜7月1日
EXCLUDED_INTERIM = "interim_july_september"  # 随時改定 from July, August or September
EXCLUDED_NOT_INSURED = "not_insured_july_1"  # not a 被保険者 on 1 July (lost status, or not insured)


@dataclass(frozen=True)
class MonthPay:
    """One pay month: ``month`` is the first day of the month paid, ``remuneration`` its 報酬 for
    社会保険, ``base_days`` its 支払基礎日数, ``fixed_pay_key`` a stable text of the 固定的賃金 (equal
    keys = no change) and ``fixed_pay`` its amount in yen (for the direction of a change)."""

    month: date
    remuneration: int
    base_days: int
    fixed_pay_key: str
    fixed_pay: int


@dataclass(frozen=True)
class Determination:
    """定時決定: ``months`` the April–June months found, ``counted`` those that count."""

    year: int
    months: tuple[MonthPay, ...]
    counted: tuple[MonthPay, ...]
    min_base_days: int
    total: int
    average: int
    grade: Grade
    applies_from: date


@dataclass(frozen=True)
class Revision:
    """随時改定: ``changed_month`` the month the fixed pay changed, ``months`` the three months from it."""

    changed_month: date
    months: tuple[MonthPay, MonthPay, MonthPay]
    total: int
    average: int
    grade: Grade
    current_health_grade: int
    grade_change: int  # new 健康保険 grade − current
    fixed_pay_change: int  # fixed pay of the changed month − the month before
    applies_from: date
    special_case: bool = False  # a 1-grade change at an end of the table (上限・下限の特例)


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _by_month(months: Sequence[MonthPay]) -> dict[date, MonthPay]:
    found: dict[date, MonthPay] = {}
    for m in months:
        key = m.month.replace(day=1)
        if key in found:
            raise ValueError(f"{key:%Y-%m}: 同じ月が2回あります。")
        found[key] = m
    return found


def annual_determination(
    *, months: Sequence[MonthPay], year: int, part_time: bool = False
) -> Determination | None:
    """定時決定 for ``year`` from the pay of April, May and June; None when no month counts."""
    by_month = _by_month(months)
    used = tuple(by_month[d] for m in ANNUAL_MONTHS if (d := date(year, m, 1)) in by_month)
    minimum = MIN_BASE_DAYS
    counted = tuple(m for m in used if m.base_days >= MIN_BASE_DAYS)
    if not counted and part_time:
        minimum = PART_TIME_MIN_BASE_DAYS
        counted = tuple(m for m in used if m.base_days >= PART_TIME_MIN_BASE_DAYS)
    if not counted:
        return None
    total = sum(m.remuneration for m in counted)
    average = total // len(counted)  # 円未満切捨て
    applies_from = date(year, ANNUAL_APPLIES_MONTH, 1)
    return Determination(
        year=year,
        months=used,
        counted=counted,
        min_base_days=minimum,
        total=total,
        average=average,
        grade=standard_remuneration(monthly_remuneration=average, on=applies_from),
        applies_from=applies_from,
    )


def fixed_pay_change(months: Sequence[MonthPay]) -> date | None:
    """The first month whose fixed pay differs from the month before (consecutive months only)."""
    by_month = _by_month(months)
    for month in sorted(by_month):
        before = by_month.get(_add_months(month, -1))
        if before is not None and before.fixed_pay_key != by_month[month].fixed_pay_key:
            return month
    return None


def annual_exclusion(
    *,
    year: int,
    insured: bool = True,
    acquired_on: date | None = None,
    lost_on: date | None = None,
    interim_applies: Sequence[date] = (),
) -> str | None:
    """Why no 定時決定 is made for ``year`` (one of the EXCLUDED_* codes), or None when it is made.

    ``acquired_on``/``lost_on``: the 社会保険 資格取得日/喪失日 (喪失日 = the day after leaving);
    ``interim_applies``: the first months of the person's 随時改定 (found or recorded)."""
    july_1 = date(year, 7, 1)
    if not insured or (lost_on is not None and lost_on <= july_1):
        return EXCLUDED_NOT_INSURED
    if acquired_on is not None and acquired_on > july_1:
        return EXCLUDED_NOT_INSURED
    if acquired_on is not None and date(year, 6, 1) <= acquired_on <= july_1:
        return EXCLUDED_ACQUIRED
    if any(d.year == year and 7 <= d.month <= ANNUAL_APPLIES_MONTH for d in interim_applies):
        return EXCLUDED_INTERIM
    return None


def _health_grade_for_test(grade: int, remuneration: int | None) -> int:
    """The 健康保険 grade for the 2-grade test: 0 under 53,000 at 1級, 51 from 1,415,000 at 50級."""
    if remuneration is None:
        return grade
    if grade == HEALTH_BOTTOM_GRADE and remuneration < HEALTH_BELOW_BOTTOM:
        return HEALTH_BOTTOM_GRADE - 1
    if grade == HEALTH_TOP_GRADE and remuneration >= HEALTH_ABOVE_TOP:
        return HEALTH_TOP_GRADE + 1
    return grade


def interim_revision(
    *, months: Sequence[MonthPay], current_health_grade: int, current_remuneration: int | None = None
) -> Revision | None:
    """随時改定 from the first change of fixed pay in ``months``; None when there is no change, the
    three months are not all there or not all of 17 days or more, the grade moves less than 2, or
    it moves against the change of fixed pay. ``current_remuneration`` is the 報酬月額 the current
    grade was decided on (for the special case at the ends of the table; None: not applied to the
    current grade)."""
    by_month = _by_month(months)
    changed = fixed_pay_change(months)
    if changed is None:
        return None
    three = tuple(by_month.get(_add_months(changed, i)) for i in range(3))
    if any(m is None or m.base_days < MIN_BASE_DAYS for m in three):
        return None
    first, second, third = (m for m in three if m is not None)
    total = first.remuneration + second.remuneration + third.remuneration
    average = total // 3  # 円未満切捨て
    applies_from = _add_months(changed, 3)
    grade = standard_remuneration(monthly_remuneration=average, on=applies_from)
    plain_gap = grade.health_grade - current_health_grade
    gap = _health_grade_for_test(grade.health_grade, average) - _health_grade_for_test(
        current_health_grade, current_remuneration
    )
    pay_change = first.fixed_pay - by_month[_add_months(changed, -1)].fixed_pay
    if plain_gap == 0 or abs(gap) < REVISION_GRADE_GAP or gap * pay_change <= 0:
        return None
    return Revision(
        changed_month=changed,
        months=(first, second, third),
        total=total,
        average=average,
        grade=grade,
        current_health_grade=current_health_grade,
        grade_change=plain_gap,
        fixed_pay_change=pay_change,
        applies_from=applies_from,
        special_case=abs(plain_gap) < REVISION_GRADE_GAP,
    )
