"""The journal entry of a confirmed run (issue 9 "Books"): what each payslip adds to it, checked,
and the lines by account and department. Pure (no database) except ``ledger_lines``, which finds
the accounts and departments for ``ledger.services.post_entry``.

Lines (jp-rules §10 "Payroll postings"; codes of ledger/chart.py):

- Dr 給料手当 6120 (staff) / 役員報酬 6110 (officers) / 賞与 6130 (a bonus run) = the gross pay of
  the department's payslips (総支給額; 欠勤控除 is a negative payment line, already in gross);
- Dr 法定福利費 6150 = the employer's share of 健康保険 (介護 included), 子ども・子育て支援金 and
  厚生年金, plus 子ども・子育て拠出金 (事業主のみ, 子ども・子育て支援法69条) when the payslip's
  ``inputs`` carry ``employer_child_contribution``, by department;
- Cr 預り金 2150, one line per kind, the kind in the memo: 源泉所得税 (所得税法183条), 住民税
  (地方税法321条の5), 社会保険料 (健康保険・子ども・子育て支援金・厚生年金の本人負担, 健康保険法
  167条・厚生年金保険法84条), 雇用保険料 (労働保険徴収法32条), and each company deduction (item);
- Cr 未払費用 2131 = the employer's share above (paid with the 納入告知書 at the end of the next
  month together with what was withheld);
- Cr 普通預金 1121 = the net pay transferred (the 全銀 file's total);
- Cr 未払金 2130 = net pay not transferred (no bank account: paid by hand);
- a correction run (訂正) posts its differences the same way, a negative sum on the opposite side,
  and a negative net pay (the employee owes it back) as Dr 未収入金 1163;
- a 遡及差額 taken back by deduction (a cut dated back, ``item:arr:…``) lowers the pay debit
  instead of being a 預り金.

The entry balances by construction: per payslip gross = deductions + net, and deductions =
社会保険料等 + 源泉所得税 + 住民税 + company deductions (``figures_of`` refuses a payslip where
they do not add up). 雇用保険's employer share is not booked per run: it is paid yearly with the
労働保険 年度更新 (§18) and booked then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SALARY_ACCOUNT = "6120"  # 給料手当
OFFICER_ACCOUNT = "6110"  # 役員報酬
BONUS_ACCOUNT = "6130"  # 賞与
WELFARE_ACCOUNT = "6150"  # 法定福利費
WITHHELD_ACCOUNT = "2150"  # 預り金
ACCRUED_ACCOUNT = "2131"  # 未払費用
UNPAID_ACCOUNT = "2130"  # 未払金
BANK_ACCOUNT = "1121"  # 普通預金
RECEIVABLE_ACCOUNT = "1163"  # 未収入金: a correction's negative net pay, to be paid back by the employee
ACCOUNT_CODES = (
    SALARY_ACCOUNT,
    OFFICER_ACCOUNT,
    BONUS_ACCOUNT,
    WELFARE_ACCOUNT,
    WITHHELD_ACCOUNT,
    ACCRUED_ACCOUNT,
    UNPAID_ACCOUNT,
    BANK_ACCOUNT,
    RECEIVABLE_ACCOUNT,
)

ACCOUNT_NAMES = {
    SALARY_ACCOUNT: "給料手当",
    OFFICER_ACCOUNT: "役員報酬",
    BONUS_ACCOUNT: "賞与",
    WELFARE_ACCOUNT: "法定福利費",
    WITHHELD_ACCOUNT: "預り金",
    ACCRUED_ACCOUNT: "未払費用",
    UNPAID_ACCOUNT: "未払金",
    BANK_ACCOUNT: "普通預金",
    RECEIVABLE_ACCOUNT: "未収入金",
}

# deduction lines the run computes itself (brief: line codes); any other deduction line is a
# company deduction (``item:<code>``) and goes to 預り金 under its own name
LEGAL_DEDUCTION_CODES = frozenset(
    {"health", "care", "child_support", "pension", "employment", "income_tax", "resident_tax"}
)

RECOVERED_PREFIX = "item:arr:"  # 遡及差額 taken back (calculation_arrears)

INCOME_TAX = "源泉所得税"
RESIDENT_TAX = "住民税"
SOCIAL_INSURANCE = "社会保険料"
EMPLOYMENT_INSURANCE = "雇用保険料"


@dataclass(frozen=True)
class SlipFigures:
    """What one payslip adds to the entry (whole yen)."""

    department_id: int | None
    department_name: str
    is_officer: bool
    gross: int
    employer: int  # 法定福利費: the employer's premiums (+ 拠出金)
    income_tax: int
    resident_tax: int
    social_insurance: int  # health + child_support + pension (the employee's share)
    employment: int
    items: Mapping[tuple[str, str], int]  # (code, name) → amount of a company deduction
    transfer: int  # net pay transferred: main account + split account
    net: int
    recovered: int = 0  # 遡及差額 taken back (a cut dated back): lowers the pay expense

    @property
    def unpaid(self) -> int:
        """Net pay not transferred (paid by hand); 0 for a negative net (see ``receivable``)."""
        return max(self.net, 0) - self.transfer

    @property
    def receivable(self) -> int:
        """A correction's negative net pay: the employee owes it back (未収入金)."""
        return max(-self.net, 0)


@dataclass(frozen=True)
class Posting:
    account_code: str
    side: str  # "debit" | "credit"
    amount: int
    department_id: int | None = None
    memo: str = ""

    @property
    def account_name(self) -> str:
        return ACCOUNT_NAMES.get(self.account_code, "")


def _yen(value: Any) -> int:
    return int(value or 0)


def figures_of(payslip: Any, lines: Iterable[Any]) -> SlipFigures:
    """The figures of a computed payslip (the model's fields and its PayslipLine rows), or
    ValueError saying which figures do not add up — a payslip like that is computed again, never
    posted. ``inputs["employer_child_contribution"]`` (子ども・子育て拠出金) is added to the
    employer's share when the run put it there. A correction payslip (``inputs["correction"]``)
    holds differences: any figure may be negative, its net pay too (then nothing is transferred).
    A 遡及差額 deduction (``item:arr:…``, a cut dated back) is no 預り金: it lowers the pay expense."""
    p = payslip
    correction = bool((p.inputs or {}).get("correction"))
    health, child, pension = _yen(p.health), _yen(p.child_support), _yen(p.pension)
    employment, si_total = _yen(p.employment), _yen(p.social_insurance_total)
    income_tax, resident_tax = _yen(p.income_tax), _yen(p.resident_tax)
    other, deduction_total = _yen(p.other_deductions), _yen(p.deduction_total)
    gross, net = _yen(p.gross), _yen(p.net)
    items: dict[tuple[str, str], int] = defaultdict(int)
    recovered = 0
    for line in lines:
        if line.kind == "deduction" and line.code.startswith(RECOVERED_PREFIX):
            recovered += _yen(line.amount)
        elif line.kind == "deduction" and line.code not in LEGAL_DEDUCTION_CODES:
            items[(line.code, line.name)] += _yen(line.amount)
    problems = []
    if health + child + pension + employment != si_total:
        problems.append(
            f"社会保険料等の合計 {si_total:,}円 ≠ 各保険料の合計 {health + child + pension + employment:,}円"
        )
    if si_total + income_tax + resident_tax + other != deduction_total:
        problems.append(
            f"控除合計 {deduction_total:,}円 ≠ 社会保険料等・所得税・住民税・その他控除の合計 "
            f"{si_total + income_tax + resident_tax + other:,}円"
        )
    if sum(items.values()) + recovered != other:
        problems.append(
            f"その他控除 {other:,}円 ≠ 控除項目の明細の合計 {sum(items.values()) + recovered:,}円"
        )
    if gross - deduction_total != net:
        problems.append(f"差引支給額 {net:,}円 ≠ 総支給額 − 控除合計 {gross - deduction_total:,}円")
    if net < 0 and not correction:
        problems.append(f"差引支給額がマイナスです({net:,}円)")
    transfer, split = _yen(p.transfer_amount), _yen(p.split_transfer_amount)
    if transfer < 0 or split < 0 or transfer + split > max(net, 0):
        problems.append(f"振込額 {transfer:,}円 + {split:,}円 が差引支給額 {net:,}円 と合いません")
    if problems:
        raise ValueError("、".join(problems))
    contribution = _yen((p.inputs or {}).get("employer_child_contribution"))
    return SlipFigures(
        department_id=p.department_id,
        department_name=p.department_name or "",
        is_officer=bool(p.is_officer),
        gross=gross,
        employer=_yen(p.employer_health)
        + _yen(p.employer_child_support)
        + _yen(p.employer_pension)
        + contribution,
        income_tax=income_tax,
        resident_tax=resident_tax,
        social_insurance=health + child + pension,
        employment=employment,
        items=dict(items),
        transfer=transfer + split,
        net=net,
        recovered=recovered,
    )


@dataclass
class _Sums:
    count: int = 0
    amount: int = 0
    names: set[str] = field(default_factory=set)


def postings(*, figures: Sequence[SlipFigures], label: str, bonus: bool) -> list[Posting]:
    """The entry's lines: debits by (account, department), then 預り金 by kind, 未払費用, 普通預金
    and 未払金. Zero amounts are left out; a negative sum goes to the other side (a refunded
    deduction, say), so that every line is a positive amount as the ledger requires."""
    pay: dict[tuple[str, int | None, bool], _Sums] = defaultdict(_Sums)
    welfare: dict[int | None, _Sums] = defaultdict(_Sums)
    for f in figures:
        account = BONUS_ACCOUNT if bonus else (OFFICER_ACCOUNT if f.is_officer else SALARY_ACCOUNT)
        row = pay[(account, f.department_id, f.is_officer)]
        row.count += 1
        row.amount += f.gross - f.recovered
        row.names.add(f.department_name)
        w = welfare[f.department_id]
        w.amount += f.employer
        w.names.add(f.department_name)
    out: list[Posting] = []

    def add(code: str, side: str, amount: int, memo: str, department_id: int | None = None) -> None:
        if amount < 0:
            side, amount = ("credit" if side == "debit" else "debit"), -amount
        if amount:
            out.append(Posting(code, side, amount, department_id, memo[:200]))

    def place(names: set[str]) -> str:
        return "・".join(sorted(n for n in names if n)) or "部署なし"

    for (code, department_id, officer), row in sorted(
        pay.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])
    ):
        who = (
            "役員 " if bonus and officer else ""
        )  # 役員賞与: a line of its own (法人税法34条 decides its deduction)
        add(code, "debit", row.amount, f"{label} {who}{place(row.names)} {row.count}名", department_id)
    for department_id, w in sorted(welfare.items(), key=lambda kv: kv[0] or 0):
        add(
            WELFARE_ACCOUNT, "debit", w.amount, f"{label} 社会保険料 会社負担 {place(w.names)}", department_id
        )
    add(WITHHELD_ACCOUNT, "credit", sum(f.income_tax for f in figures), f"{INCOME_TAX} {label}")
    add(WITHHELD_ACCOUNT, "credit", sum(f.resident_tax for f in figures), f"{RESIDENT_TAX} {label}")
    add(
        WITHHELD_ACCOUNT,
        "credit",
        sum(f.social_insurance for f in figures),
        f"{SOCIAL_INSURANCE}(健康保険・子ども・子育て支援金・厚生年金) {label}",
    )
    add(WITHHELD_ACCOUNT, "credit", sum(f.employment for f in figures), f"{EMPLOYMENT_INSURANCE} {label}")
    items: dict[tuple[str, str], int] = defaultdict(int)
    for f in figures:
        for key, amount in f.items.items():
            items[key] += amount
    for (code, name), amount in sorted(items.items()):
        add(WITHHELD_ACCOUNT, "credit", amount, f"{name or code} {label}")
    add(
        ACCRUED_ACCOUNT,
        "credit",
        sum(f.employer for f in figures),
        f"社会保険料 会社負担 {label}(納入告知書で納付)",
    )
    transferred = [f for f in figures if f.transfer]
    add(BANK_ACCOUNT, "credit", sum(f.transfer for f in figures), f"給与振込 {label} {len(transferred)}名")
    by_hand = [f for f in figures if f.unpaid]
    add(UNPAID_ACCOUNT, "credit", sum(f.unpaid for f in figures), f"{label} 振込以外の支給 {len(by_hand)}名")
    owing = [f for f in figures if f.receivable]
    add(
        RECEIVABLE_ACCOUNT,
        "debit",
        sum(f.receivable for f in figures),
        f"{label} 訂正による返還分(本人から) {len(owing)}名",
    )
    return out


def totals(lines: Sequence[Posting]) -> tuple[int, int]:
    """(debit, credit) — equal for every run ``figures_of`` accepts."""
    debit = sum(p.amount for p in lines if p.side == "debit")
    credit = sum(p.amount for p in lines if p.side == "credit")
    return debit, credit


def ledger_lines(*, company: Any, lines: Sequence[Posting]) -> list[Any]:
    """``ledger.services.LineInput`` rows: each account found by its code in the company's chart
    and each department through people's selectors. ValueError names a missing account."""
    from ennoshita.ledger import entry_selectors, services
    from ennoshita.people import selectors as people_selectors

    accounts: dict[str, Any] = {}
    for code in dict.fromkeys(p.account_code for p in lines):
        account = entry_selectors.account_by_code(company=company, code=code)
        if account is None:
            raise ValueError(f"勘定科目 {code} が科目一覧にありません")
        accounts[code] = account
    wanted = {p.department_id for p in lines if p.department_id}
    departments = {
        d.pk: d
        for d in people_selectors.departments(company=company, include_inactive=True).filter(pk__in=wanted)
    }
    return [
        services.LineInput(
            account=accounts[p.account_code],
            side=p.side,
            amount=p.amount,
            department=departments.get(p.department_id) if p.department_id else None,
            memo=p.memo,
        )
        for p in lines
    ]
