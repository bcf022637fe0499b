"""年次有給休暇管理簿 as a PDF (則24条の7: 基準日, 日数, 時季), with the project's Japanese font
(core.pdf: IPA Gothic embedded when installed, else the CID font)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from ennoshita.core.models import Company
from ennoshita.core.pdf import table_pdf

from .paid_leave_selectors import LeaveLedger


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def ledger_pdf(*, company: Company, ledger: LeaveLedger, year: int | None = None) -> bytes:
    e = ledger.employee
    rows: list[list[str]] = []
    for y in ledger.years:
        taken = [
            f"{d.date:%Y-%m-%d} {d.unit_label}{' ' + _num(d.hours) + '時間' if d.hours else ''}"
            f"{'(計画的付与)' if d.planned else ''}"
            for d in y.taken
        ]
        rows.append(
            [
                f"{y.granted_on:%Y-%m-%d}",
                f"{y.period_end:%Y-%m-%d}",
                _num(y.days),
                f"{y.expires_on:%Y-%m-%d}",
                _num(y.taken_days),
                _num(y.taken_hours),
                "\n".join(taken) or "—",
            ]
        )
    lines = [
        f"{company.name}",
        f"社員番号 {e.number}  氏名 {e.family_name} {e.given_name}  入社日 {e.hire_date:%Y-%m-%d}",
        f"対象: {str(year) + '年の基準日' if year else '保存期間(5年)内のすべて'}  作成日 {timezone.localdate():%Y-%m-%d}",
        "労働基準法施行規則24条の7 / 1日の時間数: " + str(ledger.hours_per_day) + "時間",
    ]
    return table_pdf(
        title="年次有給休暇管理簿",
        subtitle_lines=lines,
        header=[
            "基準日",
            "期間の終わり",
            "付与日数",
            "有効期限",
            "取得日数",
            "時間単位(時間)",
            "取得日(時季)",
        ],
        rows=rows,
        numeric_columns=(2, 4, 5),
    )
