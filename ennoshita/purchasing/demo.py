"""The demo company's vendors and their bills, made through the services.

Seven vendors (real bank and branch codes from the zengin-code data; valid 登録番号 made with the
法人番号 check digit, and one 免税事業者 without one) and a monthly bill from each for the months of
the current fiscal year (the previous one is closed by the books' demo): rent (地代家賃), telephone
and internet (通信費), design work (外注費), translation by a 免税事業者 (外注費, 経過措置), electricity
(水道光熱費), office supplies with 軽減税率 coffee (消耗品費), cleaning (支払手数料). Bills older than
about five weeks are approved and posted; the recent ones wait for approval, one is sent back, one
is a draft. The payment-run demo (``demo_payments``) pays the older ones.

The demo's bills go 所属長 → 財務 (the demo has one 経理 user, who records them and so may not
approve them): the purchasing.bill routes are set to that here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.models import Company, Membership, Role
from ennoshita.core.rules import corporate_number_check_digit
from ennoshita.expenses.demo import receipt_png
from ennoshita.people.models import Department
from ennoshita.purchasing.models import TaxHandling, Vendor, VendorBill
from ennoshita.purchasing.permissions import REQUEST_TYPE
from ennoshita.purchasing.services import bills as bill_services
from ennoshita.purchasing.services import vendors as vendor_services


def t_number(base: str) -> str:
    """A well-formed 登録番号 for a made-up 12-digit 基礎番号 (the check digit of jp-rules §5.3)."""
    return f"T{corporate_number_check_digit(base)}{base}"


@dataclass(frozen=True)
class DemoVendor:
    code: str
    name: str
    kana: str
    base: str  # 12-digit 基礎番号, "" for a vendor without 登録番号
    bank: tuple[str, str, str]  # bank, branch, account number
    holder: str
    terms: tuple[int, int, int]  # 締め日, 支払月, 支払日
    department: str  # department code the bills are charged to
    day: int  # the day of the month its bill is dated
    lines: tuple[tuple[str, str, int, str], ...]  # description, account, 税込 amount, tax handling
    individual: bool = False


VENDORS = (
    DemoVendor(
        "V001",
        "丸の内ビルディング株式会社",
        "マルノウチビルディング",
        "010401000001",
        ("0001", "004", "1234567"),
        "マルノウチビルディング(カ",
        (31, 0, 31),
        "230",
        1,
        (("事務所賃料", "6410", 330_000, TaxHandling.P10), ("共益費", "6410", 55_000, TaxHandling.P10)),
    ),
    DemoVendor(
        "V002",
        "東日本テレコム株式会社",
        "ヒガシニホンテレコム",
        "011001000002",
        ("0005", "001", "2345678"),
        "カブシキガイシャ ヒガシニホンテレコム",
        (31, 1, 26),
        "230",
        10,
        (("電話・インターネット回線", "6270", 26_400, TaxHandling.P10),),
    ),
    DemoVendor(
        "V003",
        "株式会社デザインワークス",
        "デザインワークス",
        "020001000003",
        ("0009", "015", "3456789"),
        "株式会社デザインワークス",
        (20, 1, 10),
        "310",
        20,
        (("販促資料デザイン", "6210", 132_000, TaxHandling.P10),),
    ),
    DemoVendor(
        "V004",
        "山本翻訳事務所",
        "ヤマモトホンヤクジムショ",
        "",
        ("9900", "018", "4567890"),
        "ヤマモト ハナコ",
        (31, 1, 31),
        "100",
        28,
        (("契約書の英訳", "6210", 44_000, TaxHandling.P10),),
        individual=True,
    ),
    DemoVendor(
        "V005",
        "東京電灯サービス株式会社",
        "トウキョウデントウサービス",
        "030001000005",
        ("0005", "010", "5678901"),
        "トウキョウデントウサービス(カ",
        (31, 1, 31),
        "230",
        15,
        (("電気料金", "6340", 48_620, TaxHandling.P10),),
    ),
    DemoVendor(
        "V006",
        "オフィスサプライ株式会社",
        "オフィスサプライ",
        "040001000006",
        ("0001", "001", "6789012"),
        "オフィスサプライ(カ",
        (31, 1, 31),
        "230",
        25,
        (
            ("コピー用紙・トナー", "6310", 18_700, TaxHandling.P10),
            ("来客用コーヒー豆", "6310", 3_240, TaxHandling.P8R),
        ),
    ),
    DemoVendor(
        "V007",
        "株式会社クリーンサービス",
        "クリーンサービス",
        "050001000007",
        ("0009", "001", "7890123"),
        "カ)クリーンサービス",
        (31, 1, 20),
        "230",
        28,
        (("事務所清掃(月額)", "6370", 38_500, TaxHandling.P10),),
    ),
)


def _member(company: Company, username: str) -> Membership:
    return Membership.objects.for_company(company).select_related("user").get(user__username=username)


def _demo_routes(company: Company, admin: Membership) -> None:
    """仕入先請求書: 所属長 → 財務 (every amount)."""
    steps = [
        approval_services.StepSpec("manager", "所属長"),
        approval_services.StepSpec("role", "財務", role=Role.FINANCE),
    ]
    routes = list(approval_selectors.routes(company=company, request_type=REQUEST_TYPE))
    if not routes:
        approval_services.save_route(
            company=company,
            actor=admin.user,
            membership=admin,
            name="仕入先請求書",
            request_type=REQUEST_TYPE,
            steps=steps,
            priority=10,
        )
        return
    for route in routes:
        approval_services.save_route(
            company=company,
            actor=admin.user,
            membership=admin,
            route=route,
            name=route.name,
            request_type=REQUEST_TYPE,
            steps=steps,
            priority=route.priority,
            min_amount=route.min_amount,
            max_amount=route.max_amount,
        )


def _approve(company: Company, bill: VendorBill) -> None:
    """Every step by whoever it is assigned to, as they would on the approval screen."""
    for _step in range(5):
        request = approval_selectors.request_for(
            company=company, request_type=REQUEST_TYPE, object_id=bill.pk
        )
        if request is None or request.status != "pending":
            return
        approver_id = min(approval_selectors.open_approver_ids(request))
        member = Membership.objects.for_company(company).select_related("user").get(user_id=approver_id)
        approval_services.approve(company=company, actor=member.user, membership=member, request=request)


def _months(start: date, today: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= today:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def build_demo_purchasing(company: Company, *, today: date | None = None) -> None:
    if Vendor.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    keiri, admin = _member(company, "accounting"), _member(company, "admin")
    _demo_routes(company, admin)
    departments = {d.code: d for d in Department.objects.for_company(company)}
    writer: dict[str, Any] = {"company": company, "actor": keiri.user, "membership": keiri}
    vendors = {}
    for v in VENDORS:
        vendors[v.code] = vendor_services.create_vendor(
            **writer,
            data=vendor_services.VendorInput(
                code=v.code,
                name=v.name,
                kana=v.kana,
                registration_number=t_number(v.base) if v.base else "",
                is_individual=v.individual,
                bank_code=v.bank[0],
                branch_code=v.bank[1],
                account_number=v.bank[2],
                account_holder=v.holder,
                closing_day=v.terms[0],
                payment_month_offset=v.terms[1],
                payment_day=v.terms[2],
                default_account_code=v.lines[0][1],
            ),
        )
    year_start = fiscal_year_of(today, start_month=company.fiscal_year_start_month).start
    recent = today - timedelta(days=35)
    made: list[tuple[VendorBill, bool]] = []
    for month in _months(max(year_start, today - timedelta(days=365)), today):
        for n, v in enumerate(VENDORS):
            day = month.replace(day=min(v.day, 28))
            if day > today:
                continue
            vendor = vendors[v.code]
            bill = bill_services.save_bill(
                **writer,
                bill=None,
                vendor=vendor,
                bill_date=day,
                due_date=None,
                vendor_reference=f"{v.code[1:]}-{day:%Y%m}",
                is_qualified=vendor.is_qualified_issuer,
                payable_account_code="2112" if v.lines[0][1] == "6210" else "2130",
                department=departments.get(v.department),
                memo=f"{day.month}月分",
                lines=[
                    bill_services.BillLineSpec(
                        description=desc,
                        account_code=code,
                        amount=amount + (month.month * 11 if n == 4 else 0),
                        tax_handling=tax,
                    )
                    for desc, code, amount, tax in v.lines
                ],
            )
            # the vendor's bill as received (a scan-like image), filed in 文書 with its 電子帳簿保存法 record
            bill = bill_services.attach_bill_document(
                **writer,
                bill=bill,
                name=f"{v.code}-{day:%Y%m}.png",
                data=receipt_png([v.name, f"{day:%Y-%m-%d}", f"JPY {bill.total:,}", "INVOICE"]),
            )
            made.append((bill, day < recent))
    for bill, old in made:
        if old:
            bill_services.submit_bill(**writer, bill=bill)
            _approve(company, bill)
    waiting = [b for b, old in made if not old]
    if not waiting:
        return
    waiting.pop()  # the newest stays a draft
    for bill in waiting:
        bill_services.submit_bill(**writer, bill=bill)
    if waiting:
        returned = waiting[0]
        request = approval_selectors.request_for(
            company=company, request_type=REQUEST_TYPE, object_id=returned.pk
        )
        assert request is not None
        approver = (
            Membership.objects.for_company(company)
            .select_related("user")
            .get(user_id=min(approval_selectors.open_approver_ids(request)))
        )
        approval_services.send_back(
            company=company,
            actor=approver.user,
            membership=approver,
            request=request,
            reason="先方の請求書番号と金額をもう一度確かめてください。",
        )
