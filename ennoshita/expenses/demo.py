"""The demo company's expense claims, made through the services, in every state: approved and
posted (one for each past month of the open fiscal year, and a recent one), waiting for the 所属長,
sent back (a 会議費 over the per-person line), rejected, withdrawn, and a draft without its receipt.
Receipts are small PNG images drawn with Pillow. Loaded by ``manage.py demo`` through
``ENNOSHITA_DEMO_EXTRAS`` (after the approvals demo, which sets the 所属長 and the routes).
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ennoshita.approvals import selectors as approval_selectors
from ennoshita.approvals import services as approval_services
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.models import Company, Membership

from . import services
from .models import ExpenseCategory, ExpenseClaim

T_NUMBER = "T7000012050002"  # a well-formed 登録番号 (国税庁's 法人番号, jp-rules §5.3)


def receipt_png(lines: list[str]) -> bytes:
    """A small receipt-like image (white paper, black text)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 40 + 18 * len(lines)), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((10, 8), "RECEIPT", fill=(0, 0, 0))
    for n, text in enumerate(lines):
        draw.text((10, 30 + 18 * n), text, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _member(company: Company, username: str) -> Membership:
    return Membership.objects.for_company(company).select_related("user").get(user__username=username)


def build_demo_expenses(company: Company, *, today: date | None = None) -> None:
    if ExpenseClaim.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    services.ensure_setup(company=company)
    cat = {c.code: c.pk for c in ExpenseCategory.objects.for_company(company)}
    employee, manager, keiri = (_member(company, u) for u in ("employee", "manager", "accounting"))

    def spec(
        code: str,
        days_ago: int,
        payee: str,
        purpose: str,
        amount: int,
        *,
        qualified: bool = True,
        with_receipt: bool = True,
        **kw: object,
    ) -> services.LineSpec:
        day = today - timedelta(days=days_ago)
        upload = (
            services.ReceiptUpload(f"{payee}.png", receipt_png([str(day), payee, f"JPY {amount:,}"]))
            if with_receipt
            else None
        )
        return services.LineSpec(
            date=day,
            payee=payee,
            purpose=purpose,
            category_id=cat[code],
            amount=str(amount),
            registration_number=T_NUMBER if qualified else "",
            is_qualified=qualified,
            receipt=upload,
            **kw,  # type: ignore[arg-type]
        )

    def save(title: str, lines: list[services.LineSpec]) -> ExpenseClaim:
        return services.save_claim(
            company=company, actor=employee.user, membership=employee, claim=None, title=title, lines=lines
        )

    def submit(claim: ExpenseClaim) -> None:
        services.submit_claim(company=company, actor=employee.user, membership=employee, claim=claim)

    def request_of(claim: ExpenseClaim) -> Any:
        return approval_selectors.request_for(
            company=company, request_type="expenses.claim", object_id=claim.pk
        )

    approved = save(
        "顧客訪問(交通費・打合せ)",
        [
            spec(
                "TRANSIT",
                12,
                "JR東日本",
                "A社訪問",
                480,
                qualified=False,
                with_receipt=False,
                route_from="東京",
                route_to="新宿",
                round_trip=True,
            ),
            spec(
                "MEETING",
                12,
                "喫茶ルーム",
                "A社と打合せ",
                2200,
                attendees="A社 佐藤様、当社 社員",
                attendee_count=2,
            ),
            spec("TAXI", 11, "個人タクシー", "B社訪問(終電後)", 3800, qualified=False),
        ],
    )
    submit(approved)
    for member in (manager, keiri):
        approval_services.approve(
            company=company, actor=member.user, membership=member, request=request_of(approved)
        )

    waiting = save(
        "資料購入",
        [
            spec("BOOKS", 5, "丸善", "業界動向の書籍", 3080),
            spec("SUPPLIES", 4, "文具店", "プリンタのトナー", 8800),
        ],
    )
    submit(waiting)

    returned = save(
        "取引先との会食",
        [
            spec(
                "MEETING",
                3,
                "割烹 さくら",
                "B社と会食",
                39600,
                attendees="B社 田中様、当社 社員・部長",
                attendee_count=3,
            )
        ],
    )
    submit(returned)
    approval_services.send_back(
        company=company,
        actor=manager.user,
        membership=manager,
        request=request_of(returned),
        reason="1人あたり1万円(税抜)を超えています。交際費で出し直してください。",
    )

    save(
        "消耗品(領収書待ち)", [spec("SUPPLIES", 1, "ホームセンター", "延長コード", 1980, with_receipt=False)]
    )

    rejected = save("私用の書籍(誤申請)", [spec("BOOKS", 6, "書店", "小説", 1650)])
    submit(rejected)
    approval_services.reject(
        company=company,
        actor=manager.user,
        membership=manager,
        request=request_of(rejected),
        reason="業務に関係のない書籍は精算できません。",
    )
    withdrawn = save("二重に作成した精算", [spec("SUPPLIES", 7, "文具店", "ボールペン", 660)])
    submit(withdrawn)
    services.withdraw_claim(company=company, actor=employee.user, membership=employee, claim=withdrawn)

    # the months of the open fiscal year before this one: one approved claim a month, so that the
    # ledger and the indirect-cost dashboard have a history (the previous year is closed in the demo)
    fiscal_start = fiscal_year_of(today, start_month=company.fiscal_year_start_month).start
    month = fiscal_start
    while (month.year, month.month) < (today.year, today.month):
        ago = (today - month).days - 9  # the 10th of that month
        monthly = save(
            f"{month.month}月の経費",
            [
                spec(
                    "TRANSIT",
                    ago,
                    "東京メトロ",
                    "客先訪問",
                    420 + 20 * month.month,
                    qualified=False,
                    with_receipt=False,
                    route_from="大手町",
                    route_to="渋谷",
                    round_trip=True,
                ),
                spec("SUPPLIES", ago - 2, "文具のヤマダ", "事務用品", 1100 * (1 + month.month % 4)),
                spec("COMM", ago - 5, "郵便局", "書類の郵送(レターパック)", 600 + 430 * (month.month % 3)),
                spec(
                    "MEETING",
                    ago - 8,
                    "喫茶ルーム",
                    "C社と打合せ",
                    1760,
                    attendees="C社 鈴木様、当社 社員",
                    attendee_count=2,
                ),
            ],
        )
        submit(monthly)
        for member in (manager, keiri):
            approval_services.approve(
                company=company, actor=member.user, membership=member, request=request_of(monthly)
            )
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
