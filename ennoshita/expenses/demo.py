"""The demo company's expense claims, made through the services: one approved and posted, one waiting
for the 所属長, one sent back (a 会議費 over the per-person line), one draft without its receipt.
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
