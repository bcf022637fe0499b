"""Template helpers shared by every screen: query strings, history rows, 和暦, yen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from ennoshita.core.dates import to_wareki as _to_wareki
from ennoshita.core.history import ACTION_LABELS, HistoryRow
from ennoshita.core.history import history_rows as _history_rows
from ennoshita.core.history import history_table as _history_table
from ennoshita.core.money import format_yen

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: template.Context, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (pagination, sort links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, key: str, label: str) -> str:
    from django.utils.html import format_html

    current = context["request"].GET.get("sort", "")
    new = f"-{key}" if current == key else key
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    query = context["request"].GET.copy()
    query["sort"] = new
    query.pop("page", None)
    return format_html('<a href="?{}">{}{}</a>', query.urlencode(), label, arrow)


@register.filter
def history_rows(event: Any) -> list[HistoryRow]:
    return _history_rows(event)


@register.filter
def history_table(events: Any) -> list[tuple[Any, list[HistoryRow]]]:
    return _history_table(events)


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@register.filter
def wareki(value: date | None) -> str:
    return _to_wareki(value) if value else ""


@register.filter
def yen(value: Decimal | int | None) -> str:
    return format_yen(value) if value is not None else ""


@register.filter
def verbose_name(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@register.filter
def field_label(object_type: str, field: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return _(field)
