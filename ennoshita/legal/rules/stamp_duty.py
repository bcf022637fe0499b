"""印紙税 on a contract's paper original (印紙税法 別表第一 第1号・第2号・第7号; jp-rules.md §14), as a
pure function.

No database: the service passes the 号 (the values of ``models.StampDocument``, kept here as text so
that this module needs no model), the 記載金額 and the date the document was made (作成 = handed over,
印紙税法基本通達44条). Receipts (第17号の1) are ``ennoshita.sales.rules.receipt_stamp_duty``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ennoshita.core.money import yen

# documents (the values of models.StampDocument)
NONE = "none"
NO1_REAL_ESTATE = "1-1-real-estate"  # 第1号の1 不動産の譲渡
NO1_1 = "1-1"  # 第1号の1 無体財産権・船舶・航空機・営業の譲渡
NO1_2 = "1-2"  # 第1号の2 地上権・土地の賃借権
NO1_3 = "1-3"  # 第1号の3 消費貸借
NO1_4 = "1-4"  # 第1号の4 運送
NO2_CONSTRUCTION = "2-construction"  # 第2号 建設工事 (建設業法2条1項) の請負
NO2 = "2"  # 第2号 請負 (建設工事以外)
NO7 = "7"  # 第7号 継続的取引の基本となる契約書

NO1 = frozenset({NO1_REAL_ESTATE, NO1_1, NO1_2, NO1_3, NO1_4})
NO2_ALL = frozenset({NO2_CONSTRUCTION, NO2})
DOCUMENTS = frozenset({NONE, NO7}) | NO1 | NO2_ALL

NO7_DUTY = 4_000  # 第7号: 1通につき4,000円 (jp-rules §14)
NO_AMOUNT_DUTY = 200  # 第1号・第2号 契約金額の記載のないもの (jp-rules §14.1)

# 租税特別措置法91条 (不動産譲渡契約書・建設工事請負契約書の軽減措置): documents made from 2014-04-01
# to 2027-03-31 (令和9年3月31日). No extension beyond 2027-03-31 has been found (jp-rules §14.1), so a
# document made on 2027-04-01 or later pays the 本則 duty until the law says otherwise. The earlier
# measure (1997-04-01 to 2014-03-31, amounts over 1千万円 only) is not modelled: before 2014-04-01
# this returns the 本則 duty.
REDUCED_FROM = date(2014, 4, 1)
REDUCED_UNTIL = date(2027, 3, 31)

# 印紙税法 別表第一 第1号・第2号 and 租特法91条, as transcribed by NTA タックスアンサー No.7140
# (第1号), No.7141 (第2号) and No.7108 (軽減措置); jp-rules §14.1.
# (upper bound inclusive, duty); the last row's bound None means "and above".
# Below 1万円 no duty (非課税).
DutyTable = tuple[tuple[int | None, int], ...]

_ABOVE_5M = (  # 500万円超: 第1号 and 第2号 share these rows (本則)
    (10_000_000, 10_000),
    (50_000_000, 20_000),
    (100_000_000, 60_000),
    (500_000_000, 100_000),
    (1_000_000_000, 200_000),
    (5_000_000_000, 400_000),
    (None, 600_000),
)
_ABOVE_5M_REDUCED = (  # 500万円超, 軽減措置 (不動産譲渡 and 建設工事 alike)
    (10_000_000, 5_000),
    (50_000_000, 10_000),
    (100_000_000, 30_000),
    (500_000_000, 60_000),
    (1_000_000_000, 160_000),
    (5_000_000_000, 320_000),
    (None, 480_000),
)

NO1_DUTY: DutyTable = (
    (9_999, 0),
    (100_000, 200),
    (500_000, 400),
    (1_000_000, 1_000),
    (5_000_000, 2_000),
    *_ABOVE_5M,
)
NO1_REDUCED_DUTY: DutyTable = (  # 不動産の譲渡 (1の1), 10万円超 reduced
    (9_999, 0),
    (100_000, 200),
    (500_000, 200),
    (1_000_000, 500),
    (5_000_000, 1_000),
    *_ABOVE_5M_REDUCED,
)
NO2_DUTY: DutyTable = (
    (9_999, 0),
    (1_000_000, 200),
    (2_000_000, 400),
    (3_000_000, 1_000),
    (5_000_000, 2_000),
    *_ABOVE_5M,
)
NO2_REDUCED_DUTY: DutyTable = (  # 建設工事の請負, 100万円超 reduced
    (9_999, 0),
    (1_000_000, 200),
    (2_000_000, 200),
    (3_000_000, 500),
    (5_000_000, 1_000),
    *_ABOVE_5M_REDUCED,
)


def _lookup(table: DutyTable, amount: int) -> int:
    for upper, duty in table:
        if upper is None or amount <= upper:
            return duty
    raise AssertionError("a duty table ends with an open row")  # pragma: no cover


def is_reduced(*, document: str, made_on: date) -> bool:
    """Whether the 軽減措置 (租特法91条) applies to a document of this 号 made on ``made_on``. Within
    the window the reduced table is used at every amount; it equals the 本則 up to 10万円 (不動産) or
    100万円 (建設工事), where the law gives no reduction."""
    return document in (NO1_REAL_ESTATE, NO2_CONSTRUCTION) and REDUCED_FROM <= made_on <= REDUCED_UNTIL


def _table(document: str, made_on: date) -> DutyTable:
    reduced = is_reduced(document=document, made_on=made_on)
    if document in NO1:
        return NO1_REDUCED_DUTY if reduced else NO1_DUTY
    return NO2_REDUCED_DUTY if reduced else NO2_DUTY


def contract_stamp_duty(
    *,
    document: str,
    amount: int | Decimal | None,
    made_on: date,
    paper: bool = True,
    tax_shown_separately: int | Decimal = 0,
) -> int:
    """印紙税 (yen) on the paper original of a contract.

    - ``document``: the 号 (a value of ``models.StampDocument``); "none" → 0.
    - 第7号 (継続的取引の基本となる契約書) → 4,000 flat, whatever the amount.
    - 第1号・第2号: table 14.1 on the 記載金額 (``amount`` in whole yen); ``None`` (金額の記載なし)
      → 200; below 1万円 → 0 (非課税). 不動産の譲渡 (1の1) and 建設工事の請負 (2号) made 2014-04-01
      to 2027-03-31 take the reduced column (租特法91条).
    - ``tax_shown_separately``: the 消費税額等 when the document states it separately; the amount
      without it decides the bracket (jp-rules §14.3). It cannot exceed ``amount``.
    - ``paper=False``: an electronic contract (PDF, e-signature) with no paper original handed over
      is not a 課税文書 → 0. A paper original also delivered is taxable (jp-rules §14.3).

    Example (jp-rules §14.1): a 1号 contract of 税込 1,100,000 showing 消費税 100,000 → 1,000,000
    → 1,000.
    """
    if document not in DOCUMENTS:
        raise ValueError(f"document must be one of {', '.join(sorted(DOCUMENTS))}, not {document!r}")
    tax = int(yen(tax_shown_separately))
    if tax < 0:
        raise ValueError("tax_shown_separately cannot be negative")
    whole: int | None = None
    if amount is not None:
        whole = int(yen(amount))
        if whole < 0:
            raise ValueError("amount cannot be negative")
        if tax > whole:
            raise ValueError("tax_shown_separately cannot exceed amount")
    if not paper or document == NONE:
        return 0
    if document == NO7:
        return NO7_DUTY
    if whole is None:
        return NO_AMOUNT_DUTY
    return _lookup(_table(document, made_on), whole - tax)
