"""Forms of お知らせ and 社内行事: they parse what was typed; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Role

from .models import AnnouncementKind, AudienceKind, EventStatus
from .selectors.announcements import Status
from .services.announcements import TARGET_ROLES, AnnouncementInput
from .services.events import MAX_GUESTS, EventInput

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _dt(label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=help_text,
    )


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=AnnouncementKind.choices)
    title = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)
    audience = forms.ChoiceField(label=_("対象"), choices=AudienceKind.choices, widget=forms.RadioSelect)
    department_ids = forms.MultipleChoiceField(
        label=_("対象の部門"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("下位の部門にも届きます。「部門を指定」のときに選びます。"),
    )
    roles = forms.MultipleChoiceField(
        label=_("対象の役割"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r, label) for r, label in Role.choices if r in TARGET_ROLES],
    )
    is_important = forms.BooleanField(label=_("重要(掲載時に対象者へ通知とメール)"), required=False)
    publish_at = _dt(_("掲載開始"))
    expire_at = _dt(_("掲載終了"), required=False, help_text=_("空欄なら取り下げるまで掲載します。"))

    def __init__(self, *args: Any, departments: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["department_ids"].choices = list(departments)  # type: ignore[attr-defined]

    def data_input(self) -> AnnouncementInput:
        d = self.cleaned_data
        return AnnouncementInput(
            kind=d["kind"],
            title=d["title"],
            body=d["body"],
            audience=d["audience"],
            department_ids=[int(x) for x in d.get("department_ids") or []],
            roles=list(d.get("roles") or []),
            is_important=bool(d.get("is_important")),
            publish_at=d["publish_at"],
            expire_at=d.get("expire_at"),
        )


class AnnouncementFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *AnnouncementKind.choices]
    )
    unread = forms.ChoiceField(
        label=_("既読"), required=False, choices=[("", _("すべて")), ("1", _("未読のみ"))]
    )


class AnnouncementManageFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *AnnouncementKind.choices]
    )
    status = forms.ChoiceField(label=_("状態"), required=False, choices=[("", _("すべて")), *Status.CHOICES])


class ReadFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("既読"),
        required=False,
        choices=[("", _("すべて")), ("read", _("既読")), ("unread", _("未読"))],
    )


class AttachForm(forms.Form):
    file = forms.FileField(label=_("ファイルを登録して添付"), required=False)
    document_id = forms.TypedChoiceField(
        label=_("登録済みの文書を添付"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, documents: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["document_id"].choices = [("", "—"), *documents]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("document_id"):
            raise forms.ValidationError(_("ファイルを選ぶか、登録済みの文書を選んでください。"))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=300)


# ------------------------------------------------------------------------------------ events
class EventForm(forms.Form):
    title = forms.CharField(label=_("行事名"), max_length=200)
    description = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    starts_at = _dt(_("開始"))
    ends_at = _dt(_("終了"))
    place = forms.CharField(label=_("場所"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("定員"), required=False, min_value=1, help_text=_("空欄なら定員なし")
    )
    signup_deadline = _dt(_("申込締切"), required=False, help_text=_("空欄なら開始まで受け付けます。"))
    budget = forms.DecimalField(
        label=_("予算(円)"), required=False, min_value=0, decimal_places=0, max_digits=12
    )
    fee_per_person = forms.DecimalField(
        label=_("参加費(一人、円)"), required=False, min_value=0, decimal_places=0, max_digits=12
    )

    def data_input(self) -> EventInput:
        d = self.cleaned_data
        return EventInput(
            title=d["title"],
            description=d.get("description") or "",
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=d.get("place") or "",
            capacity=d.get("capacity"),
            signup_deadline=d.get("signup_deadline"),
            budget=d.get("budget"),
            fee_per_person=d.get("fee_per_person"),
        )


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    when = forms.ChoiceField(
        label=_("時期"),
        required=False,
        choices=[("upcoming", _("これから")), ("past", _("終了")), ("all", _("すべて"))],
    )
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *EventStatus.choices]
    )
    mine = forms.ChoiceField(
        label=_("申込"), required=False, choices=[("", _("すべて")), ("1", _("申込済みのみ"))]
    )


class SignupForm(forms.Form):
    guests = forms.IntegerField(
        label=_("同伴者数"), min_value=0, max_value=MAX_GUESTS, initial=0, required=False
    )
    note = forms.CharField(label=_("備考"), max_length=300, required=False)


class CostForm(forms.Form):
    cost = forms.DecimalField(
        label=_("実費(円)"), required=False, min_value=0, decimal_places=0, max_digits=12
    )


class AttendeeFilterForm(forms.Form):
    q = forms.CharField(label=_("氏名で検索"), required=False, max_length=100)
