"""Writing 総務の設定 (the fixed-asset threshold, the checkup month) and the places (Location).

``settings_of(company)`` returns the company's one settings row, created with the defaults the first
time it is asked for. Only admin and 総務 change the settings and the places; the places are never
deleted (equipment and stock point at them): a place no longer used is 使用停止 instead.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.affairs.models import AffairsSettings, Location
from ennoshita.core.audit import record_change, record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc

WRITE_ROLES = (Role.ADMIN, Role.AFFAIRS)
SETTINGS_FIELDS = ("fixed_asset_threshold", "checkup_month")
LOCATION_FIELDS = ("name", "is_active")
MAX_THRESHOLD = Decimal(10**12)


def settings_of(company: Company) -> AffairsSettings:
    """The company's 総務 settings; the row is made with the defaults on first use (a concurrent
    first use loses on the unique constraint and reads the winner's row)."""
    found = AffairsSettings.objects.for_company(company).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return AffairsSettings.objects.create(company=company)
    except IntegrityError:
        return AffairsSettings.objects.for_company(company).get()


def _threshold(value: Any, errors: dict[str, list[str]]) -> Decimal:
    text = nfkc(str(value if value is not None else "")).strip().replace(",", "").replace("円", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        errors["fixed_asset_threshold"] = [_("金額は円単位の整数で入力してください。")]
        return Decimal(0)
    if not amount.is_finite() or amount != amount.to_integral_value():
        errors["fixed_asset_threshold"] = [_("金額は円単位の整数で入力してください。")]
    elif amount < 1 or amount > MAX_THRESHOLD:
        errors["fixed_asset_threshold"] = [_("1円以上1兆円以下で入力してください。")]
    return amount.quantize(Decimal(1)) if amount.is_finite() else Decimal(0)


def _month(value: Any, errors: dict[str, list[str]]) -> int:
    text = nfkc(str(value if value is not None else "")).strip()
    if not text.isdigit() or not 1 <= int(text) <= 12:
        errors["checkup_month"] = [_("実施月は1〜12で入力してください。")]
        return 0
    return int(text)


@transaction.atomic
def update_affairs_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    fixed_asset_threshold: Any,
    checkup_month: Any,
) -> AffairsSettings:
    """Change the threshold at which an item is flagged for 経理 (法人税法施行令133条: 取得価額10万円
    未満は少額減価償却資産) and the month of the 定期健康診断. Any error → nothing written."""
    require_role(membership, *WRITE_ROLES)
    errors: dict[str, list[str]] = {}
    threshold = _threshold(fixed_asset_threshold, errors)
    month = _month(checkup_month, errors)
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    row = settings_of(company)
    row = AffairsSettings.objects.select_for_update(of=("self",)).get(pk=row.pk)
    before = snapshot(row, SETTINGS_FIELDS)
    row.fixed_asset_threshold = threshold
    row.checkup_month = month
    row.save()
    record_change(company=company, actor=actor, instance=row, fields=SETTINGS_FIELDS, before=before)
    return row


# ------------------------------------------------------------------------------ places
def _location_name(company: Company, name: str, location: Location | None) -> str:
    text = " ".join(nfkc(name or "").split())
    if not text:
        message = _("場所の名前を入力してください。")
    elif len(text) > 100:
        message = _("100文字以内で入力してください。")
    else:
        clash = Location.objects.for_company(company).filter(name=text)
        if location is not None:
            clash = clash.exclude(pk=location.pk)
        if not clash.exists():
            return text
        message = _("場所「%(name)s」は既にあります。") % {"name": text}
    raise ServiceError(message, code="validation", field_errors={"name": [message]})


def _save_location(location: Location) -> None:
    """Save; a concurrent save of the same name loses on the unique constraint with the same message."""
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError:
        message = _("場所「%(name)s」は既にあります。") % {"name": location.name}
        raise ServiceError(message, code="validation", field_errors={"name": [message]}) from None


def _locked(company: Company, location: Location) -> Location:
    found = (
        Location.objects.for_company(company).select_for_update(of=("self",)).filter(pk=location.pk).first()
    )
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def create_location(*, company: Company, actor: User, membership: Membership, name: str) -> Location:
    require_role(membership, *WRITE_ROLES)
    location = Location(company=company, name=_location_name(company, name, None))
    _save_location(location)
    record_change(company=company, actor=actor, instance=location, fields=LOCATION_FIELDS, before=None)
    return location


@transaction.atomic
def rename_location(
    *, company: Company, actor: User, membership: Membership, location: Location, name: str
) -> Location:
    require_role(membership, *WRITE_ROLES)
    location = _locked(company, location)
    before = snapshot(location, LOCATION_FIELDS)
    location.name = _location_name(company, name, location)
    _save_location(location)
    record_change(company=company, actor=actor, instance=location, fields=LOCATION_FIELDS, before=before)
    return location


@transaction.atomic
def set_location_active(
    *, company: Company, actor: User, membership: Membership, location: Location, active: bool
) -> Location:
    """使用停止 (``active=False``) or 再開. A stopped place keeps what points at it, but is not offered
    for new records."""
    require_role(membership, *WRITE_ROLES)
    location = _locked(company, location)
    if location.is_active == active:
        return location
    location.is_active = active
    location.save()
    record_event(
        company=company,
        actor=actor,
        action="activate" if active else "deactivate",
        instance=location,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return location


def deactivate_location(
    *, company: Company, actor: User, membership: Membership, location: Location
) -> Location:
    return set_location_active(
        company=company, actor=actor, membership=membership, location=location, active=False
    )
