"""備品 screens: the register with filters and CSV / Excel, forms with errors on the field, lending
refused on the screen, 私の貸与品, 返却が必要な備品, 固定資産候補, masters, settings, the label PDF,
and the panel on the employee's record."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ennoshita.affairs.models import AffairsSettings, Equipment, EquipmentLoan, EquipmentStatus, Location
from ennoshita.affairs.services import equipment as services
from ennoshita.people import services as people_services
from tests.conftest import login, make_member

from .equipment_fixtures import lend, make_item, today

pytest_plugins = ["tests.affairs.equipment_fixtures"]


def test_list_shows_filters_and_exports(client, org, worker):
    a = make_item(org, number="PC-0001", purchase_price="150000")
    make_item(org, number="KY-0001", name="通用口の鍵", category_id=org.key.pk, purchase_price="800")
    lend(org, a, worker)
    login(client, org.affairs)
    r = client.get(reverse("affairs:equipment_list"))
    assert r.status_code == 200
    body = r.content.decode()
    assert "PC-0001" in body and "KY-0001" in body and "社員 次郎" in body and "固定資産候補" in body
    r = client.get(reverse("affairs:equipment_list"), {"category": org.key.pk})
    assert "KY-0001" in r.content.decode() and "PC-0001" not in r.content.decode()
    r = client.get(reverse("affairs:equipment_list"), {"format": "csv", "q": "社員"})
    text = r.content.decode("utf-8-sig")
    assert r["Content-Type"].startswith("text/csv")
    lines = text.strip().splitlines()
    assert lines[0].startswith("資産番号,品名,分類,状態,使用者") and len(lines) == 2
    assert (
        "PC-0001" in lines[1]
        and "貸出中" in lines[1]
        and "E001 社員 次郎" in lines[1]
        and "150000" in lines[1]
    )
    r = client.get(reverse("affairs:equipment_list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "資産番号" and {row[0] for row in rows[1:]} == {"PC-0001", "KY-0001"}


def test_list_page_query_count_is_flat(client, org, worker, django_assert_max_num_queries):
    login(client, org.affairs)
    for i in range(3):
        lend(org, make_item(org, number=f"PC-{i:04d}"), worker)
    client.get(reverse("affairs:equipment_list"))  # warm the session and the caches
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("affairs:equipment_list"))
    for i in range(3, 25):
        make_item(org, number=f"PC-{i:04d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(reverse("affairs:equipment_list"))
    assert r.content.decode().count("data-equipment=") == 25


def test_register_form_puts_errors_on_the_field(client, org):
    make_item(org, number="PC-0001")
    login(client, org.affairs)
    r = client.post(
        reverse("affairs:equipment_new"),
        {"asset_number": "pc-0001", "name": "ノートPC", "category": org.pc.pk, "purchase_price": "12.5"},
    )
    assert r.status_code == 400
    form = r.context["form"]
    assert "PC-0001" in form.errors["asset_number"][0] and form.errors["purchase_price"]
    assert Equipment.objects.count() == 1
    r = client.post(
        reverse("affairs:equipment_new"),
        {"asset_number": "PC-0002", "name": "ノートPC", "category": org.pc.pk, "purchase_price": "98,000"},
    )
    item = Equipment.objects.get(asset_number="PC-0002")
    assert r.status_code == 302 and r["Location"] == reverse("affairs:equipment_detail", args=[item.pk])


def test_detail_shows_loans_and_history(client, org, worker):
    item = make_item(org)
    lend(org, item, worker, note="在宅勤務用")
    login(client, org.hr)  # 人事 reads the register
    r = client.get(reverse("affairs:equipment_detail", args=[item.pk]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "在宅勤務用" in body and 'id="loan-table"' in body and 'id="history"' in body
    assert "貸与する" not in body and "返却を記録" not in body  # 人事 does not write


def test_lend_and_return_through_the_screens(client, org, worker, colleague):
    item = make_item(org)
    login(client, org.affairs)
    url = reverse("affairs:equipment_lend", args=[item.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"employee": worker.pk, "lent_on": today().isoformat()})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.holder_id == worker.pk
    # lending it again is refused on the screen, nothing written
    before = EquipmentLoan.objects.count()
    r = client.post(url, {"employee": colleague.pk, "lent_on": today().isoformat()})
    assert r.status_code == 400
    assert "貸出中" in r.content.decode() and "社員 次郎" in r.content.decode()
    assert EquipmentLoan.objects.count() == before
    r = client.post(
        reverse("affairs:equipment_return", args=[item.pk]),
        {"returned_on": today().isoformat(), "return_note": "異常なし"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == EquipmentStatus.IN_STOCK


def test_status_and_dispose_buttons(client, org, worker):
    item = make_item(org)
    login(client, org.affairs)
    client.post(reverse("affairs:equipment_set_status", args=[item.pk]), {"status": "repair"})
    item.refresh_from_db()
    assert item.status == EquipmentStatus.REPAIR
    client.post(reverse("affairs:equipment_dispose", args=[item.pk]), {"disposed_on": today().isoformat()})
    item.refresh_from_db()
    assert item.status == EquipmentStatus.DISPOSED
    r = client.post(
        reverse("affairs:equipment_dispose", args=[item.pk]),
        {"disposed_on": today().isoformat()},
        follow=True,
    )
    assert "既に廃棄済み" in r.content.decode()


def test_an_employee_sees_only_their_own_items(client, org, worker, colleague, employee_member):
    mine = make_item(org, number="PC-0001", name="私のPC")
    theirs = make_item(org, number="PC-0002", name="同僚のPC")
    lend(org, mine, worker)
    lend(org, theirs, colleague)
    login(client, employee_member)
    r = client.get(reverse("affairs:equipment_mine"))
    body = r.content.decode()
    assert r.status_code == 200 and "私のPC" in body and "同僚のPC" not in body
    for name, args in (
        ("affairs:equipment_list", []),
        ("affairs:equipment_new", []),
        ("affairs:equipment_detail", [mine.pk]),
        ("affairs:equipment_leavers", []),
        ("affairs:equipment_fixed_assets", []),
        ("affairs:affairs_settings", []),
        ("affairs:equipment_employee_loans", [worker.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name
    r = client.post(
        reverse("affairs:equipment_lend", args=[theirs.pk]),
        {"employee": worker.pk, "lent_on": today().isoformat()},
    )
    assert r.status_code == 403


def test_another_companys_item_is_404(client, org, other_company, outsider):
    theirs_cat = services.create_category(
        company=other_company, actor=outsider.user, membership=outsider, name="PC"
    )
    theirs = services.register_equipment(
        company=other_company,
        actor=outsider.user,
        membership=outsider,
        data=services.EquipmentInput(asset_number="PC-9", name="PC", category_id=theirs_cat.pk),
    )
    login(client, org.affairs)
    assert client.get(reverse("affairs:equipment_detail", args=[theirs.pk])).status_code == 404
    r = client.post(
        reverse("affairs:equipment_dispose", args=[theirs.pk]), {"disposed_on": today().isoformat()}
    )
    assert r.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == EquipmentStatus.IN_STOCK


def test_leavers_page_for_hr(client, org, worker):
    item = make_item(org)
    lend(org, item, worker, lent_on=today() - timedelta(days=30))
    people_services.retire_employee(
        **org.w(org.hr), employee=worker, retire_date=today() + timedelta(days=20)
    )
    login(client, org.hr)
    r = client.get(reverse("affairs:equipment_leavers"))
    body = r.content.decode()
    assert r.status_code == 200 and "社員 次郎" in body and "PC-0001" in body and "退職予定" in body
    r = client.get(reverse("affairs:equipment_leavers"), {"format": "csv"})
    assert "PC-0001" in r.content.decode("utf-8-sig")


def test_fixed_assets_page_for_accounting(client, org):
    make_item(org, number="SV-0001", name="サーバー", purchase_price="480000")
    make_item(org, number="PC-0001", purchase_price="98000")
    login(client, make_member(org.company, "acc1", ["accounting"]))
    r = client.get(reverse("affairs:equipment_fixed_assets"))
    body = r.content.decode()
    assert "SV-0001" in body and "PC-0001" not in body
    r = client.get(reverse("affairs:equipment_fixed_assets"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["SV-0001"]


def test_masters_and_settings(client, org):
    login(client, org.affairs)
    r = client.post(
        reverse("affairs:equipment_categories"), {"name": "モニター", "is_lendable": "on", "sort_order": "5"}
    )
    assert r.status_code == 302
    r = client.post(reverse("affairs:equipment_categories"), {"name": "モニター", "sort_order": "5"})
    assert r.status_code == 400 and "既にあります" in r.content.decode()
    r = client.post(
        reverse("affairs:equipment_category_edit", args=[org.key.pk]),
        {"name": "鍵・カード", "sort_order": "2", "is_lendable": "on"},
    )
    assert r.status_code == 302
    r = client.post(reverse("affairs:location_list"), {"name": "本社3F"})
    place = Location.objects.get(company=org.company)
    client.post(reverse("affairs:location_edit", args=[place.pk]), {"name": "本社 3F"})
    client.post(reverse("affairs:location_set_active", args=[place.pk]), {"active": "0"})
    place.refresh_from_db()
    assert (place.name, place.is_active) == ("本社 3F", False)
    assert "checkup_month" in client.get(reverse("affairs:affairs_settings")).context["form"].fields
    r = client.post(
        reverse("affairs:affairs_settings"), {"fixed_asset_threshold": "abc", "checkup_month": "6"}
    )
    assert r.status_code == 400 and r.context["form"].errors["fixed_asset_threshold"]
    r = client.post(
        reverse("affairs:affairs_settings"), {"fixed_asset_threshold": "200,000", "checkup_month": "9"}
    )
    assert r.status_code == 302
    row = AffairsSettings.objects.get(company=org.company)
    assert (int(row.fixed_asset_threshold), row.checkup_month) == (200000, 9)
    login(client, org.hr)
    assert client.post(reverse("affairs:location_list"), {"name": "別館"}).status_code == 403
    assert client.get(reverse("affairs:location_list")).status_code == 200


@pytest.mark.parametrize("by_ids", [True, False])
def test_label_sheet_pdf_has_the_asset_numbers(client, org, by_ids):
    items = [make_item(org, number=f"PC-{i:04d}", name=f"ノートPC {i}") for i in range(26)]
    login(client, org.affairs)
    if by_ids:
        r = client.post(reverse("affairs:equipment_labels"), {"ids": [items[0].pk, items[25].pk]})
        expected, pages = ["PC-0000", "PC-0025"], 1
    else:
        r = client.get(reverse("affairs:equipment_list"), {"format": "labels", "q": "PC"})
        expected, pages = [f"PC-{i:04d}" for i in range(26)], 2  # 24 to a sheet
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == pages
    text = "".join(page.extract_text() for page in reader.pages)
    for number in expected:
        assert number in text
    assert "ノートPC" in text
    if by_ids:
        assert "PC-0001" not in text


def test_employee_record_shows_what_they_hold(client, org, worker, employee_member, settings):
    settings.ENNOSHITA_EMPLOYEE_PANELS = ["ennoshita.affairs.employee_panels.equipment_panels"]
    item = make_item(org, name="貸与ノートPC")
    lend(org, item, worker)
    login(client, org.hr)
    r = client.get(reverse("people:employee_detail", args=[worker.pk]))
    body = r.content.decode()
    assert 'id="panel-equipment"' in body and "貸与ノートPC" in body
    assert reverse("affairs:equipment_employee_loans", args=[worker.pk]) in body
    login(client, employee_member)  # their own record
    body = client.get(reverse("people:employee_detail", args=[worker.pk])).content.decode()
    assert "貸与ノートPC" in body and reverse("affairs:equipment_mine") in body
    assert reverse("affairs:equipment_detail", args=[item.pk]) not in body  # not a register reader


def test_home_panels(org, worker):
    from ennoshita.affairs.home_equipment import panels

    item = make_item(org, purchase_price="200000")
    lend(org, item, worker, lent_on=today() - timedelta(days=30))
    people_services.retire_employee(**org.w(org.hr), employee=worker, retire_date=today() - timedelta(days=1))
    texts = [i["text"] for p in panels(org.hr) for i in p["items"]]
    assert texts == ["退職者・退職予定者 1 名の備品 1 点が返却待ちです"]
    accounting = make_member(org.company, "acc1", ["accounting"])
    texts = [i["text"] for p in panels(accounting) for i in p["items"]]
    assert texts == ["固定資産候補の備品が 1 点あります(取得価額 100,000 円以上)"]
