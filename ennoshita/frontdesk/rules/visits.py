"""Rules of the visits part as pure functions: the states and their allowed moves, and the date
before which a visitor's personal data is erased.

個人情報保護法22条 (利用する必要がなくなったときの消去): a business "shall endeavour to erase personal
data without delay once it no longer needs to use it" (努力義務). A visitor's name and contacts serve
the visit (受付, the badge, telling the host) and the visitor log kept for security; the company
sets how long that log needs them (FrontdeskSettings.visitor_retention_days), and after that the
visit row stays only for counts.
"""

from __future__ import annotations

from datetime import date, timedelta

# 来訪: expected → arrived (受付) → left (退館); expected → cancelled / no_show; a no-show that
# turns up late can still be checked in.
VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    "expected": frozenset({"arrived", "cancelled", "no_show"}),
    "no_show": frozenset({"arrived"}),
    "arrived": frozenset({"left"}),
    "left": frozenset(),
    "cancelled": frozenset(),
}

# 総務・一般事務への依頼: open (受付待ち) → in_progress (対応中) → done (完了); back to the queue from
# in_progress; cancelled (取消) by the requester while not done.
REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "done", "cancelled"}),
    "in_progress": frozenset({"open", "done", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}

MIN_RETENTION_DAYS = 1
MAX_RETENTION_DAYS = 3650  # ten years: longer than any visitor log needs


def may_move(table: dict[str, frozenset[str]], current: str, target: str) -> bool:
    return target in table.get(current, frozenset())


def erase_before(today: date, retention_days: int) -> date:
    """Visits expected before this date have outlived the retention period (個人情報保護法22条):
    with 365 days, on 2026-11-24 everything expected before 2025-11-24 is erased; a visit of
    2025-11-24 itself is kept one more day."""
    if retention_days < MIN_RETENTION_DAYS:
        raise ValueError("retention_days must be at least 1")
    return today - timedelta(days=retention_days)


def badge_label(day: date, number: int) -> str:
    """入館証番号: the month and day and a per-day sequence, 「1124-003」."""
    return f"{day:%m%d}-{number:03d}"
