"""The rules of 経費精算 as pure functions (no database): 登録番号, 交際費 per person, the checks
shown on a claim before it is submitted, the input tax of a line, the 日当.

Sources (docs/domains/expenses.md says more):
- 登録番号 = "T" + 13 digits; for a corporation the digits are its 法人番号, whose first digit is a
  check digit (法人番号の指定等に関する省令; jp-rules §5.3). A 個人事業者's number has no published
  check rule, so a failing check digit is a warning, never a refusal.
- 交際費等から除かれる飲食費: 1人あたり 1万円以下 (租税特別措置法61条の4第6項2号, 同施行令37条の5
  第1項; 5,000円 until 2024-03-31, 令和6年度改正). Under 税抜経理 (Ennoshita books 仮払消費税等) the
  amount is compared without tax (平成元年直法2-1「消費税法等の施行に伴う法人税の取扱いについて」).
- 経過措置 for purchases without a 適格請求書 (平成28年改正法附則52・53条): ledger.rules.
- 少額特例 (平成28年改正法附則53条の2; jp-rules §5.4): 税込1万円未満, 2023-10-01 – 2029-09-30.
- 帳簿のみ保存の特例 (消費税法30条7項, 施行令49条1項1号, 施行規則15条の4): 3万円未満の公共交通機関の
  運賃, 従業員に支給する通常必要な出張旅費・宿泊費・日当 (基通11-2-1: 課税仕入れ).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from ennoshita.core.money import Rounding, format_yen, round_yen, to_decimal
from ennoshita.core.rules import is_valid_corporate_number
from ennoshita.ledger import rules as ledger_rules

MAX_LINE_AMOUNT = Decimal(99_999_999)

# ------------------------------------------------------------------------------------ 登録番号
_T_NUMBER = re.compile(r"^T[0-9]{13}$", re.ASCII)


def normalize_registration_number(value: str) -> str:
    """ "t 1234-5678-90123" → "T1234567890123" (full-width digits, spaces and hyphens folded)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", value or "").strip().upper()
    return re.sub(r"[\s\-ー−]", "", text)


def is_well_formed_registration_number(value: str) -> bool:
    """ "T" followed by 13 ASCII digits (消費税法57条の2; jp-rules §5.3)."""
    return bool(_T_NUMBER.fullmatch(value))


def registration_check_digit_ok(value: str) -> bool:
    """True when the 13 digits pass the 法人番号 check digit. False can still be a valid number of a
    個人事業者 (jp-rules §5.3): a warning only."""
    return is_well_formed_registration_number(value) and is_valid_corporate_number(value[1:])


# ------------------------------------------------------------------------------------ 交際費
# (from, limit per person) — 租税特別措置法施行令37条の5第1項, as amended for 2024-04-01 expenses
ENTERTAINMENT_LIMITS: tuple[tuple[date, Decimal], ...] = (
    (date.min, Decimal(5000)),
    (date(2024, 4, 1), Decimal(10000)),
)


def statutory_entertainment_limit(*, spent_on: date) -> Decimal:
    limit = ENTERTAINMENT_LIMITS[0][1]
    for start, value in ENTERTAINMENT_LIMITS:
        if spent_on >= start:
            limit = value
    return limit


def per_person_amount(*, amount: Decimal | int | str, attendee_count: int) -> Decimal:
    """飲食費 ÷ 参加者数, 1円未満切り捨て (whole yen shown to the applicant)."""
    if attendee_count < 1:
        raise ValueError("attendee_count must be at least 1")
    return round_yen(to_decimal(amount) / attendee_count, Rounding.TRUNCATE)


def amount_without_tax(*, amount: Decimal | int | str, rate_percent: Decimal | int | str) -> Decimal:
    """税抜 amount of a 税込 amount (tax truncated, as the ledger's default)."""
    tax = ledger_rules.tax_included_in(amount=amount, rate_percent=rate_percent, rounding=Rounding.TRUNCATE)
    return to_decimal(amount) - tax


def over_entertainment_limit(
    *,
    amount: Decimal | int | str,
    rate_percent: Decimal | int | str,
    attendee_count: int,
    limit: Decimal | int,
) -> bool:
    """True when the 税抜 飲食費 per person is above ``limit`` (the 1万円 line is 「以下」: equal is in)."""
    net = amount_without_tax(amount=amount, rate_percent=rate_percent)
    return to_decimal(net) > to_decimal(limit) * attendee_count


# ------------------------------------------------------------------------------------ tax of a line
SMALL_AMOUNT_LIMIT = Decimal(10000)  # 税込1万円未満 (附則53条の2)
SMALL_AMOUNT_FROM = date(2023, 10, 1)
SMALL_AMOUNT_TO = date(2029, 9, 30)
PUBLIC_TRANSPORT_LIMIT = Decimal(30000)  # 3万円未満 (施行令49条1項1号イ, 70条の9第2項1号)

_RATE_OF = {"P10": Decimal(10), "P8R": Decimal(8), "P_EXEMPT": Decimal(0), "OUT": Decimal(0)}
_NON_QUALIFIED = {"P10": "P10_NQ", "P8R": "P8R_NQ"}


def small_amount_exception_applies(
    *, amount: Decimal | int | str, purchase_date: date, enabled: bool
) -> bool:
    """少額特例: 税込1万円未満 per purchase, 2023-10-01 – 2029-09-30, for an eligible business."""
    return (
        enabled
        and SMALL_AMOUNT_FROM <= purchase_date <= SMALL_AMOUNT_TO
        and to_decimal(amount) < SMALL_AMOUNT_LIMIT
    )


def books_only_applies(*, kind: str, amount: Decimal | int | str, books_only: bool) -> bool:
    """帳簿のみ保存で控除できるか: 公共交通機関 (交通費) under 3万円; 日当・出張旅費 as paid."""
    if not books_only:
        return False
    if kind == "travel":
        return to_decimal(amount) < PUBLIC_TRANSPORT_LIMIT
    return True


def line_tax_key(
    *,
    tax_handling: str,
    kind: str,
    books_only: bool,
    amount: Decimal | int | str,
    purchase_date: date,
    is_qualified: bool,
    small_amount_exception: bool,
) -> str:
    """The ledger 税区分 key a line posts with: the category's key, or its _NQ twin when the input tax
    is credited by the 経過措置 only (no 適格請求書, and neither 帳簿のみ特例 nor 少額特例 applies)."""
    if tax_handling not in _NON_QUALIFIED:
        return tax_handling
    full_credit = (
        is_qualified
        or books_only_applies(kind=kind, amount=amount, books_only=books_only)
        or small_amount_exception_applies(
            amount=amount, purchase_date=purchase_date, enabled=small_amount_exception
        )
    )
    return tax_handling if full_credit else _NON_QUALIFIED[tax_handling]


@dataclass(frozen=True)
class LineTax:
    key: str  # ledger 税区分 key
    rate: Decimal
    tax: Decimal  # 消費税等 contained in the 税込 amount
    deductible: Decimal  # the part credited (仮払消費税等)


def line_input_tax(
    *, amount: Decimal | int | str, purchase_date: date, tax_key: str, rounding: Rounding
) -> LineTax:
    """Tax of one receipt (each receipt is its own 取引: rounded once per line). The non-deductible
    part of a purchase without a 適格請求書 stays in the expense (ledger.rules.deductible_input_tax)."""
    category = ledger_rules.TAX_CATEGORIES[tax_key]
    rate = category.rate_percent
    if category.kind != "taxable_purchase" or rate == 0:
        return LineTax(tax_key, Decimal(0), Decimal(0), Decimal(0))
    tax = ledger_rules.tax_included_in(amount=amount, rate_percent=rate, rounding=rounding)
    deductible = ledger_rules.deductible_input_tax(
        tax=tax, purchase_date=purchase_date, qualified=category.qualified, rounding=rounding
    )
    return LineTax(tax_key, rate, tax, deductible)


def rate_of(tax_handling: str) -> Decimal:
    return _RATE_OF.get(tax_handling, Decimal(0))


# ------------------------------------------------------------------------------------ 日当
def per_diem_amount(*, kind: str, days: int, day_trip: Decimal | int, overnight: Decimal | int) -> Decimal:
    """日当 = the company's rate for the kind of trip × days (旅費規程)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    rates = {"day_trip": to_decimal(day_trip), "overnight": to_decimal(overnight)}
    if kind not in rates:
        raise ValueError(f"unknown per-diem kind {kind!r}")
    return rates[kind] * days


# ------------------------------------------------------------------------------------ flags
@dataclass(frozen=True)
class Flag:
    """Something to look at before the claim goes out. ``blocking`` flags stop the submission."""

    code: str
    message: str
    line_no: int | None = None
    blocking: bool = False


@dataclass(frozen=True)
class LineFacts:
    """What the checks need to know about a line (plain values: no database)."""

    line_no: int
    date: date
    amount: Decimal
    kind: str
    tax_handling: str
    receipt_required: bool
    has_receipt: bool
    attendee_count: int | None
    registration_number: str
    is_qualified: bool
    duplicate_of_receipt: Sequence[str] = ()  # numbers (or titles) of claims holding the same receipt file
    duplicate_of_entry: Sequence[str] = ()  # … holding a line with the same date, amount and payee


@dataclass(frozen=True)
class RuleSettings:
    receipt_threshold: Decimal
    missing_receipt_blocks: bool
    entertainment_limit: Decimal


def is_future(*, day: date, today: date) -> bool:
    return day > today


def check_lines(lines: Iterable[LineFacts], rules: RuleSettings) -> list[Flag]:
    """Flags of a claim, line by line, in line order."""
    flags: list[Flag] = []
    for ln in lines:
        flags.extend(_line_flags(ln, rules))
    return flags


def _line_flags(ln: LineFacts, rules: RuleSettings) -> list[Flag]:
    flags: list[Flag] = []
    if ln.receipt_required and not ln.has_receipt and ln.amount >= rules.receipt_threshold:
        flags.append(
            Flag(
                "missing_receipt",
                _("領収書が添付されていません(%(limit)s以上の明細には領収書が必要です)。")
                % {"limit": format_yen(rules.receipt_threshold)},
                ln.line_no,
                blocking=rules.missing_receipt_blocks,
            )
        )
    if ln.kind in ("entertainment", "meeting"):
        if not ln.attendee_count:
            flags.append(
                Flag(
                    "attendees_missing",
                    _(
                        "飲食の参加者(氏名・所属)と人数を入力してください(措置法施行規則21条の18の4の記載事項)。"
                    ),
                    ln.line_no,
                    blocking=True,
                )
            )
        elif ln.tax_handling in _RATE_OF:
            rate = rate_of(ln.tax_handling)
            over = over_entertainment_limit(
                amount=ln.amount,
                rate_percent=rate,
                attendee_count=ln.attendee_count,
                limit=rules.entertainment_limit,
            )
            each = per_person_amount(
                amount=amount_without_tax(amount=ln.amount, rate_percent=rate),
                attendee_count=ln.attendee_count,
            )
            if over and ln.kind == "meeting":
                flags.append(
                    Flag(
                        "meeting_over_limit",
                        _(
                            "1人あたり%(each)s(税抜)で、上限の%(limit)sを超えています。会議費ではなく交際費で精算してください。"
                        )
                        % {"each": format_yen(each), "limit": format_yen(rules.entertainment_limit)},
                        ln.line_no,
                    )
                )
            elif over:
                flags.append(
                    Flag(
                        "entertainment_over_limit",
                        _(
                            "1人あたり%(each)s(税抜)で、%(limit)sを超えています。交際費(損金不算入の対象)になります。"
                        )
                        % {"each": format_yen(each), "limit": format_yen(rules.entertainment_limit)},
                        ln.line_no,
                    )
                )
    if ln.registration_number and not registration_check_digit_ok(ln.registration_number):
        flags.append(
            Flag(
                "registration_check_digit",
                _(
                    "登録番号 %(number)s は法人番号のチェックディジットに合いません。個人事業者の番号でなければ誤りです。公表サイトで確かめてください。"
                )
                % {"number": ln.registration_number},
                ln.line_no,
            )
        )
    if ln.is_qualified and not ln.registration_number:
        flags.append(
            Flag("qualified_without_number", _("インボイスありの明細に登録番号がありません。"), ln.line_no)
        )
    if ln.duplicate_of_receipt:
        flags.append(
            Flag(
                "duplicate_receipt",
                _("同じ領収書ファイルが他の精算にもあります: %(claims)s")
                % {"claims": "、".join(ln.duplicate_of_receipt)},
                ln.line_no,
            )
        )
    if ln.duplicate_of_entry:
        flags.append(
            Flag(
                "duplicate_entry",
                _("同じ日付・金額・支払先の明細が他の精算にもあります: %(claims)s")
                % {"claims": "、".join(ln.duplicate_of_entry)},
                ln.line_no,
            )
        )
    return flags
