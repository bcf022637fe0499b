"""勤怠 writes: punches (打刻) and their CSV import.
Every write is audited."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.attendance.closing_selectors import locked_months
from ennoshita.attendance.models import Punch, PunchKind, PunchSource, PunchState
from ennoshita.attendance.permissions import SETTINGS_ROLES
from ennoshita.attendance.rules import punches as punch_rules
from ennoshita.attendance.rules.workday import TOKYO
from ennoshita.attendance.selectors import settings_of
from ennoshita.attendance.services.closing import ensure_month_open
from ennoshita.attendance.services.figures import mark_days_changed
from ennoshita.core.audit import EventInput, record_event, record_events, snapshot
from ennoshita.core.csvio import decode_upload, read_rows
from ennoshita.core.dates import parse_date_flexible
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors

IMPORT_HEADER = ("社員番号", "勤務日", "種類", "時刻", "メモ")
IMPORT_KINDS = {label: kind for kind, label in PunchKind.choices} | {k: k for k in PunchKind.values}
MAX_IMPORT_ROWS = 50_000
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")

PUNCH_FIELDS = (
    "employee",
    "work_date",
    "kind",
    "at",
    "source",
    "ip_address",
    "note",
    "latitude",
    "longitude",
)


@dataclass(frozen=True)
class PunchInput:
    kind: str
    note: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _refuse(message: str, field: str = "kind") -> ServiceError:
    return ServiceError(message, code="validation", field_errors={field: [message]})


def _locked_state(company: Company, employee_id: int) -> PunchState:
    PunchState.objects.get_or_create(company=company, employee_id=employee_id)
    return PunchState.objects.select_for_update().get(company=company, employee_id=employee_id)


@transaction.atomic
def record_punch(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    data: PunchInput,
    source: str = PunchSource.WEB,
    ip_address: str | None = None,
    now: datetime | None = None,
) -> Punch:
    """The signed-in employee's own punch at the server's time (the employee cannot choose it).

    Refused with a message, nothing written: no employee record linked to the user, retired, a
    punch that does not follow 出勤 → 休憩 → 退勤, a time not after the last punch, a position when
    the company does not record positions. Two presses at once: the second waits for the first
    (the employee's state row is locked) and is then refused as out of order."""
    if source not in (PunchSource.WEB, PunchSource.MOBILE):
        raise _refuse(_("打刻元が正しくありません。"), "source")
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    if employee is None:
        raise _refuse(
            _("ログインユーザーに社員の記録が紐付いていないため、打刻できません。人事に連絡してください。"),
            "__all__",
        )
    at = now or timezone.now()
    today = timezone.localdate(at)
    if employee.retire_date is not None and employee.retire_date < today:
        raise _refuse(_("退職日を過ぎているため打刻できません。"), "__all__")
    if data.kind not in PunchKind.values:
        raise _refuse(_("打刻の種類が正しくありません。"))
    note = data.note.strip()
    if len(note) > 200:
        raise _refuse(_("メモは200文字以内で入力してください。"), "note")
    if (data.latitude is None) != (data.longitude is None):
        raise _refuse(_("位置情報は緯度と経度の両方が必要です。"), "latitude")
    if data.latitude is not None:
        assert data.longitude is not None
        if not settings_of(company=company).position_enabled:
            raise _refuse(_("この会社では打刻の位置情報を記録しません。"), "latitude")
        if not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
            raise _refuse(_("位置情報が正しくありません。"), "latitude")

    state = _locked_state(company, employee.pk)
    last_kind = state.last_kind
    if (
        last_kind in (punch_rules.IN, punch_rules.BREAK_START, punch_rules.BREAK_END)
        and state.clock_in_at is not None
        and at - state.clock_in_at > punch_rules.FORGOTTEN_AFTER
    ):
        last_kind = ""  # a forgotten 退勤: a new 出勤 starts the next shift; the old one awaits a correction
    if state.last_at is not None and at <= state.last_at:
        raise _refuse(
            _("直前の打刻(%(at)s)より後の時刻でなければ打刻できません。")
            % {"at": timezone.localtime(state.last_at).strftime("%Y-%m-%d %H:%M:%S")}
        )
    message = punch_rules.refusal(last_kind=last_kind, kind=data.kind)
    if message is not None:
        raise _refuse(_(message))
    work_date = today if data.kind == punch_rules.IN or state.work_date is None else state.work_date
    # a closed month (勤怠締め) takes no punch of its work days until 人事 reopens it; a month is
    # closed only after it has ended (services.closing), so the current month needs no query
    if work_date.replace(day=1) != today.replace(day=1):
        ensure_month_open(company=company, employee_id=employee.pk, day=work_date)
    punch = Punch(
        company=company,
        employee=employee,
        work_date=work_date,
        kind=data.kind,
        at=at,
        source=source,
        ip_address=ip_address,
        note=note,
        latitude=data.latitude,
        longitude=data.longitude,
        recorded_by=actor,
    )
    punch.save()
    if data.kind in (punch_rules.OUT, punch_rules.BREAK_START):
        # only these end a worked interval (rules.punches.day_intervals): the 36協定 figures move
        mark_days_changed(company=company, days=[(employee.pk, work_date)])
    state.last_kind = data.kind
    state.last_at = at
    state.work_date = work_date
    if data.kind == punch_rules.IN:
        state.clock_in_at = at
    elif data.kind == punch_rules.OUT:
        state.clock_in_at = None
    state.save()
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=punch,
        object_repr=f"{employee.number} {punch}",
        after=snapshot(punch, PUNCH_FIELDS),
    )
    return punch


@dataclass(frozen=True)
class PunchImportResult:
    punches: int
    employees: int


def _import_date(text: str) -> date | None:
    try:
        return parse_date_flexible(text) if text else None
    except ValueError:
        return None


def day_time(work_date: date, text: str) -> datetime | None:
    """ "9:05" on the work date; "25:30" is 1:30 of the next day (a shift past midnight belongs to
    the day it started, as time clocks print it). Up to 47:59. None when it does not read."""
    found = _TIME.match(text)
    if not found:
        return None
    hours, minutes = int(found.group(1)), int(found.group(2))
    if minutes > 59 or hours > 47:
        return None
    return datetime.combine(work_date, time(0), TOKYO) + timedelta(hours=hours, minutes=minutes)


_import_time = day_time


@transaction.atomic
def import_punches(
    *, company: Company, actor: User, membership: Membership, data: bytes
) -> PunchImportResult:
    """Punches from a CSV (docs/domains/attendance.md: 社員番号, 勤務日 YYYY-MM-DD, 種類 出勤/休憩開始/
    休憩終了/退勤, 時刻 H:MM — 24:00 and later for after midnight —, メモ), UTF-8 or Shift_JIS.

    Every row is checked first and nothing is written unless all are good: the employee exists,
    the date and time read, each work day's punches follow 出勤 → 休憩 → 退勤, and the employee has
    no punch yet on that work day (a day is imported whole or corrected by request, never merged).
    One audit event per employee names how many punches came in."""
    require_role(membership, *SETTINGS_ROLES)
    text, _encoding = decode_upload(data)
    rows = list(read_rows(text))
    header = tuple(nfkc(c).strip() for c in rows[0][1]) if rows else ()
    if header[:4] != IMPORT_HEADER[:4]:
        raise _refuse(_("1行目は「社員番号,勤務日,種類,時刻,メモ」の見出しにしてください。"), "file")
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise _refuse(_("一度に取り込めるのは50,000行までです。"), "file")
    employees = people_selectors.employees_by_number(company=company)
    problems: list[str] = []
    days: dict[tuple[int, date], list[tuple[datetime, str, str]]] = defaultdict(list)
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        cells = [nfkc(c).strip() for c in cells] + [""] * 5
        number, day_text, kind_text, time_text, note = cells[:5]
        employee = employees.get(number)
        work_date = _import_date(day_text)
        kind = IMPORT_KINDS.get(kind_text)
        at = _import_time(work_date, time_text) if work_date else None
        if employee is None:
            problems.append(
                _("%(line)d行目: 社員番号「%(n)s」の社員がいません。") % {"line": line, "n": number}
            )
        elif work_date is None:
            problems.append(_("%(line)d行目: 勤務日は YYYY-MM-DD で入力してください。") % {"line": line})
        elif kind is None:
            problems.append(
                _("%(line)d行目: 種類は出勤・休憩開始・休憩終了・退勤のいずれかです。") % {"line": line}
            )
        elif at is None:
            problems.append(_("%(line)d行目: 時刻は 9:05 や 25:30 の形で入力してください。") % {"line": line})
        elif len(note) > 200:
            problems.append(_("%(line)d行目: メモは200文字以内です。") % {"line": line})
        else:
            days[(employee.pk, work_date)].append((at, kind, note))
    taken = set(
        Punch.objects.for_company(company)
        .filter(
            employee_id__in={pk for pk, _d in days},
            work_date__in={d for _pk, d in days},
            voided_at__isnull=True,
        )
        .values_list("employee_id", "work_date")
    )
    by_pk = {e.pk: e for e in employees.values()}
    # a closed month (勤怠締め) takes no imported punch: the whole file is refused, the month named
    closed = (
        locked_months(
            company=company,
            employee_ids={pk for pk, _d in days},
            start=min(d for _pk, d in days),
            end=max(d for _pk, d in days),
        )
        if days
        else set()
    )
    for (pk, work_date), punches in sorted(
        days.items(), key=lambda item: (by_pk[item[0][0]].number, item[0][1])
    ):
        who = f"{by_pk[pk].number} {work_date:%Y-%m-%d}"
        if (pk, work_date.replace(day=1)) in closed:
            problems.append(
                _("%(who)s: %(month)s は勤怠が締められています。人事が締めを解除するまで取り込めません。")
                % {"who": who, "month": f"{work_date.year}年{work_date.month}月"}
            )
            continue
        if (pk, work_date) in taken:
            problems.append(_("%(who)s: この勤務日にはすでに打刻があります。") % {"who": who})
            continue
        punches.sort(key=lambda p: p[0])
        if len({at for at, _k, _n in punches}) != len(punches):
            problems.append(_("%(who)s: 同じ時刻の打刻が重なっています。") % {"who": who})
            continue
        found = punch_rules.day_intervals([(k, at) for at, k, _n in punches])
        if found.problems or found.open_since is not None:
            problems.append(
                _("%(who)s: 出勤・休憩・退勤の順になっていないか、退勤がありません。") % {"who": who}
            )
    if problems:
        shown = problems[:50]
        more = len(problems) - len(shown)
        message = _("取り込めませんでした。何も登録していません。")
        raise ServiceError(
            message,
            code="validation",
            field_errors={"file": shown + ([_("ほか%(n)d件") % {"n": more}] if more else [])},
        )
    created: list[Punch] = []
    counts: dict[int, int] = defaultdict(int)
    for (pk, work_date), punches in days.items():
        for at, kind, note in punches:
            created.append(
                Punch(
                    company=company,
                    employee_id=pk,
                    work_date=work_date,
                    kind=kind,
                    at=at,
                    source=PunchSource.IMPORT,
                    note=note,
                    recorded_by=actor,
                )
            )
            counts[pk] += 1
    Punch.objects.bulk_create(created, batch_size=2000)
    mark_days_changed(company=company, days=days.keys())
    for pk in counts:
        latest = max((p for p in created if p.employee_id == pk), key=lambda p: p.at)
        state = _locked_state(company, pk)
        if state.last_at is None or latest.at > state.last_at:
            state.last_kind, state.last_at, state.work_date = latest.kind, latest.at, latest.work_date
            state.clock_in_at = None
            state.save()
    record_events(
        company=company,
        actor=actor,
        events=[
            EventInput(
                "import",
                instance=by_pk[pk],
                object_repr=f"{by_pk[pk].number} {by_pk[pk].family_name} {by_pk[pk].given_name}",
                extra={"punches": n},
            )
            for pk, n in sorted(counts.items())
        ],
    )
    return PunchImportResult(punches=len(created), employees=len(counts))
