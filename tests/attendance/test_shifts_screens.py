"""シフト screens and API: the table page and the endpoints its script uses (save, check, data,
publish), 自分のシフト, patterns, swaps; roles and tenancy; the table's query count."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.attendance import shift_selectors as sel
from ennoshita.attendance.models import Shift, ShiftPattern, ShiftSwap
from ennoshita.attendance.views_shifts import SCRIPT_TEXTS

from ..apiclient import ApiClient, field_errors
from ..conftest import login, make_employee
from .test_shifts import MONTH, build_shop, codes_of, d, save

pytestmark = pytest.mark.django_db
JS = Path(__file__).resolve().parents[2] / "ennoshita/attendance/static/attendance/shifts.js"


@pytest.fixture
def shop(company, hr, department, employee_member):
    return build_shop(company, hr, department, employee_member)


def table_url(shop, **kw):
    params = {"department": shop["department"].pk, "month": "2099-03", **kw}
    return reverse("attendance:shift_table") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def post_json(client, name, body):
    return client.post(reverse(name), json.dumps(body, ensure_ascii=False), content_type="application/json")


def test_the_table_page_for_hr_and_the_head(client, hr, shop):
    save(hr, shop["department"], {shop["e1"].pk: {d(1): "早"}})
    for member in (hr, shop["boss"]):
        login(client, member)
        r = client.get(table_url(shop))
        assert r.status_code == 200
        html = r.content.decode()
        assert 'id="shift-grid"' in html and 'data-code="早"' in html and "shifts.js" in html
        assert "社員 次郎" in html and "営業" not in html.split('id="shift-grid"')[1]
    login(client, shop["boss"])
    assert client.get(table_url(shop, department=shop["sales"].pk)).status_code == 404
    r = client.get(table_url(shop, format="csv"))
    assert r.status_code == 200 and "早" in r.content.decode("utf-8-sig").splitlines()[1]


def page_json(html: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


def test_the_scripts_texts_come_from_the_page_in_the_readers_language(client, hr, shop):
    """shifts.js shows no text of its own: each one is in the page (json_script "shift-texts"),
    translated there; the script names only keys of it."""
    script = JS.read_text(encoding="utf-8")
    code = "\n".join(line.split("//")[0] for line in script.splitlines())  # comments left out
    assert not re.search(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]", code)
    assert set(re.findall(r'\bt\("(\w+)"', code)) == set(SCRIPT_TEXTS)
    login(client, hr)
    html = client.get(table_url(shop)).content.decode()
    texts = page_json(html, "shift-texts")
    assert texts == {k: str(v) for k, v in SCRIPT_TEXTS.items()}
    assert texts["unknown_code"] == "「%(code)s」というシフトパターンはありません。"
    assert page_json(html, "shift-data")["rest"] == "休"  # a code the server reads: not translated
    client.cookies["django_language"] = "en"
    texts = page_json(client.get(table_url(shop)).content.decode(), "shift-texts")
    assert texts["unknown_code"] == 'There is no shift pattern "%(code)s".'


def test_an_employee_may_not_open_or_save_a_table(client, employee_member, shop):
    login(client, employee_member)
    assert client.get(table_url(shop)).status_code == 403
    body = {
        "department": shop["department"].pk,
        "month": "2099-03",
        "cells": {str(shop["e1"].pk): {"2099-03-01": "早"}},
    }
    assert post_json(client, "attendance:shift_table_save", body).status_code == 403
    assert post_json(client, "attendance:shift_table_check", body).status_code == 403
    assert not Shift.objects.exists()


def test_the_scripts_endpoints(client, hr, company, shop):
    login(client, shop["boss"])
    e1, e2 = shop["e1"], shop["e2"]
    body = {
        "department": shop["department"].pk,
        "month": "2099-03",
        "revision": 0,
        "cells": {str(e1.pk): {"2099-03-01": "早", "2099-03-02": "休"}, str(e2.pk): {"2099-03-01": "X"}},
    }
    r = post_json(client, "attendance:shift_table_save", body)
    assert r.status_code == 400 and r.json()["errors"] == {
        f"cells.{e2.pk}.2099-03-01": ["「X」というシフトパターンはありません。"]
    }
    assert not Shift.objects.exists()
    body["cells"][str(e2.pk)] = {"2099-03-01": "夜"}
    r = post_json(client, "attendance:shift_table_save", body)
    assert r.status_code == 200 and r.json()["ok"] and r.json()["revision"] == 1 and r.json()["changed"] == 3
    assert codes_of(company, e1) == {d(1): "早", d(2): "休"}
    assert post_json(client, "attendance:shift_table_save", body).status_code == 409  # revision 0 is stale
    # the live check: a week without rest, nothing saved
    week = {f"2099-03-0{i}": "早" for i in range(1, 8)}
    r = post_json(client, "attendance:shift_table_check", {**body, "cells": {str(e1.pk): week}})
    assert r.status_code == 200
    assert [w["code"] for w in r.json()["warnings"][str(e1.pk)]] == [
        "weekly_over",
        "weekly_rest",
    ]  # 56h, no rest
    assert codes_of(company, e1) == {d(1): "早", d(2): "休"}
    r = client.get(
        reverse("attendance:shift_table_data"), {"department": shop["department"].pk, "month": "2099-03"}
    )
    assert r.json()["cells"][str(e1.pk)] == {"2099-03-01": "早", "2099-03-02": "休"}
    bad = post_json(
        client, "attendance:shift_table_save", {"department": "x", "month": "03/2099", "cells": []}
    )
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"department", "month", "cells"}
    r = client.post(
        reverse("attendance:shift_table_publish"), {"department": shop["department"].pk, "month": "2099-03"}
    )
    assert r.status_code == 302
    assert "公開済み" in client.get(table_url(shop)).content.decode()


def test_my_shifts_page_and_a_swap_through_the_screens(client, hr, company, shop, employee_member):
    e1, e2 = shop["e1"], shop["e2"]
    save(hr, shop["department"], {e1.pk: {d(10): "早"}, e2.pk: {d(10): "遅"}})
    login(client, employee_member)
    r = client.get(reverse("attendance:my_shifts"), {"month": "2099-03"})
    assert r.status_code == 200 and "まだ公開されていません" in r.content.decode()
    client.post(
        reverse("attendance:shift_table_publish"), {"department": shop["department"].pk, "month": "2099-03"}
    )
    assert not Shift.objects.filter(published_at__isnull=False).exists()  # an employee may not publish
    login(client, hr)
    client.post(
        reverse("attendance:shift_table_publish"), {"department": shop["department"].pk, "month": "2099-03"}
    )
    login(client, employee_member)
    html = client.get(reverse("attendance:my_shifts"), {"month": "2099-03"}).content.decode()
    assert 'data-day="2099-03-10" data-code="早"' in html and "07:00〜16:00" in html
    r = client.get(reverse("attendance:shift_swap_new"), {"month": "2099-03"})
    assert r.status_code == 200 and "同僚 三郎" in r.content.decode() and "営業" not in r.content.decode()
    r = client.post(
        reverse("attendance:shift_swap_new") + "?month=2099-03",
        {"partner": e2.pk, "requester_date": "2099-03-10", "partner_date": "2099-03-10", "reason": "通院"},
    )
    swap = ShiftSwap.objects.get(company=company)
    assert r.status_code == 302 and r["Location"] == reverse("attendance:shift_swap_detail", args=[swap.pk])
    html = client.get(r["Location"]).content.decode()
    assert 'id="approval"' in html and "承認待ち" in html
    login(client, shop["boss"])
    html = client.get(reverse("attendance:shift_swap_detail", args=[swap.pk])).content.decode()
    assert "承認" in html and 'id="swap-cells"' in html


def test_patterns_page(client, hr, shop, employee_member):
    login(client, employee_member)
    assert client.get(reverse("attendance:shift_patterns")).status_code == 403
    login(client, shop["boss"])
    assert client.get(reverse("attendance:shift_patterns")).status_code == 200
    data = {
        "form": "pattern",
        "code": "日",
        "name": "日勤",
        "start_time": "09:00",
        "end_time": "18:00",
        "break_minutes": "60",
        "color": "#336699",
        "sort_order": "0",
    }
    assert client.post(reverse("attendance:shift_patterns"), data).status_code == 403
    login(client, hr)
    r = client.post(reverse("attendance:shift_patterns"), {**data, "break_minutes": "30"})
    assert r.status_code == 400 and "労基法34条" in r.content.decode()
    assert client.post(reverse("attendance:shift_patterns"), data).status_code == 302
    p = ShiftPattern.objects.get(code="日")
    assert client.get(reverse("attendance:shift_pattern_edit", args=[p.pk])).status_code == 200
    client.post(reverse("attendance:shift_pattern_active", args=[p.pk]), {"active": "0"})
    p.refresh_from_db()
    assert not p.is_active
    r = client.post(
        reverse("attendance:shift_patterns"),
        {"form": "settings", "rest_rule": "four_weeks", "min_rest_hours": "11"},
    )
    assert r.status_code == 400 and "起算日" in r.content.decode()
    r = client.post(
        reverse("attendance:shift_patterns"),
        {
            "form": "settings",
            "rest_rule": "four_weeks",
            "four_week_start": "2099-03-01",
            "min_rest_hours": "11",
        },
    )
    assert r.status_code == 302 and sel.shift_settings_of(company=hr.company).rest_rule == "four_weeks"


def test_the_api(client, hr, company, shop, employee_member, outsider):
    api = ApiClient(client, hr)
    r = api.post(
        "/attendance/shift-patterns",
        {"code": "日", "name": "日勤", "start_time": "09:00", "end_time": "18:00", "break_minutes": 45},
    )
    assert r.status_code == 422 and "break_minutes" in field_errors(r)
    r = api.post(
        "/attendance/shift-patterns",
        {"code": "日", "name": "日勤", "start_time": "09:00", "end_time": "18:00", "break_minutes": 60},
    )
    assert r.status_code == 201 and r.json()["planned_minutes"] == 480
    assert [p["code"] for p in api.get("/attendance/shift-patterns").json()] == ["早", "遅", "夜", "当", "日"]
    e1 = shop["e1"]
    path = f"/attendance/shift-tables/{shop['department'].pk}?month=2099-03"
    put = client.put(
        "/api/v1" + path,
        json.dumps({"revision": 0, "cells": {str(e1.pk): {"2099-03-01": "日", "2099-03-02": "X"}}}),
        content_type="application/json",
        **api._headers(),
    )
    assert put.status_code == 422 and field_errors(put) == {
        f"cells.{e1.pk}.2099-03-02": ["「X」というシフトパターンはありません。"]
    }
    put = client.put(
        "/api/v1" + path,
        json.dumps({"revision": 0, "cells": {str(e1.pk): {"2099-03-01": "日", "2099-03-02": "休"}}}),
        content_type="application/json",
        **api._headers(),
    )
    assert put.status_code == 200 and put.json()["revision"] == 1 and put.json()["changed"] == 2
    table = api.get(path).json()
    row = next(x for x in table["rows"] if x["employee_id"] == e1.pk)
    assert row["cells"] == {"2099-03-01": "日", "2099-03-02": "休"} and row["planned_minutes"] == 480
    assert (
        api.post(f"/attendance/shift-tables/{shop['department'].pk}/publish?month=2099-03").status_code == 200
    )
    mine = ApiClient(client, employee_member).get("/attendance/shifts/me", {"month": "2099-03"}).json()
    assert mine["published"] and mine["days"][0]["code"] == "日" and mine["days"][0]["start"] == "09:00"
    # roles and tenancy
    emp_api = ApiClient(client, employee_member)
    assert emp_api.get(path).status_code == 403
    assert (
        emp_api.post(
            "/attendance/shift-patterns",
            {"code": "Z", "name": "Z", "start_time": "09:00", "end_time": "12:00", "break_minutes": 0},
        ).status_code
        == 403
    )
    foreign = ApiClient(client, outsider)
    assert foreign.get(path).status_code == 404
    assert (
        foreign.post(f"/attendance/shift-tables/{shop['department'].pk}/publish?month=2099-03").status_code
        == 404
    )


def test_swaps_over_the_api(client, hr, company, shop, employee_member, outsider):
    e1, e2 = shop["e1"], shop["e2"]
    save(hr, shop["department"], {e1.pk: {d(10): "早"}, e2.pk: {d(10): "遅"}})
    api = ApiClient(client, employee_member)
    r = api.post(
        "/attendance/shift-swaps",
        {"partner_id": e2.pk, "requester_date": "2099-03-10", "partner_date": "2099-03-10"},
    )
    assert r.status_code == 201 and r.json()["after"] == {
        f"{e1.pk}:2099-03-10": "遅",
        f"{e2.pk}:2099-03-10": "早",
    }
    swap_id = r.json()["id"]
    assert api.get(f"/attendance/shift-swaps/{swap_id}").json()["state"] == "pending"
    assert ApiClient(client, outsider).get(f"/attendance/shift-swaps/{swap_id}").status_code == 404
    r = api.post(
        "/attendance/shift-swaps",
        {"partner_id": e2.pk, "requester_date": "2099-03-11", "partner_date": "2099-03-11"},
    )
    assert r.status_code == 422 and "requester_date" in field_errors(r)


def test_the_table_costs_the_same_queries_for_2_or_8_employees(hr, company, shop):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            sel.shift_table(company=company, membership=hr, department_id=shop["department"].pk, month=MONTH)
        return len(ctx.captured_queries)

    save(hr, shop["department"], {shop["e1"].pk: {d(1): "早"}})
    few = count()
    for n in range(6):
        e = make_employee(company, hr, shop["department"], number=f"X{n}")
        save(hr, shop["department"], {shop["e1"].pk: {d(1): "早"}, e.pk: {d(2): "遅"}})
    assert count() == few


def test_the_menu(client, hr, shop, employee_member):
    html = login(client, employee_member).get("/").content.decode()
    table = f'href="{reverse("attendance:shift_table")}"'
    assert reverse("attendance:my_shifts") in html and table not in html
    html = login(client, shop["boss"]).get("/").content.decode()
    assert table in html and reverse("attendance:shift_patterns") in html
    html = login(client, hr).get("/").content.decode()
    assert table in html
