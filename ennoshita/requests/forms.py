"""Forms of 業務依頼. They parse; the services validate again and their field errors are put back on
the fields (``put_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ennoshita.core import records as core_records
from ennoshita.core.errors import ServiceError
from ennoshita.core.member_picker import MemberField
from ennoshita.core.models import Company

from .models import Frequency, RequestStatus, RequestType, Team, TeamKind

DATE = forms.DateInput(attrs={"type": "date"})
MAX_UPLOAD = 20 * 1024 * 1024


def put_errors(form: forms.Form, exc: ServiceError) -> None:
    placed = False
    for key, messages in exc.field_errors.items():
        for message in messages:
            form.add_error(key if key in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        out = [super(MultipleFileField, self).clean(d, initial) for d in items]
        for f in out:
            if f is not None and f.size > MAX_UPLOAD:
                raise forms.ValidationError(_("1ファイル20MBまでです。"))
        return [f for f in out if f is not None]


def _teams(company: Company) -> list[tuple[str, Any]]:
    return [("", _("(選んでください)"))] + [
        (str(t.pk), f"{t.name}({t.get_kind_display()})")
        for t in Team.objects.for_company(company).filter(is_active=True).order_by("kind", "name")
    ]


def _types(company: Company, team_id: Any) -> list[tuple[str, Any]]:
    qs = RequestType.objects.for_company(company).filter(is_active=True, team__is_active=True)
    qs = qs.filter(team_id=team_id) if str(team_id or "").isdigit() else qs.none()
    return [("", _("(指定なし)"))] + [(str(t.pk), t.name) for t in qs.order_by("sort_order", "name")]


def record_value(object_type: str, object_id: str) -> str:
    return f"{object_type}|{object_id}"


class _RecordPicker(forms.Form):
    """The record picker of the request forms: choose a kind, search, tick the records."""

    record_kind = forms.ChoiceField(label=_("対象の種類"), required=False)
    record_q = forms.CharField(label=_("対象を探す"), required=False, max_length=100)
    records = forms.MultipleChoiceField(label=_("対象"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["record_kind"].choices = [("", _("(選んでください)"))] + [  # type: ignore[attr-defined]
            (k.object_type, str(k.label)) for k in core_records.kinds()
        ]
        self.fields["records"].choices = self._record_choices()  # type: ignore[attr-defined]

    def _record_choices(self) -> list[tuple[str, str]]:
        if self.is_bound:
            chosen = self.data.getlist("records") if hasattr(self.data, "getlist") else []
        else:
            chosen = list(self.initial.get("records") or [])
        out: dict[str, str] = {}
        for value in chosen:
            object_type, _sep, object_id = str(value).partition("|")
            card = core_records.load_card(company=self.company, object_type=object_type, object_id=object_id)
            if card is not None:
                out[value] = card.title
        kind = core_records.kind_of(self.data.get("record_kind", "") if self.is_bound else "")
        text = (self.data.get("record_q", "") if self.is_bound else "").strip()
        if kind is not None and text:
            for object_id, label in kind.search(self.company, text)[:20]:
                out.setdefault(record_value(kind.object_type, object_id), f"{label}")
        return list(out.items())

    def record_pairs(self) -> list[tuple[str, str]]:
        return [tuple(v.partition("|")[::2]) for v in self.cleaned_data.get("records", [])]


class RequestForm(_RecordPicker):
    team = forms.ChoiceField(label=_("依頼先"))
    request_type = forms.ChoiceField(label=_("依頼の種類"), required=False)
    title = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(label=_("依頼内容"), widget=forms.Textarea(attrs={"rows": 5}))
    due_on = forms.DateField(label=_("期限"), required=False, widget=DATE)
    files = MultipleFileField(label=_("添付ファイル"), required=False)  # type: ignore[assignment]

    field_order = ["team", "request_type", "title", "body", "due_on", "record_kind", "record_q", "records"]

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, company=company, **kwargs)
        self.fields["team"].choices = _teams(company)  # type: ignore[attr-defined]
        team_id = self.data.get("team") if self.is_bound else self.initial.get("team")
        self.fields["request_type"].choices = _types(company, team_id)  # type: ignore[attr-defined]

    def file_pairs(self) -> list[tuple[str, bytes]]:
        return [(f.name, f.read()) for f in self.cleaned_data.get("files", [])]


class EditForm(_RecordPicker):
    """依頼内容の変更: what the requester may correct while the request is open."""

    title = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(label=_("依頼内容"), widget=forms.Textarea(attrs={"rows": 5}))
    due_on = forms.DateField(label=_("期限"), required=False, widget=DATE)

    field_order = ["title", "body", "due_on", "record_kind", "record_q", "records"]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状態"), required=False)
    request_type = forms.ChoiceField(label=_("種類"), required=False)
    assignee = forms.ChoiceField(label=_("担当者"), required=False)
    overdue = forms.BooleanField(label=_("期限超過のみ"), required=False)

    def __init__(
        self, *args: Any, company: Company, team_ids: list[int], members: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("open", _("未完了")), ("", _("すべて")), *RequestStatus.choices]  # type: ignore[attr-defined]
        self.fields["request_type"].choices = [("", _("すべて"))] + [  # type: ignore[attr-defined]
            (str(t.pk), f"{t.team.name}: {t.name}")
            for t in RequestType.objects.for_company(company)
            .filter(team_id__in=team_ids)
            .select_related("team")
            .order_by("team__name", "sort_order", "name")
        ]
        self.fields["assignee"].choices = [("", _("すべて")), ("-1", _("未着手(担当者なし)"))] + [  # type: ignore[attr-defined]
            (str(pk), name) for pk, name in members
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {"status": "open"}
        if not self.is_valid():
            return {"status": "open"}
        d = self.cleaned_data
        assignee = d.get("assignee") or ""
        return {
            "q": d.get("q") or "",
            "status": d.get("status") if "status" in self.data else "open",
            "type_id": int(d["request_type"]) if d.get("request_type") else None,
            "assignee_id": int(assignee) if assignee.lstrip("-").isdigit() else None,
            "overdue": bool(d.get("overdue")),
        }


class HandOverForm(forms.Form):
    to_user = forms.ChoiceField(label=_("引き継ぐ相手"), required=False)
    to_team = forms.ChoiceField(label=_("または別のチームへ"), required=False)
    note = forms.CharField(
        label=_("引継ぎメモ"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(
        self, *args: Any, members: list[tuple[int, str]], teams: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].choices = [("", "—")] + [(str(pk), n) for pk, n in members]  # type: ignore[attr-defined]
        self.fields["to_team"].choices = [("", "—")] + [(str(pk), n) for pk, n in teams]  # type: ignore[attr-defined]


class TextForm(forms.Form):
    body = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class TimeForm(forms.Form):
    worked_on = forms.DateField(label=_("作業日"), widget=DATE)
    minutes = forms.IntegerField(label=_("作業時間(分)"), min_value=1, max_value=1440)
    note = forms.CharField(label=_("作業内容"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"worked_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class FilesForm(forms.Form):
    files = MultipleFileField(label=_("添付ファイル"))  # type: ignore[assignment]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("チーム名"), max_length=100)
    kind = forms.ChoiceField(label=_("種類"), choices=TeamKind.choices)
    description = forms.CharField(label=_("説明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    hourly_rate = forms.IntegerField(label=_("時間単価(円)"), min_value=0, max_value=1_000_000, initial=0)
    inhouse_hourly_cost = forms.IntegerField(
        label=_("社内で行う場合の時間単価(円・外部チームの比較用)"),
        min_value=0,
        max_value=1_000_000,
        initial=0,
    )


class MemberForm(forms.Form):
    user = MemberField(label=_("追加するメンバー"))

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].company = company  # type: ignore[attr-defined]


class TypeForm(forms.Form):
    name = forms.CharField(label=_("依頼の種類"), max_length=100)
    description = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    needs = forms.CharField(
        label=_("依頼者に用意してほしいもの"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    turnaround_days = forms.IntegerField(
        label=_("標準の所要日数(営業日)"), min_value=0, max_value=60, initial=3
    )
    sort_order = forms.IntegerField(label=_("表示順"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("受付中"), required=False, initial=True)


class RecurringForm(forms.Form):
    team = forms.ChoiceField(label=_("依頼先"))
    request_type = forms.ChoiceField(label=_("依頼の種類"), required=False)
    title = forms.CharField(label=_("件名"), max_length=200)
    body = forms.CharField(label=_("依頼内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    frequency = forms.ChoiceField(label=_("頻度"), choices=Frequency.choices)
    day = forms.IntegerField(
        label=_("日(毎月: 1〜28)・曜日(毎週: 0=月〜6=日)"),
        min_value=0,
        max_value=28,
        initial=25,
        required=False,
    )
    lead_days = forms.IntegerField(label=_("何日前に依頼するか"), min_value=0, max_value=60, initial=3)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = _teams(company)  # type: ignore[attr-defined]
        team_id = self.data.get("team") if self.is_bound else self.initial.get("team")
        self.fields["request_type"].choices = _types(company, team_id)  # type: ignore[attr-defined]


class CostFilterForm(forms.Form):
    start = forms.DateField(label=_("開始日"), required=False, widget=DATE)
    end = forms.DateField(label=_("終了日"), required=False, widget=DATE)
    team = forms.ChoiceField(label=_("チーム"), required=False)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("すべて"))] + [  # type: ignore[attr-defined]
            (str(t.pk), t.name) for t in Team.objects.for_company(company).order_by("kind", "name")
        ]
