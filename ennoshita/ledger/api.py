"""/api/v1/ledger/: the chart of accounts, 税区分, fiscal years and month locks, journal entries
(draft, post, reverse).

Handlers parse, call ``ledger.services`` / ``ledger.api_selectors`` with the token's company,
membership and user, and return. Reading takes a role of ``permissions.READ_ROLES`` (admin,
accounting, finance), writing one of ``WRITE_ROLES`` (admin, accounting); anyone else gets a 403.
Every read first gives the company its books (``services.ensure_books``), so a company made
before the ledger existed finds its chart here.

An unknown id in the path is a 404 (another company's id looks the same). A code or id inside a
body (``lines.N.account``, ``lines.N.tax_code``, ``lines.N.department_id``,
``lines.N.sub_account_code``, ``default_tax_code``) or a filter (``account``) that the company
does not have is a 422 on that field, like a malformed value, and nothing is written. A business
rule that says no (unbalanced, locked month, posted entry) is a 400 problem from the service.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError

from ennoshita.core.api import Caller, Problem, caller_of
from ennoshita.core.permissions import require_role

from . import api_selectors, services
from .api_selectors import EntryQuery
from .models import Account, TaxCode
from .permissions import READ_ROLES, WRITE_ROLES
from .schemas import (
    AccountCreate,
    AccountFilters,
    AccountOut,
    AccountUpdate,
    EntryCreate,
    EntryDetail,
    EntryFilters,
    EntryIn,
    EntryOut,
    EntryPage,
    FiscalYearOut,
    Id,
    LineIn,
    LockIn,
    PeriodLockOut,
    ReasonIn,
    ReverseIn,
    SubAccountOut,
    TaxCodeOut,
    UnlockIn,
)
from .services import LineInput

router = Router(tags=["ledger"])

ERRORS: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


_caller = caller_of


def _reader(request: HttpRequest) -> Caller:
    c = _caller(request)
    require_role(c.membership, *READ_ROLES)
    services.ensure_books(company=c.company)
    return c


def _writer(request: HttpRequest) -> Caller:
    """Checked before any lookup in the body, so that a reader learns nothing from a write."""
    c = _caller(request)
    require_role(c.membership, *WRITE_ROLES)
    services.ensure_books(company=c.company)
    return c


def _unknown(field: str, message: str) -> dict[str, Any]:
    """One error in ninja's shape; ``core.api`` says it as a 422 problem on ``field``."""
    return {"type": "value_error", "loc": ["body", *field.split(".")], "msg": message}


def _tax_code_ref(c: Caller, key: str | None, field: str = "default_tax_code") -> TaxCode | None:
    if key is None:
        return None
    tax = api_selectors.get_tax_code(company=c.company, key=key)
    if tax is None:
        raise ValidationError([_unknown(field, _("税区分「%(key)s」は登録されていません。") % {"key": key})])
    return tax


# ------------------------------------------------------------------ accounts
@router.get("/accounts", response={200: list[AccountOut], **READ_ERRORS}, summary="勘定科目の一覧")
def list_accounts(request: HttpRequest, filters: Query[AccountFilters]) -> list[AccountOut]:
    """科目コード順。`q` は科目コード・科目名・フリガナを、全角/半角・ひらがな/カタカナを区別せずに探します
    (例: `ｹﾞﾝｷﾝ` で現金)。"""
    c = _reader(request)
    rows = api_selectors.accounts(
        company=c.company, q=filters.q, section=filters.section, active=filters.active
    )
    return [AccountOut.of(a) for a in rows]


@router.post("/accounts", response={201: AccountOut, **ERRORS}, summary="勘定科目の追加(経理・管理者)")
def create_account(request: HttpRequest, payload: AccountCreate) -> Status[AccountOut]:
    c = _writer(request)
    account = services.save_account(
        **c.writer(),
        account=None,
        code=payload.code,
        name=payload.name,
        kana=payload.kana,
        section=payload.section,
        default_tax_code=_tax_code_ref(c, payload.default_tax_code),
    )
    return Status(201, AccountOut.of(api_selectors.get_account(company=c.company, account_id=account.pk)))


@router.patch(
    "/accounts/{account_id}", response={200: AccountOut, **ERRORS}, summary="勘定科目の変更(経理・管理者)"
)
def update_account(request: HttpRequest, account_id: Id, payload: AccountUpdate) -> AccountOut:
    """送った項目だけを変更します(科目名の変更、既定の税区分、`is_active: false` で使用停止)。
    科目コードは変えられず、科目は削除できません。"""
    c = _writer(request)
    account = api_selectors.get_account(company=c.company, account_id=account_id)
    changes = payload.model_dump(exclude_unset=True)
    tax = (
        _tax_code_ref(c, changes["default_tax_code"])
        if "default_tax_code" in changes
        else account.default_tax_code
    )
    services.save_account(
        **c.writer(),
        account=account,
        code=account.code,
        name=changes.get("name", account.name),
        kana=changes.get("kana", account.kana),
        section=changes.get("section", account.section),
        default_tax_code=tax,
        is_active=changes.get("is_active", account.is_active),
    )
    return AccountOut.of(api_selectors.get_account(company=c.company, account_id=account.pk))


@router.get(
    "/accounts/{account_id}/sub-accounts",
    response={200: list[SubAccountOut], **READ_ERRORS},
    summary="補助科目の一覧",
)
def list_sub_accounts(request: HttpRequest, account_id: Id) -> list[SubAccountOut]:
    """その勘定科目の補助科目を補助コード順に返します。仕訳の明細の `sub_account_code` に使います。"""
    c = _reader(request)
    account = api_selectors.get_account(company=c.company, account_id=account_id)
    return [SubAccountOut.of(s) for s in api_selectors.sub_accounts(company=c.company, account=account)]


# ------------------------------------------------------------------ tax codes
@router.get("/tax-codes", response={200: list[TaxCodeOut], **READ_ERRORS}, summary="税区分の一覧")
def list_tax_codes(request: HttpRequest) -> list[TaxCodeOut]:
    """仕訳の明細の `tax_code` に使うコード(`key`)と税率です。"""
    c = _reader(request)
    return [TaxCodeOut.of(t) for t in api_selectors.tax_codes(company=c.company)]


# ------------------------------------------------------------------ fiscal years
@router.get("/fiscal-years", response={200: list[FiscalYearOut], **READ_ERRORS}, summary="会計年度の一覧")
def list_fiscal_years(request: HttpRequest) -> list[FiscalYearOut]:
    """期首の古い順。仕訳の日付は記帳中(`open`)の年度の中でなければなりません。"""
    c = _reader(request)
    return [FiscalYearOut.of(y) for y in api_selectors.fiscal_years(company=c.company)]


@router.post(
    "/fiscal-years/next", response={201: FiscalYearOut, **ERRORS}, summary="次の会計年度を開く(経理・管理者)"
)
def open_next_fiscal_year(request: HttpRequest) -> Status[FiscalYearOut]:
    """最後の年度の翌日から1年間の年度を作ります。"""
    c = _writer(request)
    return Status(201, FiscalYearOut.of(services.open_next_fiscal_year(**c.writer())))


@router.post(
    "/fiscal-years/{year_id}/close", response={200: FiscalYearOut, **ERRORS}, summary="決算締め(経理・管理者)"
)
def close_fiscal_year(request: HttpRequest, year_id: Id) -> FiscalYearOut:
    """年度のすべての月を締め、年度を締め済みにします。前の年度が締め済みで、下書きの仕訳がないことが条件です。
    次の年度がなければ作ります。"""
    c = _writer(request)
    year = api_selectors.get_fiscal_year(company=c.company, year_id=year_id)
    return FiscalYearOut.of(services.close_fiscal_year(**c.writer(), year=year))


@router.post(
    "/fiscal-years/{year_id}/reopen",
    response={200: FiscalYearOut, **ERRORS},
    summary="決算締めの解除(経理・管理者)",
)
def reopen_fiscal_year(request: HttpRequest, year_id: Id, payload: ReasonIn) -> FiscalYearOut:
    """理由は必須で、監査ログに残ります。各月の締めはそのまま残るので、記帳する月は月次締めを解除してください。"""
    c = _writer(request)
    year = api_selectors.get_fiscal_year(company=c.company, year_id=year_id)
    return FiscalYearOut.of(services.reopen_fiscal_year(**c.writer(), year=year, reason=payload.reason))


# ------------------------------------------------------------------ month locks
@router.get("/period-locks", response={200: list[PeriodLockOut], **READ_ERRORS}, summary="月次締めの一覧")
def list_period_locks(request: HttpRequest) -> list[PeriodLockOut]:
    """締めたことのある月を古い順に返します(解除した月は `locked: false` と解除の理由)。"""
    c = _reader(request)
    return [PeriodLockOut.of(p) for p in api_selectors.period_locks(company=c.company)]


@router.post("/period-locks/lock", response={200: PeriodLockOut, **ERRORS}, summary="月次締め(経理・管理者)")
def lock_month(request: HttpRequest, payload: LockIn) -> PeriodLockOut:
    """締めた月には記帳できなくなります(下書きの保存もできません)。"""
    c = _writer(request)
    row = services.lock_month(**c.writer(), month=payload.month, reason=payload.reason)
    return PeriodLockOut.of(api_selectors.get_period_lock(company=c.company, month=row.month))


@router.post(
    "/period-locks/unlock", response={200: PeriodLockOut, **ERRORS}, summary="月次締めの解除(経理・管理者)"
)
def unlock_month(request: HttpRequest, payload: UnlockIn) -> PeriodLockOut:
    """理由は必須で、監査ログに残ります。締め済みの年度の月は、先に年度の締めを解除してください。"""
    c = _writer(request)
    row = services.unlock_month(**c.writer(), month=payload.month, reason=payload.reason)
    return PeriodLockOut.of(api_selectors.get_period_lock(company=c.company, month=row.month))


# ------------------------------------------------------------------ entries
def _line_inputs(c: Caller, lines: list[LineIn]) -> list[LineInput]:
    """The lines as the service takes them: every code and id looked up in the company (four
    queries for any number of lines). Anything unknown is a 422 naming the line; nothing is
    written then."""
    refs = api_selectors.line_references(
        company=c.company,
        account_codes=[ln.account for ln in lines],
        tax_keys=[ln.tax_code for ln in lines if ln.tax_code],
        department_ids=[ln.department_id for ln in lines if ln.department_id is not None],
        sub_account_codes=[(ln.account, ln.sub_account_code) for ln in lines if ln.sub_account_code],
    )
    errors: list[dict[str, Any]] = []
    inputs: list[LineInput] = []
    for n, ln in enumerate(lines):
        at = f"lines.{n}"
        account: Account | None = refs.accounts.get(ln.account)
        if account is None:
            errors.append(
                _unknown(
                    f"{at}.account",
                    _("科目コード「%(code)s」の勘定科目はありません。") % {"code": ln.account},
                )
            )
        if "tax_code" not in ln.model_fields_set:
            tax = account.default_tax_code if account is not None else None
        elif ln.tax_code is None:
            tax = None
        else:
            tax = refs.tax_codes.get(ln.tax_code)
            if tax is None:
                errors.append(
                    _unknown(
                        f"{at}.tax_code", _("税区分「%(key)s」は登録されていません。") % {"key": ln.tax_code}
                    )
                )
        department = None
        if ln.department_id is not None:
            department = refs.departments.get(ln.department_id)
            if department is None:
                errors.append(_unknown(f"{at}.department_id", _("部門が見つかりません。")))
        sub_account = None
        if ln.sub_account_code and account is not None:
            sub_account = refs.sub_accounts.get((ln.account, ln.sub_account_code))
            if sub_account is None:
                errors.append(
                    _unknown(
                        f"{at}.sub_account_code",
                        _("勘定科目「%(account)s」に補助コード「%(code)s」の補助科目はありません。")
                        % {"account": account.name, "code": ln.sub_account_code},
                    )
                )
        if account is not None:
            inputs.append(
                LineInput(
                    account=account,
                    side=ln.side,
                    amount=ln.amount,
                    tax_code=tax,
                    tax_included=ln.tax_included,
                    department=department,
                    sub_account=sub_account,
                    memo=ln.memo,
                )
            )
    if errors:
        raise ValidationError(errors)
    return inputs


def _detail(c: Caller, entry_id: int) -> EntryDetail:
    return EntryDetail.of(api_selectors.entry_with_lines(company=c.company, entry_id=entry_id))


@router.get("/entries", response={200: EntryPage, **READ_ERRORS}, summary="仕訳の一覧")
def list_entries(request: HttpRequest, filters: Query[EntryFilters]) -> EntryPage:
    """条件はすべて AND です。明細は含みません(GET /entries/{entry_id} で見られます)。
    `source_type`・`source_id` で、請求書などの元の記録から記帳された仕訳を探せます。"""
    c = _reader(request)
    if filters.account and not api_selectors.account_exists(company=c.company, code=filters.account):
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", "account"],
                    "msg": _("科目コード「%(code)s」の勘定科目はありません。") % {"code": filters.account},
                }
            ]
        )
    query = EntryQuery(
        status=filters.status,
        date_from=filters.date_from,
        date_to=filters.date_to,
        account_code=filters.account,
        q=filters.q,
        source_type=filters.source_type,
        source_id=filters.source_id,
        newest_first=filters.sort == "-date",
    )
    total, rows = api_selectors.entry_page(
        company=c.company, query=query, limit=filters.limit, offset=filters.offset
    )
    return EntryPage(
        count=total, limit=filters.limit, offset=filters.offset, items=[EntryOut.of(e) for e in rows]
    )


@router.get("/entries/{entry_id}", response={200: EntryDetail, **READ_ERRORS}, summary="仕訳の詳細")
def get_entry(request: HttpRequest, entry_id: Id) -> EntryDetail:
    """明細(自動で作られた税額の行を含む)、取消の関係、元の記録を返します。金額はすべて円の整数です。"""
    c = _reader(request)
    return _detail(c, entry_id)


@router.post("/entries", response={201: EntryDetail, **ERRORS}, summary="仕訳の登録(経理・管理者)")
def create_entry(request: HttpRequest, payload: EntryCreate) -> Status[EntryDetail]:
    """`post: true` なら記帳し(借方と貸方が一致しなければ 400)、`post: false` なら下書きとして保存します
    (下書きは一致していなくても保存できます)。

    課税の税区分の行には、仮払消費税等・仮受消費税等の行が自動で続きます。明細の `tax_code` を省略すると
    科目の既定の税区分、`null` なら税区分なしです。科目コード・税区分・部門・補助科目が見つからなければ
    その行を指して 422 を返し、何も書き込みません。"""
    c = _writer(request)
    lines = _line_inputs(c, payload.lines)
    common: dict[str, Any] = {
        "date": payload.date,
        "lines": lines,
        "memo": payload.memo,
        "kind": payload.kind,
    }
    if payload.post:
        entry = services.post_entry(**c.writer(), **common)
    else:
        entry = services.save_draft(**c.writer(), **common)
    return Status(201, _detail(c, entry.pk))


@router.put(
    "/entries/{entry_id}",
    response={200: EntryDetail, **ERRORS},
    summary="下書きの仕訳の置き換え(経理・管理者)",
)
def replace_draft(request: HttpRequest, entry_id: Id, payload: EntryIn) -> EntryDetail:
    """下書きの日付・摘要・種類・明細を送った内容で置き換えます。記帳済みの仕訳は変えられません(反対仕訳で訂正します)。"""
    c = _writer(request)
    entry = api_selectors.get_entry(company=c.company, entry_id=entry_id)
    lines = _line_inputs(c, payload.lines)
    services.save_draft(
        **c.writer(), date=payload.date, lines=lines, memo=payload.memo, kind=payload.kind, draft=entry
    )
    return _detail(c, entry.pk)


@router.post(
    "/entries/{entry_id}/post", response={200: EntryDetail, **ERRORS}, summary="下書きの記帳(経理・管理者)"
)
def post_draft(request: HttpRequest, entry_id: Id) -> EntryDetail:
    """借方と貸方が一致し、日付の月が締められていなければ記帳し、伝票番号を付けます。"""
    c = _writer(request)
    entry = api_selectors.get_entry(company=c.company, entry_id=entry_id)
    services.post_draft(**c.writer(), entry=entry)
    return _detail(c, entry.pk)


@router.post(
    "/entries/{entry_id}/reverse",
    response={201: EntryDetail, **ERRORS},
    summary="反対仕訳による取消(経理・管理者)",
)
def reverse_entry(request: HttpRequest, entry_id: Id, payload: ReverseIn) -> Status[EntryDetail]:
    """記帳済みの仕訳の借方と貸方を入れ替えた反対仕訳を、指定した日付で記帳します。取消は1回だけです。
    返すのは新しい反対仕訳です(`reversal_of_id` が元の仕訳)。"""
    c = _writer(request)
    entry = api_selectors.get_entry(company=c.company, entry_id=entry_id)
    reversal = services.reverse_entry(**c.writer(), entry=entry, date=payload.date, memo=payload.memo)
    return Status(201, _detail(c, reversal.pk))


@router.delete(
    "/entries/{entry_id}", response={204: None, **ERRORS}, summary="下書きの仕訳の削除(経理・管理者)"
)
def delete_draft(request: HttpRequest, entry_id: Id) -> Status[None]:
    """下書きだけを削除できます。記帳済みの仕訳は 400 で、反対仕訳で取り消します。"""
    c = _writer(request)
    entry = api_selectors.get_entry(company=c.company, entry_id=entry_id)
    services.delete_draft(**c.writer(), entry=entry)
    return Status(204, None)
