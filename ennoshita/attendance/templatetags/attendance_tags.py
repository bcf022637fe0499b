from django import template

from ennoshita.attendance.selectors import minutes_label

register = template.Library()


@register.filter
def hm(minutes: int | None) -> str:
    """450 → "7:30"; 0 or None → "" (an empty cell reads better than 0:00 in a 出勤簿)."""
    return minutes_label(minutes) if minutes else ""
