"""退職金 (severance pay, jp-rules §17): a draft that 人事・経理 create and edit, computed by
``rules.retirement`` each time it is saved (the figures and the steps are stored, so what was
confirmed never changes); 経理 confirms it, which is final. Everything is audited.

Confirming, in one transaction, all or nothing: the row locked and computed again (a draft whose
stored figures no longer match is refused: compute it again and look first), the journal entry
posted through ``ledger.services.post_entry`` dated the 支払日 —

- Dr 退職金 6140 = the payment (an officer's too: there is no separate account in the chart),
  on the leaver's department of the 退職日;
- Cr 預り金 2150 = 源泉所得税 (所得税法199条: paid by the 10th of the next month);
- Cr 預り金 2150 = 住民税 (市町村民税 + 道府県民税, 地方税法328条の5: to the municipality of
  1 January, by the 10th of the next month);
- Cr 未払金 2130 = the net paid to the leaver —

the 退職所得の源泉徴収票・特別徴収票 PDF filed in 文書 (folder 「退職所得の源泉徴収票」, read by
人事・経理・admin), and the row marked confirmed with its entry and document.

Decisions: the 支払日 may fall after the 退職日 (it usually does) but not before the first day of
service; the 勤続の起算日 defaults to the hire date and the 退職日 to the employee's 退職日; the
municipality defaults to the one on the employee's 住民税 notice of the payment year's 年度.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event, snapshot
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.documents import services as document_services
from ennoshita.ledger import services as ledger_services
from ennoshita.payroll import posting
from ennoshita.payroll.models import RunStatus, SeverancePay
from ennoshita.payroll.permissions import CONFIRM_ROLES, RUN_ROLES
from ennoshita.payroll.rules import retirement
from ennoshita.payroll.selectors import severance as selectors
from ennoshita.people.models import Employee

__all__ = [
    "FOLDER",
    "SOURCE_TYPE",
    "compute_severance",
    "confirm_severance",
    "create_severance",
    "discard_severance",
    "update_severance",
]

SOURCE_TYPE = "payroll.severance"  # settings.ENNOSHITA_ENTRY_SOURCES → "payroll:severance_detail"
FOLDER = "退職所得の源泉徴収票"
DOCUMENT_TYPE = ""  # not one of 電帳法's 書類の種類 (as the 給与振込データ)
SEVERANCE_ACCOUNT = "6140"  # 退職金
MAX_AMOUNT = 10_000_000_000  # 100億円: anything larger is a typing mistake
INPUT_FIELDS = (
    "employee",
    "paid_on",
    "amount",
    "service_from",
    "service_to",
    "officer_from",
    "disability",
    "declaration_submitted",
    "municipality_code",
    "municipality_name",
    "note",
)
FIGURE_FIELDS = (
    "service_years",
    "deduction",
    "taxable_income",
    "income_tax",
    "city_tax",
    "prefecture_tax",
    "net",
)
AUDIT_FIELDS = (*INPUT_FIELDS, *FIGURE_FIELDS, "status", "journal_entry_id", "document_id", "confirmed_at")


def _fail(message: str, field: str = "__all__", code: str = "invalid") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def _repr(row: SeverancePay) -> str:
    e = row.employee
    return f"退職金 {e.number} {e.family_name} {e.given_name} {row.paid_on:%Y-%m-%d}"


# ------------------------------------------------------------------------------ inputs
def _employee(company: Company, employee: Employee | int) -> Employee:
    employee_id = employee if isinstance(employee, int) else employee.pk
    if not isinstance(employee, int) and employee.company_id != company.pk:
        raise _fail(_("社員が見つかりません。"), "employee", "not_found")
    found = selectors.employee_of(company=company, employee_id=employee_id)
    if found is None:
        raise _fail(_("社員が見つかりません。"), "employee", "not_found")
    return found


def _values(
    company: Company,
    *,
    employee: Employee | int,
    paid_on: date,
    amount: int,
    service_from: date | None,
    service_to: date | None,
    officer_from: date | None,
    disability: bool,
    declaration: bool,
    municipality_code: str,
    municipality_name: str,
    note: str,
) -> dict[str, Any]:
    """The checked inputs, defaults filled in (ServiceError on the field that is wrong)."""
    person = _employee(company, employee)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise _fail(_("退職手当等の額は0円以上の整数で入力してください。"), "amount")
    if amount > MAX_AMOUNT:
        raise _fail(_("退職手当等の額が大きすぎます。"), "amount")
    start = service_from or person.hire_date
    end = service_to or person.retire_date
    if end is None:
        raise _fail(_("この社員には退職日が登録されていません。退職日を入力してください。"), "service_to")
    if end < start:
        raise _fail(_("退職日が勤続の起算日より前です。"), "service_to")
    if paid_on is None:
        raise _fail(_("支払日を入力してください。"), "paid_on")
    if paid_on < start:
        raise _fail(_("支払日が勤続の起算日より前です。"), "paid_on")
    if officer_from is not None and not start <= officer_from <= end:
        raise _fail(_("役員等に就任した日は勤続期間の中の日を入力してください。"), "officer_from")
    code, name = (municipality_code or "").strip(), (municipality_name or "").strip()
    if not code and not name:
        found = selectors.municipality_of(company=company, employee=person, paid_on=paid_on)
        if found is not None:
            code, name = found.code, found.name
    if code and not (code.isdigit() and len(code) == 6):
        raise _fail(_("市区町村コードは6桁の数字で入力してください。"), "municipality_code")
    if len(name) > 50:
        raise _fail(_("市区町村は50文字以内で入力してください。"), "municipality_name")
    note = (note or "").strip()
    if len(note) > 200:
        raise _fail(_("備考は200文字以内で入力してください。"), "note")
    return {
        "employee": person,
        "paid_on": paid_on,
        "amount": amount,
        "service_from": start,
        "service_to": end,
        "officer_from": officer_from,
        "disability": bool(disability),
        "declaration_submitted": bool(declaration),
        "municipality_code": code,
        "municipality_name": name,
        "note": note,
    }


def _figures(row: SeverancePay) -> tuple[retirement.Severance, list[dict[str, str]]]:
    args: dict[str, Any] = {
        "amount": int(row.amount),
        "service_from": row.service_from,
        "service_to": row.service_to,
        "officer_from": row.officer_from,
        "disability": row.disability,
        "declaration": row.declaration_submitted,
    }
    try:
        result = retirement.severance(**args)
        steps = retirement.severance_steps(**args)
    except ValueError as exc:  # the checks above leave nothing the rules refuse; kept for safety
        field, _sep, message = str(exc).partition(": ")
        raise _fail(message or str(exc), field if message else "__all__") from None
    return result, [asdict(s) for s in steps]


def _apply(row: SeverancePay) -> None:
    result, steps = _figures(row)
    row.service_years = result.service_years
    row.deduction = result.deduction
    row.taxable_income = result.taxable_income
    row.income_tax = result.income_tax
    row.city_tax = result.city_tax
    row.prefecture_tax = result.prefecture_tax
    row.net = result.net
    row.steps = steps


def _locked(company: Company, row: SeverancePay) -> SeverancePay:
    found = (
        SeverancePay.objects.for_company(company)
        .select_for_update()
        .select_related("employee")
        .filter(pk=row.pk)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _draft(company: Company, row: SeverancePay) -> SeverancePay:
    found = _locked(company, row)
    if found.status == RunStatus.CONFIRMED:
        raise _fail(_("この退職金は確定済みです。確定した退職金は変更できません。"), code="bad_state")
    if found.status != RunStatus.DRAFT:
        raise _fail(
            _("「%(status)s」の退職金は変更できません。") % {"status": found.get_status_display()},
            code="bad_state",
        )
    return found


# ------------------------------------------------------------------------------ drafts
@transaction.atomic
def create_severance(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    employee: Employee | int,
    paid_on: date,
    amount: int,
    service_from: date | None = None,
    service_to: date | None = None,
    officer_from: date | None = None,
    disability: bool = False,
    declaration: bool = True,
    municipality_code: str = "",
    municipality_name: str = "",
    note: str = "",
) -> SeverancePay:
    """A new draft, computed at once."""
    require_role(membership, *RUN_ROLES)
    values = _values(
        company,
        employee=employee,
        paid_on=paid_on,
        amount=amount,
        service_from=service_from,
        service_to=service_to,
        officer_from=officer_from,
        disability=disability,
        declaration=declaration,
        municipality_code=municipality_code,
        municipality_name=municipality_name,
        note=note,
    )
    row = SeverancePay(company=company, created_by=actor, **values)
    _apply(row)
    row.full_clean(exclude=["created_by"])
    row.save()
    record_event(
        company=company, actor=actor, action="create", instance=row, object_repr=_repr(row),
        after=snapshot(row, AUDIT_FIELDS),
    )  # fmt: skip
    return row


@transaction.atomic
def update_severance(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    severance: SeverancePay,
    employee: Employee | int,
    paid_on: date,
    amount: int,
    service_from: date | None = None,
    service_to: date | None = None,
    officer_from: date | None = None,
    disability: bool = False,
    declaration: bool = True,
    municipality_code: str = "",
    municipality_name: str = "",
    note: str = "",
) -> SeverancePay:
    """Change a draft (a confirmed or discarded one is refused) and compute it again."""
    require_role(membership, *RUN_ROLES)
    row = _draft(company, severance)
    values = _values(
        company,
        employee=employee,
        paid_on=paid_on,
        amount=amount,
        service_from=service_from,
        service_to=service_to,
        officer_from=officer_from,
        disability=disability,
        declaration=declaration,
        municipality_code=municipality_code,
        municipality_name=municipality_name,
        note=note,
    )
    before = snapshot(row, AUDIT_FIELDS)
    for name, value in values.items():
        setattr(row, name, value)
    _apply(row)
    row.full_clean(exclude=["created_by"])
    row.save()
    record_event(
        company=company, actor=actor, action="update", instance=row, object_repr=_repr(row),
        before=before, after=snapshot(row, AUDIT_FIELDS),
    )  # fmt: skip
    return row


@transaction.atomic
def compute_severance(
    *, company: Company, actor: User, membership: Membership, severance: SeverancePay
) -> SeverancePay:
    """Compute a draft again with today's rules (its inputs unchanged)."""
    require_role(membership, *RUN_ROLES)
    row = _draft(company, severance)
    before = snapshot(row, AUDIT_FIELDS)
    _apply(row)
    row.save(update_fields=[*FIGURE_FIELDS, "steps"])
    record_event(
        company=company, actor=actor, action="compute", instance=row, object_repr=_repr(row),
        before=before, after=snapshot(row, AUDIT_FIELDS),
    )  # fmt: skip
    return row


@transaction.atomic
def discard_severance(
    *, company: Company, actor: User, membership: Membership, severance: SeverancePay, reason: str
) -> SeverancePay:
    """破棄 with a reason: the draft stays readable, nothing is posted."""
    require_role(membership, *RUN_ROLES)
    reason = (reason or "").strip()
    if not reason:
        raise _fail(_("破棄の理由を入力してください。"), "reason")
    if len(reason) > 500:
        raise _fail(_("理由は500文字以内で入力してください。"), "reason")
    row = _draft(company, severance)
    before = snapshot(row, AUDIT_FIELDS)
    row.status = RunStatus.DISCARDED
    row.save(update_fields=["status"])
    record_event(
        company=company, actor=actor, action="discard", instance=row, object_repr=_repr(row),
        before=before, after=snapshot(row, AUDIT_FIELDS), extra={"reason": reason},
    )  # fmt: skip
    return row


# ------------------------------------------------------------------------------ confirm
def postings(row: SeverancePay, department_id: int | None) -> list[posting.Posting]:
    """The entry's lines (zero amounts left out). Balanced: amount = 所得税 + 住民税 + net."""
    e = row.employee
    who = f"{e.number} {e.family_name} {e.given_name}"
    place = row.municipality_name or "市区町村未設定"
    lines = [
        posting.Posting(SEVERANCE_ACCOUNT, "debit", int(row.amount), department_id, f"退職金 {who}"),
        posting.Posting(
            posting.WITHHELD_ACCOUNT, "credit", int(row.income_tax), None, f"源泉所得税(退職所得) {who}"
        ),
        posting.Posting(
            posting.WITHHELD_ACCOUNT,
            "credit",
            int(row.city_tax) + int(row.prefecture_tax),
            None,
            f"住民税(退職所得 {place}) {who}",
        ),
        posting.Posting(posting.UNPAID_ACCOUNT, "credit", int(row.net), None, f"退職金 差引支給額 {who}"),
    ]
    return [p for p in lines if p.amount]


def _check_unchanged(row: SeverancePay) -> None:
    result, steps = _figures(row)
    stored = tuple(int(getattr(row, f)) for f in FIGURE_FIELDS)
    fresh = (
        result.service_years,
        result.deduction,
        result.taxable_income,
        result.income_tax,
        result.city_tax,
        result.prefecture_tax,
        result.net,
    )
    if stored != fresh or row.steps != steps:
        raise _fail(
            _("計算の結果が保存された数字と合いません。計算し直して、内容を確かめてから確定してください。"),
            code="stale",
        )


def _file_certificate(company: Company, actor: User, row: SeverancePay) -> int:
    from ennoshita.payroll.pdf_severance import certificate_file_name, severance_pdf

    data = severance_pdf(company=company, severance=row)
    e = row.employee
    document = document_services.file_generated_document(
        company=company,
        actor=actor,
        folder_name=FOLDER,
        roles=tuple(str(r) for r in RUN_ROLES),
        name=certificate_file_name(row),
        data=data,
        transaction_date=row.paid_on,
        transaction_amount=int(row.amount),
        counterparty=f"{e.family_name} {e.given_name}",
        document_type=DOCUMENT_TYPE,
        text=(
            f"退職所得の源泉徴収票・特別徴収票 {e.number} {e.family_name} {e.given_name} "
            f"{row.paid_on:%Y-%m-%d} 支払金額 {int(row.amount)}円 源泉徴収税額 {int(row.income_tax)}円"
        ),
    )
    return document.pk


@transaction.atomic
def confirm_severance(
    *, company: Company, actor: User, membership: Membership, severance: SeverancePay
) -> SeverancePay:
    """確定 (経理・admin): post the entry, file the 源泉徴収票, mark the payment final. Any
    refusal writes nothing."""
    require_role(membership, *CONFIRM_ROLES)
    row = _draft(company, severance)
    if not row.amount:
        raise _fail(_("支払金額が0円の退職金は確定できません。"), "amount")
    _check_unchanged(row)
    department_id = selectors.department_of(company=company, employee=row.employee, on=row.service_to)
    lines = postings(row, department_id)
    debit, credit = posting.totals(lines)
    if debit != credit:  # cannot happen for figures _check_unchanged accepted; never post it
        raise _fail(
            _("仕訳の貸借が合いません(借方 %(d)s円・貸方 %(c)s円)。")
            % {"d": f"{debit:,}", "c": f"{credit:,}"}
        )
    try:
        inputs = posting.ledger_lines(company=company, lines=lines)
    except ValueError as error:
        raise _fail(_("仕訳を記帳できません。%(why)s") % {"why": error}, "ledger", "no_account") from None
    document_id = _file_certificate(company, actor, row)
    label = _repr(row)
    entry = ledger_services.post_entry(
        company=company,
        actor=actor,
        date=row.paid_on,
        lines=inputs,
        memo=label,
        source_type=SOURCE_TYPE,
        source_id=str(row.pk),
        source_repr=label,
    )
    before = snapshot(row, AUDIT_FIELDS)
    row.status = RunStatus.CONFIRMED
    row.confirmed_by = actor
    row.confirmed_at = timezone.now()
    row.journal_entry_id = entry.pk
    row.document_id = document_id
    row.save(update_fields=["status", "confirmed_by", "confirmed_at", "journal_entry_id", "document_id"])
    record_event(
        company=company, actor=actor, action="confirm", instance=row, object_repr=label,
        before=before, after=snapshot(row, AUDIT_FIELDS),
        extra={"entry_total": debit, "document_id": document_id},
    )  # fmt: skip
    return row
