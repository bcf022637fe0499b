"""Display helpers of the indirect-cost screens: signed changes and percentages, per-head amounts."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ennoshita.core.money import format_yen

register = template.Library()


@register.filter
def signed_yen(value: Decimal | int | None) -> str:
    """+¥1,200 / -¥300 / ¥0."""
    if value is None:
        return "—"
    return f"+{format_yen(value)}" if value > 0 else format_yen(value)


@register.filter
def pct(value: Decimal | None) -> str:
    """+12.5% / -3.0%; "—" when there is no base to compare with."""
    if value is None:
        return "—"
    return f"+{value}%" if value > 0 else f"{value}%"


@register.filter
def yen_or_dash(value: Decimal | int | None) -> str:
    return "—" if value is None else format_yen(value)
