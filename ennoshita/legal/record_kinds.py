"""The 法務 records a work request may name (core.records): a contract, with its file, for an outside
team that files or enters contracts. Consultations and disputes are never named: they are
confidential to 法務 and the people on them."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import Company
from ennoshita.core.records import RecordCard, RecordKind, register_kind

SEARCH_LIMIT = 20


def _contract(company: Company, object_id: str) -> RecordCard | None:
    from .models import Contract

    c = (
        Contract.objects.for_company(company).filter(pk=int(object_id)).first()
        if object_id.isdigit()
        else None
    )
    if c is None:
        return None
    document = c.document
    return RecordCard(
        object_type="legal.contract",
        object_id=str(c.pk),
        title=f"{c.number} {c.title}",
        fields=[
            (str(_("契約番号")), c.number),
            (str(_("契約名")), c.title),
            (str(_("相手方")), c.counterparty_name),
            (str(_("契約の種類")), str(c.get_contract_type_display())),
            (str(_("契約開始日")), date_format(c.starts_on) if c.starts_on else ""),
            (str(_("契約終了日")), date_format(c.ends_on) if c.ends_on else ""),
            (str(_("状態")), str(c.get_status_display())),
        ],
        documents=[(document.pk, document.name)] if document is not None else [],
    )


def _search_contracts(company: Company, text: str) -> list[tuple[str, str]]:
    from .models import Contract

    rows = Contract.objects.for_company(company).filter(
        Q(number__icontains=text) | Q(title__icontains=text) | Q(counterparty_name__icontains=text)
    )
    return [
        (str(pk), f"{number} {title}")
        for pk, number, title in rows.order_by("-pk").values_list("pk", "number", "title")[:SEARCH_LIMIT]
    ]


def register() -> None:
    register_kind(
        RecordKind(
            "legal.contract",
            _("契約"),
            _contract,
            _search_contracts,
            lambda pk: reverse("legal:contract_detail", args=[int(pk)]),
        )
    )
