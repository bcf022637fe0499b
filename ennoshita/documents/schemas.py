"""Request and response shapes of the 文書 API (/api/v1/documents/).

Inputs forbid unknown fields and bound every string and number; the business rules (names,
file types and sizes, 電子帳簿保存法 metadata) stay in ``documents.services`` and ``documents.files``.
Files are sent as ``multipart/form-data`` (``file`` plus form fields), everything else as JSON.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from ennoshita.core.api import MAX_INT32, Id, Input, Str50, Str200, UserRef, printable

from .models import Document, DocumentVersion, Folder
from .selectors import AttachedDocument

MAX_AMOUNT = 10**15 - 1  # Document.transaction_amount: max_digits=15, decimal_places=0


Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT)]

DocumentTypeCode = Literal["invoice", "receipt", "quote", "contract", "order", "delivery"]


class FolderRef(Schema):
    id: int = Field(description="フォルダID")
    name: str = Field(description="フォルダ名")


# ------------------------------------------------------------------ folders
class FolderFilters(Schema):
    parent_id: Id | None = Field(None, description="親フォルダのID(省略時は最上位のフォルダ)")


class FolderOut(Schema):
    id: int = Field(description="フォルダID")
    name: str = Field(description="フォルダ名")
    parent_id: int | None = Field(description="親フォルダのID(最上位なら null)")
    created_at: datetime = Field(description="作成日時")

    @classmethod
    def of(cls, f: Folder) -> FolderOut:
        return cls(id=f.pk, name=f.name, parent_id=f.parent_id, created_at=f.created_at)


class FolderListItem(FolderOut):
    document_count: int = Field(description="フォルダ直下の文書の数(ゴミ箱の文書を含む)")


class FolderDetail(FolderOut):
    path: list[FolderRef] = Field(description="最上位からこのフォルダまで(パンくずリスト)")


class FolderCreate(Input):
    name: Str200 = Field(description="フォルダ名(同じ親の中で一意)")
    parent_id: Id | None = Field(None, description="親フォルダのID(省略時は最上位)")


# ------------------------------------------------------------------ documents
class VersionOut(Schema):
    id: int = Field(description="版のID(ダウンロード・復元の URL に使います)")
    number: int = Field(description="版番号(1 から)")
    sha256: str = Field(description="内容の SHA-256(16進)")
    size: int = Field(description="サイズ(バイト)")
    content_type: str = Field(description="種類(MIME タイプ)")
    original_name: str = Field(description="登録したときのファイル名")
    comment: str = Field(description="コメント")
    uploaded_by: UserRef = Field(description="登録した人")
    uploaded_at: datetime = Field(description="登録日時")
    restored_from_number: int | None = Field(description="古い版を復元した版なら、その版番号")

    @classmethod
    def of(cls, v: DocumentVersion) -> VersionOut:
        user = v.uploaded_by
        return cls(
            id=v.pk,
            number=v.number,
            sha256=v.sha256,
            size=v.size,
            content_type=v.content_type,
            original_name=v.original_name,
            comment=v.comment,
            uploaded_by=UserRef(id=user.pk, name=user.display_name()),
            uploaded_at=v.uploaded_at,
            restored_from_number=v.restored_from.number if v.restored_from_id and v.restored_from else None,
        )


class CurrentVersion(Schema):
    id: int = Field(description="版のID")
    number: int = Field(description="版番号")
    sha256: str = Field(description="内容の SHA-256(16進)")
    size: int = Field(description="サイズ(バイト)")
    content_type: str = Field(description="種類(MIME タイプ)")
    uploaded_at: datetime = Field(description="登録日時")


class DocumentOut(Schema):
    id: int = Field(description="文書ID")
    name: str = Field(description="ファイル名")
    folder: FolderRef = Field(description="フォルダ")
    tags: list[str] = Field(description="タグ(名前順)")
    current_version: CurrentVersion | None = Field(description="最新版")
    created_by: UserRef = Field(description="最初に登録した人")
    created_at: datetime = Field(description="登録日時")
    updated_at: datetime = Field(description="更新日時")
    trashed_at: datetime | None = Field(description="ゴミ箱に移動した日時(ゴミ箱になければ null)")
    is_transaction_record: bool = Field(description="電子取引データ(電子帳簿保存法)として保存されているか")
    transaction_date: date | None = Field(description="取引年月日")
    transaction_amount: int | None = Field(description="取引金額(円)")
    counterparty: str = Field(description="取引先")
    document_type: str = Field(
        description="書類の種類: invoice 請求書、receipt 領収書、quote 見積書、contract 契約書、"
        "order 注文書、delivery 納品書(電子取引データでなければ空)"
    )
    retention_until: date | None = Field(description="保存期限(この日までは削除できません)")

    @classmethod
    def of(cls, d: Document, tags: list[str]) -> DocumentOut:
        v = d.current_version
        user = d.created_by
        return cls(
            id=d.pk,
            name=d.name,
            folder=FolderRef(id=d.folder.pk, name=d.folder.name),
            tags=tags,
            current_version=CurrentVersion(
                id=v.pk,
                number=v.number,
                sha256=v.sha256,
                size=v.size,
                content_type=v.content_type,
                uploaded_at=v.uploaded_at,
            )
            if v is not None
            else None,
            created_by=UserRef(id=user.pk, name=user.display_name()),
            created_at=d.created_at,
            updated_at=d.updated_at,
            trashed_at=d.trashed_at,
            is_transaction_record=d.is_transaction_record,
            transaction_date=d.transaction_date,
            transaction_amount=int(d.transaction_amount) if d.transaction_amount is not None else None,
            counterparty=d.counterparty,
            document_type=d.document_type,
            retention_until=d.retention_until,
        )


class DocumentFilters(Schema):
    """The fields of ``documents.search.DocumentQuery``, plus the page."""

    q: Str200 = Field(
        "", description="名前・タグ・取引先・本文の語(空白区切りで AND。全角/半角・かなカナを区別しません)"
    )
    folder_id: Id | None = Field(
        None, description="このフォルダの文書だけ(既定では下位フォルダの文書も含みます)"
    )
    include_subfolders: bool = Field(
        True, description="false: folder_id のフォルダ直下の文書だけ(下位フォルダを含めません)"
    )
    tag: Str50 = Field(
        "",
        description="名前がこれと一致するタグの付いた文書だけ(全角/半角・大文字/小文字・ひらがな/カタカナを区別しません)",
    )
    uploader_id: Id | None = Field(None, description="このユーザーが登録した文書だけ")
    uploaded_from: date | None = Field(None, description="登録日がこの日以降")
    uploaded_to: date | None = Field(None, description="登録日がこの日以前")
    transaction_only: bool = Field(False, description="true: 電子取引データだけ(取引年月日の新しい順)")
    transaction_date_from: date | None = Field(None, description="取引年月日がこの日以降(電子取引データ)")
    transaction_date_to: date | None = Field(None, description="取引年月日がこの日以前(電子取引データ)")
    amount_min: Amount | None = Field(None, description="取引金額がこの額以上(円)")
    amount_max: Amount | None = Field(None, description="取引金額がこの額以下(円)")
    counterparty: Str200 = Field("", description="取引先の部分一致")
    document_type: DocumentTypeCode | None = Field(None, description="書類の種類")
    limit: int = Field(50, ge=1, le=200, description="1ページの件数(1〜200、既定 50)")
    offset: int = Field(0, ge=0, le=MAX_INT32, description="先頭から飛ばす件数(既定 0)")


class DocumentPage(Schema):
    count: int = Field(description="条件に合う件数の合計")
    limit: int = Field(description="1ページの件数")
    offset: int = Field(description="先頭から飛ばした件数")
    items: list[DocumentOut]


class TagsIn(Input):
    tags: list[Str50] = Field(
        max_length=50, description="付けるタグの全部(今のタグと置き換えます。空なら全部外します)"
    )


class TransactionRecordIn(Input):
    transaction_date: date = Field(description="取引年月日")
    transaction_amount: Amount = Field(description="取引金額(円、0以上の整数)")
    counterparty: Str200 = Field(description="取引先")
    document_type: DocumentTypeCode = Field(description="書類の種類")
    retention_years: Literal[7, 10] = Field(7, description="保存年数(7 または 10、既定 7)")


class ShareIn(Input):
    """共有: 全員・ロール・部署・個人に閲覧か編集を、期限付きでも与えます。外部アシスタントには期限が必須です。"""

    grantee_kind: Literal["everyone", "role", "department", "user"] = Field(description="共有先の種類")
    grantee: str = Field("", max_length=64, description="ロール名・部署ID・ユーザーID(全員のときは空)")
    permission: Literal["read", "edit"] = Field("read", description="閲覧(read)か編集(edit)")
    expires_at: datetime | None = Field(None, description="有効期限(ISO 8601)")


class ShareOut(Schema):
    id: int
    folder_id: int | None
    document_id: int | None
    grantee_kind: str
    grantee: str
    permission: str
    expires_at: datetime | None
    created_at: datetime


# ------------------------------------------------------------------ attachments
def _id_as_text(value: object) -> object:
    """A record id may be sent as a JSON number or a string; it is kept as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ObjectType = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(printable)]
ObjectId = Annotated[
    str,
    BeforeValidator(_id_as_text),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(printable),
]
OBJECT_TYPE_HELP = "記録の種類(people.employee: 社員)"
OBJECT_ID_HELP = "記録のID(社員なら社員ID)"


class AttachmentFilters(Schema):
    object_type: ObjectType = Field(description=OBJECT_TYPE_HELP)
    object_id: ObjectId = Field(description=OBJECT_ID_HELP)


class AttachmentIn(Input):
    object_type: ObjectType = Field(description=OBJECT_TYPE_HELP)
    object_id: ObjectId = Field(description=OBJECT_ID_HELP)


class AttachedDocumentRef(Schema):
    id: int = Field(description="文書ID")
    name: str = Field(description="ファイル名")
    version: int = Field(description="最新版の版番号")
    size: int = Field(description="最新版のサイズ(バイト)")


class AttachmentOut(Schema):
    id: int = Field(description="添付ID(添付を外す URL に使います)")
    document: AttachedDocumentRef = Field(description="添付された文書")
    object_type: str = Field(description=OBJECT_TYPE_HELP)
    object_id: str = Field(description=OBJECT_ID_HELP)
    object_repr: str = Field(description="記録の表示名(社員なら氏名)")
    created_by: UserRef = Field(description="添付した人")
    created_at: datetime = Field(description="添付日時")

    @classmethod
    def of(cls, a: AttachedDocument) -> AttachmentOut:
        return cls(
            id=a.attachment_id,
            document=AttachedDocumentRef(id=a.document_id, name=a.name, version=a.version, size=a.size),
            object_type=a.object_type,
            object_id=a.object_id,
            object_repr=a.object_repr,
            created_by=UserRef(id=a.created_by.pk, name=a.created_by.display_name()),
            created_at=a.created_at,
        )


class DocumentDetail(DocumentOut):
    attachments: list[AttachmentOut] = Field(
        description="この文書が添付されている記録(見られる記録だけ、種類・ID順)"
    )
