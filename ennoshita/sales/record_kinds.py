"""The sales records a work request may name (core.records): 得意先 and 請求書. The card holds what
data entry and filing need — no credit limit, no notes."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Company
from ennoshita.core.records import RecordCard, RecordKind, register_kind

SEARCH_LIMIT = 20


def _customer(company: Company, object_id: str) -> RecordCard | None:
    from .models import Customer

    c = (
        Customer.objects.for_company(company).filter(pk=int(object_id)).first()
        if object_id.isdigit()
        else None
    )
    if c is None:
        return None
    address = f"{c.postal_code} {c.address} {c.address2}".strip()
    return RecordCard(
        object_type="sales.customer",
        object_id=str(c.pk),
        title=f"{c.code} {c.name}",
        fields=[
            (str(_("得意先コード")), c.code),
            (str(_("名称")), c.name),
            (str(_("フリガナ")), c.name_kana),
            (str(_("住所")), address),
            (str(_("電話番号")), c.phone),
            (str(_("インボイス登録番号")), c.registration_number),
        ],
    )


def _search_customers(company: Company, text: str) -> list[tuple[str, str]]:
    from .models import Customer

    rows = Customer.objects.for_company(company).filter(Q(code__icontains=text) | Q(name__icontains=text))
    return [
        (str(pk), f"{code} {name}")
        for pk, code, name in rows.values_list("pk", "code", "name")[:SEARCH_LIMIT]
    ]


def _invoice(company: Company, object_id: str) -> RecordCard | None:
    from .models import Invoice

    inv = (
        Invoice.objects.for_company(company).select_related("customer").filter(pk=int(object_id)).first()
        if object_id.isdigit()
        else None
    )
    if inv is None:
        return None
    return RecordCard(
        object_type="sales.invoice",
        object_id=str(inv.pk),
        title=f"{inv.number or _('(下書き)')} {inv.customer.name}",
        fields=[
            (str(_("請求書番号")), inv.number),
            (str(_("得意先")), inv.customer.name),
            (str(_("件名")), inv.subject),
            (str(_("請求日")), date_format(inv.date)),
            (str(_("支払期日")), date_format(inv.due_date) if inv.due_date else ""),
            (str(_("合計金額")), f"{inv.total:,}円"),
            (str(_("状態")), str(inv.get_status_display())),
        ],
    )


def _search_invoices(company: Company, text: str) -> list[tuple[str, str]]:
    from .models import Invoice

    rows = (
        Invoice.objects.for_company(company)
        .filter(Q(number__icontains=text) | Q(customer__name__icontains=text))
        .order_by("-date", "-pk")
    )
    return [
        (str(pk), f"{number or '-'} {name} {total:,}円")
        for pk, number, name, total in rows.values_list("pk", "number", "customer__name", "total")[
            :SEARCH_LIMIT
        ]
    ]


def register() -> None:
    register_kind(
        RecordKind(
            "sales.customer",
            _("得意先"),
            _customer,
            _search_customers,
            lambda pk: reverse("sales:customer_detail", args=[int(pk)]),
        )
    )
    register_kind(
        RecordKind(
            "sales.invoice",
            _("請求書"),
            _invoice,
            _search_invoices,
            lambda pk: reverse("sales:invoice_detail", args=[int(pk)]),
        )
    )
