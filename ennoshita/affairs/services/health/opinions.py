"""健康診断's writes: the doctor's opinion (医師の意見) and the 就業上の措置 of a checkup with
findings, and the opening of a 健康診断個人票 entry.

Results, opinions and measures are 要配慮個人情報 (個人情報保護法2条3項): stored as tokens of
``core.crypto``, never in an audit event; every opening is an audit event (``health.viewed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Checkup, CheckupStatus
from ennoshita.core import crypto
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User

from .access import require_health_access
from .base import CHECKUP_FIELDS, MAX_TEXT, _check_date, _locked, _raise, _repr, _save


@transaction.atomic
def record_doctor_opinion(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    checkup: Checkup,
    opinion_on: date | None,
    opinion: str,
    measures: str = "",
) -> Checkup:
    """医師の意見 (安衛法66条の4, 安衛則51条の2: 個人票に記載) and the 就業上の措置 taken (66条の5),
    both encrypted. Only for a checkup with findings."""
    require_health_access(company=company, membership=membership)
    checkup = _locked(company, checkup)
    if checkup.status != CheckupStatus.DONE or not checkup.has_findings:
        raise ServiceError(
            _("医師の意見は、受診済みで有所見の健康診断にだけ記録できます。"), code="invalid_state"
        )
    errors: dict[str, list[str]] = {}
    _check_date(errors, "opinion_on", opinion_on)
    if isinstance(opinion_on, date):
        if checkup.examined_on and opinion_on < checkup.examined_on:
            errors["opinion_on"] = [_("意見聴取日は受診日以降の日付にしてください。")]
        elif opinion_on > timezone.localdate():
            errors["opinion_on"] = [_("未来の日付は入力できません。")]
    text = (opinion or "").strip()
    if not text:
        errors["opinion"] = [_("医師の意見を入力してください。")]
    for name, value in (("opinion", text), ("measures", (measures or "").strip())):
        if len(value) > MAX_TEXT:
            errors[name] = [_("%(n)s文字以内で入力してください。") % {"n": MAX_TEXT}]
    _raise(errors)
    before = snapshot(checkup, fields=CHECKUP_FIELDS)
    checkup.opinion_on = opinion_on
    checkup.opinion_encrypted = crypto.encrypt_text(text)
    checkup.measures_encrypted = crypto.encrypt_text((measures or "").strip())
    _save(company, actor, checkup, before, "health.opinion", encrypted=["opinion", "measures"])
    return checkup


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class CheckupRecord:
    """The decrypted contents of a 健康診断個人票 entry."""

    result: str
    opinion: str
    measures: str


@transaction.atomic
def view_checkup_record(
    *, company: Company, actor: User, membership: Membership, checkup: Checkup
) -> CheckupRecord:
    """The result, opinion and measures, for a member with health access; the opening is an
    audit event (``health.viewed``). Without access: PermissionDeniedError, nothing written."""
    require_health_access(company=company, membership=membership)
    if checkup.company_id != company.pk:
        raise NotFound()
    record = CheckupRecord(
        result=crypto.decrypt_text(checkup.result_encrypted),
        opinion=crypto.decrypt_text(checkup.opinion_encrypted),
        measures=crypto.decrypt_text(checkup.measures_encrypted),
    )
    record_event(
        company=company,
        actor=actor,
        action="health.viewed",
        instance=checkup,
        object_repr=_repr(checkup),
        extra={"viewed": ["result", "opinion", "measures"]},
    )
    return record
