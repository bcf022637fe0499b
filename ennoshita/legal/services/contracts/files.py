"""契約書's files: every draft (案) and the signed file (締結版) are versions of the contract's one
document in the documents app, in the company's 「契約書」 folder.

The folder is made on the first file and shared for editing with 法務 only: drafts of every
department's contracts are in it, so it is never shared with everyone. When the first file is a
department's draft sent for リーガルチェック, the folder is made on 法務's behalf (its creator is a 法務
member, never the department member, who would otherwise edit every contract's drafts). Files are
attached by 法務 and 管理者, and by the owner through a リーガルチェック (``keep_contract_file``, after
the review's own check); the owner and the registrant of a contract read its files through this
app's own file view, after the contract's permission check
(``selectors.contracts.get_contract_version``). A version may be of another kind than the one
before it (a .docx draft, then the signed .pdf)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ennoshita.core.audit import record_event
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.documents import services as document_services
from ennoshita.documents.models import DocumentVersion, Folder
from ennoshita.legal import permissions
from ennoshita.legal.models import Contract, ContractStatus

from .alerts import legal_members
from .base import fail, locked

FOLDER_NAME = "契約書"
# a top-level folder of this name that is not ours (made by hand, perhaps shared with everyone) is
# never reused: drafts must not be exposed through someone else's shares
FOLDER_FALLBACK = "契約書(法務管理)"
FILE_KINDS = {"draft": gettext_lazy("案"), "signed": gettext_lazy("締結版")}


def _contracts_folder(company: Company, actor: User, membership: Membership) -> Folder:
    existing = (
        Contract.objects.for_company(company)
        .filter(document__isnull=False, document__folder__trashed_at__isnull=True)
        .select_related("document__folder")
        .order_by("pk")
        .first()
    )
    if existing is not None and existing.document is not None:
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
    if not permissions.manages_contracts(membership):
        # a department's first draft: the folder is 法務's, made on its behalf
        keeper = next(iter(legal_members(company)), None)
        if keeper is None:
            raise ServiceError(
                _("法務の担当者が登録されていないため、ファイルを保存できません。管理者に連絡してください。"),
                code="no_legal_member",
            )
        return document_services.create_folder_for_app(
            company=company, actor=actor, name=name, owner=keeper, edit_roles=(Role.LEGAL,)
        )
    folder = document_services.create_folder(
        company=company, actor=actor, membership=membership, name=name, parent=None
    )
    document_services.share(
        company=company,
        actor=actor,
        membership=membership,
        folder=folder,
        grantee_kind="role",
        grantee=Role.LEGAL,
        permission="edit",
    )
    return folder


def _document_name(contract: Contract, file_name: str) -> str:
    ext = file_name.rsplit(".", 1)[-1] if "." in file_name else ""
    stem = "".join(
        ch if ch not in "/\\" and ord(ch) >= 32 else "_" for ch in f"{contract.number}_{contract.title}"
    )[:200]
    return f"{stem}.{ext}" if ext else stem


@transaction.atomic
def attach_contract_file(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    contract: Contract,
    file_name: str,
    data: bytes,
    kind: str = "draft",
    comment: str = "",
) -> DocumentVersion:
    """A draft or the signed file becomes the newest version of the contract's document (the first
    one creates the document). Earlier versions stay as they were."""
    contract = locked(company, contract)
    if not permissions.can_see(membership, contract):
        raise NotFound()
    if not permissions.manages_contracts(membership):
        raise PermissionDeniedError(_("契約書のファイルは法務が登録します。"))
    if kind not in FILE_KINDS:
        raise fail("kind", _("ファイルの種類(案・締結版)を選んでください。"))
    if not data:
        raise fail("file", _("ファイルを選んでください。"))
    if contract.status in (ContractStatus.EXPIRED, ContractStatus.TERMINATED) and kind == "draft":
        raise fail("kind", _("終了した契約には案を登録できません。"))
    label = str(FILE_KINDS[kind])
    text = f"{label} {comment.strip()}".strip()[:500]
    version = keep_contract_file(
        company=company,
        actor=actor,
        membership=membership,
        contract=contract,
        file_name=file_name,
        data=data,
        comment=text,
    )
    record_event(
        company=company,
        actor=actor,
        action="new_version",
        instance=contract,
        extra={"version": version.number, "kind": kind, "file": version.original_name, "comment": text},
    )
    return version


def keep_contract_file(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    contract: Contract,
    file_name: str,
    data: bytes,
    comment: str,
) -> DocumentVersion:
    """Store the file as the newest version of the contract's document (the first one creates the
    document in the 契約書 folder). The caller has locked the contract, checked its own permission
    for the work and records its own audit event; inside its transaction."""
    if contract.document is None:
        folder = _contracts_folder(company, actor, membership)
        document = document_services.create_document_for_app(
            company=company,
            actor=actor,
            folder=folder,
            name=_document_name(contract, file_name),
            data=data,
            comment=comment,
        )
        contract.document = document
        contract.save(update_fields=["document", "updated_at"])
        version = document.current_version
    else:
        version = document_services.add_version_for_app(
            company=company,
            actor=actor,
            document=contract.document,
            data=data,
            name=_document_name(contract, file_name),
            comment=comment,
        )
    assert version is not None
    return version
