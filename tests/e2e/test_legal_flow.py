"""リーガルチェック in a real browser: a department member asks 法務 to check a contract draft from the
contract's page; 法務 takes it, comments on a clause and answers 修正すればOK; the department sends the
revised draft (round 2); 法務 answers OK, uploads the signed PDF on the contract page (after the .docx
drafts), marks the contract signed and active; the daily contract job runs and the renewal alert is on
法務's home page."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from ennoshita.documents.demo import pdf
from ennoshita.legal import tasks_contracts
from ennoshita.legal.models import Contract, LegalReview, ReviewRound
from ennoshita.legal.services import contracts as contract_services
from tests.conftest import make_company, make_department, make_employee, make_member


def _docx(text: str) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml",
            f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buf.getvalue()


def test_department_asks_legal_answers_signed_version_and_renewal_alert(
    page: Page, live_server, login_as, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    company = make_company("株式会社法務テスト")
    hr = make_member(company, "hr_e2e", ["hr"], last_name="人事", first_name="花子")
    sales = make_department(company, hr, code="200", name="営業部")
    dept = make_member(company, "sales_e2e", ["employee"], last_name="営業", first_name="三郎")
    make_employee(company, hr, sales, number="E100", family_name="営業", given_name="三郎", user=dept.user)
    legal = make_member(company, "legal_e2e", ["legal"], last_name="法務", first_name="桜")
    today = timezone.localdate()
    # the department registered the draft: an auto-renewing contract ending in 20 days, notice 10 days before
    contract = contract_services.create_contract(
        company=company,
        actor=dept.user,
        membership=dept,
        data=contract_services.ContractInput(
            title="保守サービス契約書",
            contract_type="work",
            counterparty_name="株式会社ひかりソフト",
            starts_on=today - timedelta(days=345),
            ends_on=today + timedelta(days=20),
            auto_renew=True,
            renewal_months=12,
            notice_period=10,
            notice_unit="days",
        ),
    )
    draft1, draft2 = tmp_path / "保守契約_案1.docx", tmp_path / "保守契約_案2.docx"
    draft1.write_bytes(_docx("第5条 損害賠償 無制限"))
    draft2.write_bytes(_docx("第5条 損害賠償 上限あり"))
    signed = tmp_path / "保守契約_締結版.pdf"
    signed.write_bytes(pdf("保守サービス契約書(締結版)", ["第5条 損害賠償"]))

    # the department: 「リーガルチェックを依頼」 from the contract page
    login_as(dept, reverse("legal:contract_detail", args=[contract.pk]))
    page.locator("#request-review").click()
    page.get_by_label("件名").fill("保守契約のチェック")
    page.get_by_label("取引の背景・確認してほしい点").fill(
        "既存取引の更新です。損害賠償の上限を見てください。"
    )
    page.get_by_label("回答希望日").fill((today + timedelta(days=5)).isoformat())
    page.get_by_label("審査する文書(案)").set_input_files(str(draft1))
    page.get_by_role("button", name="依頼する").click()
    expect(page.locator("#review-status")).to_have_text("受付待ち")
    review = LegalReview.objects.get()
    assert review.contract_id == contract.pk and Contract.objects.get().status == "in_review"

    # 法務: takes it, comments on a clause, answers 修正すればOK
    page.context.clear_cookies()
    login_as(legal, reverse("legal:review_detail", args=[review.pk]))
    page.get_by_role("button", name="担当者にする").click()
    expect(page.locator("#review-status")).to_have_text("確認中")
    expect(page.locator("#reviewer")).to_contain_text("法務")
    form = page.locator("#comment-form")
    form.get_by_label("条項", exact=True).fill("第5条(損害賠償)")
    form.get_by_label("重要度").select_option("must")
    form.get_by_label("コメント", exact=True).fill("上限を契約金額までとしてください。")
    form.get_by_role("button", name="コメントを追加").click()
    expect(page.locator("#round-1 table.comments")).to_contain_text("上限を契約金額まで")
    answer = page.locator("#return-form")
    answer.get_by_label("判定").select_option("ok_with_changes")
    answer.get_by_label("総評").fill("第5条を直せば締結して構いません。")
    answer.get_by_role("button", name="回答する").click()
    expect(page.locator("#review-verdict")).to_have_text("修正すればOK")

    # the department: the revised draft as round 2
    page.context.clear_cookies()
    login_as(dept, reverse("legal:review_detail", args=[review.pk]))
    resubmit = page.locator("#resubmit")
    resubmit.get_by_label("修正した文書").set_input_files(str(draft2))
    resubmit.get_by_label("変更点").fill("第5条に上限を入れました。")
    resubmit.get_by_role("button", name="再依頼する").click()
    expect(page.locator("#review-status")).to_have_text("確認中")
    expect(page.locator("#round-2")).to_contain_text("保守サービス契約書.docx")
    assert ReviewRound.objects.filter(review=review).count() == 2

    # 法務: OK
    page.context.clear_cookies()
    login_as(legal, reverse("legal:review_detail", args=[review.pk]))
    answer = page.locator("#return-form")
    answer.get_by_label("判定").select_option("ok")
    answer.get_by_role("button", name="回答する").click()
    expect(page.locator("#review-verdict")).to_have_text("OK")
    expect(page.locator("#lead-time")).to_contain_text("0営業日")

    # 法務: the signed PDF on the contract page, then 締結済み and 有効
    page.goto(live_server.url + reverse("legal:contract_detail", args=[contract.pk]))
    expect(page.locator("#reviews")).to_contain_text(review.number)
    files = page.locator("#files")
    files.locator("input[type=file]").set_input_files(str(signed))
    files.locator("select[name=kind]").select_option("signed")
    files.get_by_role("button", name="新しい版として登録").click()
    expect(page.locator("#files tr[data-version='3']")).to_contain_text("保守サービス契約書")
    status = page.locator("#status-actions")
    status.locator("select[name=to]").select_option("signed")
    status.locator("input[name=signed_on]").fill(today.isoformat())
    status.get_by_role("button", name="変更する").click()
    expect(page.locator("#contract-status")).to_have_text("締結済み")
    page.locator("#status-actions select[name=to]").select_option("active")
    page.locator("#status-actions").get_by_role("button", name="変更する").click()
    expect(page.locator("#contract-status")).to_have_text("有効")

    # the daily job: the notice deadline (10 days before the end) is within 30 days → alert
    assert "sent" in tasks_contracts.run_all_companies()
    page.goto(live_server.url + reverse("home"))
    expect(page.locator("[data-panel-key=notifications]")).to_contain_text("更新拒絶の通知期限")
    expect(page.locator("[data-panel-key=contracts_upcoming]")).to_contain_text("保守サービス契約書")
