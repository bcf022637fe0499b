"""The purchasing records a work request may name (core.records): 仕入先 and 仕入先請求書. The card
leaves out the bank account: paying is not the outside team's work."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Company
from ennoshita.core.records import RecordCard, RecordKind, register_kind

SEARCH_LIMIT = 20


def _vendor(company: Company, object_id: str) -> RecordCard | None:
    from .models import Vendor

    v = Vendor.objects.for_company(company).filter(pk=int(object_id)).first() if object_id.isdigit() else None
    if v is None:
        return None
    return RecordCard(
        object_type="purchasing.vendor",
        object_id=str(v.pk),
        title=f"{v.code} {v.name}",
        fields=[
            (str(_("仕入先コード")), v.code),
            (str(_("仕入先名")), v.name),
            (str(_("フリガナ")), v.kana),
            (str(_("インボイス登録番号")), v.registration_number),
        ],
    )


def _search_vendors(company: Company, text: str) -> list[tuple[str, str]]:
    from .models import Vendor

    rows = Vendor.objects.for_company(company).filter(Q(code__icontains=text) | Q(name__icontains=text))
    return [
        (str(pk), f"{code} {name}")
        for pk, code, name in rows.values_list("pk", "code", "name")[:SEARCH_LIMIT]
    ]


def _bill(company: Company, object_id: str) -> RecordCard | None:
    from .models import VendorBill

    b = (
        VendorBill.objects.for_company(company).select_related("vendor").filter(pk=int(object_id)).first()
        if object_id.isdigit()
        else None
    )
    if b is None:
        return None
    return RecordCard(
        object_type="purchasing.vendorbill",
        object_id=str(b.pk),
        title=f"{b.number or _('(下書き)')} {b.vendor.name}",
        fields=[
            (str(_("受付番号")), b.number),
            (str(_("仕入先")), b.vendor.name),
            (str(_("先方の請求書番号")), b.vendor_reference),
            (str(_("請求日(取引日)")), date_format(b.bill_date)),
            (str(_("支払期日")), date_format(b.due_date)),
            (str(_("合計金額(税込)")), f"{b.total:,}円"),
            (str(_("状態")), str(b.get_status_display())),
        ],
        documents=[(b.document_id, b.document_name)] if b.document_id else [],
    )


def _search_bills(company: Company, text: str) -> list[tuple[str, str]]:
    from .models import VendorBill

    rows = (
        VendorBill.objects.for_company(company)
        .filter(
            Q(number__icontains=text) | Q(vendor__name__icontains=text) | Q(vendor_reference__icontains=text)
        )
        .order_by("-bill_date", "-pk")
    )
    return [
        (str(pk), f"{number or '-'} {name} {total:,}円")
        for pk, number, name, total in rows.values_list("pk", "number", "vendor__name", "total")[
            :SEARCH_LIMIT
        ]
    ]


def register() -> None:
    register_kind(
        RecordKind(
            "purchasing.vendor",
            _("仕入先"),
            _vendor,
            _search_vendors,
            lambda pk: reverse("purchasing:vendor_detail", args=[int(pk)]),
        )
    )
    register_kind(
        RecordKind(
            "purchasing.vendorbill",
            _("仕入先請求書"),
            _bill,
            _search_bills,
            lambda pk: reverse("purchasing:bill_detail", args=[int(pk)]),
        )
    )
