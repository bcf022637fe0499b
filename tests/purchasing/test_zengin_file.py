"""The 全銀 総合振込 file a confirmed run files, read back byte by byte at the positions of
jp-rules §8 (header 1, data 2, trailer 8, end 9; 120 characters each, CP932 single-byte, CR LF)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from ennoshita.core.errors import ServiceError
from ennoshita.documents.models import Document
from ennoshita.documents.storage import open_blob
from ennoshita.purchasing.models import PaymentItem
from ennoshita.purchasing.services import payments

from .payments_fixtures import (  # noqa: F401
    YEN,
    confirm,
    counts,
    create_run,
    make_bill,
    make_claim,
    make_vendor,
    pay_fixture,
)

pytestmark = pytest.mark.django_db


def field(record: bytes, start: int, length: int) -> str:
    """§8 positions are 1-based, in bytes."""
    return record[start - 1 : start - 1 + length].decode("cp932")


def records_of(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(r) == 120 for r in lines), [len(r) for r in lines]
    return lines


def test_the_file_reads_back_field_by_field(pay):
    bill = make_bill(pay, 253500)
    claim = make_claim(pay, 198765, employee=pay.employee)
    run = confirm(pay, create_run(pay))
    name, data = payments.transfer_file(company=pay.company, membership=pay.accountant, run=run)
    assert name == f"sogo_furikomi_{pay.day:%Y%m%d}_{run.number}.txt"
    # one byte a character: what decodes is exactly as long as the bytes
    assert len(data.decode("cp932")) == len(data) == 5 * 122
    header, first, second, trailer, end = records_of(data)

    assert field(header, 1, 1) == "1"
    assert field(header, 2, 2) == "21"  # 総合振込
    assert field(header, 4, 1) == "0"  # JIS
    assert field(header, 5, 10) == "1234567890"
    assert field(header, 15, 40) == "ｶ)ﾃｽﾄ".ljust(40)
    assert field(header, 55, 4) == f"{pay.day:%m%d}"
    assert field(header, 59, 4) == "0001"
    assert field(header, 63, 15) == "ﾐｽﾞﾎ".ljust(15)
    assert field(header, 78, 3) == "001"
    assert field(header, 81, 15) == "ﾄｳｷﾖｳ".ljust(15)
    assert field(header, 96, 1) == "1"
    assert field(header, 97, 7) == "1234567"
    assert field(header, 104, 17) == " " * 17

    # the bill to 株式会社山田商事 (三井住友 神保町), then the claim to 山田 花子 (三菱ＵＦＪ 本店)
    assert field(first, 1, 1) == "2"
    assert field(first, 2, 4) == "0009"
    assert field(first, 6, 15) == "ﾐﾂｲｽﾐﾄﾓ".ljust(15)
    assert field(first, 21, 3) == "001"
    assert field(first, 24, 15) == "ｼﾞﾝﾎﾞｳﾁﾖｳ".ljust(15)
    assert field(first, 39, 4) == "0000"
    assert field(first, 43, 1) == "1"
    assert field(first, 44, 7) == "1112223"
    assert field(first, 51, 30) == "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ".ljust(30)
    assert field(first, 81, 10) == "0000253500"
    assert field(first, 91, 1) == "0"
    assert field(first, 112, 1) == "7"  # 電信
    assert field(first, 114, 7) == " " * 7

    assert field(second, 1, 1) == "2"
    assert field(second, 2, 4) == "0005"
    assert field(second, 6, 15) == "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ".ljust(15)
    assert field(second, 21, 3) == "001"
    assert field(second, 44, 7) == "7654321"
    assert field(second, 51, 30) == "ﾔﾏﾀﾞ ﾊﾅｺ".ljust(30)
    assert field(second, 81, 10) == "0000198765"

    assert field(trailer, 1, 1) == "8"
    assert int(field(trailer, 2, 6)) == 2 == run.count
    assert int(field(trailer, 8, 12)) == 253500 + 198765 == run.total
    assert field(trailer, 20, 101) == " " * 101
    assert field(end, 1, 1) == "9"
    assert field(end, 2, 119) == " " * 119
    assert {bill.pk} == {i.vendor_bill_id for i in PaymentItem.objects.filter(run=run, kind="vendor_bill")}
    assert {claim.pk} == {
        i.expense_claim_id for i in PaymentItem.objects.filter(run=run, kind="expense_claim")
    }


def test_the_trailer_counts_and_sums_every_item(pay):
    other = make_vendor(pay, code="V002", name="有限会社さくら", account_holder="ユウゲンガイシャ サクラ")
    amounts = [1, 999, 1_000_000, 12_345_678, 50_000]
    for n, amount in enumerate(amounts):
        make_bill(pay, amount, vendor=other if n % 2 else pay.vendor)
    run = confirm(pay, create_run(pay))
    _name, data = payments.transfer_file(company=pay.company, membership=pay.accountant, run=run)
    records = records_of(data)
    assert [r[:1] for r in records] == [b"1", *[b"2"] * len(amounts), b"8", b"9"]
    data_records = records[1:-2]
    assert sorted(int(field(r, 81, 10)) for r in data_records) == sorted(amounts)
    assert int(field(records[-2], 2, 6)) == len(amounts)
    assert int(field(records[-2], 8, 12)) == sum(amounts)
    assert {field(r, 51, 30).rstrip() for r in data_records} == {"ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", "ﾕ)ｻｸﾗ"}
    assert all(b < 0x80 or 0xA1 <= b <= 0xDF for b in data if b not in (0x0D, 0x0A))  # JIS8 only


def test_the_filed_document_is_the_file_with_its_metadata(pay):
    make_bill(pay, 33000)
    run = confirm(pay, create_run(pay))
    document = Document.objects.get(pk=run.file_document_id)
    data = open_blob(document.current_version.sha256)
    assert hashlib.sha256(data).hexdigest() == run.file_sha256
    assert document.folder.name == "振込データ"
    assert document.name == payments.file_name(run)
    assert document.is_transaction_record
    assert document.transaction_date == pay.day
    assert document.transaction_amount == YEN(33000)
    assert document.counterparty == "株式会社山田商事"
    assert document.retention_until is not None and document.retention_until.year >= pay.day.year + 7
    assert run.number.lower() in document.search_text  # the search key is folded


def test_a_draft_previews_the_same_bytes_it_will_file(pay):
    make_bill(pay, 12000)
    make_claim(pay, 3000, employee=pay.employee)
    run = create_run(pay)
    _name, preview = payments.transfer_file(company=pay.company, membership=pay.accountant, run=run)
    run = confirm(pay, run)
    _name, filed = payments.transfer_file(company=pay.company, membership=pay.accountant, run=run)
    assert preview == filed


def test_lf_free_records_can_be_had_from_the_rules(pay):
    """The bytes a run files use CR LF; the rules also give bare 120-byte records (bank option)."""
    from ennoshita.purchasing import rules
    from ennoshita.purchasing.selectors.payments import settings_of

    make_bill(pay, 1000)
    run = create_run(pay)
    items = list(PaymentItem.objects.filter(run=run))
    data = payments.build_transfer_file(settings_row=settings_of(company=pay.company), run=run, items=items)
    bare = data.replace(b"\r\n", b"")
    assert len(bare) == 4 * rules.RECORD_LENGTH


def test_an_item_whose_bank_data_became_invalid_is_refused_with_nothing_written(pay):
    make_bill(pay, 5000)
    run = create_run(pay)
    PaymentItem.objects.filter(run=run).update(branch_code="999")  # a branch that does not exist
    before = counts()
    with pytest.raises(ServiceError) as err:
        confirm(pay, run)
    assert "株式会社山田商事" in err.value.message and "999" in err.value.message
    assert counts() == before
    run.refresh_from_db()
    assert run.status == "draft" and not run.file_sha256


def test_a_holder_that_became_full_width_kanji_is_refused(pay):
    make_bill(pay, 5000)
    run = create_run(pay)
    PaymentItem.objects.filter(run=run).update(account_holder="山田商事")
    before = counts()
    with pytest.raises(ServiceError) as err:
        confirm(pay, run)
    assert "使えない文字" in err.value.message
    assert counts() == before


def test_ten_thousand_transfers_build_quickly(pay):
    """The file is string work: 10,000 items in well under 5 s (here: under 3 s even on a busy CI)."""
    import time

    from ennoshita.purchasing.selectors.payments import settings_of

    make_bill(pay, 1000)
    run = create_run(pay, due_by=timezone.localdate() + timedelta(days=30))
    item = PaymentItem.objects.get(run=run)
    items = [item] * 10_000
    started = time.perf_counter()
    data = payments.build_transfer_file(settings_row=settings_of(company=pay.company), run=run, items=items)
    elapsed = time.perf_counter() - started
    assert len(data) == (10_000 + 3) * 122
    assert elapsed < 3.0, elapsed
