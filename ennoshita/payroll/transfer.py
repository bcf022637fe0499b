"""The 全銀 給与振込 file of a run (issue 9 "Bank transfer"; jp-rules §8): 種別コード 11 (12 for a
bonus run), the header from PayrollSettings (振込依頼人コード・名, the paying account, the pay date as
MMDD), one data record per transfer — the employee's account with ``transfer_amount`` and the
second account with ``split_transfer_amount``, zero amounts left out — with the holder's name in
bank kana and the 社員番号, then the trailer (count, total) and the end record. CP932, 120 bytes a
record, CR LF after each (``core.zengin.encode_zengin``).

The accounts are the payslip's snapshot (``Payslip.bank``), as they were when the run was
computed: what the employee saw on the draft is what is paid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ennoshita.core import zengin
from ennoshita.core.errors import ServiceError

SALARY_KIND = "11"  # 給与振込
BONUS_KIND = "12"  # 賞与振込
_TRANSFER_INDEX = re.compile(r"transfers\[(\d+)\]（\d+件目）")
_DIGITS = re.compile(r"[0-9]{1,10}")

# the header's fields in PayrollSettings, with what a person calls them
SETTINGS_FIELDS = {
    "transfer_requester_code": "振込依頼人コード",
    "transfer_requester_name": "振込依頼人名(カナ)",
    "transfer_bank_code": "振込元 銀行コード",
    "transfer_branch_code": "振込元 支店コード",
    "transfer_account_type": "振込元 預金種目",
    "transfer_account_number": "振込元 口座番号",
}


@dataclass(frozen=True)
class Transfer:
    """One data record: a payslip's main (``which="main"``) or second (``"split"``) account."""

    payslip_id: int
    employee_number: str
    employee_name: str
    which: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder: str  # as entered (full-width kana allowed); the file carries it in bank kana
    amount: int

    @property
    def number_field(self) -> str:
        return employee_number_field(self.employee_number)


def kind_of(run: Any) -> str:
    return BONUS_KIND if run.kind == "bonus" else SALARY_KIND


def file_name(run: Any) -> str:
    """kyuyo_YYYYMMDD-<run>.txt (shoyo_ for a bonus): the pay date, and the run so that two pay
    groups paid on one day get two files."""
    stem = "shoyo" if run.kind == "bonus" else "kyuyo"
    return f"{stem}_{run.pay_date:%Y%m%d}-{run.pk}.txt"


def employee_number_field(number: str) -> str:
    """The 社員番号 field is N(10): a number of up to 10 digits goes in as it is; any other
    (``E001``) leaves the field zero, since banks only echo it back (shown on the preview)."""
    return number if _DIGITS.fullmatch(number or "") else "0"


def settings_problems(row: Any) -> dict[str, list[str]]:
    """What the header needs and the settings lack: the 振込依頼人 (the bank's 委託者コード and
    name) and the account paid from."""
    missing = [label for name, label in SETTINGS_FIELDS.items() if not getattr(row, name, "")]
    if not missing:
        return {}
    return {
        "settings": [
            _("給与の設定で振込依頼人と振込元の口座を登録してください(未登録: %(what)s)。")
            % {"what": "、".join(missing)}
        ]
    }


def transfers_of(payslips: Iterable[Any]) -> list[Transfer]:
    """Every transfer of the payslips in their order, zero amounts left out. ValueError when an
    amount is to be transferred to an account the payslip does not have."""
    out: list[Transfer] = []
    for p in payslips:
        bank: Mapping[str, Any] = p.bank or {}
        for which, amount in (("main", p.transfer_amount), ("split", p.split_transfer_amount)):
            amount = int(amount or 0)
            if amount == 0:
                continue
            account = bank.get(which) or {}
            if not account or amount < 0:
                where = _("本人の口座") if which == "main" else _("第2口座")
                raise ValueError(
                    _(
                        "%(number)s %(name)s: %(where)s への振込額 %(amount)s円 がありますが、口座がありません。"
                    )
                    % {
                        "number": p.employee_number,
                        "name": p.employee_name,
                        "where": where,
                        "amount": f"{amount:,}",
                    }
                )
            out.append(
                Transfer(
                    payslip_id=p.pk,
                    employee_number=p.employee_number,
                    employee_name=p.employee_name,
                    which=which,
                    bank_code=str(account.get("bank_code") or ""),
                    branch_code=str(account.get("branch_code") or ""),
                    account_type=str(account.get("account_type") or ""),
                    account_number=str(account.get("account_number") or ""),
                    holder=str(account.get("holder_kana") or ""),
                    amount=amount,
                )
            )
    return out


def _header(row: Any, run: Any) -> dict[str, Any]:
    return {
        "requester_code": row.transfer_requester_code,
        "requester_name": row.transfer_requester_name,
        "date": run.pay_date,  # 振込指定日 MMDD
        "bank_code": row.transfer_bank_code,
        "branch_code": row.transfer_branch_code,
        "account_type": row.transfer_account_type,
        "account_number": row.transfer_account_number,
    }


def _record(t: Transfer) -> dict[str, Any]:
    return {
        "bank_code": t.bank_code,
        "branch_code": t.branch_code,
        "account_type": t.account_type,
        "account_number": t.account_number,
        "name": t.holder,  # bank_kana inside zengin_transfer_records (§8 characters)
        "amount": t.amount,
        "employee_number": t.number_field,
    }


def build_file(*, settings_row: Any, run: Any, transfers: Sequence[Transfer]) -> bytes:
    """The file's bytes, or ServiceError: the settings missing (field ``settings``), or the
    employee whose account a bank would refuse (field ``transfers``)."""
    problems = settings_problems(settings_row)
    if problems:
        raise ServiceError(_("振込データを作れません。"), code="validation", field_errors=problems)
    if not transfers:
        raise ServiceError(_("振込が1件もありません。"), code="empty")
    try:
        records = zengin.zengin_transfer_records(
            kind=kind_of(run), header=_header(settings_row, run), transfers=[_record(t) for t in transfers]
        )
        return zengin.encode_zengin(records)
    except ValueError as error:
        message = str(error)
        found = _TRANSFER_INDEX.search(message)
        field = "settings" if message.startswith("header") else "transfers"
        if found:
            t = transfers[int(found.group(1))]
            message = _("%(number)s %(name)s への振込: %(problem)s") % {
                "number": t.employee_number,
                "name": t.employee_name,
                "problem": message,
            }
        raise ServiceError(
            _("振込データを作れません。%(problem)s") % {"problem": message},
            code="bad_bank_data",
            field_errors={field: [message]},
        ) from None
