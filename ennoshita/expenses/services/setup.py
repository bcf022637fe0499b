"""The company's expense rules and categories: created on first use, changed by 経理 / admin."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.expenses.models import CategoryKind, ExpenseCategory, ExpenseSettings, TaxHandling
from ennoshita.expenses.permissions import ACCOUNTING_ROLES
from ennoshita.ledger import entry_selectors as ledger_entry_selectors
from ennoshita.ledger import services as ledger_services


@dataclass(frozen=True)
class DefaultCategory:
    code: str
    name: str
    account_code: str
    tax_handling: str
    kind: str
    receipt_required: bool = True
    books_only: bool = False


# Mapped to the standard chart (ledger/chart.py). 日当 and 電車・バス are 課税仕入れ 10% that may be
# credited with the books only (施行令49条1項1号, 規則15条の4; 基通11-2-1): no receipt asked.
DEFAULT_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory("TRANSIT", "旅費交通費(電車・バス)", "6260", "P10", CategoryKind.TRAVEL, False, True),
    DefaultCategory("TAXI", "旅費交通費(タクシー)", "6260", "P10", CategoryKind.NORMAL),
    DefaultCategory("HOTEL", "旅費交通費(宿泊)", "6260", "P10", CategoryKind.NORMAL),
    DefaultCategory("ENTERTAIN", "交際費", "6240", "P10", CategoryKind.ENTERTAINMENT),
    DefaultCategory("MEETING", "会議費", "6250", "P10", CategoryKind.MEETING),
    DefaultCategory("SUPPLIES", "消耗品費", "6310", "P10", CategoryKind.NORMAL),
    DefaultCategory("COMM", "通信費", "6270", "P10", CategoryKind.NORMAL),
    DefaultCategory("BOOKS", "新聞図書費", "6350", "P10", CategoryKind.NORMAL),
    DefaultCategory("FEES", "支払手数料", "6370", "P10", CategoryKind.NORMAL),
    DefaultCategory("PERDIEM", "日当", "6260", "P10", CategoryKind.PER_DIEM, False, True),
)

SETTINGS_FIELDS = (
    "receipt_threshold",
    "missing_receipt_blocks",
    "entertainment_limit_per_person",
    "small_amount_exception",
    "per_diem_enabled",
    "per_diem_day_trip",
    "per_diem_overnight",
)


def ensure_setup(*, company: Company) -> ExpenseSettings:
    """The company's settings and default categories, created on first use (idempotent)."""
    found = ExpenseSettings.objects.filter(company=company).first()
    return found if found is not None else _create(company)


@transaction.atomic
def _create(company: Company) -> ExpenseSettings:
    ledger_services.ensure_books(company=company)
    try:
        with transaction.atomic():
            row = ExpenseSettings.objects.create(company=company)
    except IntegrityError:  # a concurrent first use
        return ExpenseSettings.objects.get(company=company)
    existing = set(ExpenseCategory.objects.for_company(company).values_list("code", flat=True))
    ExpenseCategory.objects.bulk_create(
        ExpenseCategory(
            company=company,
            code=d.code,
            name=d.name,
            account_code=d.account_code,
            tax_handling=d.tax_handling,
            kind=d.kind,
            receipt_required=d.receipt_required,
            books_only=d.books_only,
            sort_order=n * 10,
        )
        for n, d in enumerate(DEFAULT_CATEGORIES)
        if d.code not in existing
    )
    record_event(
        company=company,
        actor=None,
        action="create",
        instance=row,
        after=snapshot(row),
        extra={"categories": [d.code for d in DEFAULT_CATEGORIES]},
        actor_label="expenses.setup",
    )
    return row


def _whole_yen(value: Any, field: str, errors: dict[str, list[str]], minimum: int) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except Exception:
        amount = None
    if amount is None or not amount.is_finite() or amount != amount.to_integral_value():
        errors[field] = [_("円単位の整数で入力してください。")]
        return None
    if amount < minimum or amount > 99_999_999:
        errors[field] = [_("%(min)s円から99,999,999円の間で入力してください。") % {"min": f"{minimum:,}"}]
        return None
    return amount


@transaction.atomic
def update_settings(
    *, company: Company, actor: User, membership: Membership, **values: Any
) -> ExpenseSettings:
    """Change the thresholds and the 日当. 経理 / admin only."""
    require_role(membership, *ACCOUNTING_ROLES)
    row = ExpenseSettings.objects.select_for_update().get(pk=ensure_setup(company=company).pk)
    before = snapshot(row)
    errors: dict[str, list[str]] = {}
    for field in ("receipt_threshold",):
        if field in values:
            values[field] = _whole_yen(values[field], field, errors, 1)
    for field in ("entertainment_limit_per_person", "per_diem_day_trip", "per_diem_overnight"):
        if field in values:
            values[field] = _whole_yen(values[field], field, errors, 0)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ServiceError(_("不明な項目があります: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    for field, value in values.items():
        setattr(row, field, bool(value) if isinstance(getattr(row, field), bool) else value)
    row.save()
    record_event(
        company=company, actor=actor, action="update", instance=row, before=before, after=snapshot(row)
    )
    return row


@transaction.atomic
def save_category(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    category: ExpenseCategory | None,
    code: str,
    name: str,
    account_code: str,
    tax_handling: str,
    kind: str,
    receipt_required: bool,
    books_only: bool,
    is_active: bool = True,
    sort_order: int = 0,
) -> ExpenseCategory:
    """Add or change a category. The account must exist in the company's chart."""
    require_role(membership, *ACCOUNTING_ROLES)
    ensure_setup(company=company)
    if category is not None and category.company_id != company.pk:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    code, name, account_code = code.strip(), name.strip(), account_code.strip()
    if not code:
        errors["code"] = [_("区分コードを入力してください。")]
    if not name:
        errors["name"] = [_("区分名を入力してください。")]
    account = (
        ledger_entry_selectors.account_by_code(company=company, code=account_code) if account_code else None
    )
    if account is None or not account.is_active:
        errors["account_code"] = [_("勘定科目コードが見つからないか、使用停止です。")]
    if tax_handling not in TaxHandling.values:
        errors["tax_handling"] = [_("税区分を選んでください。")]
    if kind not in CategoryKind.values:
        errors["kind"] = [_("種類を選んでください。")]
    if (
        code
        and ExpenseCategory.objects.for_company(company)
        .filter(code=code)
        .exclude(pk=category.pk if category else None)
        .exists()
    ):
        errors["code"] = [_("この区分コードは既に使われています。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    before = snapshot(category) if category else None
    row = category or ExpenseCategory(company=company)
    row.code, row.name, row.account_code = code, name[:50], account_code
    row.tax_handling, row.kind = tax_handling, kind
    row.receipt_required, row.books_only, row.is_active, row.sort_order = (
        bool(receipt_required),
        bool(books_only),
        bool(is_active),
        int(sort_order),
    )
    row.save()
    record_event(
        company=company,
        actor=actor,
        action="update" if before else "create",
        instance=row,
        before=before,
        after=snapshot(row),
    )
    return row
