"""住民税の一括取込: every row checked first, all or nothing, errors by line, the same employee and
年度 replaced (audited), UTF-8 and Shift_JIS."""

from __future__ import annotations

import pytest

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.payroll.models import ResidentTax
from ennoshita.payroll.services.resident_tax_import import import_resident_taxes

from ..conftest import make_employee
from .factories import make_resident_tax

pytestmark = pytest.mark.django_db

HEADER = "年度,市区町村コード,市区町村名,社員番号,氏名,年税額,6月分,7月分\n"


def w(m):
    return {"company": m.company, "actor": m.user, "membership": m}


@pytest.fixture
def people(company, hr, department):
    return {
        "0001": make_employee(company, hr, department, number="0001", family_name="山田", given_name="太郎"),
        "0002": make_employee(company, hr, department, number="0002", family_name="佐藤", given_name="花子"),
    }


GOOD = (
    HEADER
    # jp-rules §3: 250,300 → 21,500 + 20,800 × 11; 180,300 → 15,300 + 15,000 × 11
    + "2026,131016,千代田区,0001,山田 太郎,250300,21500,20800\n"
    + '2026,271004,大阪市,0002,,"180,300",15300,15000\n'
)


def test_a_good_file_is_imported_in_utf8_and_shift_jis(company, hr, people):
    result = import_resident_taxes(**w(hr), data=GOOD.encode("utf-8"))
    assert (result.created, result.replaced) == (2, 0)
    row = ResidentTax.objects.get(employee=people["0002"], fiscal_year=2026)
    assert (row.annual, row.june, row.monthly, row.municipality_code) == (180_300, 15_300, 15_000, "271004")
    assert (
        AuditEvent.objects.filter(company=company, object_type="payroll.residenttax", action="create").count()
        == 2
    )
    # the same file again in Shift_JIS: both replaced (nothing changed, so no new events)
    result = import_resident_taxes(**w(hr), data=GOOD.encode("cp932"))
    assert (result.created, result.replaced) == (0, 2)
    assert ResidentTax.objects.count() == 2


def test_an_existing_year_is_replaced_and_audited(company, hr, people):
    make_resident_tax(people["0001"], 2026, 120_000)
    import_resident_taxes(**w(hr), data=GOOD.encode("utf-8"))
    row = ResidentTax.objects.get(employee=people["0001"], fiscal_year=2026)
    assert row.annual == 250_300
    event = AuditEvent.objects.get(company=company, object_type="payroll.residenttax", action="update")
    assert event.changes["fields"]["annual"] == ["120000", "250300"]
    assert event.changes["extra"] == {"source": "import"}


def test_one_bad_row_and_nothing_is_written(company, hr, people):
    make_resident_tax(people["0001"], 2026, 120_000)
    bad = (
        GOOD
        + "2026,131016,千代田区,9999,,120000,10000,10000\n"  # line 4: no such employee
        + "2026,131016,千代田区,0001,,250300,21500,20800\n"  # line 5: 0001 twice for 2026
        + "2026,131016,千代田区,0002,,100000,10000,9000\n"  # line 6: 10,000 + 99,000 ≠ 100,000
        + "2026,131017,千代田区,0002,,0,0,0\n"  # line 7: a wrong check digit
        + "2026,131016,千代田区,0002,鈴木 一郎,0,0,0\n"  # line 8: not 0002's name
        + "二〇二六,131016,千代田区,0002,,0,0,0\n"  # line 9: the year does not read
        + "2026,131016,千代田区,0002,,1.5,0,0\n"  # line 10: not whole yen
    )
    with pytest.raises(ServiceError) as exc:
        import_resident_taxes(**w(hr), data=bad.encode("utf-8"))
    problems = exc.value.field_errors["file"]
    assert problems[0].startswith("4行目: 社員番号「9999」")
    assert problems[1].startswith("5行目") and "2行目にもあります" in problems[1]
    assert problems[2].startswith("6行目: 年税額") and "合いません" in problems[2]
    assert problems[3].startswith("7行目: 市区町村コード")
    assert problems[4].startswith("8行目: 氏名「鈴木 一郎」")
    assert problems[5].startswith("9行目: 年度")
    assert problems[6].startswith("10行目")
    assert len(problems) == 7
    # all or nothing: the good rows 2–3 were not written, the old row stays
    assert ResidentTax.objects.get(employee=people["0001"]).annual == 120_000
    assert not ResidentTax.objects.filter(employee=people["0002"]).exists()
    assert not AuditEvent.objects.filter(company=company, object_type="payroll.residenttax").exists()


def test_the_header_and_the_file_are_checked(company, hr, people):
    for data, message in (
        (b"", "空です"),
        ("社員番号,年税額\n0001,1\n".encode(), "見出し"),
        (HEADER.encode(), "取り込む行がありません"),
        (b"PK\x03\x04xxxx", "Excel"),
    ):
        with pytest.raises(ServiceError) as exc:
            import_resident_taxes(**w(hr), data=data)
        assert message in exc.value.field_errors["file"][0]
    assert not ResidentTax.objects.exists()


def test_only_settings_roles_import(company, hr, people, employee_member):
    with pytest.raises(PermissionDeniedError):
        import_resident_taxes(**w(employee_member), data=GOOD.encode())
    assert not ResidentTax.objects.exists()


def test_another_companys_numbers_are_unknown(company, hr, people, other_company, outsider, department):
    with pytest.raises(ServiceError) as exc:
        import_resident_taxes(**w(outsider), data=GOOD.encode())
    assert "社員番号「0001」の社員がいません" in exc.value.field_errors["file"][0]
    assert not ResidentTax.objects.exists()
