"""Approval routes, requests, decisions and delegations (稟議・承認).

A route (承認ルート) says, for one request type and the conditions it matches (amount range,
department and its sub-departments, an account code), who decides in which order: its steps. A
request (申請) copies the steps of the route chosen for it (``steps``), so editing a route later
changes no request under way. Whoever may decide the current step is resolved when the step begins
and kept as open assignments, so that an inbox is one indexed lookup. Every act (submit, approve,
reject, send back, withdraw, resubmit) is an action row and an audit event. The rules are in
docs/domains/approvals.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, Role, yen_field


class ApprovalSettings(CompanyScopedModel):
    """A company's approval settings (one row, created on first use)."""

    reminder_days = models.PositiveSmallIntegerField(
        _("催促までの日数"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("この日数より長く承認待ちの申請を、承認者にメールで知らせます。"),
    )

    class Meta:
        verbose_name = _("承認の設定")
        verbose_name_plural = _("承認の設定")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="approvalsettings_company_unique"),
            models.CheckConstraint(
                condition=Q(reminder_days__gte=1, reminder_days__lte=60), name="approvalsettings_days_1_60"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.reminder_days}"


class StepKind(models.TextChoices):
    MANAGER = "manager", _("所属長")
    UPPER_MANAGER = "upper_manager", _("上位所属長")
    ROLE = "role", _("ロール")
    PEOPLE = "people", _("指定した人")


class ApprovalRoute(CompanyScopedModel):
    """承認ルート: which requests it takes (all conditions must match) and its ordered steps."""

    name = models.CharField(_("ルート名"), max_length=100)
    request_type = models.CharField(_("申請の種類"), max_length=50)
    priority = models.IntegerField(_("優先順位"), default=100, help_text=_("小さいほど先に判定します"))
    min_amount = yen_field(_("金額(以上)"), null=True, blank=True)
    max_amount = yen_field(_("金額(未満)"), null=True, blank=True)
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部署(配下を含む)"),
    )
    account_code = models.CharField(_("勘定科目コード"), max_length=20, blank=True)
    allow_same_approver = models.BooleanField(_("同じ人が複数の段階で承認してよい"), default=False)
    is_active = models.BooleanField(_("有効"), default=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("承認ルート")
        verbose_name_plural = _("承認ルート")
        ordering = ["request_type", "priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True) | Q(min_amount__gte=0), name="approvalroute_min_ge_0"
            ),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True)
                | Q(max_amount__isnull=True)
                | Q(max_amount__gt=F("min_amount")),
                name="approvalroute_max_gt_min",
            ),
        ]
        indexes = [
            models.Index(
                fields=["company", "request_type", "is_active", "priority"], name="approvalroute_pick_idx"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RouteStep(CompanyScopedModel):
    """One step of a route: who decides it (see StepKind)."""

    route = models.ForeignKey(ApprovalRoute, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("順番"))
    name = models.CharField(_("段階名"), max_length=50, blank=True)
    kind = models.CharField(_("承認者"), max_length=20, choices=StepKind.choices)
    role = models.CharField(_("ロール"), max_length=20, choices=Role.choices, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="RouteStepUser", related_name="+", verbose_name=_("承認する人")
    )

    class Meta:
        verbose_name = _("承認の段階")
        verbose_name_plural = _("承認の段階")
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "order"], name="routestep_route_order_unique"),
            models.CheckConstraint(
                condition=~Q(kind="role") | ~Q(role=""), name="routestep_role_step_names_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route_id}#{self.order} {self.name or self.get_kind_display()}"


class RouteStepUser(CompanyScopedModel):
    """The people of a ``people`` step (a table of its own so that it carries the company too)."""

    step = models.ForeignKey(RouteStep, on_delete=models.CASCADE, related_name="step_users")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("段階の承認者")
        verbose_name_plural = _("段階の承認者")
        constraints = [
            models.UniqueConstraint(fields=["step", "user"], name="routestepuser_step_user_unique")
        ]

    def __str__(self) -> str:
        return f"{self.step_id}: {self.user_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("承認待ち")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("却下")
    RETURNED = "returned", _("差し戻し")
    WITHDRAWN = "withdrawn", _("取り下げ")


OPEN_STATUSES = (RequestStatus.PENDING, RequestStatus.RETURNED)


class ApprovalRequest(CompanyScopedModel):
    """申請: one owning record (``request_type`` + ``object_id``) going through a route."""

    request_type = models.CharField(_("申請の種類"), max_length=50)
    object_id = models.CharField(_("対象ID"), max_length=64)
    object_repr = models.CharField(_("件名"), max_length=200)
    url = models.CharField(_("対象のURL"), max_length=500, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申請者")
    )
    amount = yen_field(_("金額"), default=0)
    department = models.ForeignKey(
        "people.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部署"),
    )
    account_codes = models.JSONField(_("勘定科目コード"), default=list, blank=True)
    route = models.ForeignKey(ApprovalRoute, on_delete=models.PROTECT, related_name="requests")
    # The route's steps as they were when the request was (re)submitted: [{order, name, kind, role, users}]
    steps = models.JSONField(_("段階"), default=list)
    status = models.CharField(
        _("状態"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    current_step = models.PositiveSmallIntegerField(_("現在の段階"), default=0)
    round = models.PositiveSmallIntegerField(_("申請回数"), default=1)
    submitted_at = models.DateTimeField(_("申請日時"))
    step_started_at = models.DateTimeField(_("現在の段階の開始日時"))
    decided_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("申請")
        verbose_name_plural = _("申請")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # One request under way per owning record: a returned one is resubmitted, not doubled.
            models.UniqueConstraint(
                fields=["company", "request_type", "object_id"],
                condition=Q(status__in=["pending", "returned"]),
                name="approvalrequest_one_open_per_object",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="approvalrequest_amount_ge_0"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "returned"]) | Q(decided_at__isnull=False),
                name="approvalrequest_decided_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "applicant", "status"], name="approvalrequest_mine_idx"),
            models.Index(fields=["company", "request_type", "object_id"], name="approvalrequest_object_idx"),
            models.Index(fields=["company", "status", "step_started_at"], name="approvalrequest_wait_idx"),
        ]

    def __str__(self) -> str:
        return self.object_repr

    def step_at(self, order: int) -> dict | None:
        return next((s for s in self.steps if s["order"] == order), None)

    @property
    def current_step_name(self) -> str:
        step = self.step_at(self.current_step)
        return step_label(step) if step else ""


def step_label(step: dict) -> str:
    return str(step.get("name") or StepKind(step["kind"]).label)


class ApprovalAssignment(CompanyScopedModel):
    """Who may decide a step of a request, resolved when the step began; open until it ends."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="assignments")
    round = models.PositiveSmallIntegerField(default=1)
    step_order = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The request's applicant, copied so that the database itself refuses them as their own approver.
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("承認の割り当て")
        verbose_name_plural = _("承認の割り当て")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "round", "step_order", "user"], name="approvalassignment_unique"
            ),
            models.CheckConstraint(
                condition=~Q(user=F("applicant")), name="approvalassignment_not_applicant"
            ),
        ]
        indexes = [models.Index(fields=["company", "user", "is_open"], name="approvalassignment_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.step_order} → {self.user_id}"


class ActionKind(models.TextChoices):
    SUBMIT = "submit", _("申請")
    APPROVE = "approve", _("承認")
    REJECT = "reject", _("却下")
    RETURN = "return", _("差し戻し")
    WITHDRAW = "withdraw", _("取り下げ")
    RESUBMIT = "resubmit", _("再申請")


DECISIONS = (ActionKind.APPROVE, ActionKind.REJECT, ActionKind.RETURN)


class ApprovalAction(CompanyScopedModel):
    """One act on a request, in order: who, at which step, on whose behalf, with what comment."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="actions")
    round = models.PositiveSmallIntegerField(default=1)
    step_order = models.PositiveSmallIntegerField(default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=12, choices=ActionKind.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("承認の記録")
        verbose_name_plural = _("承認の記録")
        ordering = ["at", "pk"]
        constraints = [
            # One decision per step of a submission: two approvers clicking at once cannot both count.
            models.UniqueConstraint(
                fields=["request", "round", "step_order"],
                condition=Q(action__in=["approve", "reject", "return"]),
                name="approvalaction_one_decision_per_step",
            ),
            models.CheckConstraint(
                condition=Q(on_behalf_of__isnull=True) | ~Q(on_behalf_of=F("actor")),
                name="approvalaction_not_on_behalf_of_self",
            ),
            models.CheckConstraint(
                condition=~Q(action__in=["reject", "return"]) | ~Q(comment=""),
                name="approvalaction_reason_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} by {self.actor_id}"


class Delegation(CompanyScopedModel):
    """代理承認: from ``start`` to ``end`` (inclusive) the substitute may decide for the approver."""

    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("承認者")
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("代理人")
    )
    start = models.DateField(_("開始日"))
    end = models.DateField(_("終了日"))
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("終了操作日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("代理承認")
        verbose_name_plural = _("代理承認")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="delegation_end_after_start"),
            models.CheckConstraint(condition=~Q(approver=F("substitute")), name="delegation_not_self"),
        ]
        indexes = [
            models.Index(fields=["company", "substitute", "start", "end"], name="delegation_substitute_idx"),
            models.Index(fields=["company", "approver", "start"], name="delegation_approver_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.approver_id} → {self.substitute_id} ({self.start}–{self.end})"
