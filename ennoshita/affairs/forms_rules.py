"""Forms of the 就業規則・社内規程 screens: they parse; ``services.rules`` checks and writes."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors

from .models import RuleCategory
from .services.rules import Audience, AudienceKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTIVE_CHOICES = [("", _("すべて")), ("1", _("有効")), ("0", _("廃止"))]


def put_errors(form: forms.Form, exc: ServiceError) -> None:
    """A service's field errors on the form's fields (the rest on the form)."""
    placed = False
    aliases = {
        "department_ids": "departments",
        "employee_ids": "employee_numbers",
        "owner_department": "owner_department",
    }
    for key, messages in exc.field_errors.items():
        name = aliases.get(key, key)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _departments(company: Company, blank: bool) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = list(people_selectors.department_choices(company=company))
    return [("", _("(指定なし)")), *choices] if blank else choices


class RuleFilterForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("区分"), required=False, choices=[("", _("すべて")), *RuleCategory.choices]
    )
    active = forms.ChoiceField(label=_("状態"), required=False, choices=ACTIVE_CHOICES)


class RuleForm(forms.Form):
    code = forms.CharField(label=_("規程番号"), max_length=30)
    title = forms.CharField(label=_("規程名"), max_length=200)
    category = forms.ChoiceField(label=_("区分"), choices=RuleCategory.choices)
    owner_department = forms.ChoiceField(label=_("所管部門"), required=False)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_department"].choices = _departments(company, blank=True)  # type: ignore[attr-defined]

    def owner_department_id(self) -> int | None:
        value = self.cleaned_data.get("owner_department")
        return int(value) if value else None


class NewRuleForm(RuleForm):
    file = forms.FileField(
        label=_("規程のファイル"), help_text=_("PDF・Word・テキストなど。第1版(下書き)になります。")
    )
    effective_from = forms.DateField(label=_("施行日"), widget=DATE)
    summary = forms.CharField(label=_("概要"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("新しい版のファイル"), help_text=_("元のファイルと同じ種類(拡張子)にしてください。")
    )
    effective_from = forms.DateField(label=_("施行日"), widget=DATE)
    summary = forms.CharField(
        label=_("改定の概要"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("対象者"),
        choices=[
            (AudienceKind.ALL, _("在籍中の全社員")),
            (AudienceKind.DEPARTMENTS, _("部署を選ぶ(下位の部署を含む)")),
            (AudienceKind.EMPLOYEES, _("社員を選ぶ(社員番号)")),
        ],
        initial=AudienceKind.ALL,
        widget=forms.RadioSelect,
    )
    departments = forms.MultipleChoiceField(
        label=_("対象の部署"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    employee_numbers = forms.CharField(
        label=_("対象の社員番号"),
        required=False,
        max_length=20000,
        help_text=_("社員番号を改行・カンマ・空白で区切って入力します。"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        self.fields["departments"].choices = _departments(company, blank=False)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        numbers = [n for n in re.split(r"[\s,、，]+", nfkc(data.get("employee_numbers", ""))) if n]
        if data.get("audience") == AudienceKind.EMPLOYEES:
            known = people_selectors.employees_by_number(company=self.company)
            unknown = [n for n in numbers if n not in known]
            if unknown:
                self.add_error(
                    "employee_numbers",
                    _("社員番号 %(n)s は見つかりません。") % {"n": "、".join(unknown[:10])},
                )
            data["employee_ids"] = [known[n].pk for n in numbers if n in known]
        return data

    def audience_input(self) -> Audience:
        data = self.cleaned_data
        return Audience(
            kind=data["audience"],
            department_ids=[int(d) for d in data.get("departments") or []],
            employee_ids=list(data.get("employee_ids") or []),
        )


class PublishForm(AudienceForm):
    effective_from = forms.DateField(label=_("施行日"), widget=DATE)
    acknowledge_by = forms.DateField(label=_("確認期限"), required=False, widget=DATE)
    summary = forms.CharField(
        label=_("改定の概要"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    requires_acknowledgement = forms.BooleanField(
        label=_("既読確認を求める"),
        required=False,
        initial=True,
        help_text=_("外すと、対象者には公開の通知だけが届き、確認の操作は求めません。"),
    )

    field_order = ["effective_from", "acknowledge_by", "summary", "requires_acknowledgement", "audience"]


class NotYetFilterForm(forms.Form):
    q = forms.CharField(label=_("社員番号・氏名"), required=False, max_length=100)
    department = forms.ChoiceField(label=_("部署"), required=False)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _departments(company, blank=True)  # type: ignore[attr-defined]

    def department_id(self) -> int | None:
        value = self.cleaned_data.get("department") if self.is_bound and self.is_valid() else None
        return int(value) if value else None


class UnacknowledgedFilterForm(NotYetFilterForm):
    rule = forms.ChoiceField(label=_("規程"), required=False)
    overdue = forms.BooleanField(label=_("期限切れのみ"), required=False)

    def __init__(self, *args: Any, company: Company, rules: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, company=company, **kwargs)
        self.fields["rule"].choices = [("", _("すべて")), *rules]  # type: ignore[attr-defined]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("区分"), required=False, choices=[("", _("すべて")), *RuleCategory.choices]
    )
