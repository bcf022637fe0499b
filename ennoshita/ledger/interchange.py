"""The journal in and out of Ennoshita: the 弥生会計 仕訳日記帳 layout, our generic layout, beancount.

This module owns the *formats* (column lists, 税区分 names) and the *export*; ``ledger.importing``
reads the same formats back. An export of a period imported into another company with the same chart
gives the same trial balance (tests/ledger/test_interchange.py).

弥生会計 仕訳日記帳 (弥生インポート形式, 25 columns, no header line, Shift_JIS): the column list,
識別フラグ (2000 one-line journal, 2111 one-line voucher, 2110/2100/2101 first/middle/last line of a
multi-line voucher), 取引日付 formats and 借方金額 = 税込金額 follow 弥生's own pages
「インポートできるデータの種類と記述形式」(support.yayoi-kk.co.jp/subcontents.html?page_id=18545),
FAQ 27184 (faq_Subcontents.html?grade_id=Kaikei&page_id=27184) and 18586 (a line starting with ``#``
is a comment). The 税区分 names combine 売上/仕入, 内税・外税・別記 (内/外/別; 込 for 税込経理) and the
rate (軽減8%, 10%), plus the 請求書区分 of a purchase (適格, 区分80% …); 内税/外税/別記 as described
on page 17773 (「帳簿の入力」: 内税 = 税込金額を入力, 外税 = 税抜金額を入力, 別記 = 消費税を別の行に
入力). See docs/ledger-csv.md for how each is read.

beancount: account names are ``Type:Component`` with each component starting with a capital letter
or a digit, the root one of Assets/Liabilities/Equity/Income/Expenses; ``open`` directives; metadata
keys start with a lower-case letter; ``option "operating_currency"`` (Beancount Language Syntax,
beancount.github.io/docs/beancount_language_syntax.html, sections Accounts, Open, Metadata, Options).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from ennoshita.core.csvio import SJIS, defuse, encode_csv
from ennoshita.core.models import Company, Membership
from ennoshita.core.permissions import require_role
from ennoshita.core.text import nfkc
from ennoshita.people.models import Department

from . import chart, rules
from .models import Account, FiscalYear, JournalEntry, JournalLine, SubAccount, TaxCode
from .permissions import READ_ROLES

LAYOUT_YAYOI = "yayoi"
LAYOUT_GENERIC = "generic"
LAYOUT_LABELS = {
    LAYOUT_YAYOI: "弥生会計 仕訳日記帳(弥生インポート形式)",
    LAYOUT_GENERIC: "縁の下 汎用形式(1行1明細)",
}

# ---------------------------------------------------------------------------------- 弥生会計
YAYOI_COLUMNS: tuple[str, ...] = (
    "識別フラグ",
    "伝票No.",
    "決算",
    "取引日付",
    "借方勘定科目",
    "借方補助科目",
    "借方部門",
    "借方税区分",
    "借方金額",
    "借方税金額",
    "貸方勘定科目",
    "貸方補助科目",
    "貸方部門",
    "貸方税区分",
    "貸方金額",
    "貸方税金額",
    "摘要",
    "番号",
    "期日",
    "タイプ",
    "生成元",
    "仕訳メモ",
    "付箋1",
    "付箋2",
    "調整",
)
YAYOI_SINGLE = "2000"  # 伝票以外の仕訳データ (one line)
YAYOI_SINGLE_VOUCHER = "2111"  # 1行の伝票データ
YAYOI_FIRST, YAYOI_MIDDLE, YAYOI_LAST = "2110", "2100", "2101"
YAYOI_FLAGS = (YAYOI_SINGLE, YAYOI_SINGLE_VOUCHER, YAYOI_FIRST, YAYOI_MIDDLE, YAYOI_LAST)

# Our TaxCode key → the name 弥生 writes (内税; 税抜経理). Non-qualified purchases get 「区分NN%」
# with the transitional percent of the purchase date (rules.transitional_deduction_percent).
YAYOI_TAX_NAMES: dict[str, str] = {
    "OUT": "対象外",
    "S10": "課税売上内10%",
    "S8R": "課税売上内軽減8%",
    "S_EXPORT": "輸出売上",
    "S_EXEMPT": "非課売上",
    "P10": "課対仕入内10%",
    "P8R": "課対仕入内軽減8%",
    "P10_NQ": "課対仕入内10%区分{pct}%",
    "P8R_NQ": "課対仕入内軽減8%区分{pct}%",
    "P_EXEMPT": "非課仕入",
}
_FIXED_TAX_NAMES = {
    "対象外": "OUT",
    "不課税": "OUT",
    "対外売上": "OUT",
    "対外仕入": "OUT",
    "輸出売上": "S_EXPORT",
    "輸出免税売上": "S_EXPORT",
    "非課売上": "S_EXEMPT",
    "非課税売上": "S_EXEMPT",
    "非課仕入": "P_EXEMPT",
    "非課税仕入": "P_EXEMPT",
}
# 課税売上 / 課対仕入 (and 個別対応方式's 共対仕入 / 非対仕入), 内|外|込|別, 軽減, rate, 請求書区分
_TAX_NAME_RE = re.compile(
    r"^(?P<kind>課税売上|課対仕入|課税仕入|共対仕入|非対仕入)(?P<method>内|外|込|別)?(?P<reduced>軽減)?"
    r"(?P<rate>\d+)%(?P<invoice>適格|区分\d+%|区\d+|控\d+|控除\d+%|\(控\d+\))?$"
)

TAX_METHOD_INCLUDED = "内"  # 内税 (and 込 = 税込経理): the amount includes the tax
TAX_METHOD_EXCLUDED = "外"  # 外税: the amount is without the tax
TAX_METHOD_SEPARATE = "別"  # 別記: without the tax; the tax is on its own line of the voucher


@dataclass(frozen=True)
class YayoiTax:
    key: str | None  # a TaxCode key; None: no 税区分
    method: str  # 内 | 外 | 別


def parse_yayoi_tax(name: str) -> YayoiTax:
    """A 弥生 税区分 name (or one of our keys or labels) → our key and how the amount is meant.
    Raises ValueError with the reason when the name is not one we can map."""
    text = nfkc(name).replace(" ", "")
    if not text:
        return YayoiTax(None, TAX_METHOD_INCLUDED)
    if text in rules.TAX_CATEGORIES:
        return YayoiTax(text, TAX_METHOD_INCLUDED)
    by_label = {nfkc(c.label).replace(" ", ""): c.key for c in rules.TAX_CATEGORIES.values()}
    if text in by_label:
        return YayoiTax(by_label[text], TAX_METHOD_INCLUDED)
    if text in _FIXED_TAX_NAMES:
        return YayoiTax(_FIXED_TAX_NAMES[text], TAX_METHOD_INCLUDED)
    m = _TAX_NAME_RE.match(text)
    if m is None:
        raise ValueError(f"税区分「{name}」は取り込めません")
    sales = m.group("kind") == "課税売上"
    rate, reduced = m.group("rate"), bool(m.group("reduced"))
    if rate == "10" and not reduced:
        base = "S10" if sales else "P10"
    elif rate == "8" and reduced:
        base = "S8R" if sales else "P8R"
    else:
        raise ValueError(f"税区分「{name}」の税率(旧税率など)には対応していません")
    invoice = m.group("invoice") or ""
    if invoice and invoice != "適格":
        if sales:
            raise ValueError(f"税区分「{name}」は売上に使えません")
        base += "_NQ"
    method = m.group("method") or TAX_METHOD_INCLUDED
    return YayoiTax(base, TAX_METHOD_INCLUDED if method == "込" else method)


def yayoi_tax_name(code: TaxCode | None, day: date) -> str:
    if code is None:
        return ""
    name = YAYOI_TAX_NAMES.get(code.key, code.label)
    if "{pct}" in name:
        pct = rules.transitional_deduction_percent(purchase_date=day)
        name = name.format(pct=f"{pct.normalize():f}")
    return name


# ---------------------------------------------------------------------------------- generic
GENERIC_COLUMNS: tuple[str, ...] = (
    "伝票キー",
    "日付",
    "伝票種類",
    "貸借",
    "勘定科目",
    "勘定科目名",
    "補助科目",
    "部門",
    "税区分",
    "税計算",
    "金額",
    "税額",
    "摘要",
    "取消元",
)
GENERIC_KINDS: dict[str, str] = {
    JournalEntry.Kind.TRANSFER: "振替伝票",
    JournalEntry.Kind.RECEIPT: "入金伝票",
    JournalEntry.Kind.PAYMENT: "出金伝票",
    JournalEntry.Kind.REVERSAL: "反対仕訳",
    JournalEntry.Kind.OPENING: "開始仕訳",
}
SIDE_LABELS = {"debit": "借方", "credit": "貸方"}
ENNOSHITA_MARK = "縁の下:"  # in 弥生's 仕訳メモ: our voucher label
REVERSES_MARK = "取消元:"  # …and the voucher a reversal cancels


# ---------------------------------------------------------------------------------- lines out
@dataclass(frozen=True)
class OutLine:
    """A line as a person entered it: a taxed line with its tax line folded back in (税込)."""

    side: str
    account: Account
    sub_account: SubAccount | None
    department: Department | None
    tax_code: TaxCode | None
    amount: Decimal  # 税込 for a taxed line
    tax: Decimal | None  # the 消費税等 inside ``amount`` (the full tax, also for 経過措置)
    memo: str


def _strip_note(memo: str, day: date) -> str:
    note = rules.transitional_note(purchase_date=day)
    return memo[: -len(note)].rstrip() if note and memo.endswith(note) else memo


def _out_lines(entry: JournalEntry, lines: list[JournalLine], original: list[JournalLine]) -> list[OutLine]:
    """Fold each generated tax line into its base line. A reversal's copies carry no ``tax_for``,
    so its tax lines are found through the original entry, line number by line number."""
    by_id = {ln.pk: ln for ln in (original or lines)}
    parent_no = {ln.line_no: by_id[ln.tax_for_id].line_no for ln in (original or lines) if ln.tax_for_id}
    extra: dict[int, Decimal] = defaultdict(Decimal)
    for ln in lines:
        if ln.line_no in parent_no:
            extra[parent_no[ln.line_no]] += ln.debit + ln.credit
    out = []
    for ln in lines:
        if ln.line_no in parent_no:
            continue
        taxed = ln.tax_code is not None and ln.tax_code.is_taxable
        memo = _strip_note(ln.memo, entry.date) if taxed and not ln.tax_code.qualified else ln.memo  # type: ignore[union-attr]
        out.append(
            OutLine(
                side="debit" if ln.debit else "credit",
                account=ln.account,
                sub_account=ln.sub_account,
                department=ln.department,
                tax_code=ln.tax_code,
                amount=ln.debit + ln.credit + extra[ln.line_no],
                tax=abs(ln.tax_amount or Decimal(0)) if taxed else None,
                memo=memo,
            )
        )
    return out


@dataclass(frozen=True)
class Exported:
    entry: JournalEntry
    out: list[OutLine]  # lines as entered
    lines: list[JournalLine]  # lines as stored
    reverses: str  # the voucher label of the entry this one reverses, or ""


def posted_entries(
    *, company: Company, start: date | None = None, end: date | None = None, chunk: int = 500
) -> Iterator[Exported]:
    """Posted entries of the period in journal order, each with its lines as entered (OutLine) and
    as stored. A fixed number of queries per ``chunk`` entries."""
    qs = JournalEntry.objects.for_company(company).filter(status=JournalEntry.Status.POSTED)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    ids = list(qs.order_by("date", "fiscal_year__start", "number").values_list("pk", flat=True))
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        originals = set(
            JournalEntry.objects.filter(pk__in=part, reversal_of__isnull=False).values_list(
                "reversal_of_id", flat=True
            )
        )
        wanted = set(part) | originals
        entries = JournalEntry.objects.filter(pk__in=wanted).select_related("fiscal_year").in_bulk()
        lines: dict[int, list[JournalLine]] = defaultdict(list)
        for ln in (
            JournalLine.objects.filter(entry_id__in=wanted)
            .select_related("account", "sub_account", "department", "tax_code")
            .order_by("entry_id", "line_no")
        ):
            lines[ln.entry_id].append(ln)
        for pk in part:
            e = entries[pk]
            original = entries[e.reversal_of_id] if e.reversal_of_id else None
            out = _out_lines(e, lines[pk], lines[original.pk] if original else [])
            yield Exported(e, out, lines[pk], voucher_label(original) if original else "")


def voucher_label(entry: JournalEntry) -> str:
    return f"{entry.fiscal_year.year}-{entry.number}"


# ---------------------------------------------------------------------------------- CSV out
def yayoi_memo(item: Exported) -> str:
    """仕訳メモ: our voucher label (and the one a reversal cancels), so that our own import can
    post a reversal as a reversal again; 弥生 keeps it as free text."""
    parts = [f"{ENNOSHITA_MARK}{voucher_label(item.entry)}"]
    if item.reverses:
        parts.append(f"{REVERSES_MARK}{item.reverses}")
    if item.entry.source_repr:
        parts.append(item.entry.source_repr)
    return " ".join(parts)


def yayoi_rows(entries: Iterable[Exported]) -> Iterator[list[str]]:
    """弥生インポート形式 rows (no header): 2000 for one debit against one credit, else 2110 / 2100 /
    2101 with the debit and credit lines side by side (an empty side: no account, amount 0)."""
    for item in entries:
        entry, out = item.entry, item.out
        debits = [ln for ln in out if ln.side == "debit"]
        credits = [ln for ln in out if ln.side == "credit"]
        count = max(len(debits), len(credits))
        for i in range(count):
            if count == 1:
                flag = YAYOI_SINGLE
            else:
                flag = YAYOI_FIRST if i == 0 else (YAYOI_LAST if i == count - 1 else YAYOI_MIDDLE)
            dr = debits[i] if i < len(debits) else None
            cr = credits[i] if i < len(credits) else None
            memo = entry.memo if i == 0 else ((dr.memo if dr else "") or (cr.memo if cr else ""))
            yield [
                flag,
                str(entry.number),
                "",
                entry.date.strftime("%Y/%m/%d"),
                *_yayoi_side(dr, entry.date),
                *_yayoi_side(cr, entry.date),
                defuse(memo),
                "",
                "",
                "0",
                "",
                defuse(yayoi_memo(item)),
                "0",
                "0",
                "no",
            ]


def _yayoi_side(line: OutLine | None, day: date) -> list[str]:
    if line is None:
        return ["", "", "", "", "0", ""]
    return [
        defuse(line.account.name),
        defuse(line.sub_account.name if line.sub_account else ""),
        defuse(line.department.name if line.department else ""),
        yayoi_tax_name(line.tax_code, day),
        str(line.amount),
        "" if line.tax is None else str(line.tax),
    ]


def generic_rows(entries: Iterable[Exported]) -> Iterator[list[str]]:
    """The generic layout (docs/ledger-csv.md): a header, then one row per line as entered."""
    yield list(GENERIC_COLUMNS)
    for item in entries:
        entry = item.entry
        for ln in item.out:
            yield [
                voucher_label(entry),
                entry.date.isoformat(),
                GENERIC_KINDS.get(entry.kind, ""),
                SIDE_LABELS[ln.side],
                ln.account.code,
                defuse(ln.account.name),
                defuse(ln.sub_account.code if ln.sub_account else ""),
                defuse(ln.department.code if ln.department else ""),
                ln.tax_code.key if ln.tax_code else "",
                "税込" if ln.tax is not None else "",
                str(ln.amount),
                "" if ln.tax is None else str(ln.tax),
                defuse(ln.memo or entry.memo),
                item.reverses,
            ]


def export_journal(
    *,
    company: Company,
    membership: Membership | None,
    layout: str,
    start: date | None = None,
    end: date | None = None,
    encoding: str | None = None,
    replace: bool = False,
) -> bytes:
    """The posted journal of the period as CSV bytes. 弥生 defaults to Shift_JIS (what 弥生会計
    reads), the generic layout to UTF-8 with BOM. Raises core.csvio.UnencodableError when a cell
    cannot be written in Shift_JIS (unless ``replace``). ``membership`` None: a system caller."""
    if membership is not None:
        require_role(membership, *READ_ROLES)
    entries = posted_entries(company=company, start=start, end=end)
    if layout == LAYOUT_YAYOI:
        return encode_csv(yayoi_rows(entries), encoding=encoding or SJIS, replace=replace)
    if layout == LAYOUT_GENERIC:
        return encode_csv(generic_rows(entries), encoding=encoding or "utf-8-sig", replace=replace)
    raise ValueError(f"unknown layout: {layout}")


# ---------------------------------------------------------------------------------- beancount
BEANCOUNT_ROOTS: dict[str, str] = {
    "current_assets": "Assets",
    "fixed_tangible": "Assets",
    "fixed_intangible": "Assets",
    "investments": "Assets",
    "deferred_assets": "Assets",
    "current_liabilities": "Liabilities",
    "long_term_liabilities": "Liabilities",
    "net_assets": "Equity",
    "sales": "Income",
    "non_operating_income": "Income",
    "extraordinary_income": "Income",
    "cost_of_sales": "Expenses",
    "sga": "Expenses",
    "non_operating_expenses": "Expenses",
    "extraordinary_losses": "Expenses",
    "income_taxes": "Expenses",
}
_COMPONENT_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def beancount_account(account: Account) -> str:
    """``Assets:A1110`` — the root by section, then ``A`` and the code (ASCII only, so that every
    beancount version and tool reads it); the Japanese name goes to the ``open`` metadata."""
    code = _COMPONENT_UNSAFE.sub("-", account.code)
    return f"{BEANCOUNT_ROOTS[account.section]}:A{code}"


def _bean_str(text: str) -> str:
    flat = " ".join(str(text).split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def export_beancount(*, company: Company, membership: Membership | None = None) -> str:
    """The whole book (every posted entry) as a beancount file: one ``open`` per account on the
    first day of the company's first fiscal year (or of its first entry, if earlier), one
    transaction per posted entry, amounts in JPY (debit positive, credit negative)."""
    if membership is not None:
        require_role(membership, *READ_ROLES)
    first_year = FiscalYear.objects.for_company(company).order_by("start").first()
    first_entry = (
        JournalEntry.objects.for_company(company)
        .filter(status=JournalEntry.Status.POSTED)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    candidates = [d for d in (first_year.start if first_year else None, first_entry) if d]
    opened = min(candidates) if candidates else timezone.localdate()
    out = [
        f"; {company.name} — exported by Ennoshita",
        f'option "title" {_bean_str(company.name)}',
        'option "operating_currency" "JPY"',
        "",
    ]
    for account in Account.objects.for_company(company).order_by("code"):
        out.append(f"{opened.isoformat()} open {beancount_account(account)} JPY")
        out.append(f"  name: {_bean_str(account.name)}")
        out.append(f"  code: {_bean_str(account.code)}")
        out.append(f"  section: {_bean_str(chart.SECTIONS_BY_KEY[account.section].label)}")
    out.append("")
    for item in posted_entries(company=company):
        entry, lines = item.entry, item.lines
        out.append(f"{entry.date.isoformat()} * {_bean_str(entry.memo or entry.get_kind_display())}")
        out.append(f"  voucher: {_bean_str(voucher_label(entry))}")
        out.append(f"  kind: {_bean_str(entry.kind)}")
        if item.reverses:
            out.append(f"  reverses: {_bean_str(item.reverses)}")
        if entry.source_type:
            out.append(f"  source: {_bean_str(f'{entry.source_type}:{entry.source_id}')}")
        for ln in lines:
            amount = ln.debit - ln.credit
            out.append(f"  {beancount_account(ln.account)}  {amount} JPY")
            if ln.sub_account:
                out.append(f"    sub-account: {_bean_str(ln.sub_account.name)}")
            if ln.department:
                out.append(f"    department: {_bean_str(ln.department.code)}")
                out.append(f"    department-name: {_bean_str(ln.department.name)}")
            if ln.tax_code:
                out.append(f"    tax: {_bean_str(ln.tax_code.key)}")
            if ln.memo and ln.memo != entry.memo:
                out.append(f"    memo: {_bean_str(ln.memo)}")
        out.append("")
    return "\n".join(out) + "\n"
