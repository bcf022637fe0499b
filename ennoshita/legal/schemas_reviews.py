"""Request and response shapes of /api/v1/legal/reviews (リーガルチェック) and /legal/playbook."""

from __future__ import annotations

import base64
import binascii
from datetime import date as Day
from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field

from ennoshita.core.api import Input, PageParams, Str100, Str200, Str300, Str500, Text

from .models import LegalReview, PlaybookClause, ReviewRound

MAX_FILE_BASE64 = 70 * 1024 * 1024  # ~50 MB of bytes once decoded; documents checks the real limit


def _decode(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("base64 で送ってください。") from None
    return value


Base64 = Annotated[str, Field(max_length=MAX_FILE_BASE64), AfterValidator(_decode)]


class FileIn(Input):
    name: Str300 = Field(description="ファイル名(拡張子つき。例: 業務委託契約書_案.docx)")
    content_base64: Base64 = Field(description="ファイルの中身(base64)")

    def data(self) -> bytes:
        return base64.b64decode(self.content_base64)


class ReviewFilters(PageParams):
    q: str = Field("", max_length=100, description="依頼番号・件名・背景・契約番号(語ごと)")
    status: str = Field(
        "", max_length=20, description="状態(submitted, in_review, returned, closed, withdrawn)"
    )
    reviewer_id: int | None = Field(None, ge=1, description="担当者(ユーザーID)")
    department_id: int | None = Field(None, ge=1, description="依頼部署")
    overdue: bool | None = Field(None, description="true: 回答希望日を過ぎて未回答のみ、false: それ以外")


class ReviewIn(Input):
    title: Str200 = Field(description="件名")
    contract_id: int | None = Field(
        None, ge=1, description="契約(契約書のチェックなら)。自分が見られる契約だけ"
    )
    background: Text = Field(description="取引の背景・確認してほしい点")
    desired_on: Day = Field(description="回答希望日(今日以降)")
    note: Text = Field("", description="補足")
    file: FileIn = Field(description="審査する文書(案)")


class AssignIn(Input):
    reviewer_id: int = Field(ge=1, description="担当者(法務または管理者のユーザーID)")


class CommentIn(Input):
    clause: Str100 = Field(description="条項(例: 第5条 損害賠償)")
    comment: Text = Field("", description="コメント(空で playbook_id を送ると確認の観点が入る)")
    severity: str = Field(
        "should", max_length=10, description="重要度: must(要修正), should(修正推奨), info(参考)"
    )
    suggestion: Text = Field("", description="修正案")
    playbook_id: int | None = Field(None, ge=1, description="条項メモ")


class ReturnIn(Input):
    verdict: str = Field(max_length=20, description="判定: ok, ok_with_changes(修正すればOK), ng")
    summary: Text = Field("", description="総評(修正すればOK・NG でコメントがなければ必須)")


class ResubmitIn(Input):
    note: Text = Field("", description="変更点")
    file: FileIn = Field(description="修正した文書")


class WithdrawIn(Input):
    reason: Str500 = Field("", description="理由")


class ReviewOut(Schema):
    id: int
    number: str
    title: str
    contract_id: int | None
    status: str
    verdict: str
    round: int
    requester_id: int
    department_id: int | None
    reviewer_id: int | None
    desired_on: Day
    submitted_at: datetime
    returned_at: datetime | None
    closed_at: datetime | None
    lead_days_to_first_return: int | None = Field(description="初回回答までの営業日")
    lead_days_to_close: int | None = Field(description="完了までの営業日")

    @classmethod
    def of(cls, r: LegalReview, closed: frozenset[Day] | None = None) -> ReviewOut:
        from .selectors.reviews import lead_time

        lt = lead_time(r, closed=closed)
        return cls(
            id=r.pk,
            number=r.number,
            title=r.title,
            contract_id=r.contract_id,
            status=r.status,
            verdict=r.verdict,
            round=r.round,
            requester_id=r.requester_id,
            department_id=r.department_id,
            reviewer_id=r.reviewer_id,
            desired_on=r.desired_on,
            submitted_at=r.submitted_at,
            returned_at=r.returned_at,
            closed_at=r.closed_at,
            lead_days_to_first_return=lt.to_first_return,
            lead_days_to_close=lt.to_close,
        )


class ReviewPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReviewOut]


class CommentOut(Schema):
    id: int
    clause: str
    severity: str
    comment: str
    suggestion: str
    playbook_id: int | None
    author_id: int


class RoundOut(Schema):
    number: int
    file_name: str
    file_url: str
    note: str
    submitted_at: datetime
    verdict: str
    summary: str
    returned_at: datetime | None
    comments: list[CommentOut]

    @classmethod
    def of(cls, r: ReviewRound, url: str) -> RoundOut:
        return cls(
            number=r.number,
            file_name=r.version.original_name if r.version else "",
            file_url=url,
            note=r.note,
            submitted_at=r.submitted_at,
            verdict=r.verdict,
            summary=r.summary,
            returned_at=r.returned_at,
            comments=[
                CommentOut(
                    id=c.pk,
                    clause=c.clause,
                    severity=c.severity,
                    comment=c.comment,
                    suggestion=c.suggestion,
                    playbook_id=c.playbook_id,
                    author_id=c.author_id,
                )
                for c in r.comments.all()
            ],
        )


class ReviewDetail(ReviewOut):
    background: str
    rounds: list[RoundOut]


class PlaybookIn(Input):
    title: Str200 = Field(description="条項の見出し")
    category: Str100 = Field("", description="分類")
    guidance: Text = Field(description="確認の観点")
    suggested_text: Text = Field("", description="推奨文言")


class PlaybookOut(Schema):
    id: int
    title: str
    category: str
    guidance: str
    suggested_text: str
    is_active: bool

    @classmethod
    def of(cls, p: PlaybookClause) -> PlaybookOut:
        return cls(
            id=p.pk,
            title=p.title,
            category=p.category,
            guidance=p.guidance,
            suggested_text=p.suggested_text,
            is_active=p.is_active,
        )
