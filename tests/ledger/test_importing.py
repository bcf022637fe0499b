"""仕訳CSV取込: 弥生会計 仕訳日記帳 and the generic layout; every row checked first, all vouchers
posted in one transaction or none, errors per row; the screen and the background job."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ennoshita.core.models import AuditEvent, Job
from ennoshita.ledger import importing, services
from ennoshita.ledger.interchange import parse_yayoi_tax
from ennoshita.ledger.models import Balance, JournalEntry, JournalLine

from ..conftest import login
from .conftest import acct

D = "2026/11/10"


def yayoi(*rows: list[str]) -> str:
    return "\r\n".join(",".join(r) for r in rows) + "\r\n"


def yrow(
    flag,
    day,
    dr,
    dr_tax,
    dr_amt,
    cr,
    cr_tax,
    cr_amt,
    memo="",
    *,
    no="",
    dr_tax_amt="",
    cr_tax_amt="",
    dr_dept="",
    cr_dept="",
):
    return [
        flag,
        no,
        "",
        day,
        dr,
        "",
        dr_dept,
        dr_tax,
        dr_amt,
        dr_tax_amt,
        cr,
        "",
        cr_dept,
        cr_tax,
        cr_amt,
        cr_tax_amt,
        memo,
        "",
        "",
        "0",
        "",
        "",
        "0",
        "0",
        "no",
    ]


def run(company, member, text: str | bytes, layout="yayoi", encoding="cp932"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return importing.import_journal(
        company=company, actor=member.user, membership=member, data=data, layout=layout, filename="test.csv"
    )


def posted(company):
    return JournalEntry.objects.for_company(company).filter(status="posted")


def balance(company, name: str) -> int:
    rows = Balance.objects.for_company(company).filter(account=acct(company, name))
    return sum(int(b.debit - b.credit) for b in rows)


SAMPLE = yayoi(
    yrow("2000", D, "普通預金", "対象外", "50000", "売掛金", "対象外", "50000", "入金 A社"),
    # a multi-line voucher: 売上 on credit with a 10% and a reduced-rate part
    yrow(
        "2110",
        "2026/11/12",
        "売掛金",
        "対象外",
        "11000",
        "売上高",
        "課税売上内10%",
        "11000",
        "11月分売上",
        cr_tax_amt="1000",
    ),
    yrow("2100", "2026/11/12", "売掛金", "対象外", "1080", "売上高", "課税売上内軽減8%", "1080", "食品"),
    yrow("2101", "2026/11/12", "", "", "0", "", "", "0", ""),
    # 会議費 with P8R, 仕入 from an unregistered supplier (区分80% in 弥生; our P10_NQ)
    yrow("2000", "R08/11/13", "会議費", "課対仕入内軽減8%", "5400", "現金", "対象外", "5400", "打合せ 弁当"),
    yrow(
        "2000", "20261114", "消耗品費", "課対仕入内10%区分80%", "11000", "現金", "対象外", "11000", "個人商店"
    ),
)


def test_a_yayoi_file_in_shift_jis_is_posted_voucher_by_voucher(books, accountant):
    result = run(books, accountant, SAMPLE)
    assert result.errors == [] and result.posted == 4 and result.encoding == "cp932"
    entries = list(posted(books).order_by("number"))
    assert [e.date for e in entries] == [
        date(2026, 11, 10),
        date(2026, 11, 12),
        date(2026, 11, 13),
        date(2026, 11, 14),
    ]
    assert {e.source_type for e in entries} == {"ledger.import"}
    assert entries[1].memo == "11月分売上" and entries[1].source_id.endswith(":2")
    # 11,000 at 10% → 10,000 + 1,000; 1,080 at 8% → 1,000 + 80
    assert balance(books, "売上高") == -11000 and balance(books, "仮受消費税等") == -1080
    assert balance(books, "売掛金") == 12080 - 50000
    # 5,400 at 8%: tax 400; 11,000 at 10% without invoice in 2026-11: 70% of 1,000 credited
    assert balance(books, "会議費") == 5000 and balance(books, "消耗品費") == 10300
    assert balance(books, "仮払消費税等") == 400 + 700
    assert AuditEvent.objects.filter(company=books, action="import", object_type="ledger.import").count() == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_bom_is_read(books, accountant, encoding):
    result = run(books, accountant, SAMPLE, encoding=encoding)
    assert result.errors == [] and result.posted == 4 and result.encoding == encoding


def test_every_row_is_checked_and_nothing_is_written_on_any_error(books, accountant):
    services.lock_month(company=books, actor=accountant.user, membership=accountant, month=date(2026, 10, 1))
    services.save_account(
        company=books,
        actor=accountant.user,
        membership=accountant,
        account=acct(books, "雑費"),
        code="6990",
        name="雑費",
        section="sga",
        is_active=False,
    )
    text = yayoi(
        yrow("2000", D, "普通預金", "対象外", "1000", "売掛金", "対象外", "1000"),  # fine
        yrow("2000", D, "普通預金", "対象外", "1000", "売掛金X", "対象外", "1000"),  # 2: unknown account
        yrow("2000", D, "雑費", "", "1000", "現金", "", "1000"),  # 3: inactive account
        yrow("2000", D, "現金", "", "100.5", "売掛金", "", "100.5"),  # 4: fractional yen
        yrow("2000", "2026/10/05", "現金", "", "100", "売掛金", "", "100"),  # 5: locked month
        yrow("2000", "2024/10/05", "現金", "", "100", "売掛金", "", "100"),  # 6: no fiscal year
        yrow("2000", D, "現金", "課税売上内5%", "100", "売掛金", "", "100"),  # 7: old rate
        yrow("2110", D, "現金", "", "100", "売掛金", "", "90"),  # 8-9: unbalanced voucher
        yrow("2101", D, "", "", "0", "", "", "0"),
        yrow("2000", "2026/13/01", "現金", "", "100", "売掛金", "", "100"),  # 10: bad date
        yrow("2111", D, "現金", "対象外", "100", "売掛金", "ほげ", "100"),  # 11: unknown tax
    )
    result = run(books, accountant, text)
    got = {(e.line, e.column) for e in result.errors}
    assert got == {
        (2, "貸方勘定科目"),
        (3, "借方勘定科目"),
        (4, "借方金額"),
        (4, "貸方金額"),
        (5, "取引日付"),
        (6, "取引日付"),
        (7, "借方税区分"),
        (8, ""),
        (10, "取引日付"),
        (11, "貸方税区分"),
    }
    assert all(e.message for e in result.errors)
    assert "月次締め済み" in next(e.message for e in result.errors if e.line == 5)
    assert (
        result.posted == 0 and not posted(books).exists() and not Balance.objects.for_company(books).exists()
    )


def test_a_multi_line_voucher_must_end_with_2101(books, accountant):
    text = yayoi(
        yrow("2110", D, "現金", "", "100", "売掛金", "", "100"),
        yrow("2000", D, "現金", "", "100", "売掛金", "", "100"),
        yrow("2101", D, "現金", "", "100", "売掛金", "", "100"),
    )
    result = run(books, accountant, text)
    assert {(e.line, e.column) for e in result.errors} == {(1, "識別フラグ"), (3, "識別フラグ")}
    assert not posted(books).exists()


def test_tax_exclusive_and_separate_tax_lines(books, accountant):
    text = yayoi(
        # 外税: 10,000 税抜 + 1,000 → the credit side pays 11,000
        yrow("2000", D, "消耗品費", "課対仕入外10%", "10000", "現金", "対象外", "11000", dr_tax_amt="1000"),
        # 別記: 20,000 税抜, its tax 2,000 on its own 仮払消費税等 row
        yrow("2110", D, "消耗品費", "課対仕入別10%", "20000", "現金", "対象外", "22000"),
        yrow("2101", D, "仮払消費税等", "対象外", "2000", "", "", "0"),
    )
    result = run(books, accountant, text)
    assert result.errors == [] and result.posted == 2
    assert balance(books, "消耗品費") == 30000 and balance(books, "仮払消費税等") == 3000
    assert balance(books, "現金") == -33000


def test_a_separate_tax_row_that_does_not_match_is_refused(books, accountant):
    text = yayoi(
        yrow("2110", D, "消耗品費", "課対仕入別10%", "20000", "現金", "対象外", "21999"),
        yrow("2101", D, "仮払消費税等", "対象外", "1999", "", "", "0"),
    )
    result = run(books, accountant, text)
    assert any("別記" in e.message for e in result.errors) and not posted(books).exists()


def test_a_tax_amount_is_checked_against_the_companys_rounding(books, accountant):
    # 1,234 税込 at 10%: 1,234 × 10/110 = 112.18… → 112 (切り捨て, the company's rule)
    right = yrow("2000", D, "売掛金", "", "1234", "売上高", "課税売上内10%", "1234", cr_tax_amt="112")
    rounded_up = yrow("2000", D, "売掛金", "", "1234", "売上高", "課税売上内10%", "1234", cr_tax_amt="113")
    result = run(books, accountant, yayoi(rounded_up))
    assert [(e.line, e.column) for e in result.errors] == [(1, "貸方税金額")]
    assert "切り捨て" in result.errors[0].message and not posted(books).exists()
    result = run(books, accountant, yayoi(right))
    assert result.errors == [] and balance(books, "売上高") == -1122


@pytest.mark.parametrize(
    ("name", "key", "method"),
    [
        ("課税売上内10%", "S10", "内"),
        ("課税売上込10%", "S10", "内"),
        ("課税売上外10%", "S10", "外"),
        ("課税売上内軽減8%", "S8R", "内"),
        ("課対仕入内10%", "P10", "内"),
        ("課対仕入内10%適格", "P10", "内"),
        ("課対仕入内軽減8%", "P8R", "内"),
        ("課対仕入別10%", "P10", "別"),
        ("課対仕入内10%区分80%", "P10_NQ", "内"),
        ("課対仕入内軽減8%区分50%", "P8R_NQ", "内"),
        ("共対仕入内10%", "P10", "内"),
        ("課対仕入内１０％", "P10", "内"),
        ("対象外", "OUT", "内"),
        ("非課売上", "S_EXEMPT", "内"),
        ("輸出売上", "S_EXPORT", "内"),
        ("非課仕入", "P_EXEMPT", "内"),
        ("P10_NQ", "P10_NQ", "内"),
        ("", None, "内"),
    ],
)
def test_yayoi_tax_names_map_to_our_tax_codes(name, key, method):
    parsed = parse_yayoi_tax(name)
    assert (parsed.key, parsed.method) == (key, method)


@pytest.mark.parametrize("name", ["課税売上内8%", "課税売上内5%", "課税売上内10%区分80%", "ほげ"])
def test_unknown_or_old_tax_names_are_refused(name):
    with pytest.raises(ValueError):
        parse_yayoi_tax(name)


GENERIC = (
    "伝票キー,日付,貸借,勘定科目,補助科目,部門,税区分,金額,摘要\r\n"
    "A1,2026-11-10,借方,6310,,100,P10,11000,コピー用紙\r\n"
    "A1,2026-11-10,貸方,現金,,,,11000,\r\n"
    "A2,2026/11/11,借方,普通預金,,,,5000,入金\r\n"
    "A2,2026/11/11,貸方,1132,,,,5000,\r\n"
)


def test_the_generic_layout_with_a_side_column(books, accountant, department):
    result = run(books, accountant, GENERIC, layout="generic", encoding="utf-8-sig")
    assert result.errors == [] and result.posted == 2 and result.rows == 4
    line = JournalLine.objects.get(entry__company=books, account=acct(books, "消耗品費"))
    assert line.department == department and line.debit == 10000 and line.tax_code.key == "P10"
    assert balance(books, "売掛金") == -5000


def test_the_generic_layout_with_two_amount_columns(books, accountant):
    text = (
        "伝票キー,日付,勘定科目,借方金額,貸方金額,税区分,税計算,摘要\r\n"
        "1,2026-11-10,消耗品費,10000,,P10,税抜,\r\n"
        "1,2026-11-10,現金,,11000,,,\r\n"
    )
    result = run(books, accountant, text, layout="generic", encoding="utf-8")
    assert result.errors == [] and balance(books, "消耗品費") == 10000 and balance(books, "現金") == -11000


def test_the_generic_layout_reports_a_bad_header_and_bad_rows(books, accountant):
    from ennoshita.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        run(books, accountant, "日付,金額\r\n2026-11-10,100\r\n", layout="generic", encoding="utf-8")
    assert "伝票キー" in exc.value.message
    text = (
        "伝票キー,日付,貸借,勘定科目,部門,金額\r\n"
        "1,2026-11-10,借方,現金,999,100\r\n"
        "1,2026-11-11,右,売掛金,,100\r\n"
    )
    result = run(books, accountant, text, layout="generic", encoding="utf-8")
    assert {(e.line, e.column) for e in result.errors} == {(2, "部門"), (3, "日付"), (3, "貸借")}


def test_only_accounting_may_import(books, hr):
    from ennoshita.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        run(books, hr, SAMPLE)
    assert not posted(books).exists()


# ------------------------------------------------------------------------------ the screen
def test_the_screen_checks_then_imports_in_a_job(client, books, accountant):
    login(client, accountant)
    url = reverse("ledger:import")
    assert client.get(url).status_code == 200
    upload = lambda: _upload(SAMPLE.encode("cp932"))
    response = client.post(url, {"layout": "yayoi", "action": "check", "file": upload()})
    assert response.status_code == 200
    assert "取り込めます" in response.content.decode() and not posted(books).exists()
    response = client.post(url, {"layout": "yayoi", "action": "import", "file": upload()})
    assert response.status_code == 302
    job = Job.objects.get(company=books, kind="ennoshita.ledger.importing.import_runner")
    assert job.status == "succeeded" and job.result["entries"] == 4 and "text" not in job.params
    assert posted(books).count() == 4
    page = client.get(response["Location"]).content.decode()
    assert f"job-{job.pk}" in page


def test_the_screen_lists_the_errors_and_writes_nothing(client, books, accountant):
    login(client, accountant)
    bad = yayoi(yrow("2000", D, "現金", "", "100", "売掛金X", "", "100"))
    response = client.post(
        reverse("ledger:import"),
        {"layout": "yayoi", "action": "import", "file": _upload(bad.encode("cp932"))},
    )
    assert response.status_code == 400
    assert "売掛金X" in response.content.decode()
    assert not Job.objects.filter(company=books).exists() and not posted(books).exists()


def test_the_screen_is_for_accounting_only(client, books, hr):
    login(client, hr)
    assert client.get(reverse("ledger:import")).status_code == 403


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("journal.csv", data, content_type="text/csv")
