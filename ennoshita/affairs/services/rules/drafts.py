"""規程's writes: a rule with its first file, its register facts, new draft versions (改定案), and
stopping or restarting it (廃止・再開).

Each rule is one document in the company's rules folder (made here on the first rule, shared for
editing with 総務 and 人事 only), and each rule version names the document version that holds its
text: drafts are document versions too, so the folder is never shared with every member.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Rule, RuleCategory, RuleVersion
from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.documents import services as document_services
from ennoshita.documents.models import Folder
from ennoshita.people import selectors as people_selectors

from .base import RULE_MANAGER_ROLES, VERSION_FIELDS, _clean_summary, _fail, _locked_rule

FOLDER_NAME = "社内規程"
# a top-level folder of this name that is not ours (made by hand, perhaps shared with everyone) is
# never reused: drafts must not be exposed through someone else's shares
FOLDER_FALLBACK = "社内規程(規程管理)"
RULE_FIELDS = ("code", "title", "category", "owner_department", "is_active")


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
