"""The demo company's 契約書: a 取引基本契約 (paper, 第7号 4,000円, auto-renewing, its notice deadline
within 60 days) with two 個別契約 and a 覚書, an electronic 業務委託 (no 印紙税) auto-renewing with a
notice deadline within 60 days, a paper 請負 (第2号), an NDA drafted by the demo ``employee`` and
others in review and in negotiation, an expired lease and a terminated licence — every status.
Everything through ``legal.services.contracts``; the files are small generated PDFs. Idempotent."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ennoshita.core.models import Company, Membership, Role
from ennoshita.documents.demo import pdf
from ennoshita.purchasing.selectors.vendors import active_vendors
from ennoshita.sales.selectors.documents import customer_choices

from .models import Contract, ContractStatus
from .services import contracts as services


def _member(company: Company, username: str, role: str) -> Membership | None:
    members = Membership.objects.for_company(company).filter(is_active=True).select_related("user", "company")
    for m in members:
        if m.user.username == username and m.has_any_role(role):
            return m
    return None


def _legal(company: Company) -> Membership:
    found = _member(company, "legal", Role.LEGAL)
    if found is not None:
        return found
    members = Membership.objects.for_company(company).filter(is_active=True).select_related("user", "company")
    return next(m for m in members if m.has_any_role(Role.LEGAL, Role.ADMIN))


def _w(m: Membership) -> dict[str, Any]:
    return {"company": m.company, "actor": m.user, "membership": m}


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _move(m: Membership, contract: Contract, *moves: str, **kw: Any) -> Contract:
    for to in moves:
        extra = {k: v for k, v in kw.items() if (to == ContractStatus.SIGNED and k == "signed_on")}
        if to == ContractStatus.TERMINATED:
            extra = {k: v for k, v in kw.items() if k in ("terminated_on", "reason")}
        contract = services.change_contract_status(**_w(m), contract=contract, to=to, **extra)
    return contract


def build_demo_contracts(company: Company) -> None:
    if Contract.objects.for_company(company).exists():
        return
    today = timezone.localdate()
    legal = _legal(company)
    w = _w(legal)
    customer = next(iter(customer_choices(company=company)), None)
    vendor = active_vendors(company=company).first()
    C = services.ContractInput

    def party(kind_obj: Any, kind: str, fallback: str) -> dict[str, Any]:
        if kind_obj is None:
            return {"counterparty_kind": "other", "counterparty_name": fallback}
        return {"counterparty_kind": kind, f"{kind}_id": kind_obj.pk, "counterparty_name": ""}

    # 取引基本契約: started a year and some months ago, 1-year terms, notice 3 months before the end
    # → the current end is ~4 months away, the notice deadline ~1 month away
    end = today + timedelta(days=120)
    start = _months_later(end, -12) + timedelta(days=1)
    basic = services.create_contract(
        **w,
        data=C(
            title="取引基本契約書",
            contract_type="basic",
            our_side="seller",
            starts_on=start,
            ends_on=end,
            auto_renew=True,
            renewal_months=12,
            notice_period=3,
            notice_unit="months",
            paper_original=True,
            stamp_document="7",
            **party(customer, "customer", "株式会社みなと商会"),
        ),
        status=ContractStatus.ACTIVE,
        signed_on=start - timedelta(days=10),
    )
    services.attach_contract_file(
        **w,
        contract=basic,
        file_name="取引基本契約書.pdf",
        data=pdf("取引基本契約書(案)", ["第1条 目的", "第2条 個別契約"]),
        kind="draft",
        comment="先方案",
    )
    services.attach_contract_file(
        **w,
        contract=basic,
        file_name="取引基本契約書.pdf",
        data=pdf("取引基本契約書", ["第1条 目的", "第2条 個別契約", "第15条 有効期間 1年、自動更新"]),
        kind="signed",
        comment="締結版(押印済み)",
    )
    for i, (title, amount) in enumerate(
        (("個別契約(4月分納品)", 800_000), ("個別契約(保守部品)", 240_000)), start=1
    ):
        services.create_contract(
            **w,
            data=C(
                title=title,
                contract_type="sale",
                our_side="seller",
                amount=amount,
                tax_amount=amount // 10,
                starts_on=start + timedelta(days=30 * i),
                ends_on=end,
                parent_id=basic.pk,
                relation="individual",
                **party(customer, "customer", "株式会社みなと商会"),
            ),
            status=ContractStatus.ACTIVE,
            signed_on=start + timedelta(days=30 * i - 5),
        )
    services.create_contract(
        **w,
        data=C(
            title="覚書(支払条件の変更)",
            contract_type="other",
            our_side="mutual",
            starts_on=today - timedelta(days=20),
            parent_id=basic.pk,
            relation="amendment",
            **party(customer, "customer", "株式会社みなと商会"),
        ),
        status=ContractStatus.SIGNED,
        signed_on=today - timedelta(days=25),
    )

    # 業務委託 (electronic: no 印紙税), notice 1 month before an end ~50 days away
    end2 = today + timedelta(days=50)
    services.create_contract(
        **w,
        data=C(
            title="経理業務委託契約(電子契約)",
            contract_type="outsourcing",
            our_side="buyer",
            amount=1_200_000,
            tax_amount=120_000,
            starts_on=_months_later(end2, -12) + timedelta(days=1),
            ends_on=end2,
            auto_renew=True,
            notice_period=1,
            notice_unit="months",
            paper_original=False,
            stamp_document="2",
            **party(vendor, "vendor", "さくら会計サービス株式会社"),
        ),
        status=ContractStatus.ACTIVE,
        signed_on=_months_later(end2, -12) - timedelta(days=7),
    )
    # 請負 on paper: 第2号, 2,500,000円 (税抜) → 1,000円
    work = services.create_contract(
        **w,
        data=C(
            title="社内システム開発 請負契約書",
            contract_type="work",
            our_side="buyer",
            amount=2_500_000,
            tax_amount=250_000,
            starts_on=today + timedelta(days=14),
            ends_on=today + timedelta(days=14 + 180),
            paper_original=True,
            stamp_document="2",
            counterparty_name="株式会社ひかりソフト",
        ),
    )
    _move(
        legal,
        work,
        ContractStatus.IN_REVIEW,
        ContractStatus.NEGOTIATING,
        ContractStatus.SIGNED,
        signed_on=today,
    )

    # drafts in every early state; the NDA is the demo employee's
    employee = _member(company, "employee", Role.EMPLOYEE)
    drafter = employee or legal
    nda = services.create_contract(
        **_w(drafter),
        data=C(
            title="秘密保持契約書(新規取引先)",
            contract_type="nda",
            our_side="mutual",
            starts_on=today + timedelta(days=7),
            ends_on=_months_later(today + timedelta(days=7), 24) - timedelta(days=1),
            counterparty_name="株式会社あおば技研",
        ),
    )
    review = services.create_contract(
        **_w(drafter),
        data=C(
            title="業務委託契約書(展示会運営)",
            contract_type="outsourcing",
            amount=600_000,
            counterparty_name="イベント企画株式会社",
        ),
    )
    _move(drafter, review, ContractStatus.IN_REVIEW)
    negotiating = services.create_contract(
        **w,
        data=C(
            title="ソフトウェア使用許諾契約書",
            contract_type="license",
            our_side="buyer",
            amount=360_000,
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=30 + 364),
            counterparty_name="クラウドワークス・ジャパン株式会社",
        ),
    )
    _move(legal, negotiating, ContractStatus.IN_REVIEW, ContractStatus.NEGOTIATING)
    assert nda.status == ContractStatus.DRAFT

    # an expired lease (the daily job turns it 期間満了) and a terminated licence
    services.create_contract(
        **w,
        data=C(
            title="倉庫賃貸借契約書",
            contract_type="lease",
            our_side="buyer",
            amount=1_800_000,
            starts_on=today - timedelta(days=400),
            ends_on=today - timedelta(days=36),
            counterparty_name="港北倉庫株式会社",
        ),
        status=ContractStatus.ACTIVE,
        signed_on=today - timedelta(days=410),
    )
    services.roll_contracts(company=company, today=today)
    licence = services.create_contract(
        **w,
        data=C(
            title="フォント使用許諾契約",
            contract_type="license",
            amount=50_000,
            starts_on=today - timedelta(days=200),
            ends_on=today + timedelta(days=165),
            counterparty_name="タイプデザイン株式会社",
        ),
        status=ContractStatus.ACTIVE,
        signed_on=today - timedelta(days=205),
    )
    _move(
        legal, licence, ContractStatus.TERMINATED, terminated_on=today - timedelta(days=3), reason="利用終了"
    )
