"""The demo company's 法律相談・紛争: a consultation from the demo ``employee`` that 法務 answered, an
open one from a department (the demo ``manager``, naming the ``employee``), and a 債権回収 dispute
with outside counsel, its costs, a deadline in 10 days and the 督促状 as a file. Everything through
``legal.services.matters``. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ennoshita.core.models import Company, Membership, Role
from ennoshita.documents.demo import pdf

from .demo_contracts import _legal, _member, _w
from .models import LegalMatter
from .services import matters as services


def build_demo_matters(company: Company) -> None:
    if LegalMatter.objects.for_company(company).exists():
        return
    today = timezone.localdate()
    legal = _legal(company)
    w = _w(legal)
    employee: Membership = _member(company, "employee", Role.EMPLOYEE) or legal
    manager: Membership = _member(company, "manager", Role.MANAGER) or employee

    # answered: a question from the demo employee about a customer's terms
    asked = services.ask_consultation(
        **_w(employee),
        title="取引先の注文書に記載された損害賠償条項について",
        category="contract",
        question=(
            "新規取引先から届いた注文書の裏面約款に「納期遅延の場合、受注者は一切の損害を賠償する」と"
            "あります。このまま受けてよいでしょうか。取引額は月50万円程度です。"
        ),
    )
    services.add_note(
        **w, matter=asked, body="約款の全文を確認しました。賠償の上限を提案する方向で回答します。"
    )
    services.answer_consultation(
        **w,
        matter=asked,
        answer=(
            "損害賠償の範囲が無制限になっているため、そのままの受諾はお勧めしません。"
            "「賠償額は当該個別契約の代金額を上限とする」「直接かつ通常の損害に限る」旨の修正を"
            "先方に申し入れてください。修正案の文言は法務で用意します。"
        ),
    )

    # open: a department's question about overtime, naming the employee
    services.ask_consultation(
        **_w(manager),
        title="繁忙期の休日出勤と振替休日の扱い",
        category="labor",
        question="来月の繁忙期に休日出勤を予定しています。振替休日と代休のどちらで扱うべきか、手続を教えてください。",
        member_ids=[employee.user_id] if employee.user_id != manager.user_id else [],
    )

    # a dispute: collecting an unpaid invoice through outside counsel
    dispute = services.open_dispute(
        **w,
        data=services.DisputeInput(
            title="売掛金の未払い(株式会社ひがし物産)",
            category="collection",
            opponent="株式会社ひがし物産",
            question="2か月分の請求書(合計1,650,000円)が支払期日を過ぎても未払い。督促状を送付済み、回答なし。",
            forum="東京簡易裁判所",
            claim_amount=1_650_000,
            counsel="さくら総合法律事務所 弁護士 青木",
            handler_id=legal.user_id,
            opened_on=today - timedelta(days=40),
        ),
    )
    services.set_status(**w, matter=dispute, to="negotiating")
    services.add_deadline(
        **w, matter=dispute, due_on=today + timedelta(days=10), title="支払督促の申立て期限(社内決定)"
    )
    services.add_cost(
        **w,
        matter=dispute,
        paid_on=today - timedelta(days=30),
        payee="さくら総合法律事務所",
        description="着手金",
        amount=110_000,
    )
    services.add_cost(
        **w,
        matter=dispute,
        paid_on=today - timedelta(days=20),
        payee="日本郵便株式会社",
        description="内容証明郵便",
        amount=1_480,
    )
    services.attach_matter_file(
        **w,
        matter=dispute,
        file_name="督促状.pdf",
        data=pdf(
            "督促状", ["貴社に対する下記売掛金のお支払いが確認できておりません。", "請求額 1,650,000円"]
        ),
        comment="内容証明で送付した写し",
    )
