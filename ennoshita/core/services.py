"""Writes of core data: companies and their settings, users and memberships, API tokens, the
backup schedule.

Every function is keyword-only, runs in one transaction, checks who may do it and records an audit
event (CONVENTIONS.md, habit 1).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .audit import record_event, snapshot
from .errors import NotFound, ServiceError
from .models import ApiToken, BackupSchedule, Company, CompanyClosedDay, Membership, Role, User
from .permissions import require_role
from .rules import is_valid_corporate_number
from .text import normalize_phone, normalize_postal_code

TOKEN_PREFIX = "enno_"


@transaction.atomic
def create_company(
    *,
    name: str,
    actor: User | None,
    name_kana: str = "",
    corporate_number: str = "",
    fiscal_year_start_month: int = 4,
) -> Company:
    company = Company(
        name=name.strip(),
        name_kana=name_kana.strip(),
        corporate_number=corporate_number.strip(),
        fiscal_year_start_month=fiscal_year_start_month,
    )
    try:
        company.full_clean()
    except ValidationError as exc:
        raise ServiceError.from_validation_error(exc) from exc
    company.save()
    record_event(company=company, actor=actor, action="create", instance=company, after=snapshot(company))
    # The domain apps set up what a new company needs (the ledger its chart of accounts …);
    # core names them only through this setting.
    for hook in getattr(settings, "ENNOSHITA_ON_COMPANY_CREATED", ()):
        import_string(hook)(company)
    return company


def _clean_roles(roles: list[str]) -> list[str]:
    valid = set(Role.values)
    bad = [r for r in roles if r not in valid]
    if bad or not roles:
        raise ServiceError(
            _("ロールが不正です。"),
            code="validation",
            field_errors={"roles": [_("ロールを1つ以上選んでください。")]},
        )
    return sorted(set(roles))


@transaction.atomic
def add_member(
    *,
    company: Company,
    actor: User | None,
    username: str,
    roles: list[str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    expires_on: date | None = None,
    actor_membership: Membership | None = None,
) -> Membership:
    """Add a user (created when new) to the company with roles. Admins only, or a system job."""
    if actor_membership is not None:
        require_role(actor_membership, Role.ADMIN)
    roles = _clean_roles(roles)
    if Role.ASSISTANT in roles and expires_on is None:
        raise ServiceError(
            _("外部アシスタントには有効期限が必要です。"),
            code="validation",
            field_errors={"expires_on": [_("有効期限を入力してください。")]},
        )
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ServiceError(
                    _("パスワードが条件を満たしていません。"),
                    code="validation",
                    field_errors={"password": list(exc.messages)},
                ) from exc
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    membership, created = Membership.objects.get_or_create(
        company=company, user=user, defaults={"roles": roles, "expires_on": expires_on}
    )
    before = None if created else snapshot(membership)
    if not created:
        membership.roles = roles
        membership.expires_on = expires_on
        membership.is_active = True
        membership.save()
    record_event(
        company=company,
        actor=actor,
        action="create" if created else "update",
        instance=membership,
        before=before,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def change_password(*, user: User, old_password: str, new_password: str, company: Company | None) -> None:
    if not user.check_password(old_password):
        raise ServiceError(
            _("現在のパスワードが正しくありません。"),
            code="validation",
            field_errors={"old_password": [_("現在のパスワードが正しくありません。")]},
        )
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ServiceError(
            _("新しいパスワードが条件を満たしていません。"),
            code="validation",
            field_errors={"new_password1": list(exc.messages)},
        ) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    if company is not None:
        # The hash itself is never written to the trail; only that it changed.
        record_event(
            company=company,
            actor=user,
            action="password_change",
            instance=user,
            object_repr=user.username,
            extra={"password": "changed"},
        )


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


@transaction.atomic
def create_api_token(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; the raw value is returned once and only its hash is stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ServiceError(
            _("トークン名を入力してください。"),
            code="validation",
            field_errors={"name": [_("1〜100文字で入力してください。")]},
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        company=membership.company,
        membership=membership,
        name=name,
        prefix=raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
        token_hash=_hash_token(raw),
    )
    record_event(
        company=membership.company,
        actor=membership.user,
        action="create",
        instance=token,
        after=snapshot(token, ["name", "prefix", "membership"]),
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, membership: Membership, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(membership=membership, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(
        company=membership.company,
        actor=membership.user,
        action="revoke",
        instance=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
    )
    return token


@transaction.atomic
def deactivate_member(
    *, company: Company, actor: User | None, membership: Membership, reason: str
) -> Membership:
    """Switch a membership off at once (an outside team whose contract ended): the next page they open
    no longer finds the company, their API tokens stop answering, and their access grants go.
    Admins do it from the member list; another app calls it when its own permission check passed."""
    if membership.company_id != company.pk:
        raise NotFound()
    from .grants import revoke_membership

    revoke_membership(company=company, membership=membership)
    if not membership.is_active:
        return membership
    before = snapshot(membership, fields=("is_active",))
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    membership.is_active = False
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=membership,
        before=before,
        after={"is_active": False},
        extra={"reason": reason},
    )
    return membership


def authenticate_api_token(raw: str) -> Membership | None:
    """The membership a bearer token stands for, or None (revoked, expired membership, unknown)."""
    if not raw.startswith(TOKEN_PREFIX) or not raw.isascii():  # a header may carry any latin-1 byte
        return None
    token = (
        ApiToken.objects.filter(token_hash=_hash_token(raw), revoked_at__isnull=True)
        .select_related("membership__company", "membership__user")
        .first()
    )
    if token is None:
        return None
    m = token.membership
    today = timezone.localdate()
    if not m.is_active or not m.user.is_active or (m.expires_on is not None and m.expires_on < today):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # not audited: a read
    return m


@transaction.atomic
def update_company_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    name: str,
    name_kana: str,
    corporate_number: str,
    fiscal_year_start_month: int,
    filing_extension_months: int,
    postal_code: str = "",
    address: str = "",
    address2: str = "",
    phone: str = "",
) -> Company:
    """会社の基本設定. Admins only; the change is audited with before and after."""
    require_role(membership, Role.ADMIN)
    company = Company.objects.select_for_update().get(pk=company.pk)
    before = snapshot(company)
    company.name = name.strip()
    company.name_kana = name_kana.strip()
    company.corporate_number = corporate_number.strip()
    company.fiscal_year_start_month = fiscal_year_start_month
    company.filing_extension_months = filing_extension_months
    company.address, company.address2 = address.strip(), address2.strip()
    errors: dict[str, list[str]] = {}
    for field, value, normalize in (
        ("postal_code", postal_code, normalize_postal_code),
        ("phone", phone, normalize_phone),
    ):
        try:
            setattr(company, field, normalize(value) if value.strip() else "")
        except ValueError as exc:
            errors[field] = [str(exc)]
    if company.corporate_number and not is_valid_corporate_number(company.corporate_number):
        errors["corporate_number"] = [
            _("法人番号は13桁の数字で、先頭のチェックデジットが正しいものを入力してください。")
        ]
    try:
        company.full_clean()
    except ValidationError as exc:
        for field, messages in ServiceError.from_validation_error(exc).field_errors.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    company.save()
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=company,
        before=before,
        after=snapshot(company),
    )
    return company


@transaction.atomic
def update_backup_schedule(
    *, company: Company, actor: User, membership: Membership, enabled: bool, hour: int, keep: int
) -> BackupSchedule:
    """定期バックアップの設定 (installation-wide; the event goes to the chain of the admin's company)."""
    require_role(membership, Role.ADMIN)
    schedule = BackupSchedule.objects.select_for_update().order_by("pk").first() or BackupSchedule()
    before = snapshot(schedule) if schedule.pk else None
    schedule.enabled, schedule.hour, schedule.keep = enabled, hour, keep
    try:
        schedule.full_clean()
    except ValidationError as exc:
        raise ServiceError.from_validation_error(exc) from exc
    schedule.save()
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=schedule,
        object_id="1",
        before=before,
        after=snapshot(schedule),
    )
    return schedule


MAX_CLOSED_RANGE_DAYS = 31


@transaction.atomic
def add_closed_days(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    start: date,
    end: date | None = None,
    name: str,
) -> list[CompanyClosedDay]:
    """会社の休業日: every day from ``start`` to ``end`` (one day when ``end`` is None), e.g.
    年末年始 12/29–1/3. Admins only; days already closed are left as they are. Each day is audited."""
    require_role(membership, Role.ADMIN)
    name = (name or "").strip()
    end = end or start
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("名称を入力してください(例: 年末年始休業)。")]
    elif len(name) > 100:
        errors["name"] = [_("名称は100文字以内で入力してください。")]
    if end < start:
        errors["end"] = [_("終了日は開始日以降にしてください。")]
    elif (end - start).days + 1 > MAX_CLOSED_RANGE_DAYS:
        errors["end"] = [_("一度に登録できるのは%(n)d日までです。") % {"n": MAX_CLOSED_RANGE_DAYS}]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], code="validation", field_errors=errors)
    taken = set(
        CompanyClosedDay.objects.for_company(company)
        .filter(day__gte=start, day__lte=end)
        .values_list("day", flat=True)
    )
    made: list[CompanyClosedDay] = []
    day = start
    while day <= end:
        if day not in taken:
            row = CompanyClosedDay.objects.create(company=company, day=day, name=name, created_by=actor)
            record_event(company=company, actor=actor, action="create", instance=row, after=snapshot(row))
            made.append(row)
        day += timedelta(days=1)
    return made


@transaction.atomic
def remove_closed_day(*, company: Company, actor: User, membership: Membership, closed_day_id: int) -> None:
    require_role(membership, Role.ADMIN)
    row = CompanyClosedDay.objects.for_company(company).filter(pk=closed_day_id).first()
    if row is None:
        raise NotFound()
    record_event(company=company, actor=actor, action="delete", instance=row, before=snapshot(row))
    row.delete()
