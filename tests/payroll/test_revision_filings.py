"""The 算定基礎届 and 月額変更届 CSVs (payroll/revisions/filing/): the 日本年金機構 form's columns in its
order, figures from the confirmed payslips of a worked case, UTF-8 with BOM or Shift_JIS, those the
law excludes left out, and 403 for a plain employee."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from ennoshita.payroll.selectors.revision_filings import layout, seventy_or_over, wareki_month

from ..conftest import login
from .confirm_builders import make_org, person
from .factories import make_group, make_profile
from .test_revisions import FIXED, grade, runs_for, slip

pytestmark = pytest.mark.django_db

RAISED = {**FIXED, "base_pay": 340_000}


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


def read(response, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content
    if encoding == "utf-8-sig":
        assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode(encoding))))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_the_layouts_follow_the_forms():
    annual = layout("annual")
    assert annual[:11] == [
        "被保険者整理番号",
        "被保険者氏名",
        "生年月日",
        "適用年月",
        "従前の標準報酬月額(健保・千円)",
        "従前の標準報酬月額(厚年・千円)",
        "従前改定月",
        "昇(降)給月",
        "昇(降)給",
        "遡及支払月",
        "遡及支払額",
    ]
    assert annual[11:16] == [
        "4月 給与支給月",
        "4月 給与計算の基礎日数",
        "4月 報酬月額(通貨)",
        "4月 報酬月額(現物)",
        "4月 報酬月額(合計)",
    ]
    assert annual[21] == "6月 給与支給月" and annual[26:] == [
        "総計",
        "平均額",
        "修正平均額",
        "70歳以上被用者",
        "二以上勤務",
        "短時間労働者",
        "パート",
        "備考",
    ]
    interim = layout("interim")
    assert interim[3] == "改定年月" and interim[11] == "1か月目 給与支給月" and len(interim) == len(annual)


def test_dates_and_age():
    assert wareki_month(date(2026, 9, 1)) == "令和8年9月" and wareki_month(date(2019, 5, 1)) == "令和元年5月"
    # One reaches 70 the day before the 70th birthday.
    assert seventy_or_over(date(1956, 9, 2), date(2026, 9, 1))
    assert not seventy_or_over(date(1956, 9, 3), date(2026, 9, 1))


def test_the_santei_kiso_csv_of_a_worked_case(client, org, employee_member):
    runs = runs_for(org, [date(2026, m, 25) for m in (3, 4, 5, 6)])
    group = make_group(org.company)
    a = person(org, org.sales, "1001", given_name="一郎", birth_date=date(1960, 4, 15))
    old = person(org, org.sales, "1002", given_name="二郎", birth_date=date(1955, 1, 10))
    late = person(org, org.sales, "1003", given_name="三郎")
    make_profile(a, org.hr.user, group, insured_number="123")
    make_profile(old, org.hr.user, group, insured_number="45")
    make_profile(late, org.hr.user, group, si_acquired_on=date(2026, 6, 1))
    grade(org, a, date(2025, 9, 1), 22, 300_000, 19)
    # a: fixed pay up in April (a 昇給, but June's 16 days make no 随時改定). April pays March's
    # attendance (31 days), May April's (30), June May's (31 − 15 欠勤 = 16: left out).
    # 総計 330,000 + 341,001 = 671,001; 平均 335,500 (円未満切捨て) → 9月から健保24級.
    slip(runs[date(2026, 3, 25)], a, wage=300_000)
    slip(runs[date(2026, 4, 25)], a, wage=330_000, fixed=RAISED)
    slip(runs[date(2026, 5, 25)], a, wage=341_001, fixed=RAISED)
    slip(runs[date(2026, 6, 25)], a, wage=200_000, fixed=RAISED, absence_days="15")
    for m in (4, 5, 6):
        slip(runs[date(2026, m, 25)], old, wage=200_000)
        slip(runs[date(2026, m, 25)], late, wage=250_000)

    login(client, org.hr)
    url = reverse("payroll:revision_filing")
    lines = read(client.get(url, {"kind": "annual", "year": "2026"}))
    # 被保険者整理番号 order; the one who acquired status in June is not on the 届.
    assert [x["被保険者整理番号"] for x in lines] == ["45", "123"]
    line = lines[1]
    assert {k: line[k] for k in layout("annual")[:11]} == {
        "被保険者整理番号": "123",
        "被保険者氏名": "山田 一郎",
        "生年月日": "昭和35年4月15日",
        "適用年月": "令和8年9月",
        "従前の標準報酬月額(健保・千円)": "300",
        "従前の標準報酬月額(厚年・千円)": "300",
        "従前改定月": "令和7年9月",
        "昇(降)給月": "4月",
        "昇(降)給": "昇給",
        "遡及支払月": "",
        "遡及支払額": "",
    }
    months = [
        [
            line[f"{m} {f}"]
            for f in (
                "給与支給月",
                "給与計算の基礎日数",
                "報酬月額(通貨)",
                "報酬月額(現物)",
                "報酬月額(合計)",
            )
        ]
        for m in ("4月", "5月", "6月")
    ]
    assert months == [
        ["4月", "31", "330000", "0", "330000"],
        ["5月", "30", "341001", "0", "341001"],
        ["6月", "16", "200000", "0", "200000"],
    ]
    assert (line["総計"], line["平均額"], line["修正平均額"], line["70歳以上被用者"]) == (
        "671001",
        "335500",
        "",
        "",
    )
    assert "6月は支払基礎日数が足りないため除外" in line["備考"]
    # 71 on 1 September 2026: 70歳以上被用者; no grade yet: 従前 empty.
    assert (lines[0]["70歳以上被用者"], lines[0]["従前の標準報酬月額(健保・千円)"], lines[0]["総計"]) == (
        "○",
        "",
        "600000",
    )
    # Shift_JIS: the same figures.
    sjis = read(client.get(url, {"kind": "annual", "year": "2026", "encoding": "sjis"}), encoding="cp932")
    assert sjis == lines
    login(client, employee_member)
    assert client.get(url, {"kind": "annual", "year": "2026"}).status_code == 403


def test_the_getsugaku_henko_csv(client, org, monkeypatch):
    days = [date(2026, m, 25) for m in (6, 7, 8, 9, 10)]
    runs = runs_for(org, days)
    b = person(org, org.sales, "1002", given_name="二郎", birth_date=date(1980, 1, 1))
    make_profile(b, org.hr.user, make_group(org.company), insured_number="7")
    grade(org, b, date(2025, 9, 1), 22, 300_000, 19)
    # Fixed pay 340,000 → 370,000 from the August pay; Aug–Oct 345,000 → 健保24級 from November.
    for day in days:
        new = day.month >= 8
        slip(
            runs[day],
            b,
            wage=345_000 if new else 300_000,
            fixed={**FIXED, "base_pay": 360_000} if new else FIXED,
        )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 10, 31))
    login(client, org.hr)
    (line,) = read(client.get(reverse("payroll:revision_filing"), {"kind": "interim"}))
    assert (
        line["被保険者整理番号"],
        line["改定年月"],
        line["従前改定月"],
        line["昇(降)給月"],
        line["昇(降)給"],
    ) == (
        "7",
        "令和8年11月",
        "令和7年9月",
        "8月",
        "昇給",
    )
    assert [line[f"{n} 給与支給月"] for n in ("1か月目", "2か月目", "3か月目")] == ["8月", "9月", "10月"]
    assert [line[f"{n} 給与計算の基礎日数"] for n in ("1か月目", "2か月目", "3か月目")] == ["31", "31", "30"]
    assert (line["総計"], line["平均額"]) == ("1035000", "345000")
    assert "昇(降)給差 +60,000円(令和8年8月)" in line["備考"]
