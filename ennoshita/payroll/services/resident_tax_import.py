"""住民税 (特別徴収) — writes: one employee's 年度 entered by hand, and the 特別徴収税額通知 of
everyone imported at once from a CSV. The amounts are the notice's as printed, never computed
here (jp-rules §3: the municipality decides them; 地方税法321条の5・20条の4の2 put the 100円未満 of
÷ 12 into June): so 年税額 must equal 6月分 + 11 × 7月分, or the figures were copied wrongly.
An employee's row of the same 年度 is replaced, audited with before and after.

The CSV (UTF-8 or Shift_JIS, one header row; docs/domains/payroll.md):
``年度,市区町村コード,市区町村名,社員番号,氏名,年税額,6月分,7月分`` — 7月分 is each of July–May.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import EventInput, record_change, record_events, snapshot
from ennoshita.core.csvio import decode_upload, read_rows
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.payroll.models import ResidentTax
from ennoshita.payroll.permissions import SETTINGS_ROLES
from ennoshita.payroll.selectors import settings as selectors
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

IMPORT_HEADER = ("年度", "市区町村コード", "市区町村名", "社員番号", "氏名", "年税額", "6月分", "7月分")
MAX_IMPORT_ROWS = 50_000
MAX_ANNUAL = 100_000_000
TAX_FIELDS = (
    "employee",
    "fiscal_year",
    "municipality_code",
    "municipality_name",
    "annual",
    "june",
    "monthly",
)
_REIWA = re.compile(r"^(?:令和|R)(\d{1,2})(?:年度?)?$", re.IGNORECASE)


@dataclass(frozen=True)
class ResidentTaxInput:
    fiscal_year: int
    municipality_name: str
    annual: Decimal
    june: Decimal
    monthly: Decimal
    municipality_code: str = ""


def municipality_code_ok(code: str) -> bool:
    """全国地方公共団体コード: 5 digits and a check digit — each of the 5 digits weighted 6,5,4,3,2,
    the sum's remainder by 11 taken from 11, its last digit (総務省; 131016 千代田区, 271004 大阪市)."""
    if not re.fullmatch(r"\d{6}", code):
        return False
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10 == int(code[5])


def _check(data: ResidentTaxInput) -> dict[str, list[str]]:
    """The problems of one notice's figures, by field (empty when it is good)."""
    errors: dict[str, list[str]] = {}
    if not 2000 <= data.fiscal_year <= 2100:
        errors["fiscal_year"] = [_("年度は2000〜2100の西暦で入力してください(例: 2026)。")]
    if data.municipality_code and not municipality_code_ok(data.municipality_code):
        errors["municipality_code"] = [
            _("市区町村コードは検査数字を含む6桁の全国地方公共団体コードです(例: 131016)。")
        ]
    name = data.municipality_name.strip()
    if not name:
        errors["municipality_name"] = [_("市区町村名を入力してください。")]
    elif len(name) > 50:
        errors["municipality_name"] = [_("市区町村名は50文字以内です。")]
    bad = False
    for key, value in (("annual", data.annual), ("june", data.june), ("monthly", data.monthly)):
        if value != value.to_integral_value() or not 0 <= value <= MAX_ANNUAL:
            errors[key] = [_("金額は0円以上の円単位で入力してください。")]
            bad = True
    if not bad and data.annual != data.june + 11 * data.monthly:
        errors["annual"] = [
            _(
                "年税額 %(annual)s円 が 6月分 %(june)s円 + 7月〜翌5月分 %(monthly)s円 × 11 = %(sum)s円 と合いません。通知書の金額を確かめてください。"
            )
            % {
                "annual": f"{data.annual:,}",
                "june": f"{data.june:,}",
                "monthly": f"{data.monthly:,}",
                "sum": f"{data.june + 11 * data.monthly:,}",
            }
        ]
    return errors


def _write(company: Company, employee: Employee, data: ResidentTaxInput) -> tuple[ResidentTax, dict | None]:
    row = (
        ResidentTax.objects.for_company(company)
        .select_for_update()
        .filter(employee=employee, fiscal_year=data.fiscal_year)
        .first()
    )
    before = snapshot(row, TAX_FIELDS) if row is not None else None
    if row is None:
        row = ResidentTax(company=company, employee=employee, fiscal_year=data.fiscal_year)
    row.municipality_code = data.municipality_code
    row.municipality_name = data.municipality_name.strip()
    row.annual, row.june, row.monthly = data.annual, data.june, data.monthly
    row.save()
    return row, before


@transaction.atomic
def set_resident_tax(
    *, company: Company, actor: User, membership: Membership, employee_id: int, data: ResidentTaxInput
) -> ResidentTax:
    """One employee's 住民税 for a 年度 (June of ``fiscal_year`` to May of the next) as the notice
    prints it. Refused, nothing written, when 年税額 ≠ 6月分 + 11 × 7月分."""
    require_role(membership, *SETTINGS_ROLES)
    employee = selectors.get_employee(company=company, employee_id=employee_id)
    data = ResidentTaxInput(
        fiscal_year=data.fiscal_year,
        municipality_code=nfkc(data.municipality_code).strip(),
        municipality_name=data.municipality_name,
        annual=data.annual,
        june=data.june,
        monthly=data.monthly,
    )
    errors = _check(data)
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)
    row, before = _write(company, employee, data)
    record_change(
        company=company,
        actor=actor,
        instance=row,
        fields=TAX_FIELDS,
        before=before,
        object_repr=f"{employee.number} {employee.full_name} {data.fiscal_year}年度",
    )
    return row


# ============================================================================ 一括取込
@dataclass(frozen=True)
class ResidentTaxImportResult:
    created: int
    replaced: int

    @property
    def total(self) -> int:
        return self.created + self.replaced


def _year(text: str) -> int | None:
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    found = _REIWA.match(text)
    return 2018 + int(found.group(1)) if found else None  # 令和元年 = 2019


def _amount(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").removesuffix("円")
    return Decimal(cleaned) if re.fullmatch(r"\d{1,12}", cleaned) else None


def _name_key(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


def _refuse(problems: list[str]) -> ServiceError:
    shown = problems[:50]
    more = len(problems) - len(shown)
    return ServiceError(
        _("取り込めませんでした。何も登録していません。"),
        code="validation",
        field_errors={"file": shown + ([_("ほか%(n)d件") % {"n": more}] if more else [])},
    )


_LABELS = {
    "fiscal_year": "年度",
    "municipality_code": "市区町村コード",
    "municipality_name": "市区町村名",
    "annual": "年税額",
    "june": "6月分",
    "monthly": "7月分",
}


def _read(
    rows: Iterable[tuple[int, list[str]]], employees: dict[str, Employee]
) -> tuple[list[tuple[Employee, ResidentTaxInput]], list[str]]:
    good: list[tuple[Employee, ResidentTaxInput]] = []
    problems: list[str] = []
    first_line: dict[tuple[int, int], int] = {}
    for line, raw in rows:
        if not any(c.strip() for c in raw):
            continue
        cells = [nfkc(c).strip() for c in raw] + [""] * 8
        year_text, code, municipality, number, name, annual_t, june_t, monthly_t = cells[:8]
        where = _("%(line)d行目") % {"line": line}
        employee = employees.get(number.upper()) or employees.get(number)
        year = _year(year_text)
        amounts = [_amount(t) for t in (annual_t, june_t, monthly_t)]
        if employee is None:
            problems.append(_("%(w)s: 社員番号「%(n)s」の社員がいません。") % {"w": where, "n": number})
            continue
        if year is None:
            problems.append(_("%(w)s: 年度は 2026 のような西暦4桁で入力してください。") % {"w": where})
            continue
        if any(a is None for a in amounts):
            problems.append(_("%(w)s: 年税額・6月分・7月分は円単位の数字で入力してください。") % {"w": where})
            continue
        if not code:
            problems.append(_("%(w)s: 市区町村コードがありません。") % {"w": where})
            continue
        if name and _name_key(name) != _name_key(employee.family_name + employee.given_name):
            problems.append(
                _(
                    "%(w)s: 氏名「%(name)s」が社員番号%(n)sの社員(%(who)s)と違います。社員番号を確かめてください。"
                )
                % {"w": where, "name": name, "n": employee.number, "who": employee.full_name}
            )
            continue
        annual, june, monthly = (a or Decimal(0) for a in amounts)
        data = ResidentTaxInput(
            fiscal_year=year,
            municipality_code=code,
            municipality_name=municipality,
            annual=annual,
            june=june,
            monthly=monthly,
        )
        errors = _check(data)
        if errors:
            problems.extend(
                f"{where}: {_LABELS.get(key, key)}: {message}" for key, ms in errors.items() for message in ms
            )
            continue
        key = (employee.pk, year)
        if key in first_line:
            problems.append(
                _("%(w)s: 社員番号%(n)sの%(y)d年度は%(first)d行目にもあります。1人1行にしてください。")
                % {"w": where, "n": employee.number, "y": year, "first": first_line[key]}
            )
            continue
        first_line[key] = line
        good.append((employee, data))
    return good, problems


@transaction.atomic
def import_resident_taxes(
    *, company: Company, actor: User, membership: Membership, data: bytes
) -> ResidentTaxImportResult:
    """The municipalities' 特別徴収税額通知 for everyone (eLTAX delivers them; the layout above).

    Every row is checked first and nothing is written unless all are good: the employee exists
    (by 社員番号; a 氏名 given must be theirs), the 年度 and figures read, 年税額 = 6月分 + 11 ×
    7月分, the municipality code's check digit holds, and no employee appears twice for a 年度.
    An existing row of the same employee and 年度 is replaced. One audit event per employee's
    row (create, or update with before and after), as the punch import records one per employee."""
    require_role(membership, *SETTINGS_ROLES)
    text, _encoding = decode_upload(data)
    rows = list(read_rows(text))
    header = tuple(nfkc(c).strip() for c in rows[0][1]) if rows else ()
    if header[: len(IMPORT_HEADER)] != IMPORT_HEADER:
        message = _("1行目は「%(h)s」の見出しにしてください。") % {"h": ",".join(IMPORT_HEADER)}
        raise ServiceError(message, code="validation", field_errors={"file": [message]})
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        message = _("一度に取り込めるのは50,000行までです。")
        raise ServiceError(message, code="validation", field_errors={"file": [message]})
    employees = people_selectors.employees_by_number(company=company)
    good, problems = _read(rows[1:], employees)
    if problems:
        raise _refuse(problems)
    if not good:
        raise _refuse([_("取り込む行がありません。")])
    events: list[EventInput] = []
    created = replaced = 0
    for employee, notice in good:
        row, before = _write(company, employee, notice)
        if before is None:
            created += 1
        else:
            replaced += 1
        after = snapshot(row, TAX_FIELDS)
        if after != before:
            events.append(
                EventInput(
                    "update" if before else "create",
                    instance=row,
                    object_repr=f"{employee.number} {employee.full_name} {notice.fiscal_year}年度",
                    before=before,
                    after=after,
                    extra={"source": "import"},
                )
            )
    record_events(company=company, actor=actor, events=events)
    return ResidentTaxImportResult(created=created, replaced=replaced)


__all__ = [
    "IMPORT_HEADER",
    "ResidentTaxImportResult",
    "ResidentTaxInput",
    "import_resident_taxes",
    "municipality_code_ok",
    "set_resident_tax",
]
