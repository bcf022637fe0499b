"""仕訳CSV取込: its limits and the shapes a check or an import returns (rows, vouchers, errors)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ennoshita.core.csvio import ENCODING_LABELS
from ennoshita.ledger import services
from ennoshita.ledger.interchange import LAYOUT_LABELS
from ennoshita.ledger.models import Account, JournalEntry, SubAccount, TaxCode
from ennoshita.people.models import Department

SOURCE_TYPE = "ledger.import"
MAX_ROWS = 100_000
PREVIEW_ROWS = 20
MAX_ERRORS_IN_JOB = 30

ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RowError:
    line: int  # line in the file (1 = first line)
    column: str  # header of the column, "" for the whole row
    message: str


@dataclass
class ParsedLine:
    line: int
    side: str
    account: Account
    amount: Decimal  # as written
    gross: Decimal  # 税込, what the voucher balances on
    tax_code: TaxCode | None
    tax_included: bool | None
    sub_account: SubAccount | None = None
    department: Department | None = None
    memo: str = ""
    separate_tax: Decimal = Decimal(0)  # 別記: the tax line the service will generate
    drop: bool = False  # a 別記 tax row that the generated tax line replaces


@dataclass
class Voucher:
    key: str
    line: int  # first line in the file
    date: date | None
    memo: str = ""
    kind: str = JournalEntry.Kind.TRANSFER
    date_column: str = "日付"
    lines: list[ParsedLine] = field(default_factory=list)
    failed: bool = False  # a line of it has an error: its balance is not checked (it would be noise)
    label: str = ""  # our voucher label, when the file came from Ennoshita
    reverses: str = ""  # the label of the voucher this one reverses (posted as a 反対仕訳)
    original: Voucher | None = None  # …when that voucher is in the same file

    def inputs(self) -> list[services.LineInput]:
        return [
            services.LineInput(
                account=ln.account,
                side=ln.side,
                amount=ln.amount,
                tax_code=ln.tax_code,
                tax_included=ln.tax_included,
                department=ln.department,
                sub_account=ln.sub_account,
                memo=ln.memo,
            )
            for ln in self.lines
            if not ln.drop
        ]


@dataclass(frozen=True)
class PreviewRow:
    line: int
    voucher: str
    date: date | None
    side: str
    account: str
    tax: str
    amount: Decimal
    memo: str


@dataclass
class ImportResult:
    layout: str
    encoding: str
    rows: int = 0
    vouchers: list[Voucher] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    posted: int = 0  # entries posted (0 after a check)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_lines(self) -> int:
        return len({e.line for e in self.errors})

    @property
    def layout_label(self) -> str:
        return LAYOUT_LABELS.get(self.layout, self.layout)

    @property
    def encoding_label(self) -> str:
        return str(ENCODING_LABELS.get(self.encoding, self.encoding))
