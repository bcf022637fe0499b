"""Forms of the 知的財産 screens: they parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ennoshita.core.member_picker import MemberField, bind_member_fields
from ennoshita.core.models import Company
from ennoshita.people import selectors as people_selectors

from .models import CopyrightBasis, IpCostKind, IpKind, IpRight, IpStatus
from .services.ip import IpInput, renewals_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUM = forms.TextInput(attrs={"inputmode": "numeric", "class": "num"})
# the fields only some kinds have; the form for a kind shows its own (no script needed)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "classes": ("trademark",),
    "installment": ("trademark",),
    "renewals": ("trademark",),
    "paid_through_year": ("patent", "design", "utility_model"),
    "copyright_basis": ("copyright",),
    "basis_year": ("copyright",),
    "expires_on": ("domain",),
}
# kinds whose foreign registrations have their expiry entered (the §16 terms are Japanese law)
FOREIGN_KINDS = ("trademark", "patent", "design", "utility_model")


def _departments(company: Company) -> list[tuple[str, str]]:
    return [("", _("(なし)")), *people_selectors.department_choices(company=company)]  # type: ignore[list-item]


class IpFilterForm(forms.Form):
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        help_text=_("管理番号・名称・出願番号・登録番号・代理人"),
    )
    kind = forms.ChoiceField(label=_("種類"), required=False, choices=[("", _("すべて")), *IpKind.choices])
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *IpStatus.choices]
    )
    country = forms.CharField(label=_("国・地域"), required=False, max_length=2, help_text=_("JP・US など"))
    department = forms.TypedChoiceField(label=_("担当部署"), required=False, coerce=int, empty_value=None)
    within = forms.IntegerField(
        label=_("期限まで(日)"), required=False, min_value=0, max_value=3650, widget=NUM
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", _("すべて")),
            *people_selectors.department_choices(company=company),
        ]

    def filters(self) -> dict[str, Any]:
        f = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": f.get("q", ""),
            "kind": f.get("kind", ""),
            "status": f.get("status", ""),
            "country": f.get("country", ""),
            "department_id": f.get("department"),
            "within_days": f.get("within"),
        }


class IpRightForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=IpKind.choices)
    title = forms.CharField(
        label=_("名称・標章"), max_length=200, help_text=_("商標は文字や図形の説明、特許は発明の名称")
    )
    country = forms.CharField(
        label=_("国・地域"),
        max_length=2,
        initial="JP",
        help_text=_("日本は JP。外国の権利は満了日を入力します"),
    )
    status = forms.ChoiceField(
        label=_("状態"),
        choices=IpStatus.choices,
        initial=IpStatus.REGISTERED,
        help_text=_("登録後は詳細画面で変更します"),
    )
    application_number = forms.CharField(label=_("出願番号"), max_length=40, required=False)
    registration_number = forms.CharField(label=_("登録番号"), max_length=40, required=False)
    filed_on = forms.DateField(label=_("出願日"), required=False, widget=DATE)
    registered_on = forms.DateField(
        label=_("設定登録日"), required=False, widget=DATE, help_text=_("登録証・J-PlatPat の「登録日」")
    )
    classes = forms.CharField(
        label=_("区分(商標)"),
        max_length=200,
        required=False,
        help_text=_("例: 9, 35, 42(区分ごとに料金がかかります)"),
    )
    installment = forms.BooleanField(
        label=_("登録料(更新料)を5年ずつ分割で納付している(商標)"), required=False
    )
    renewals = forms.IntegerField(
        label=_("これまでの更新の回数(商標)"),
        required=False,
        min_value=0,
        max_value=20,
        initial=0,
        widget=NUM,
        help_text=_("更新済みの回数。満了日が10年ずつ先になります"),
    )
    paid_through_year = forms.IntegerField(
        label=_("納付済みの年分(特許・意匠・実用新案)"),
        required=False,
        min_value=1,
        max_value=25,
        widget=NUM,
        help_text=_("例: 第5年分まで納付済みなら 5。空欄なら登録時の分(特許・実用新案は3、意匠は1)"),
    )
    copyright_basis = forms.ChoiceField(
        label=_("保護期間の起算(著作権)"), required=False, choices=[("", "—"), *CopyrightBasis.choices]
    )
    basis_year = forms.IntegerField(
        label=_("著作者が亡くなった年・公表した年(著作権)"),
        required=False,
        min_value=1900,
        max_value=2200,
        widget=NUM,
    )
    expires_on = forms.DateField(
        label=_("有効期限・満了日(ドメイン名・外国の権利)"),
        required=False,
        widget=DATE,
        help_text=_("日本の権利は自動で計算します"),
    )
    owner_department = forms.TypedChoiceField(
        label=_("担当部署"), required=False, coerce=int, empty_value=None
    )
    owner = MemberField(label=_("担当者"), required=False, empty_label=_("名前の一部を入力"))
    agent = forms.CharField(label=_("代理人(特許事務所など)"), max_length=200, required=False)
    note = forms.CharField(
        label=_("メモ"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, company: Company, kind: str, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.right_kind = kind
        self.fields["owner_department"].choices = _departments(company)  # type: ignore[attr-defined]
        bind_member_fields(self, company)
        self.fields["kind"].widget = forms.HiddenInput()
        self.fields["kind"].initial = kind
        if editing:
            del self.fields["status"]
        for name, kinds in KIND_FIELDS.items():
            if kind not in kinds and not (name == "expires_on" and kind in FOREIGN_KINDS):
                del self.fields[name]
        if kind in ("copyright", "domain"):
            for name in ("application_number", "filed_on", "registered_on", "country"):
                del self.fields[name]
            if kind == "domain":
                self.fields["title"].label = _("ドメイン名")
                self.fields["title"].help_text = _("例: example.co.jp")
                self.fields["agent"].label = _("登録事業者(レジストラ)")
            else:
                self.fields["title"].help_text = _("作品名(プログラム・デザイン・文章など)")
            del self.fields["registration_number"]

    @staticmethod
    def initial_of(right: IpRight) -> dict[str, Any]:
        return {
            "kind": right.kind,
            "title": right.title,
            "country": right.country,
            "application_number": right.application_number,
            "registration_number": right.registration_number,
            "filed_on": right.filed_on,
            "registered_on": right.registered_on,
            "classes": right.classes,
            "installment": right.installment,
            "renewals": renewals_of(right),
            "paid_through_year": right.paid_through_year,
            "copyright_basis": right.copyright_basis,
            "basis_year": right.basis_year,
            "expires_on": right.expires_on,
            "owner_department": right.owner_department_id,
            "owner": right.owner,
            "agent": right.agent,
            "note": right.note,
        }

    def data_input(self) -> IpInput:
        c = self.cleaned_data
        return IpInput(
            kind=self.right_kind,
            title=c["title"],
            country=c.get("country") or "JP",  # a domain name or a copyright: JP
            application_number=c.get("application_number", ""),
            registration_number=c.get("registration_number", ""),
            classes=c.get("classes", ""),
            filed_on=c.get("filed_on"),
            registered_on=c.get("registered_on"),
            installment=bool(c.get("installment")),
            paid_through_year=c.get("paid_through_year"),
            copyright_basis=c.get("copyright_basis", ""),
            basis_year=c.get("basis_year"),
            expires_on=c.get("expires_on"),
            renewals=c.get("renewals"),
            status=c.get("status", IpStatus.REGISTERED),
            owner_department_id=c.get("owner_department"),
            owner_id=c.get("owner"),
            agent=c.get("agent", ""),
            note=c.get("note", ""),
        )


PAYMENT_CHOICES = [
    ("annuity", _("年金(特許料・登録料)")),
    ("second_half", _("後期分割登録料(商標)")),
    ("renewal", _("更新登録(商標)")),
    ("domain", _("ドメイン名の更新")),
]


class PaymentForm(forms.Form):
    what = forms.ChoiceField(label=_("納付の内容"), choices=PAYMENT_CHOICES)
    paid_on = forms.DateField(label=_("支払日"), widget=DATE)
    amount = forms.CharField(label=_("金額(円)"), max_length=20, widget=NUM)
    surcharge = forms.CharField(
        label=_("割増料金(円)"),
        max_length=20,
        required=False,
        widget=NUM,
        help_text=_("期限後の納付のときだけ"),
    )
    years = forms.IntegerField(
        label=_("年数(年金)"), min_value=1, max_value=25, initial=1, required=False, widget=NUM
    )
    installment = forms.BooleanField(label=_("更新登録料を分割(前期分のみ)で納付"), required=False)
    new_expires_on = forms.DateField(label=_("新しい有効期限(ドメイン名)"), required=False, widget=DATE)
    memo = forms.CharField(label=_("摘要"), max_length=200, required=False)

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = {
            "trademark": ("second_half", "renewal"),
            "domain": ("domain",),
            "patent": ("annuity",),
            "design": ("annuity",),
            "utility_model": ("annuity",),
        }.get(kind)
        if allowed is not None:
            self.fields["what"].choices = [c for c in PAYMENT_CHOICES if c[0] in allowed]  # type: ignore[attr-defined]


class CostForm(forms.Form):
    kind = forms.ChoiceField(label=_("費用の種類"), choices=IpCostKind.choices)
    paid_on = forms.DateField(label=_("支払日"), widget=DATE)
    amount = forms.CharField(label=_("金額(円)"), max_length=20, widget=NUM)
    memo = forms.CharField(label=_("摘要"), max_length=200, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新しい状態"), choices=IpStatus.choices)
    reason = forms.CharField(label=_("理由"), max_length=300, required=False)
    registered_on = forms.DateField(label=_("設定登録日(登録にするとき)"), required=False, widget=DATE)
    registration_number = forms.CharField(label=_("登録番号(登録にするとき)"), max_length=40, required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["status"].choices = choices  # type: ignore[attr-defined]
