"""得意先 (customers) and their 担当者 (contacts): register, change, deactivate, delete an unused one.

Every function is keyword-only, runs in one transaction, checks ``permissions.WRITE_ROLES`` and
records an audit event. Input is normalised here (フリガナ to katakana, 法人番号 and 登録番号
width-folded, 郵便番号 as 123-4567, phone numbers) and every problem is reported on its field in
one ``ServiceError``; nothing is written when one is raised.

Duplicates: the same 法人番号 is refused (the database refuses it too); the same ``name_key`` (the
name without 株式会社/(株)/spaces, width-folded) is refused unless the caller confirms it with
``allow_similar_name=True``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.money import yen
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, normalize_phone, normalize_postal_code, to_katakana
from ennoshita.sales import rules
from ennoshita.sales.models import END_OF_MONTH, Contact, Customer, HolidayRule
from ennoshita.sales.permissions import WRITE_ROLES

# The インボイス制度 began on 2023-10-01: no registration takes effect before it.
INVOICE_SYSTEM_START = date(2023, 10, 1)
MAX_CREDIT_LIMIT = Decimal(10**15 - 1)
CODE_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.\-/]*")


class _Keep:
    """Marks an argument left out: the customer keeps its current value."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()

# ------------------------------------------------------------------------------ name key
# Legal-form words (法人格) that do not tell two customers apart, longest first after NFKC.
_LEGAL_FORMS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "相互会社",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "npo法人",
    "医療法人社団",
    "医療法人財団",
    "医療法人",
    "社会福祉法人",
    "学校法人",
    "宗教法人",
    "弁護士法人",
    "税理士法人",
    "監査法人",
    "司法書士法人",
    "行政書士法人",
    "社会保険労務士法人",
    "独立行政法人",
    "国立大学法人",
    "有限責任事業組合",
    "(株)",
    "(有)",
    "(合)",
    "(同)",
    "(資)",
    "(名)",
    "(一社)",
    "(一財)",
    "(公社)",
    "(公財)",
    "(特非)",
    "(医)",
    "(社)",
    "(財)",
    "(学)",
    "(福)",
    "(宗)",
)
_LEGAL_RE = re.compile("|".join(re.escape(w) for w in sorted(_LEGAL_FORMS, key=len, reverse=True)))
_ENGLISH_FORM_RE = re.compile(
    r"[\s,]+(co\.?,?\s*ltd\.?|company\s+limited|inc\.?|ltd\.?|corp\.?|corporation|llc|k\.\s?k\.?)$"
)


def customer_name_key(name: str) -> str:
    """What duplicate detection compares: the name NFKC-folded, lower-cased, without spaces and
    without legal-form words, so that 「株式会社 山田商事」, 「(株)山田商事」, 「㈱山田商事」 and
    「山田商事」 are the same key. A name that is only a legal form keeps itself as its key."""
    folded = nfkc(name).lower().strip()
    folded = _ENGLISH_FORM_RE.sub("", folded)
    folded = re.sub(r"\s+", "", folded)
    key = _LEGAL_RE.sub("", folded)
    return (key or folded)[:200]


# ------------------------------------------------------------------------------ kana key
# Legal-form words and the bank's abbreviations of them (after NFKC and katakana folding),
# longest first. The abbreviations stand at the start (カ)…), the end (…(カ) or the middle (カ)).
_KANA_LEGAL_WORDS = (
    "カブシキガイシヤ",
    "カブシキカイシヤ",
    "ユウゲンガイシヤ",
    "ユウゲンカイシヤ",
    "ゴウドウガイシヤ",
    "ゴウドウカイシヤ",
    "ゴウシガイシヤ",
    "ゴウメイガイシヤ",
    "イツパンシヤダンホウジン",
    "イツパンザイダンホウジン",
    "コウエキシヤダンホウジン",
    "コウエキザイダンホウジン",
    "トクテイヒエイリカツドウホウジン",
    "イリヨウホウジン",
    "シヤカイフクシホウジン",
    "ガツコウホウジン",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "医療法人",
    "社会福祉法人",
    "学校法人",
    "(株)",
    "(有)",
    "(同)",
    "(合)",
    "(資)",
    "(名)",
)
# 全銀 abbreviations: カ 株式会社, ユ 有限会社, ド 合同会社, シ 合資会社, メ 合名会社, イ 医療法人,
# フク 社会福祉法人, ガク 学校法人, シヤ 社団法人, ザイ 財団法人, トクヒ 特定非営利活動法人
_ABBREVIATIONS = (
    "カ",
    "ユ",
    "ド",
    "シ",
    "メ",
    "イ",
    "フク",
    "ガク",
    "シヤ",
    "ザイ",
    "トクヒ",
    "イツシヤ",
    "イツザイ",
)
_ABBR = "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True))
_ABBR_RE = re.compile(rf"^(?:{_ABBR})\)|\((?:{_ABBR})\)|\((?:{_ABBR})$")
_KANA_LEGAL_RE = re.compile("|".join(re.escape(w) for w in _KANA_LEGAL_WORDS))
_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶヰヱヲ", "アイウエオツヤユヨワカケイエオ")
_DROP_RE = re.compile(r"[\s\u3000.,・･\-‐－ー―─()「」\"'/]")


def kana_key(text: str) -> str:
    """What bank payer names are matched on (``Customer.kana_key``, ``selectors.bank.payer_key``):
    「ｶ)ﾔﾏﾀﾞｼｮｳｼﾞ」, 「カブシキガイシャ ヤマダショウジ」,
    「やまだしょうじ」 and 「ヤマダシヨウジ(カ」 all become 「ヤマダシヨウジ」."""
    s = to_katakana(nfkc(text or "")).upper()
    s = s.translate(_SMALL)
    s = re.sub(r"\s+", "", s)
    s = _ABBR_RE.sub("", s)
    s = _KANA_LEGAL_RE.sub("", s)
    return _DROP_RE.sub("", s)


# ------------------------------------------------------------------------------ helpers
def _invalid(errors: dict[str, list[str]]) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_length(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(_("%(n)d文字以内で入力してください。") % {"n": limit})


def _has_control(value: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in value)


def _check_line(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    """A one-line text: no control characters (tab, newline) and at most ``limit`` characters."""
    if _has_control(value):
        errors.setdefault(field, []).append(_("改行や制御文字は使えません。"))
    _check_length(errors, field, value, limit)


def normalize_corporate_number(text: str) -> str:
    """ "１２３４ ５６７８-９０１２３" → "1234567890123" (width folded, spaces and hyphens dropped)."""
    folded = nfkc(text or "")
    return "".join(ch for ch in folded if ch not in " -‐−ー\u3000\t")


def _corporate_number(errors: dict[str, list[str]], text: str) -> str:
    number = normalize_corporate_number(text)
    if not number:
        return ""
    if not (len(number) == 13 and number.isascii() and number.isdigit()):
        errors["corporate_number"] = [_("法人番号は13桁の数字で入力してください。")]
    elif not rules.is_valid_corporate_number(number):
        errors["corporate_number"] = [
            _("法人番号が正しくありません(チェックデジットが合いません)。番号を確かめてください。")
        ]
    return number


def _registration(
    errors: dict[str, list[str]],
    *,
    number_text: str,
    status: str,
    registered_on: date | None,
    corporate_number: str,
) -> tuple[str, str, date | None]:
    """登録番号, 登録状況 and 登録日 checked together (see the module docstring of ``rules``)."""
    number = rules.normalize_registration_number(number_text or "")
    if status not in Customer.Registration.values:
        errors["registration_status"] = [_("インボイス登録の状況を選んでください。")]
        return number, status, registered_on
    if number:
        problem = rules.registration_number_problem(number, is_corporation=bool(corporate_number))
        corporate_ok = bool(corporate_number) and "corporate_number" not in errors
        if problem == "format":
            errors["registration_number"] = [
                _("登録番号は「T」と13桁の数字で入力してください(例: T1234567890123)。")
            ]
        elif corporate_ok and number[1:] != corporate_number:
            errors["registration_number"] = [
                _(
                    "法人の登録番号は「T」+法人番号です。法人番号 %(corporate)s と一致しません"
                    "(T%(corporate)s のはずです)。"
                )
                % {"corporate": corporate_number}
            ]
        elif problem == "check_digit":
            errors["registration_number"] = [
                _(
                    "登録番号が正しくありません(法人番号のチェックデジットが合いません)。番号を確かめてください。"
                )
            ]
        if status == Customer.Registration.UNKNOWN:
            status = Customer.Registration.REGISTERED
        elif status == Customer.Registration.NOT_REGISTERED:
            errors["registration_status"] = [
                _("登録番号があるときは「登録なし」にできません。番号を消すか「登録あり」を選んでください。")
            ]
    elif status == Customer.Registration.REGISTERED:
        errors["registration_number"] = [_("「登録あり」のときは登録番号を入力してください。")]
    if registered_on is not None:
        if status != Customer.Registration.REGISTERED:
            errors["registration_date"] = [_("登録日は「登録あり」のときだけ入力します。")]
        elif registered_on < INVOICE_SYSTEM_START:
            errors["registration_date"] = [
                _("登録日は2023年10月1日(インボイス制度の開始日)以降の日付で入力してください。")
            ]
    return number, status, registered_on


def _day(errors: dict[str, list[str]], field: str, value: Any) -> int:
    """締め日・支払日: 1–31 or 99 (末日); 31 is stored as 99, the same day said one way."""
    try:
        day = int(value)
    except (TypeError, ValueError):
        day = -1
    if not (1 <= day <= 31 or day == END_OF_MONTH):
        errors[field] = [_("1〜31の日か、末日(99)を指定してください。")]
        return END_OF_MONTH
    return END_OF_MONTH if day == 31 else day


def _months_after(errors: dict[str, list[str]], value: Any) -> int:
    try:
        months = int(value)
    except (TypeError, ValueError):
        months = -1
    if not 0 <= months <= 12:
        errors["payment_months_after"] = [_("支払月は0(当月)〜12か月後で指定してください。")]
        return 1
    return months


def _credit_limit(errors: dict[str, list[str]], value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = yen(nfkc(value).replace(",", "").replace("円", "") if isinstance(value, str) else value)
    except (TypeError, ValueError, ArithmeticError):
        errors["credit_limit"] = [_("与信限度額は円単位の整数で入力してください。")]
        return None
    if amount < 0:
        errors["credit_limit"] = [_("与信限度額は0円以上で入力してください。")]
    elif amount > MAX_CREDIT_LIMIT:
        errors["credit_limit"] = [_("与信限度額が大きすぎます。")]
    return amount


def _email(errors: dict[str, list[str]], field: str, value: str) -> str:
    email = nfkc(value).strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        errors[field] = [_("メールアドレスの形式が正しくありません(例: info@example.co.jp)。")]
    else:
        _check_length(errors, field, email, 254)
    return email


def _phone(errors: dict[str, list[str]], field: str, value: str) -> str:
    if not value.strip():
        return ""
    try:
        return normalize_phone(value)
    except ValueError as exc:
        errors[field] = [str(exc)]
        return value


def _postal_code(errors: dict[str, list[str]], value: str) -> str:
    if not value.strip():
        return ""
    try:
        return normalize_postal_code(value)
    except ValueError as exc:
        errors["postal_code"] = [str(exc)]
        return value


def _code(errors: dict[str, list[str]], value: str) -> str:
    code = nfkc(value).strip()
    if not code:
        errors["code"] = [_("得意先コードを入力してください。")]
    elif not CODE_RE.fullmatch(code):
        errors["code"] = [_("得意先コードは半角英数字と - _ . / で入力してください(先頭は英数字)。")]
    else:
        _check_length(errors, "code", code, 20)
    return code


# ------------------------------------------------------------------------------ save
_FIELDS = (
    "code",
    "name",
    "name_kana",
    "honorific",
    "corporate_number",
    "registration_number",
    "registration_status",
    "registration_date",
    "postal_code",
    "address",
    "address2",
    "phone",
    "email",
    "closing_day",
    "payment_months_after",
    "payment_day",
    "holiday_rule",
    "credit_limit",
    "notes",
    "is_active",
)


def _clean(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The customer's fields normalised, and every problem found on its field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    out["code"] = _code(errors, _text(values["code"]))
    name = _text(values["name"])
    if not name:
        errors["name"] = [_("名称を入力してください。")]
    _check_line(errors, "name", name, 200)
    out["name"] = name
    kana = to_katakana(_text(values["name_kana"]))
    _check_line(errors, "name_kana", kana, 200)
    out["name_kana"] = kana
    if values["honorific"] not in Customer.Honorific.values:
        errors["honorific"] = [_("敬称は「御中」か「様」を選んでください。")]
    out["honorific"] = values["honorific"]
    out["corporate_number"] = _corporate_number(errors, _text(values["corporate_number"]))
    registered_on = values["registration_date"]
    if registered_on is not None and not isinstance(registered_on, date):
        errors["registration_date"] = [_("日付を YYYY-MM-DD の形式で入力してください。")]
        registered_on = None
    number, status, registered_on = _registration(
        errors,
        number_text=_text(values["registration_number"]),
        status=_text(values["registration_status"]) or Customer.Registration.UNKNOWN,
        registered_on=registered_on,
        corporate_number=out["corporate_number"],
    )
    out["registration_number"], out["registration_status"], out["registration_date"] = (
        number,
        status,
        registered_on,
    )
    out["postal_code"] = _postal_code(errors, _text(values["postal_code"]))
    for field, limit in (("address", 300), ("address2", 200)):
        out[field] = _text(values[field])
        _check_line(errors, field, out[field], limit)
    out["phone"] = _phone(errors, "phone", _text(values["phone"]))
    out["email"] = _email(errors, "email", _text(values["email"]))
    out["closing_day"] = _day(errors, "closing_day", values["closing_day"])
    out["payment_months_after"] = _months_after(errors, values["payment_months_after"])
    out["payment_day"] = _day(errors, "payment_day", values["payment_day"])
    holiday_rule = _text(values["holiday_rule"])
    if holiday_rule and holiday_rule not in HolidayRule.values:
        errors["holiday_rule"] = [_("支払期日が休日のときの扱いを選んでください。")]
    out["holiday_rule"] = holiday_rule
    out["credit_limit"] = _credit_limit(errors, values["credit_limit"])
    notes = "" if values["notes"] is None else str(values["notes"]).strip()
    _check_length(errors, "notes", notes, 5000)
    out["notes"] = notes
    out["is_active"] = bool(values["is_active"])
    return out, errors


def _duplicate_corporate_number(company: Company, customer: Customer) -> Customer | None:
    if not customer.corporate_number:
        return None
    return (
        Customer.objects.for_company(company)
        .filter(corporate_number=customer.corporate_number)
        .exclude(pk=customer.pk)
        .first()
    )


def _corporate_number_taken(existing: Customer) -> ServiceError:
    message = _("法人番号 %(number)s は得意先「%(code)s %(name)s」で登録されています。") % {
        "number": existing.corporate_number,
        "code": existing.code,
        "name": existing.name,
    }
    return ServiceError(message, code="duplicate", field_errors={"corporate_number": [message]})


def _code_taken(code: str) -> ServiceError:
    message = _("得意先コード「%(code)s」は使われています。") % {"code": code}
    return ServiceError(message, code="duplicate", field_errors={"code": [message]})


def similar_name_error(similar: list[Customer]) -> ServiceError:
    names = "、".join(f"{c.code} {c.name}" for c in similar[:5])
    message = _(
        "同じ名称の得意先があります: %(names)s。別の得意先として登録するときは"
        "「同名の得意先があることを確認しました」にチェックを入れてください。"
    ) % {"names": names}
    return ServiceError(message, code="similar_name", field_errors={"name": [message]})


def save_customer_row(company: Company, customer: Customer) -> None:
    """Save, turning the database's unique refusals (a concurrent writer got there first) into
    the same field errors the checks give. The savepoint keeps the outer transaction usable."""
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        existing = _duplicate_corporate_number(company, customer)
        if existing is not None:
            raise _corporate_number_taken(existing) from exc
        if Customer.objects.for_company(company).filter(code=customer.code).exclude(pk=customer.pk).exists():
            raise _code_taken(customer.code) from exc
        raise ServiceError(_("保存できませんでした。入力内容を確かめてください。"), code="conflict") from exc


def _save(
    *,
    company: Company,
    actor: User,
    customer: Customer | None,
    values: dict[str, Any],
    allow_similar_name: bool,
) -> Customer:
    cleaned, errors = _clean(values)
    row = customer if customer is not None else Customer(company=company)
    before = snapshot(row) if customer is not None else None
    others = Customer.objects.for_company(company).exclude(pk=row.pk)
    if "code" not in errors and others.filter(code=cleaned["code"]).exists():
        errors["code"] = [_code_taken(cleaned["code"]).message]
    if cleaned["corporate_number"] and "corporate_number" not in errors:
        existing = others.filter(corporate_number=cleaned["corporate_number"]).first()
        if existing is not None:
            errors["corporate_number"] = [_corporate_number_taken(existing).message]
    if errors:
        raise _invalid(errors)
    key = customer_name_key(cleaned["name"])
    if not allow_similar_name and (customer is None or key != customer.name_key):
        similar = list(others.filter(name_key=key).order_by("code")[:5])
        if similar:
            raise similar_name_error(similar)
    for field, value in cleaned.items():
        setattr(row, field, value)
    row.name_key = key
    row.kana_key = kana_key(row.name_kana or row.name)[:200]
    save_customer_row(company, row)
    record_event(
        company=company,
        actor=actor,
        action="update" if before is not None else "create",
        instance=row,
        before=before,
        after=snapshot(row),
    )
    return row


def _locked(company: Company, customer: Customer) -> Customer:
    """A fresh, locked copy of the customer: a refusal leaves the caller's object as it was."""
    row = Customer.objects.for_company(company).select_for_update().filter(pk=customer.pk).first()
    if row is None:
        raise NotFound()
    return row


# ------------------------------------------------------------------------------ public
def create_customer(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    code: str,
    name: str,
    name_kana: str = "",
    honorific: str = Customer.Honorific.ONCHU,
    corporate_number: str = "",
    registration_number: str = "",
    registration_status: str = Customer.Registration.UNKNOWN,
    registration_date: date | None = None,
    postal_code: str = "",
    address: str = "",
    address2: str = "",
    phone: str = "",
    email: str = "",
    closing_day: int = END_OF_MONTH,
    payment_months_after: int = 1,
    payment_day: int = END_OF_MONTH,
    holiday_rule: str = "",
    credit_limit: Decimal | int | str | None = None,
    notes: str = "",
    is_active: bool = True,
    allow_similar_name: bool = False,
) -> Customer:
    """Register a customer (得意先). A T-number given with status 未確認 makes it 登録あり."""
    arguments = dict(locals())
    values = {k: v for k, v in arguments.items() if k in _FIELDS}
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        return _save(
            company=company, actor=actor, customer=None, values=values, allow_similar_name=allow_similar_name
        )


def update_customer(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    customer: Customer,
    code: str = KEEP,
    name: str = KEEP,
    name_kana: str = KEEP,
    honorific: str = KEEP,
    corporate_number: str = KEEP,
    registration_number: str = KEEP,
    registration_status: str = KEEP,
    registration_date: date | None = KEEP,
    postal_code: str = KEEP,
    address: str = KEEP,
    address2: str = KEEP,
    phone: str = KEEP,
    email: str = KEEP,
    closing_day: int = KEEP,
    payment_months_after: int = KEEP,
    payment_day: int = KEEP,
    holiday_rule: str = KEEP,
    credit_limit: Decimal | int | str | None = KEEP,
    notes: str = KEEP,
    is_active: bool = KEEP,
    allow_similar_name: bool = False,
) -> Customer:
    """Change a customer; arguments left out keep their value. A name change that makes the name
    collide with another customer's needs ``allow_similar_name=True``."""
    arguments = dict(locals())
    given = {k: v for k, v in arguments.items() if k in _FIELDS}
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        if customer.company_id != company.pk:
            raise NotFound()
        row = _locked(company, customer)
        values = {f: (getattr(row, f) if given[f] is KEEP else given[f]) for f in _FIELDS}
        return _save(
            company=company, actor=actor, customer=row, values=values, allow_similar_name=allow_similar_name
        )


def _set_active(
    *, company: Company, actor: User, membership: Membership, customer: Customer, active: bool
) -> Customer:
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        if customer.company_id != company.pk:
            raise NotFound()
        row = _locked(company, customer)
        if row.is_active == active:
            return row
        before = snapshot(row)
        row.is_active = active
        row.save(update_fields=["is_active", "updated_at"])
        record_event(
            company=company, actor=actor, action="update", instance=row, before=before, after=snapshot(row)
        )
        return row


def deactivate_customer(
    *, company: Company, actor: User, membership: Membership, customer: Customer
) -> Customer:
    """取引停止: the customer stays (with its documents and history) but is no longer offered for
    new quotes, orders and invoices."""
    return _set_active(company=company, actor=actor, membership=membership, customer=customer, active=False)


def reactivate_customer(
    *, company: Company, actor: User, membership: Membership, customer: Customer
) -> Customer:
    return _set_active(company=company, actor=actor, membership=membership, customer=customer, active=True)


def customer_references(customer: Customer) -> dict[str, int]:
    """What refers to the customer (見積・受注・請求・入金・商談), by kind; empty when nothing does."""
    counts = {
        "quotes": customer.quote_set.count(),
        "orders": customer.order_set.count(),
        "invoices": customer.invoice_set.count(),
        "payments": customer.payments.count(),
        "opportunities": customer.opportunities.count(),
    }
    return {k: v for k, v in counts.items() if v}


def delete_customer(*, company: Company, actor: User, membership: Membership, customer: Customer) -> None:
    """Delete a customer that nothing refers to (a mistaken entry). A customer with quotes,
    orders, invoices, payments or deals is deactivated instead."""
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        if customer.company_id != company.pk:
            raise NotFound()
        row = _locked(company, customer)
        if customer_references(row):
            raise ServiceError(
                _(
                    "「%(name)s」には見積書・受注・請求書・入金・商談のいずれかがあるため削除できません。"
                    "取引を停止してください。"
                )
                % {"name": row.name},
                code="in_use",
            )
        for contact in list(row.contacts.all()):
            _record_contact(company, actor, "delete", contact, before=snapshot(contact), after=None)
        before = snapshot(row)
        record_event(company=company, actor=actor, action="delete", instance=row, before=before, after=None)
        row.delete()


# ------------------------------------------------------------------------------ contacts
def _record_contact(
    company: Company,
    actor: User,
    action: str,
    contact: Contact,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    # extra.customer_id lets the customer's 変更履歴 show its contacts' events, deleted ones too
    record_event(
        company=company,
        actor=actor,
        action=action,
        instance=contact,
        before=before,
        after=after,
        extra={"customer_id": contact.customer_id},
    )


def add_contact(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    customer: Customer,
    name: str,
    department: str = "",
    email: str = "",
    phone: str = "",
) -> Contact:
    """Add a 担当者 to a customer."""
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        if customer.company_id != company.pk:
            raise NotFound()
        row = _locked(company, customer)
        errors: dict[str, list[str]] = {}
        name, department = _text(name), _text(department)
        if not name:
            errors["name"] = [_("氏名を入力してください。")]
        _check_line(errors, "name", name, 100)
        _check_line(errors, "department", department, 100)
        email = _email(errors, "email", _text(email))
        phone = _phone(errors, "phone", _text(phone))
        if errors:
            raise _invalid(errors)
        contact = Contact.objects.create(
            company=company, customer=row, name=name, department=department, email=email, phone=phone
        )
        _record_contact(company, actor, "create", contact, before=None, after=snapshot(contact))
        return contact


def remove_contact(*, company: Company, actor: User, membership: Membership, contact: Contact) -> None:
    """Remove a 担当者 (the audit trail keeps who it was)."""
    with transaction.atomic():
        require_role(membership, *WRITE_ROLES)
        if contact.company_id != company.pk:
            raise NotFound()
        row = Contact.objects.for_company(company).select_for_update().filter(pk=contact.pk).first()
        if row is None:
            raise NotFound()
        _record_contact(company, actor, "delete", row, before=snapshot(row), after=None)
        row.delete()
