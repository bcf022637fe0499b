"""支給・控除項目 — writes: the company's pay items, seeded with DEFAULT_ITEMS on first use, added,
edited, deactivated, and deleted only while unused. Role-checked (SETTINGS_ROLES), audited, refused
with field errors before anything is written. A formula is checked by payroll.formula (no eval) and
may not name itself, an inactive item, or make a cycle. docs/domains/payroll.md 「支給・控除項目」."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_change, record_event, record_events, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.payroll import formula
from ennoshita.payroll.models import ItemKind, ItemSource, PayItem
from ennoshita.payroll.permissions import SETTINGS_ROLES
from ennoshita.payroll.selectors import settings as selectors


def _invalid(errors: dict[str, list[str]]) -> ServiceError:
    return ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


# ============================================================================ 支給・控除項目
ITEM_FIELDS = (
    "code",
    "name",
    "kind",
    "source",
    "taxable",
    "social_insurance",
    "employment_insurance",
    "premium_base",
    "attendance_key",
    "rate",
    "formula",
    "is_active",
    "sort_order",
)

# What a company starts with. Each row: code, name, kind, premium_base. Payments are taxable, in the
# 社会保険 報酬 and the 雇用保険 賃金; 家族手当 and 住宅手当 are left out of the 割増賃金の基礎
# (労基法37条5項, 労基則21条 — when paid by the family or the rent, not a flat sum for everyone).
DEFAULT_ITEMS: tuple[tuple[str, str, str, bool], ...] = (
    ("position", "役職手当", ItemKind.PAYMENT, True),
    ("family", "家族手当", ItemKind.PAYMENT, False),
    ("housing", "住宅手当", ItemKind.PAYMENT, False),
    ("qualification", "資格手当", ItemKind.PAYMENT, True),
    ("perfect_attendance", "皆勤手当", ItemKind.PAYMENT, True),
    ("company_housing", "社宅家賃", ItemKind.DEDUCTION, False),
    ("savings", "財形貯蓄", ItemKind.DEDUCTION, False),
    ("union_dues", "組合費", ItemKind.DEDUCTION, False),
)


def ensure_default_items(company: Company) -> list[PayItem]:
    """The company's pay items, seeded with DEFAULT_ITEMS when it has none (idempotent: a company
    with any item, even one it made itself, gets nothing added; a concurrent first use makes them
    once, the codes being unique per company). Audited with the job as actor."""
    if PayItem.objects.for_company(company).exists():
        return list(selectors.pay_items(company=company))
    rows = [
        PayItem(
            company=company,
            code=code,
            name=name,
            kind=kind,
            source=ItemSource.FIXED,
            taxable=kind == ItemKind.PAYMENT,
            social_insurance=kind == ItemKind.PAYMENT,
            employment_insurance=kind == ItemKind.PAYMENT,
            premium_base=kind == ItemKind.PAYMENT and premium_base,
            sort_order=(n + 1) * 10,
        )
        for n, (code, name, kind, premium_base) in enumerate(DEFAULT_ITEMS)
    ]
    try:
        with transaction.atomic():
            PayItem.objects.bulk_create(rows)
            created = list(PayItem.objects.for_company(company).order_by("pk"))
            record_events(
                company=company,
                actor=None,
                actor_label="payroll",
                events=[EventInput("create", item, after=snapshot(item, ITEM_FIELDS)) for item in created],
            )
    except IntegrityError:  # another first use won
        pass
    return list(selectors.pay_items(company=company))


@dataclass(frozen=True)
class PayItemInput:
    code: str
    name: str
    kind: str
    source: str = ItemSource.FIXED
    taxable: bool = True
    social_insurance: bool = True
    employment_insurance: bool = True
    premium_base: bool = True
    attendance_key: str = ""
    rate: Decimal = Decimal(0)
    formula: str = ""
    is_active: bool = True
    sort_order: int = 0


def _formula_errors(company: Company, item: PayItem, expr: str) -> list[str]:
    others = {i.code: i for i in PayItem.objects.for_company(company).exclude(pk=item.pk)}
    errors = formula.check(expr, {*others, item.code})  # naming itself gets its own message below
    if errors:
        return errors
    used = formula.names_in(expr)
    if item.code in used:
        return [_("計算式に自分自身のコード「%(code)s」は使えません。") % {"code": item.code}]
    # a cycle through other formulas (a = b + 1, b = a × 2) could never be computed
    seen: set[str] = set()
    todo = [c for c in used if c in others]
    while todo:
        code = todo.pop()
        if code == item.code:
            return [_("計算式が互いに参照し合っていて計算できません(循環参照)。")]
        if code in seen:
            continue
        seen.add(code)
        other = others.get(code)
        if other is not None and other.source == ItemSource.FORMULA:
            todo.extend(formula.names_in(other.formula) - set(formula.RUN_FIGURES))
    inactive = sorted(c for c in used if c in others and not others[c].is_active)
    if inactive:
        return [_("無効な項目は計算式に使えません: %(codes)s") % {"codes": "、".join(inactive)}]
    return []


def _item_errors(company: Company, item: PayItem, data: PayItemInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("項目名を入力してください。")]
    elif len(name) > 50:
        errors["name"] = [_("項目名は50文字以内です。")]
    elif PayItem.objects.for_company(company).filter(name=name).exclude(pk=item.pk).exists():
        errors["name"] = [_("同じ名前の項目があります。")]
    if data.kind not in ItemKind.values:
        errors["kind"] = [_("支給か控除かを選んでください。")]
    if data.source not in ItemSource.values:
        errors["source"] = [_("金額の決め方を選んでください。")]
    elif data.source == ItemSource.ATTENDANCE:
        if data.attendance_key not in selectors.ATTENDANCE_KEYS:
            errors["attendance_key"] = [_("勤怠の項目を一覧から選んでください。")]
        if not Decimal(0) < data.rate <= Decimal(10_000_000) or data.rate != data.rate.quantize(
            Decimal("0.01")
        ):
            errors["rate"] = [_("単価は0円より大きく、1銭(小数第2位)までの金額で入力してください。")]
    elif data.source == ItemSource.FORMULA:
        found = _formula_errors(company, item, data.formula)
        if found:
            errors["formula"] = found
    if not -9999 <= data.sort_order <= 9999:
        errors["sort_order"] = [_("表示順は-9999〜9999で入力してください。")]
    return errors


def _apply_item(item: PayItem, data: PayItemInput) -> None:
    item.name = data.name.strip()
    item.kind = data.kind
    item.source = data.source
    payment = data.kind == ItemKind.PAYMENT
    # the four flags say how a payment is treated; a deduction is none of these (kept False)
    item.taxable = payment and data.taxable
    item.social_insurance = payment and data.social_insurance
    item.employment_insurance = payment and data.employment_insurance
    item.premium_base = payment and data.premium_base
    attendance = data.source == ItemSource.ATTENDANCE
    item.attendance_key = data.attendance_key if attendance else ""
    item.rate = data.rate if attendance else Decimal(0)
    item.formula = formula.normalised(data.formula) if data.source == ItemSource.FORMULA else ""
    item.is_active = bool(data.is_active)
    item.sort_order = data.sort_order


@transaction.atomic
def create_pay_item(*, company: Company, actor: User, membership: Membership, data: PayItemInput) -> PayItem:
    """A company's own allowance or deduction. Its code is what formulas and payslip lines
    (``item:<code>``) name it by: ASCII, starting with a letter, fixed once made."""
    require_role(membership, *SETTINGS_ROLES)
    ensure_default_items(company)
    code = nfkc(data.code).strip()
    item = PayItem(company=company, code=code)
    errors = _item_errors(company, item, data)
    if not code:
        errors["code"] = [_("コードを入力してください。")]
    elif not formula.is_valid_name(code):
        errors["code"] = [
            _(
                "コードは半角英字で始まる英数字と _ の20文字以内です(計算式で使う名前です)。base などの予約語は使えません。"
            )
        ]
    elif PayItem.objects.for_company(company).filter(code=code).exists():
        errors["code"] = [_("このコードは使われています。")]
    if errors:
        raise _invalid(errors)
    _apply_item(item, data)
    item.save()
    record_event(
        company=company, actor=actor, action="create", instance=item, after=snapshot(item, ITEM_FIELDS)
    )
    return item


def _referenced_by(company: Company, item: PayItem) -> list[str]:
    """Active formula items whose formula names ``item``."""
    formulas = PayItem.objects.for_company(company).filter(source=ItemSource.FORMULA, is_active=True)
    return [f.name for f in formulas.exclude(pk=item.pk) if item.code in formula.names_in(f.formula)]


@transaction.atomic
def update_pay_item(
    *, company: Company, actor: User, membership: Membership, pay_item_id: int, data: PayItemInput
) -> PayItem:
    """Edit an item (the code stays). An item another active formula uses cannot be deactivated."""
    require_role(membership, *SETTINGS_ROLES)
    item = PayItem.objects.for_company(company).select_for_update().filter(pk=pay_item_id).first()
    if item is None:
        raise NotFound()
    errors = _item_errors(company, item, data)
    if data.code and nfkc(data.code).strip() != item.code:
        errors["code"] = [_("コードは変えられません(計算式や給与明細がこのコードで参照しています)。")]
    if item.is_active and not data.is_active:
        users = _referenced_by(company, item)
        if users:
            errors["is_active"] = [
                _("計算式で使われているため無効にできません: %(names)s") % {"names": "、".join(users)}
            ]
    if errors:
        raise _invalid(errors)
    before = snapshot(item, ITEM_FIELDS)
    _apply_item(item, data)
    item.save()
    record_change(company=company, actor=actor, instance=item, fields=ITEM_FIELDS, before=before)
    return item


@transaction.atomic
def delete_pay_item(*, company: Company, actor: User, membership: Membership, pay_item_id: int) -> None:
    """Only an item never used is deleted: none on a payslip (line code ``item:<code>``), none set
    for an employee, none named by another formula. A used item is deactivated instead."""
    require_role(membership, *SETTINGS_ROLES)
    item = PayItem.objects.for_company(company).select_for_update().filter(pk=pay_item_id).first()
    if item is None:
        raise NotFound()
    if selectors.item_on_payslips(company=company, item=item):
        message = _("給与明細に使われた項目は削除できません。無効にしてください。")
    elif selectors.item_set_for_employees(company=company, item=item):
        message = _("社員に設定されている項目は削除できません。無効にしてください。")
    elif users := _referenced_by(company, item):
        message = _("計算式で使われているため削除できません: %(names)s") % {"names": "、".join(users)}
    else:
        message = ""
    if message:
        raise ServiceError(message, code="in_use", field_errors={"__all__": [message]})
    record_event(
        company=company, actor=actor, action="delete", instance=item, before=snapshot(item, ITEM_FIELDS)
    )
    item.delete()


__all__ = [
    "DEFAULT_ITEMS",
    "ITEM_FIELDS",
    "PayItemInput",
    "create_pay_item",
    "delete_pay_item",
    "ensure_default_items",
    "update_pay_item",
]
