"""Writing a claim: the draft with its lines and receipts (all or nothing), a receipt added to one
line, deleting a draft that was never submitted."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.documents import services as document_services
from ennoshita.documents.files import check_file
from ennoshita.documents.models import Document
from ennoshita.documents.services.metadata import record_transaction
from ennoshita.documents.storage import sha256_of
from ennoshita.expenses import rules
from ennoshita.expenses.models import CategoryKind, ClaimStatus, ExpenseCategory, ExpenseClaim, ExpenseLine
from ennoshita.expenses.permissions import ACCOUNTING_ROLES, CLAIM_ROLES
from ennoshita.people import selectors as people_selectors

from .setup import ensure_setup

RECEIPT_FOLDER = "経費精算の領収書"
RECEIPT_ROLES = ACCOUNTING_ROLES  # the folder in 文書 is read by 経理 and the admin
RECEIPT_TYPES = ("pdf", "jpg", "jpeg", "png", "webp")
MAX_LINES = 100
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


@dataclass(frozen=True)
class ReceiptUpload:
    name: str
    data: bytes


@dataclass(frozen=True)
class LineSpec:
    """One line as the applicant enters it. ``amount`` is what was typed (checked here)."""

    date: date | None
    payee: str
    purpose: str
    category_id: int | None
    amount: Any = None
    registration_number: str = ""
    is_qualified: bool = False
    attendees: str = ""
    attendee_count: int | None = None
    route_from: str = ""
    route_to: str = ""
    round_trip: bool = False
    per_diem_kind: str = ""
    per_diem_days: int | None = None
    id: int | None = None  # an existing line of the claim (keeps its receipt)
    receipt: ReceiptUpload | None = field(default=None, compare=False)


def _invalid(errors: dict[str, list[str]], message: str | None = None) -> ServiceError:
    return ServiceError(message or _("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _parse_amount(value: Any) -> tuple[Decimal | None, str]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, _("金額を入力してください。")
    if isinstance(value, bool):
        return None, _("金額は円単位の整数で入力してください。")
    try:
        amount = Decimal(
            nfkc(value).replace(",", "").replace("円", "").strip() if isinstance(value, str) else str(value)
        )
    except (InvalidOperation, ValueError):
        return None, _("金額は円単位の整数で入力してください。")
    if not amount.is_finite():
        return None, _("金額は円単位の整数で入力してください。")
    if amount != amount.to_integral_value():
        return None, _("1円未満の端数は入力できません。")
    if amount <= 0:
        return None, _("金額は1円以上で入力してください。")
    if amount > rules.MAX_LINE_AMOUNT:
        return None, _("金額が大きすぎます(1明細 99,999,999円まで)。")
    return amount.quantize(Decimal(1)), ""


def check_receipt(name: str, data: bytes) -> str:
    """The receipt's file extension, after documents' checks (size, type, readable PDF) and ours:
    PDF or an image Pillow can read. Raises ServiceError on ``file``."""
    checked = check_file(name, data)  # size limit, empty file, executable, unreadable PDF
    if checked.extension not in RECEIPT_TYPES:
        message = _("領収書はPDFか画像(JPEG・PNG・WebP)にしてください(.%(ext)s)。") % {
            "ext": checked.extension
        }
        raise ServiceError(message, code="bad_file", field_errors={"file": [message]})
    if checked.extension != "pdf":
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            message = _("画像として読めません(壊れているか、画像ではありません): %(name)s") % {
                "name": checked.name
            }
            raise ServiceError(message, code="bad_file", field_errors={"file": [message]}) from exc
    return checked.extension


def _file_name(line: ExpenseLine, sha: str, ext: str) -> str:
    """電帳法 の検索に合う名前: 取引年月日_取引先_金額 (一問一答 問19), then ids that keep it unique."""
    payee = _UNSAFE.sub("_", line.payee).strip()[:60] or "payee"
    return f"{line.date:%Y%m%d}_{payee}_{int(line.amount)}_{line.claim_id}-{line.pk}-{sha[:8]}.{ext}"


def _store_receipt(company: Company, actor: User, line: ExpenseLine, upload: ReceiptUpload) -> None:
    ext = check_receipt(upload.name, upload.data)
    sha = sha256_of(upload.data)
    document = document_services.file_generated_document(
        company=company,
        actor=actor,
        folder_name=RECEIPT_FOLDER,
        roles=RECEIPT_ROLES,
        name=_file_name(line, sha, ext),
        data=upload.data,
        transaction_date=line.date,
        transaction_amount=line.amount,
        counterparty=line.payee,
        document_type="receipt",
        text="",
    )
    line.receipt_document_id = document.pk
    line.receipt_sha256 = sha
    line.receipt_name = upload.name.strip()[:255]
    line.receipt_content_type = (
        "application/pdf" if ext == "pdf" else f"image/{'jpeg' if ext == 'jpg' else ext}"
    )


def _refresh_receipt_record(company: Company, actor: User, line: ExpenseLine) -> None:
    """The receipt's 電子取引 record follows the line's date, amount and payee (audited by documents)."""
    document = (
        Document.objects.filter(company=company, pk=line.receipt_document_id).first()
        if line.receipt_document_id
        else None
    )
    if document is None:
        return
    if (document.transaction_date, document.transaction_amount, document.counterparty) == (
        line.date,
        line.amount,
        line.payee.strip()[:200],
    ):
        return
    record_transaction(
        company=company,
        actor=actor,
        document=document,
        transaction_date=line.date,
        transaction_amount=line.amount,
        counterparty=line.payee,
        document_type="receipt",
    )


def _check_line(
    n: int,
    spec: LineSpec,
    categories: dict[int, ExpenseCategory],
    settings_row: Any,
    today: date,
    errors: dict[str, list[str]],
) -> dict[str, Any] | None:
    key = f"lines.{n}"
    problems: dict[str, list[str]] = {}
    if spec.date is None:
        problems["date"] = [_("日付を入力してください。")]
    elif rules.is_future(day=spec.date, today=today):
        problems["date"] = [_("未来の日付は入力できません。")]
    payee, purpose = spec.payee.strip(), spec.purpose.strip()
    if not payee:
        problems["payee"] = [_("支払先を入力してください。")]
    elif len(payee) > 100:
        problems["payee"] = [_("100文字以内で入力してください。")]
    if not purpose:
        problems["purpose"] = [_("内容・目的を入力してください。")]
    elif len(purpose) > 200:
        problems["purpose"] = [_("200文字以内で入力してください。")]
    category = categories.get(spec.category_id or 0)
    if category is None:
        problems["category"] = [_("区分を選んでください。")]
    per_diem = category is not None and category.kind == CategoryKind.PER_DIEM
    amount: Decimal | None = None
    if per_diem:
        if not settings_row.per_diem_enabled:
            problems["category"] = [_("この会社では日当を支給していません。")]
        elif spec.per_diem_kind not in ("day_trip", "overnight"):
            problems["per_diem_kind"] = [_("日帰りか宿泊かを選んでください。")]
        elif not spec.per_diem_days or not 1 <= spec.per_diem_days <= 366:
            problems["per_diem_days"] = [_("日数を1〜366で入力してください。")]
        else:
            amount = rules.per_diem_amount(
                kind=spec.per_diem_kind,
                days=spec.per_diem_days,
                day_trip=settings_row.per_diem_day_trip,
                overnight=settings_row.per_diem_overnight,
            )
            if amount <= 0:
                problems["category"] = [_("日当の金額が設定されていません。")]
    else:
        amount, message = _parse_amount(spec.amount)
        if message:
            problems["amount"] = [message]
    number = rules.normalize_registration_number(spec.registration_number)
    if number and not rules.is_well_formed_registration_number(number):
        problems["registration_number"] = [_("登録番号は「T」と13桁の数字で入力してください。")]
    if spec.attendee_count is not None and not 1 <= spec.attendee_count <= 9999:
        problems["attendee_count"] = [_("人数は1以上で入力してください。")]
    if problems:
        for name, messages in problems.items():
            errors[f"{key}.{name}"] = messages
        return None
    assert category is not None
    assert amount is not None
    assert spec.date is not None
    kind = category.kind
    return {
        "date": spec.date,
        "payee": payee,
        "purpose": purpose,
        "category": category,
        "amount": amount,
        "registration_number": number,
        "is_qualified": bool(spec.is_qualified),
        "attendees": spec.attendees.strip()[:2000] if kind in ("entertainment", "meeting") else "",
        "attendee_count": spec.attendee_count if kind in ("entertainment", "meeting") else None,
        "route_from": spec.route_from.strip()[:50] if kind == "travel" else "",
        "route_to": spec.route_to.strip()[:50] if kind == "travel" else "",
        "round_trip": bool(spec.round_trip) if kind == "travel" else False,
        "per_diem_kind": spec.per_diem_kind if per_diem else "",
        "per_diem_days": spec.per_diem_days if per_diem else None,
    }


def _locked_claim(company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    found = ExpenseClaim.objects.for_company(company).select_for_update().filter(pk=claim.pk).first()
    if found is None:
        raise NotFound()
    return found


def _own_editable(company: Company, actor: User, claim: ExpenseClaim) -> ExpenseClaim:
    claim = _locked_claim(company, claim)
    if claim.applicant_id != actor.pk:
        raise NotFound()  # someone else's claim is not there for the editor
    if not claim.is_editable:
        raise ServiceError(
            _("「%(status)s」の精算は変更できません。") % {"status": claim.get_status_display()},
            code="not_editable",
        )
    return claim


def claim_snapshot(claim: ExpenseClaim, lines: list[ExpenseLine]) -> dict[str, Any]:
    return {
        **snapshot(claim, fields=("number", "title", "status", "total", "department")),
        "lines": [
            snapshot(
                ln,
                fields=(
                    "line_no",
                    "date",
                    "payee",
                    "purpose",
                    "category",
                    "amount",
                    "registration_number",
                    "is_qualified",
                    "attendee_count",
                    "receipt_sha256",
                ),
            )
            for ln in lines
        ],
    }


@transaction.atomic
def save_claim(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    claim: ExpenseClaim | None,
    title: str,
    lines: list[LineSpec],
) -> ExpenseClaim:
    """Create a draft (``claim`` None) or change an editable one (draft, or returned after 差し戻し):
    the title and the whole set of lines, with new receipts. Any error → nothing written, the
    messages on ``title``, ``lines`` or ``lines.<n>.<field>``."""
    require_role(membership, *CLAIM_ROLES)
    settings_row = ensure_setup(company=company)
    today = timezone.localdate()
    if claim is not None:
        claim = _own_editable(company, actor, claim)
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("件名を入力してください。")]
    elif len(title) > 100:
        errors["title"] = [_("100文字以内で入力してください。")]
    if not lines:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    elif len(lines) > MAX_LINES:
        errors["lines"] = [_("明細は%(n)s行までです。") % {"n": MAX_LINES}]
    categories = {c.pk: c for c in ExpenseCategory.objects.for_company(company).filter(is_active=True)}
    existing = {ln.pk: ln for ln in ExpenseLine.objects.filter(claim=claim)} if claim is not None else {}
    # a category made inactive later stays usable on the lines that already have it
    for ln in existing.values():
        categories.setdefault(ln.category_id, ExpenseCategory.objects.get(pk=ln.category_id))
    cleaned: list[dict[str, Any] | None] = []
    for n, spec in enumerate(lines[:MAX_LINES]):
        if spec.id is not None and spec.id not in existing:
            raise NotFound()
        cleaned.append(_check_line(n, spec, categories, settings_row, today, errors))
        if spec.receipt is not None:
            try:
                check_receipt(spec.receipt.name, spec.receipt.data)
            except ServiceError as exc:
                errors[f"lines.{n}.receipt"] = exc.field_errors.get("file") or [exc.message]
    if errors:
        raise _invalid(errors)
    before = None
    if claim is None:
        claim = ExpenseClaim(
            company=company,
            applicant=actor,
            employee=people_selectors.own_employee_record(company=company, membership=membership),
            department=people_selectors.employee_department(company=company, user=actor, as_of=today),
        )
    else:
        before = claim_snapshot(claim, sorted(existing.values(), key=lambda ln: ln.line_no))
    claim.title = title
    claim.total = sum((c["amount"] for c in cleaned if c), Decimal(0))
    claim.save()
    kept = {spec.id for spec in lines if spec.id is not None}
    ExpenseLine.objects.filter(claim=claim).exclude(pk__in=kept).delete()
    # line numbers are unique per claim: move the kept lines out of the way first
    for k, pk in enumerate(
        ExpenseLine.objects.filter(claim=claim).order_by("pk").values_list("pk", flat=True)
    ):
        ExpenseLine.objects.filter(pk=pk).update(line_no=10000 + k)
    written: list[ExpenseLine] = []
    for n, (spec, values) in enumerate(zip(lines, cleaned, strict=True), start=1):
        assert values is not None
        line = existing[spec.id] if spec.id is not None else ExpenseLine(company=company, claim=claim)
        for name, value in values.items():
            setattr(line, name, value)
        line.line_no = n
        line.save()
        if spec.receipt is not None:
            _store_receipt(company, actor, line, spec.receipt)
            line.save(
                update_fields=[
                    "receipt_document_id",
                    "receipt_sha256",
                    "receipt_name",
                    "receipt_content_type",
                ]
            )
        elif line.receipt_document_id:
            _refresh_receipt_record(company, actor, line)
        written.append(line)
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=claim,
        before=before,
        after=claim_snapshot(claim, written),
    )
    return claim


@transaction.atomic
def attach_receipt(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    claim: ExpenseClaim,
    line: ExpenseLine,
    name: str,
    data: bytes,
) -> ExpenseLine:
    """Add (or replace) the receipt of one line of an editable claim. The earlier file stays in 文書."""
    require_role(membership, *CLAIM_ROLES)
    claim = _own_editable(company, actor, claim)
    line = ExpenseLine.objects.select_for_update().filter(claim=claim, pk=line.pk).first()  # type: ignore[assignment]
    if line is None:
        raise NotFound()
    before = snapshot(line, fields=("receipt_document_id", "receipt_sha256", "receipt_name"))
    _store_receipt(company, actor, line, ReceiptUpload(name, data))
    line.save(update_fields=["receipt_document_id", "receipt_sha256", "receipt_name", "receipt_content_type"])
    record_event(
        company=company,
        actor=actor,
        action="attach",
        instance=claim,
        before=before,
        after=snapshot(line, fields=("receipt_document_id", "receipt_sha256", "receipt_name")),
        extra={"line_no": line.line_no},
    )
    return line


@transaction.atomic
def delete_draft(*, company: Company, actor: User, membership: Membership, claim: ExpenseClaim) -> None:
    """Delete a draft that was never submitted (a submitted claim keeps its number: 取り下げ instead)."""
    require_role(membership, *CLAIM_ROLES)
    claim = _own_editable(company, actor, claim)
    if claim.status != ClaimStatus.DRAFT or claim.number:
        raise PermissionDeniedError(_("申請したことのある精算は削除できません。取り下げてください。"))
    lines = list(ExpenseLine.objects.filter(claim=claim).order_by("line_no"))
    before = claim_snapshot(claim, lines)
    record_event(company=company, actor=actor, action="delete", instance=claim, before=before)
    ExpenseLine.objects.filter(claim=claim).delete()
    claim.delete()
