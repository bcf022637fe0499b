"""Forms of the リーガルチェック screens: they parse; ``services.reviews`` checks and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Company, User
from ennoshita.people import selectors as people_selectors

from .models import CommentSeverity, Contract, PlaybookClause, ReviewStatus, ReviewVerdict
from .services.reviews import ClauseInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = [("", _("すべて"))]
ALIASES = {"contract_id": "contract", "reviewer_id": "reviewer", "playbook_id": "playbook", "data": "file"}


def put_errors(form: forms.Form, exc: Any) -> None:
    """A service's field errors on the form's fields (the rest on the form)."""
    placed = False
    for key, messages in exc.field_errors.items():
        name = ALIASES.get(key, key)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class ReviewFilterForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"), required=False, max_length=100, help_text=_("依頼番号・件名・背景・契約番号")
    )
    status = forms.ChoiceField(label=_("状態"), required=False, choices=[*ALL, *ReviewStatus.choices])
    reviewer = forms.ChoiceField(label=_("担当者(法務)"), required=False)
    department = forms.ChoiceField(label=_("依頼部署"), required=False)
    overdue = forms.ChoiceField(
        label=_("回答希望日"),
        required=False,
        choices=[*ALL, ("1", _("希望日を過ぎて未回答")), ("0", _("期限内・回答済み"))],
    )

    def __init__(self, *args: Any, company: Company, reviewers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", _("すべて")),
            *people_selectors.department_choices(company=company),
        ]
        self.fields["reviewer"].choices = [  # type: ignore[attr-defined]
            ("", _("すべて")),
            *[(str(u.pk), u.display_name()) for u in reviewers],
        ]

    def filters(self) -> dict[str, Any]:
        if not (self.is_bound and self.is_valid()):
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "status": d.get("status") or "",
            "reviewer_id": int(d["reviewer"]) if d.get("reviewer") else None,
            "department_id": int(d["department"]) if d.get("department") else None,
            "overdue": {"1": True, "0": False}.get(d.get("overdue") or ""),
        }


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=200)
    contract = forms.ChoiceField(
        label=_("契約"),
        required=False,
        help_text=_("契約書のチェックなら選んでください(その契約の版として保存します)"),
    )
    background = forms.CharField(
        label=_("取引の背景・確認してほしい点"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    desired_on = forms.DateField(label=_("回答希望日"), widget=DATE)
    file = forms.FileField(label=_("審査する文書(案)"))
    note = forms.CharField(
        label=_("補足"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, contracts: list[Contract], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [  # type: ignore[attr-defined]
            ("", _("(契約書以外の文書)")),
            *[(str(c.pk), f"{c.number} {c.title}") for c in contracts],
        ]


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("担当者"))

    def __init__(self, *args: Any, reviewers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [(str(u.pk), u.display_name()) for u in reviewers]  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    clause = forms.CharField(label=_("条項"), max_length=100, help_text=_("例: 第5条(損害賠償)"))
    severity = forms.ChoiceField(
        label=_("重要度"), choices=CommentSeverity.choices, initial=CommentSeverity.SHOULD
    )
    playbook = forms.ChoiceField(label=_("条項メモ"), required=False)
    comment = forms.CharField(
        label=_("コメント"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("空欄で条項メモを選ぶと、その確認の観点が入ります"),
    )
    suggestion = forms.CharField(
        label=_("修正案"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, playbook: list[PlaybookClause], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["playbook"].choices = [  # type: ignore[attr-defined]
            ("", _("(使わない)")),
            *[(str(p.pk), f"{p.category} {p.title}".strip()) for p in playbook],
        ]


class ReturnForm(forms.Form):
    verdict = forms.ChoiceField(label=_("判定"), choices=[("", "---"), *ReviewVerdict.choices])
    summary = forms.CharField(
        label=_("総評"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResubmitForm(forms.Form):
    file = forms.FileField(label=_("修正した文書"))
    note = forms.CharField(
        label=_("変更点"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)


class PlaybookForm(forms.Form):
    title = forms.CharField(label=_("条項の見出し"), max_length=200)
    category = forms.CharField(label=_("分類"), required=False, max_length=100)
    guidance = forms.CharField(
        label=_("確認の観点"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    suggested_text = forms.CharField(
        label=_("推奨文言"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    @staticmethod
    def initial_of(clause: PlaybookClause) -> dict[str, Any]:
        return {k: getattr(clause, k) for k in ("title", "category", "guidance", "suggested_text")}

    def to_input(self) -> ClauseInput:
        d = self.cleaned_data
        return ClauseInput(
            title=d["title"],
            guidance=d["guidance"],
            category=d.get("category") or "",
            suggested_text=d.get("suggested_text") or "",
        )
