"""Reads of 得意先: the searchable list (screen, export, API page), one customer with its contacts,
similar names, the payment terms in words with an example due date, and the 変更履歴.

Every read is scoped by ``Customer.objects.for_company(company)`` (another company's id is a
NotFound) and needs a role of ``permissions.READ_ROLES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ennoshita.core.errors import NotFound
from ennoshita.core.models import AuditEvent, Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc, to_katakana
from ennoshita.sales import rules
from ennoshita.sales.models import END_OF_MONTH, Contact, Customer, HolidayRule, SalesSettings
from ennoshita.sales.permissions import READ_ROLES
from ennoshita.sales.selectors.products import text_variants
from ennoshita.sales.services.customers import customer_name_key, kana_key, normalize_corporate_number

CUSTOMER_STATUSES = ("active", "inactive", "all")
CUSTOMER_SORTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "-code": ("-code",),
    "kana": ("name_kana", "code"),
    "-kana": ("-name_kana", "-code"),
    "name": ("name_key", "code"),
    "-name": ("-name_key", "-code"),
}


def _customers(company: Company, membership: Membership) -> QuerySet[Customer]:
    require_role(membership, *READ_ROLES)
    return Customer.objects.for_company(company)


def _word_filter(word: str) -> Q:
    """One search word against code, name (width-, case- and legal-form-insensitive), フリガナ
    (hiragana and half-width kana fold to katakana), 法人番号 and 登録番号."""
    folded = nfkc(word)
    condition = Q(code__icontains=folded)
    for variant in text_variants(folded):
        condition |= Q(name__icontains=variant)
    key = customer_name_key(folded)
    if key:
        condition |= Q(name_key__contains=key)
    kana = to_katakana(folded)
    if kana:
        condition |= Q(name_kana__contains=kana)
    bank_key = kana_key(folded)
    if len(bank_key) >= 2:
        # a name as the bank spells it (ｼﾖｳｼﾞ for ショウジ, ｶ) for 株式会社) finds the customer
        condition |= Q(kana_key__contains=bank_key)
    digits = normalize_corporate_number(folded)
    if digits.isdigit():
        condition |= Q(corporate_number__contains=digits) | Q(registration_number__contains=digits)
    number = rules.normalize_registration_number(folded)
    if number.startswith("T") and number[1:].isdigit():
        condition |= Q(registration_number__contains=number)
    return condition


def customer_list(
    *,
    company: Company,
    membership: Membership,
    q: str = "",
    status: str = "active",
    registration: str = "",
    sort: str = "code",
) -> QuerySet[Customer]:
    """The company's customers, filtered: ``q`` (every word must match), ``status`` active /
    inactive / all, ``registration`` one of ``Customer.Registration`` (blank: any)."""
    qs = _customers(company, membership)
    for word in nfkc(q).split():
        qs = qs.filter(_word_filter(word))
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    if registration in Customer.Registration.values:
        qs = qs.filter(registration_status=registration)
    return qs.annotate(contact_count=Count("contacts")).order_by(*CUSTOMER_SORTS.get(sort, ("code",)))


def customer_page(*, limit: int, offset: int, **filters: Any) -> tuple[int, list[Customer]]:
    """One page of :func:`customer_list` and the total count (for the API); contacts prefetched."""
    qs = customer_list(**filters)
    total = qs.count()
    rows = list(qs.prefetch_related("contacts")[offset : offset + limit])
    return total, rows


def get_customer(*, company: Company, membership: Membership, customer_id: int) -> Customer:
    customer = _customers(company, membership).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound()
    return customer


def customer_contacts(*, company: Company, customer: Customer) -> list[Contact]:
    return list(Contact.objects.for_company(company).filter(customer=customer).order_by("pk"))


def get_contact(*, company: Company, customer: Customer, contact_id: int) -> Contact:
    contact = Contact.objects.for_company(company).filter(customer=customer, pk=contact_id).first()
    if contact is None:
        raise NotFound()
    return contact


def similar_customers(
    *, company: Company, membership: Membership, name: str, exclude_id: int | None = None
) -> list[Customer]:
    """Customers whose name is the same once 株式会社/(株)/spaces/width are set aside."""
    if not name.strip():
        return []
    qs = _customers(company, membership).filter(name_key=customer_name_key(name))
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("code")[:10])


def customer_history(*, company: Company, customer: Customer) -> QuerySet[AuditEvent]:
    """The customer's events and its contacts' (added, removed), newest first."""
    return (
        AuditEvent.objects.filter(company=company)
        .filter(
            Q(object_type="sales.customer", object_id=str(customer.pk))
            | Q(object_type="sales.contact", changes__extra__customer_id=customer.pk)
        )
        .select_related("actor")
        .order_by("-seq")
    )


# ------------------------------------------------------------------------------ payment terms
@dataclass(frozen=True)
class TermsExample:
    """支払条件 in words, and when an invoice dated ``invoice_date`` would be due."""

    label: str
    invoice_date: date
    due: date
    holiday_rule: str
    holiday_rule_label: str


def company_holiday_rule(company: Company) -> str:
    setting = SalesSettings.objects.for_company(company).values_list("holiday_rule", flat=True).first()
    return setting or HolidayRule.NEXT


def payment_terms(
    *,
    company: Company,
    closing_day: int,
    months_after: int,
    pay_day: int,
    holiday_rule: str = "",
    invoice_date: date | None = None,
    default_holiday_rule: str | None = None,
) -> TermsExample | None:
    """The terms said in words (月末締め翌月末払い) and an example: an invoice dated today is due
    on … (moved off a bank holiday as the customer's rule, or the company's, says). None when the
    terms themselves are out of range (a form with errors)."""
    rule = holiday_rule or default_holiday_rule or company_holiday_rule(company)
    day = invoice_date or timezone.localdate()
    try:
        due = rules.due_date(
            invoice_date=day,
            closing_day=closing_day,
            months_after=months_after,
            pay_day=pay_day,
            holiday_rule=rule,
        )
    except (TypeError, ValueError):
        return None
    return TermsExample(
        label=rules.terms_label(closing_day=closing_day, months_after=months_after, pay_day=pay_day),
        invoice_date=day,
        due=due,
        holiday_rule=rule,
        holiday_rule_label=str(dict(HolidayRule.choices).get(rule, rule)),
    )


def customer_terms(
    *, company: Company, customer: Customer, invoice_date: date | None = None
) -> TermsExample | None:
    return payment_terms(
        company=company,
        closing_day=customer.closing_day,
        months_after=customer.payment_months_after,
        pay_day=customer.payment_day,
        holiday_rule=customer.holiday_rule,
        invoice_date=invoice_date,
    )


def day_label(day: int) -> str:
    return _("末日") if day in (END_OF_MONTH, 31) else _("%(d)d日") % {"d": day}


# ------------------------------------------------------------------------------ export
EXPORT_HEADER = (
    _l("得意先コード"),
    _l("名称"),
    _l("フリガナ"),
    _l("敬称"),
    _l("法人番号"),
    _l("インボイス登録番号"),
    _l("インボイス登録"),
    _l("登録日"),
    _l("郵便番号"),
    _l("住所"),
    _l("建物名など"),
    _l("電話番号"),
    _l("請求書送付先メール"),
    _l("締め日"),
    _l("支払月"),
    _l("支払日"),
    _l("支払条件"),
    _l("支払期日が休日のとき"),
    _l("与信限度額"),
    _l("担当者数"),
    _l("取引中"),
    _l("メモ"),
)


def customer_export_rows(customers: Iterable[Customer]) -> Iterator[list[Any]]:
    """Header, then one row per customer (dates as ``date``, amounts as Decimal: the writers
    format them). ``customers`` come from :func:`customer_list` (``contact_count`` annotated)."""
    registrations = dict(Customer.Registration.choices)
    holiday_rules = dict(HolidayRule.choices)
    yes, no = _("はい"), _("いいえ")
    yield [str(label) for label in EXPORT_HEADER]
    for c in customers:
        yield [
            c.code,
            c.name,
            c.name_kana,
            c.honorific,
            c.corporate_number,
            c.registration_number,
            str(registrations.get(c.registration_status, c.registration_status)),
            c.registration_date,
            c.postal_code,
            c.address,
            c.address2,
            c.phone,
            c.email,
            day_label(c.closing_day),
            c.payment_months_after,
            day_label(c.payment_day),
            rules.terms_label(
                closing_day=c.closing_day, months_after=c.payment_months_after, pay_day=c.payment_day
            ),
            str(holiday_rules[c.holiday_rule]) if c.holiday_rule else _("会社の設定"),
            c.credit_limit,
            getattr(c, "contact_count", 0),
            yes if c.is_active else no,
            c.notes,
        ]
