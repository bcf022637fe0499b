"""Routes: which one a request takes, who decides each of its steps, and keeping routes (admin and
経理). The request services (services.py) call ``choose_route`` and ``resolve_step``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, Role, User
from ennoshita.core.permissions import require_role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Department

from .models import ApprovalRequest, ApprovalRoute, ApprovalSettings, RouteStep, RouteStepUser, StepKind
from .permissions import ROUTE_ROLES

MAX_AMOUNT = Decimal("999999999999999")


@dataclass(frozen=True)
class StepSpec:
    """One step as a route editor gives it: ``kind``, and ``role`` or ``users`` where the kind needs."""

    kind: str
    name: str = ""
    role: str = ""
    users: Sequence[User] = field(default_factory=tuple)


# The routes a company gets on the first request of a type that has none (経費精算 and any other):
# under 30,000円 所属長 → 経理; from 30,000円 所属長 → 上位所属長 → 経理.
DEFAULT_ROUTES: list[dict[str, Any]] = [
    {
        "name": "%(label)s(3万円未満)",
        "priority": 10,
        "min_amount": None,
        "max_amount": Decimal(30000),
        "steps": [
            StepSpec(StepKind.MANAGER, "所属長"),
            StepSpec(StepKind.ROLE, "経理", role=Role.ACCOUNTING),
        ],
    },
    {
        "name": "%(label)s(3万円以上)",
        "priority": 20,
        "min_amount": Decimal(30000),
        "max_amount": None,
        "steps": [
            StepSpec(StepKind.MANAGER, "所属長"),
            StepSpec(StepKind.UPPER_MANAGER, "上位所属長"),
            StepSpec(StepKind.ROLE, "経理", role=Role.ACCOUNTING),
        ],
    },
]


def _fail(field_name: str, message: str, *, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field_name: [message]})


# ---------------------------------------------------------------------------- request types
def request_types() -> dict[str, dict[str, Any]]:
    """settings.ENNOSHITA_APPROVAL_TYPES: request type → {"label", "on_decided", "url_name"}."""
    return dict(getattr(django_settings, "ENNOSHITA_APPROVAL_TYPES", {}) or {})


def type_label(request_type: str) -> str:
    entry = request_types().get(request_type)
    return str(entry.get("label", request_type)) if entry else request_type


def check_request_type(request_type: str) -> dict[str, Any]:
    entry = request_types().get(request_type)
    if entry is None:
        raise _fail(
            "request_type", _("申請の種類「%(type)s」は登録されていません。") % {"type": request_type}
        )
    return entry


# ---------------------------------------------------------------------------- settings
def settings_of(company: Company) -> ApprovalSettings:
    found = ApprovalSettings.objects.for_company(company).first()
    if found is not None:
        return found
    obj, _created = ApprovalSettings.objects.get_or_create(company=company)
    return obj


@transaction.atomic
def update_approval_settings(
    *, company: Company, actor: User, membership: Membership, reminder_days: int
) -> ApprovalSettings:
    require_role(membership, *ROUTE_ROLES)
    if not isinstance(reminder_days, int) or not 1 <= reminder_days <= 60:
        raise _fail("reminder_days", _("催促までの日数は1〜60日で入力してください。"))
    obj = ApprovalSettings.objects.select_for_update().filter(pk=settings_of(company).pk).get()
    before = snapshot(obj)
    obj.reminder_days = reminder_days
    obj.save(update_fields=["reminder_days"])
    record_event(
        company=company, actor=actor, action="update", instance=obj, before=before, after=snapshot(obj)
    )
    return obj


# ---------------------------------------------------------------------------- choosing a route
def ensure_default_routes(*, company: Company, actor: User | None, request_type: str) -> None:
    """Give the request type the default routes when the company has none for it yet (the first
    request of the type). The settings row is locked so that two first requests make them once."""
    if ApprovalRoute.objects.for_company(company).filter(request_type=request_type).exists():
        return
    settings_of(company)
    ApprovalSettings.objects.select_for_update().filter(company=company).first()
    if ApprovalRoute.objects.for_company(company).filter(request_type=request_type).exists():
        return
    entry = request_types().get(request_type, {})
    label = type_label(request_type)
    for spec in entry.get("default_routes", DEFAULT_ROUTES):
        _write_route(
            company=company,
            actor=actor,
            route=None,
            values={
                "name": spec["name"] % {"label": label},
                "request_type": request_type,
                "priority": spec["priority"],
                "min_amount": spec["min_amount"],
                "max_amount": spec["max_amount"],
                "department": None,
                "account_code": "",
                "allow_same_approver": False,
                "is_active": True,
            },
            steps=spec["steps"],
        )


def route_matches(
    route: ApprovalRoute,
    *,
    amount: Decimal,
    department_id: int | None,
    account_codes: Sequence[str],
    descendants: dict[int, set[int]],
) -> bool:
    if route.min_amount is not None and amount < route.min_amount:
        return False
    if route.max_amount is not None and amount >= route.max_amount:
        return False
    if route.department_id is not None and department_id not in descendants[route.department_id]:
        return False
    return not route.account_code or route.account_code in account_codes


def choose_route(
    *,
    company: Company,
    request_type: str,
    amount: Decimal,
    department: Department | None,
    account_codes: Sequence[str] = (),
) -> ApprovalRoute | None:
    """The first active route of the type, by priority, whose conditions all match: amount within
    [min, max), the department or one of its sub-departments, any of the account codes."""
    routes = list(
        ApprovalRoute.objects.for_company(company)
        .filter(request_type=request_type, is_active=True)
        .order_by("priority", "pk")
    )
    descendants: dict[int, set[int]] = {}
    for route in routes:
        if route.department_id is not None and route.department_id not in descendants:
            descendants[route.department_id] = set(
                people_selectors.descendant_ids(company=company, department_id=route.department_id)
            )
        if route_matches(
            route,
            amount=amount,
            department_id=department.pk if department is not None else None,
            account_codes=account_codes,
            descendants=descendants,
        ):
            return route
    return None


def steps_snapshot(route: ApprovalRoute) -> list[dict[str, Any]]:
    steps = RouteStep.objects.filter(route=route).order_by("order").prefetch_related("step_users")
    return [
        {
            "order": s.order,
            "name": s.name,
            "kind": s.kind,
            "role": s.role,
            "users": sorted(su.user_id for su in s.step_users.all()),
        }
        for s in steps
    ]


# ---------------------------------------------------------------------------- who decides a step
def active_member_ids(
    company: Company, user_ids: Iterable[int] | None = None, *, today: date | None = None
) -> dict[int, Membership]:
    """Active memberships of the company (not expired), by user id; ``user_ids`` narrows them."""
    today = today or timezone.localdate()
    qs = Membership.objects.for_company(company).filter(is_active=True)
    qs = qs.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)).select_related("user")
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return {m.user_id: m for m in qs}


def _head(company: Company, department: Department | None, as_of: date) -> User | None:
    return people_selectors.department_head_user(company=company, department=department, as_of=as_of)


def _parent(department: Department | None) -> Department | None:
    return department.parent if department is not None and department.parent_id else None


def _manager_base(company: Company, request: ApprovalRequest, as_of: date) -> Department | None:
    """The department whose head is the applicant's 所属長: the applicant's department, or its
    parent when the applicant is the head themself."""
    dept = request.department
    head = _head(company, dept, as_of)
    if head is not None and head.pk == request.applicant_id:
        return _parent(dept)
    return dept


def resolve_step(
    *,
    company: Company,
    request: ApprovalRequest,
    step: dict[str, Any],
    as_of: date,
    exclude: Iterable[int] = (),
) -> list[User]:
    """Who may decide ``step`` of ``request``: never the applicant, nor anyone in ``exclude``
    (who decided an earlier step, when the route does not allow the same approver). Nobody →
    a ServiceError that names the step, so that nothing is written."""
    kind = step["kind"]
    label = str(step.get("name") or StepKind(kind).label)
    candidates: list[User] = []
    where = ""
    if kind in (StepKind.MANAGER, StepKind.UPPER_MANAGER):
        base = _manager_base(company, request, as_of)
        target = base if kind == StepKind.MANAGER else _parent(base)
        if request.department is None:
            where = _("申請の部署がありません")
        elif target is None:
            where = _("上位の部署がありません")
        else:
            where = target.name
            head = _head(company, target, as_of)
            candidates = [head] if head is not None else []
        members = active_member_ids(company, [u.pk for u in candidates])
        candidates = [u for u in candidates if u.pk in members]
    elif kind == StepKind.ROLE:
        role = step.get("role", "")
        where = str(dict(Role.choices).get(role, role))
        candidates = [m.user for m in active_member_ids(company).values() if m.has_any_role(role)]
    else:
        members = active_member_ids(company, step.get("users") or [])
        candidates = [members[pk].user for pk in step.get("users") or [] if pk in members]
    excluded = {request.applicant_id, *exclude}
    chosen = sorted({u.pk: u for u in candidates if u.pk not in excluded}.values(), key=lambda u: u.pk)
    if not chosen:
        name = f"{label}({where})" if where else label
        hint = (
            _("部署の所属長を設定するか、承認ルートを見直してください。")
            if kind in (StepKind.MANAGER, StepKind.UPPER_MANAGER)
            else _(
                "承認ルートの承認者を見直してください(申請者本人と、前の段階で承認した人は承認できません)。"
            )
        )
        message = _("承認者が見つかりません: %(step)s。%(hint)s") % {"step": name, "hint": hint}
        raise ServiceError(message, code="no_approver", field_errors={"__all__": [message]})
    return chosen


# ---------------------------------------------------------------------------- keeping routes
ROUTE_FIELDS = (
    "name",
    "request_type",
    "priority",
    "min_amount",
    "max_amount",
    "department",
    "account_code",
    "allow_same_approver",
    "is_active",
)


def _route_state(route: ApprovalRoute) -> dict[str, Any]:
    return {**snapshot(route), "steps": steps_snapshot(route)}


def _clean_amount(value: Any, field_name: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        errors[field_name] = [_("金額は円単位の整数で入力してください。")]
        return None
    if not amount.is_finite() or amount != amount.to_integral_value() or amount < 0 or amount > MAX_AMOUNT:
        errors[field_name] = [_("金額は0以上の円単位の整数で入力してください。")]
        return None
    return amount


def _validate_route(company: Company, values: dict[str, Any], steps: Sequence[StepSpec]) -> None:
    errors: dict[str, list[str]] = {}
    values["name"] = str(values.get("name") or "").strip()
    if not values["name"]:
        errors["name"] = [_("ルート名を入力してください。")]
    elif len(values["name"]) > 100:
        errors["name"] = [_("ルート名は100文字以内で入力してください。")]
    if values.get("request_type") not in request_types():
        errors["request_type"] = [_("申請の種類を選んでください。")]
    values["min_amount"] = _clean_amount(values.get("min_amount"), "min_amount", errors)
    values["max_amount"] = _clean_amount(values.get("max_amount"), "max_amount", errors)
    low, high = values["min_amount"], values["max_amount"]
    if low is not None and high is not None and high <= low:
        errors["max_amount"] = [_("上限(未満)は下限(以上)より大きくしてください。")]
    department = values.get("department")
    if department is not None and department.company_id != company.pk:
        raise NotFound()
    values["account_code"] = str(values.get("account_code") or "").strip()[:20]
    if not isinstance(values.get("priority"), int) or not -99999 <= values["priority"] <= 99999:
        errors["priority"] = [_("優先順位は整数で入力してください。")]
    step_errors: list[str] = []
    if not steps:
        step_errors.append(_("段階を1つ以上設定してください。"))
    members = active_member_ids(company)
    for n, spec in enumerate(steps, start=1):
        if spec.kind not in StepKind.values:
            step_errors.append(_("%(n)d段目: 承認者の種類を選んでください。") % {"n": n})
        elif spec.kind == StepKind.ROLE and spec.role not in Role.values:
            step_errors.append(_("%(n)d段目: ロールを選んでください。") % {"n": n})
        elif spec.kind == StepKind.PEOPLE:
            if not spec.users:
                step_errors.append(_("%(n)d段目: 承認する人を1人以上選んでください。") % {"n": n})
            elif any(u.pk not in members for u in spec.users):
                step_errors.append(_("%(n)d段目: この会社のユーザーではない人が含まれています。") % {"n": n})
        if len(spec.name) > 50:
            step_errors.append(_("%(n)d段目: 段階名は50文字以内で入力してください。") % {"n": n})
    if step_errors:
        errors["steps"] = step_errors
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def _write_route(
    *,
    company: Company,
    actor: User | None,
    route: ApprovalRoute | None,
    values: dict[str, Any],
    steps: Sequence[StepSpec],
) -> ApprovalRoute:
    _validate_route(company, values, steps)
    before = _route_state(route) if route is not None else None
    if route is None:
        route = ApprovalRoute(company=company)
    for name in ROUTE_FIELDS:
        setattr(route, name, values[name])
    route.save()
    RouteStep.objects.filter(route=route).delete()
    for order, spec in enumerate(steps, start=1):
        step = RouteStep.objects.create(
            company=company,
            route=route,
            order=order,
            name=spec.name.strip(),
            kind=spec.kind,
            role=spec.role if spec.kind == StepKind.ROLE else "",
        )
        if spec.kind == StepKind.PEOPLE:
            RouteStepUser.objects.bulk_create(
                [
                    RouteStepUser(company=company, step=step, user=u)
                    for u in {u.pk: u for u in spec.users}.values()
                ]
            )
    record_event(
        company=company,
        actor=actor,
        action="create" if before is None else "update",
        instance=route,
        before=before,
        after=_route_state(route),
        actor_label="" if actor is not None else "approvals",
    )
    return route


@transaction.atomic
def save_route(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    route: ApprovalRoute | None = None,
    name: str,
    request_type: str,
    steps: Sequence[StepSpec],
    priority: int = 100,
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
    department: Department | None = None,
    account_code: str = "",
    allow_same_approver: bool = False,
    is_active: bool = True,
) -> ApprovalRoute:
    """Create a route (``route=None``) or replace an existing one's conditions and steps. Requests
    under way keep the steps they were submitted with."""
    require_role(membership, *ROUTE_ROLES)
    if route is not None:
        route = ApprovalRoute.objects.for_company(company).select_for_update().filter(pk=route.pk).first()
        if route is None:
            raise NotFound()
    values = {
        "name": name,
        "request_type": request_type,
        "priority": priority,
        "min_amount": min_amount,
        "max_amount": max_amount,
        "department": department,
        "account_code": account_code,
        "allow_same_approver": allow_same_approver,
        "is_active": is_active,
    }
    return _write_route(company=company, actor=actor, route=route, values=values, steps=steps)


@transaction.atomic
def delete_route(*, company: Company, actor: User, membership: Membership, route: ApprovalRoute) -> None:
    """A route no request has used can go; a used one is kept for the record (make it inactive)."""
    require_role(membership, *ROUTE_ROLES)
    if route.company_id != company.pk:
        raise NotFound()
    if ApprovalRequest.objects.for_company(company).filter(route=route).exists():
        raise _fail(
            "__all__", _("申請で使われたルートは削除できません。「有効」を外してください。"), code="in_use"
        )
    before = _route_state(route)
    pk, label = route.pk, str(route)
    route.delete()
    record_event(
        company=company,
        actor=actor,
        action="delete",
        object_type="approvals.approvalroute",
        object_id=str(pk),
        object_repr=label,
        before=before,
    )
