"""給与の設定 — writes: the company's payroll settings (one row), its pay groups (締め日・支給日) and
its pay items (支給・控除項目), seeded with a default set on first use. Every write is role-checked
(SETTINGS_ROLES), audited, and refused with field errors before anything is written.
docs/domains/payroll.md 「給与の設定」."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core import banks
from ennoshita.core.audit import record_change, record_event, snapshot
from ennoshita.core.bank_text import bank_kana
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.payroll.models import (
    Business,
    HealthInsurer,
    PayGroup,
    PayrollSettings,
    ProrationRule,
    UnionRateVersion,
    WithholdingMethod,
)
from ennoshita.payroll.models.setup import UNION_RATES_FROM_THE_START
from ennoshita.payroll.permissions import SETTINGS_ROLES
from ennoshita.payroll.rules.insurance import UnionRates, UnionRateSchedule, prefectures
from ennoshita.payroll.selectors import settings as selectors
from ennoshita.people.models import AccountType

# 労基法32条: 40 hours a week; a year has 365/7 weeks → 40 × 365 ÷ 7 = 2,085.71… hours at most
# (2,085.7 kept to one decimal, as the 1か月平均所定労働時間 is usually figured).
MAX_ANNUAL_HOURS = Decimal("2085.7")
REQUESTER_NAME_WIDTH = 40  # 全銀 header 振込依頼人名 (jp-rules §8)
# 健康保険組合の料率 (per 1,000): 健康保険法160条13項 bounds the 一般保険料率 to 30〜130; we accept up to
# 200 for 一般 and 介護 alike (a sanity bound that also holds any 調整保険料 a union adds) and 3 decimals
# (the model's places).
MAX_UNION_RATE = Decimal(200)
UNION_RATE_PLACES = Decimal("0.001")
UNION_RATE_FIELDS = (
    "union_health_rate",
    "union_health_employee_rate",
    "union_care_rate",
    "union_care_employee_rate",
)


def _invalid(errors: dict[str, list[str]], message: str = "") -> ServiceError:
    return ServiceError(message or _("入力内容に誤りがあります。"), code="validation", field_errors=errors)


# ============================================================================ 給与の設定
SETTINGS_FIELDS = (
    "withholding_method",
    "proration_rule",
    "prefecture",
    "business",
    "annual_scheduled_hours",
    "anomaly_percent",
    "special_payment_schedule",
    "health_insurer",
    "union_name",
    "union_health_rate",
    "union_health_employee_rate",
    "union_care_rate",
    "union_care_employee_rate",
    "resident_tax_special_schedule",
    "transfer_requester_code",
    "transfer_requester_name",
    "transfer_bank_code",
    "transfer_branch_code",
    "transfer_account_type",
    "transfer_account_number",
)


@dataclass(frozen=True)
class SettingsInput:
    withholding_method: str = WithholdingMethod.TABLE
    proration_rule: str = ProrationRule.CALENDAR_DAYS
    prefecture: str = "東京都"
    business: str = Business.GENERAL
    annual_scheduled_hours: Decimal = Decimal(2080)
    anomaly_percent: int = 20
    special_payment_schedule: bool = False
    health_insurer: str = HealthInsurer.KYOUKAI
    union_name: str = ""
    union_health_rate: Decimal = Decimal(0)
    union_health_employee_rate: Decimal = Decimal(0)
    union_care_rate: Decimal = Decimal(0)
    union_care_employee_rate: Decimal = Decimal(0)
    resident_tax_special_schedule: bool = False
    transfer_requester_code: str = ""
    transfer_requester_name: str = ""
    transfer_bank_code: str = ""
    transfer_branch_code: str = ""
    transfer_account_type: str = ""
    transfer_account_number: str = ""
    # the insurance month the union's rates above apply from (None: unchanged rates, or a union's
    # first rates, which then cover every month)
    union_rates_from: date | None = None


def check_bank(
    bank_code: str, branch_code: str, errors: dict[str, list[str]], *, bank_field: str, branch_field: str
) -> None:
    """4-digit bank and 3-digit branch codes that exist in the bank-code data (core/banks.py)."""
    if not re.fullmatch(r"\d{4}", bank_code):
        errors.setdefault(bank_field, []).append(_("銀行コードは4桁の数字です。"))
    elif banks.bank(bank_code) is None:
        errors.setdefault(bank_field, []).append(
            _("銀行コード %(code)s は金融機関コードのデータにありません。") % {"code": bank_code}
        )
    if not re.fullmatch(r"\d{3}", branch_code):
        errors.setdefault(branch_field, []).append(_("支店コードは3桁の数字です。"))
    elif (
        re.fullmatch(r"\d{4}", bank_code)
        and banks.bank(bank_code)
        and banks.branch(bank_code, branch_code) is None
    ):
        errors.setdefault(branch_field, []).append(
            _("支店コード %(code)s はこの銀行にありません。") % {"code": branch_code}
        )


def union_rates_of(settings: PayrollSettings) -> UnionRateSchedule | None:
    """The rates the premiums are computed at: None for 協会けんぽ (the 都道府県's rate), the
    健康保険組合's dated rates otherwise (each premium takes the version of its insurance month)."""
    if settings.health_insurer != HealthInsurer.UNION:
        return None
    versions = UnionRateVersion.objects.filter(company_id=settings.company_id).order_by("effective_from")
    return UnionRateSchedule(
        versions=tuple(
            (
                v.effective_from,
                UnionRates(
                    health_rate=Decimal(v.health_rate),
                    health_employee_rate=Decimal(v.health_employee_rate),
                    care_rate=Decimal(v.care_rate),
                    care_employee_rate=Decimal(v.care_employee_rate),
                    name=v.name,
                ),
            )
            for v in versions
        )
    )


UNION_VERSION_FIELDS = (
    "effective_from",
    "name",
    "health_rate",
    "health_employee_rate",
    "care_rate",
    "care_employee_rate",
)


def _same_rates(version: UnionRateVersion, row: PayrollSettings) -> bool:
    return (
        version.name,
        version.health_rate,
        version.health_employee_rate,
        version.care_rate,
        version.care_employee_rate,
    ) == (
        row.union_name,
        row.union_health_rate,
        row.union_health_employee_rate,
        row.union_care_rate,
        row.union_care_employee_rate,
    )


def _record_union_version(
    company: Company, actor: User, row: PayrollSettings, rates_from: date | None
) -> None:
    """The rates typed on the settings screen become the version of ``rates_from``'s month (a new
    row, or that month's row corrected; both audited). Unchanged rates write nothing; changed rates
    without a month are refused, because which months they apply to is the whole question."""
    versions = list(
        UnionRateVersion.objects.for_company(company).select_for_update().order_by("effective_from")
    )
    if rates_from is None:
        if versions:
            if _same_rates(versions[-1], row):
                return
            raise _invalid(
                {
                    "union_rates_from": [
                        _("料率を変えるときは、新しい料率を適用する保険料の月を入力してください。")
                    ]
                },
                _("給与の設定を保存できません。"),
            )
        rates_from = UNION_RATES_FROM_THE_START
    rates_from = rates_from.replace(day=1)
    in_force = [v for v in versions if v.effective_from <= rates_from]
    if in_force and _same_rates(in_force[-1], row):
        return
    values = {
        "name": row.union_name,
        "health_rate": row.union_health_rate,
        "health_employee_rate": row.union_health_employee_rate,
        "care_rate": row.union_care_rate,
        "care_employee_rate": row.union_care_employee_rate,
    }
    existing = next((v for v in versions if v.effective_from == rates_from), None)
    if existing is None:
        created = UnionRateVersion.objects.create(company=company, effective_from=rates_from, **values)
        record_change(
            company=company, actor=actor, instance=created, fields=UNION_VERSION_FIELDS, before=None
        )
        return
    before = snapshot(existing, UNION_VERSION_FIELDS)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    record_change(company=company, actor=actor, instance=existing, fields=UNION_VERSION_FIELDS, before=before)


def _rate_pair_errors(
    total: Decimal, employee: Decimal, total_field: str, employee_field: str, what: str
) -> dict[str, list[str]]:
    """0 < employee ≤ total ≤ 200 per 1,000, at most 3 decimals."""
    errors: dict[str, list[str]] = {}
    for field, value in ((total_field, total), (employee_field, employee)):
        if not value.is_finite() or not Decimal(0) < value <= MAX_UNION_RATE:
            errors[field] = [_("%(what)sは0より大きく1000分の200以下で入力してください。") % {"what": what}]
        elif value != value.quantize(UNION_RATE_PLACES):
            errors[field] = [_("料率は1000分率で小数第3位までで入力してください(例: 91.5)。")]
    if not errors and employee > total:
        errors[employee_field] = [
            _("%(what)sの被保険者負担分は合計の率以下にしてください(残りが事業主負担です)。") % {"what": what}
        ]
    return errors


def _union_errors(row: PayrollSettings, data: SettingsInput) -> dict[str, list[str]]:
    """A 健康保険組合 needs its name and its rates per 1,000: 一般 and 介護 (every union levies 介護保険料
    on its 第2号被保険者, 健康保険法156条・160条), each 0 < the insured's part ≤ the total ≤ 200
    (健康保険法162条 lets the 規約 lower the insured's part, not raise it above the whole)."""
    if row.health_insurer not in HealthInsurer.values:
        return {"health_insurer": [_("健康保険の保険者を選んでください。")]}
    if row.health_insurer != HealthInsurer.UNION:
        return {}
    errors: dict[str, list[str]] = {}
    if not row.union_name:
        errors["union_name"] = [_("健康保険組合の名称を入力してください。")]
    elif len(row.union_name) > 60:
        errors["union_name"] = [_("健康保険組合の名称は60文字以内です。")]
    errors |= _rate_pair_errors(
        data.union_health_rate,
        data.union_health_employee_rate,
        "union_health_rate",
        "union_health_employee_rate",
        _("健康保険料率"),
    )
    errors |= _rate_pair_errors(
        data.union_care_rate,
        data.union_care_employee_rate,
        "union_care_rate",
        "union_care_employee_rate",
        _("介護保険料率"),
    )
    return errors


def _settings_errors(row: PayrollSettings, data: SettingsInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if row.withholding_method not in WithholdingMethod.values:
        errors["withholding_method"] = [_("源泉所得税の計算方法を選んでください。")]
    if row.proration_rule not in ProrationRule.values:
        errors["proration_rule"] = [_("日割の方法を選んでください。")]
    if row.business not in Business.values:
        errors["business"] = [_("雇用保険の事業の種類を選んでください。")]
    if row.prefecture not in prefectures():
        errors["prefecture"] = [_("都道府県は「東京都」のように、47都道府県の名前で選んでください。")]
    hours = data.annual_scheduled_hours
    if not (Decimal(0) < hours <= MAX_ANNUAL_HOURS):
        errors["annual_scheduled_hours"] = [
            _(
                "年間所定労働時間は0より大きく2,085.7時間以下にしてください(週40時間 × 365日 ÷ 7、労基法32条)。"
            )
        ]
    elif hours != hours.quantize(Decimal("0.01")):
        errors["annual_scheduled_hours"] = [_("年間所定労働時間は小数第2位までで入力してください。")]
    if not 0 <= data.anomaly_percent <= 1000:
        errors["anomaly_percent"] = [_("確認ラインは0〜1000%で入力してください。")]
    errors |= _union_errors(row, data)
    code = row.transfer_requester_code
    if code and not re.fullmatch(r"\d{10}", code):
        errors["transfer_requester_code"] = [
            _("振込依頼人コード(委託者コード)は銀行から通知された10桁の数字です。")
        ]
    if data.transfer_requester_name.strip():
        try:
            name = bank_kana(data.transfer_requester_name)
        except ValueError as exc:
            errors["transfer_requester_name"] = [_("振込依頼人名: %(detail)s") % {"detail": exc}]
        else:
            if len(name) > REQUESTER_NAME_WIDTH:
                errors["transfer_requester_name"] = [
                    _("振込依頼人名は全銀ファイルの%(n)d文字(半角)までです。") % {"n": REQUESTER_NAME_WIDTH}
                ]
            row.transfer_requester_name = name
    if row.transfer_bank_code or row.transfer_branch_code:
        check_bank(
            row.transfer_bank_code,
            row.transfer_branch_code,
            errors,
            bank_field="transfer_bank_code",
            branch_field="transfer_branch_code",
        )
    if row.transfer_account_type and row.transfer_account_type not in AccountType.values:
        errors["transfer_account_type"] = [_("預金種目は普通・当座・貯蓄のどれかです。")]
    number = row.transfer_account_number
    if number:
        if not re.fullmatch(r"\d{1,7}", number):
            errors["transfer_account_number"] = [_("口座番号は7桁の数字です。")]
        else:
            row.transfer_account_number = number.zfill(7)
    return errors


def _apply_union(row: PayrollSettings, data: SettingsInput) -> None:
    """The union's name and rates; with 協会けんぽ they are kept as they were (the screen hides
    them), so switching back and forth loses nothing."""
    if data.health_insurer != HealthInsurer.UNION:
        return
    row.union_name = nfkc(data.union_name).strip()
    row.union_health_rate = data.union_health_rate
    row.union_health_employee_rate = data.union_health_employee_rate
    row.union_care_rate = data.union_care_rate
    row.union_care_employee_rate = data.union_care_employee_rate


@transaction.atomic
def update_payroll_settings(
    *, company: Company, actor: User, membership: Membership, data: SettingsInput
) -> PayrollSettings:
    """給与の設定 kept as the 全銀 header and the calculations need them: bank and branch codes that
    exist, a 7-digit account number (shorter ones zero-filled), the requester's name as banks accept
    it (``bank_kana``: 株式会社 → ｶ), 40 characters), one of the 47 都道府県 of 協会けんぽ's table,
    a 年間所定労働時間 above 0 and at most 2,085.7 hours (労基法32条), and — for a 健康保険組合 — its
    name and its 一般・介護 rates (``_union_errors``); plus the 住民税 納期の特例 flag
    (地方税法321条の5の2)."""
    require_role(membership, *SETTINGS_ROLES)
    selectors.payroll_settings_of(company=company)
    row = PayrollSettings.objects.select_for_update().get(company=company)
    before = snapshot(row, SETTINGS_FIELDS)
    row.withholding_method = data.withholding_method
    row.proration_rule = data.proration_rule
    row.prefecture = nfkc(data.prefecture).strip()
    row.business = data.business
    row.annual_scheduled_hours = data.annual_scheduled_hours
    row.anomaly_percent = data.anomaly_percent
    row.special_payment_schedule = bool(data.special_payment_schedule)
    row.health_insurer = data.health_insurer
    _apply_union(row, data)
    row.resident_tax_special_schedule = bool(data.resident_tax_special_schedule)
    row.transfer_requester_code = nfkc(data.transfer_requester_code).strip()
    row.transfer_requester_name = ""
    row.transfer_bank_code = nfkc(data.transfer_bank_code).strip()
    row.transfer_branch_code = nfkc(data.transfer_branch_code).strip()
    row.transfer_account_type = data.transfer_account_type.strip()
    row.transfer_account_number = nfkc(data.transfer_account_number).strip()
    errors = _settings_errors(row, data)
    if errors:
        raise _invalid(errors, _("給与の設定を保存できません。"))
    for name in UNION_RATE_FIELDS:  # as the database keeps them (3 places), for the audit's after
        setattr(row, name, Decimal(getattr(row, name)).quantize(UNION_RATE_PLACES))
    row.save()
    record_change(company=company, actor=actor, instance=row, fields=SETTINGS_FIELDS, before=before)
    if row.health_insurer == HealthInsurer.UNION:
        _record_union_version(company, actor, row, data.union_rates_from)
    return row


# ============================================================================ 支給グループ
GROUP_FIELDS = ("code", "name", "closing_day", "pay_day", "pay_month_offset", "is_active", "sort_order")


@dataclass(frozen=True)
class PayGroupInput:
    code: str
    name: str
    closing_day: int = 0
    pay_day: int = 25
    pay_month_offset: int = 1
    is_active: bool = True
    sort_order: int = 0


def _group_errors(company: Company, group: PayGroup, data: PayGroupInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    code = nfkc(data.code).strip()
    if not code:
        errors["code"] = [_("コードを入力してください。")]
    elif len(code) > 20 or not re.fullmatch(r"[A-Za-z0-9_-]+", code):
        errors["code"] = [_("コードは半角英数字(- と _ も可)20文字以内です。")]
    elif PayGroup.objects.for_company(company).filter(code=code).exclude(pk=group.pk).exists():
        errors["code"] = [_("このコードは使われています。")]
    name = data.name.strip()
    if not name:
        errors["name"] = [_("支給グループ名を入力してください。")]
    elif len(name) > 50:
        errors["name"] = [_("支給グループ名は50文字以内です。")]
    if not 0 <= data.closing_day <= 31:
        errors["closing_day"] = [_("締め日は1〜31日、月末なら0です。")]
    if not 0 <= data.pay_day <= 31:
        errors["pay_day"] = [_("支給日は1〜31日、月末なら0です。")]
    if data.pay_month_offset not in (0, 1):
        errors["pay_month_offset"] = [_("支給月は当月(0)か翌月(1)です。")]
    if not -9999 <= data.sort_order <= 9999:
        errors["sort_order"] = [_("表示順は-9999〜9999で入力してください。")]
    return errors


def _apply_group(group: PayGroup, data: PayGroupInput) -> None:
    group.code = nfkc(data.code).strip()
    group.name = data.name.strip()
    group.closing_day = data.closing_day
    group.pay_day = data.pay_day
    group.pay_month_offset = data.pay_month_offset
    group.is_active = bool(data.is_active)
    group.sort_order = data.sort_order


@transaction.atomic
def create_pay_group(
    *, company: Company, actor: User, membership: Membership, data: PayGroupInput
) -> PayGroup:
    require_role(membership, *SETTINGS_ROLES)
    group = PayGroup(company=company)
    errors = _group_errors(company, group, data)
    if errors:
        raise _invalid(errors)
    _apply_group(group, data)
    group.save()
    record_event(
        company=company, actor=actor, action="create", instance=group, after=snapshot(group, GROUP_FIELDS)
    )
    return group


@transaction.atomic
def update_pay_group(
    *, company: Company, actor: User, membership: Membership, pay_group_id: int, data: PayGroupInput
) -> PayGroup:
    """Edit a group. It cannot be made inactive while an employee's pay settings in force (or a
    future row) put someone in it: move them to another group first."""
    require_role(membership, *SETTINGS_ROLES)
    group = PayGroup.objects.for_company(company).select_for_update().filter(pk=pay_group_id).first()
    if group is None:
        raise NotFound()
    errors = _group_errors(company, group, data)
    if group.is_active and not data.is_active:
        members = selectors.group_member_count(company=company, pay_group=group)
        if members:
            errors["is_active"] = [
                _(
                    "この支給グループには%(n)d人が所属しているため無効にできません。先に社員の給与設定で別のグループに移してください。"
                )
                % {"n": members}
            ]
    if errors:
        raise _invalid(errors)
    before = snapshot(group, GROUP_FIELDS)
    _apply_group(group, data)
    group.save()
    record_change(company=company, actor=actor, instance=group, fields=GROUP_FIELDS, before=before)
    return group


# 支給・控除項目 live in pay_items.py; named here too, as the settings part's one entry point
from .pay_items import (  # noqa: E402
    DEFAULT_ITEMS,
    ITEM_FIELDS,
    PayItemInput,
    create_pay_item,
    delete_pay_item,
    ensure_default_items,
    update_pay_item,
)

__all__ = [
    "DEFAULT_ITEMS",
    "GROUP_FIELDS",
    "ITEM_FIELDS",
    "MAX_ANNUAL_HOURS",
    "SETTINGS_FIELDS",
    "PayGroupInput",
    "PayItemInput",
    "SettingsInput",
    "check_bank",
    "create_pay_group",
    "create_pay_item",
    "delete_pay_item",
    "ensure_default_items",
    "update_pay_group",
    "update_pay_item",
    "update_payroll_settings",
]
