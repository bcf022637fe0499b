"""The 文書 screens in a real browser: an admin creates a folder, uploads a file through the page
(progress bar, JSON endpoint), meets "name exists" and registers a new version instead, searches
the text inside, restores version 1, reads the history; a PDF previews inline."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from ennoshita.documents.models import Document
from tests.documents.conftest import make_pdf


def _upload(page: Page, name: str, data: bytes, mime: str = "text/plain") -> None:
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.locator("#upload").get_by_role("button", name="登録する").click()


def test_admin_uploads_versions_searches_and_restores(
    page: Page, live_server, login_as, admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(admin, reverse("documents:home"))

    # the menu has the 文書 group
    expect(page.locator('.nav-group[data-group="docs"]')).to_contain_text("文書検索")

    # a folder
    page.get_by_label("新しいフォルダ").fill("総務")
    page.get_by_role("button", name="フォルダを作成").click()
    expect(page.locator("h1")).to_have_text("総務")

    # upload through the page: one row per file with a progress bar and a link when done
    _upload(page, "議事録.txt", "第1回 議事録 株式会社サンプル 請求".encode())
    row = page.locator('.upload-row[data-file="議事録.txt"]')
    expect(row.get_by_role("link", name="登録しました")).to_be_visible()
    expect(row.locator("progress")).to_have_attribute("value", "100")

    # the same name again: never overwritten; offered as a new version
    _upload(page, "議事録.txt", "第2回 議事録 改訂".encode())
    rows = page.locator('.upload-row[data-file="議事録.txt"]')
    expect(rows).to_have_count(2)
    second = rows.nth(1)
    expect(second.locator(".error")).to_contain_text("上書きはしません")
    second.get_by_role("button", name="新しい版として登録").click()
    expect(second.get_by_role("link", name="登録しました")).to_be_visible()
    document = Document.objects.get(name="議事録.txt")
    assert document.current_version.number == 2

    # search the text inside (half-width katakana finds full-width)
    page.goto(live_server.url + reverse("documents:search"))
    page.get_by_label("キーワード").fill("改訂")
    page.get_by_role("button", name="検索", exact=True).click()
    expect(page.locator("#result-table tbody tr")).to_have_count(1)
    page.locator("#result-table").get_by_role("link", name="議事録.txt").click()

    # restore version 1 from 版の履歴
    page.get_by_role("tab", name="版の履歴").click()
    page.locator('#version-table tr[data-version="1"]').get_by_role("button", name="この版を復元").click()
    expect(page.locator(".toast")).to_contain_text("第1版を第3版として復元しました")
    expect(page.locator("#version-table tbody tr")).to_have_count(3)
    expect(page.locator('#version-table tr[data-version="3"]')).to_contain_text("第1版を復元")

    # 変更履歴 shows the restore
    page.get_by_role("tab", name="変更履歴").click()
    expect(page.locator("#history table.history")).to_be_visible()
    expect(page.locator("#history table.history tbody")).to_contain_text(re.compile("復元|restore"))

    # the search for the old text finds it again (version 1 is the newest now)
    page.goto(live_server.url + reverse("documents:search") + "?q=ｻﾝﾌﾟﾙ")
    expect(page.locator("#result-table tbody tr")).to_have_count(1)


def test_pdf_previews_inline_without_scripts(page: Page, live_server, login_as, admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.core.files.storage import storages

    storages._storages.pop("default", None)
    from ennoshita.documents import services

    ctx = {"company": admin.company, "actor": admin.user, "membership": admin}
    folder = services.create_folder(**ctx, name="経理", parent=None)
    pdf = services.upload_document(**ctx, folder=folder, name="見積書.pdf", data=make_pdf())
    responses = []
    page.on("response", lambda r: responses.append(r) if "/inline/" in r.url else None)
    login_as(admin, reverse("documents:document", args=[pdf.pk]))
    frame = page.locator("iframe.preview")
    expect(frame).to_be_visible()
    assert responses and responses[0].status == 200
    assert responses[0].headers["content-type"] == "application/pdf"
    # Chromium's PDF viewer (its built-in extension) took the frame over: the CSP that stops
    # scripts in served files does not stop the viewer.
    viewer = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"
    for _ in range(50):
        if any(f.url.startswith(viewer) for f in page.frames):
            break
        page.wait_for_timeout(100)
    assert any(f.url.startswith(viewer) for f in page.frames), [f.url for f in page.frames]
