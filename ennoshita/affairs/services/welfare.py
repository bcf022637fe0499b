"""福利厚生: the catalogue of benefits (admin, 総務, 人事 keep it) and their use.

An employee applies for a use (or 総務 for them). Eligibility (雇用形態, 勤続月数 on the 利用日)
and the yearly limits of the company's 年度 are checked under a lock of the benefit's row, counting
the approved and the pending uses of that year, so that two applications waiting at once cannot
together pass a limit. A benefit that requires approval goes through the approvals engine as
``affairs.benefit`` (所属長 → 総務); the engine calls ``on_benefit_use_decided`` in the deciding
transaction. Without approval the use is approved at once. Any refusal raises a ServiceError with
the message on its field, and nothing is written (no approval request either).

差し戻し puts the use back to 下書き (it no longer counts against the limits); its applicant may
correct and resubmit it (``resubmit_benefit_use``) or withdraw it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.affairs.models import Benefit, BenefitCategory, BenefitUse, BenefitUseStatus
from ennoshita.affairs.rules import welfare as rules
from ennoshita.affairs.selectors import welfare as selectors
from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.core.audit import record_change, record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors

REQUEST_TYPE = selectors.REQUEST_TYPE
MAX_AMOUNT = Decimal("99999999")  # one use: under 1億円
MAX_AHEAD = timedelta(days=366)  # a 保養所 may be booked up to a year ahead
BENEFIT_FIELDS = (
    "code",
    "name",
    "category",
    "description",
    "eligible_employment_types",
    "min_service_months",
    "yearly_amount_limit",
    "yearly_count_limit",
    "requires_approval",
    "is_active",
)
USE_FIELDS = ("benefit", "employee", "fiscal_year", "used_on", "amount", "detail", "status")

# outcome of the approval → the use's status; 差し戻し puts it back to 下書き
OUTCOMES = {
    "approved": BenefitUseStatus.APPROVED,
    "rejected": BenefitUseStatus.REJECTED,
    "returned": BenefitUseStatus.DRAFT,
    "withdrawn": BenefitUseStatus.WITHDRAWN,
}
ALLOWED_FROM: dict[str, set[str]] = {
    BenefitUseStatus.PENDING: {
        BenefitUseStatus.APPROVED,
        BenefitUseStatus.REJECTED,
        BenefitUseStatus.DRAFT,
        BenefitUseStatus.WITHDRAWN,
    },
    BenefitUseStatus.DRAFT: {BenefitUseStatus.PENDING, BenefitUseStatus.WITHDRAWN},
}


def _fail(message: str, field: str = "__all__", code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


# ---------------------------------------------------------------------------- the catalogue
@dataclass(frozen=True)
class BenefitInput:
    code: str
    name: str
    category: str = BenefitCategory.OTHER
    description: str = ""
    eligible_employment_types: Sequence[str] = ()
    min_service_months: int = 0
    yearly_amount_limit: Decimal | None = None
    yearly_count_limit: int | None = None
    requires_approval: bool = True


def _clean_benefit(company: Company, data: BenefitInput, current: Benefit | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    code = nfkc(data.code or "").strip()
    name = (data.name or "").strip()
    if not code:
        errors["code"] = [_("制度コードを入力してください。")]
    elif len(code) > 30:
        errors["code"] = [_("制度コードは30文字以内で入力してください。")]
    elif (
        Benefit.objects.for_company(company)
        .filter(code=code)
        .exclude(pk=current.pk if current else None)
        .exists()
    ):
        errors["code"] = [_("この制度コードは既に使われています。")]
    if not name:
        errors["name"] = [_("制度名を入力してください。")]
    elif len(name) > 200:
        errors["name"] = [_("制度名は200文字以内で入力してください。")]
    if data.category not in BenefitCategory.values:
        errors["category"] = [_("区分を選んでください。")]
    description = (data.description or "").strip()
    if len(description) > 5000:
        errors["description"] = [_("内容は5000文字以内で入力してください。")]
    known = {et.code for et in people_selectors.employment_types(company=company)}
    codes = sorted({str(c).strip() for c in data.eligible_employment_types if str(c).strip()})
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors["eligible_employment_types"] = [
            _("雇用形態「%(codes)s」はありません。") % {"codes": "、".join(unknown)}
        ]
    months = data.min_service_months
    if not isinstance(months, int) or isinstance(months, bool) or not 0 <= months <= 600:
        errors["min_service_months"] = [_("必要な勤続月数は0〜600か月で入力してください。")]
    amount_limit = data.yearly_amount_limit
    if amount_limit is not None and (
        not isinstance(amount_limit, Decimal | int)
        or isinstance(amount_limit, bool)
        or amount_limit != int(amount_limit)
        or not 1 <= amount_limit <= MAX_AMOUNT
    ):
        errors["yearly_amount_limit"] = [_("年間の上限額は1円以上の円単位の整数で入力してください。")]
    count_limit = data.yearly_count_limit
    if count_limit is not None and (
        not isinstance(count_limit, int) or isinstance(count_limit, bool) or not 1 <= count_limit <= 366
    ):
        errors["yearly_count_limit"] = [_("年間の上限回数は1〜366回で入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return {
        "code": code,
        "name": name,
        "category": data.category,
        "description": description,
        "eligible_employment_types": codes,
        "min_service_months": months,
        "yearly_amount_limit": None if amount_limit is None else Decimal(amount_limit),
        "yearly_count_limit": count_limit,
        "requires_approval": bool(data.requires_approval),
    }


def _save_benefit(benefit: Benefit) -> None:
    try:
        with transaction.atomic():
            benefit.save()
    except IntegrityError as exc:  # another save took the code meanwhile
        raise _fail(_("この制度コードは既に使われています。"), "code", "duplicate") from exc


@transaction.atomic
def create_benefit(*, company: Company, actor: User, membership: Membership, data: BenefitInput) -> Benefit:
    """A new benefit in the catalogue (admin, 総務, 人事)."""
    require_role(membership, *selectors.MANAGE_ROLES)
    benefit = Benefit(company=company, **_clean_benefit(company, data, None))
    _save_benefit(benefit)
    record_change(company=company, actor=actor, instance=benefit, fields=BENEFIT_FIELDS, before=None)
    return benefit


def _locked_benefit(company: Company, benefit: Benefit) -> Benefit:
    if benefit.company_id != company.pk:
        raise NotFound()
    locked = (
        Benefit.objects.for_company(company).select_for_update(of=("self",)).filter(pk=benefit.pk).first()
    )
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def update_benefit(
    *, company: Company, actor: User, membership: Membership, benefit: Benefit, data: BenefitInput
) -> Benefit:
    """Change a benefit's rules. Uses already applied for keep what they were granted; new limits
    count from the next application."""
    require_role(membership, *selectors.MANAGE_ROLES)
    benefit = _locked_benefit(company, benefit)
    before = snapshot(benefit, fields=BENEFIT_FIELDS)
    for name, value in _clean_benefit(company, data, benefit).items():
        setattr(benefit, name, value)
    _save_benefit(benefit)
    record_change(company=company, actor=actor, instance=benefit, fields=BENEFIT_FIELDS, before=before)
    return benefit


@transaction.atomic
def set_benefit_active(
    *, company: Company, actor: User, membership: Membership, benefit: Benefit, active: bool
) -> Benefit:
    """受付停止 (no new applications; what was applied for stays) or 受付再開."""
    require_role(membership, *selectors.MANAGE_ROLES)
    benefit = _locked_benefit(company, benefit)
    if benefit.is_active == active:
        return benefit
    before = snapshot(benefit, fields=["is_active"])
    benefit.is_active = active
    benefit.save(update_fields=["is_active"])
    record_event(
        company=company,
        actor=actor,
        action="activate" if active else "deactivate",
        instance=benefit,
        before=before,
        after={"is_active": active},
    )
    return benefit


# ---------------------------------------------------------------------------- applying
def _employee(company: Company, membership: Membership, employee_id: int | None) -> Any:
    own = people_selectors.own_employee_record(company=company, membership=membership)
    if employee_id is None or (own is not None and own.pk == employee_id):
        if own is None:
            raise _fail(
                _("ログインユーザーに社員の記録が紐付いていないため申請できません。"), code="no_employee"
            )
        return own
    if not membership.has_any_role(*selectors.ON_BEHALF_ROLES):
        raise PermissionDeniedError(_("他の社員の利用を申請できるのは総務だけです。"))
    found = people_selectors.employee_by_id(company=company, employee_id=employee_id)
    if found is None:
        raise NotFound()
    return found


def _clean_use(used_on: Any, amount: Any, detail: str, benefit: Benefit) -> tuple[Decimal, str]:
    errors: dict[str, list[str]] = {}
    if not isinstance(used_on, date):
        errors["used_on"] = [_("利用日を入力してください。")]
    elif used_on > timezone.localdate() + MAX_AHEAD:
        errors["used_on"] = [_("利用日は1年先までで入力してください。")]
    value = Decimal(0)
    if not isinstance(amount, Decimal | int) or isinstance(amount, bool):
        errors["amount"] = [_("金額は円単位の整数で入力してください。")]
    else:
        value = Decimal(amount)
        if not value.is_finite() or value != value.to_integral_value() or value < 0:
            errors["amount"] = [_("金額は0円以上の円単位の整数で入力してください。")]
        elif value > MAX_AMOUNT:
            errors["amount"] = [_("金額が大きすぎます。")]
        elif value == 0 and benefit.yearly_amount_limit is not None:
            errors["amount"] = [_("上限額のある制度です。金額を入力してください。")]
    text = (detail or "").strip()
    if len(text) > 2000:
        errors["detail"] = [_("内容は2000文字以内で入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    return value.quantize(Decimal(1)), text


def _check_use(
    company: Company, benefit: Benefit, employee: Any, used_on: date, amount: Decimal, exclude_pk: int | None
) -> int:
    """Eligibility and limits on the locked benefit row; the use's 年度."""
    if not benefit.is_active:
        raise _fail(_("この制度は受付を停止しています。"), "benefit", "inactive")
    problems = rules.eligibility_problems(
        employment_type_code=employee.employment_type.code,
        eligible_codes=benefit.eligible_employment_types or [],
        hire_date=employee.hire_date,
        retire_date=employee.retire_date,
        min_service_months=benefit.min_service_months,
        on=used_on,
    )
    if problems:
        raise ServiceError(problems[0], code="not_eligible", field_errors={"used_on": problems})
    year = rules.fiscal_year(used_on, start_month=company.fiscal_year_start_month)
    counted = selectors.counted_usage(
        company=company,
        employee_id=employee.pk,
        benefit_id=benefit.pk,
        fiscal_year=year,
        exclude_pk=exclude_pk,
    )
    over = rules.limit_problems(
        amount_limit=benefit.yearly_amount_limit,
        count_limit=benefit.yearly_count_limit,
        used_amount=counted.amount,
        used_count=counted.count,
        amount=amount,
    )
    if over:
        first = next(iter(over.values()))
        raise ServiceError(first, code="over_limit", field_errors={k: [v] for k, v in over.items()})
    return year


def _repr(use: BenefitUse, benefit: Benefit, employee: Any) -> str:
    return f"{benefit.name} {employee.number} {employee.full_name} {use.used_on:%Y-%m-%d}"[:200]


def _department(company: Company, employee: Any) -> Any:
    placement = people_selectors.placement_as_of(
        company=company, employee=employee, as_of=timezone.localdate()
    )
    return placement.department if placement is not None else None


@transaction.atomic
def apply_benefit(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    benefit: Benefit,
    used_on: date,
    amount: Decimal | int = 0,
    detail: str = "",
    employee_id: int | None = None,
) -> BenefitUse:
    """利用申請 by the employee (or by 総務 for ``employee_id``): checked, then submitted for
    approval (所属長 → 総務) or, where the benefit needs none, approved at once."""
    require_role(membership, *selectors.MEMBER_ROLES)
    employee = _employee(company, membership, employee_id)
    benefit = _locked_benefit(company, benefit)
    value, text = _clean_use(used_on, amount, detail, benefit)
    year = _check_use(company, benefit, employee, used_on, value, None)
    needs_approval = benefit.requires_approval
    use = BenefitUse.objects.create(
        company=company,
        benefit=benefit,
        employee=employee,
        applicant=actor,
        fiscal_year=year,
        used_on=used_on,
        amount=value,
        detail=text,
        status=BenefitUseStatus.PENDING if needs_approval else BenefitUseStatus.APPROVED,
        decided_at=None if needs_approval else timezone.now(),
    )
    label = _repr(use, benefit, employee)
    if needs_approval:
        approval_services.submit_request(
            company=company,
            actor=actor,
            membership=membership,
            request_type=REQUEST_TYPE,
            object_id=use.pk,
            object_repr=label,
            amount=value,
            department=_department(company, employee),
            url=reverse("affairs:benefit_use_detail", args=[use.pk]),
        )
    record_event(
        company=company,
        actor=actor,
        action="submit" if needs_approval else "create",
        instance=use,
        object_repr=label,
        after=snapshot(use, fields=USE_FIELDS),
        extra={"on_behalf": employee.user_id != actor.pk},
    )
    return use


def _locked_use(company: Company, use: BenefitUse) -> BenefitUse:
    if use.company_id != company.pk:
        raise NotFound()
    locked = (
        BenefitUse.objects.for_company(company)
        .select_for_update(of=("self",))
        .select_related("benefit", "employee", "employee__employment_type")
        .filter(pk=use.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def _check_transition(use: BenefitUse, target: str) -> None:
    if target not in ALLOWED_FROM.get(use.status, set()):
        raise ServiceError(
            _("「%(status)s」の申請はこの操作ができません。") % {"status": use.get_status_display()},
            code="bad_state",
        )


@transaction.atomic
def resubmit_benefit_use(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    use: BenefitUse,
    used_on: date,
    amount: Decimal | int = 0,
    detail: str = "",
) -> BenefitUse:
    """After 差し戻し the applicant corrects the use and submits it again: checked again like a
    new application, and the approval starts from its first step."""
    benefit = _locked_benefit(company, use.benefit)
    use = _locked_use(company, use)
    if use.applicant_id != actor.pk:
        raise PermissionDeniedError(_("再申請できるのは申請した人だけです。"))
    _check_transition(use, BenefitUseStatus.PENDING)
    approval = approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=use.pk)
    if approval is None:
        raise NotFound()
    value, text = _clean_use(used_on, amount, detail, benefit)
    year = _check_use(company, benefit, use.employee, used_on, value, use.pk)
    before = snapshot(use, fields=USE_FIELDS)
    use.used_on, use.amount, use.detail, use.fiscal_year = used_on, value, text, year
    use.status = BenefitUseStatus.PENDING
    use.save(update_fields=["used_on", "amount", "detail", "fiscal_year", "status"])
    approval_services.resubmit(
        company=company, actor=actor, membership=membership, request=approval, amount=value
    )
    record_event(
        company=company,
        actor=actor,
        action="resubmit",
        instance=use,
        object_repr=_repr(use, benefit, use.employee),
        before=before,
        after=snapshot(use, fields=USE_FIELDS),
    )
    return use


@transaction.atomic
def withdraw_benefit_use(
    *, company: Company, actor: User, membership: Membership, use: BenefitUse
) -> BenefitUse:
    """取り下げ while the use waits for approval (or after 差し戻し): by who applied, by the
    employee it is for, or by 総務. The approval request leaves every approver's list."""
    use = _locked_use(company, use)
    own = use.employee.user_id == actor.pk
    if not (own or use.applicant_id == actor.pk or membership.has_any_role(*selectors.ON_BEHALF_ROLES)):
        raise NotFound()
    _check_transition(use, BenefitUseStatus.WITHDRAWN)
    approval = approval_selectors.request_for(company=company, request_type=REQUEST_TYPE, object_id=use.pk)
    if approval is None:
        raise NotFound()
    if approval.applicant_id == actor.pk:
        approval_services.withdraw(company=company, actor=actor, membership=membership, request=approval)
    else:
        reason = _("本人が取り下げました。") if own else _("総務が取り下げました。")
        approval_services.withdraw_for_source(company=company, actor=actor, request=approval, reason=reason)
    use.refresh_from_db()
    return use


def on_benefit_use_decided(*, company: Company, actor: User | None, request: Any, outcome: str) -> None:
    """Called by approvals inside the deciding transaction: the use takes the outcome
    (approved, rejected, 差し戻し → 下書き, withdrawn)."""
    target = OUTCOMES.get(outcome)
    if target is None:
        raise ServiceError(_("不明な承認結果です: %(o)s") % {"o": outcome})
    try:
        pk = int(request.object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    use = BenefitUse.objects.for_company(company).select_for_update(of=("self",)).filter(pk=pk).first()
    if use is None:
        raise NotFound()
    _check_transition(use, target)
    before = {"status": use.status}
    use.status = target
    use.decided_at = None if target == BenefitUseStatus.DRAFT else timezone.now()
    use.save(update_fields=["status", "decided_at"])
    record_event(
        company=company,
        actor=actor,
        action={
            "approved": "approve",
            "rejected": "reject",
            "returned": "send_back",
            "withdrawn": "withdraw",
        }[outcome],
        instance=use,
        before=before,
        after={"status": use.status},
    )
