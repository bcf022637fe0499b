"""Forms of the 契約書 screens: they parse; ``services.contracts`` checks and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ennoshita.core.errors import ServiceError
from ennoshita.core.member_picker import MemberField, bind_member_fields
from ennoshita.core.models import Company
from ennoshita.core.text import nfkc
from ennoshita.people import selectors as people_selectors
from ennoshita.purchasing.selectors.vendors import active_vendors
from ennoshita.sales.selectors.documents import customer_choices

from .models import (
    Contract,
    ContractRelation,
    ContractStatus,
    ContractType,
    CounterpartyKind,
    NoticeUnit,
    OurSide,
    StampDocument,
)
from .selectors.contracts import UPCOMING_DAYS
from .services.contracts import FILE_KINDS, ContractInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = [("", _("すべて"))]
YEN = forms.TextInput(attrs={"inputmode": "numeric", "class": "num"})
ALIASES = {"customer_id": "customer", "vendor_id": "vendor", "parent_id": "parent", "owner_id": "owner"}


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


def _departments(company: Company) -> list[tuple[str, Any]]:
    return [("", _("(指定なし)")), *people_selectors.department_choices(company=company)]


class ContractFilterForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"), required=False, max_length=100, help_text=_("契約番号・契約名・相手方")
    )
    status = forms.ChoiceField(label=_("状態"), required=False, choices=[*ALL, *ContractStatus.choices])
    contract_type = forms.ChoiceField(
        label=_("契約の種類"), required=False, choices=[*ALL, *ContractType.choices]
    )
    department = forms.ChoiceField(label=_("担当部署"), required=False)
    owner = MemberField(label=_("担当者"), required=False, empty_label=_("すべて"))
    auto_renew = forms.ChoiceField(
        label=_("自動更新"),
        required=False,
        choices=[*ALL, ("1", _("自動更新あり")), ("0", _("自動更新なし"))],
    )
    ends_from = forms.DateField(label=_("満了日(から)"), required=False, widget=DATE)
    ends_to = forms.DateField(label=_("満了日(まで)"), required=False, widget=DATE)

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = [("", _("すべて")), *people_selectors.department_choices(company=company)]
        self.fields["department"].choices = departments  # type: ignore[attr-defined]
        bind_member_fields(self, company)

    def filters(self) -> dict[str, Any]:
        if not (self.is_bound and self.is_valid()):
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "status": d.get("status") or "",
            "contract_type": d.get("contract_type") or "",
            "department_id": int(d["department"]) if d.get("department") else None,
            "owner_id": int(d["owner"]) if d.get("owner") else None,
            "auto_renew": {"1": True, "0": False}.get(d.get("auto_renew") or ""),
            "ends_from": d.get("ends_from"),
            "ends_to": d.get("ends_to"),
        }


STAMP_HELP = _(
    "書面の原本を作って相手方に渡すときだけ印紙税がかかります(電子契約は不要)。"
    "第1号(不動産・無体財産権の譲渡、消費貸借、運送)と第2号(請負)は契約金額で税額が決まり、"
    "第7号(継続的取引の基本となる契約書)は一律4,000円です。"
)


class ContractForm(forms.Form):
    title = forms.CharField(label=_("契約名"), max_length=200)
    contract_type = forms.ChoiceField(label=_("契約の種類"), choices=ContractType.choices)
    our_side = forms.ChoiceField(label=_("当社の立場"), choices=OurSide.choices, initial=OurSide.BUYER)
    counterparty_kind = forms.ChoiceField(
        label=_("相手方の区分"),
        choices=CounterpartyKind.choices,
        initial=CounterpartyKind.OTHER,
        help_text=_("得意先・仕入先なら一覧から選びます。その他は名前を入力します。"),
    )
    customer = forms.ChoiceField(label=_("得意先"), required=False)
    vendor = forms.ChoiceField(label=_("仕入先"), required=False)
    counterparty_name = forms.CharField(
        label=_("相手方の名前"),
        max_length=200,
        required=False,
        help_text=_("契約書に書かれた名前。得意先・仕入先を選んだときは空欄ならその名前になります。"),
    )
    amount = forms.DecimalField(
        label=_("契約金額(税抜・円)"),
        required=False,
        max_digits=15,
        decimal_places=0,
        widget=YEN,
        help_text=_("金額の記載がない契約は空欄"),
    )
    tax_amount = forms.DecimalField(
        label=_("消費税額等(円)"),
        required=False,
        max_digits=15,
        decimal_places=0,
        widget=YEN,
        help_text=_("契約書に消費税額が別に書かれていれば入力します(印紙税は税抜の金額で決まります)。"),
    )
    starts_on = forms.DateField(label=_("契約開始日"), required=False, widget=DATE)
    ends_on = forms.DateField(
        label=_("契約終了日"), required=False, widget=DATE, help_text=_("期間の定めがなければ空欄")
    )
    auto_renew = forms.BooleanField(label=_("自動更新する"), required=False)
    renewal_months = forms.IntegerField(
        label=_("更新後の期間(か月)"),
        required=False,
        help_text=_("空欄なら最初の契約期間と同じ(わからなければ1年)"),
    )
    notice_period = forms.IntegerField(
        label=_("更新しない・解約するときの通知期限"),
        required=False,
        help_text=_("満了日の何か月(何日)前までに通知するか"),
    )
    notice_unit = forms.ChoiceField(
        label=_("通知期限の単位"), choices=NoticeUnit.choices, initial=NoticeUnit.MONTHS
    )
    paper_original = forms.BooleanField(
        label=_("書面の原本を作成する(紙の契約書)"),
        required=False,
        help_text=_("電子契約ならチェックしません。"),
    )
    stamp_document = forms.ChoiceField(
        label=_("印紙税の文書区分(号)"),
        choices=StampDocument.choices,
        initial=StampDocument.NONE,
        help_text=STAMP_HELP,
    )
    owner_department = forms.ChoiceField(label=_("担当部署"), required=False)
    owner = MemberField(label=_("担当者"), required=False, empty_label=_("(自分)"))
    parent = forms.CharField(
        label=_("親契約の契約番号"),
        required=False,
        max_length=30,
        help_text=_("個別契約・覚書なら、元の基本契約の契約番号(例: C-2026-0001)を入力します。"),
    )
    relation = forms.ChoiceField(
        label=_("親契約との関係"), required=False, choices=[("", _("(なし)")), *ContractRelation.choices]
    )
    note = forms.CharField(label=_("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        company: Company,
        parents: QuerySet[Contract],
        contract: Contract | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.parents = parents
        # 「個別契約を登録」 from a contract's page passes the parent's id: show its number
        wanted = str(self.initial.get("parent") or "")
        if wanted.isdigit():
            parent = parents.filter(pk=int(wanted)).only("number").first()
            self.initial["parent"] = parent.number if parent else ""
        include = [contract.customer_id] if contract is not None and contract.customer_id else []
        self.fields["customer"].choices = [  # type: ignore[attr-defined]
            ("", _("(選んでください)")),
            *((str(c.pk), f"{c.code} {c.name}") for c in customer_choices(company=company, include=include)),
        ]
        self.fields["vendor"].choices = [  # type: ignore[attr-defined]
            ("", _("(選んでください)")),
            *((str(v.pk), f"{v.code} {v.name}") for v in active_vendors(company=company)),
        ]
        self.fields["owner_department"].choices = _departments(company)  # type: ignore[attr-defined]
        bind_member_fields(self, company)

    def clean_parent(self) -> int | None:
        number = nfkc(self.cleaned_data.get("parent") or "").strip().upper()
        if not number:
            return None
        parent = self.parents.filter(number=number).only("pk").first()
        if parent is None:
            raise forms.ValidationError(
                _("契約番号「%(n)s」の契約が見つかりません(解約・終了した契約は親にできません)。"),
                params={"n": number},
            )
        return parent.pk

    @staticmethod
    def initial_of(contract: Contract) -> dict[str, Any]:
        return {
            "title": contract.title,
            "contract_type": contract.contract_type,
            "our_side": contract.our_side,
            "counterparty_kind": contract.counterparty_kind,
            "customer": str(contract.customer_id or ""),
            "vendor": str(contract.vendor_id or ""),
            "counterparty_name": contract.counterparty_name,
            "amount": contract.amount,
            "tax_amount": contract.tax_amount,
            "starts_on": contract.starts_on,
            "ends_on": contract.ends_on,
            "auto_renew": contract.auto_renew,
            "renewal_months": contract.renewal_months,
            "notice_period": contract.notice_period,
            "notice_unit": contract.notice_unit,
            "paper_original": contract.paper_original,
            "stamp_document": contract.stamp_document,
            "owner_department": str(contract.owner_department_id or ""),
            "owner": contract.owner_id,
            "parent": contract.parent_id or "",
            "relation": contract.relation,
            "note": contract.note,
        }

    def to_input(self) -> ContractInput:
        d = self.cleaned_data

        def as_id(name: str) -> int | None:
            return int(d[name]) if d.get(name) else None

        return ContractInput(
            title=d["title"],
            contract_type=d["contract_type"],
            our_side=d["our_side"],
            counterparty_kind=d["counterparty_kind"],
            customer_id=as_id("customer"),
            vendor_id=as_id("vendor"),
            counterparty_name=d.get("counterparty_name") or "",
            amount=d.get("amount"),
            tax_amount=d.get("tax_amount") or 0,
            starts_on=d.get("starts_on"),
            ends_on=d.get("ends_on"),
            auto_renew=bool(d.get("auto_renew")),
            renewal_months=d.get("renewal_months"),
            notice_period=d.get("notice_period"),
            notice_unit=d["notice_unit"],
            paper_original=bool(d.get("paper_original")),
            stamp_document=d["stamp_document"],
            owner_department_id=as_id("owner_department"),
            owner_id=as_id("owner"),
            parent_id=d.get("parent"),
            relation=d.get("relation") or "",
            note=d.get("note") or "",
        )


class NewContractForm(ContractForm):
    """Registering: 法務 may register a contract already signed (with its 締結日)."""

    status = forms.ChoiceField(
        label=_("登録時の状態"),
        choices=[
            (s, ContractStatus(s).label)
            for s in (ContractStatus.DRAFT, ContractStatus.SIGNED, ContractStatus.ACTIVE)
        ],
        initial=ContractStatus.DRAFT,
        help_text=_("締結済みの契約を台帳に載せるときは「締結済み」か「有効」と締結日を入れます。"),
    )
    signed_on = forms.DateField(label=_("締結日"), required=False, widget=DATE)

    def __init__(self, *args: Any, manager: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not manager:
            del self.fields["status"]
            del self.fields["signed_on"]


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("変更後の状態"), choices=ContractStatus.choices)
    signed_on = forms.DateField(label=_("締結日"), required=False, widget=DATE)
    terminated_on = forms.DateField(label=_("解約日"), required=False, widget=DATE)
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル"), help_text=_("案(.docx など)のあとに締結版(.pdf)を登録できます。")
    )
    kind = forms.ChoiceField(
        label=_("種類"), choices=[(k, v) for k, v in FILE_KINDS.items()], initial="draft"
    )
    comment = forms.CharField(label=_("コメント"), required=False, max_length=400)


class UpcomingForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("期間"),
        required=False,
        coerce=int,
        choices=[(d, format_lazy(_("{d}日以内"), d=d)) for d in UPCOMING_DAYS],
        initial=90,
    )
