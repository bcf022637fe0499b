"""``python manage.py demo``: build 株式会社サンプル商事 with ~60 employees and one user per role.

Idempotent: a company that already exists is left as it is. ``--if-empty`` does nothing when any
company exists (what ``make run`` uses on every start).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ennoshita.core import banks
from ennoshita.core import services as core_services
from ennoshita.core.models import Company, Membership, User
from ennoshita.documents.demo import build_demo_documents
from ennoshita.people import services
from ennoshita.people.management.demo_data import (
    DEMO_PASSWORD,
    DEMO_USERS,
    DEPARTMENTS,
    FAMILY,
    GIVEN,
    POSITIONS,
)
from ennoshita.people.models import Department, Employee, EmploymentType

COMPANY = "株式会社サンプル商事"
SISTER = "株式会社サンプル物流"


class Command(BaseCommand):
    help = "Load the demo company 株式会社サンプル商事 (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="only when no company exists yet")
        parser.add_argument("--employees", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Company.objects.exists():
            return
        if Company.objects.filter(name=COMPANY).exists():
            self.stdout.write(f"{COMPANY} は既にあります。")
            return
        build_demo(employees=options["employees"])
        self.stdout.write(self.style.SUCCESS(f"{COMPANY} を作成しました。"))


@transaction.atomic
def build_demo(*, employees: int = 60, today: date | None = None) -> Company:
    today = today or timezone.localdate()
    rng = random.Random(20260401)  # the same company every time
    mizuho_branches = [b.code for b in banks.branches("0001")]
    company = core_services.create_company(
        name=COMPANY, name_kana="サンプルショウジ", corporate_number="", fiscal_year_start_month=4, actor=None
    )
    admin = core_services.add_member(
        company=company,
        actor=None,
        username="admin",
        roles=["admin"],
        password=DEMO_PASSWORD,
        last_name=FAMILY[0][0],
        first_name=GIVEN[0][0],
    )
    actor, m = admin.user, admin
    # The demo's admin also operates the installation (the バックアップ screen covers every
    # company of the installation, so it asks for an operator, not a company admin).
    actor.is_superuser = True
    actor.save(update_fields=["is_superuser"])
    # An obviously made-up 法人番号 (check digit 9 over twelve zeros) and an address for the
    # documents the company issues (invoices print them).
    core_services.update_company_settings(
        company=company,
        actor=actor,
        membership=admin,
        name=COMPANY,
        name_kana="サンプルショウジ",
        corporate_number="9000000000000",
        fiscal_year_start_month=4,
        filing_extension_months=0,
        postal_code="100-0005",
        address="東京都千代田区丸の内1-1-1",
        address2="サンプルビル 5階",
        phone="03-1234-5678",
    )
    services.set_up_company_masters(company=company, actor=actor)
    depts: dict[str, Department] = {}
    for order, (code, name, parent) in enumerate(DEPARTMENTS):
        depts[code] = services.create_department(
            company=company,
            actor=actor,
            membership=m,
            code=code,
            name=name,
            parent=depts[parent] if parent else None,
            sort_order=order,
        )
    pos = {
        code: services.create_position(
            company=company, actor=actor, membership=m, code=code, name=name, rank=rank
        )
        for code, name, rank in POSITIONS
    }
    types = {t.code: t for t in EmploymentType.objects.for_company(company)}

    number = 0

    def hire(
        family: int,
        given: int,
        dept: str,
        position: str | None,
        *,
        hire_date: date,
        etype: str = "regular",
        user: User | None = None,
        birth_date: date | None = None,
    ) -> Any:
        nonlocal number
        number += 1
        born = date(1965 + rng.randrange(35), rng.randrange(1, 13), rng.randrange(1, 29))
        fam, fam_kana = FAMILY[family % len(FAMILY)]
        giv, giv_kana, gender = GIVEN[given % len(GIVEN)]
        return services.create_employee(
            company=company,
            actor=actor,
            membership=m,
            department=depts[dept],
            position=pos[position] if position else None,
            number=f"{number:04d}",
            family_name=fam,
            given_name=giv,
            family_name_kana=fam_kana,
            given_name_kana=giv_kana,
            gender=gender,
            birth_date=birth_date or born,
            hire_date=hire_date,
            employment_type=types[etype],
            postal_code=f"{100 + rng.randrange(90):03d}{rng.randrange(10000):04d}",
            address=f"東京都千代田区丸の内{rng.randrange(1, 4)}-{rng.randrange(1, 20)}-{rng.randrange(1, 30)}",
            phone=f"090-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
            email=f"staff{number:04d}@example.jp",
            emergency_contact_name=f"{fam} {GIVEN[(given + 5) % len(GIVEN)][0]}",
            emergency_contact_relation="配偶者",
            emergency_contact_phone=f"03-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
            bank_code="0001",
            bank_branch_code=rng.choice(mizuho_branches),  # みずほ's real branches (core.banks)
            bank_account_type="1",
            bank_account_number=f"{rng.randrange(1, 9999999):07d}",
            bank_account_holder_kana=f"{fam_kana} {giv_kana}",
            user=user,
        )

    # One user per role, each with an employee record (the outside assistant has none).
    for username, roles, dept, position, fam, giv in DEMO_USERS:
        if username == "admin":
            membership: Membership = admin
        else:
            membership = core_services.add_member(
                company=company,
                actor=actor,
                username=username,
                roles=roles,
                password=DEMO_PASSWORD,
                last_name=FAMILY[fam][0],
                first_name=GIVEN[giv][0],
                expires_on=today + timedelta(days=90) if "assistant" in roles else None,
            )
        if dept is not None:
            # the demo 所属長 turns 40 this year: 介護保険料 starts on their payslips (payroll demo)
            born = date(today.year - 40, 6, 15) if username == "manager" else None
            hire(
                fam,
                giv,
                dept,
                position,
                hire_date=date(2015 + fam % 8, 4, 1),
                user=membership.user,
                birth_date=born,
            )

    # The rest of the staff, spread over the departments, with a realistic history.
    codes = [c for c, _, parent in DEPARTMENTS if parent is not None] + ["100"]
    etype_cycle = ["regular"] * 6 + ["contract", "part_time", "arbeit", "dispatched"]
    while number < employees:
        i = number
        dept = codes[i % len(codes)]
        position = "P50" if i % 9 == 0 else ("P70" if i % 4 == 0 else "P80")
        hired = date(2008 + rng.randrange(17), 4 if rng.random() < 0.7 else rng.randrange(1, 13), 1)
        e = hire(
            i * 7 + 3, i * 5 + 1, dept, position, hire_date=hired, etype=etype_cycle[i % len(etype_cycle)]
        )
        # Transfers: every third person moved once, some twice; a few are scheduled for next month.
        if i % 3 == 0:
            moved = hired + timedelta(days=365 * (1 + rng.randrange(4)))
            if moved < today:
                services.transfer_employee(
                    company=company,
                    actor=actor,
                    membership=m,
                    employee=e,
                    department=depts[codes[(i + 2) % len(codes)]],
                    position=pos["P60"],
                    effective_from=moved,
                    reason="transfer",
                    note="定期異動",
                )
        if i % 11 == 0:
            first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            services.transfer_employee(
                company=company,
                actor=actor,
                membership=m,
                employee=e,
                department=depts[codes[(i + 4) % len(codes)]],
                position=pos["P50"],
                effective_from=first_of_next,
                reason="promotion",
                note="来月付の昇格",
            )
        if i % 17 == 0 and hired < today - timedelta(days=400):
            services.retire_employee(
                company=company,
                actor=actor,
                membership=m,
                employee=e,
                retire_date=today - timedelta(days=30 + i),
            )

    # A sister company, so that switching between companies can be tried with the admin login.
    sister = core_services.create_company(name=SISTER, name_kana="サンプルブツリュウ", actor=None)
    sm = core_services.add_member(company=sister, actor=None, username="admin", roles=["admin", "hr"])
    services.set_up_company_masters(company=sister, actor=sm.user)
    root = services.create_department(company=sister, actor=sm.user, membership=sm, code="10", name="本社")
    for k in range(3):
        family_name, family_kana = FAMILY[(k + 11) % len(FAMILY)]
        given_name, given_kana, gender = GIVEN[(k + 3) % len(GIVEN)]
        services.create_employee(
            company=sister,
            actor=sm.user,
            membership=sm,
            department=root,
            number=f"L{k + 1:03d}",
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_kana,
            given_name_kana=given_kana,
            gender=gender,
            hire_date=date(2020, 4, 1),
            employment_type=EmploymentType.objects.for_company(sister).get(code="regular"),
        )
    employee = Employee.objects.for_company(company).get(user__username="employee")
    build_demo_documents(company=company, admin_membership=admin, employee=employee)
    # 会社の休業日: 年末年始 (12/29–1/3) around today, so that service levels over the New Year skip it
    this_year = timezone.localdate().year
    for y in (this_year - 1, this_year):
        core_services.add_closed_days(
            company=company,
            actor=admin.user,
            membership=admin,
            start=date(y, 12, 29),
            end=date(y + 1, 1, 3),
            name="年末年始休業",
        )
    # Apps above people (the ledger's demo books) add their part through this setting.
    for path in getattr(settings, "ENNOSHITA_DEMO_EXTRAS", []):
        import_string(path)(company)
    return company
