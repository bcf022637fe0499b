"""The demo company's documents: 契約書, 請求書(受領), 社内規程 and 議事録, some with several versions,
電子取引 records with their 電子帳簿保存法 keys, tags, shares, and one 雇用契約書 attached to an
employee. Everything is written through ``documents.services``, as a user would.

Called by ``people``'s ``demo`` command (documents never imports people: the employee comes in as
an argument and is named by its type label and id, like every attachment).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ennoshita.core.models import Company, Membership

from . import services
from .models import Document, Folder

EMPLOYEE_TYPE = "people.employee"


# IPA fonts as Debian and Ubuntu install them (fonts-ipafont-gothic); the first one found is used.
FONT_FILES = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/truetype/ipafont/ipag.ttf",
)
TTF_FONT = "IPAGothic"
CID_FONT = "HeiseiKakuGo-W5"


def font_file() -> str | None:
    """The first IPA Gothic file present on this machine, or None."""
    return next((path for path in FONT_FILES if os.path.isfile(path)), None)


def _font() -> str:
    """The font the demo PDFs are written in, registered with ReportLab once.

    With an IPA font file, a TrueType font that ReportLab embeds (only the glyphs used), so the PDF
    shows the same everywhere; without one, ReportLab's built-in CID font, which is not embedded
    (the reader substitutes a Japanese font of its own)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    path = font_file()
    name = TTF_FONT if path else CID_FONT
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(TTF_FONT, path) if path else UnicodeCIDFont(CID_FONT))
    return name


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with Japanese text, in the font ``_font`` picks. ``invariant`` leaves out
    the creation date and fixes the document id, so the same text gives the same bytes (stored
    once, and the demo is the same on every run)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    width, height = A4
    c.setFont(font, 18)
    c.drawCentredString(width / 2, height - 80, title)
    c.setFont(font, 11)
    y = height - 130
    for line in lines:
        c.drawString(60, y, line)
        y -= 20
    c.showPage()
    c.save()
    return buf.getvalue()


def text(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class Spec:
    """One demo document: its versions (bytes, comment) oldest first, tags, and 電子取引 keys."""

    folder: str
    name: str
    versions: list[tuple[bytes, str]]
    tags: list[str] = field(default_factory=list)
    record: tuple[date, int, str, str] | None = None  # 取引年月日, 金額, 取引先, 書類の種類


def _contract(party: str, kind: str, amount: str, signed: bool) -> bytes:
    status = "締結版" if signed else "案"
    return pdf(
        f"{kind}({status})",
        [
            f"株式会社サンプル商事(以下「甲」という)と{party}(以下「乙」という)は、",
            f"次のとおり{kind}を締結する。",
            "第1条(目的) 本契約は、甲乙間の取引に関する基本的事項を定める。",
            f"第2条(対価) 対価は月額 {amount}(消費税別)とする。",
            "第3条(有効期間) 2026年4月1日から1年間とし、自動更新する。",
            "第4条(秘密保持) 甲及び乙は、相手方の秘密情報を第三者に開示しない。",
            "" if signed else "※ 法務確認中の案です。",
        ],
    )


def _invoice_pdf(party: str, month: str, amount: int, number: str) -> bytes:
    tax = amount // 11
    return pdf(
        "請求書",
        [
            "株式会社サンプル商事 御中",
            f"請求番号 {number}   請求日 {month}末日",
            f"発行者: {party}(登録番号 T1234567890123)",
            f"件名: {month}分 業務委託料",
            f"ご請求金額 {amount:,}円(税込、うち消費税 {tax:,}円)",
            "お支払期限: 翌月末日 / 振込先: みなと銀行 本店 普通 1234567",
        ],
    )


def _specs(employee_name: str) -> list[Spec]:
    K, S, R = "契約書", "請求書(受領)", "社内規程"
    return [
        # ---------------------------------------------------------------- 契約書
        Spec(
            K,
            "取引基本契約書_株式会社みなと商会.pdf",
            [
                (_contract("株式会社みなと商会", "取引基本契約書", "300,000円", signed=False), "先方案"),
                (
                    _contract("株式会社みなと商会", "取引基本契約書", "300,000円", signed=True),
                    "締結版(電子契約)",
                ),
            ],
            ["取引先", "電子契約"],
            (date(2026, 4, 1), 3_600_000, "株式会社みなと商会", "contract"),
        ),
        Spec(
            K,
            "秘密保持契約書_株式会社ひかりシステム.pdf",
            [(_contract("株式会社ひかりシステム", "秘密保持契約書", "0円", signed=True), "")],
            ["取引先", "NDA"],
        ),
        Spec(
            K,
            "業務委託契約書_青葉デザイン事務所.txt",
            [
                (
                    text(
                        "業務委託契約書(案)", "委託業務: 会社案内パンフレットのデザイン", "委託料: 500,000円"
                    ),
                    "初稿",
                ),
                (
                    text(
                        "業務委託契約書(案)", "委託業務: 会社案内パンフレットのデザイン", "委託料: 450,000円"
                    ),
                    "金額を修正",
                ),
                (
                    text(
                        "業務委託契約書",
                        "委託業務: 会社案内パンフレットのデザイン",
                        "委託料: 450,000円",
                        "納期: 2026年12月末",
                    ),
                    "納期を追記して確定",
                ),
            ],
            ["取引先"],
        ),
        Spec(
            "雇用契約書",
            f"雇用契約書_{employee_name or '社員'}.pdf",
            [
                (
                    pdf(
                        "雇用契約書",
                        [
                            f"株式会社サンプル商事(以下「会社」という)と{employee_name or '社員'}(以下「社員」という)は、",
                            "次の条件で雇用契約を締結する。",
                            "雇用期間: 期間の定めなし / 就業場所: 本社(東京都千代田区)",
                            "始業・終業: 9時00分〜18時00分(休憩60分) / 休日: 土日祝日",
                            "賃金: 給与規程による / 締切日・支払日: 毎月末日締め、翌月25日払い",
                        ],
                    ),
                    "",
                )
            ],
            ["人事"],
        ),
        # ---------------------------------------------------------------- 請求書(受領)
        Spec(
            S,
            "請求書_みなと商会_2026-09.pdf",
            [(_invoice_pdf("株式会社みなと商会", "2026年9月", 330_000, "MN-2609"), "メールで受領")],
            ["2026年9月", "支払済"],
            (date(2026, 9, 30), 330_000, "株式会社みなと商会", "invoice"),
        ),
        Spec(
            S,
            "請求書_みなと商会_2026-10.pdf",
            [
                (_invoice_pdf("株式会社みなと商会", "2026年10月", 330_000, "MN-2610"), "メールで受領"),
                (
                    _invoice_pdf("株式会社みなと商会", "2026年10月", 352_000, "MN-2610R"),
                    "先方の訂正版(追加作業分)",
                ),
            ],
            ["2026年10月", "要支払"],
            (date(2026, 10, 31), 352_000, "株式会社みなと商会", "invoice"),
        ),
        Spec(
            S,
            "請求書_ひかりシステム_2026-10.csv",
            [
                (
                    text(
                        "請求番号,請求日,品目,数量,単価,金額",
                        "HS-1031,2026-10-31,システム保守(10月),1,180000,180000",
                        "HS-1031,2026-10-31,消費税(10%),1,18000,18000",
                    ),
                    "請求システムからダウンロード",
                )
            ],
            ["2026年10月", "要支払"],
            (date(2026, 10, 31), 198_000, "株式会社ひかりシステム", "invoice"),
        ),
        Spec(
            S,
            "請求書_丸の内オフィスサービス_2026-10.txt",
            [(text("請求書", "丸の内オフィスサービス株式会社", "10月分 清掃・備品補充 55,000円(税込)"), "")],
            ["2026年10月", "要支払"],
            (date(2026, 10, 31), 55_000, "丸の内オフィスサービス株式会社", "invoice"),
        ),
        Spec(
            S,
            "領収書_日本交通_2026-10-15.txt",
            [
                (
                    text("領収書", "日本交通株式会社", "2026年10月15日 タクシー代 2,480円", "ｻﾝﾌﾟﾙｼｮｳｼﾞ 様"),
                    "アプリから取得",
                )
            ],
            ["経費", "交通費"],
            (date(2026, 10, 15), 2_480, "日本交通株式会社", "receipt"),
        ),
        Spec(
            S,
            "領収書_文具のサクラ_2026-10-20.csv",
            [(text("品名,数量,金額", "コピー用紙A4,5,3750", "ボールペン(黒),30,4500", "合計,,8250"), "")],
            ["経費", "消耗品"],
            (date(2026, 10, 20), 8_250, "有限会社文具のサクラ", "receipt"),
        ),
        Spec(
            S,
            "領収書_クラウドサーバー_2026-11.txt",
            [(text("Receipt / 領収書", "Cloud Hosting合同会社", "2026-11-01 月額利用料 11,000円"), "")],
            ["経費", "通信費"],
            (date(2026, 11, 1), 11_000, "Cloud Hosting合同会社", "receipt"),
        ),
        Spec(
            S,
            "見積書_ひかりシステム_保守更新.txt",
            [(text("御見積書", "株式会社ひかりシステム", "システム保守 年間契約 1,320,000円(税込)"), "")],
            ["見積"],
            (date(2026, 11, 5), 1_320_000, "株式会社ひかりシステム", "quote"),
        ),
        # ---------------------------------------------------------------- 社内規程
        Spec(
            R,
            "就業規則.pdf",
            [
                (
                    pdf(
                        "就業規則",
                        [
                            "第1章 総則",
                            "第1条 この規則は、社員の就業に関する事項を定める。",
                            "附則 2024年4月1日施行",
                        ],
                    ),
                    "制定",
                ),
                (
                    pdf(
                        "就業規則",
                        [
                            "第1章 総則",
                            "第1条 この規則は、社員の就業に関する事項を定める。",
                            "第30条 テレワーク勤務を認める。",
                            "附則 2025年4月1日改定",
                        ],
                    ),
                    "テレワーク条項を追加",
                ),
                (
                    pdf(
                        "就業規則",
                        [
                            "第1章 総則",
                            "第1条 この規則は、社員の就業に関する事項を定める。",
                            "第30条 テレワーク勤務を認める。",
                            "第45条 育児・介護休業は別に定める規程による。",
                            "附則 2026年4月1日改定",
                        ],
                    ),
                    "育児・介護休業法の改正に対応",
                ),
            ],
            ["規程", "人事"],
        ),
        Spec(
            R,
            "給与規程.txt",
            [
                (text("給与規程", "第5条 給与は毎月末日に締め切り、翌月25日に支払う。"), "制定"),
                (
                    text(
                        "給与規程",
                        "第5条 給与は毎月末日に締め切り、翌月25日に支払う。",
                        "第12条 通勤手当は月額15万円を上限とする。",
                    ),
                    "通勤手当の上限を改定",
                ),
            ],
            ["規程", "人事"],
        ),
        Spec(
            R,
            "経費精算規程.txt",
            [(text("経費精算規程", "第3条 領収書は電子データで提出する。"), "")],
            ["規程", "経理"],
        ),
        Spec(
            R,
            "情報セキュリティ規程.md",
            [
                (
                    text(
                        "# 情報セキュリティ規程",
                        "- パスワードは10文字以上",
                        "- 社外へのファイル送付は共有リンクで行う",
                    ),
                    "",
                )
            ],
            ["規程"],
        ),
        Spec(
            R,
            "電子取引データの訂正及び削除の防止に関する事務処理規程.txt",
            [
                (
                    text(
                        "電子取引データの訂正及び削除の防止に関する事務処理規程",
                        "第1条 この規程は、電子帳簿保存法第7条に定める電子取引の取引情報の保存について定める。",
                        "第4条 データの訂正・削除は、経理部長の承認を得て行い、その履歴を残す。",
                    ),
                    "国税庁のひな形をもとに作成",
                )
            ],
            ["規程", "経理", "電帳法"],
        ),
        # ---------------------------------------------------------------- 議事録
        Spec(
            "取締役会",
            "2026-09_取締役会議事録.txt",
            [
                (
                    text(
                        "取締役会議事録",
                        "2026年9月25日 10:00 本社会議室",
                        "第1号議案 下期予算の件 原案どおり承認",
                    ),
                    "",
                )
            ],
            ["取締役会"],
        ),
        Spec(
            "取締役会",
            "2026-10_取締役会議事録.pdf",
            [
                (
                    pdf(
                        "取締役会議事録",
                        [
                            "2026年10月23日 10:00 本社会議室",
                            "第1号議案 新規取引先との取引基本契約締結の件",
                            "原案どおり承認可決",
                        ],
                    ),
                    "",
                )
            ],
            ["取締役会"],
        ),
        Spec(
            "経営会議",
            "2026-10-06_経営会議議事録.txt",
            [(text("経営会議議事録", "2026年10月6日", "1. 9月の業績報告", "2. ペーパーレス化の進捗"), "")],
            ["経営会議"],
        ),
        Spec(
            "経営会議",
            "2026-11-04_経営会議議事録.txt",
            [
                (text("経営会議議事録(速報)", "2026年11月4日", "1. 10月の業績報告"), "速報"),
                (
                    text(
                        "経営会議議事録",
                        "2026年11月4日",
                        "1. 10月の業績報告",
                        "2. 年末年始の営業日",
                        "3. 電子帳簿保存法への対応状況",
                    ),
                    "確定版",
                ),
            ],
            ["経営会議"],
        ),
    ]


def build_demo_documents(*, company: Company, admin_membership: Membership, employee: Any = None) -> None:
    """Folders and documents for the demo company. ``employee`` (a people Employee, optional)
    receives the 雇用契約書 as an attachment. Does nothing when the folders are already there."""
    m = admin_membership
    w: dict[str, Any] = {"company": company, "actor": m.user, "membership": m}
    if Folder.objects.for_company(company).filter(parent=None, name="契約書").exists():
        return
    folders: dict[str, Folder] = {}
    for name, parent in [
        ("契約書", None),
        ("雇用契約書", "契約書"),
        ("請求書(受領)", None),
        ("社内規程", None),
        ("議事録", None),
        ("取締役会", "議事録"),
        ("経営会議", "議事録"),
    ]:
        folders[name] = services.create_folder(**w, name=name, parent=folders[parent] if parent else None)

    employee_name = getattr(employee, "full_name", "").replace(" ", "") if employee is not None else ""
    documents: dict[str, Document] = {}
    for spec in _specs(employee_name):
        (first, comment), *later = spec.versions
        d = services.upload_document(
            **w, folder=folders[spec.folder], name=spec.name, data=first, comment=comment
        )
        for data, note in later:
            services.add_version(**w, document=d, data=data, comment=note)
        d.refresh_from_db()  # add_version saved its own copy; a full save of ours would undo it
        if spec.tags:
            services.set_tags(**w, document=d, names=spec.tags)
        if spec.record is not None:
            when, amount, counterparty, kind = spec.record
            services.set_transaction_record(
                **w,
                document=d,
                transaction_date=when,
                transaction_amount=amount,
                counterparty=counterparty,
                document_type=kind,
            )
        documents[spec.folder + "/" + spec.name] = d

    services.share(**w, folder=folders["社内規程"], grantee_kind="everyone", permission="read")
    services.share(**w, folder=folders["契約書"], grantee_kind="role", grantee="legal", permission="edit")
    services.share(
        **w, folder=folders["請求書(受領)"], grantee_kind="role", grantee="accounting", permission="edit"
    )
    services.share(**w, folder=folders["議事録"], grantee_kind="role", grantee="manager", permission="read")
    if employee is not None:
        contract = next(d for key, d in documents.items() if key.startswith("雇用契約書/"))
        services.attach(**w, document=contract, object_type=EMPLOYEE_TYPE, object_id=str(employee.pk))
