"""The payment settings: the company as 振込依頼人 (委託者コード and name as the bank knows them), the
account transfers are made from, and the ledger account a payment credits."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.purchasing import rules
from ennoshita.purchasing.models import PurchasingSettings
from ennoshita.purchasing.payment_permissions import PAYMENT_ROLES
from ennoshita.purchasing.selectors import payments as selectors

SETTINGS_FIELDS = (
    "requester_code",
    "requester_name",
    "bank_code",
    "branch_code",
    "account_type",
    "account_number",
    "bank_account_code",
)


@transaction.atomic
def update_payment_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    requester_code: str,
    requester_name: str,
    bank_code: str,
    branch_code: str,
    account_type: str,
    account_number: str,
    bank_account_code: str = "1121",
) -> PurchasingSettings:
    """Keep the settings, checked as a 全銀 header needs them (jp-rules §8): a 10-digit 振込依頼人
    コード, the name in bank characters (``rules.bank_kana``, 40 at most), a bank and branch that
    exist, 普通・当座・その他, an account number of up to 7 digits (kept zero-filled), and a ledger
    account that exists."""
    require_role(membership, *PAYMENT_ROLES)
    row = PurchasingSettings.objects.for_company(company).select_for_update().first()
    created = row is None
    if row is None:
        row = PurchasingSettings(company=company)
    before = None if created else snapshot(row, SETTINGS_FIELDS)
    row.requester_code = nfkc(requester_code or "").strip()
    try:
        row.requester_name = rules.bank_kana(requester_name or "")
    except ValueError:
        row.requester_name = requester_name  # settings_problems names the characters
    row.bank_code = nfkc(bank_code or "").strip()
    row.branch_code = nfkc(branch_code or "").strip()
    row.account_type = (account_type or "").strip()
    number = nfkc(account_number or "").strip()
    row.account_number = number.zfill(7) if number.isdigit() and len(number) <= 7 else number[:7]
    row.bank_account_code = nfkc(bank_account_code or "").strip()
    errors = selectors.settings_problems(row)
    if len(number) > 7:
        errors["account_number"] = [_("依頼人の口座番号は7桁以内の数字です。")]
    if ledger_entry_selectors.account_by_code(company=company, code=row.bank_account_code) is None:
        errors["bank_account_code"] = [
            _("勘定科目 %(code)s がありません。") % {"code": row.bank_account_code}
        ]
    if errors:
        raise ServiceError(_("支払の設定を保存できません。"), code="validation", field_errors=errors)
    row.save()
    record_event(
        company=company,
        actor=actor,
        action="create" if created else "update",
        instance=row,
        before=before,
        after=snapshot(row, SETTINGS_FIELDS),
    )
    return row
