"""The demo company's リーガルチェック: a few playbook clauses (損害賠償の上限, 再委託, 秘密保持の期間,
準拠法・管轄), a review of a new service's terms of use in progress (assigned, comments on round 1),
a 業務委託 draft answered 修正すればOK and resubmitted (round 2, with the contract moved along), and
an advertising copy check closed OK. The requester is the demo ``employee`` (else 法務 itself).
Everything through ``legal.services.reviews``; the files are small generated PDFs. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ennoshita.core.models import Company, Role
from ennoshita.documents.demo import pdf

from .demo_contracts import _legal, _member, _w
from .models import LegalReview, PlaybookClause
from .services import contracts as contract_services
from .services import reviews as services

PLAYBOOK = [
    (
        "損害賠償",
        "損害賠償の上限",
        "上限額(直近12か月の委託料総額など)と、故意・重過失の除外を確認する。",
        "本契約に関する損害賠償の総額は、損害発生前12か月間に甲が乙に支払った委託料の総額を上限とする。ただし、故意又は重大な過失による場合はこの限りでない。",
    ),
    (
        "委託",
        "再委託",
        "再委託は事前の書面承諾を要し、再委託先の行為に委託先が責任を負うこと。",
        "乙は、甲の事前の書面による承諾なく、本業務の全部又は一部を第三者に再委託してはならない。",
    ),
    (
        "秘密保持",
        "秘密保持の期間",
        "契約終了後も一定期間(原則3年)存続させる。個人情報は期間の定めなく。",
        "本条の規定は、本契約終了後3年間存続する。",
    ),
    (
        "一般条項",
        "準拠法・合意管轄",
        "日本法を準拠法とし、当社本店所在地の地方裁判所を専属的合意管轄とする。",
        "",
    ),
]


def build_demo_reviews(company: Company) -> None:
    if LegalReview.objects.for_company(company).exists():
        return
    today = timezone.localdate()
    legal = _legal(company)
    lw = _w(legal)
    requester = _member(company, "employee", Role.EMPLOYEE) or legal
    rw = _w(requester)
    notes = {}
    for category, title, guidance, text in PLAYBOOK:
        found = PlaybookClause.objects.for_company(company).filter(title=title).first()
        notes[title] = found or services.create_playbook_clause(
            **lw,
            data=services.ClauseInput(title=title, category=category, guidance=guidance, suggested_text=text),
        )

    # 1. in progress: the terms of use of a new service, assigned, two comments on round 1
    terms = services.submit_review(
        **rw,
        title="新サービス利用規約の確認",
        background="来月公開するサービスの利用規約です。免責の範囲と個人情報の扱いを確認してください。",
        desired_on=today + timedelta(days=5),
        file_name="利用規約_案.pdf",
        data=pdf("利用規約(案)", ["第1条 適用", "第8条 免責", "第10条 個人情報の取扱い"]),
    )
    services.assign_reviewer(**lw, review=terms, reviewer_id=legal.user_id)
    services.add_comment(
        **lw,
        review=terms,
        clause="第8条(免責)",
        severity="must",
        comment="当社の故意・重過失まで免責する定めは消費者契約法8条により無効です。",
        suggestion="当社の故意又は重大な過失による場合を除き、…",
    )
    services.add_comment(
        **lw,
        review=terms,
        clause="第10条(個人情報)",
        severity="should",
        comment="プライバシーポリシーへの参照を明記してください。",
    )

    # 2. a 業務委託 draft: 修正すればOK, then the revised draft as round 2
    contract = contract_services.create_contract(
        **rw,
        data=contract_services.ContractInput(
            title="システム開発業務委託契約書",
            contract_type="outsourcing",
            counterparty_name="株式会社ひかりソフト",
            amount=3_000_000,
            tax_amount=300_000,
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=395),
        ),
    )
    outsourcing = services.submit_review(
        **rw,
        title="システム開発業務委託契約のチェック",
        background="新規の開発委託先です。損害賠償と再委託の条項を見てください。",
        desired_on=today + timedelta(days=3),
        file_name="業務委託契約書_案1.pdf",
        data=pdf("システム開発業務委託契約書(案)", ["第5条 再委託", "第12条 損害賠償"]),
        contract_id=contract.pk,
    )
    services.assign_reviewer(**lw, review=outsourcing, reviewer_id=legal.user_id)
    services.add_comment(
        **lw,
        review=outsourcing,
        clause="第12条(損害賠償)",
        severity="must",
        playbook_id=notes["損害賠償の上限"].pk,
    )
    services.add_comment(
        **lw, review=outsourcing, clause="第5条(再委託)", severity="should", playbook_id=notes["再委託"].pk
    )
    services.return_review(
        **lw, review=outsourcing, verdict="ok_with_changes", summary="2か所を修正すれば締結して構いません。"
    )
    services.resubmit_review(
        **rw,
        review=outsourcing,
        file_name="業務委託契約書_案2.pdf",
        data=pdf("システム開発業務委託契約書(案2)", ["第5条 再委託(承諾制)", "第12条 損害賠償(上限あり)"]),
        note="第5条と第12条をご指摘のとおり修正しました。",
    )

    # 3. an advertising copy: OK and closed
    ad = services.submit_review(
        **rw,
        title="広告表現の確認(景品表示法)",
        background="「業界No.1」の表記に根拠資料が足りるか確認してください。",
        desired_on=today + timedelta(days=2),
        file_name="広告原稿.pdf",
        data=pdf("広告原稿", ["業界No.1(2025年 当社調べ)"]),
    )
    services.return_review(
        **lw, review=ad, verdict="ok", summary="調査の出典と時期が併記されているため問題ありません。"
    )
    services.close_review(**rw, review=ad)
