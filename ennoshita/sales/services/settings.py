"""The company's sales settings: invoice rounding and pricing, the 登録番号 printed on invoices,
振込先, the deposit account, logo and seal images."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.ledger import selectors as ledger_selectors
from ennoshita.ledger.services import ensure_books
from ennoshita.sales import rules
from ennoshita.sales.models import FeeTreatment, HolidayRule, SalesSettings, TaxRounding
from ennoshita.sales.permissions import SETTINGS_ROLES

from .lines import settings_of

MAX_IMAGE_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG"
FIELDS = (
    "fee_treatment",
    "tax_rounding",
    "prices_include_tax",
    "holiday_rule",
    "registration_number",
    "bank_details",
    "invoice_note",
    "deposit_account_code",
    "logo",
    "seal",
)


def _image(data: bytes | None, field: str, errors: dict[str, list[str]]) -> bytes | None:
    """A PNG or JPEG under 2 MB that really is an image (Pillow reads it), or an error."""
    if data is None:
        return None
    if len(data) > MAX_IMAGE_BYTES:
        errors[field] = [_("画像は2MBまでにしてください。")]
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, ValueError):
        errors[field] = [_("PNGかJPEGの画像を選んでください。")]
        return None
    if kind not in ("PNG", "JPEG"):
        errors[field] = [_("PNGかJPEGの画像を選んでください。")]
        return None
    return data


@transaction.atomic
def update_sales_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    tax_rounding: str,
    prices_include_tax: bool,
    holiday_rule: str,
    registration_number: str = "",
    bank_details: str = "",
    invoice_note: str = "",
    deposit_account_code: str = "1121",
    fee_treatment: str | None = None,
    logo: bytes | None = None,
    seal: bytes | None = None,
    remove_logo: bool = False,
    remove_seal: bool = False,
) -> SalesSettings:
    """Change the settings; they apply to documents made from now on (an issued invoice keeps
    the rounding, issuer name and 登録番号 it was issued with)."""
    require_role(membership, *SETTINGS_ROLES)
    row = settings_of(company)
    row = SalesSettings.objects.select_for_update().get(pk=row.pk)
    errors: dict[str, list[str]] = {}
    if tax_rounding not in TaxRounding.values:
        errors["tax_rounding"] = [_("端数処理を選んでください。")]
    if holiday_rule not in HolidayRule.values:
        errors["holiday_rule"] = [_("休日の扱いを選んでください。")]
    number = rules.normalize_registration_number(registration_number)
    if number:
        problem = rules.registration_number_problem(number, is_corporation=bool(company.corporate_number))
        if problem == "format":
            errors["registration_number"] = [_("登録番号は「T」と13桁の数字です。")]
        elif problem == "check_digit" or (
            company.corporate_number and number[1:] != company.corporate_number
        ):
            errors["registration_number"] = [
                _("法人の登録番号は「T」と法人番号(%(number)s)です。") % {"number": company.corporate_number}
            ]
    ensure_books(company=company)
    code = deposit_account_code.strip()
    try:
        account = ledger_selectors.get_account_by_code(company=company, code=code)
    except NotFound:
        account = None
    if account is None or not account.is_active:
        errors["deposit_account_code"] = [_("使用中の勘定科目のコードを入力してください(普通預金は1121)。")]
    if fee_treatment is not None and fee_treatment not in FeeTreatment.values:
        errors["fee_treatment"] = [_("振込手数料の扱いを選んでください。")]
    logo_data = _image(logo, "logo", errors)
    seal_data = _image(seal, "seal", errors)
    if errors:
        raise ServiceError(_("販売の設定を保存できません。"), code="validation", field_errors=errors)
    before = snapshot(row, fields=FIELDS)
    row.tax_rounding, row.prices_include_tax, row.holiday_rule = (
        tax_rounding,
        prices_include_tax,
        holiday_rule,
    )
    row.registration_number, row.bank_details = number, bank_details.strip()
    row.invoice_note, row.deposit_account_code = invoice_note.strip(), code
    if fee_treatment is not None:
        row.fee_treatment = fee_treatment
    for field, data, remove in (("logo", logo_data, remove_logo), ("seal", seal_data, remove_seal)):
        if data is not None:
            extension = "png" if data.startswith(PNG_SIGNATURE) else "jpg"
            getattr(row, field).save(f"{field}.{extension}", ContentFile(data), save=False)
        elif remove:
            setattr(row, field, "")
    row.save()
    record_event(
        company=company,
        actor=actor,
        action="update",
        instance=row,
        before=before,
        after=snapshot(row, fields=FIELDS),
    )
    return row
