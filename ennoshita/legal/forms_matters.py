"""Forms of the 法律相談・紛争 screens: they parse; ``services.matters`` checks and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.member_picker import MemberField, bind_member_fields
from ennoshita.core.models import Company

from .models import LegalMatter, MatterCategory, MatterKind, MatterRole, MatterStatus
from .services.matters import DisputeInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = [("", _("すべて"))]
YEN = forms.TextInput(attrs={"inputmode": "numeric", "class": "num"})
PEOPLE = ("member1", "member2", "member3")
ALIASES = {"member_ids": "member1", "handler_id": "handler", "user_id": "user"}


def put_errors(form: forms.Form, exc: ServiceError) -> None:
    """A service's field errors on the form's fields (the rest on the form)."""
    placed = False
    for key, messages in exc.field_errors.items():
        name = ALIASES.get(key, key)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _people(form: forms.Form) -> list[int]:
    return [form.cleaned_data[n] for n in PEOPLE if form.cleaned_data.get(n)]


class MatterFilterForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"), required=False, max_length=100, help_text=_("管理番号・件名・相手方・事件番号")
    )
    kind = forms.ChoiceField(label=_("区分"), required=False, choices=[*ALL, *MatterKind.choices])
    status = forms.ChoiceField(label=_("状態"), required=False, choices=[*ALL, *MatterStatus.choices])
    category = forms.ChoiceField(label=_("分野"), required=False, choices=[*ALL, *MatterCategory.choices])
    handler = MemberField(label=_("担当者(法務)"), required=False, empty_label=_("すべて"))
    open_only = forms.BooleanField(label=_("終結したものを除く"), required=False)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_member_fields(self, company)

    def filters(self) -> dict[str, Any]:
        if not (self.is_bound and self.is_valid()):
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "kind": d.get("kind") or "",
            "status": d.get("status") or "",
            "category": d.get("category") or "",
            "handler_id": d.get("handler") or None,
            "open_only": bool(d.get("open_only")),
        }


class AskForm(forms.Form):
    """「相談する」: any member's question to 法務."""

    title = forms.CharField(label=_("件名"), max_length=200)
    category = forms.ChoiceField(
        label=_("分野"), choices=MatterCategory.choices, initial=MatterCategory.OTHER
    )
    question = forms.CharField(
        label=_("相談内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("経緯、相手方、期限、聞きたいこと。この相談は法務と、ここで指定した人だけが見られます。"),
    )
    member1 = MemberField(label=_("一緒に見られる人(任意)"), required=False, empty_label=_("(なし)"))
    member2 = MemberField(label=_("一緒に見られる人(任意)"), required=False, empty_label=_("(なし)"))
    member3 = MemberField(label=_("一緒に見られる人(任意)"), required=False, empty_label=_("(なし)"))

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_member_fields(self, company)

    def to_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "category": d["category"],
            "question": d["question"],
            "member_ids": _people(self),
        }


class DisputeForm(forms.Form):
    """法務 opens (or edits) a dispute."""

    title = forms.CharField(label=_("件名"), max_length=200)
    category = forms.ChoiceField(
        label=_("分野"), choices=MatterCategory.choices, initial=MatterCategory.COLLECTION
    )
    opponent = forms.CharField(label=_("相手方"), max_length=200)
    question = forms.CharField(label=_("経緯"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    forum = forms.CharField(label=_("裁判所・機関"), required=False, max_length=200)
    case_number = forms.CharField(
        label=_("事件番号"), required=False, max_length=100, help_text=_("例: 令和8年(ワ)第1234号")
    )
    claim_amount = forms.DecimalField(
        label=_("請求額(円)"), required=False, max_digits=15, decimal_places=0, widget=YEN
    )
    counsel = forms.CharField(label=_("外部弁護士・事務所"), required=False, max_length=200)
    handler = MemberField(label=_("担当者(法務)"), required=False, empty_label=_("(未定)"))
    opened_on = forms.DateField(label=_("受付日"), required=False, widget=DATE, help_text=_("空欄なら今日"))
    member1 = MemberField(label=_("関係者(任意)"), required=False, empty_label=_("(なし)"))
    member2 = MemberField(label=_("関係者(任意)"), required=False, empty_label=_("(なし)"))

    def __init__(self, *args: Any, company: Company, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("handler", "opened_on", "member1", "member2"):
                del self.fields[name]
        bind_member_fields(self, company)

    @staticmethod
    def initial_of(matter: LegalMatter) -> dict[str, Any]:
        return {
            "title": matter.title,
            "category": matter.category,
            "opponent": matter.opponent,
            "question": matter.question,
            "forum": matter.forum,
            "case_number": matter.case_number,
            "claim_amount": matter.claim_amount,
            "counsel": matter.counsel,
        }

    def to_input(self) -> DisputeInput:
        d = self.cleaned_data
        return DisputeInput(
            title=d["title"],
            category=d["category"],
            opponent=d["opponent"],
            question=d.get("question") or "",
            forum=d.get("forum") or "",
            case_number=d.get("case_number") or "",
            claim_amount=d.get("claim_amount"),
            counsel=d.get("counsel") or "",
            handler_id=d.get("handler") or None,
            opened_on=d.get("opened_on"),
            member_ids=tuple(d[n] for n in ("member1", "member2") if d.get(n)),
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("回答"), widget=forms.Textarea(attrs={"rows": 6}))


class NoteForm(forms.Form):
    body = forms.CharField(label=_("経過メモ"), widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("変更後の状態"), choices=MatterStatus.choices)
    closed_on = forms.DateField(
        label=_("終結日(和解・終結のとき。空欄なら今日)"), required=False, widget=DATE
    )
    outcome = forms.CharField(label=_("結果"), required=False, max_length=5000)


class HandlerForm(forms.Form):
    handler = MemberField(label=_("担当者(法務)"), required=False, empty_label=_("(未定)"))

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_member_fields(self, company)


class MemberForm(forms.Form):
    user = MemberField(label=_("関係者に追加する人"))
    role = forms.ChoiceField(label=_("立場"), choices=MatterRole.choices, initial=MatterRole.INVOLVED)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_member_fields(self, company)


class RemoveMemberForm(forms.Form):
    user = forms.IntegerField(min_value=1)


class DeadlineForm(forms.Form):
    due_on = forms.DateField(label=_("期限"), widget=DATE)
    title = forms.CharField(
        label=_("内容"), max_length=200, help_text=_("例: 答弁書の提出期限、第1回口頭弁論期日")
    )


class CompleteForm(forms.Form):
    done_on = forms.DateField(label=_("完了日"), required=False, widget=DATE)


class CostForm(forms.Form):
    paid_on = forms.DateField(label=_("支払日"), widget=DATE)
    payee = forms.CharField(label=_("支払先"), max_length=200)
    description = forms.CharField(
        label=_("内容"), max_length=200, help_text=_("例: 着手金、報酬金、印紙・郵券")
    )
    amount = forms.DecimalField(label=_("金額(税込・円)"), max_digits=15, decimal_places=0, widget=YEN)


class FileForm(forms.Form):
    file = forms.FileField(label=_("ファイル"), help_text=_("同じ名前のファイルは新しい版になります。"))
    comment = forms.CharField(label=_("コメント"), required=False, max_length=400)
