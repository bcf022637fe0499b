"""Forms of the visits part: 来訪予約, 飛び込み受付, the visitor log filters, 受付の設定, 伝言メモ and
依頼. They parse and carry choices; the services check everything again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ennoshita.core.member_picker import MemberField, bind_member_fields
from ennoshita.core.models import Company

from .models import OfficeRequestStatus, Team, Urgency, VisitStatus
from .services.messages import MessageInput
from .services.office_requests import OfficeRequestInput, RequestTypeInput
from .services.visits import VisitInput

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M"]


def _int_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class VisitForm(forms.Form):
    visitor_company = forms.CharField(label=_("会社名"), max_length=200, required=False)
    visitor_name = forms.CharField(label=_("氏名"), max_length=100)
    visitor_count = forms.IntegerField(label=_("人数"), min_value=1, max_value=50, initial=1)
    visitor_phone = forms.CharField(label=_("連絡先電話"), max_length=30, required=False)
    visitor_email = forms.EmailField(label=_("連絡先メール"), required=False)
    purpose = forms.CharField(label=_("用件"), max_length=300, required=False)
    expected_at = forms.DateTimeField(
        label=_("来訪予定時刻"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    expected_until = forms.DateTimeField(
        label=_("退館予定時刻"),
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("会議室を予約するときは会議の終了時刻です。"),
    )
    host = MemberField(label=_("担当者"), required=False, empty_label=_("(自分)"))
    room = forms.TypedChoiceField(
        label=_("会議室"), coerce=int, required=False, empty_value=None, help_text=_("予約しないときは空欄")
    )
    note = forms.CharField(label=_("受付メモ"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        company: Company,
        rooms: list[tuple[int, str]],
        choose_host: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if choose_host:
            bind_member_fields(self, company)
        else:
            del self.fields["host"]
        self.fields["room"].choices = [("", _("予約しない")), *rooms]  # type: ignore[attr-defined]

    def data_input(self) -> VisitInput:
        d = self.cleaned_data
        return VisitInput(
            visitor_name=d["visitor_name"],
            visitor_company=d.get("visitor_company", ""),
            visitor_count=d.get("visitor_count") or 1,
            visitor_phone=d.get("visitor_phone", ""),
            visitor_email=d.get("visitor_email", ""),
            purpose=d.get("purpose", ""),
            expected_at=d["expected_at"],
            expected_until=d.get("expected_until"),
            host_id=_int_or_none(d.get("host")),
            room_id=_int_or_none(d.get("room")),
            note=d.get("note", ""),
        )


class WalkInForm(forms.Form):
    visitor_company = forms.CharField(label=_("会社名"), max_length=200, required=False)
    visitor_name = forms.CharField(label=_("氏名"), max_length=100)
    visitor_count = forms.IntegerField(label=_("人数"), min_value=1, max_value=50, initial=1)
    purpose = forms.CharField(label=_("用件"), max_length=300, required=False)
    host = MemberField(label=_("担当者"), empty_label=_("名前の一部を入力"))
    badge_number = forms.CharField(
        label=_("入館証番号"), max_length=20, required=False, help_text=_("空欄なら自動で採番")
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_member_fields(self, company)

    def data_input(self) -> VisitInput:
        d = self.cleaned_data
        return VisitInput(
            visitor_name=d["visitor_name"],
            visitor_company=d.get("visitor_company", ""),
            visitor_count=d.get("visitor_count") or 1,
            purpose=d.get("purpose", ""),
            expected_at=timezone.now(),
            host_id=d["host"],
        )


class VisitLogFilterForm(forms.Form):
    q = forms.CharField(label=_("会社名・氏名"), max_length=100, required=False)
    date_from = forms.DateField(label=_("来訪日(から)"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("来訪日(まで)"), required=False, widget=DATE)
    host = MemberField(label=_("担当者"), required=False, empty_label=_("すべて"))
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *VisitStatus.choices]
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_member_fields(self, company)


class FrontdeskSettingsForm(forms.Form):
    visitor_retention_days = forms.IntegerField(
        label=_("来訪者の個人情報の保存日数"),
        min_value=1,
        max_value=3650,
        help_text=_(
            "この日数を過ぎた来訪の氏名・会社名・連絡先は毎日の処理で削除されます(来訪の件数は残ります)。"
        ),
    )
    notify_host_by_email = forms.BooleanField(label=_("到着をメールでも知らせる"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)


class MessageForm(forms.Form):
    recipient = MemberField(label=_("宛先"), empty_label=_("名前の一部を入力"))
    caller_company = forms.CharField(label=_("相手の会社名"), max_length=200, required=False)
    caller_name = forms.CharField(label=_("相手の氏名"), max_length=100)
    caller_phone = forms.CharField(label=_("電話番号"), max_length=30, required=False)
    received_at = forms.DateTimeField(
        label=_("受信日時"),
        widget=DATETIME,
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("空欄なら今"),
    )
    urgency = forms.ChoiceField(label=_("緊急度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    message = forms.CharField(label=_("伝言"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_member_fields(self, company)

    def data_input(self) -> MessageInput:
        d = self.cleaned_data
        received: datetime | None = d.get("received_at")
        return MessageInput(
            recipient_id=d["recipient"],
            caller_name=d["caller_name"],
            caller_company=d.get("caller_company", ""),
            caller_phone=d.get("caller_phone", ""),
            message=d["message"],
            urgency=d["urgency"],
            received_at=received,
        )


class MessageDoneForm(forms.Form):
    note = forms.CharField(label=_("対応メモ"), max_length=300, required=False)


class MessageFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), max_length=100, required=False)
    urgency = forms.ChoiceField(
        label=_("緊急度"), required=False, choices=[("", _("すべて")), *Urgency.choices]
    )
    open = forms.ChoiceField(
        label=_("対応"), required=False, choices=[("", _("すべて")), ("1", _("未対応だけ"))]
    )


class OfficeRequestForm(forms.Form):
    request_type = forms.TypedChoiceField(label=_("依頼の種類"), coerce=int)
    title = forms.CharField(label=_("件名"), max_length=200)
    detail = forms.CharField(
        label=_("内容"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_on = forms.DateField(label=_("希望期限"), required=False, widget=DATE)

    def __init__(self, *args: Any, types: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_type"].choices = [("", "---------"), *types]  # type: ignore[attr-defined]

    def data_input(self) -> OfficeRequestInput:
        d = self.cleaned_data
        return OfficeRequestInput(
            request_type_id=d["request_type"],
            title=d["title"],
            detail=d.get("detail", ""),
            due_on=d.get("due_on"),
        )


class OfficeRequestTransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=OfficeRequestStatus.choices)
    assignee = forms.TypedChoiceField(label=_("担当者"), coerce=int, required=False, empty_value=None)
    resolution = forms.CharField(label=_("対応内容"), max_length=500, required=False)

    def __init__(self, *args: Any, members: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("(自分)")), *(members or [])]  # type: ignore[attr-defined]


class OfficeRequestFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), max_length=100, required=False)
    team = forms.ChoiceField(label=_("担当"), required=False, choices=[("", _("すべて")), *Team.choices])
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("", _("未完了")), *OfficeRequestStatus.choices, ("all", _("すべて"))],
    )
    mine = forms.BooleanField(label=_("自分の担当だけ"), required=False)


class RequestTypeForm(forms.Form):
    name = forms.CharField(label=_("依頼の種類"), max_length=100)
    team = forms.ChoiceField(label=_("担当"), choices=Team.choices)
    description = forms.CharField(label=_("説明"), max_length=300, required=False)
    sort_order = forms.IntegerField(label=_("表示順"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("受付中"), required=False, initial=True)

    def data_input(self) -> RequestTypeInput:
        d = self.cleaned_data
        return RequestTypeInput(
            name=d["name"],
            team=d["team"],
            description=d.get("description", ""),
            sort_order=d.get("sort_order") or 0,
            is_active=bool(d.get("is_active")),
        )
