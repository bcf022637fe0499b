"""Forms of the rooms part: they parse what was typed; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.member_picker import MemberField, bind_member_fields
from ennoshita.frontdesk.models.rooms import BookingStatus, RecurrenceFrequency

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
D = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
T = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"]


class BookingForm(forms.Form):
    room = forms.TypedChoiceField(label=_("会議室"), coerce=int, choices=())
    title = forms.CharField(label=_("件名"), max_length=200)
    starts_at = forms.DateTimeField(label=_("開始"), widget=DT, input_formats=DT_FORMATS)
    ends_at = forms.DateTimeField(label=_("終了"), widget=DT, input_formats=DT_FORMATS)
    attendees = forms.IntegerField(label=_("人数"), required=False, min_value=1, max_value=1000)
    note = forms.CharField(label=_("備考"), max_length=300, required=False)

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [(r.pk, f"{r.name}({r.capacity}名)") for r in rooms]  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    room = forms.TypedChoiceField(label=_("会議室"), coerce=int, choices=())
    starts_at = forms.DateTimeField(label=_("開始"), widget=DT, input_formats=DT_FORMATS)
    ends_at = forms.DateTimeField(label=_("終了"), widget=DT, input_formats=DT_FORMATS)

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [(r.pk, f"{r.name}({r.capacity}名)") for r in rooms]  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消理由"), max_length=300, required=False)


class SeriesForm(forms.Form):
    room = forms.TypedChoiceField(label=_("会議室"), coerce=int, choices=())
    title = forms.CharField(label=_("件名"), max_length=200)
    frequency = forms.ChoiceField(label=_("繰り返し"), choices=RecurrenceFrequency.choices)
    starts_on = forms.DateField(label=_("開始日"), widget=D)
    until = forms.DateField(label=_("終了日"), widget=D)
    start_time = forms.TimeField(label=_("開始時刻"), widget=T)
    end_time = forms.TimeField(label=_("終了時刻"), widget=T)
    attendees = forms.IntegerField(label=_("人数"), required=False, min_value=1, max_value=1000)
    note = forms.CharField(label=_("備考"), max_length=300, required=False)

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [(r.pk, f"{r.name}({r.capacity}名)") for r in rooms]  # type: ignore[attr-defined]


class CancelSeriesForm(forms.Form):
    from_date = forms.DateField(label=_("この日以降を取消"), widget=D)
    reason = forms.CharField(label=_("取消理由"), max_length=300, required=False)


class RoomForm(forms.Form):
    code = forms.CharField(label=_("会議室コード"), max_length=20)
    name = forms.CharField(label=_("会議室名"), max_length=100)
    capacity = forms.IntegerField(label=_("定員"), min_value=1, max_value=1000)
    floor = forms.CharField(label=_("フロア・場所"), max_length=100, required=False)
    equipment = forms.CharField(
        label=_("設備"), max_length=300, required=False, help_text=_("例: モニター, Web会議, ホワイトボード")
    )
    sort_order = forms.IntegerField(
        label=_("表示順"), min_value=0, max_value=32767, required=False, initial=0
    )
    is_active = forms.BooleanField(label=_("予約受付中"), required=False, initial=True)


class RoomFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    active = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[("", _("すべて")), ("1", _("予約受付中")), ("0", _("停止中"))],
    )
    capacity = forms.IntegerField(label=_("定員(以上)"), required=False, min_value=1, max_value=1000)


class BookingSearchForm(forms.Form):
    q = forms.CharField(label=_("件名・予約者"), required=False, max_length=100)
    room = forms.TypedChoiceField(label=_("会議室"), required=False, coerce=int, empty_value=None, choices=())
    booked_by = MemberField(label=_("予約者"), required=False, empty_label=_("すべて"))
    date_from = forms.DateField(label=_("期間(から)"), required=False, widget=D)
    date_to = forms.DateField(label=_("期間(まで)"), required=False, widget=D)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *BookingStatus.choices]
    )

    def __init__(self, *args, company, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].choices = [("", _("すべて")), *[(r.pk, r.name) for r in rooms]]  # type: ignore[attr-defined]
        bind_member_fields(self, company)


class FreeRoomsForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("開始"), widget=DT, input_formats=DT_FORMATS)
    ends_at = forms.DateTimeField(label=_("終了"), widget=DT, input_formats=DT_FORMATS)
    capacity = forms.IntegerField(label=_("人数"), required=False, min_value=1, max_value=1000)
