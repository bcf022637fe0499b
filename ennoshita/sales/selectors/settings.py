"""Reads of the sales settings."""

from __future__ import annotations

from django.db.models import QuerySet

from ennoshita.core import selectors as core_selectors
from ennoshita.core.models import AuditEvent, Company
from ennoshita.sales.models import SalesSettings


def settings_history(*, company: Company, row: SalesSettings) -> QuerySet[AuditEvent]:
    return core_selectors.audit_events_for_object(
        company=company, object_type="sales.salessettings", object_id=str(row.pk)
    )
