"""作業時間: a team member logs the minutes spent on a request of their team. The entry keeps the
team's hourly rate of that moment and its cost in whole yen:

    cost = minutes × hourly_rate ÷ 60, rounded 四捨五入 (half up) to the yen, per entry.

四捨五入 because the figure is a management cost (the comparison with doing the work in-house), not
a tax or a charge where a law names the rounding; half-up per entry gives the nearest yen and no
bias toward either side, and each entry's cost is stored so a later change of the rate never moves
a past month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.money import Rounding, round_yen
from ennoshita.requests import permissions
from ennoshita.requests.models import EventKind, TimeEntry, WorkRequest

from .base import S, add_event, locked

COST_ROUNDING = Rounding.HALF_UP
MAX_MINUTES = 1440


def cost_of(minutes: int, hourly_rate: Decimal) -> Decimal:
    return round_yen(Decimal(minutes) * hourly_rate / Decimal(60), COST_ROUNDING)


@transaction.atomic
def log_time(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    request: WorkRequest | int,
    minutes: int,
    worked_on: date,
    note: str = "",
) -> TimeEntry:
    row = locked(company, request)
    if not permissions.can_see(membership, row):
        raise NotFound()
    teams = permissions.team_ids(membership)
    if row.team_id not in teams:
        raise PermissionDeniedError(_("作業時間を記録できるのは依頼先チームのメンバーだけです。"))
    errors: dict[str, list[str]] = {}
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES:
        errors["minutes"] = [_("作業時間は1〜1440分で入力してください。")]
    if worked_on is None:
        errors["worked_on"] = [_("作業日を入力してください。")]
    elif worked_on > timezone.localdate():
        errors["worked_on"] = [_("作業日に未来の日付は指定できません。")]
    elif worked_on < row.created_at.astimezone(timezone.get_current_timezone()).date():
        errors["worked_on"] = [_("作業日は依頼日以降の日付にしてください。")]
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = [_("作業内容は200文字以内で入力してください。")]
    if row.status == S.CANCELLED:
        errors.setdefault("minutes", []).append(_("取り消された依頼には記録できません。"))
    if errors:
        from ennoshita.core.errors import ServiceError

        raise ServiceError(next(iter(errors.values()))[0], code="validation", field_errors=errors)
    rate = row.team.hourly_rate
    entry = TimeEntry.objects.create(
        company=company,
        request=row,
        user=actor,
        worked_on=worked_on,
        minutes=minutes,
        hourly_rate=rate,
        cost=cost_of(minutes, rate),
        note=note,
    )
    record_event(company=company, actor=actor, action="create", instance=entry, after=snapshot(entry))
    add_event(
        row,
        EventKind.TIME,
        actor,
        _("%(d)s %(m)d分 %(n)s") % {"d": worked_on.isoformat(), "m": minutes, "n": note},
    )
    return entry
