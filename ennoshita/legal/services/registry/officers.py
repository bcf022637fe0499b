"""Officers and their terms: an appointment (選任・就任), a re-election at the end of a term (重任:
the term closes and a new one opens, linked), and a departure (任期満了・辞任・解任・死亡). Each is a
change of the registered officers and gets a ``RegistryChange`` with its 2-week 登記 deadline
(会社法915条1項; 重任 included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_change, snapshot
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.selectors import active_members
from ennoshita.legal.models import (
    CharterSettings,
    Officer,
    OfficerLeaveReason,
    OfficerPosition,
    RegistryChange,
    RegistryItem,
)
from ennoshita.legal.permissions_registry import require_manager
from ennoshita.legal.rules import registry as rules

from .base import (
    CHANGE_FIELDS,
    OFFICER_FIELDS,
    check_length,
    fail,
    locked,
    not_too_far,
    require_charter,
    text,
)

BOARD_MINIMUM = 3  # 会社法331条5項: 取締役会設置会社の取締役は3人以上


@dataclass(frozen=True)
class OfficerInput:
    name: str
    position: str
    elected_on: date | None
    took_office_on: date | None
    name_kana: str = ""
    user_id: int | None = None
    term_years: int | None = None  # None: the 定款's


def _term_years(
    errors: dict[str, list[str]], charter: CharterSettings, position: str, asked: int | None
) -> int:
    auditor = position in rules.AUDITOR_POSITIONS
    longest = charter.auditor_term_years if auditor else charter.director_term_years
    if asked is None:
        return longest
    shortest = rules.min_term_years(position=position)
    if not shortest <= asked <= longest:
        errors["term_years"] = [
            _("監査役の任期は定款どおり%(n)s年です(短縮はできません。会社法336条1項)。") % {"n": longest}
            if auditor
            else _("任期は1〜%(n)s年(定款の任期以内)で入力してください(会社法332条1項)。") % {"n": longest}
        ]
    return asked


def _dates(errors: dict[str, list[str]], elected_on: date | None, took_office_on: date | None) -> None:
    if elected_on is None:
        errors["elected_on"] = [_("選任日を入力してください。")]
    if took_office_on is None:
        errors["took_office_on"] = [_("就任日(就任承諾日)を入力してください。")]
    not_too_far(errors, "elected_on", elected_on)
    not_too_far(errors, "took_office_on", took_office_on)
    if elected_on and took_office_on and took_office_on < elected_on:
        errors["took_office_on"] = [_("就任日は選任日以降の日付にしてください(就任承諾日と選任日の遅い方)。")]


def _change(
    company: Company, actor: User, officer: Officer, content: str, effective_on: date, note: str = ""
) -> RegistryChange:
    change = RegistryChange.objects.create(
        company=company,
        item=RegistryItem.OFFICERS,
        content=content,
        effective_on=effective_on,
        deadline_on=rules.filing_deadline(effective_on=effective_on),
        officer=officer,
        note=note,
        created_by=actor,
    )
    record_change(company=company, actor=actor, instance=change, fields=CHANGE_FIELDS, before=None)
    return change


def _label(officer: Officer) -> str:
    return f"{OfficerPosition(officer.position).label} {officer.name}"


@transaction.atomic
def appoint_officer(*, company: Company, actor: User, membership: Membership, data: OfficerInput) -> Officer:
    """選任・就任: the term's end from the 定款 and the company's business year, and the 変更登記 due 2
    weeks after the 就任日 (就任承諾日)."""
    require_manager(membership)
    charter = require_charter(company)
    errors: dict[str, list[str]] = {}
    name = text(data.name)
    kana = text(data.name_kana)
    check_length(errors, "name", name, 100, _("氏名を入力してください。"))
    check_length(errors, "name_kana", kana, 100)
    if data.position not in OfficerPosition.values:
        errors["position"] = [_("役職を選んでください。")]
    _dates(errors, data.elected_on, data.took_office_on)
    years = _term_years(errors, charter, data.position, data.term_years) if not errors.get("position") else 0
    user = None
    if data.user_id:
        user = active_members(company=company).filter(pk=data.user_id).first()
        if user is None:
            errors["user"] = [_("この会社のメンバーから選んでください。")]
    fail(errors)
    assert data.elected_on is not None
    assert data.took_office_on is not None
    officer = Officer(
        company=company,
        name=name,
        name_kana=kana,
        position=data.position,
        user=user,
        elected_on=data.elected_on,
        took_office_on=data.took_office_on,
        term_years=years,
        term_ends_on=_term_end(company, charter, data.elected_on, years),
        created_by=actor,
    )
    officer.save()
    record_change(company=company, actor=actor, instance=officer, fields=OFFICER_FIELDS, before=None)
    _change(company, actor, officer, _("%(o)s 就任") % {"o": _label(officer)}, officer.took_office_on)
    return officer


def _term_end(company: Company, charter: CharterSettings, elected_on: date, years: int) -> date:
    return rules.term_end_on(
        elected_on=elected_on,
        term_years=years,
        fiscal_year_start_month=company.fiscal_year_start_month,
        agm_months_after_year_end=charter.agm_months_after_year_end,
    )


def _current(company: Company, officer: Officer) -> Officer:
    found = locked(company, Officer, officer.pk)
    if found.left_on is not None:
        fail({"__all__": [_("この役員は既に退任しています。")]})
    return found


@transaction.atomic
def reelect_officer(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    officer: Officer,
    elected_on: date | None,
    took_office_on: date | None,
    term_years: int | None = None,
) -> Officer:
    """重任: the current term closes (任期満了) on the new term's 就任日 and a new term opens linked to
    it. A 重任 is 退任 + 就任 for the register: it needs its 変更登記 within 2 weeks too."""
    require_manager(membership)
    charter = require_charter(company)
    old = _current(company, officer)
    errors: dict[str, list[str]] = {}
    _dates(errors, elected_on, took_office_on)
    if took_office_on and took_office_on < old.took_office_on:
        errors["took_office_on"] = [_("重任の就任日は今の任期の就任日より後にしてください。")]
    years = _term_years(errors, charter, old.position, term_years)
    fail(errors)
    assert elected_on is not None
    assert took_office_on is not None
    before = snapshot(old, OFFICER_FIELDS)
    old.left_on = took_office_on
    old.leave_reason = OfficerLeaveReason.TERM_END
    old.save(update_fields=["left_on", "leave_reason"])
    record_change(company=company, actor=actor, instance=old, fields=OFFICER_FIELDS, before=before)
    new = Officer.objects.create(
        company=company,
        name=old.name,
        name_kana=old.name_kana,
        position=old.position,
        user_id=old.user_id,
        elected_on=elected_on,
        took_office_on=took_office_on,
        term_years=years,
        term_ends_on=_term_end(company, charter, elected_on, years),
        previous=old,
        created_by=actor,
    )
    record_change(company=company, actor=actor, instance=new, fields=OFFICER_FIELDS, before=None)
    _change(company, actor, new, _("%(o)s 重任") % {"o": _label(new)}, took_office_on)
    return new


def _shortfall_note(company: Company, charter: CharterSettings, leaving: Officer) -> str:
    """346条1項: when the board falls below 3 directors, one leaving by 任期満了 or 辞任 keeps the
    rights and duties until a successor takes office, and their 退任 cannot be registered before."""
    if not charter.has_board or leaving.position in rules.AUDITOR_POSITIONS:
        return ""
    directors = (
        Officer.objects.for_company(company)
        .filter(
            left_on__isnull=True,
            position__in=[p for p in rules.DIRECTOR_POSITIONS if p != "accounting_advisor"],
        )
        .exclude(pk=leaving.pk)
        .count()
    )
    if directors >= BOARD_MINIMUM:
        return ""
    return _(
        "取締役が%(n)s人になり取締役会の員数(3人)を欠きます。任期満了・辞任の場合は後任者の就任まで権利義務を"
        "有し(会社法346条1項)、退任の登記は後任者の就任登記と同時に申請します。"
    ) % {"n": directors}


@transaction.atomic
def officer_leaves(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    officer: Officer,
    reason: str,
    left_on: date | None,
) -> Officer:
    """退任 (任期満了・辞任・解任・死亡) on ``left_on``: the term closes and the 退任登記 is due 2 weeks
    later."""
    require_manager(membership)
    charter = require_charter(company)
    found = _current(company, officer)
    errors: dict[str, list[str]] = {}
    if reason not in OfficerLeaveReason.values:
        errors["reason"] = [_("退任事由を選んでください。")]
    if left_on is None:
        errors["left_on"] = [_("退任日を入力してください。")]
    elif left_on < found.took_office_on:
        errors["left_on"] = [_("退任日は就任日以降の日付にしてください。")]
    not_too_far(errors, "left_on", left_on)
    fail(errors)
    assert left_on is not None
    before = snapshot(found, OFFICER_FIELDS)
    found.left_on = left_on
    found.leave_reason = reason
    found.save(update_fields=["left_on", "leave_reason"])
    record_change(company=company, actor=actor, instance=found, fields=OFFICER_FIELDS, before=before)
    note = _shortfall_note(company, charter, found) if reason in ("term_end", "resigned") else ""
    content = _("%(o)s 退任(%(r)s)") % {"o": _label(found), "r": OfficerLeaveReason(reason).label}
    _change(company, actor, found, content, left_on, note)
    return found
