"""契約書's writes: registering a contract and changing its facts. Every check runs before anything is
written; a refusal raises ``ServiceError`` with the message on the field that is wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.numbering import format_number, next_number_for_date
from ennoshita.legal import permissions
from ennoshita.legal.models import (
    Contract,
    ContractRelation,
    ContractStatus,
    ContractType,
    CounterpartyKind,
    NoticeUnit,
    OurSide,
    StampDocument,
)
from ennoshita.legal.rules.terms import notice_deadline
from ennoshita.people import selectors as people_selectors
from ennoshita.purchasing.selectors.vendors import active_vendors
from ennoshita.sales.selectors.documents import get_customer

from .base import (
    CONTRACT_FIELDS,
    INITIAL_STATUSES,
    NUMBER_TYPE,
    ContractInput,
    deadline_of,
    fail,
    locked,
    stamp_duty_of,
)

MAX_YEN = Decimal("999999999999999")


def _yen(value: Any, name: str, errors: dict[str, list[str]], *, allow_none: bool) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        value = 0
    try:
        amount = Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        errors[name] = [_("金額は数字で入力してください。")]
        return None
    if amount != amount.to_integral_value():
        errors[name] = [_("金額は円単位(整数)で入力してください。")]
    elif amount < 0:
        errors[name] = [_("金額にマイナスは入力できません。")]
    elif amount > MAX_YEN:
        errors[name] = [_("金額が大きすぎます。")]
    return amount


def _counterparty(company: Company, data: ContractInput, errors: dict[str, list[str]]) -> dict[str, Any]:
    name = (data.counterparty_name or "").strip()
    out: dict[str, Any] = {"counterparty_kind": data.counterparty_kind, "customer": None, "vendor": None}
    if data.counterparty_kind == CounterpartyKind.CUSTOMER:
        try:
            out["customer"] = get_customer(company=company, customer_id=data.customer_id)
        except NotFound:
            errors["customer"] = [_("この会社の得意先を選んでください。")]
        else:
            name = name or out["customer"].name
    elif data.counterparty_kind == CounterpartyKind.VENDOR:
        vendor = active_vendors(company=company).filter(pk=data.vendor_id or 0).first()
        if vendor is None:
            errors["vendor"] = [_("この会社の取引中の仕入先を選んでください。")]
        else:
            out["vendor"] = vendor
            name = name or vendor.name
    elif data.counterparty_kind != CounterpartyKind.OTHER:
        errors["counterparty_kind"] = [_("相手方の区分を選んでください。")]
    if not name and "customer" not in errors and "vendor" not in errors:
        errors["counterparty_name"] = [_("相手方の名前を入力してください。")]
    elif len(name) > 200:
        errors["counterparty_name"] = [_("相手方は200文字以内で入力してください。")]
    out["counterparty_name"] = name
    return out


def _term(data: ContractInput, errors: dict[str, list[str]]) -> None:
    starts, ends = data.starts_on, data.ends_on
    if starts and ends and ends < starts:
        errors["ends_on"] = [_("契約終了日が契約開始日より前です。")]
    if data.auto_renew and ends is None:
        errors["ends_on"] = [_("自動更新する契約には契約終了日を入力してください。")]
    if data.renewal_months is not None and not 1 <= data.renewal_months <= 120:
        errors["renewal_months"] = [_("更新後の期間は1〜120か月で入力してください。")]
    if data.notice_unit not in NoticeUnit.values:
        errors["notice_unit"] = [_("通知期限の単位を選んでください。")]
        return
    period = data.notice_period
    if period is None:
        return
    if not 0 <= period <= (120 if data.notice_unit == NoticeUnit.MONTHS else 3650):
        errors["notice_period"] = [_("通知期限は0〜120か月(日なら0〜3650日)で入力してください。")]
        return
    if ends and "ends_on" not in errors:
        deadline = notice_deadline(end_on=ends, period=period, unit=data.notice_unit)
        if starts and deadline < starts:
            errors["notice_period"] = [
                _(
                    "通知期限(%(d)s)が契約開始日(%(s)s)より前になります。通知期間が契約期間より長くないか確かめてください。"
                )
                % {"d": deadline.isoformat(), "s": starts.isoformat()}
            ]


def _relation(
    company: Company, data: ContractInput, contract: Contract | None, errors: dict[str, list[str]]
) -> dict[str, Any]:
    parent = None
    if data.parent_id:
        parent = Contract.objects.for_company(company).filter(pk=data.parent_id).first()
        if parent is None:
            errors["parent"] = [_("この会社の契約を親契約に選んでください。")]
        elif contract is not None:
            node: Contract | None = parent
            for _step in range(50):  # a parent below this contract would make a loop
                if node is None:
                    break
                if node.pk == contract.pk:
                    errors["parent"] = [_("この契約自身(またはその下の契約)は親契約にできません。")]
                    break
                node = node.parent
    relation = data.relation or ""
    if relation and relation not in ContractRelation.values:
        errors["relation"] = [_("親契約との関係を選んでください。")]
    elif parent is None and relation and "parent" not in errors:
        errors["relation"] = [_("親契約との関係を入れるときは親契約を選んでください。")]
    elif data.parent_id and not relation:
        errors["relation"] = [_("親契約との関係(個別契約・覚書など)を選んでください。")]
    return {"parent": parent, "relation": relation if parent is not None else ""}


def _people(
    company: Company,
    membership: Membership,
    data: ContractInput,
    contract: Contract | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    department = None
    manager = permissions.manages_contracts(membership)
    own_departments = (
        []
        if manager
        else people_selectors.department_ids_of_user(company=company, user_id=membership.user_id)
    )
    department_id = data.owner_department_id
    if department_id is None and contract is None and own_departments:
        department_id = own_departments[0]
    if department_id:
        department = (
            people_selectors.departments(company=company, include_inactive=True)
            .filter(pk=department_id)
            .first()
        )
        if department is None:
            errors["owner_department"] = [_("この会社の部署を選んでください。")]
        elif (
            not manager
            and department.pk not in own_departments
            and (contract is None or department.pk != contract.owner_department_id)
        ):
            errors["owner_department"] = [_("担当部署には自分の所属部署を選んでください。")]
    owner_id = data.owner_id or (contract.owner_id if contract is not None else membership.user_id)
    owner = None
    if owner_id:
        found = (
            Membership.objects.for_company(company).filter(user_id=owner_id).select_related("user").first()
        )
        if found is None:
            errors["owner"] = [_("この会社のメンバーを担当者に選んでください。")]
        else:
            owner = found.user
    return {"owner_department": department, "owner": owner}


def clean_contract(
    company: Company, membership: Membership, data: ContractInput, contract: Contract | None
) -> dict[str, Any]:
    """Every check of a contract's facts; the values to write, or ``ServiceError`` with all errors."""
    errors: dict[str, list[str]] = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = [_("契約名を入力してください。")]
    elif len(title) > 200:
        errors["title"] = [_("契約名は200文字以内で入力してください。")]
    for name, value, choices, message in (
        ("contract_type", data.contract_type, ContractType.values, _("契約の種類を選んでください。")),
        ("our_side", data.our_side, OurSide.values, _("当社の立場を選んでください。")),
        (
            "stamp_document",
            data.stamp_document,
            StampDocument.values,
            _("印紙税の文書区分を選んでください。"),
        ),
    ):
        if value not in choices:
            errors[name] = [message]
    values: dict[str, Any] = {"title": title, **_counterparty(company, data, errors)}
    amount = _yen(data.amount, "amount", errors, allow_none=True)
    tax = _yen(data.tax_amount, "tax_amount", errors, allow_none=False) or Decimal(0)
    if "amount" not in errors and "tax_amount" not in errors and tax > 0:
        if amount is None:
            errors["tax_amount"] = [_("契約金額の記載がない契約には消費税額を入力できません。")]
        elif tax > amount:
            errors["tax_amount"] = [_("消費税額が契約金額を超えています。")]
    _term(data, errors)
    values.update(_relation(company, data, contract, errors))
    values.update(_people(company, membership, data, contract, errors))
    note = (data.note or "").strip()
    if len(note) > 5000:
        errors["note"] = [_("メモは5000文字以内で入力してください。")]
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    values.update(
        contract_type=data.contract_type,
        our_side=data.our_side,
        amount=amount,
        tax_amount=tax,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        auto_renew=bool(data.auto_renew),
        renewal_months=data.renewal_months,
        notice_period=data.notice_period,
        notice_unit=data.notice_unit,
        paper_original=bool(data.paper_original),
        stamp_document=data.stamp_document,
        note=note,
    )
    return values


def _number(company: Company) -> str:
    fiscal_year, n = next_number_for_date(company=company, doc_type=NUMBER_TYPE, day=timezone.localdate())
    return format_number("C", fiscal_year, n, width=4)


@transaction.atomic
def create_contract(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    data: ContractInput,
    status: str = ContractStatus.DRAFT,
    signed_on: date | None = None,
) -> Contract:
    """A new contract, 起案中 — or, for 法務 registering one already made, 締結済み or 有効 with its
    締結日. Its number is the next 「C-<年度>-0001」."""
    if not permissions.can_register(membership):
        raise PermissionDeniedError()
    if status not in INITIAL_STATUSES:
        raise fail("status", _("登録できる状態は起案中・締結済み・有効のいずれかです。"))
    if status != ContractStatus.DRAFT:
        if not permissions.manages_contracts(membership):
            raise PermissionDeniedError(_("締結済みの契約の登録は法務が行います。"))
        if signed_on is None:
            raise fail("signed_on", _("締結済みの契約には締結日を入力してください。"))
    values = clean_contract(company, membership, data, None)
    contract = Contract(
        company=company,
        number=_number(company),
        status=status,
        signed_on=signed_on if status != ContractStatus.DRAFT else None,
        created_by=actor,
        **values,
    )
    contract.current_end_on = contract.ends_on
    contract.notice_deadline_on = deadline_of(contract)
    contract.stamp_duty = stamp_duty_of(contract)
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:  # a database check the form did not foresee
        raise ServiceError(
            _("契約を登録できませんでした。入力内容を確かめてください。"), code="validation"
        ) from exc
    record_event(
        company=company,
        actor=actor,
        action="create",
        instance=contract,
        after=snapshot(contract, CONTRACT_FIELDS),
    )
    return contract


@transaction.atomic
def update_contract(
    *, company: Company, actor: User, membership: Membership, contract: Contract, data: ContractInput
) -> Contract:
    """Change the contract's facts; the 印紙税 is computed again. The current end follows the end date
    until the contract has been renewed automatically."""
    contract = locked(company, contract)
    if not permissions.can_see(membership, contract):
        raise NotFound()
    if not permissions.can_change(membership, contract):
        raise PermissionDeniedError(
            _("この契約を変更できるのは法務です(起案中・交渉中の契約は担当者も変更できます)。")
        )
    values = clean_contract(company, membership, data, contract)
    before = snapshot(contract, CONTRACT_FIELDS)
    renewed = contract.current_end_on != contract.ends_on
    for name, value in values.items():
        setattr(contract, name, value)
    if not renewed or contract.ends_on is None:
        contract.current_end_on = contract.ends_on
    contract.notice_deadline_on = deadline_of(contract)
    contract.stamp_duty = stamp_duty_of(contract)
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:
        raise ServiceError(
            _("契約を保存できませんでした。入力内容を確かめてください。"), code="validation"
        ) from exc
    after = snapshot(contract, CONTRACT_FIELDS)
    if after != before:
        record_event(
            company=company, actor=actor, action="update", instance=contract, before=before, after=after
        )
    return contract
