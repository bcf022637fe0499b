"""社会保険料・雇用保険料 step by step (jp-rules §2): each ``*_steps`` function runs the same code as
its calculation in :mod:`ennoshita.payroll.rules.insurance` and returns what it did, step by step, with
the law or table each step rests on. Re-exported from that module, so callers import them from there.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ennoshita.payroll.rules.insurance import (
    CHILD_SUPPORT_FIRST_MONTH,
    DatedTable,
    UnionRates,
    _bonus,
    _Calc,
    _date_arg,
    _day_label,
    _employment,
    _fiscal_year,
    _month_label,
    _monthly,
    _pick,
    _yen_arg,
    employment_insurance,
    standard_remuneration,
)
from ennoshita.payroll.rules.steps import Step


def _yen(amount: Decimal | int) -> str:
    text = f"{amount:,}" if isinstance(amount, int) else f"{amount.normalize():,f}"
    return f"{text}円"


def _pct(rate: Decimal) -> str:
    return f"{rate}%"


def _permille(rate: Decimal) -> str:
    return f"1000分の{rate.normalize():f}"


def standard_remuneration_steps(*, monthly_remuneration: int | Decimal, on: date) -> list[Step]:
    grade = standard_remuneration(monthly_remuneration=monthly_remuneration, on=on)
    day = _date_arg("on", on)
    health = _pick("health_grades", day, _day_label(day))
    pension = _pick("pension_grades", day, _day_label(day))
    amount = _yen_arg("monthly_remuneration", monthly_remuneration)

    def span(table: DatedTable, grade_no: int) -> str:
        row = next(r for r in table.data["rows"] if r["grade"] == grade_no)
        below = f"{row['below']:,}円未満" if row["below"] is not None else "上限なし"
        return f"{row['from']:,}円以上 {below}"

    return [
        Step("報酬月額", _yen(amount), "健康保険法3条5項・厚生年金保険法3条1項3号(報酬)"),
        Step(
            "健康保険の等級",
            f"第{grade.health_grade}級 {_yen(grade.health_standard)}({span(health, grade.health_grade)})",
            f"健康保険法40条1項; {health.label}",
        ),
        Step(
            "厚生年金保険の等級",
            f"第{grade.pension_grade}級 {_yen(grade.pension_standard)}({span(pension, grade.pension_grade)})",
            f"厚生年金保険法20条1項; {pension.label}",
        ),
    ]


def _health_steps(calc: _Calc, health_basis: str) -> list[Step]:
    """健康保険料 (介護込み when it applies): 協会けんぽ's 都道府県 rate split in half, or a 健康保険組合's
    own rates and its own split (健康保険法160条・162条)."""
    p = calc.premiums
    u = calc.union
    if u is None:
        assert calc.kyoukai is not None
        return [
            Step(
                f"健康保険料率({calc.prefecture}{'・介護込み' if calc.care_applies else ''})",
                _pct(calc.combined_rate)
                + (f" = {_pct(calc.health_rate)} + {_pct(calc.care_rate)}" if calc.care_applies else ""),
                f"健康保険法160条; {calc.kyoukai.label}",
            ),
            Step(
                "健康保険料(全額)",
                f"{health_basis} × {_pct(calc.combined_rate)} = {_yen(calc.health_total)}",
                "健康保険法156条1項",
            ),
            Step(
                "健康保険料 本人負担(50銭以下切捨て・50銭超切上げ)/会社負担",
                f"{_yen(calc.health_employee_total)} → {_yen(p.health)} / {_yen(p.employer_health)}",
                "健康保険法161条1項・167条1項; 会社負担=全額(円未満切捨て)−本人負担、納入告知書で照合",
            ),
        ]
    name = u.name or "健康保険組合"
    total = u.health_rate + (u.care_rate if calc.care_applies else 0)
    employee = u.health_employee_rate + (u.care_employee_rate if calc.care_applies else 0)
    return [
        Step(
            f"健康保険料率({name}{'・介護込み' if calc.care_applies else ''})",
            _permille(total)
            + (f" = {_permille(u.health_rate)} + {_permille(u.care_rate)}" if calc.care_applies else ""),
            "健康保険法160条(健康保険組合が定める料率)",
        ),
        Step(
            "うち被保険者負担の率",
            _permille(employee)
            + (
                f" = {_permille(u.health_employee_rate)} + {_permille(u.care_employee_rate)}"
                if calc.care_applies
                else ""
            ),
            "健康保険法162条(組合の規約による負担割合の特例)",
        ),
        Step(
            "健康保険料(全額)",
            f"{health_basis} × {_permille(total)} = {_yen(calc.health_total)}",
            "健康保険法156条1項",
        ),
        Step(
            "健康保険料 本人負担(50銭以下切捨て・50銭超切上げ)/会社負担",
            f"{health_basis} × {_permille(employee)} = {_yen(calc.health_employee_total)}"
            f" → {_yen(p.health)} / {_yen(p.employer_health)}",
            "健康保険法162条・167条1項; 会社負担=全額(円未満切捨て)−本人負担、納入告知書で照合",
        ),
    ]


def _premium_steps(calc: _Calc, health_basis: str, pension_basis: str) -> list[Step]:
    p = calc.premiums
    care = (
        f"対象({_month_label(calc.care_from)}〜{_month_label(calc.care_until - timedelta(days=1))})"
        if calc.care_applies
        else f"対象外(対象は{_month_label(calc.care_from)}〜{_month_label(calc.care_until - timedelta(days=1))})"
    )
    child_rule = (
        calc.child_table.label
        if calc.child_table
        else f"子ども・子育て支援金は{_month_label(CHILD_SUPPORT_FIRST_MONTH)}から"
    )
    return [
        Step("保険料の月", _month_label(calc.month), "健康保険法156条1項・厚生年金保険法81条2項(各月につき)"),
        Step(
            "介護保険(第2号被保険者)",
            care,
            "介護保険法9条・10条(40歳・65歳に達した日=誕生日の前日)、健康保険法156条1項・2項",
        ),
        *_health_steps(calc, health_basis),
        Step(
            "子ども・子育て支援金(全額 → 本人/会社)",
            f"{health_basis} × {_pct(calc.child_rate)} = {_yen(calc.child_total)}"
            f" → {_yen(p.child_support)} / {_yen(p.employer_child_support)}",
            f"{child_rule}; 健康保険とは別に端数処理"
            + ("; 健康保険組合も国の支援金率で計算" if calc.union is not None else ""),
        ),
        Step(
            "厚生年金保険料(全額 → 本人/会社)",
            f"{pension_basis} × {_pct(calc.pension_rate)} = {_yen(calc.pension_total)}"
            f" → {_yen(p.pension)} / {_yen(p.employer_pension)}",
            f"厚生年金保険法81条4項・82条1項・84条1項; {calc.pension_table.label}",
        ),
        Step(
            "子ども・子育て拠出金(会社のみ、円未満切捨て)",
            f"{pension_basis} × {_pct(calc.contribution_rate)} = {_yen(calc.contribution_total)}"
            f" → {_yen(p.employer_child_contribution)}",
            f"子ども・子育て支援法69条・70条; {calc.contribution_table.label}",
        ),
        Step(
            "本人負担の合計",
            _yen(p.health + p.child_support + p.pension),
            "健康保険+子ども・子育て支援金+厚生年金",
        ),
    ]


def social_insurance_steps(
    *,
    standard_monthly: int | Decimal,
    prefecture: str,
    birth_date: date,
    month: date,
    insurer: UnionRates | None = None,
) -> list[Step]:
    calc = _monthly(
        standard_monthly=standard_monthly,
        prefecture=prefecture,
        birth_date=birth_date,
        month=month,
        insurer=insurer,
    )
    grade_step = Step(
        "標準報酬月額(健康保険/厚生年金)",
        f"{_yen(calc.health_base)} / {_yen(calc.pension_base)}",
        "健康保険法40条1項・厚生年金保険法20条1項(厚年は第1級88,000円〜最高等級で頭打ち)",
    )
    return [
        grade_step,
        *_premium_steps(
            calc, f"標準報酬月額 {_yen(calc.health_base)}", f"標準報酬月額 {_yen(calc.pension_base)}"
        ),
    ]


def bonus_social_insurance_steps(
    *,
    bonus: int | Decimal,
    prefecture: str,
    birth_date: date,
    month: date,
    standard_bonus_so_far_this_fiscal_year: int | Decimal = 0,
    insurer: UnionRates | None = None,
) -> list[Step]:
    calc, remaining, annual_cap, monthly_cap = _bonus(
        bonus=bonus,
        prefecture=prefecture,
        birth_date=birth_date,
        month=month,
        so_far=standard_bonus_so_far_this_fiscal_year,
        insurer=insurer,
    )
    year = _fiscal_year(calc.month)
    return [
        Step(
            "標準賞与額(1,000円未満切捨て)",
            f"{_yen(_yen_arg('bonus', bonus))} → {_yen(calc.premiums.standard_bonus)}",
            "健康保険法45条1項・厚生年金保険法24条の4第1項",
        ),
        Step(
            f"健康保険の標準賞与額({year}年度の累計{_yen(annual_cap)}まで)",
            f"残り {_yen(remaining)} → {_yen(calc.health_base)}",
            "健康保険法45条1項(年度=4月〜翌3月の累計、介護保険・子ども・子育て支援金も同じ額)",
        ),
        Step(
            f"厚生年金保険の標準賞与額(1か月{_yen(monthly_cap)}まで)",
            _yen(calc.pension_base),
            "厚生年金保険法24条の4第1項(子ども・子育て拠出金も同じ額)",
        ),
        *_premium_steps(
            calc, f"標準賞与額 {_yen(calc.health_base)}", f"標準賞与額 {_yen(calc.pension_base)}"
        ),
    ]


def employment_insurance_steps(
    *, wages: int | Decimal, business: str = "一般", closing_date: date
) -> list[Step]:
    result = employment_insurance(wages=wages, business=business, closing_date=closing_date)
    amount, table, rate = _employment(wages=wages, business=business, closing_date=closing_date)
    exact = amount * rate / 1000
    return [
        Step("賃金(通勤手当・残業代・賞与を含む支払総額)", _yen(amount), "労働保険徴収法2条2項・11条2項"),
        Step(
            f"雇用保険料率({business}の事業、労働者負担)",
            f"{rate}/1000",
            f"賃金締切日 {_day_label(_date_arg('closing_date', closing_date))} の年度; {table.label}",
        ),
        Step(
            "労働者負担(50銭以下切捨て・50銭超切上げ)",
            f"{_yen(amount)} × {rate}/1000 = {_yen(exact)} → {_yen(result)}",
            "労働保険徴収法31条1項・32条1項(賃金から控除); jp-rules §2.3",
        ),
    ]
