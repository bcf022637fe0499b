"""The printed sales documents: what a Japanese customer needs to find on them, read back from the
PDF with pypdf (IPA Gothic embedded; its text extracts exactly)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from ennoshita.sales import pdf, rules
from ennoshita.sales.models import (
    Customer,
    DeliveryLine,
    DeliveryNote,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    Payment,
    PaymentAllocation,
    Quote,
    QuoteLine,
    SalesSettings,
    SalesTax,
)

REG = "T1180301018771"


# --------------------------------------------------------------------------- helpers
def png_bytes(color=(200, 30, 30, 255), size=(120, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size=(160, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 60, 160)).save(out, format="JPEG")
    return out.getvalue()


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in read(data).pages]


def text_of(data: bytes) -> str:
    return "\n".join(pages_text(data))


def image_count(data: bytes) -> int:
    count = 0
    for page in read(data).pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        for obj in xobjects.values():
            if obj.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def is_a4_portrait(data: bytes) -> bool:
    box = read(data).pages[0].mediabox
    return round(box.width) == 595 and round(box.height) == 842


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sales_settings(company):
    return SalesSettings.objects.create(
        company=company,
        registration_number=REG,
        bank_details="みずほ銀行 本店営業部 普通 1234567 カ)テスト",
        invoice_note="お支払いは期日までにお願いいたします。",
    )


@pytest.fixture
def branded(sales_settings):
    sales_settings.logo.save("logo.png", ContentFile(png_bytes((20, 80, 160, 255), (300, 100))), save=False)
    sales_settings.seal.save("seal.png", ContentFile(png_bytes((200, 30, 30, 160))), save=False)
    sales_settings.save()
    return sales_settings


@pytest.fixture
def customer(company):
    return Customer.objects.create(
        company=company,
        code="C001",
        name="株式会社得意先",
        honorific=Customer.Honorific.ONCHU,
        postal_code="100-0001",
        address="東京都千代田区千代田1-1",
    )


LINES = [
    ("コンサルティング作業", Decimal("1"), Decimal("1234"), SalesTax.S10),
    ("保守サービス", Decimal("2"), Decimal("2839"), SalesTax.S10),
    ("出張費", Decimal("1"), Decimal("999"), SalesTax.S10),
    ("コーヒー豆", Decimal("3"), Decimal("1111"), SalesTax.S8R),
    ("紅茶", Decimal("1"), Decimal("1111"), SalesTax.S8R),
]


def make_invoice(
    company,
    customer,
    lines=LINES,
    *,
    number="INV-2026-000012",
    status=Invoice.Status.ISSUED,
    kind=Invoice.Kind.INVOICE,
    credit_of=None,
    prices_include_tax=False,
    is_summary=False,
    **kw,
) -> Invoice:
    amounts = [(rules.line_amount(quantity=q, unit_price_value=p), TAX_RATE[t]) for _d, q, p, t in lines]
    totals = rules.invoice_tax(lines=amounts, rounding="floor", tax_included=prices_include_tax)
    fields = {
        "date": date(2026, 11, 30),
        "due_date": date(2026, 12, 31),
        "subject": "11月分 保守・物販",
        "issuer_name": "株式会社テスト",
        "issuer_registration_number": REG,
        "customer_name": "株式会社得意先(発行時)",
    }
    fields.update(kw)
    invoice = Invoice.objects.create(
        company=company,
        customer=customer,
        kind=kind,
        status=Invoice.Status.DRAFT,
        number=number,
        credit_of=credit_of,
        prices_include_tax=prices_include_tax,
        tax_rounding="floor",
        is_summary=is_summary,
        subtotal=sum(t.base for t in totals.values()),
        tax_total=sum(t.tax for t in totals.values()),
        total=sum(t.gross for t in totals.values()),
        rate_totals={str(r): {"base": t.base, "tax": t.tax} for r, t in totals.items()},
        **fields,
    )
    for i, (desc, qty, price, tax) in enumerate(lines, start=1):
        InvoiceLine.objects.create(
            company=company,
            invoice=invoice,
            line_no=i,
            description=desc,
            quantity=qty,
            unit="式" if tax == SalesTax.S10 else "袋",
            unit_price=price,
            tax=tax,
            amount=rules.line_amount(quantity=qty, unit_price_value=price),
            delivered_on=date(2026, 11, 1 + i % 28) if is_summary else None,
        )
    if status == Invoice.Status.ISSUED:
        Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.ISSUED)
        invoice.refresh_from_db()
    return invoice


TAX_RATE = {SalesTax.S10: 10, SalesTax.S8R: 8, SalesTax.EXEMPT: 0, SalesTax.OUT: 0, SalesTax.EXPORT: 0}


# --------------------------------------------------------------------------- 請求書
@pytest.mark.django_db
def test_invoice_has_every_item_of_a_qualified_invoice(company, customer, sales_settings):
    invoice = make_invoice(company, customer)
    data = pdf.invoice_pdf(invoice)
    assert is_a4_portrait(data)
    text = text_of(data)
    # 10%: 1,234 + 5,678 + 999 = 7,911 → 791; 8%: 3,333 + 1,111 = 4,444 → 355 (jp-rules §5.2)
    assert "請求書" in text and "適格請求書" in text
    assert "株式会社テスト" in text  # 発行者
    assert f"登録番号 {REG}" in text
    assert "取引年月日" in text and "2026年11月30日" in text
    assert "コーヒー豆 ※" in text and "紅茶 ※" in text and "保守サービス ※" not in text
    assert "※は軽減税率" in text
    assert "10%対象" in text and "¥7,911(税抜)" in text and "消費税 ¥791" in text
    assert "8%対象" in text and "¥4,444(税抜)" in text and "消費税 ¥355" in text
    assert "小計(税抜)" in text and "¥12,355" in text
    assert "¥1,146" in text  # 消費税の合計
    assert "¥13,501-" in text and "ご請求金額" in text
    assert "株式会社得意先(発行時) 御中" in text  # 受領者: the name frozen at issue
    assert "支払期日" in text and "2026年12月31日" in text and "令和8年12月31日" in text
    assert "お振込先" in text and "みずほ銀行 本店営業部" in text
    assert "お支払いは期日までに" in text
    assert "11月分 保守・物販" in text  # 件名
    assert "INV-2026-000012" in text
    assert "1 / 1" in text
    assert "下書き" not in text
    for header in ("品名・内容", "数量", "単位", "単価", "金額", "税率"):
        assert header in text


@pytest.mark.django_db
def test_unit_prices_keep_up_to_four_decimals_without_trailing_zeros(company, customer):
    lines = [
        ("ネジ", Decimal("1000"), Decimal("1.2500"), SalesTax.S10),
        ("部品", Decimal("2.5"), Decimal("1200.0000"), SalesTax.S10),
        ("電気代", Decimal("100"), Decimal("0.1234"), SalesTax.S10),
    ]
    text = text_of(pdf.invoice_pdf(make_invoice(company, customer, lines)))
    assert "1.25" in text and "1.2500" not in text
    assert "1,200" in text and "1,200.0" not in text
    assert "0.1234" in text
    assert "2.5" in text and "2.500" not in text
    assert "1,250" in text  # 1000 × 1.25


@pytest.mark.django_db
def test_without_settings_the_invoice_still_prints(company, customer):
    invoice = make_invoice(company, customer, issuer_registration_number="", customer_name="")
    text = text_of(pdf.invoice_pdf(invoice))
    assert "株式会社得意先 御中" in text  # falls back to the customer's current name
    assert "お振込先" not in text
    assert image_count(pdf.invoice_pdf(invoice)) == 0


@pytest.mark.django_db
def test_tax_included_prices_are_labelled_and_tax_still_shown_per_rate(company, customer):
    lines = [
        ("弁当", Decimal("10"), Decimal("540"), SalesTax.S8R),
        ("雑貨", Decimal("1"), Decimal("1100"), SalesTax.S10),
    ]
    invoice = make_invoice(company, customer, lines, prices_include_tax=True)
    text = text_of(pdf.invoice_pdf(invoice))
    # 8%: 5,400 税込 → tax 5,400 × 8 / 108 = 400; 10%: 1,100 → 100
    assert "単価(税込)" in text and "金額(税込)" in text
    assert "8%対象" in text and "¥5,400(税込)" in text and "うち消費税 ¥400" in text
    assert "10%対象" in text and "¥1,100(税込)" in text and "うち消費税 ¥100" in text
    assert "¥6,500-" in text


@pytest.mark.django_db
def test_exempt_lines_show_as_out_of_scope(company, customer):
    lines = [
        ("作業", Decimal("1"), Decimal("10000"), SalesTax.S10),
        ("立替印紙代", Decimal("1"), Decimal("200"), SalesTax.OUT),
    ]
    text = text_of(pdf.invoice_pdf(make_invoice(company, customer, lines)))
    assert "対象外・非課税" in text and "¥200" in text
    assert "対象外" in text
    assert "※は軽減税率" not in text


@pytest.mark.django_db
def test_long_invoice_runs_over_pages_with_the_header_repeated(company, customer):
    lines = [
        (
            f"品目その{i:02d} " + ("長い説明文です。" * (3 if i % 7 == 0 else 0)),
            Decimal(i),
            Decimal("100"),
            SalesTax.S10,
        )
        for i in range(1, 41)
    ]
    data = pdf.invoice_pdf(make_invoice(company, customer, lines))
    texts = pages_text(data)
    assert len(texts) >= 2
    n = len(texts)
    for i, page in enumerate(texts, start=1):
        assert f"{i} / {n}" in page
        assert "品名・内容" in page and "単価" in page and "税率" in page
    assert "品目その01" in texts[0] and "品目その40" in texts[-1]
    assert "INV-2026-000012" in texts[1]  # the continued page says what it continues
    everything = "\n".join(texts)
    for i in range(1, 41):
        assert f"品目その{i:02d}" in everything
    assert "10%対象" in texts[-1] and "合計(税込)" in texts[-1]


@pytest.mark.django_db
def test_summary_invoice_shows_the_period_and_each_lines_date(company, customer):
    invoice = make_invoice(
        company, customer, is_summary=True, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)
    )
    text = text_of(pdf.invoice_pdf(invoice))
    assert "合計請求書" in text
    assert "取引年月日" in text and "2026年11月1日〜2026年11月30日" in text
    assert "日付" in text
    assert "2026/11/02" in text and "2026/11/06" in text


@pytest.fixture
def cid_font(monkeypatch, settings):
    """PDFs as on a machine without IPA Gothic: ReportLab's CID font, whose figures are wider."""
    from ennoshita.core import pdf as core_pdf

    settings.ENNOSHITA_PDF_FONT = ""
    monkeypatch.setattr(core_pdf, "FONT_CANDIDATES", ())
    core_pdf.japanese_font.cache_clear()
    pdf._font.cache_clear()
    assert core_pdf.japanese_font() == core_pdf.CID_FONT
    yield
    monkeypatch.undo()  # the font files back first, then forget the CID font
    core_pdf.japanese_font.cache_clear()
    pdf._font.cache_clear()


@pytest.mark.django_db
def test_without_ipa_gothic_no_date_or_amount_is_cut_short(company, customer, cid_font):
    # 「2026/11/02」 is wider than the 日付 column and 1,234,567,890 than an amount column at the
    # table's size in the CID font: they are printed smaller, whole (they were cut to 「2026/11…」)
    invoice = make_invoice(
        company,
        customer,
        [*LINES, ("大口案件", Decimal(1), Decimal(1_234_567_890), SalesTax.S10)],
        is_summary=True,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )
    data = pdf.invoice_pdf(invoice)
    text = text_of(data)
    assert "…" not in text
    assert "2026/11/02" in text and "2026/11/06" in text
    assert "1,234,567,890" in text
    fonts = [
        f.get_object()["/BaseFont"] for page in read(data).pages for f in page["/Resources"]["/Font"].values()
    ]
    assert any("HeiseiKakuGo" in str(name) for name in fonts)


def test_a_cell_shrinks_only_as_far_as_it_must_and_wraps_below_the_smallest_size():
    from ennoshita.core.pdf import japanese_font

    font = japanese_font()
    width = pdf._width("2026/11/02", font, pdf.TABLE_FONT_SIZE)
    assert pdf._fitting_size("2026/11/02", font, width + 1) == pdf.TABLE_FONT_SIZE
    smaller = pdf._fitting_size("2026/11/02", font, width * 0.8)
    assert smaller < pdf.TABLE_FONT_SIZE and pdf._width("2026/11/02", font, smaller) <= width * 0.8
    assert pdf._fitting_size("2026/11/02", font, 1) == pdf.MIN_CELL_FONT_SIZE


@pytest.mark.django_db
def test_draft_invoice_is_marked_as_draft(company, customer):
    invoice = make_invoice(company, customer, status=Invoice.Status.DRAFT, number="")
    text = text_of(pdf.invoice_pdf(invoice))
    assert "下書き" in text
    assert "正式な請求書として使用できません" in text


@pytest.mark.django_db
def test_credit_note_names_what_it_corrects(company, customer):
    original = make_invoice(company, customer)
    credit = make_invoice(
        company,
        customer,
        [
            ("コーヒー豆(返品)", Decimal("1"), Decimal("1111"), SalesTax.S8R),
            ("値引", Decimal("1"), Decimal("500"), SalesTax.S10),
        ],
        number="CRN-2026-000001",
        kind=Invoice.Kind.CREDIT,
        credit_of=original,
        reason="品質不良による返品",
        date=date(2026, 12, 5),
        due_date=None,
    )
    text = text_of(pdf.invoice_pdf(credit))
    assert "返還請求書" in text and "適格返還請求書" in text
    assert "INV-2026-000012" in text and "2026年11月30日発行" in text
    assert "品質不良による返品" in text
    assert "返還等の日" in text and "2026年12月5日" in text
    assert "返還等対価の額" in text
    assert "8%対象" in text and "¥1,111(税抜)" in text and "消費税 ¥88" in text
    assert "10%対象" in text and "¥500(税抜)" in text and "消費税 ¥50" in text
    assert f"登録番号 {REG}" in text
    assert "コーヒー豆(返品) ※" in text
    assert "ご請求金額" not in text and "お振込先" not in text


# --------------------------------------------------------------------------- images
@pytest.mark.django_db
def test_logo_and_seal_are_embedded_when_uploaded(company, customer, branded):
    invoice = make_invoice(company, customer)
    data = pdf.invoice_pdf(invoice)
    assert image_count(data) == 2
    again = pdf.invoice_pdf(invoice)  # from the cache: the same images
    assert image_count(again) == 2
    assert "登録番号" in text_of(again)


@pytest.mark.django_db
def test_no_images_when_none_uploaded(company, customer, sales_settings):
    assert image_count(pdf.invoice_pdf(make_invoice(company, customer))) == 0


@pytest.mark.django_db
def test_jpeg_logo_is_embedded(company, customer, sales_settings):
    sales_settings.logo.save("logo.jpg", ContentFile(jpeg_bytes()), save=True)
    assert image_count(pdf.invoice_pdf(make_invoice(company, customer))) == 1


@pytest.mark.django_db
def test_corrupt_or_missing_image_does_not_break_the_pdf(company, customer, sales_settings, caplog):
    sales_settings.logo.save("broken.png", ContentFile(b"\x89PNG\r\n\x1a\nnot really a png"), save=False)
    sales_settings.seal.name = "sales/branding/does-not-exist.png"
    sales_settings.save()
    data = pdf.invoice_pdf(make_invoice(company, customer))
    assert image_count(data) == 0
    assert "請求書" in text_of(data)
    assert any("cannot use the image" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_replaced_logo_is_read_again(company, customer, sales_settings):
    invoice = make_invoice(company, customer)
    sales_settings.logo.save("logo.png", ContentFile(b"broken"), save=True)
    assert image_count(pdf.invoice_pdf(invoice)) == 0
    sales_settings.logo.save("logo2.png", ContentFile(png_bytes()), save=True)
    assert image_count(pdf.invoice_pdf(invoice)) == 1


# --------------------------------------------------------------------------- 見積書・納品書
@pytest.mark.django_db
def test_quote(company, customer, sales_settings):
    quote = Quote.objects.create(
        company=company,
        customer=customer,
        number="Q-2026-0007",
        revision=2,
        date=date(2026, 11, 1),
        valid_until=date(2026, 11, 30),
        subject="システム導入",
        tax_rounding="floor",
        subtotal=Decimal(30000),
        tax_total=Decimal(3000),
        total=Decimal(33000),
        notes="納期はご発注から2週間です。",
    )
    QuoteLine.objects.create(
        company=company,
        quote=quote,
        line_no=1,
        description="導入作業",
        quantity=Decimal("1.5"),
        unit="人日",
        unit_price=Decimal("20000"),
        tax=SalesTax.S10,
        amount=Decimal(30000),
    )
    data = pdf.quote_pdf(quote)
    assert is_a4_portrait(data)
    text = text_of(data)
    assert "見積書" in text and "Q-2026-0007" in text and "第2版" in text
    assert "有効期限" in text and "2026年11月30日" in text
    assert "株式会社得意先 御中" in text
    assert "¥33,000-" in text and "10%対象" in text and "¥30,000(税抜)" in text  # computed from the lines
    assert "1.5" in text and "人日" in text
    assert f"登録番号 {REG}" in text
    assert "納期はご発注から2週間です。" in text


@pytest.mark.django_db
def test_delivery_note(company, customer, sales_settings):
    order = Order.objects.create(
        company=company,
        customer=customer,
        number="SO-2026-0003",
        date=date(2026, 11, 2),
        tax_rounding="floor",
        customer_reference="PO-778",
    )
    ol1 = OrderLine.objects.create(
        company=company,
        order=order,
        line_no=1,
        description="米 5kg",
        quantity=Decimal(10),
        unit="袋",
        unit_price=Decimal("2333.3333"),
        tax=SalesTax.S8R,
        amount=Decimal(23333),
    )
    ol2 = OrderLine.objects.create(
        company=company,
        order=order,
        line_no=2,
        description="配送料",
        quantity=Decimal(1),
        unit="式",
        unit_price=Decimal("1000"),
        tax=SalesTax.S10,
        amount=Decimal(1000),
    )
    delivery = DeliveryNote.objects.create(
        company=company, order=order, number="DN-2026-0001", date=date(2026, 11, 10)
    )
    DeliveryLine.objects.create(company=company, delivery=delivery, order_line=ol1, quantity=Decimal(3))
    DeliveryLine.objects.create(company=company, delivery=delivery, order_line=ol2, quantity=Decimal(1))
    text = text_of(pdf.delivery_note_pdf(delivery))
    assert "納品書" in text and "DN-2026-0001" in text and "SO-2026-0003" in text and "PO-778" in text
    assert "納品日" in text and "2026年11月10日" in text
    assert "米 5kg ※" in text and "2,333.3333" in text
    assert "6,999" in text  # 3 × 2,333.3333 = 6,999.9999 → 切り捨て
    assert "8%対象" in text and "¥6,999(税抜)" in text and "消費税 ¥559" in text
    assert "下記のとおり納品いたしました" in text


# --------------------------------------------------------------------------- 領収書
def make_payment(company, customer, invoices, *, amount=None, fee=Decimal(0)) -> Payment:
    total = sum(inv.total for inv in invoices)
    payment = Payment.objects.create(
        company=company,
        customer=customer,
        date=date(2026, 12, 10),
        amount=amount if amount is not None else total - fee,
        fee=fee,
        method=Payment.Method.CASH,
    )
    for inv in invoices:
        PaymentAllocation.objects.create(company=company, payment=payment, invoice=inv, amount=inv.total)
    return payment


@pytest.mark.django_db
def test_receipt_of_60000_needs_a_200_yen_stamp(company, customer, sales_settings):
    inv = make_invoice(company, customer, [("機器", Decimal(1), Decimal(60000), SalesTax.S10)])
    # 66,000 received, 6,000 tax shown → 60,000 decides the bracket: 200円
    payment = make_payment(company, customer, [inv])
    text = text_of(pdf.receipt_pdf(payment))
    assert "領収書" in text and "株式会社得意先 御中" in text
    assert "¥66,000-" in text
    assert "但し 請求書 INV-2026-000012 代金として" in text
    assert "10%対象" in text and "¥66,000(税込)" in text and "うち消費税 ¥6,000" in text
    assert "収入印紙" in text and "200円" in text
    assert "電子的に交付する" in text
    assert "株式会社テスト" in text and f"登録番号 {REG}" in text
    assert "2026年12月10日" in text


@pytest.mark.django_db
def test_receipt_of_40000_needs_no_stamp(company, customer, sales_settings):
    inv = make_invoice(company, customer, [("作業", Decimal(1), Decimal(40000), SalesTax.OUT)])
    payment = make_payment(company, customer, [inv])
    text = text_of(pdf.receipt_pdf(payment))
    assert "¥40,000-" in text
    assert "収入印紙" not in text and "200円" not in text


@pytest.mark.django_db
def test_receipt_with_fee_and_several_invoices(company, customer, branded):
    a = make_invoice(company, customer, [("機器", Decimal(1), Decimal(50000), SalesTax.S10)])
    b = make_invoice(
        company, customer, [("保守", Decimal(1), Decimal(10000), SalesTax.S10)], number="INV-2026-000013"
    )
    payment = make_payment(company, customer, [a, b], fee=Decimal(440))
    data = pdf.receipt_pdf(payment)
    text = text_of(data)
    assert "¥65,560-" in text
    assert "INV-2026-000012 ほか代金として" in text
    assert "振込手数料 ¥440 はご負担分として差し引き" in text
    assert "うち消費税" not in text  # a fee was deducted: no exact breakdown, so none printed
    assert "収入印紙" in text and "200円" in text  # 65,560 with no tax shown
    assert image_count(data) == 2


@pytest.mark.django_db
def test_receipt_without_allocations(company, customer):
    payment = Payment.objects.create(
        company=company, customer=customer, date=date(2026, 12, 1), amount=Decimal(3000)
    )
    text = text_of(pdf.receipt_pdf(payment))
    assert "お品代として" in text and "¥3,000-" in text


@pytest.mark.django_db
def test_settings_read_once_can_be_passed_in(company, customer, sales_settings, django_assert_num_queries):
    invoice = (
        Invoice.objects.select_related("company", "customer")
        .prefetch_related("lines")
        .get(pk=make_invoice(company, customer).pk)
    )
    with django_assert_num_queries(0):
        data = pdf.invoice_pdf(invoice, sales_settings=sales_settings)
    assert "お振込先" in text_of(data)
    with django_assert_num_queries(0):
        data = pdf.invoice_pdf(invoice, sales_settings=None)  # None: defaults, no bank details
    assert "お振込先" not in text_of(data)
    with django_assert_num_queries(1):  # not passed: the renderer reads them
        pdf.invoice_pdf(invoice)


@pytest.mark.django_db
def test_the_japanese_font_is_embedded_and_documents_do_not_mix_glyphs(company, customer):
    """The font subsets are cached between documents: two documents with different data must each
    carry their own characters (and extract exactly)."""
    from ennoshita.core.pdf import japanese_font

    if japanese_font() != "IPAGothic":
        pytest.skip("no IPA Gothic font file on this machine (fonts-ipafont-gothic): nothing to embed")
    first = pdf.invoice_pdf(
        make_invoice(company, customer, [("鰻重 特上", Decimal(1), Decimal(5000), SalesTax.S8R)])
    )
    second = pdf.invoice_pdf(
        make_invoice(
            company, customer, [("檜風呂 施工", Decimal(1), Decimal(9000), SalesTax.S10)], number="INV-2"
        )
    )
    assert "鰻重 特上 ※" in text_of(first) and "檜風呂" not in text_of(first)
    assert "檜風呂 施工" in text_of(second) and "鰻重" not in text_of(second)
    for data in (first, second):
        fonts = [
            obj.get_object()
            for page in read(data).pages
            for obj in page["/Resources"]["/Font"].values()
            if "IPAGothic" in obj.get_object()["/BaseFont"]
        ]
        assert fonts and all("/FontFile2" in f["/FontDescriptor"] for f in fonts)
