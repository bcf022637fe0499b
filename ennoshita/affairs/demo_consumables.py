"""The demo company's 消耗品: 15 items in two places, a month of receipts and issues to the
departments, a stock count, a few open requests from the staff, and one item (トナー) under its
reorder point. Through the services; idempotent (returns at once when the items exist)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ennoshita.core import selectors as core_selectors
from ennoshita.core.models import Company, Membership, Role
from ennoshita.people import selectors as people_selectors

from .models import Consumable, Location
from .services import consumables as services
from .services import settings as settings_services

PLACES = ["本社5F 倉庫", "大阪営業所"]

# (code, name, unit, unit cost, reorder point, reorder quantity, vendor, received at 本社, at 大阪)
ITEMS = [
    ("ST-001", "コピー用紙 A4(500枚×5冊)", "箱", "2480", 10, 20, "アスクル株式会社", 40, 10),
    ("ST-002", "コピー用紙 A3(500枚×3冊)", "箱", "3980", 2, 4, "アスクル株式会社", 6, 0),
    ("ST-003", "トナーカートリッジ(黒)", "本", "18500", 3, 4, "株式会社オフィスサプライ", 4, 0),
    ("ST-004", "トナーカートリッジ(カラー3色)", "セット", "42000", 1, 2, "株式会社オフィスサプライ", 3, 0),
    ("ST-005", "ボールペン 黒 0.5mm", "本", "110", 50, 100, "アスクル株式会社", 200, 50),
    ("ST-006", "ボールペン 赤 0.5mm", "本", "110", 20, 50, "アスクル株式会社", 60, 20),
    ("ST-007", "付箋 75×75mm", "冊", "98.5", 30, 100, "アスクル株式会社", 150, 30),
    ("ST-008", "クリアファイル A4(10枚)", "袋", "220", 20, 40, "アスクル株式会社", 60, 10),
    ("ST-009", "ホチキス針 No.10(1000本)", "箱", "66", 20, 50, "アスクル株式会社", 80, 20),
    ("ST-010", "単3アルカリ乾電池", "本", "45.5", 40, 80, "株式会社電池商会", 120, 24),
    ("ST-011", "単4アルカリ乾電池", "本", "45.5", 20, 40, "株式会社電池商会", 60, 12),
    ("ST-012", "ガムテープ 50mm", "巻", "198", 10, 20, "アスクル株式会社", 30, 6),
    ("ST-013", "封筒 長形3号(100枚)", "箱", "880", 5, 10, "株式会社オフィスサプライ", 20, 4),
    ("ST-014", "ハンドソープ 詰替", "本", "398", 6, 12, "株式会社日用品センター", 18, 6),
    ("ST-015", "ペーパータオル(200枚×30)", "箱", "3200", 2, 4, "株式会社日用品センター", 5, 2),
]

# (code, quantity, days ago, department index, place index)
ISSUES = [
    ("ST-001", 8, 27, 0, 0),
    ("ST-001", 6, 20, 1, 0),
    ("ST-001", 5, 12, 2, 0),
    ("ST-001", 4, 5, 0, 1),
    ("ST-003", 1, 21, 0, 0),
    ("ST-003", 1, 9, 1, 0),
    ("ST-005", 40, 25, 1, 0),
    ("ST-005", 20, 8, 2, 0),
    ("ST-007", 30, 18, 0, 0),
    ("ST-008", 15, 14, 3, 0),
    ("ST-010", 24, 16, 2, 0),
    ("ST-010", 12, 6, 1, 1),
    ("ST-012", 8, 11, 3, 0),
    ("ST-013", 6, 4, 0, 0),
    ("ST-014", 6, 3, 3, 0),
]


def _operator(company: Company) -> Membership | None:
    members = list(core_selectors.memberships_of_company(company=company).filter(is_active=True))
    for role in (Role.AFFAIRS, Role.ADMIN):
        for m in members:
            if m.has_any_role(role):
                return m
    return None


def _place(company: Company, w: dict[str, Any], name: str) -> Location:
    found = Location.objects.for_company(company).filter(name=name).first()
    return found or settings_services.create_location(**w, name=name)


def build_demo_consumables(company: Company) -> None:
    if Consumable.objects.for_company(company).exists():
        return
    operator = _operator(company)
    if operator is None:
        return
    w: dict[str, Any] = {"company": company, "actor": operator.user, "membership": operator}
    today = timezone.localdate()
    start = today - timedelta(days=30)
    places = [_place(company, w, name) for name in PLACES]
    items: dict[str, Consumable] = {}
    for code, name, unit, cost, point, qty, vendor, main, branch in ITEMS:
        item = services.create_consumable(
            **w,
            data=services.ConsumableInput(
                code=code,
                name=name,
                unit=unit,
                unit_cost=cost,
                reorder_point=point,
                reorder_quantity=qty,
                vendor_name=vendor,
            ),
        )
        items[code] = item
        for place, n in ((places[0], main), (places[1], branch)):
            if n:
                services.receive_stock(
                    **w,
                    consumable=item,
                    location=place,
                    quantity=n,
                    unit_cost=cost,
                    moved_on=start,
                    note="月初の補充",
                )
    # a second receipt at a higher price: the unit cost moves to the moving average
    services.receive_stock(
        **w,
        consumable=items["ST-001"],
        location=places[0],
        quantity=20,
        unit_cost=Decimal("2580"),
        moved_on=today - timedelta(days=15),
        note="値上げ後の単価",
    )
    departments = list(people_selectors.departments(company=company).order_by("sort_order", "code"))
    for code, n, ago, dept, place_no in ISSUES:
        services.issue_stock(
            **w,
            consumable=items[code],
            location=places[place_no],
            quantity=n,
            department=departments[dept % len(departments)] if departments else None,
            moved_on=today - timedelta(days=ago),
        )
    services.transfer_stock(
        **w,
        consumable=items["ST-005"],
        from_location=places[0],
        to_location=places[1],
        quantity=30,
        moved_on=today - timedelta(days=10),
        note="大阪営業所へ補充",
    )
    services.record_stock_count(
        **w,
        consumable=items["ST-009"],
        location=places[0],
        counted_quantity=76,
        moved_on=today - timedelta(days=2),
        note="月次棚卸",
    )
    _requests(company, items, places, w)


def _requests(
    company: Company, items: dict[str, Consumable], places: list[Location], w: dict[str, Any]
) -> None:
    """Open requests from the staff (the employee login first), and one issued and one rejected."""
    members = [
        m
        for m in core_selectors.memberships_of_company(company=company).filter(is_active=True)
        if not m.has_any_role(Role.ASSISTANT)
    ]
    members.sort(key=lambda m: (m.user.username != "employee", m.user.username != "manager", m.user.username))
    wanted = [
        ("ST-001", 2, "営業資料の印刷"),
        ("ST-007", 5, ""),
        ("ST-010", 4, "ワイヤレスマウス用"),
        ("ST-005", 3, ""),
    ]
    for member, (code, n, note) in zip(members, wanted, strict=False):
        services.request_consumable(
            company=company,
            actor=member.user,
            membership=member,
            consumable=items[code],
            quantity=n,
            note=note,
        )
    if len(members) > 1:
        done = services.request_consumable(
            company=company,
            actor=members[1].user,
            membership=members[1],
            consumable=items["ST-012"],
            quantity=2,
        )
        services.issue_request(**w, request=done, location=places[0])
        refused = services.request_consumable(
            company=company,
            actor=members[0].user,
            membership=members[0],
            consumable=items["ST-004"],
            quantity=1,
        )
        services.reject_request(**w, request=refused, note="カラートナーは部門ごとに月1セットまでです")
