"""Writing a vendor bill before it is approved: the draft with its lines (all or nothing), the
vendor's bill file (電子帳簿保存法), deleting a draft that was never submitted."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
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
from ennoshita.documents.storage import sha256_of
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.people.models import Department
from ennoshita.purchasing import rules
from ennoshita.purchasing.models import BillStatus, TaxHandling, Vendor, VendorBill, VendorBillLine
from ennoshita.purchasing.permissions import ACCOUNTING_ROLES
from ennoshita.purchasing.selectors import bills as bill_selectors

DOCUMENT_FOLDER = "仕入先請求書"
DOCUMENT_ROLES = ACCOUNTING_ROLES  # the folder in 文書 is read by 経理 and the admin
DOCUMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "webp")
PAYABLE_ACCOUNTS = ("2112", "2130")  # 買掛金 (仕入・外注), 未払金 (それ以外の経費・資産)
MAX_LINES = 100
MAX_LINE_AMOUNT = Decimal(9_999_999_999)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


@dataclass(frozen=True)
class BillLineSpec:
    """One line as typed: ``amount`` 税込 whole yen (checked here), ``department_id`` optional."""

    description: str
    account_code: str
    amount: Any
    tax_handling: str = TaxHandling.P10
    department_id: int | None = None


def _invalid(errors: dict[str, list[str]]) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def parse_amount(value: Any) -> tuple[Decimal | None, str]:
    """税込 whole yen > 0, from what was typed ("12,100", "１２１００円", 12100)."""
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None, _("金額を入力してください。")
    try:
        text = (
            nfkc(value).replace(",", "").replace("円", "").strip() if isinstance(value, str) else str(value)
        )
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        return None, _("金額は円単位の整数で入力してください。")
    if not amount.is_finite():
        return None, _("金額は円単位の整数で入力してください。")
    if amount != amount.to_integral_value():
        return None, _("1円未満の端数は入力できません。")
    if amount <= 0:
        return None, _("金額は1円以上で入力してください(値引・返品は別の請求書で扱ってください)。")
    if amount > MAX_LINE_AMOUNT:
        return None, _("金額が大きすぎます(1行 99億円まで)。")
    return amount.quantize(Decimal(1)), ""


def locked_bill(company: Company, bill: VendorBill) -> VendorBill:
    found = VendorBill.objects.for_company(company).select_for_update().filter(pk=bill.pk).first()
    if found is None:
        raise NotFound()
    return found


def _editable(company: Company, bill: VendorBill) -> VendorBill:
    bill = locked_bill(company, bill)
    if not bill.is_editable:
        raise ServiceError(
            _("「%(status)s」の請求書は変更できません(変更できるのは下書きと差し戻しだけです)。")
            % {"status": bill.get_status_display()},
            code="not_editable",
        )
    return bill


def bill_snapshot(bill: VendorBill, lines: list[VendorBillLine]) -> dict[str, Any]:
    fields = (
        "number",
        "vendor",
        "bill_date",
        "due_date",
        "vendor_reference",
        "is_qualified",
        "payable_account_code",
        "department",
        "status",
        "total",
        "tax_total",
        "memo",
    )
    return {
        **snapshot(bill, fields=fields),
        "lines": [
            snapshot(
                ln, fields=("line_no", "description", "account_code", "tax_handling", "amount", "department")
            )
            for ln in lines
        ],
    }


def _departments(company: Company) -> dict[int, Department]:
    return {d.pk: d for d in Department.objects.for_company(company)}


def _check_lines(
    company: Company,
    lines: list[BillLineSpec],
    departments: dict[int, Department],
    errors: dict[str, list[str]],
) -> list[dict[str, Any]]:
    if not lines:
        errors["lines"] = [_("明細を1行以上入力してください。")]
    elif len(lines) > MAX_LINES:
        errors["lines"] = [_("明細は%(n)s行までです。") % {"n": MAX_LINES}]
    active = {a.code for a in ledger_entry_selectors.accounts(company=company, active_only=True)}
    cleaned = []
    for n, spec in enumerate(lines[:MAX_LINES]):
        problems: dict[str, list[str]] = {}
        description = (spec.description or "").strip()
        if not description:
            problems["description"] = [_("内容を入力してください。")]
        elif len(description) > 200:
            problems["description"] = [_("200文字以内で入力してください。")]
        code = nfkc(spec.account_code or "").strip().split(" ")[0] if spec.account_code else ""
        if not code:
            problems["account_code"] = [_("勘定科目を選んでください。")]
        elif code not in active:
            problems["account_code"] = [
                _("勘定科目コード「%(c)s」は使用中の勘定科目にありません。") % {"c": code}
            ]
        elif code in PAYABLE_ACCOUNTS:
            problems["account_code"] = [_("買掛金・未払金は明細の科目にできません(相手勘定に指定します)。")]
        if spec.tax_handling not in TaxHandling.values:
            problems["tax_handling"] = [_("税区分を選んでください。")]
        amount, message = parse_amount(spec.amount)
        if message:
            problems["amount"] = [message]
        department = None
        if spec.department_id:
            department = departments.get(spec.department_id)
            if department is None:
                problems["department"] = [_("部署が見つかりません。")]
        for name, messages in problems.items():
            errors[f"lines.{n}.{name}"] = messages
        cleaned.append(
            {
                "description": description,
                "account_code": code,
                "tax_handling": spec.tax_handling,
                "amount": amount,
                "department": department,
            }
        )
    return cleaned


@transaction.atomic
def save_bill(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    bill: VendorBill | None,
    vendor: Vendor,
    bill_date: date | None,
    due_date: date | None,
    vendor_reference: str,
    is_qualified: bool,
    payable_account_code: str,
    department: Department | None,
    memo: str,
    lines: list[BillLineSpec],
) -> VendorBill:
    """Record a draft (``bill`` None) or change an editable one (draft, or after 差し戻し): the header
    and the whole set of lines. The due date comes from the vendor's 支払条件 when not given. Any
    error → nothing written, the messages on their fields (``lines.<n>.<field>`` for a line)."""
    require_role(membership, *ACCOUNTING_ROLES)
    if vendor.company_id != company.pk or (department is not None and department.company_id != company.pk):
        raise NotFound()
    if bill is not None:
        bill = _editable(company, bill)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not vendor.is_active and (bill is None or bill.vendor_id != vendor.pk):
        errors["vendor"] = [_("取引を停止した仕入先です。取引を再開してから登録してください。")]
    if bill_date is None:
        errors["bill_date"] = [_("請求日を入力してください。")]
    elif bill_date > today:
        errors["bill_date"] = [_("未来の日付は入力できません(今日は%(d)sです)。") % {"d": today.isoformat()}]
    if due_date is None and bill_date is not None:
        due_date = rules.due_date_for(
            bill_date=bill_date,
            closing_day=vendor.closing_day,
            payment_month_offset=vendor.payment_month_offset,
            payment_day=vendor.payment_day,
        )
    elif due_date is not None and bill_date is not None and due_date < bill_date:
        errors["due_date"] = [_("支払期日は請求日より後の日にしてください。")]
    reference = (vendor_reference or "").strip()
    if len(reference) > 50:
        errors["vendor_reference"] = [_("50文字以内で入力してください。")]
    memo = (memo or "").strip()
    if len(memo) > 200:
        errors["memo"] = [_("200文字以内で入力してください。")]
    if is_qualified and not vendor.registration_number:
        errors["is_qualified"] = [
            _("この仕入先には登録番号がありません。適格請求書として扱えません(経過措置で記帳します)。")
        ]
    payable = (payable_account_code or "").strip()
    if payable not in PAYABLE_ACCOUNTS:
        errors["payable_account_code"] = [_("相手勘定は 2112 買掛金 か 2130 未払金 を選んでください。")]
    cleaned = _check_lines(company, lines, _departments(company), errors)
    if errors:
        raise _invalid(errors)
    assert bill_date is not None
    assert due_date is not None
    before = None
    if bill is None:
        bill = VendorBill(company=company, created_by=actor)
    else:
        before = bill_snapshot(bill, bill_selectors.lines_of(bill=bill))
    bill.vendor = vendor
    bill.bill_date, bill.due_date = bill_date, due_date
    bill.vendor_reference, bill.memo = reference, memo
    bill.is_qualified = bool(is_qualified)
    bill.payable_account_code = payable
    bill.department = department
    bill.total = sum((c["amount"] for c in cleaned), Decimal(0))
    bill.save()
    VendorBillLine.objects.filter(bill=bill).delete()
    written = [
        VendorBillLine(company=company, bill=bill, line_no=n, **values) for n, values in enumerate(cleaned, 1)
    ]
    VendorBillLine.objects.bulk_create(written)
    bill.tax_total = sum(
        (t.tax for t in bill_selectors.line_taxes(company=company, bill=bill, lines=written)), Decimal(0)
    )
    bill.save(update_fields=["tax_total"])
    if bill.document_id:
        _refresh_document_record(company, actor, bill)
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=bill,
        before=before,
        after=bill_snapshot(bill, written),
    )
    return bill


# ------------------------------------------------------------------------------ the bill's file
def check_document(name: str, data: bytes) -> str:
    """The file's extension after documents' checks (size, type, readable PDF) and ours: a PDF or an
    image Pillow can read. Raises ServiceError on ``file``."""
    checked = check_file(name, data)
    if checked.extension not in DOCUMENT_TYPES:
        message = _("請求書はPDFか画像(JPEG・PNG・WebP)にしてください(.%(ext)s)。") % {
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


def _refresh_document_record(company: Company, actor: User, bill: VendorBill) -> None:
    """The file's 電子取引 record follows the bill's date, amount and vendor."""
    from ennoshita.documents.models import Document
    from ennoshita.documents.services.metadata import record_transaction

    document = (
        Document.objects.filter(company=company, pk=bill.document_id).first() if bill.document_id else None
    )
    if document is None:
        return
    if (document.transaction_date, document.transaction_amount, document.counterparty) == (
        bill.bill_date,
        bill.total,
        bill.vendor.name[:200],
    ):
        return
    record_transaction(
        company=company,
        actor=actor,
        document=document,
        transaction_date=bill.bill_date,
        transaction_amount=bill.total,
        counterparty=bill.vendor.name,
        document_type="invoice",
    )


@transaction.atomic
def attach_bill_document(
    *, company: Company, actor: User, membership: Membership, bill: VendorBill, name: str, data: bytes
) -> VendorBill:
    """File the vendor's bill (PDF or image) in 文書 「仕入先請求書」 with its 電子帳簿保存法 record:
    取引年月日 = bill date, 取引金額 = total, 取引先 = vendor (jp-rules §7), named for search as
    取引年月日_取引先_金額. Replacing keeps the earlier file in 文書. A draft or a returned bill only."""
    require_role(membership, *ACCOUNTING_ROLES)
    bill = _editable(company, bill)
    ext = check_document(name, data)
    sha = sha256_of(data)
    vendor = _UNSAFE.sub("_", bill.vendor.name).strip()[:60] or "vendor"
    document = document_services.file_generated_document(
        company=company,
        actor=actor,
        folder_name=DOCUMENT_FOLDER,
        roles=DOCUMENT_ROLES,
        name=f"{bill.bill_date:%Y%m%d}_{vendor}_{int(bill.total)}_{bill.pk}-{sha[:8]}.{ext}",
        data=data,
        transaction_date=bill.bill_date,
        transaction_amount=bill.total,
        counterparty=bill.vendor.name,
        document_type="invoice",
        text="",
    )
    fields = ("document_id", "document_sha256", "document_name")
    before = snapshot(bill, fields=fields)
    bill.document_id, bill.document_sha256 = document.pk, sha
    bill.document_name = (name or "").strip()[:255]
    bill.document_content_type = (
        "application/pdf" if ext == "pdf" else f"image/{'jpeg' if ext == 'jpg' else ext}"
    )
    bill.save(update_fields=[*fields, "document_content_type", "updated_at"])
    record_event(
        company=company,
        actor=actor,
        action="attach",
        instance=bill,
        before=before,
        after=snapshot(bill, fields=fields),
    )
    return bill


@transaction.atomic
def delete_draft_bill(*, company: Company, actor: User, membership: Membership, bill: VendorBill) -> None:
    """Delete a draft never submitted (a numbered bill is withdrawn instead: its number stays)."""
    require_role(membership, *ACCOUNTING_ROLES)
    bill = _editable(company, bill)
    if bill.status != BillStatus.DRAFT or bill.number:
        raise PermissionDeniedError(_("申請したことのある請求書は削除できません。取り下げてください。"))
    lines = bill_selectors.lines_of(bill=bill)
    record_event(
        company=company, actor=actor, action="delete", instance=bill, before=bill_snapshot(bill, lines)
    )
    VendorBillLine.objects.filter(bill=bill).delete()
    bill.delete()
