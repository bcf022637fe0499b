"""Personas shared by every test: an admin, an HR officer, an employee, and an outsider (HR of
another company). Data is created through the services, as users would create it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import settings as hypothesis_settings

from ennoshita.core import services as core_services
from ennoshita.core.models import Company, Membership
from ennoshita.core.tenancy import SESSION_KEY
from ennoshita.people import services as people_services
from ennoshita.people.models import Department, Employee, EmploymentType

PASSWORD = "test-pass-12345"

# No per-example deadline: on a busy 2-core CI machine a slow example is not a wrong one.
hypothesis_settings.register_profile("ennoshita", deadline=None)
hypothesis_settings.load_profile("ennoshita")


def make_company(name: str = "株式会社テスト") -> Company:
    company = core_services.create_company(name=name, actor=None)
    people_services.set_up_company_masters(company=company, actor=None)
    return company


def make_member(company: Company, username: str, roles: list[str], **kw) -> Membership:
    return core_services.add_member(
        company=company, actor=None, username=username, roles=roles, password=PASSWORD, **kw
    )


def make_department(
    company: Company, actor: Membership, code: str = "100", name: str = "総務部", parent=None
) -> Department:
    return people_services.create_department(
        company=company, actor=actor.user, membership=actor, code=code, name=name, parent=parent
    )


def make_employee(
    company: Company, actor: Membership, department: Department, number: str = "0001", **kw
) -> Employee:
    fields = {
        "family_name": "山田",
        "given_name": "太郎",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "タロウ",
        "hire_date": date(2020, 4, 1),
        "employment_type": EmploymentType.objects.for_company(company).get(code="regular"),
    }
    fields.update(kw)
    return people_services.create_employee(
        company=company, actor=actor.user, membership=actor, department=department, number=number, **fields
    )


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


def _trigger_sets() -> list[tuple[list[str], list[str]]]:
    """(create, drop) statements of the SQLite triggers that refuse DELETE: the audit trail's and
    the ledger's (posted entries are final) and sales' (issued invoices are final)."""
    from importlib import import_module

    from ennoshita.ledger import triggers as ledger_triggers
    from ennoshita.sales import triggers as sales_triggers

    audit = import_module("ennoshita.core.migrations.0002_audit_append_only_triggers")
    return [
        (
            [sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS") for sql in audit.SQLITE_UP],
            audit.SQLITE_DOWN,
        ),
        (ledger_triggers.SQLITE_UP, ledger_triggers.SQLITE_DOWN),
        (sales_triggers.SQLITE_UP, sales_triggers.SQLITE_DOWN),
    ]


def _ensure_audit_triggers() -> None:
    """Inside a test's transaction: put the SQLite triggers back if an earlier transactional test
    (or a migration test) left them out."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        for create, _drop in _trigger_sets():
            for sql in create:
                cur.execute(sql)


@pytest.fixture(autouse=True)
def _audit_triggers_survive_flush(request):
    """Transactional tests end with a flush (DELETE FROM every table on SQLite), which the
    append-only triggers (audit trail, posted journal entries) refuse. Lift the SQLite triggers
    only for that flush and put them back before the next test; PostgreSQL flushes with TRUNCATE,
    which row triggers do not see, so it keeps its triggers throughout."""
    if not _is_transactional(request):
        if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
            request.getfixturevalue("db")
            _ensure_audit_triggers()
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    _ensure_audit_triggers()
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            for _create, drop in _trigger_sets():
                for sql in drop:
                    cur.execute(sql)


@pytest.fixture
def company(db) -> Company:
    return make_company()


@pytest.fixture
def admin(company) -> Membership:
    return make_member(company, "admin1", ["admin"], last_name="管理", first_name="一郎")


@pytest.fixture
def hr(company) -> Membership:
    return make_member(company, "hr1", ["hr"], last_name="人事", first_name="花子")


@pytest.fixture
def department(company, hr) -> Department:
    return make_department(company, hr)


@pytest.fixture
def employee_member(company, hr, department) -> Membership:
    m = make_member(company, "emp1", ["employee"], last_name="社員", first_name="次郎")
    make_employee(
        company,
        hr,
        department,
        number="E001",
        family_name="社員",
        given_name="次郎",
        family_name_kana="シャイン",
        given_name_kana="ジロウ",
        user=m.user,
    )
    return m


@pytest.fixture
def other_company(db) -> Company:
    return make_company("株式会社よそ")


@pytest.fixture
def outsider(other_company) -> Membership:
    """HR of another company: sees everything there, nothing here."""
    return make_member(other_company, "outsider", ["hr", "admin"])


def login(client, membership: Membership):
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.company_id
    session.save()
    return client


@pytest.fixture
def as_member(client):
    return lambda membership: login(client, membership)
