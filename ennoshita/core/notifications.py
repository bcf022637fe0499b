"""In-app notices (通知) to one user, optionally also by e-mail.

Apps call ``notify`` inside the transaction of the change that causes it (a visitor checked in, a
phone message taken, a rule version published): the row commits or rolls back with the change, and
the e-mail is sent only after the commit, so a refused change never mails anyone. Reading a notice
is the user's own business and leaves no audit event; the change that caused it has its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .errors import NotFound
from .models import Company, Notification, User

log = logging.getLogger(__name__)


def notify(
    *,
    company: Company,
    user: User,
    kind: str,
    text: str,
    url: str = "",
    object_type: str = "",
    object_id: str | int = "",
    email: bool = False,
    email_subject: str = "",
    email_body: str = "",
) -> Notification:
    """One notice to ``user``; with ``email`` also a mail to the user's address after commit."""
    notice = Notification.objects.create(
        company=company,
        user=user,
        kind=kind,
        text=text[:300],
        url=url,
        object_type=object_type,
        object_id=str(object_id),
    )
    if email and user.email:
        subject = email_subject or text
        body = email_body or text
        if url:
            body = f"{body}\n\n{getattr(settings, 'ENNOSHITA_BASE_URL', '').rstrip('/')}{url}"
        transaction.on_commit(lambda: _send(notice.pk, user.email, subject, body))
    return notice


def notify_many(
    *, company: Company, users: Iterable[User], kind: str, text: str, url: str = "", **kw: object
) -> int:
    count = 0
    for user in {u.pk: u for u in users}.values():
        notify(company=company, user=user, kind=kind, text=text, url=url, **kw)  # type: ignore[arg-type]
        count += 1
    return count


def _send(notice_id: int, address: str, subject: str, body: str) -> None:
    try:
        send_mail(subject[:200], body, None, [address])
    except Exception:  # a mail server that is down must not undo the change that was committed
        log.exception("notification mail %s to %s failed", notice_id, address)
        return
    Notification.objects.filter(pk=notice_id).update(emailed_at=timezone.now())


def unread(*, company: Company, user: User) -> QuerySet[Notification]:
    return Notification.objects.for_company(company).filter(user=user, read_at__isnull=True)


def recent(*, company: Company, user: User) -> QuerySet[Notification]:
    return Notification.objects.for_company(company).filter(user=user)


def mark_read(*, company: Company, user: User, notification_id: int | None = None) -> int:
    """Marks one notice (or, without an id, all of them) read; another user's notice is 404."""
    qs = unread(company=company, user=user)
    if notification_id is not None:
        if not Notification.objects.for_company(company).filter(pk=notification_id, user=user).exists():
            raise NotFound()
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
