"""知的財産: the terms of the rights and the deadlines that keep them alive (jp-rules.md §16), as
pure functions. No database: the services pass the kind and dates in.

How "N years from day D" ends. The terms are counted by 特許法3条1項 (applied to 商標 by 商標法77条1項,
to 意匠 by 意匠法68条1項, to 実用新案 by 実用新案法55条1項; the same rule as 民法140条・143条): the first
day is not counted, so the count starts the next day, and a period of years ends on the day before the
day in the last year that corresponds to that start — which is the anniversary of D itself. INPIT's
FAQ (jp-rules D1) gives the worked example: 登録日 4/10 → 満了日 is 4/10 ten years later; the late
renewal runs from 4/11 to 10/10. So a right registered on 2016-04-10 expires on 2026-04-10 (not
04-09), and a right registered on 29 February ends on 28 February (the day before 1 March).

Where a deadline falls on a day the 特許庁 is closed (土日祝, 12/29–1/3), 特許法3条2項 moves it to the
next open day. The dates below are the dates as counted (never later than the law's); only
:func:`office_day` applies the move, and the services use it before they treat a right as lapsed.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from ennoshita.core.dates import is_holiday

# kinds (the values of legal.models.IpKind; kept as text so that this module needs no model)
TRADEMARK = "trademark"
PATENT = "patent"
DESIGN = "design"
UTILITY_MODEL = "utility_model"
COPYRIGHT = "copyright"
DOMAIN = "domain"
ANNUITY_KINDS = (PATENT, DESIGN, UTILITY_MODEL)
REGISTERED_KINDS = (TRADEMARK, PATENT, DESIGN, UTILITY_MODEL)

TRADEMARK_YEARS = 10  # 商標法19条1項: 設定の登録の日から10年
INSTALLMENT_YEARS = 5  # 商標法41条の2: 前期・後期 5年分ずつ
PATENT_YEARS = 20  # 特許法67条1項: 出願の日から20年
DESIGN_YEARS_2020 = 25  # 意匠法21条1項 (令和元年改正, 2020-04-01以降の出願): 出願の日から25年
DESIGN_YEARS_2007 = 20  # 平成18年改正 (2007-04-01〜2020-03-31の出願): 設定登録の日から20年
DESIGN_YEARS_OLD = 15  # それより前の出願: 設定登録の日から15年
UTILITY_YEARS = 10  # 実用新案法15条 (2005-04-01以降の出願): 出願の日から10年
UTILITY_YEARS_OLD = 6  # それより前の出願: 出願の日から6年
COPYRIGHT_YEARS = 70  # 著作権法51条2項・52〜54条, 57条 (翌年1月1日から起算)
GRACE_MONTHS = 6  # 商標法21条・41条の2, 特許法112条, 意匠法44条, 実用新案法33条: 期間経過後6月以内
RENEWAL_WINDOW_MONTHS = 6  # 商標法20条2項: 満了前6月から満了の日まで
# 年金 paid at registration (or filing): 特許法108条1項 第1〜3年分, 実用新案法32条 第1〜3年分 (出願と同時),
# 意匠法43条1項 第1年分
PAID_AT_REGISTRATION = {PATENT: 3, UTILITY_MODEL: 3, DESIGN: 1}
FIRST_ANNUITY_YEAR = {PATENT: 4, UTILITY_MODEL: 4, DESIGN: 2}

DESIGN_2020 = date(2020, 4, 1)
DESIGN_2007 = date(2007, 4, 1)
UTILITY_2005 = date(2005, 4, 1)

# the kinds of deadline (stored in IpRight.next_deadline_kind and IpAlert.kind)
TM_RENEWAL = "tm_renewal"
TM_SECOND_HALF = "tm_second_half"
ANNUITY = "annuity"  # stored as "annuity:<year>"
EXPIRY = "expiry"
DOMAIN_EXPIRY = "domain_expiry"

LABELS = {
    TM_RENEWAL: "商標の更新登録申請",
    TM_SECOND_HALF: "後期分割登録料の納付",
    ANNUITY: "第%(n)s年分の年金(特許料・登録料)の納付",
    EXPIRY: "存続期間の満了",
    DOMAIN_EXPIRY: "ドメイン名の有効期限",
}


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the month's last day when the day is missing."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(start: date, years: int) -> date:
    """The last day of a term of ``years`` years counted from ``start`` (特許法3条1項: the first day
    not counted, ending on the day before the corresponding day): the anniversary of ``start``, or
    28 February for a start on 29 February. INPIT FAQ (jp-rules §16, D1): 4/10 → 4/10."""
    begins = start + timedelta(days=1)
    return add_months(begins, 12 * years) - timedelta(days=1)


def office_day(day: date) -> date:
    """特許法3条2項: a deadline on a day the office is closed (行政機関の休日: 土日, 祝日, 12/29〜1/3)
    moves to the next open day."""
    while not _office_open(day):
        day += timedelta(days=1)
    return day


_CLOSED_DAYS = {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}  # 行政機関の休日に関する法律1条1項3号


def _office_open(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day) and (day.month, day.day) not in _CLOSED_DAYS


def ip_expiry(
    *,
    kind: str,
    filed_on: date | None,
    registered_on: date | None,
    copyright_basis: str = "",
    basis_year: int | None = None,
) -> date | None:
    """存続期間の満了日 (the first term; a trademark's renewals move it 10 years each, see the
    services). None when the facts it needs are missing, and for a domain name (entered).

    - 商標: 設定登録日から10年 (商標法19条1項; jp-rules §16 D1, D2).
    - 特許: 出願日から20年 (特許法67条1項; §16 D8, D13). 延長登録 (67条4項) is not modelled.
    - 意匠: 出願日から25年 when filed on/after 2020-04-01 (意匠法21条1項, 令和元年改正); 設定登録日から
      20年 when filed 2007-04-01〜2020-03-31 (平成18年改正); 設定登録日から15年 before (§16 D10–D12).
    - 実用新案: 出願日から10年 when filed from 2005-04-01, else 6年 (実用新案法15条; §16 D13, D20).
    - 著作権: 12月31日 of ``basis_year`` + 70 (著作権法51条2項・52〜54条, 57条: counted from 1 January
      of the following year; §16 D15–D17). ``basis_year`` is the year of the author's death or of
      公表 (``copyright_basis``), whichever 著作権法 names for the work.
    - ドメイン名: no statute (§16 D18, D19): None; the registrar's expiry is entered.
    """
    if kind == TRADEMARK:
        return term_end(registered_on, TRADEMARK_YEARS) if registered_on else None
    if kind == PATENT:
        return term_end(filed_on, PATENT_YEARS) if filed_on else None
    if kind == DESIGN:
        if filed_on is None:
            return None
        if filed_on >= DESIGN_2020:
            return term_end(filed_on, DESIGN_YEARS_2020)
        if registered_on is None:
            return None
        years = DESIGN_YEARS_2007 if filed_on >= DESIGN_2007 else DESIGN_YEARS_OLD
        return term_end(registered_on, years)
    if kind == UTILITY_MODEL:
        if filed_on is None:
            return None
        return term_end(filed_on, UTILITY_YEARS if filed_on >= UTILITY_2005 else UTILITY_YEARS_OLD)
    if kind == COPYRIGHT:
        return date(basis_year + COPYRIGHT_YEARS, 12, 31) if basis_year else None
    return None


@dataclass(frozen=True)
class Deadline:
    """One deadline of a right. ``due_on`` is the last day of the ordinary period; ``opens_on`` the
    first day one may act (the trademark renewal window); ``grace_until`` the last day of the late
    period (6 months, with a 割増 equal to the fee: 2× in total), None when there is none."""

    kind: str
    due_on: date
    opens_on: date | None = None
    grace_until: date | None = None
    fee_year: int | None = None
    # False for a deadline that asks for nothing (the end of a term that cannot be renewed)
    action: bool = True

    @property
    def key(self) -> str:
        """The stored kind: ``annuity:<year>`` for an annual fee, else the kind."""
        return f"{ANNUITY}:{self.fee_year}" if self.kind == ANNUITY else self.kind

    @property
    def label(self) -> str:
        return label_of(self.key)

    @property
    def last_day(self) -> date:
        return self.grace_until or self.due_on

    def state(self, today: date) -> str:
        """``upcoming`` (before the window), ``open`` (may act, no surcharge), ``grace`` (late: 割増
        needed), ``passed`` (even the late period is over)."""
        if today > self.last_day:
            return "passed"
        if today > self.due_on:
            return "grace"
        if self.opens_on is not None and today < self.opens_on:
            return "upcoming"
        return "open"

    def surcharge(self, today: date) -> bool:
        """割増 needed if acting ``today`` (inside the late period)."""
        return self.state(today) == "grace"


def label_of(key: str) -> str:
    """A stored deadline kind in words (``annuity:4`` → 第4年分の年金…)."""
    if key.startswith(f"{ANNUITY}:"):
        return LABELS[ANNUITY] % {"n": key.split(":", 1)[1]}
    return LABELS.get(key, key)


def _grace(due: date) -> date:
    return add_months(due, GRACE_MONTHS)


def annuity_due(registered_on: date, year: int) -> date:
    """The last day to pay the fee for ``year`` of the right: 前年以前 (特許法108条2項, 意匠法43条2項,
    実用新案法32条2項), i.e. the end of year ``year - 1`` counted from 設定登録日 — its anniversary."""
    return term_end(registered_on, year - 1)


def trademark_deadlines(
    *, registered_on: date | None, expires_on: date | None, installment: bool
) -> list[Deadline]:
    """商標: the 更新登録申請 window (商標法20条2項: 満了前6月から満了の日まで) and its late period
    (21条: 満了後6月以内, 割増登録料 = 更新登録料, 43条); with 分割納付, the 後期分割登録料 due before the
    5-year point of the current term (41条の2: 設定登録(更新)の日から5年を経過する前), late within 6
    months with 割増 (§16: "late payment is allowed within 6 months with a surcharge").

    The window opens the day after ``expires_on`` − 6 months (INPIT FAQ D1: 満了 4/10 → 10/11)."""
    if expires_on is None:
        return []
    found = [
        Deadline(
            TM_RENEWAL,
            due_on=expires_on,
            opens_on=add_months(expires_on, -RENEWAL_WINDOW_MONTHS) + timedelta(days=1),
            grace_until=_grace(expires_on),
        )
    ]
    if installment:
        term_start = add_months(expires_on, -12 * TRADEMARK_YEARS)
        half = term_end(term_start, INSTALLMENT_YEARS)
        found.insert(0, Deadline(TM_SECOND_HALF, due_on=half, grace_until=_grace(half)))
    return found


def annuity_deadlines(
    *, kind: str, registered_on: date | None, expires_on: date | None, paid_through_year: int | None
) -> list[Deadline]:
    """特許・意匠・実用新案: the next year's fee, then the end of the term.

    特許 (§16, 特許法107・108・112条): years 1–3 at registration; from year 4 each year's fee before
    the anniversary of 設定登録日 that starts it; 6-month 追納 with 割増特許料 equal to the fee (2×).
    意匠 and 実用新案: §16 states only their terms. Assumed here, from 意匠法42〜44条 and 実用新案法31〜33条
    (the same pattern): 意匠 pays year 1 at registration and each later year before its start;
    実用新案 pays years 1–3 with the application and each year from 4 before its start; both with
    the same 6-month late payment and 2× surcharge. ``paid_through_year`` None = only what is paid
    at registration. A fee year that would start after the term's end is not due."""
    found: list[Deadline] = []
    if registered_on is not None:
        paid = paid_through_year if paid_through_year is not None else PAID_AT_REGISTRATION[kind]
        year = max(paid + 1, FIRST_ANNUITY_YEAR[kind])
        due = annuity_due(registered_on, year)
        if expires_on is None or due < expires_on:
            found.append(Deadline(ANNUITY, due_on=due, grace_until=_grace(due), fee_year=year))
    if expires_on is not None:
        found.append(Deadline(EXPIRY, due_on=expires_on, action=False))
    return found


def ip_deadlines(
    *,
    kind: str,
    registered_on: date | None,
    expires_on: date | None,
    installment: bool = False,
    paid_through_year: int | None = None,
    today: date | None = None,
) -> list[Deadline]:
    """The deadlines that matter for a right in force, earliest first. With ``today``, those whose
    late period ended before ``today`` are kept (the services treat them as lapsed or refuse them);
    :func:`next_deadline` picks the first still open.

    - 商標: :func:`trademark_deadlines`.
    - 特許・意匠・実用新案: :func:`annuity_deadlines`.
    - 著作権: the end of protection (nothing to pay).
    - ドメイン名: the expiry entered from the registrar (§16 D18: for .jp, JPRS sets it to the last
      day of the month a year after registration and renews it unless 廃止 is filed; the renewal
      window is each registrar's own, D19). No late period is assumed."""
    if kind == TRADEMARK:
        found = trademark_deadlines(
            registered_on=registered_on, expires_on=expires_on, installment=installment
        )
    elif kind in ANNUITY_KINDS:
        found = annuity_deadlines(
            kind=kind, registered_on=registered_on, expires_on=expires_on, paid_through_year=paid_through_year
        )
    elif kind == DOMAIN:
        found = [Deadline(DOMAIN_EXPIRY, due_on=expires_on)] if expires_on else []
    elif expires_on is not None:
        found = [Deadline(EXPIRY, due_on=expires_on, action=False)]
    else:
        found = []
    return sorted(found, key=lambda d: (d.due_on, d.kind))


def next_deadline(
    *,
    kind: str,
    registered_on: date | None,
    expires_on: date | None,
    installment: bool = False,
    paid_through_year: int | None = None,
    today: date,
) -> Deadline | None:
    """The first deadline still open on ``today`` (its late period included), or None."""
    for d in ip_deadlines(
        kind=kind,
        registered_on=registered_on,
        expires_on=expires_on,
        installment=installment,
        paid_through_year=paid_through_year,
        today=today,
    ):
        if d.state(today) != "passed":
            return d
    return None


def missed(deadlines: list[Deadline], today: date) -> Deadline | None:
    """The first deadline that asks for something and whose late period (moved to the next open
    day of the office, 特許法3条2項) is over on ``today``: the right is lost (商標法20条4項・41条の2第6項,
    特許法112条4項) or, for an expiry, ended."""
    for d in deadlines:
        last = office_day(d.last_day) if d.action and d.kind != DOMAIN_EXPIRY else d.last_day
        if today > last:
            return d
    return None
