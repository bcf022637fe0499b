"""The drafts of a リーガルチェック: each round's file is a version of one document — the contract's
document when the review names a contract (so the contract page shows every draft and, later, the
signed file), else the review's own document in the 「リーガルチェック」 folder.

Both folders are 法務's: made on 法務's behalf on the first file and shared for editing with 法務
only, so a department member never edits other departments' drafts. The files are added through
``documents.services.add_version_for_app`` after the review's own permission check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.documents import services as document_services
from ennoshita.documents.models import DocumentVersion, Folder
from ennoshita.legal import permissions_reviews as permissions
from ennoshita.legal.models import Contract, LegalReview
from ennoshita.legal.services.contracts import legal_members
from ennoshita.legal.services.contracts.base import locked as locked_contract
from ennoshita.legal.services.contracts.files import keep_contract_file

FOLDER_NAME = "リーガルチェック"
FOLDER_FALLBACK = "リーガルチェック(法務管理)"


def _reviews_folder(company: Company, actor: User, membership: Membership) -> Folder:
    existing = (
        LegalReview.objects.for_company(company)
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
    keeper = actor if permissions.manages_reviews(membership) else next(iter(legal_members(company)), None)
    if keeper is None:
        raise ServiceError(
            _("法務の担当者が登録されていないため、ファイルを保存できません。管理者に連絡してください。"),
            code="no_legal_member",
        )
    return document_services.create_folder_for_app(
        company=company, actor=actor, name=name, owner=keeper, edit_roles=(Role.LEGAL,)
    )


def _file_name(review: LegalReview, file_name: str) -> str:
    ext = file_name.rsplit(".", 1)[-1] if "." in file_name else ""
    stem = "".join(
        ch if ch not in "/\\" and ord(ch) >= 32 else "_" for ch in f"{review.number}_{review.title}"
    )[:200]
    return f"{stem}.{ext}" if ext else stem


def store_draft(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    review: LegalReview,
    file_name: str,
    data: bytes,
    round_number: int,
) -> DocumentVersion:
    """The round's draft as the newest version of the contract's or the review's document (inside
    the caller's transaction, after its permission check)."""
    if not data:
        raise ServiceError(
            _("ファイルを選んでください。"),
            code="validation",
            field_errors={"file": [_("ファイルを選んでください。")]},
        )
    comment = _("リーガルチェック %(n)s 第%(r)d回") % {"n": review.number, "r": round_number}
    if review.contract_id is not None:
        contract: Contract = locked_contract(company, review.contract)  # type: ignore[arg-type]
        version = keep_contract_file(
            company=company,
            actor=actor,
            membership=membership,
            contract=contract,
            file_name=file_name,
            data=data,
            comment=f"{_('案')} {comment}",
        )
        record_event(
            company=company,
            actor=actor,
            action="new_version",
            instance=contract,
            extra={
                "version": version.number,
                "kind": "draft",
                "file": version.original_name,
                "review": review.number,
            },
        )
        return version
    if review.document is None:
        folder = _reviews_folder(company, actor, membership)
        document = document_services.create_document_for_app(
            company=company,
            actor=actor,
            folder=folder,
            name=_file_name(review, file_name),
            data=data,
            comment=comment,
        )
        review.document = document
        review.save(update_fields=["document", "updated_at"])
        assert document.current_version is not None
        return document.current_version
    return document_services.add_version_for_app(
        company=company,
        actor=actor,
        document=review.document,
        name=_file_name(review, file_name),
        data=data,
        comment=comment,
    )
