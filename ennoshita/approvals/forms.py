"""Forms of the approval screens. They parse; the services decide what is valid. Field names are
the services' argument names, so ``apply_service_error`` puts each error on its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Company, Role, User
from ennoshita.people import selectors as people_selectors

from .models import RequestStatus, StepKind
from .routing import active_member_ids, request_types


def type_choices(empty: Any = None) -> list[tuple[str, Any]]:
    choices = [(key, entry.get("label", key)) for key, entry in request_types().items()]
    return ([("", empty)] if empty is not None else []) + choices


def member_users(company: Company) -> list[User]:
    return sorted((m.user for m in active_member_ids(company).values()), key=lambda u: u.username)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name()} ({obj.username})"


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name()} ({obj.username})"


def _users_queryset(company: Company) -> Any:
    return User.objects.filter(pk__in=list(active_member_ids(company))).order_by("username")


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100, help_text=_("件名・申請者"))
    request_type = forms.ChoiceField(label=_("種類"), required=False, choices=())

    def __init__(self, *args: Any, with_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_type"].choices = type_choices(_("すべて"))  # type: ignore[attr-defined]
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                label=_("状態"), required=False, choices=[("", _("すべて")), *RequestStatus.choices]
            )


class DecisionForm(forms.Form):
    ACTIONS = [
        ("approve", _("承認")),
        ("reject", _("却下")),
        ("send_back", _("差し戻し")),
        ("withdraw", _("取り下げ")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    comment = forms.CharField(
        label=_("コメント・理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("却下・差し戻しには理由が必要です。"),
    )
    step = forms.IntegerField(widget=forms.HiddenInput, required=False)
    round = forms.IntegerField(widget=forms.HiddenInput, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


class RouteForm(forms.Form):
    name = forms.CharField(label=_("ルート名"), max_length=100)
    request_type = forms.ChoiceField(label=_("申請の種類"), choices=())
    priority = forms.IntegerField(
        label=_("優先順位"),
        initial=100,
        min_value=-99999,
        max_value=99999,
        help_text=_("小さいほど先に判定します"),
    )
    min_amount = forms.DecimalField(
        label=_("金額(以上)"), required=False, min_value=0, max_digits=15, decimal_places=0
    )
    max_amount = forms.DecimalField(
        label=_("金額(未満)"), required=False, min_value=1, max_digits=15, decimal_places=0
    )
    department: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("部署(配下を含む)"), queryset=None, required=False, empty_label=_("(すべて)")
    )
    account_code = forms.CharField(
        label=_("勘定科目コード"),
        max_length=20,
        required=False,
        help_text=_("空欄ならどの科目にも当てはまります"),
    )
    allow_same_approver = forms.BooleanField(label=_("同じ人が複数の段階で承認してよい"), required=False)
    is_active = forms.BooleanField(label=_("有効"), required=False, initial=True)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_type"].choices = type_choices()  # type: ignore[attr-defined]
        dept: forms.ModelChoiceField = self.fields["department"]  # type: ignore[assignment]
        dept.queryset = people_selectors.departments(company=company)


class StepForm(forms.Form):
    name = forms.CharField(label=_("段階名"), max_length=50, required=False)
    kind = forms.ChoiceField(
        label=_("承認者"), choices=[("", "---------"), *StepKind.choices], required=False
    )
    role = forms.ChoiceField(label=_("ロール"), choices=[("", "---------"), *Role.choices], required=False)
    users = UsersChoiceField(label=_("承認する人"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users: forms.ModelMultipleChoiceField = self.fields["users"]  # type: ignore[assignment]
        users.queryset = _users_queryset(company)


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True, max_num=10, validate_max=True)


class DelegationForm(forms.Form):
    approver = UserChoiceField(label=_("承認者"), queryset=User.objects.none(), empty_label=None)
    substitute = UserChoiceField(label=_("代理人"), queryset=User.objects.none())
    start = forms.DateField(
        label=_("開始日"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("終了日"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)

    def __init__(self, *args: Any, company: Company, user: User, any_approver: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = _users_queryset(company)
        approver: forms.ModelChoiceField = self.fields["approver"]  # type: ignore[assignment]
        approver.queryset = qs if any_approver else qs.filter(pk=user.pk)
        approver.initial = user.pk
        substitute: forms.ModelChoiceField = self.fields["substitute"]  # type: ignore[assignment]
        substitute.queryset = qs


class SettingsForm(forms.Form):
    reminder_days = forms.IntegerField(
        label=_("催促までの日数"),
        min_value=1,
        max_value=60,
        help_text=_("この日数より長く承認待ちの申請を、承認者にメールで知らせます。"),
    )
