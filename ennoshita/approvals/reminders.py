"""催促: e-mail each approver whose requests have waited longer than N days at their step.

An assignment is reminded at most once every N days (``reminded_at``). One mail per approver lists
all of their waiting requests. A mail that cannot be handed over records nothing, so the next run
tries again. Run daily by the worker (tasks.py) and by ``manage.py send_approval_reminders``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.models import Company, User
from ennoshita.core.money import format_yen

from .models import ApprovalAssignment, RequestStatus
from .routing import type_label

JOB_LABEL = "send_approval_reminders"


def remind_waiting(*, company: Company, older_than_days: int, now: datetime | None = None) -> int:
    """Mail every approver with open assignments older than ``older_than_days`` days that were not
    reminded in that time; returns how many mails were sent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=max(1, int(older_than_days)))
    due = (
        ApprovalAssignment.objects.for_company(company)
        .filter(is_open=True, request__status=RequestStatus.PENDING, created_at__lte=cutoff)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff))
        .select_related("request", "user")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[ApprovalAssignment]] = defaultdict(list)
    users: dict[int, User] = {}
    for assignment in due:
        by_user[assignment.user_id].append(assignment)
        users[assignment.user_id] = assignment.user
    sent = 0
    for user_id, assignments in by_user.items():
        user = users[user_id]
        if not user.email or not user.is_active:
            continue
        mail = EmailMessage(
            subject=_("[%(company)s] 承認待ちの申請が %(n)d 件あります")
            % {"company": company.name, "n": len(assignments)},
            body=_message(company, user, assignments, now),
            from_email=django_settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        try:
            mail.send(fail_silently=False)
        except OSError:
            continue  # not recorded: the next run tries again
        with transaction.atomic():
            ApprovalAssignment.objects.filter(pk__in=[a.pk for a in assignments]).update(reminded_at=now)
            record_event(
                company=company,
                actor=None,
                actor_label=JOB_LABEL,
                action="remind",
                object_type="core.user",
                object_id=str(user.pk),
                object_repr=user.display_name(),
                after={"requests": [a.request_id for a in assignments], "to": user.email},
            )
        sent += 1
    return sent


def _message(company: Company, user: User, assignments: list[ApprovalAssignment], now: datetime) -> str:
    lines = [
        _("%(name)s さん") % {"name": user.display_name()},
        "",
        _("次の申請があなたの承認を待っています。Ennoshita の「承認待ち」(%(path)s)から確認してください。")
        % {"path": reverse("approvals:inbox")},
        "",
    ]
    for a in assignments:
        r = a.request
        lines.append(
            _("・%(type)s「%(title)s」 %(amount)s 申請者 %(applicant)s(%(days)d日待ち)")
            % {
                "type": type_label(r.request_type),
                "title": r.object_repr,
                "amount": format_yen(r.amount),
                "applicant": r.applicant.display_name() if r.applicant_id else "",
                "days": (now - r.step_started_at).days,
            }
        )
    return "\n".join(lines)
