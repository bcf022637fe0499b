"""Forms of the 人事 screens. They parse what people type; the services decide what is valid.

Field names are the services' argument names, so ``core.forms.apply_service_error`` puts each
error the service reports on the field it belongs to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ennoshita.core.dates import parse_date_flexible
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, User
from ennoshita.core.selectors import memberships_of_company

from . import selectors, services
from .models import AccountType, Department, Employee, EmploymentType, Gender, PlacementReason, Position


class DateInput(forms.DateInput):
    """``<input type=date>``: the browser sends and expects YYYY-MM-DD whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FlexibleDateField(forms.DateField):
    """A date typed as 2025-04-01, 2025/4/1, 2025年4月1日 or 令和7年4月1日 (full-width digits too)."""

    widget = DateInput
    default_error_messages = {"invalid": _("日付を正しく入力してください(例: 2025-04-01、令和7年4月1日)。")}

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date) or value in self.empty_values:
            return super().to_python(value)
        try:
            return parse_date_flexible(str(value))
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class DepartmentChoiceField(forms.ChoiceField):
    """A department picked from the indented tree; cleans to the Department (no extra query)."""

    def __init__(self, tree: list[tuple[Department, int]], *, active_only: bool, **kwargs: Any) -> None:
        rows = [(d, depth) for d, depth in tree if d.is_active or not active_only]
        self.by_id = {str(d.pk): d for d, _depth in rows}
        choices = [("", "---------")] + [(str(d.pk), "　" * depth + str(d)) for d, depth in rows]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value: Any) -> Department | None:
        value = super().clean(value)
        return self.by_id.get(str(value)) if value else None


def _text(label: Any, max_length: int, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kwargs)


def _position_field(company: Company) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("役職"),
        queryset=selectors.positions(company=company),
        required=False,
        empty_label=_("(なし)"),
    )


class EmployeeForm(forms.Form):
    """社員の登録・編集. On create it also takes the first department and position (入社時の配置)."""

    number = _text(_("社員番号"), 20, required=True)
    family_name = _text(_("姓"), 50, required=True)
    given_name = _text(_("名"), 50, required=True)
    family_name_kana = _text(
        _("姓(フリガナ)"), 50, required=True, help_text=_("カタカナ(ひらがな・半角カナは自動で変換)")
    )
    given_name_kana = _text(_("名(フリガナ)"), 50, required=True)
    birth_date = FlexibleDateField(label=_("生年月日"), required=False)
    gender = forms.ChoiceField(label=_("性別"), choices=Gender.choices, initial=Gender.UNANSWERED)
    hire_date = FlexibleDateField(label=_("入社日"))
    employment_type: forms.ModelChoiceField[EmploymentType] = forms.ModelChoiceField(
        label=_("雇用形態"), queryset=EmploymentType.objects.none()
    )
    postal_code = _text(_("郵便番号"), 10, help_text=_("例: 100-0001"))
    address = _text(_("住所"), 300)
    phone = _text(_("電話番号"), 20, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label=_("メールアドレス"), required=False)
    emergency_contact_name = _text(_("緊急連絡先(氏名)"), 100)
    emergency_contact_relation = _text(_("緊急連絡先(続柄)"), 30)
    emergency_contact_phone = _text(_("緊急連絡先(電話)"), 20, widget=forms.TextInput(attrs={"type": "tel"}))
    bank_code = _text(_("銀行コード"), 4, help_text=_("4桁"))
    bank_branch_code = _text(_("支店コード"), 3, help_text=_("3桁"))
    bank_account_type = forms.ChoiceField(
        label=_("預金種目"), choices=[("", "---------"), *AccountType.choices], required=False
    )
    bank_account_number = _text(_("口座番号"), 7, help_text=_("7桁以内"))
    bank_account_holder_kana = _text(_("口座名義(カナ)"), 60)
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("ログインユーザー"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("この社員としてログインする人(自分の社員情報を見られるようになります)"),
    )

    def __init__(self, *args: Any, company: Company, create: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._company = company
        self.fields["employment_type"].queryset = selectors.employment_types(company=company)  # type: ignore[attr-defined]
        member_ids = memberships_of_company(company=company).values("user_id")
        self.fields["user"].queryset = User.objects.filter(pk__in=member_ids).order_by("username")  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: f"{u.username} ({u.display_name()})"  # type: ignore[attr-defined]
        if create:
            self.fields["department"] = DepartmentChoiceField(
                selectors.department_tree(company=company), active_only=True, label=_("所属部署")
            )
            self.fields["position"] = _position_field(company)
            self.order_fields(
                [
                    "number",
                    "family_name",
                    "given_name",
                    "family_name_kana",
                    "given_name_kana",
                    "hire_date",
                    "employment_type",
                    "department",
                    "position",
                ]
            )

    def clean(self) -> dict[str, Any]:
        """Check formats (郵便番号, 電話番号, フリガナ, 口座) with the service's own rules now, so that they
        are reported together with missing fields on the first submit, not one round later."""
        data = super().clean() or {}
        checked = {k: v for k, v in data.items() if k in services.EMPLOYEE_FIELDS and k not in self.errors}
        try:
            services.normalise_employee_input(self._company, checked)
        except ServiceError as exc:
            for name, messages in exc.field_errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data

    def employee_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("department", None)
        data.pop("position", None)
        return data


class TransferForm(forms.Form):
    department = DepartmentChoiceField([], active_only=True, label=_("異動先の部署"))
    position: forms.ModelChoiceField[Position] = forms.ModelChoiceField(
        label=_("役職"), queryset=Position.objects.none(), required=False
    )
    effective_from = FlexibleDateField(
        label=_("発令日"), help_text=_("未来の日付にすると、その日から有効になります。")
    )
    reason = forms.ChoiceField(
        label=_("事由"),
        choices=[(c, label) for c, label in PlacementReason.choices if c != PlacementReason.HIRE],
        initial=PlacementReason.TRANSFER,
    )
    note = _text(_("備考"), 200)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = DepartmentChoiceField(
            selectors.department_tree(company=company), active_only=True, label=_("異動先の部署")
        )
        self.fields["position"] = _position_field(company)
        self.order_fields(["department", "position", "effective_from", "reason", "note"])


class RetireForm(forms.Form):
    retire_date = FlexibleDateField(label=_("退職日"))

    def __init__(self, *args: Any, hire_date: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hire_date = hire_date

    def clean_retire_date(self) -> date:
        # Checked here too because retire_employee looks for later placements first, and the
        # hire placement of a date before hire would be reported as "a scheduled transfer".
        value = self.cleaned_data["retire_date"]
        if value < self.hire_date:
            raise ValidationError(_("退職日は入社日以降の日付にしてください。"), code="before_hire")
        return value


class DepartmentForm(forms.Form):
    code = _text(_("部署コード"), 20, required=True)
    name = _text(_("部署名"), 100, required=True)
    parent = DepartmentChoiceField([], active_only=False, label=_("上位部署"), required=False)
    sort_order = forms.IntegerField(label=_("表示順"), initial=0, min_value=-99999, max_value=99999)
    is_active = forms.BooleanField(label=_("有効"), required=False, initial=True)
    head = forms.ModelChoiceField(
        label=_("所属長"),
        queryset=Employee.objects.none(),
        required=False,
        empty_label=_("(未設定)"),
        help_text=_("承認ルートの「所属長」の段階で、この部署の申請を承認する人です。"),
    )

    def __init__(
        self, *args: Any, company: Company, department: Department | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        head_field: forms.ModelChoiceField = self.fields["head"]  # type: ignore[assignment]
        head_field.queryset = selectors.head_candidates(company=company, as_of=timezone.localdate())
        tree = selectors.department_tree(company=company)
        if department is not None:
            # A department cannot sit under itself or under one of its own sub-departments.
            excluded = set(selectors.descendant_ids(company=company, department_id=department.pk))
            tree = [(d, depth) for d, depth in tree if d.pk not in excluded]
        else:
            del self.fields["is_active"]
        self.fields["parent"] = DepartmentChoiceField(
            tree, active_only=False, label=_("上位部署"), required=False
        )
        self.order_fields(["code", "name", "parent", "head", "sort_order", "is_active"])


class PositionForm(forms.Form):
    code = _text(_("役職コード"), 20, required=True)
    name = _text(_("役職名"), 100, required=True)
    rank = forms.IntegerField(
        label=_("序列"), initial=0, help_text=_("小さいほど上位"), min_value=-9999, max_value=9999
    )


STATUS_CHOICES = [
    ("active", _("在籍")),
    ("retired", _("退職")),
    ("future", _("入社予定")),
    ("all", _("すべて")),
]


class EmployeeFilterForm(forms.Form):
    """The filters of 社員一覧 (and of its CSV/Excel export, which takes the same query string)."""

    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("氏名・フリガナ・社員番号")}),
    )
    department = DepartmentChoiceField([], active_only=False, label=_("部署"), required=False)
    employment_type: forms.ModelChoiceField[EmploymentType] = forms.ModelChoiceField(
        label=_("雇用形態"), queryset=EmploymentType.objects.none(), required=False, empty_label=_("すべて")
    )
    status = forms.ChoiceField(label=_("状態"), choices=STATUS_CHOICES, required=False)
    as_of = FlexibleDateField(label=_("基準日"), required=False)
    incomplete = forms.BooleanField(label=_("口座・緊急連絡先が未登録"), required=False)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"] = DepartmentChoiceField(
            selectors.department_tree(company=company), active_only=False, label=_("部署"), required=False
        )
        self.fields["department"].choices = [("", _("すべて")), *self.fields["department"].choices[1:]]  # type: ignore[attr-defined]
        self.fields["employment_type"].queryset = selectors.employment_types(company=company)  # type: ignore[attr-defined]
        self.order_fields(["q", "department", "employment_type", "status", "as_of", "incomplete"])


class AsOfForm(forms.Form):
    as_of = FlexibleDateField(label=_("基準日"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"),
        help_text=_("UTF-8(BOM付き・なし)または Shift_JIS。1行目は見出し行です。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class AttachDocumentForm(forms.Form):
    """添付書類: the id of a document (chosen from a list of the ones the user may read)."""

    document = forms.IntegerField(label=_("文書"), min_value=1)
