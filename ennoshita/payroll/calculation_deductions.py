"""The deductions of one employee's pay (社会保険料, 雇用保険料, 源泉所得税, 住民税, company
deductions), the net pay, its transfer, and the checklist figures (calculation.py calls it)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ennoshita.payroll import rules
from ennoshita.payroll.rules import resident_tax_leaving

from .calculation_inputs import EmployeeInput, GradeInput, LineOut, RunContext, insurer_at, insurer_record

__all__ = ["add_deductions", "insurance_months", "is_last_pay", "lost_on", "month_add"]


def month_add(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _month_end(month: date) -> date:
    return month_add(month, 1) - timedelta(days=1)


def lost_on(e: EmployeeInput) -> date | None:
    """社会保険の資格喪失日: as recorded, or — for a leaver whose 喪失日 was not entered — the day
    after the 退職日 (健康保険法36条2号, 厚生年金保険法18条の2・14条2号: 資格は退職の日の翌日に喪失)."""
    if e.si_lost_on is not None:
        return e.si_lost_on
    return e.retire_date + timedelta(days=1) if e.retire_date is not None else None


def _covered(e: EmployeeInput, month: date) -> bool:
    """Insured for the insurance month: 取得日 on or before its last day, and no 喪失日 in it or
    before it — premiums are due up to the month before the month of the 喪失日 (健康保険法156条3項,
    厚生年金保険法19条1項・81条2項). 同月得喪 (取得 and 喪失 in the same month): that month counts as
    one month and its premium is due (厚生年金保険法19条2項; 健康保険法156条3項 leaves out the
    loss month only for someone insured 「前月から引き続き」)."""
    if not e.health_insured or e.si_acquired_on is None or e.si_acquired_on > _month_end(month):
        return False
    lost = lost_on(e)
    if lost is None or lost.replace(day=1) > month:
        return True
    return lost.replace(day=1) == month == e.si_acquired_on.replace(day=1) and lost > e.si_acquired_on


def is_last_pay(e: EmployeeInput, ctx: RunContext) -> bool:
    """This pay is the leaver's last: retired by the end of the pay period (賃金計算期間)."""
    return e.retire_date is not None and e.retire_date <= ctx.period_end


def insurance_months(e: EmployeeInput, ctx: RunContext) -> list[date]:
    """The insurance months whose premiums this pay deducts. 健康保険法167条1項・厚生年金保険法84条1項:
    the employer deducts the previous month's premium (insurance month = pay month − 1); at the
    last pay of a leaver still covered in the pay month itself, that month's premium as well
    (167条1項ただし書・84条1項ただし書: 資格を喪失した場合は前月及びその月の保険料). The last pay:
    retired by the end of the pay period.

    The classic cases (喪失日 = 退職日の翌日; the loss month carries no premium):
    末締め翌月払い — leaving 3/31 (喪失 4/1): the April pay deducts March分 only (February分 was in
    the March pay); leaving 3/15 or 3/30 (喪失 3/16, 3/31): the April pay deducts nothing.
    当月払い — leaving 3/31: the March pay deducts February分 and March分; leaving 3/15 or 3/30: the
    March pay deducts February分 only."""
    previous = month_add(ctx.pay_month, -1)
    months = [previous] if _covered(e, previous) else []
    if is_last_pay(e, ctx) and _covered(e, ctx.pay_month):
        months.append(ctx.pay_month)
    return months


def _grade(grades: tuple[GradeInput, ...], month: date) -> GradeInput | None:
    found = None
    for g in grades:
        if g.effective_from <= month:
            found = g
    return found


def _line(
    kind: str, code: str, name: str, amount: int, order: int, *, quantity: str = "", taxable: bool = False
) -> LineOut:
    return LineOut(kind, code, name, amount, quantity, taxable, order)


def _social_insurance(
    e: EmployeeInput,
    ctx: RunContext,
    fields: dict[str, Any],
    inputs: dict[str, Any],
    anomalies: list[dict[str, str]],
) -> None:
    """Premiums of each insurance month on the 標準報酬月額 in force that month
    (payroll.rules.social_insurance: 健保+介護 one rate, 支援金 apart, 厚年; 50銭以下切捨て),
    summed when two months are deducted. 健康保険 at 協会けんぽ's 都道府県 rate, or at the company's
    健康保険組合's own rates and split (``ctx.insurer``; recorded in ``inputs["health_insurer"]``)."""
    months = insurance_months(e, ctx)
    totals = dict.fromkeys(
        (
            "health",
            "child_support",
            "pension",
            "employer_health",
            "employer_child_support",
            "employer_pension",
        ),
        0,
    )
    care = False
    contribution = 0  # 子ども・子育て拠出金: employer only (子ども・子育て支援法69条), for the books
    used: list[str] = []
    health_standard = pension_standard = 0
    if months and e.birth_date is None:
        anomalies.append(
            {
                "level": "warning",
                "code": "no_birth_date",
                "message": "生年月日が登録されていないため、介護保険料を計算していません。社員名簿を確認してください。",
            }
        )
    if e.health_insured and e.retire_date is not None and e.si_lost_on is None and is_last_pay(e, ctx):
        anomalies.append(
            {
                "level": "warning",
                "code": "si_lost_missing",
                "message": f"社会保険の資格喪失日が登録されていません。退職日の翌日({lost_on(e):%Y-%m-%d})"
                "として保険料を計算しました。給与の設定で喪失日を登録してください。",
            }
        )
    for month in months:
        grade = _grade(e.grades, month)
        if grade is None:
            anomalies.append(
                {
                    "level": "error",
                    "code": "missing_grade",
                    "message": f"{month.year}年{month.month}月分の標準報酬月額が登録されていません。",
                }
            )
            continue
        try:
            rates = insurer_at(ctx.insurer, month)
        except ValueError:
            anomalies.append(
                {
                    "level": "error",
                    "code": "missing_union_rates",
                    "message": f"{month.year}年{month.month}月分の健康保険組合の料率が登録されていません。"
                    "給与の設定で料率と適用開始月を登録してください。",
                }
            )
            continue
        # without a birth date: a date that makes no one 40 (介護 not applied; flagged above)
        birth = e.birth_date or month
        p = rules.social_insurance(
            standard_monthly=grade.health_standard,
            prefecture=ctx.prefecture,
            birth_date=birth,
            month=month,
            insurer=rates,
        )
        if rates is not None:
            inputs["health_insurer"] = insurer_record(rates)  # the rates of the (last) month deducted
        for key in totals:
            totals[key] += getattr(p, key)
        care = care or p.care_applies
        contribution += p.employer_child_contribution
        used.append(month.strftime("%Y-%m"))
        health_standard, pension_standard = grade.health_standard, grade.pension_standard
    fields.update(totals)
    fields["care_applies"] = care
    inputs["insurance_months"] = used
    inputs["employer_child_contribution"] = contribution
    inputs["health_standard"] = health_standard
    inputs["pension_standard"] = pension_standard


def _employment(e: EmployeeInput, ctx: RunContext, fields: dict[str, Any]) -> int:
    """雇用保険料 (労働保険徴収法31条: the worker's share of the 賃金総額, commuting included) at the
    rate of the wage's 締切日. Not for officers (雇用保険法: 役員 are not workers). Insured for the
    pay when the 資格 overlaps the pay period (a leaver's last wages are insured wages too)."""
    if not e.employment_insured or e.is_officer:
        return 0
    acquired = e.ei_acquired_on or e.hire_date
    if acquired > ctx.period_end or (e.ei_lost_on is not None and e.ei_lost_on <= ctx.period_start):
        return 0
    wages = max(int(fields["employment_insurance_wage"]), 0)
    return rules.employment_insurance(wages=wages, business=ctx.business, closing_date=ctx.period_end)


def _income_tax(e: EmployeeInput, ctx: RunContext, fields: dict[str, Any], inputs: dict[str, Any]) -> int:
    """源泉所得税 (所得税法183条・185条) on 課税支給額 − 社会保険料等 (健保・介護・支援金・厚年・雇用),
    by the pay date's 月額表 or, 甲欄 only, the 電算機計算の特例 (the method recorded on the run)."""
    after = int(fields["taxable"]) - (
        fields["health"] + fields["child_support"] + fields["pension"] + fields["employment"]
    )
    method = ctx.withholding_method if e.tax_column == "甲" else "table"
    inputs["withholding_method"] = method
    inputs["taxable_after_si"] = max(after, 0)
    return rules.monthly_withholding(
        amount=max(after, 0),
        dependents=e.dependents if e.tax_column == "甲" else 0,
        column=e.tax_column,
        method=method,
        pay_date=ctx.pay_date,
    )


def _resident_tax(e: EmployeeInput, ctx: RunContext) -> int:
    """住民税 特別徴収 (地方税法321条の5): the amounts printed on the notice of the 年度 (June to May);
    June's may differ (the 100円未満 remainder)."""
    if e.resident_tax is None:
        return 0
    june, monthly = e.resident_tax
    return june if ctx.pay_month.month == 6 else monthly


def _months_label(months: list[date]) -> str:
    """[2027-04, 2027-05] → 「2027年4月〜2027年5月」; one month → 「2027年5月」."""
    first, last = months[0], months[-1]
    text = f"{first.year}年{first.month}月"
    return text if first == last else f"{text}〜{last.year}年{last.month}月"


def _resident_tax_lump(
    e: EmployeeInput,
    ctx: RunContext,
    inputs: dict[str, Any],
    anomalies: list[dict[str, str]],
    available: int,
) -> LineOut | None:
    """At a leaver's last pay: the installments of the 年度 after this month's (through May) —
    collected here in one lump (地方税法321条の5第2項: required when leaving 1 January – 30 April,
    on the employee's 申出 when leaving 1 June – 31 December), but only when the pay left after
    the other deductions (``available``) exceeds them (同項: 「…の額が未徴収税額を超える場合」);
    otherwise they go to 普通徴収 and 経理 is told to file the 給与所得者異動届出書 that way.
    Returns the 「住民税(一括徴収)」 line (code ``resident_tax``, like the month's installment, so
    that the books and the 納付 list count it as 住民税) or None. ``inputs["resident_tax_lump"]`` /
    ``inputs["resident_tax_ordinary"]`` record what was decided (the 異動届 reads them)."""
    if e.resident_tax is None or e.retire_date is None or not is_last_pay(e, ctx):
        return None
    june, monthly = e.resident_tax
    months, rest = resident_tax_leaving.remaining_installments(
        pay_month=ctx.pay_month, june=june, monthly=monthly
    )
    if rest <= 0:
        return None
    rule = resident_tax_leaving.lump_sum_rule(retire_date=e.retire_date)
    wanted = rule == resident_tax_leaving.LUMP_REQUIRED or (
        rule == resident_tax_leaving.LUMP_REQUEST and e.resident_tax_lump_sum
    )
    record = {
        "amount": rest,
        "months": [m.strftime("%Y-%m") for m in months],
        "fiscal_year": resident_tax_leaving.resident_tax_year(ctx.pay_month),
        "rule": rule,
    }
    label = _months_label(months)
    if wanted and available > rest:
        inputs["resident_tax_lump"] = record
        return _line("deduction", "resident_tax", "住民税(一括徴収)", rest, 61, quantity=label)
    if wanted:
        reason = "short"
        message = (
            f"最終給与の差引支給額({available:,}円)が住民税の未徴収税額({rest:,}円、{label}分)を"
            "超えないため一括徴収できません(地方税法321条の5第2項)。今月分だけを徴収しました。"
            "残りは普通徴収になるため、給与所得者異動届出書を普通徴収として市区町村へ提出してください。"
        )
    else:
        reason = "no_request" if rule == resident_tax_leaving.LUMP_REQUEST else "may"
        message = (
            f"退職により住民税の残り{rest:,}円({label}分)は普通徴収に切り替わります。"
            "給与所得者異動届出書を市区町村へ提出してください(地方税法321条の5第2項)。"
        )
    inputs["resident_tax_ordinary"] = {**record, "reason": reason}
    anomalies.append({"level": "warning", "code": "resident_tax_ordinary", "message": message})
    return None


def add_deductions(
    e: EmployeeInput,
    ctx: RunContext,
    fields: dict[str, Any],
    inputs: dict[str, Any],
    anomalies: list[dict[str, str]],
    computed: dict[str, int] | None = None,
) -> list[LineOut]:
    """Fill the deduction figures, net and transfer into ``fields``; return the deduction lines.
    ``computed``: the amounts of the company's formula deductions (calculation_items)."""
    _social_insurance(e, ctx, fields, inputs, anomalies)
    fields["employment"] = _employment(e, ctx, fields)
    fields["social_insurance_total"] = (
        fields["health"] + fields["child_support"] + fields["pension"] + fields["employment"]
    )
    fields["income_tax"] = _income_tax(e, ctx, fields, inputs)
    fields["resident_tax"] = _resident_tax(e, ctx)
    inputs["dependents"] = e.dependents
    inputs["tax_column"] = e.tax_column
    health_name = "健康保険料(介護含む)" if fields["care_applies"] else "健康保険料"
    lines = [
        _line("deduction", "health", health_name, fields["health"], 10),
        _line("deduction", "child_support", "子ども・子育て支援金", fields["child_support"], 20),
        _line("deduction", "pension", "厚生年金保険料", fields["pension"], 30),
        _line("deduction", "employment", "雇用保険料", fields["employment"], 40),
        _line("deduction", "income_tax", "所得税", fields["income_tax"], 50),
        _line("deduction", "resident_tax", "住民税", fields["resident_tax"], 60),
    ]
    lines = [line for line in lines if line.amount]
    other = _company_deductions(e, lines, computed or {})
    fields["other_deductions"] = other
    lump = _resident_tax_lump(e, ctx, inputs, anomalies, int(fields["gross"]) - sum(x.amount for x in lines))
    if lump is not None:
        fields["resident_tax"] += lump.amount
        lines.append(lump)
        lines.sort(key=lambda x: x.sort_order)
    fields["deduction_total"] = sum(line.amount for line in lines)
    fields["net"] = int(fields["gross"]) - fields["deduction_total"]
    _transfer(e, fields, anomalies)
    _checks(e, ctx, fields, inputs, anomalies)
    return lines


def _company_deductions(e: EmployeeInput, lines: list[LineOut], computed: dict[str, int]) -> int:
    """The company's deductions (社宅費, 組合費 …): the employee's fixed amount or the formula's."""
    total = 0
    for item in sorted(e.items, key=lambda i: (i.sort_order, i.code)):
        if item.kind != "deduction":
            continue
        amount = item.amount if item.source == "fixed" else computed.get(item.code, 0)
        if amount:
            lines.append(_line("deduction", f"item:{item.code}", item.name, amount, 100 + item.sort_order))
            total += amount
    return total


def _transfer(e: EmployeeInput, fields: dict[str, Any], anomalies: list[dict[str, str]]) -> None:
    """振込: ``split_amount`` to the second account when the net pay covers it, the rest to the
    employee's own account. Without an account of their own the pay is paid by hand (transfer 0)."""
    net = int(fields["net"])
    fields["bank"] = {"main": e.main_account, "split": None}
    fields["transfer_amount"] = fields["split_transfer_amount"] = 0
    if net < 0:
        anomalies.append(
            {
                "level": "error",
                "code": "negative_net",
                "message": f"差引支給額がマイナスです(総支給額 {fields['gross']:,}円 − 控除合計 "
                f"{fields['deduction_total']:,}円 = {net:,}円)。控除を見直してください。",
            }
        )
        return
    rest = net
    if e.split_account and e.split_amount > 0:
        if net >= e.split_amount:
            fields["bank"]["split"] = e.split_account
            fields["split_transfer_amount"] = e.split_amount
            rest = net - e.split_amount
        else:
            anomalies.append(
                {
                    "level": "warning",
                    "code": "split_short",
                    "message": f"差引支給額({net:,}円)が第2口座への振込額({e.split_amount:,}円)に足りないため、"
                    "全額を本人の口座に振り込みます。",
                }
            )
    if e.main_account is None:
        if rest:
            anomalies.append(
                {
                    "level": "warning",
                    "code": "no_bank_account",
                    "message": f"振込口座が登録されていません。{rest:,}円は現金などで支払ってください。",
                }
            )
        return
    fields["transfer_amount"] = rest


def _checks(
    e: EmployeeInput,
    ctx: RunContext,
    fields: dict[str, Any],
    inputs: dict[str, Any],
    anomalies: list[dict[str, str]],
) -> None:
    """Against the last confirmed salary payslip: net pay moved by ``anomaly_percent`` or more, and
    a change of fixed pay (固定的賃金の変動: a 随時改定 may be due, 健康保険法43条)."""
    prev = e.previous
    if prev is None:
        return
    net = int(fields["net"])
    if prev.net > 0 and abs(net - prev.net) * 100 >= ctx.anomaly_percent * prev.net:
        change = (Decimal(net - prev.net) * 100 / Decimal(prev.net)).quantize(Decimal("0.1"))
        anomalies.append(
            {
                "level": "warning",
                "code": "net_changed",
                "message": f"差引支給額が前回({prev.pay_month.year}年{prev.pay_month.month}月支給)の"
                f"{prev.net:,}円から{net:,}円に変わりました({change:+}%)。",
            }
        )
    before = prev.fixed_pay
    now = inputs.get("fixed_pay", {})
    if before and now and before != now:
        anomalies.append(
            {
                "level": "warning",
                "code": "fixed_pay_changed",
                "message": "固定給(基本給・手当・通勤手当)が前回から変わりました。随時改定の確認が必要かもしれません。",
            }
        )
