"""Writing vendors (仕入先): create, change, stop and resume dealing, delete one never used.

Every input is checked before anything is written; the messages name the field (``code``,
``registration_number``, ``bank_code`` …). A vendor that has bills is never deleted: 取引停止
(``deactivate_vendor``) keeps it and its history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.expenses import rules as expense_rules
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.purchasing import banks, rules
from ennoshita.purchasing.models import AccountType, Vendor, VendorBill
from ennoshita.purchasing.permissions import ACCOUNTING_ROLES

VENDOR_FIELDS = (
    "code",
    "name",
    "kana",
    "registration_number",
    "is_individual",
    "bank_code",
    "branch_code",
    "account_type",
    "account_number",
    "account_holder",
    "closing_day",
    "payment_month_offset",
    "payment_day",
    "default_account_code",
    "is_active",
    "memo",
)
BANK_FIELDS = ("bank_code", "branch_code", "account_number", "account_holder")
HOLDER_MAX = 30  # 受取人名: 30 characters in a 全銀 data record (jp-rules §8)
_DIGITS = re.compile(r"^[0-9]+$", re.ASCII)


@dataclass(frozen=True)
class VendorInput:
    """A vendor as typed. Codes and numbers may come with full-width digits, spaces or hyphens."""

    code: str
    name: str
    kana: str = ""
    registration_number: str = ""
    is_individual: bool = False
    bank_code: str = ""
    branch_code: str = ""
    account_type: str = AccountType.ORDINARY
    account_number: str = ""
    account_holder: str = ""
    closing_day: Any = 31
    payment_month_offset: Any = 1
    payment_day: Any = 31
    default_account_code: str = ""
    memo: str = ""


def _digits(value: str) -> str:
    return re.sub(r"[\s\-‐ー−]", "", nfkc(value or "")).strip()


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = nfkc(str(value or "")).strip()
    return int(text) if _DIGITS.match(text) and len(text) <= 3 else None


def _check_text(
    errors: dict[str, list[str]], name: str, value: str, limit: int, *, required: str = ""
) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[name] = [required]
    elif len(text) > limit:
        errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": limit}]
    return text


def _check_registration(errors: dict[str, list[str]], data: VendorInput) -> str:
    """登録番号 (jp-rules §5.3): "T" + 13 digits; for a corporation the digits are its 法人番号, so
    its check digit must hold. A 個人事業者's number has no published check rule: not checked."""
    number = expense_rules.normalize_registration_number(data.registration_number)
    if not number:
        return ""
    if not expense_rules.is_well_formed_registration_number(number):
        errors["registration_number"] = [
            _("登録番号は「T」と13桁の数字で入力してください(例: T1234567890123)。")
        ]
    elif not data.is_individual and not expense_rules.registration_check_digit_ok(number):
        errors["registration_number"] = [
            _(
                "登録番号「%(n)s」は法人番号の検査数字が合いません。番号を確かめてください"
                "(個人事業者の番号なら「個人事業者」にチェックを入れてください)。"
            )
            % {"n": number}
        ]
    return number


def _check_bank(errors: dict[str, list[str]], data: VendorInput) -> dict[str, str]:
    """振込先: all four of bank, branch, account number and holder, or none of them."""
    values = {
        "bank_code": _digits(data.bank_code),
        "branch_code": _digits(data.branch_code),
        "account_number": _digits(data.account_number),
        "account_holder": (data.account_holder or "").strip(),
    }
    account_type = str(data.account_type or AccountType.ORDINARY)
    if account_type not in AccountType.values:
        errors["account_type"] = [_("預金種目を選んでください。")]
    given = [k for k in BANK_FIELDS if values[k]]
    if not given:
        return {**values, "account_type": account_type if account_type in AccountType.values else "1"}
    if len(given) < len(BANK_FIELDS):
        message = _("振込先は銀行・支店・口座番号・口座名義をすべて入力するか、すべて空欄にしてください。")
        for k in BANK_FIELDS:
            if not values[k]:
                errors[k] = [message]
    bank_code, branch_code = values["bank_code"], values["branch_code"]
    found_bank = None
    if bank_code:
        if not (_DIGITS.match(bank_code) and len(bank_code) == 4):
            errors["bank_code"] = [
                _("銀行コードは4桁の数字で入力してください(「%(c)s」)。") % {"c": bank_code}
            ]
        elif (found_bank := banks.bank(bank_code)) is None:
            errors["bank_code"] = [_("銀行コード「%(c)s」の金融機関は見つかりません。") % {"c": bank_code}]
    if branch_code:
        if not (_DIGITS.match(branch_code) and len(branch_code) == 3):
            errors["branch_code"] = [
                _("支店コードは3桁の数字で入力してください(「%(c)s」)。") % {"c": branch_code}
            ]
        elif found_bank is not None and banks.branch(bank_code, branch_code) is None:
            errors["branch_code"] = [
                _("支店コード「%(c)s」は金融機関「%(bank)s」(%(code)s)にありません。")
                % {"c": branch_code, "bank": found_bank.name, "code": bank_code}
            ]
    number = values["account_number"]
    if number:
        if not (_DIGITS.match(number) and 1 <= len(number) <= 7):
            errors["account_number"] = [_("口座番号は7桁までの数字で入力してください。")]
        else:
            values["account_number"] = number.zfill(7)
    holder = values["account_holder"]
    if holder:
        try:
            converted = rules.bank_kana(holder)
        except ValueError as exc:
            errors["account_holder"] = [str(exc)]
        else:
            if not converted.strip():
                errors["account_holder"] = [_("口座名義をカナで入力してください。")]
            elif len(converted) > HOLDER_MAX:
                errors["account_holder"] = [
                    _("口座名義は半角カナにして%(n)s文字までです(「%(v)s」は%(len)s文字)。")
                    % {"n": HOLDER_MAX, "v": converted, "len": len(converted)}
                ]
            else:
                values["account_holder"] = converted
    return {**values, "account_type": account_type}


def _check_terms(errors: dict[str, list[str]], data: VendorInput) -> dict[str, int]:
    closing, offset, pay = _int(data.closing_day), _int(data.payment_month_offset), _int(data.payment_day)
    if closing is None or not 1 <= closing <= 31:
        errors["closing_day"] = [_("締め日は1〜31で入力してください(31は月末)。")]
    if offset is None or not 0 <= offset <= rules.terms.MAX_MONTH_OFFSET:
        errors["payment_month_offset"] = [_("支払月は0(当月)〜6か月後で入力してください。")]
    if pay is None or not 1 <= pay <= 31:
        errors["payment_day"] = [_("支払日は1〜31で入力してください(31は月末)。")]
    if (
        closing is not None
        and offset is not None
        and pay is not None
        and not errors.keys()
        & {
            "closing_day",
            "payment_month_offset",
            "payment_day",
        }
    ) and rules.check_terms(closing_day=closing, payment_month_offset=offset, payment_day=pay):
        errors["payment_day"] = [_("当月払いでは、支払日を締め日より後の日にしてください。")]
    return {"closing_day": closing or 31, "payment_month_offset": offset or 0, "payment_day": pay or 31}


def _clean(company: Company, data: VendorInput, vendor: Vendor | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    code = nfkc(data.code or "").strip()
    if not code:
        errors["code"] = [_("仕入先コードを入力してください。")]
    elif len(code) > 20:
        errors["code"] = [_("20文字以内で入力してください。")]
    else:
        clash = Vendor.objects.for_company(company).filter(code=code)
        if vendor is not None:
            clash = clash.exclude(pk=vendor.pk)
        if clash.exists():
            errors["code"] = [_("仕入先コード「%(c)s」は既に使われています。") % {"c": code}]
    values: dict[str, Any] = {
        "code": code,
        "name": _check_text(errors, "name", data.name, 100, required=_("仕入先名を入力してください。")),
        "kana": _check_text(errors, "kana", nfkc(data.kana or ""), 100),
        "memo": _check_text(errors, "memo", data.memo, 2000),
        "registration_number": _check_registration(errors, data),
        "is_individual": bool(data.is_individual),
    }
    values.update(_check_bank(errors, data))
    values.update(_check_terms(errors, data))
    account_code = nfkc(data.default_account_code or "").strip()
    if account_code:
        account = ledger_entry_selectors.account_by_code(company=company, code=account_code)
        if account is None or not account.is_active:
            errors["default_account_code"] = [
                _("勘定科目コード「%(c)s」は使用中の勘定科目にありません。") % {"c": account_code}
            ]
    values["default_account_code"] = account_code
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return values


def _locked(company: Company, vendor: Vendor) -> Vendor:
    found = Vendor.objects.for_company(company).select_for_update().filter(pk=vendor.pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def create_vendor(*, company: Company, actor: User, membership: Membership, data: VendorInput) -> Vendor:
    """A new vendor (取引中). Any error → nothing written, the messages on their fields."""
    require_role(membership, *ACCOUNTING_ROLES)
    values = _clean(company, data, None)
    vendor = Vendor(company=company, **values)
    vendor.save()
    record_event(
        company=company, actor=actor, action="create", instance=vendor, after=snapshot(vendor, VENDOR_FIELDS)
    )
    return vendor


@transaction.atomic
def update_vendor(
    *, company: Company, actor: User, membership: Membership, vendor: Vendor, data: VendorInput
) -> Vendor:
    """Change a vendor. Bills already recorded keep their due dates; payment runs keep the bank
    account they were made with (their own copy)."""
    require_role(membership, *ACCOUNTING_ROLES)
    vendor = _locked(company, vendor)
    values = _clean(company, data, vendor)
    before = snapshot(vendor, VENDOR_FIELDS)
    for name, value in values.items():
        setattr(vendor, name, value)
    vendor.save()
    after = snapshot(vendor, VENDOR_FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="update", instance=vendor, before=before, after=after
        )
    return vendor


@transaction.atomic
def set_vendor_active(
    *, company: Company, actor: User, membership: Membership, vendor: Vendor, active: bool
) -> Vendor:
    """取引停止 (``active=False``) or 取引再開. A stopped vendor gets no new bills; its bills stay."""
    require_role(membership, *ACCOUNTING_ROLES)
    vendor = _locked(company, vendor)
    if vendor.is_active == active:
        return vendor
    before = {"is_active": vendor.is_active}
    vendor.is_active = active
    vendor.save(update_fields=["is_active", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="activate" if active else "deactivate",
        instance=vendor,
        before=before,
        after={"is_active": active},
    )
    return vendor


def deactivate_vendor(*, company: Company, actor: User, membership: Membership, vendor: Vendor) -> Vendor:
    return set_vendor_active(company=company, actor=actor, membership=membership, vendor=vendor, active=False)


@transaction.atomic
def delete_vendor(*, company: Company, actor: User, membership: Membership, vendor: Vendor) -> None:
    """Delete a vendor entered by mistake. Refused once any bill names it (取引停止 instead)."""
    require_role(membership, *ACCOUNTING_ROLES)
    vendor = _locked(company, vendor)
    if VendorBill.objects.for_company(company).filter(vendor=vendor).exists():
        raise PermissionDeniedError(_("請求書が登録された仕入先は削除できません。取引停止にしてください。"))
    record_event(
        company=company, actor=actor, action="delete", instance=vendor, before=snapshot(vendor, VENDOR_FIELDS)
    )
    vendor.delete()
