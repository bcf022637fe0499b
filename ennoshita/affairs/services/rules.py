"""Writes of 就業規則・社内規程: a rule with its first file, new draft versions, publishing a version to
an audience (既読確認), the employee's acknowledgement, reminders, and stopping a rule.

The file and every version of it live in the documents app: each rule is one document in the
company's rules folder, and each rule version names the document version that holds its text. The
folder is shared for editing with 総務 and 人事 only (admins reach everything): drafts are
document versions too, so the folder is never shared with every member. Employees read the
versions published to them through this app's own file view, after the audience check
(``selectors.rules.can_read_version``).

Every write is one transaction with its audit events; a refusal writes nothing. Notifications go
through ``core.notifications.notify`` in the same transaction (mail, if any, after commit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import (
    Rule,
    RuleAcknowledgement,
    RuleCategory,
    RuleVersion,
    RuleVersionStatus,
)
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.notifications import notify
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.documents import services as document_services
from ennoshita.documents.models import Folder
from ennoshita.people import selectors as people_selectors

RULE_MANAGER_ROLES = (Role.ADMIN, Role.AFFAIRS, Role.HR)
FOLDER_NAME = "社内規程"
# a top-level folder of this name that is not ours (made by hand, perhaps shared with everyone) is
# never reused: drafts must not be exposed through someone else's shares
FOLDER_FALLBACK = "社内規程(規程管理)"
NOTIFY_KIND = "affairs.rule"
RULE_FIELDS = ("code", "title", "category", "owner_department", "is_active")
VERSION_FIELDS = (
    "number",
    "document_version",
    "effective_from",
    "summary",
    "status",
    "requires_acknowledgement",
    "acknowledge_by",
)


class AudienceKind:
    ALL = "all"
    DEPARTMENTS = "departments"
    EMPLOYEES = "employees"
    CHOICES = (ALL, DEPARTMENTS, EMPLOYEES)


@dataclass(frozen=True)
class Audience:
    """Who is asked to read a version: every employee in service, the employees of departments
    (with their sub-departments), or chosen employees."""

    kind: str = AudienceKind.ALL
    department_ids: Sequence[int] = field(default_factory=tuple)
    employee_ids: Sequence[int] = field(default_factory=tuple)


def _fail(name: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={name: [message]})


def manages_rules(membership: Membership | None) -> bool:
    return membership is not None and membership.has_any_role(*RULE_MANAGER_ROLES)


# ------------------------------------------------------------------------------ the folder
def _rules_folder(company: Company, actor: User, membership: Membership) -> Folder:
    """The folder the company's rules live in: that of the rules already made, or a new top-level
    folder shared for editing with 総務 and 人事 (never a folder someone else made)."""
    existing = (
        Rule.objects.for_company(company)
        .filter(document__folder__trashed_at__isnull=True)
        .select_related("document__folder")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing.document.folder
    taken = set(
        Folder.objects.for_company(company)
        .filter(parent=None, trashed_at__isnull=True)
        .values_list("name", flat=True)
    )
    name = next(
        n
        for n in (FOLDER_NAME, FOLDER_FALLBACK, *(f"{FOLDER_FALLBACK}{i}" for i in range(2, 99)))
        if n not in taken
    )
    folder = document_services.create_folder(
        company=company, actor=actor, membership=membership, name=name, parent=None
    )
    for role in (Role.AFFAIRS, Role.HR):
        document_services.share(
            company=company,
            actor=actor,
            membership=membership,
            folder=folder,
            grantee_kind="role",
            grantee=role,
            permission="edit",
        )
    return folder


def _document_name(code: str, title: str, file_name: str) -> str:
    ext = file_name.rsplit(".", 1)[-1] if "." in file_name else ""
    stem = "".join(ch if ch not in "/\\" and ord(ch) >= 32 else "_" for ch in f"{code}_{title}")[:200]
    return f"{stem}.{ext}" if ext else stem


# ------------------------------------------------------------------------------ checks
def _clean_rule(
    company: Company,
    *,
    code: str,
    title: str,
    category: str,
    owner_department_id: int | None,
    rule: Rule | None,
) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    code = nfkc(code or "").strip()
    title = (title or "").strip()
    if not code:
        errors["code"] = [_("規程番号を入力してください。")]
    elif len(code) > 30:
        errors["code"] = [_("規程番号は30文字以内で入力してください。")]
    else:
        clash = Rule.objects.for_company(company).filter(code=code)
        if rule is not None:
            clash = clash.exclude(pk=rule.pk)
        if clash.exists():
            errors["code"] = [_("規程番号「%(c)s」は既に使われています。") % {"c": code}]
    if not title:
        errors["title"] = [_("規程名を入力してください。")]
    elif len(title) > 200:
        errors["title"] = [_("規程名は200文字以内で入力してください。")]
    if category not in RuleCategory.values:
        errors["category"] = [_("区分を選んでください。")]
    department = None
    if owner_department_id:
        department = (
            people_selectors.departments(company=company, include_inactive=True)
            .filter(pk=owner_department_id)
            .first()
        )
        if department is None:
            errors["owner_department"] = [_("この会社の部署を選んでください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return {"code": code, "title": title, "category": category, "owner_department": department}


def _clean_summary(summary: str) -> str:
    summary = (summary or "").strip()
    if len(summary) > 5000:
        raise _fail("summary", _("改定の概要は5000文字以内で入力してください。"))
    return summary


def _locked_rule(company: Company, rule: Rule) -> Rule:
    found = Rule.objects.for_company(company).select_for_update(of=("self",)).filter(pk=rule.pk).first()
    if found is None:
        raise NotFound()
    return found


def _locked_version(company: Company, version: RuleVersion) -> RuleVersion:
    found = (
        RuleVersion.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("rule")
        .filter(pk=version.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


# ------------------------------------------------------------------------------ rules and drafts
@transaction.atomic
def create_rule(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    code: str,
    title: str,
    category: str,
    file_name: str,
    data: bytes,
    effective_from: date,
    summary: str = "",
    owner_department_id: int | None = None,
) -> Rule:
    """A new rule with its first file as the draft 第1版 (published later with ``publish_version``)."""
    require_role(membership, *RULE_MANAGER_ROLES)
    values = _clean_rule(
        company, code=code, title=title, category=category, owner_department_id=owner_department_id, rule=None
    )
    summary = _clean_summary(summary)
    if effective_from is None:
        raise _fail("effective_from", _("施行日を入力してください。"))
    folder = _rules_folder(company, actor, membership)
    document = document_services.upload_document(
        company=company,
        actor=actor,
        membership=membership,
        folder=folder,
        name=_document_name(str(values["code"]), str(values["title"]), file_name),
        data=data,
        comment=_("第1版"),
    )
    rule = Rule(company=company, document=document, created_by=actor, **values)
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:  # the same code taken at the same moment
        raise _fail("code", _("規程番号「%(c)s」は既に使われています。") % {"c": rule.code}) from exc
    record_event(
        company=company, actor=actor, action="create", instance=rule, after=snapshot(rule, RULE_FIELDS)
    )
    _new_version(
        company, actor, rule, document.current_version, effective_from=effective_from, summary=summary
    )
    return rule


def _new_version(
    company: Company, actor: User, rule: Rule, document_version: Any, *, effective_from: date, summary: str
) -> RuleVersion:
    last = RuleVersion.objects.for_company(company).filter(rule=rule).order_by("-number").first()
    version = RuleVersion.objects.create(
        company=company,
        rule=rule,
        number=(last.number if last else 0) + 1,
        document_version=document_version,
        effective_from=effective_from,
        summary=summary,
        created_by=actor,
    )
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=version,
        after=snapshot(version, VERSION_FIELDS),
        extra={"rule_id": rule.pk},
    )
    return version


@transaction.atomic
def update_rule(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    rule: Rule,
    code: str,
    title: str,
    category: str,
    owner_department_id: int | None = None,
) -> Rule:
    """規程番号・規程名・区分・所管部門 (the versions and their files stay as they are)."""
    require_role(membership, *RULE_MANAGER_ROLES)
    rule = _locked_rule(company, rule)
    values = _clean_rule(
        company, code=code, title=title, category=category, owner_department_id=owner_department_id, rule=rule
    )
    before = snapshot(rule, RULE_FIELDS)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    after = snapshot(rule, RULE_FIELDS)
    if after != before:
        record_event(company=company, actor=actor, action="update", instance=rule, before=before, after=after)
    return rule


@transaction.atomic
def add_draft_version(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    rule: Rule,
    file_name: str,
    data: bytes,
    effective_from: date,
    summary: str = "",
) -> RuleVersion:
    """改定案: the new file becomes a new version of the rule's document, and a draft rule version
    names it. The published version stays in force until the draft is published."""
    require_role(membership, *RULE_MANAGER_ROLES)
    rule = _locked_rule(company, rule)
    if not rule.is_active:
        raise _fail("file", _("廃止した規程には新しい版を登録できません。"))
    summary = _clean_summary(summary)
    if effective_from is None:
        raise _fail("effective_from", _("施行日を入力してください。"))
    document_version = document_services.add_version(
        company=company,
        actor=actor,
        membership=membership,
        document=rule.document,
        data=data,
        name=_document_name(rule.code, rule.title, file_name),
        comment=summary[:200],
    )
    return _new_version(
        company, actor, rule, document_version, effective_from=effective_from, summary=summary
    )


@transaction.atomic
def set_rule_active(
    *, company: Company, actor: User, membership: Membership, rule: Rule, active: bool
) -> Rule:
    """廃止 (``active=False``) or 再開. A stopped rule asks no one to acknowledge it any more; its
    versions, files and acknowledgements stay readable."""
    require_role(membership, *RULE_MANAGER_ROLES)
    rule = _locked_rule(company, rule)
    if rule.is_active == active:
        return rule
    rule.is_active = active
    rule.save(update_fields=["is_active"])
    record_event(
        company=company,
        actor=actor,
        action="activate" if active else "deactivate",
        instance=rule,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return rule


def deactivate_rule(*, company: Company, actor: User, membership: Membership, rule: Rule) -> Rule:
    return set_rule_active(company=company, actor=actor, membership=membership, rule=rule, active=False)


# ------------------------------------------------------------------------------ audience
def _audience_employees(company: Company, audience: Audience) -> list[object]:
    """The employees in service today that the audience names; a wrong id is an error, not ignored."""
    today = timezone.localdate()
    if audience.kind not in AudienceKind.CHOICES:
        raise _fail("audience", _("対象者の指定が不正です。"))
    if audience.kind == AudienceKind.ALL:
        found = people_selectors.employees_in_service(company=company, as_of=today)
    elif audience.kind == AudienceKind.DEPARTMENTS:
        wanted = {int(d) for d in audience.department_ids}
        if not wanted:
            raise _fail("department_ids", _("対象の部署を選んでください。"))
        known = set(
            people_selectors.departments(company=company, include_inactive=True)
            .filter(pk__in=wanted)
            .values_list("pk", flat=True)
        )
        if known != wanted:
            raise _fail("department_ids", _("この会社の部署を選んでください。"))
        ids: set[int] = set()
        for pk in wanted:
            ids.update(people_selectors.descendant_ids(company=company, department_id=pk))
        found = people_selectors.employees_in_service(
            company=company, as_of=today, department_ids=sorted(ids)
        )
    else:
        wanted = {int(e) for e in audience.employee_ids}
        if not wanted:
            raise _fail("employee_ids", _("対象の社員を選んでください。"))
        in_service = people_selectors.employees_in_service(company=company, as_of=today)
        found = [e for e in in_service if e.pk in wanted]
        if len(found) != len(wanted):
            raise _fail("employee_ids", _("在籍中のこの会社の社員を選んでください。"))
    if not found:
        raise _fail("audience", _("対象になる在籍中の社員がいません。"))
    return list(found)


def _ask(
    company: Company, actor: User, version: RuleVersion, employees: Iterable[object]
) -> list[RuleAcknowledgement]:
    """Acknowledgement rows for the employees not yet asked about this version, and a notice to each
    one's user (an employee without a login is listed as not yet acknowledged)."""
    asked = set(
        RuleAcknowledgement.objects.for_company(company)
        .filter(version=version)
        .values_list("employee_id", flat=True)
    )
    new = [e for e in employees if e.pk not in asked]  # type: ignore[attr-defined]
    rows = RuleAcknowledgement.objects.bulk_create(
        [RuleAcknowledgement(company=company, version=version, employee=e) for e in new]  # type: ignore[misc]
    )
    users = [e.user for e in new if e.user_id is not None]  # type: ignore[attr-defined]
    url = reverse("affairs:rule_version_read", args=[version.pk])
    text = _("「%(title)s」第%(n)d版が公開されました。内容を読んで確認してください。") % {
        "title": version.rule.title,
        "n": version.number,
    }
    if version.acknowledge_by:
        text += _("(確認期限 %(d)s)") % {"d": version.acknowledge_by.isoformat()}
    for user in users:
        notify(
            company=company,
            user=user,
            kind=NOTIFY_KIND,
            text=text,
            url=url,
            object_type="affairs.ruleversion",
            object_id=version.pk,
        )
    return rows


# ------------------------------------------------------------------------------ publishing
@transaction.atomic
def publish_version(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    version: RuleVersion,
    audience: Audience,
    effective_from: date | None = None,
    summary: str | None = None,
    acknowledge_by: date | None = None,
    requires_acknowledgement: bool = True,
) -> RuleVersion:
    """公開: the draft becomes the rule's version in force; the one published before becomes
    改定済み (replaced) in the same transaction, so there is never a moment with two or none. The
    audience is asked to read and acknowledge it (one row each) and each is notified.

    周知 (労基法106条) is the company's duty for 就業規則: the acknowledgement records that each
    employee was shown the text; it is not their consent to it."""
    require_role(membership, *RULE_MANAGER_ROLES)
    rule = _locked_rule(company, version.rule)
    version = _locked_version(company, version)
    if version.status != RuleVersionStatus.DRAFT:
        raise _fail(
            "status",
            _("第%(n)d版は既に公開されています(%(s)s)。公開できるのは下書きの版だけです。")
            % {"n": version.number, "s": version.get_status_display()},
            code="not_draft",
        )
    if not rule.is_active:
        raise _fail("status", _("廃止した規程の版は公開できません。先に規程を再開してください。"))
    today = timezone.localdate()
    effective_from = effective_from or version.effective_from
    if summary is not None:
        version.summary = _clean_summary(summary)
    current = (
        RuleVersion.objects.for_company(company)
        .select_for_update(of=("self",))
        .filter(rule=rule, status=RuleVersionStatus.PUBLISHED)
        .first()
    )
    errors: dict[str, list[str]] = {}
    if current is not None and effective_from < current.effective_from:
        errors["effective_from"] = [
            _("施行日は現在の版(第%(n)d版)の施行日 %(d)s 以降にしてください。")
            % {"n": current.number, "d": current.effective_from.isoformat()}
        ]
    if acknowledge_by is not None and acknowledge_by < today:
        errors["acknowledge_by"] = [_("確認期限は今日以降の日付にしてください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    employees = _audience_employees(company, audience)
    now = timezone.now()
    if current is not None:
        before = snapshot(current, VERSION_FIELDS)
        current.status = RuleVersionStatus.REPLACED
        current.replaced_at = now
        current.save(update_fields=["status", "replaced_at"])
        record_event(
            company=company,
            actor=actor,
            action="replace",
            instance=current,
            before=before,
            after=snapshot(current, VERSION_FIELDS),
            extra={"rule_id": rule.pk, "replaced_by": version.number},
        )
    before = snapshot(version, VERSION_FIELDS)
    version.status = RuleVersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.acknowledge_by = acknowledge_by
    version.requires_acknowledgement = requires_acknowledgement
    version.published_at = now
    version.published_by = actor
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:  # another publish of this rule won the race
        raise _fail(
            "status", _("同時に別の版が公開されました。画面を更新してください。"), code="conflict"
        ) from exc
    rows = _ask(company, actor, version, employees)
    record_event(
        company=company,
        actor=actor,
        action="publish",
        instance=version,
        before=before,
        after=snapshot(version, VERSION_FIELDS),
        extra={
            "rule_id": rule.pk,
            "audience": audience.kind,
            "department_ids": sorted(int(d) for d in audience.department_ids),
            "asked": len(rows),
            "employee_ids": sorted(r.employee_id for r in rows),
        },
    )
    return version


@transaction.atomic
def add_audience(
    *, company: Company, actor: User, membership: Membership, version: RuleVersion, audience: Audience
) -> int:
    """対象者の追加 (a new hire, a transfer): asks those of ``audience`` not yet asked about the
    published version. Returns how many were added."""
    require_role(membership, *RULE_MANAGER_ROLES)
    version = _locked_version(company, version)
    if version.status != RuleVersionStatus.PUBLISHED or not version.rule.is_active:
        raise _fail("audience", _("対象者を追加できるのは公開中の版だけです。"), code="not_published")
    rows = _ask(company, actor, version, _audience_employees(company, audience))
    if rows:
        record_event(
            company=company,
            actor=actor,
            action="add_audience",
            instance=version,
            extra={
                "rule_id": version.rule_id,
                "asked": len(rows),
                "employee_ids": sorted(r.employee_id for r in rows),
            },
        )
    return len(rows)


# ------------------------------------------------------------------------------ acknowledging
@transaction.atomic
def acknowledge(
    *, company: Company, actor: User, membership: Membership, version: RuleVersion
) -> RuleAcknowledgement:
    """既読確認 by the employee themself, of the version in force only. A version replaced since
    (the employee read an old page) is refused with the number of the one to read, nothing written.
    Acknowledging again is harmless: the first time stays recorded and nothing is written."""
    employee = people_selectors.own_employee_record(company=company, membership=membership)
    version = _locked_version(company, version)
    row = (
        RuleAcknowledgement.objects.for_company(company).filter(version=version, employee=employee).first()
        if employee is not None
        else None
    )
    if row is None:
        raise PermissionDeniedError(_("この版の既読確認の対象ではありません。"))
    if version.status == RuleVersionStatus.REPLACED:
        newer = (
            RuleVersion.objects.for_company(company)
            .filter(rule_id=version.rule_id, status=RuleVersionStatus.PUBLISHED)
            .values_list("number", flat=True)
            .first()
        )
        message = _("第%(n)d版は改定され、新しい版に置き換えられました。") % {"n": version.number}
        if newer:
            message += _("最新の第%(m)d版を読んでから確認してください。") % {"m": newer}
        raise _fail("version", message, code="replaced")
    if version.status != RuleVersionStatus.PUBLISHED or not version.rule.is_active:
        raise _fail("version", _("この版は現在公開されていません。"), code="not_published")
    if row.acknowledged_at is not None:
        return row
    row.acknowledged_at = timezone.now()
    row.acknowledged_by = actor
    row.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record_event(
        company=company,
        actor=actor,
        action="acknowledge",
        instance=row,
        after={"acknowledged_at": row.acknowledged_at},
        object_repr=f"{version.rule.title} 第{version.number}版",
        extra={"rule_id": version.rule_id, "version": version.number, "employee_id": row.employee_id},
    )
    return row


@transaction.atomic
def remind(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    version: RuleVersion,
    employee_ids: Sequence[int] | None = None,
) -> int:
    """催促: a notice to each one asked who has not acknowledged yet (or to those of ``employee_ids``
    among them), and the time recorded on their row. Returns how many were reminded."""
    require_role(membership, *RULE_MANAGER_ROLES)
    version = _locked_version(company, version)
    if version.status != RuleVersionStatus.PUBLISHED or not version.rule.is_active:
        raise _fail("version", _("催促できるのは公開中の版だけです。"), code="not_published")
    rows = (
        RuleAcknowledgement.objects.for_company(company)
        .filter(version=version, acknowledged_at__isnull=True)
        .select_related("employee__user")
    )
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    found = list(rows)
    if not found:
        raise _fail("version", _("未確認の社員はいません。"), code="nothing_to_remind")
    now = timezone.now()
    url = reverse("affairs:rule_version_read", args=[version.pk])
    text = _("「%(title)s」第%(n)d版の既読確認がまだです。内容を読んで確認してください。") % {
        "title": version.rule.title,
        "n": version.number,
    }
    if version.acknowledge_by:
        text += _("(確認期限 %(d)s)") % {"d": version.acknowledge_by.isoformat()}
    for row in found:
        if row.employee.user_id is not None:
            notify(
                company=company,
                user=row.employee.user,
                kind=NOTIFY_KIND,
                text=text,
                url=url,
                object_type="affairs.ruleversion",
                object_id=version.pk,
            )
    RuleAcknowledgement.objects.for_company(company).filter(pk__in=[r.pk for r in found]).update(
        last_reminded_at=now
    )
    record_event(
        company=company,
        actor=actor,
        action="remind_rule",
        instance=version,
        extra={
            "rule_id": version.rule_id,
            "reminded": len(found),
            "employee_ids": sorted(r.employee_id for r in found),
        },
    )
    return len(found)
