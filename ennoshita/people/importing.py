"""社員CSV取込: every row is checked first, then all rows are imported in one transaction, or none.

The file may be UTF-8 (with or without BOM) or Shift_JIS (``core.csvio.decode_upload``). Each row
is checked for required columns, dates (西暦 or 和暦), codes that must exist (部署コード, 雇用形態,
役職コード) and duplicate numbers (within the file and against the database); the rows that pass
go through ``services.create_employee`` (so through every rule of the service) inside one
transaction. If any row failed, the transaction is rolled back and the result lists every bad
row with its line, column and reason; nothing is written. A check run (``dry_run``) does the
same and always rolls back.

Problems with the file itself (not CSV, unknown encoding, missing columns) raise ServiceError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_event
from ennoshita.core.csvio import ENCODING_LABELS, decode_upload, read_rows, undefuse
from ennoshita.core.dates import parse_date_flexible
from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership, User
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc

from . import selectors, services
from .models import AccountType, Department, Employee, EmploymentType, Gender, Position

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str  # the service's argument name
    label: str  # the header in the file (a file format: fixed Japanese, not translated)
    required: bool = False
    kind: str = "text"  # text, date, gender, account_type, employment_type, department, position


COLUMNS: tuple[Column, ...] = (
    Column("number", "社員番号", True),
    Column("family_name", "姓", True),
    Column("given_name", "名", True),
    Column("family_name_kana", "姓(フリガナ)", True),
    Column("given_name_kana", "名(フリガナ)", True),
    Column("birth_date", "生年月日", kind="date"),
    Column("gender", "性別", kind="gender"),
    Column("hire_date", "入社日", True, kind="date"),
    Column("retire_date", "退職日", kind="date"),
    Column("employment_type", "雇用形態", True, kind="employment_type"),
    Column("department", "部署コード", True, kind="department"),
    Column("position", "役職コード", kind="position"),
    Column("postal_code", "郵便番号"),
    Column("address", "住所"),
    Column("phone", "電話番号"),
    Column("email", "メールアドレス"),
    Column("emergency_contact_name", "緊急連絡先(氏名)"),
    Column("emergency_contact_relation", "緊急連絡先(続柄)"),
    Column("emergency_contact_phone", "緊急連絡先(電話)"),
    Column("bank_code", "銀行コード"),
    Column("bank_branch_code", "支店コード"),
    Column("bank_account_type", "預金種目", kind="account_type"),
    Column("bank_account_number", "口座番号"),
    Column("bank_account_holder_kana", "口座名義(カナ)"),
)
# Columns that the export writes for people to read; an import of an exported file skips them.
IGNORED_LABELS = ("部署名", "役職名")
HEADER = [c.label for c in COLUMNS]
LABELS = {c.key: c.label for c in COLUMNS}


@dataclass(frozen=True)
class RowError:
    line: int  # line in the file (1 = header)
    column: str  # header of the column, "" for the whole row
    message: str


@dataclass(frozen=True)
class ImportedRow:
    line: int
    number: str
    name: str
    employee_id: int | None  # None after a check run (nothing was kept)


@dataclass(frozen=True)
class ImportResult:
    encoding: str
    dry_run: bool
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        return 0 if self.errors or self.dry_run else len(self.rows)

    @property
    def bad_lines(self) -> int:
        return len({e.line for e in self.errors})

    @property
    def encoding_label(self) -> str:
        return str(ENCODING_LABELS.get(self.encoding, self.encoding))


def template_rows() -> list[list[str]]:
    """The header and one example row, for the template download."""
    example = {
        "number": "E0001",
        "family_name": "山田",
        "given_name": "太郎",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "タロウ",
        "birth_date": "1990-05-01",
        "gender": "男性",
        "hire_date": "令和7年4月1日",
        "employment_type": "正社員",
        "department": "100",
        "postal_code": "100-0001",
        "address": "東京都千代田区千代田1-1",
        "phone": "03-1234-5678",
        "emergency_contact_phone": "090-1234-5678",
        "bank_account_type": "普通",
    }
    return [HEADER, [example.get(c.key, "") for c in COLUMNS]]


@dataclass
class _Lookups:
    departments: dict[str, Department]
    positions: dict[str, Position]
    employment_types: dict[str, EmploymentType]


def _key(text: str) -> str:
    return nfkc(text).strip().casefold()


def _lookups(company: Company) -> _Lookups:
    positions: dict[str, Position] = {}
    pos_list = list(selectors.positions(company=company))
    for p in pos_list:  # a code wins over a name that happens to look like it
        positions.setdefault(_key(p.name), p)
    for p in pos_list:
        positions[_key(p.code)] = p
    types: dict[str, EmploymentType] = {}
    type_list = list(selectors.employment_types(company=company))
    for t in type_list:
        types.setdefault(_key(t.name), t)
    for t in type_list:
        types[_key(t.code)] = t
    return _Lookups(
        departments={_key(d.code): d for d in selectors.departments(company=company, include_inactive=True)},
        positions=positions,
        employment_types=types,
    )


def _choice_parser(choices: list[tuple[str, Any]], extra: dict[str, str]) -> Callable[[str], str | None]:
    table = {_key(code): code for code, _label in choices}
    table.update({_key(str(label)): code for code, label in choices})
    table.update({_key(k): v for k, v in extra.items()})
    return lambda text: table.get(_key(text))


_GENDER = _choice_parser(
    Gender.choices, {"男": Gender.MALE, "女": Gender.FEMALE, "M": Gender.MALE, "F": Gender.FEMALE}
)
_ACCOUNT_TYPE = _choice_parser(AccountType.choices, {"普通預金": "1", "当座預金": "2", "貯蓄預金": "4"})


def _map_header(header: list[str]) -> dict[int, Column]:
    """Column index → Column, or ServiceError naming every missing, unknown or repeated header."""
    by_name: dict[str, Column] = {}
    for c in COLUMNS:
        by_name[_key(c.label)] = c
        by_name[_key(c.key)] = c
    ignored = {_key(label) for label in IGNORED_LABELS}
    mapping: dict[int, Column] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, name in enumerate(header):
        key = _key(name)
        if not key or key in ignored:
            continue
        column = by_name.get(key)
        if column is None:
            unknown.append(name.strip())
        elif column in mapping.values():
            repeated.append(name.strip())
        else:
            mapping[index] = column
    missing = [c.label for c in COLUMNS if c.required and c not in mapping.values()]
    problems = []
    if missing:
        problems.append(_("必須の列がありません: %(cols)s") % {"cols": "、".join(missing)})
    if unknown:
        problems.append(_("知らない列があります: %(cols)s") % {"cols": "、".join(unknown)})
    if repeated:
        problems.append(_("同じ列が2回あります: %(cols)s") % {"cols": "、".join(repeated)})
    if problems:
        message = (
            _("1行目(見出し行): ") + " / ".join(problems) + _("。テンプレートの見出しを使ってください。")
        )
        raise ServiceError(message, code="bad_header", field_errors={"file": [message]})
    return mapping


@dataclass
class _Row:
    line: int
    fields: dict[str, Any]
    department: Department | None
    position: Position | None
    errors: list[RowError]


def _parse_row(
    line: int, cells: list[str], mapping: dict[int, Column], width: int, lookups: _Lookups
) -> _Row:
    row = _Row(line, {}, None, None, [])

    def fail(column: Column | None, message: str) -> None:
        row.errors.append(RowError(line, column.label if column else "", message))

    if any(c.strip() for c in cells[width:]):
        fail(None, _('見出しより列が多い行です(値に , があるときは " で囲んでください)。'))
    for index, column in mapping.items():
        raw = undefuse(cells[index].strip()) if index < len(cells) else ""
        if not raw:
            if column.required:
                fail(column, _("必須です。"))
            continue
        if column.kind == "date":
            try:
                row.fields[column.key] = parse_date_flexible(raw)
            except ValueError:
                fail(
                    column,
                    _("「%(v)s」は日付として読めません(例: 2025-04-01、2025/4/1、令和7年4月1日)。")
                    % {"v": raw},
                )
        elif column.kind == "gender":
            value = _GENDER(raw)
            if value is None:
                fail(
                    column,
                    _("「%(v)s」は性別として使えません(男性・女性・その他・回答しない)。") % {"v": raw},
                )
            row.fields[column.key] = value
        elif column.kind == "account_type":
            value = _ACCOUNT_TYPE(raw)
            if value is None:
                fail(column, _("「%(v)s」は預金種目として使えません(普通・当座・貯蓄)。") % {"v": raw})
            row.fields[column.key] = value
        elif column.kind == "employment_type":
            et = lookups.employment_types.get(_key(raw))
            if et is None:
                fail(
                    column,
                    _("雇用形態「%(v)s」が見つかりません(コードか名称で指定してください)。") % {"v": raw},
                )
            row.fields[column.key] = et
        elif column.kind == "department":
            row.department = lookups.departments.get(_key(raw))
            if row.department is None:
                fail(column, _("部署コード「%(v)s」が見つかりません。") % {"v": raw})
            elif not row.department.is_active:
                fail(column, _("部署「%(v)s」は無効です。") % {"v": row.department})
        elif column.kind == "position":
            row.position = lookups.positions.get(_key(raw))
            if row.position is None:
                fail(column, _("役職コード「%(v)s」が見つかりません。") % {"v": raw})
        else:
            row.fields[column.key] = raw
    return row


def _number_key(text: str) -> str:
    return nfkc(text).strip().upper()  # the service stores numbers this way


def _check_duplicates(rows: list[_Row], company: Company) -> None:
    seen: dict[str, int] = {}
    label = LABELS["number"]
    for row in rows:
        number = row.fields.get("number")
        if not number:
            continue
        key = _number_key(number)
        if key in seen:
            row.errors.append(
                RowError(
                    row.line,
                    label,
                    _("社員番号「%(n)s」が %(line)d 行目と重複しています。")
                    % {"n": number, "line": seen[key]},
                )
            )
        else:
            seen[key] = row.line
    taken = selectors.existing_employee_numbers(company=company, numbers=seen)
    for row in rows:
        number = row.fields.get("number")
        if number and _number_key(number) in taken:
            row.errors.append(
                RowError(row.line, label, _("社員番号「%(n)s」は既に登録されています。") % {"n": number})
            )


def _service_errors(line: int, exc: ServiceError) -> list[RowError]:
    extra = {"department": LABELS["department"], "position": LABELS["position"]}
    errors: list[RowError] = []
    for name, messages in exc.field_errors.items():
        column = LABELS.get(name) or extra.get(name) or ("" if name == "__all__" else name)
        errors.extend(RowError(line, column, m) for m in messages)
    return errors or [RowError(line, "", exc.message)]


def import_employees(
    *, company: Company, actor: User, membership: Membership, data: bytes, dry_run: bool = False
) -> ImportResult:
    """Check every row of a CSV of employees, then create all of them, or none.

    Returns the rows (imported, or importable after a check run) or the errors of every bad row.
    Raises ServiceError when the file as a whole cannot be read (encoding, header).
    """
    require_role(membership, *services.HR_WRITERS)
    text, encoding = decode_upload(data)
    records = [(line, cells) for line, cells in read_rows(text) if any(c.strip() for c in cells)]
    if not records:
        raise ServiceError(
            _("見出し行がありません。"), code="bad_file", field_errors={"file": [_("見出し行がありません。")]}
        )
    (_header_line, header), body = records[0], records[1:]
    mapping = _map_header(header)
    if not body:
        message = _("取り込む行がありません(見出し行だけのファイルです)。")
        raise ServiceError(message, code="bad_file", field_errors={"file": [message]})
    if len(body) > MAX_ROWS:
        message = _("一度に取り込めるのは %(n)d 行までです。ファイルを分けてください。") % {"n": MAX_ROWS}
        raise ServiceError(message, code="too_many_rows", field_errors={"file": [message]})

    lookups = _lookups(company)
    rows = [_parse_row(line, cells, mapping, len(header), lookups) for line, cells in body]
    _check_duplicates(rows, company)

    imported: list[ImportedRow] = []
    errors: list[RowError] = []
    with transaction.atomic():
        for row in rows:
            if row.errors:
                errors.extend(row.errors)
                continue
            employee = _create(company, actor, membership, row, errors)
            if employee is not None:
                imported.append(ImportedRow(row.line, employee.number, employee.full_name, employee.pk))
        if errors or dry_run:
            transaction.set_rollback(True)
    if dry_run:
        imported = [ImportedRow(r.line, r.number, r.name, None) for r in imported]
    errors.sort(key=lambda e: (e.line, _column_order(e.column)))
    return ImportResult(encoding=encoding, dry_run=dry_run, rows=[] if errors else imported, errors=errors)


def _create(
    company: Company, actor: User, membership: Membership, row: _Row, errors: list[RowError]
) -> Employee | None:
    try:
        # create_employee runs in a savepoint of the import's transaction: a refused row leaves nothing.
        employee = services.create_employee(
            company=company,
            actor=actor,
            membership=membership,
            department=row.department,  # type: ignore[arg-type]
            position=row.position,
            **row.fields,
        )
    except ServiceError as exc:
        errors.extend(_service_errors(row.line, exc))
        return None
    record_event(company=company, actor=actor, action="import", instance=employee, extra={"row": row.line})
    return employee


def _column_order(label: str) -> int:
    return next((i for i, c in enumerate(COLUMNS) if c.label == label), -1)
