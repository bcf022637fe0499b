"""The day of a visit at the desk (受付): check-in with a badge number, walk-ins, check-out, and
来訪なし. An arrival tells the host in the app (and by e-mail when 受付の設定 says so, after the
commit).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.notifications import notify
from ennoshita.core.numbering import next_number
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.frontdesk.models import Visit, VisitStatus
from ennoshita.frontdesk.permissions_visits import DESK_ROLES, MEMBER_ROLES
from ennoshita.frontdesk.rules import visits as rules

from ._common import AUDIT_FIELDS, locked_visit, record_visit_event, require_may_change, require_move
from ._input import VisitInput, clean_visit, host_of
from .desk_settings import settings_of


def _badge(company: Company, day: Any, given: str) -> str:
    given = nfkc(given or "").strip()
    if given:
        if len(given) > 20:
            raise ServiceError(
                _("入館証番号は20文字以内で入力してください。"),
                code="validation",
                field_errors={"badge_number": [_("入館証番号は20文字以内で入力してください。")]},
            )
        return given
    number = next_number(company=company, doc_type=f"frontdesk.badge.{day:%m%d}", fiscal_year=day.year)
    return rules.badge_label(day, number)


def visit_url(visit: Visit) -> str:
    return reverse("frontdesk:visit_detail", args=[visit.pk])


def _notify_arrival(company: Company, visit: Visit) -> None:
    who = " ".join(x for x in (visit.visitor_company, visit.visitor_name + " 様") if x)
    local = timezone.localtime(visit.checked_in_at)
    text = _("%(who)s が受付に到着しました(%(time)s、入館証 %(badge)s)") % {
        "who": who,
        "time": f"{local:%H:%M}",
        "badge": visit.badge_number,
    }
    notify(
        company=company,
        user=visit.host,
        kind="frontdesk.visit_arrived",
        text=text,
        url=visit_url(visit),
        object_type="frontdesk.visit",
        object_id=visit.pk,
        email=settings_of(company).notify_host_by_email,
        email_subject=_("[来客] %(who)s が到着しました") % {"who": who},
        email_body=text + ("\n" + _("用件: %(p)s") % {"p": visit.purpose} if visit.purpose else ""),
    )


def _check_in(company: Company, actor: User, visit: Visit, badge_number: str) -> None:
    now = timezone.now()
    visit.status = VisitStatus.ARRIVED
    visit.checked_in_at = now
    visit.checked_in_by = actor
    visit.badge_number = _badge(company, timezone.localdate(now), badge_number)


@transaction.atomic
def check_in(
    *, company: Company, actor: User, membership: Membership, visit: Visit, badge_number: str = ""
) -> Visit:
    """受付 (desk): the visitor has arrived. Takes the day's next badge number unless one is given,
    and tells the host in the app (and by e-mail when 受付の設定 says so, after the commit)."""
    require_role(membership, *DESK_ROLES)
    visit = locked_visit(company, visit)
    require_move(visit, VisitStatus.ARRIVED)
    before = snapshot(visit, AUDIT_FIELDS)
    _check_in(company, actor, visit, badge_number)
    visit.save(update_fields=["status", "checked_in_at", "checked_in_by", "badge_number"])
    record_visit_event(company=company, actor=actor, action="check_in", visit=visit, before=before)
    _notify_arrival(company, visit)
    return visit


@transaction.atomic
def register_walk_in(
    *, company: Company, actor: User, membership: Membership, data: VisitInput, badge_number: str = ""
) -> Visit:
    """飛び込み: a visitor with no appointment, registered at the desk already checked in; the host
    is told as for any arrival."""
    require_role(membership, *DESK_ROLES)
    if data.host_id is None:
        raise ServiceError(
            _("担当者を選んでください。"),
            code="validation",
            field_errors={"host": [_("担当者を選んでください。")]},
        )
    host = host_of(company, data.host_id, actor, membership)
    values = clean_visit(VisitInput(**{**data.__dict__, "room_id": None}), walk_in=True)
    visit = Visit(company=company, host=host, created_by=actor, is_walk_in=True, **values)
    _check_in(company, actor, visit, badge_number)
    visit.save()
    record_visit_event(
        company=company, actor=actor, action="walk_in", visit=visit, before=None, personal=(None, "登録")
    )
    _notify_arrival(company, visit)
    return visit


@transaction.atomic
def check_out(*, company: Company, actor: User, membership: Membership, visit: Visit) -> Visit:
    """退館 (desk): the visitor has left and returned the badge."""
    require_role(membership, *DESK_ROLES)
    visit = locked_visit(company, visit)
    require_move(visit, VisitStatus.LEFT)
    before = snapshot(visit, AUDIT_FIELDS)
    visit.status = VisitStatus.LEFT
    visit.checked_out_at = timezone.now()
    visit.save(update_fields=["status", "checked_out_at"])
    record_visit_event(company=company, actor=actor, action="check_out", visit=visit, before=before)
    return visit


@transaction.atomic
def mark_no_show(*, company: Company, actor: User, membership: Membership, visit: Visit) -> Visit:
    """来訪なし: the desk or the host records that the visitor did not come."""
    require_role(membership, *MEMBER_ROLES)
    visit = locked_visit(company, visit)
    require_may_change(visit, actor, membership)
    require_move(visit, VisitStatus.NO_SHOW)
    before = snapshot(visit, AUDIT_FIELDS)
    visit.status = VisitStatus.NO_SHOW
    visit.save(update_fields=["status"])
    record_visit_event(company=company, actor=actor, action="no_show", visit=visit, before=before)
    return visit
