"""業務依頼 in a real browser: a requester asks the outside team, naming a record and attaching a
file; the assistant signs in, sees only that request and its file in the inbox, opens the file, is
refused (404) another team's request and a record the request does not name, logs time and closes
it; the requester sees it done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from ennoshita.core import records as core_records
from ennoshita.requests import services
from ennoshita.requests.models import RequestStatus, TimeEntry, WorkRequest
from tests.conftest import PASSWORD, make_company, make_member

THING = "tests.e2ething"


def _load(company, object_id):  # type: ignore[no-untyped-def]
    if object_id not in ("1", "2"):
        return None
    return core_records.RecordCard(THING, object_id, f"取引先カード{object_id}", [("番号", object_id)])


@pytest.fixture
def thing_kind():
    core_records.register_kind(
        core_records.RecordKind(
            THING, "取引先カード", _load, lambda company, text: [(i, f"取引先カード{i}") for i in ("1", "2")]
        )
    )
    yield
    core_records._KINDS.pop(THING, None)


def _w(m):  # type: ignore[no-untyped-def]
    return {"company": m.company, "actor": m.user, "membership": m}


def test_requester_asks_assistant_works_requester_sees_done(
    page: Page, live_server, login_as, thing_kind, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    company = make_company("株式会社依頼テスト")
    admin = make_member(company, "admin_e2e", ["admin"], last_name="管理", first_name="一郎")
    requester = make_member(company, "req_e2e", ["employee"], last_name="依頼", first_name="花子")
    keiri = make_member(company, "acc_e2e", ["accounting"], last_name="経理", first_name="一郎")
    assistant = make_member(
        company,
        "asst_e2e",
        ["assistant"],
        last_name="外部",
        first_name="太郎",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    outside = services.save_team(
        **_w(admin), name="オンラインアシスタント", kind="outside", hourly_rate=2800, inhouse_hourly_cost=4000
    )
    services.add_team_member(**_w(admin), team=outside, user_id=assistant.user_id)
    rtype = services.save_request_type(
        **_w(admin), team=outside, name="データ入力", needs="元データのファイル", turnaround_days=3
    )
    acc = services.save_team(**_w(admin), name="経理", kind="accounting", hourly_rate=3500)
    services.add_team_member(**_w(admin), team=acc, user_id=keiri.user_id)
    other = services.create_request(
        **_w(requester),
        team_id=acc.pk,
        request_type_id=None,
        title="社内の依頼",
        body="経理へ",
        records=[(THING, "2")],
    )

    # the requester: 依頼する, with the type's needs shown, a record and a file
    login_as(requester, reverse("requests:new") + f"?team={outside.pk}&type={rtype.pk}")
    expect(page.locator("#type-info")).to_contain_text("元データのファイル")
    page.get_by_label("対象の種類").select_option(THING)
    page.get_by_label("対象を探す").fill("取引先カード")
    page.get_by_role("button", name="探す").click()
    page.get_by_label("取引先カード1").check()
    page.get_by_label("件名").fill("名刺の入力")
    page.get_by_label("依頼内容").fill("添付の名刺を入力してください。")
    page.get_by_label("添付ファイル").set_input_files(
        files=[{"name": "名刺.txt", "mimeType": "text/plain", "buffer": "山田 太郎 株式会社ABC".encode()}]
    )
    page.get_by_role("button", name="依頼を送る").click()
    expect(page.locator("#request-status")).to_have_text("受付待ち")
    mine = WorkRequest.objects.get(team=outside)
    assert mine.records.get().object_id == "1"
    page.context.clear_cookies()

    # the assistant signs in with the form: the inbox has only their request and its file
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", "asst_e2e")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.goto(live_server.url + reverse("requests:inbox"))
    rows = page.locator("#request-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("名刺の入力")
    expect(rows.first).to_contain_text("名刺.txt")
    expect(page.locator("main")).not_to_contain_text("社内の依頼")
    link = rows.first.get_by_role("link", name="名刺.txt")
    file_url = live_server.url + link.get_attribute("href")
    got = page.request.get(file_url)
    assert got.status == 200 and "山田 太郎".encode() in got.body()
    # refused: another team's request, and a record their request does not name
    assert page.goto(live_server.url + reverse("requests:detail", args=[other.pk])).status == 404
    not_named = reverse("requests:record", args=[mine.pk, other.records.get().pk])
    assert page.goto(live_server.url + not_named).status == 404

    # the assistant works on it: the record card, time, close
    page.goto(live_server.url + reverse("requests:detail", args=[mine.pk]))
    page.locator("#records").get_by_role("link", name="取引先カード1").click()
    expect(page.locator("#card")).to_contain_text("番号")
    page.go_back()
    page.get_by_role("button", name="担当する").click()
    expect(page.locator("#assignee")).to_contain_text("外部 太郎")
    page.get_by_label("作業時間(分)").fill("45")
    page.get_by_role("button", name="作業時間を記録").click()
    expect(page.locator("#total-minutes")).to_have_text("45")
    page.get_by_label("完了報告").fill("120枚入力しました。")
    page.get_by_role("button", name="完了にする").click()
    expect(page.locator(".alert, .toast, main").first).to_be_visible()
    mine.refresh_from_db()
    assert mine.status == RequestStatus.DONE and TimeEntry.objects.get().cost == 2100
    page.context.clear_cookies()

    # the requester: done, with the report
    login_as(requester, reverse("requests:detail", args=[mine.pk]))
    expect(page.locator("#request-status")).to_have_text("完了")
    expect(page.locator("#resolution")).to_contain_text("120枚入力しました。")
