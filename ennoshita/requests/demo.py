"""The demo company's 業務依頼: the teams 経理・総務・一般事務 (in-house, 3,500円/時) and
「オンラインアシスタント」 (outside, contracted 2,800円/時, 4,000円/時 if done in-house) with the demo
``assistant`` (made by the core demo with an 有効期限; made here with 180 days when missing), a
catalogue per team, a month of requests (open, in progress, waiting, done) with logged hours, and one
recurring month-end request.

Everything through ``requests.services``. The demo spreads the requests over the past month by
moving their 依頼日時 back after creating them (the one direct write, demo data only: a service never
backdates a request). Idempotent: nothing is made when the company has teams."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from ennoshita.core import records as core_records
from ennoshita.core import services as core_services
from ennoshita.core.models import Company, Membership, Role
from ennoshita.documents.demo import pdf

from . import services
from .models import Frequency, Team, TeamKind, WorkRequest

DEMO_PASSWORD = "ennoshita-demo-2026"  # the same as the core demo's users (people/management/demo_data.py)

CATALOGUE: dict[str, list[tuple[str, str, str, int]]] = {
    "経理": [
        (
            "請求書の発行",
            "得意先・品目・金額を登録して請求書を発行します。",
            "得意先名、品目と金額、請求日",
            2,
        ),
        ("経費精算の確認", "差し戻された経費の再確認。", "領収書の画像", 3),
    ],
    "総務": [
        ("備品の手配", "PC・文具などの購入と配布。", "品名と数量、必要な日", 5),
        ("出張の手配", "交通と宿の予約。", "日程、行き先、人数", 3),
    ],
    "一般事務": [
        ("データ入力", "紙の資料の入力。", "元の資料", 3),
        ("書類のファイリング", "契約書・請求書の整理と保管。", "書類一式", 2),
    ],
    "オンラインアシスタント": [
        ("データ入力", "名刺・アンケート・請求書などの入力。", "元データ(PDF・画像)と入力先の指定", 3),
        ("請求書の整理", "受け取った請求書の仕分けと登録。", "請求書のファイル", 2),
        ("出張の手配", "交通と宿の予約、行程表の作成。", "日程、行き先、予算", 2),
        ("リサーチ", "取引先・市場の下調べと要約。", "調べたいこと、締切", 5),
    ],
}


def _member(company: Company, username: str) -> Membership | None:
    return (
        Membership.objects.for_company(company)
        .filter(is_active=True, user__username=username)
        .select_related("user", "company")
        .first()
    )


def _first_with(company: Company, *roles: str) -> Membership | None:
    rows = Membership.objects.for_company(company).filter(is_active=True).select_related("user", "company")
    return next(
        (m for m in rows.order_by("pk") if m.has_any_role(*roles) and not m.has_any_role(Role.ASSISTANT)),
        None,
    )


def _w(m: Membership) -> dict[str, Any]:
    return {"company": m.company, "actor": m.user, "membership": m}


def _assistant(company: Company, admin: Membership) -> Membership:
    found = _member(company, "assistant")
    if found is not None and found.has_any_role(Role.ASSISTANT):
        return found
    return core_services.add_member(
        company=company,
        actor=admin.user,
        username="assistant",
        roles=[Role.ASSISTANT],
        password=DEMO_PASSWORD,
        last_name="外部",
        first_name="アシスタント",
        expires_on=timezone.localdate() + timedelta(days=180),
    )


def _a_record(company: Company) -> list[tuple[str, str]]:
    """One record of another app to name (the first the registered kinds find), if any."""
    for kind in core_records.kinds():
        if kind.object_type == "documents.document":
            continue
        for text in ("株式会社", "請求", "1"):
            found = kind.search(company, text)
            if found:
                return [(kind.object_type, found[0][0])]
    return []


def build_demo_requests(company: Company) -> None:
    if Team.objects.for_company(company).exists():
        return
    admin = _first_with(company, Role.ADMIN)
    if admin is None:
        return
    today = timezone.localdate()
    w = _w(admin)
    assistant = _assistant(company, admin)
    staff = {
        "経理": _first_with(company, Role.ACCOUNTING),
        "総務": _first_with(company, Role.AFFAIRS),
        "一般事務": _first_with(company, Role.FRONTDESK),
        "オンラインアシスタント": assistant,
    }
    kinds = {"経理": TeamKind.ACCOUNTING, "総務": TeamKind.AFFAIRS, "一般事務": TeamKind.GENERAL}
    teams: dict[str, Team] = {}
    types: dict[str, list[Any]] = {}
    for name, entries in CATALOGUE.items():
        outside = name == "オンラインアシスタント"
        team = services.save_team(
            **w,
            name=name,
            kind=TeamKind.OUTSIDE if outside else kinds[name],
            hourly_rate=2800 if outside else 3500,
            inhouse_hourly_cost=4000 if outside else 0,
            description="外部のオンラインアシスタント(契約単価 2,800円/時)" if outside else "",
        )
        member = staff[name]
        if member is not None:
            services.add_team_member(**w, team=team, user_id=member.user_id)
        teams[name] = team
        types[name] = [
            services.save_request_type(
                **w, team=team, name=t, description=d, needs=n, turnaround_days=days, sort_order=i
            )
            for i, (t, d, n, days) in enumerate(entries)
        ]
    requester = _member(company, "employee") or _first_with(company, Role.EMPLOYEE) or admin
    records = _a_record(company)
    plan = [
        # (team, type index, title, days ago, state, minutes)
        ("オンラインアシスタント", 0, "展示会の名刺 120枚の入力", 28, "done", [90, 75]),
        ("オンラインアシスタント", 1, "11月分の受領請求書の整理", 21, "done", [60]),
        ("オンラインアシスタント", 2, "大阪出張(2泊)の手配", 12, "done", [40]),
        ("オンラインアシスタント", 3, "新規取引先候補 5社の下調べ", 6, "in_progress", [120]),
        ("オンラインアシスタント", 0, "顧客アンケートの入力", 1, "open", []),
        ("経理", 0, "A社向け請求書の発行", 18, "done", [30]),
        ("経理", 1, "差し戻し経費の再確認", 4, "waiting", [15]),
        ("総務", 0, "新入社員用PCの手配", 9, "in_progress", [45]),
        ("一般事務", 1, "契約書原本のファイリング", 2, "open", []),
    ]
    for team_name, type_index, title, days_ago, state, minutes in plan:
        team = teams[team_name]
        made = services.create_request(
            **_w(requester),
            team_id=team.pk,
            request_type_id=types[team_name][type_index].pk,
            title=title,
            body=f"{title}をお願いします。",
            records=records if team_name == "オンラインアシスタント" and state != "done" else [],
            files=[(f"{title}.pdf", pdf(title, [title, "(デモ資料)"]))]
            if team_name == "オンラインアシスタント"
            else [],
        )
        created = timezone.now() - timedelta(days=days_ago)
        WorkRequest.objects.filter(pk=made.pk).update(
            created_at=created,
            sla_due_on=services.sla_due(
                made.company, created.date(), types[team_name][type_index].turnaround_days
            ),
        )
        made.refresh_from_db()
        worker = staff[team_name]
        if worker is None or state == "open":
            continue
        services.take_request(**_w(worker), request=made)
        for i, m in enumerate(minutes):
            day = min(today, created.date() + timedelta(days=1 + i))
            services.log_time(**_w(worker), request=made, minutes=m, worked_on=day, note="作業")
        if state == "waiting":
            services.ask_requester(**_w(worker), request=made, question="対象の領収書を添付してください。")
        elif state == "done":
            services.close_request(**_w(worker), request=made, resolution="対応しました。")
    services.save_recurring(
        **_w(requester),
        team_id=teams["オンラインアシスタント"].pk,
        request_type_id=types["オンラインアシスタント"][1].pk,
        title="月末の受領請求書の整理",
        body="今月受け取った請求書を仕分けて登録してください。",
        frequency=Frequency.MONTH_END,
        lead_days=3,
    )
