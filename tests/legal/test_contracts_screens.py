"""契約書 screens: the list with search, filters and CSV / Excel, the form (with the 印紙税 preview and
errors on their fields, nothing written), the detail with status buttons, files and history, the
upcoming list and the calendar; another company's contract and someone else's are a 404."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ennoshita.legal import home_contracts
from ennoshita.legal.models import Contract
from ennoshita.legal.services import contracts as services
from tests.conftest import login
from tests.legal.contracts_fixtures import PDF_1, make_contract, me

pytest_plugins = ["tests.legal.contracts_fixtures"]

pytestmark = pytest.mark.django_db

FORM = {
    "title": "システム保守契約書",
    "contract_type": "work",
    "our_side": "buyer",
    "counterparty_kind": "other",
    "counterparty_name": "株式会社ひかりソフト",
    "amount": "2500000",
    "tax_amount": "250000",
    "starts_on": "2026-04-01",
    "ends_on": "2027-03-31",
    "notice_unit": "months",
    "paper_original": "on",
    "stamp_document": "2",
}


def test_legal_registers_a_contract_from_the_form(client, legal):
    login(client, legal)
    assert client.get(reverse("legal:contract_new")).status_code == 200
    r = client.post(reverse("legal:contract_new"), {**FORM, "status": "draft"})
    contract = Contract.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("legal:contract_detail", args=[contract.pk])
    assert contract.stamp_duty == 1000 and contract.paper_original


def test_an_individual_contract_names_its_parent_by_number(client, legal):
    login(client, legal)
    client.post(reverse("legal:contract_new"), {**FORM, "status": "draft", "contract_type": "basic"})
    basic = Contract.objects.get()
    # 「個別契約を登録」 passes the parent's id; the form shows its number
    page = client.get(reverse("legal:contract_new"), {"parent": basic.pk, "relation": "individual"})
    assert f'value="{basic.number}"' in page.content.decode()
    r = client.post(
        reverse("legal:contract_new"),
        {
            **FORM,
            "status": "draft",
            "title": "個別契約1",
            "parent": "ｃ" + basic.number[1:],
            "relation": "individual",
        },
    )
    assert r.status_code == 302
    assert Contract.objects.get(title="個別契約1").parent_id == basic.pk  # 全角・小文字 folded
    r = client.post(
        reverse("legal:contract_new"),
        {**FORM, "status": "draft", "title": "個別契約2", "parent": "C-1999-0001", "relation": "individual"},
    )
    assert r.status_code == 400 and "契約番号「C-1999-0001」の契約が見つかりません" in r.content.decode()
    assert not Contract.objects.filter(title="個別契約2").exists()


def test_the_form_previews_the_stamp_duty_without_saving(client, legal):
    login(client, legal)
    r = client.post(reverse("legal:contract_new"), {**FORM, "status": "draft", "preview": "1"})
    assert r.status_code == 200 and "1,000" in r.content.decode()
    assert Contract.objects.count() == 0


def test_bad_input_is_shown_on_the_field_and_nothing_is_written(client, legal):
    login(client, legal)
    r = client.post(
        reverse("legal:contract_new"),
        {**FORM, "status": "draft", "starts_on": "2026-04-01", "ends_on": "2026-03-01"},
    )
    assert r.status_code == 400 and "契約終了日が契約開始日より前です" in r.content.decode()
    r = client.post(
        reverse("legal:contract_new"),
        {**FORM, "status": "draft", "ends_on": "2026-06-30", "auto_renew": "on", "notice_period": "6"},
    )
    assert r.status_code == 400 and "通知期限" in r.content.decode()
    assert Contract.objects.count() == 0


def test_the_list_searches_filters_and_exports(client, legal):
    make_contract(legal, title="あおば技研との秘密保持", contract_type="nda", counterparty_name="あおば技研")
    make_contract(legal, title="港北倉庫の借用", contract_type="lease", auto_renew=True)
    login(client, legal)
    r = client.get(reverse("legal:contract_list"))
    assert (
        r.status_code == 200
        and "あおば技研との秘密保持" in r.content.decode()
        and "港北倉庫の借用" in r.content.decode()
    )
    body = client.get(reverse("legal:contract_list"), {"q": "あおば"}).content.decode()
    assert "あおば技研との秘密保持" in body and "港北倉庫の借用" not in body
    body = client.get(reverse("legal:contract_list"), {"auto_renew": "1"}).content.decode()
    assert "港北倉庫の借用" in body and "あおば技研との秘密保持" not in body
    csv = client.get(reverse("legal:contract_list"), {"format": "csv", "contract_type": "nda"})
    text = csv.content.decode("utf-8-sig")
    assert (
        csv["Content-Type"].startswith("text/csv") and "契約番号" in text and "あおば技研との秘密保持" in text
    )
    assert "港北倉庫の借用" not in text
    xlsx = client.get(reverse("legal:contract_list"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_detail_shows_status_buttons_files_relations_and_history(client, legal):
    parent = make_contract(legal, title="取引基本契約書")
    child = make_contract(legal, title="個別契約(4月)", parent_id=parent.pk, relation="individual")
    version = services.attach_contract_file(
        **me(legal), contract=parent, file_name="基本契約.txt", data=PDF_1
    )
    login(client, legal)
    body = client.get(reverse("legal:contract_detail", args=[parent.pk])).content.decode()
    assert 'value="in_review"' in body and "個別契約(4月)" in body and "第1版" in body
    assert reverse("legal:contract_file", args=[parent.pk, version.pk]) in body
    assert "変更履歴" in body
    assert "取引基本契約書" in client.get(reverse("legal:contract_detail", args=[child.pk])).content.decode()
    r = client.get(reverse("legal:contract_file", args=[parent.pk, version.pk]))
    assert r.status_code == 200 and r.content == PDF_1
    assert client.get(reverse("legal:contract_file", args=[parent.pk, version.pk + 99])).status_code == 404


def test_status_and_file_are_posted_from_the_detail(client, legal):
    c = make_contract(legal)
    login(client, legal)
    r = client.post(reverse("legal:contract_status", args=[c.pk]), {"to": "in_review"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "in_review"
    r = client.post(reverse("legal:contract_status", args=[c.pk]), {"to": "signed"}, follow=True)
    assert "にはできません" in r.content.decode()
    c.refresh_from_db()
    assert c.status == "in_review"
    upload = SimpleUploadedFile("案.txt", PDF_1, content_type="text/plain")
    r = client.post(reverse("legal:contract_file_new", args=[c.pk]), {"file": upload, "kind": "draft"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.document is not None


def test_an_employee_edits_their_draft_but_not_others(client, employee_member, sales_member, legal):
    mine = make_contract(employee_member, title="自分の契約")
    theirs = make_contract(sales_member, title="営業の契約")
    login(client, employee_member)
    body = client.get(reverse("legal:contract_list")).content.decode()
    assert "自分の契約" in body and "営業の契約" not in body
    assert client.get(reverse("legal:contract_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("legal:contract_edit", args=[theirs.pk]), FORM).status_code == 404
    r = client.post(reverse("legal:contract_edit", args=[mine.pk]), {**FORM, "title": "自分の契約(修正)"})
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "自分の契約(修正)"
    upload = SimpleUploadedFile("案.txt", PDF_1, content_type="text/plain")
    assert client.post(reverse("legal:contract_file_new", args=[mine.pk]), {"file": upload}).status_code in (
        302,
        403,
    )
    mine.refresh_from_db()
    assert mine.document_id is None


def test_another_companys_contract_is_a_404(client, legal, outsider):
    theirs = make_contract(outsider)
    login(client, legal)
    for name in ("contract_detail", "contract_edit"):
        assert client.get(reverse(f"legal:{name}", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("legal:contract_status", args=[theirs.pk]), {"to": "in_review"}).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == "draft"


def _ending_soon(legal):
    today = timezone.localdate()
    return make_contract(
        legal,
        status="active",
        signed_on=today - timedelta(days=300),
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=40),
        auto_renew=True,
        notice_period=30,
        notice_unit="days",
    )


def test_upcoming_and_calendar_show_expiry_and_notice_deadline(client, legal):
    c = _ending_soon(legal)
    today = timezone.localdate()
    login(client, legal)
    body = client.get(reverse("legal:contract_upcoming"), {"days": 30}).content.decode()
    assert (today + timedelta(days=10)).isoformat() in body and 'data-kind="notice"' in body
    assert 'data-kind="expiry"' not in body
    body = client.get(reverse("legal:contract_upcoming"), {"days": 60}).content.decode()
    assert 'data-kind="expiry"' in body
    csv = client.get(reverse("legal:contract_upcoming"), {"days": 60, "format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert c.number in csv
    end = today + timedelta(days=40)
    body = client.get(reverse("legal:contract_calendar"), {"month": end.strftime("%Y-%m")}).content.decode()
    assert f'data-day="{end.isoformat()}"' in body and c.title in body
    assert client.get(reverse("legal:contract_calendar"), {"month": "bad"}).status_code == 200


def test_the_home_panel_lists_deadlines_within_30_days(legal, employee_member):
    _ending_soon(legal)
    panels = home_contracts.panels(legal)
    assert panels and panels[0]["items"] and "更新拒絶" in panels[0]["items"][0]["text"]
    assert home_contracts.panels(employee_member) == []


def test_the_assistant_is_refused(client, company):
    from tests.conftest import make_member

    assistant = make_member(company, "asst", ["assistant"], expires_on=date.today() + timedelta(days=30))
    login(client, assistant)
    # closed to the outside team (core.assistant_trail)
    assert client.get(reverse("legal:contract_list")).status_code == 404
