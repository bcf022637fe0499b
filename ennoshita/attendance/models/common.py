"""Shapes shared by attendance's requests (打刻修正申請, 休暇申請, 残業申請, シフト交換)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestState(models.TextChoices):
    """Where a request stands; the approval itself lives in approvals (an ApprovalRequest whose
    ``object_id`` is this row's id), and its ``on_decided`` sets these states."""

    PENDING = "pending", _("承認待ち")
    RETURNED = "returned", _("差し戻し")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("却下")
    WITHDRAWN = "withdrawn", _("取り下げ")
    CANCELLED = "cancelled", _("取り消し")


OPEN_STATES = (RequestState.PENDING, RequestState.RETURNED)
