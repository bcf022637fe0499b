"""残業申請 reads: one's own requests, a 所属長's team's, 人事's all; one request if the reader may
see it (another company's id, or one the reader may not see, is NotFound)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee
from ennoshita.people.selectors.headcount import departments_headed_by

from .models import OvertimeRequest, RequestState

REQUEST_TYPE = "attendance.overtime"
ALL_ROLES = ("admin", "hr")  # 人事 sees and files anyone's


def own_employee(*, company: Company, membership: Membership) -> Employee | None:
    return people_selectors.own_employee_record(company=company, membership=membership)


def team_employee_ids(*, company: Company, membership: Membership, as_of: date | None = None) -> list[int]:
    """The employees a 所属長 heads today (their departments and those below)."""
    as_of = as_of or timezone.localdate()
    departments = departments_headed_by(company=company, user_id=membership.user_id, as_of=as_of)
    if not departments:
        return []
    return [
        e.pk
        for e in people_selectors.employees_in_service(
            company=company, as_of=as_of, department_ids=departments
        )
    ]


def _base(company: Company) -> QuerySet[OvertimeRequest]:
    return OvertimeRequest.objects.for_company(company).select_related("employee", "requested_by")


def visible_requests(
    *, company: Company, membership: Membership, scope: str = "mine", state: str = "", q: str = ""
) -> QuerySet[OvertimeRequest]:
    """``scope`` "mine" (one's own), "team" (a 所属長's team; 人事: everyone). ``state`` one of
    RequestState; ``q`` an employee number or name."""
    qs = _base(company)
    if scope == "team":
        if not membership.has_any_role(*ALL_ROLES):
            qs = qs.filter(employee_id__in=team_employee_ids(company=company, membership=membership))
    else:
        own = own_employee(company=company, membership=membership)
        qs = qs.filter(employee_id=own.pk if own is not None else -1)
    if state in RequestState.values:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(
            Q(employee__number__icontains=q)
            | Q(employee__family_name__icontains=q)
            | Q(employee__given_name__icontains=q)
        )
    return qs.order_by("-work_date", "-pk")


def can_see(*, company: Company, membership: Membership, request: OvertimeRequest) -> bool:
    if membership.has_any_role(*ALL_ROLES) or request.requested_by_id == membership.user_id:
        return True
    own = own_employee(company=company, membership=membership)
    if own is not None and own.pk == request.employee_id:
        return True
    return request.employee_id in team_employee_ids(company=company, membership=membership)


def get_request(*, company: Company, membership: Membership, request_id: int) -> OvertimeRequest:
    found = _base(company).filter(pk=request_id).first()
    if found is None or not can_see(company=company, membership=membership, request=found):
        raise NotFound()
    return found
