"""The 算定基礎届 and the 月額変更届 as CSV: one line per person, the columns in the order of the
日本年金機構 forms, for transcribing onto the form or into the 届書作成プログラム. Made from the rows of
``selectors.revisions`` (the confirmed payslips), leaving out the rows excluded by law.

What the forms ask and we do not model is left empty and said so here:
- 報酬月額(現物): 0 — 現物給与 (meals, housing, commuter passes given in kind) is not modelled; the
  通貨 column is what the payslips paid as 社会保険の報酬 (``Payslip.social_insurance_wage``).
- 遡及支払額 and 修正平均額: empty — back pay of an earlier month is not told apart on a payslip.
- 二以上勤務 and 短時間労働者 (特定適用事業所): empty — neither is recorded per employee.
- 個人番号/基礎年金番号: not written — マイナンバー stays in 人事's encrypted record.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core.dates import to_wareki, wareki_year
from ennoshita.payroll.rules.revision import MIN_BASE_DAYS

from .revisions import RevisionRow

# 日本年金機構 様式: 「健康保険・厚生年金保険 被保険者報酬月額算定基礎届/70歳以上被用者算定基礎届」 and
# 「健康保険・厚生年金保険 被保険者報酬月額変更届/70歳以上被用者月額変更届」: ① 被保険者整理番号,
# ② 被保険者氏名, ③ 生年月日, ④ 適用年月 (月額変更届: 改定年月), ⑤ 従前の標準報酬月額 (健保・厚年, 千円),
# ⑥ 従前改定月, ⑦ 昇(降)給 (月, 1.昇給 2.降給), ⑧ 遡及支払額 (月, 円), ⑨ 給与支給月, ⑩ 給与計算の基礎日数,
# ⑪ 報酬月額 (ア 通貨によるものの額, イ 現物によるものの額, ウ 合計), ⑫ 総計, ⑬ 平均額, ⑭ 修正平均額,
# ⑱ 備考 (70歳以上被用者, 二以上勤務, 短時間労働者, パート, その他). ⑨–⑪ repeat for the three months
# (算定基礎届: 4月・5月・6月; 月額変更届: the three months from the change of fixed pay).
# This is the one place the column order is written; ``_values`` fills each column by its name.
MONTH_FIELDS = (
    "給与支給月",
    "給与計算の基礎日数",
    "報酬月額(通貨)",
    "報酬月額(現物)",
    "報酬月額(合計)",
)
HEAD_FIELDS = (
    "被保険者整理番号",
    "被保険者氏名",
    "生年月日",
    "{applies}",
    "従前の標準報酬月額(健保・千円)",
    "従前の標準報酬月額(厚年・千円)",
    "従前改定月",
    "昇(降)給月",
    "昇(降)給",
    "遡及支払月",
    "遡及支払額",
)
TAIL_FIELDS = (
    "総計",
    "平均額",
    "修正平均額",
    "70歳以上被用者",
    "二以上勤務",
    "短時間労働者",
    "パート",
    "備考",
)
ANNUAL_MONTHS = ("4月", "5月", "6月")
INTERIM_MONTHS = ("1か月目", "2か月目", "3か月目")
ANNUAL_APPLIES = "適用年月"
INTERIM_APPLIES = "改定年月"
SEVENTY = 70


def layout(kind: str) -> list[str]:
    """The header line of the 算定基礎届 (kind "annual") or the 月額変更届 (kind "interim")."""
    applies = ANNUAL_APPLIES if kind == "annual" else INTERIM_APPLIES
    months = ANNUAL_MONTHS if kind == "annual" else INTERIM_MONTHS
    head = [f.format(applies=applies) for f in HEAD_FIELDS]
    middle = [f"{m} {f}" for m in months for f in MONTH_FIELDS]
    return [*head, *middle, *TAIL_FIELDS]


def wareki_month(day: date | None) -> str:
    """2026-09-01 → "令和8年9月" (the forms write years in 和暦)."""
    return f"{wareki_year(day)}{day.month}月" if day else ""


def seventy_or_over(birth_date: date | None, on: date) -> bool:
    """70 or over on ``on``: one reaches an age the day before the birthday (年齢計算ニ関スル法律)."""
    if birth_date is None:
        return False
    try:
        birthday = birth_date.replace(year=birth_date.year + SEVENTY)
    except ValueError:  # 29 February
        birthday = date(birth_date.year + SEVENTY, 3, 1)
    return on >= birthday - timedelta(days=1)


def _remarks(row: RevisionRow) -> str:
    notes: list[str] = []
    if row.kind == "annual":
        short = [f"{c.month.month}月" for c in row.months if not c.counted]
        if short:
            notes.append(_("%(months)sは支払基礎日数が足りないため除外") % {"months": "・".join(short)})
        if row.part_time and any(c.counted and c.base_days < MIN_BASE_DAYS for c in row.months):
            notes.append(_("15日以上の月で算定"))
    else:
        if row.pay_change_month:
            notes.append(
                _("昇(降)給差 %(diff)s円(%(month)s)")
                % {"diff": f"{row.pay_change:+,}", "month": wareki_month(row.pay_change_month)}
            )
        if row.current and row.current.pension_grade == row.new.pension_grade:
            notes.append(_("健康保険のみ月額変更"))
        if row.special_case:
            notes.append(_("上限・下限の等級の特例(1等級差)"))
    return "、".join(notes)


def _values(row: RevisionRow) -> dict[str, Any]:
    applies = ANNUAL_APPLIES if row.kind == "annual" else INTERIM_APPLIES
    current = row.current
    values: dict[str, Any] = {
        "被保険者整理番号": row.insured_number,
        "被保険者氏名": row.employee_name,
        "生年月日": to_wareki(row.birth_date) if row.birth_date else "",
        applies: wareki_month(row.applies_from),
        "従前の標準報酬月額(健保・千円)": current.health_standard // 1000 if current else "",
        "従前の標準報酬月額(厚年・千円)": current.pension_standard // 1000 if current else "",
        "従前改定月": wareki_month(current.effective_from) if current else "",
        "昇(降)給月": f"{row.pay_change_month.month}月" if row.pay_change_month else "",
        "昇(降)給": (_("昇給") if row.pay_change > 0 else _("降給")) if row.pay_change_month else "",
        "遡及支払月": "",
        "遡及支払額": "",
        "総計": row.total,
        "平均額": row.average,
        "修正平均額": "",
        "70歳以上被用者": "○" if seventy_or_over(row.birth_date, row.applies_from) else "",
        "二以上勤務": "",
        "短時間労働者": "",
        "パート": "○" if row.part_time else "",
        "備考": _remarks(row),
    }
    labels = ANNUAL_MONTHS if row.kind == "annual" else INTERIM_MONTHS
    cells = {c.month.month: c for c in row.months}
    for i, label in enumerate(labels):
        if row.kind == "annual":
            cell = cells.get(4 + i)
            month_number = 4 + i
        else:
            cell = row.months[i] if i < len(row.months) else None
            month_number = cell.month.month if cell else 0
        values[f"{label} 給与支給月"] = f"{month_number}月" if month_number else ""
        if cell is None:
            continue
        values[f"{label} 給与計算の基礎日数"] = cell.base_days
        values[f"{label} 報酬月額(通貨)"] = cell.remuneration
        values[f"{label} 報酬月額(現物)"] = 0  # 現物給与 not modelled
        values[f"{label} 報酬月額(合計)"] = cell.remuneration
    return values


def filing_rows(kind: str, rows: list[RevisionRow]) -> Iterator[list[Any]]:
    """The header and a line per person not excluded by law, in 被保険者整理番号 order (then 社員番号)."""
    header = layout(kind)
    yield header
    chosen = [r for r in rows if r.kind == kind and not r.excluded]
    chosen.sort(key=lambda r: (r.insured_number == "", r.insured_number.zfill(10), r.employee_number))
    for row in chosen:
        values = _values(row)
        yield [values.get(name, "") for name in header]


__all__ = ["filing_rows", "layout", "seventy_or_over", "wareki_month"]
