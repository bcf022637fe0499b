"""The demo company's 備品: six categories, three places, 40 items, most PCs, phones and cards lent to
the staff, two items at or over the fixed-asset threshold, a returned loan in the history, and a
leaver who still holds a PC. Through the services; idempotent (nothing is added a second time)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ennoshita.core import selectors as core_selectors
from ennoshita.core.models import Company, Membership, Role
from ennoshita.people import selectors as people_selectors
from ennoshita.people.models import Employee

from .models import Equipment, EquipmentCategory
from .services import equipment as services
from .services import settings as settings_services

CATEGORIES = [
    ("PC", True),
    ("スマートフォン", True),
    ("鍵", True),
    ("入館カード", True),
    ("モニター", True),
    ("家具", False),
]
PLACES = ["本社5F 執務室", "本社5F 倉庫", "大阪営業所"]

# (prefix, category, name, maker, price, vendor, count)
ITEMS = [
    ("PC", "PC", "ノートPC", "Lenovo ThinkPad X1 Carbon", 98000, "株式会社オフィスデポ商会", 11),
    ("PC", "PC", "ワークステーション(設計用)", "Dell Precision 5680", 268000, "株式会社オフィスデポ商会", 1),
    ("SP", "スマートフォン", "業務用スマートフォン", "Apple iPhone 15", 89800, "サンプル通信株式会社", 8),
    ("KY", "鍵", "通用口の鍵", "", None, "", 3),
    ("KY", "鍵", "書庫の鍵", "", None, "", 2),
    ("CD", "入館カード", "入館カード", "", 1500, "丸の内ビル管理株式会社", 9),
    ("MN", "モニター", "27インチモニター", "EIZO FlexScan EV2781", 62000, "株式会社オフィスデポ商会", 4),
    ("FN", "家具", "応接セット", "コクヨ", 180000, "株式会社オフィス家具センター", 1),
    ("FN", "家具", "書庫キャビネット", "オカムラ", 45000, "株式会社オフィス家具センター", 1),
]


def _operator(company: Company) -> Membership | None:
    members = list(core_selectors.memberships_of_company(company=company).filter(is_active=True))
    for role in (Role.AFFAIRS, Role.ADMIN):
        for m in members:
            if m.has_any_role(role):
                return m
    return None


def _lent_on(employee: Employee, bought: date, today: date) -> date:
    return min(today, max(employee.hire_date, bought))


def build_demo_equipment(company: Company) -> None:
    if EquipmentCategory.objects.for_company(company).exists():
        return
    operator = _operator(company)
    if operator is None:
        return
    w: dict[str, Any] = {"company": company, "actor": operator.user, "membership": operator}
    today = timezone.localdate()
    settings_services.settings_of(company)  # the defaults: 100,000円 (法人税法施行令133条)
    categories = {
        name: services.create_category(**w, name=name, is_lendable=lendable, sort_order=i + 1)
        for i, (name, lendable) in enumerate(CATEGORIES)
    }
    places = [settings_services.create_location(**w, name=name) for name in PLACES]
    items = []
    counters: dict[str, int] = {}
    for k, (prefix, category, name, maker, price, vendor, count) in enumerate(ITEMS):
        for i in range(count):
            counters[prefix] = counters.get(prefix, 0) + 1
            bought = today - timedelta(days=60 + 97 * ((i + k) % 12))
            item = services.register_equipment(
                **w,
                data=services.EquipmentInput(
                    asset_number=f"{prefix}-{counters[prefix]:04d}",
                    name=name,
                    category_id=categories[category].pk,
                    location_id=places[
                        2 if i % 7 == 6 else (1 if category in ("PC", "スマートフォン") else 0)
                    ].pk,
                    maker=maker,
                    serial_number=f"{prefix}{bought:%y%m}{counters[prefix]:05d}" if maker else "",
                    purchase_date=bought,
                    purchase_price=Decimal(price) if price is not None else None,
                    vendor_name=vendor,
                    warranty_end=(bought + timedelta(days=3 * 365)) if maker else None,
                ),
            )
            items.append(item)
    staff = people_selectors.employees_in_service(company=company, as_of=today)
    # the demo logins first (the employee login sees 私の貸与品), then the rest in 社員番号 order
    staff.sort(key=lambda e: (e.user is None or e.user.username != "employee", e.user_id is None, e.number))
    lendable = {
        c: [i for i in items if i.category_id == categories[c].pk]
        for c in ("PC", "スマートフォン", "入館カード", "鍵")
    }
    keep = {"PC": 3, "スマートフォン": 2, "入館カード": 1, "鍵": 3}  # left 保管中 (spares)
    for category, pool in lendable.items():
        for item, employee in zip(pool[: len(pool) - keep[category]], staff, strict=False):
            services.lend_equipment(
                **w,
                equipment=item,
                employee=employee,
                lent_on=_lent_on(employee, item.purchase_date or today, today),
                note="在宅勤務用" if category == "PC" else "",
            )
    # a returned loan in a spare PC's history, and a monitor sent to repair
    spare = lendable["PC"][-1]
    if staff:
        services.lend_equipment(
            **w, equipment=spare, employee=staff[-1], lent_on=today - timedelta(days=40), note="出張用の貸出"
        )
        services.return_equipment(
            **w, equipment=spare, returned_on=today - timedelta(days=33), return_note="異常なし"
        )
    monitors = [i for i in items if i.category_id == categories["モニター"].pk]
    services.set_equipment_status(**w, equipment=monitors[-1], status="repair")
    _leaver_keeps_a_pc(company, w, lendable["PC"][-2], today)


def _leaver_keeps_a_pc(company: Company, w: dict[str, Any], pc: Equipment, today: date) -> None:
    """返却が必要な備品: someone who has left (the people demo retires a few) still holds a PC."""
    reader = next(
        (
            m
            for m in core_selectors.memberships_of_company(company=company)
            if m.has_any_role(Role.ADMIN, Role.HR)
        ),
        None,
    )
    if reader is None:
        return
    leavers = [
        e
        for e in people_selectors.employee_list(company=company, membership=reader, status="retired")
        if e.retire_date is not None
    ]
    if not leavers:
        return
    leaver = max(leavers, key=lambda e: (e.retire_date, e.number))  # the most recent leaver
    assert leaver.retire_date is not None
    bought = min(pc.purchase_date or leaver.retire_date, leaver.retire_date)
    lent_on = max(leaver.hire_date, bought, leaver.retire_date - timedelta(days=300))
    services.lend_equipment(**w, equipment=pc, employee=leaver, lent_on=lent_on, note="退職時に返却予定")
