"""Demo data of お知らせ and 社内行事: five announcements (年末年始の休業, 健康診断のご案内 with its
attachment, 社内報 12月号, an expired one, one for 営業本部 only) and one scheduled, some read; 忘年会
this month with a capacity, sign-ups and a budget; a past event with its cost. Through the
services, dates relative to today; idempotent."""

from __future__ import annotations

import calendar
import contextlib
from datetime import datetime, time, timedelta

from django.utils import timezone

from ennoshita.core.errors import ServiceError
from ennoshita.core.models import Company, Membership

from .models import Announcement, AnnouncementKind, AudienceKind
from .services import announcements as services
from .services import events as event_services


def _member(company: Company, username: str) -> Membership | None:
    return (
        Membership.objects.for_company(company)
        .select_related("user", "company")
        .filter(user__username=username)
        .first()
    )


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _w(m: Membership) -> dict:
    return {"company": m.company, "actor": m.user, "membership": m}


def build_demo_announcements(company: Company) -> None:
    if Announcement.objects.for_company(company).exists():
        return
    soumu = _member(company, "affairs") or _member(company, "admin")
    if soumu is None:
        return
    today = timezone.localdate()
    now = timezone.now()
    w = _w(soumu)
    new_year = (
        today.replace(month=12, day=29)
        if today.month >= 6
        else today.replace(month=12, day=29, year=today.year - 1)
    )
    holiday = services.create_announcement(
        **w,
        data=services.AnnouncementInput(
            title="年末年始の休業について",
            body=(
                f"{new_year.year}年12月29日(金)から{new_year.year + 1}年1月3日(水)まで、全社休業とします。\n"
                "休業中の緊急連絡は総務部の携帯電話(090-0000-0000)までお願いします。\n"
                "最終日は各自の席周りの整理と、PCのシャットダウンをお願いします。"
            ),
            is_important=True,
            publish_at=now - timedelta(days=3),
            expire_at=_at(new_year + timedelta(days=10), 0),
        ),
    )
    checkup = services.create_announcement(
        **w,
        data=services.AnnouncementInput(
            title="健康診断のご案内",
            body=(
                "今年度の定期健康診断を実施します(労働安全衛生規則44条)。\n"
                "添付の案内をご確認のうえ、受診日を総務部までご連絡ください。受診は勤務時間内で構いません。"
            ),
            is_important=True,
            publish_at=now - timedelta(days=10),
            expire_at=now + timedelta(days=40),
        ),
    )
    # attachments need the documents hook for announcements (settings) and a folder right
    with contextlib.suppress(ServiceError):
        services.upload_attachment(
            **w,
            announcement=checkup,
            name="健康診断のご案内.txt",
            data="受診期間: 今月末まで\n会場: 丸の内健診クリニック\n持ち物: 問診票、保険証\n".encode(),
        )
    services.create_announcement(
        **w,
        data=services.AnnouncementInput(
            kind=AnnouncementKind.NEWSLETTER,
            title="社内報 12月号",
            body="今月の話題: 新しい仲間の紹介、営業第一部の大型受注、総務部からのお願い(備品の返却)。",
            publish_at=now - timedelta(days=1),
        ),
    )
    services.create_announcement(
        **w,
        data=services.AnnouncementInput(
            title="夏季休暇の取得について",
            body="7月から9月の間に、連続3日の夏季休暇を取得してください。",
            publish_at=now - timedelta(days=150),
            expire_at=now - timedelta(days=60),
        ),
    )
    sales_hq = next((d for d in _departments(company) if d[1] == "営業本部"), None)
    if sales_hq is not None:
        services.create_announcement(
            **w,
            data=services.AnnouncementInput(
                title="年末の売上締めについて(営業本部)",
                body="今月の売上は25日締めとします。受注・納品の登録を24日までに済ませてください。",
                audience=AudienceKind.DEPARTMENTS,
                department_ids=[sales_hq[0]],
                publish_at=now - timedelta(days=2),
                expire_at=now + timedelta(days=20),
            ),
        )
    services.create_announcement(
        **w,
        data=services.AnnouncementInput(
            title="新年の全社会議",
            body="1月の第2月曜日 10時から、本社大会議室で全社会議を行います。",
            publish_at=now + timedelta(days=5),
        ),
    )
    for username in ("employee", "manager", "hr"):
        reader = _member(company, username)
        if reader is not None:
            services.mark_read(company=company, membership=reader, announcement_id=holiday.pk)
    _events(company, soumu, today, now)


def _departments(company: Company) -> list[tuple[int, str]]:
    from ennoshita.people import selectors as people_selectors

    return [(d.pk, d.name) for d in people_selectors.departments(company=company)]


def _events(company: Company, soumu: Membership, today, now: datetime) -> None:
    w = _w(soumu)
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    party_day = last - timedelta(days=(last.weekday() - 4) % 7)  # the month's last Friday
    if party_day <= today + timedelta(days=1):
        party_day = today + timedelta(days=2)
    party = event_services.create_event(
        **w,
        data=event_services.EventInput(
            title="忘年会",
            description="一年の労をねぎらう全社の忘年会です。ご家族の同伴も歓迎します(同伴者は2名まで)。",
            starts_at=_at(party_day, 18, 30),
            ends_at=_at(party_day, 21, 0),
            place="ホテル丸の内 2階 宴会場「桜」",
            capacity=40,
            signup_deadline=_at(party_day - timedelta(days=1), 17),
            budget=300000,
            fee_per_person=3000,
        ),
    )
    for username, guests in (
        ("employee", 0),
        ("manager", 1),
        ("hr", 0),
        ("accounting", 0),
        ("sales_admin", 2),
    ):
        m = _member(company, username)
        if m is not None:
            event_services.sign_up(**_w(m), event=party, guests=guests)
    past_day = today - timedelta(days=60)
    bbq = event_services.create_event(
        **w,
        data=event_services.EventInput(
            title="夏のBBQ大会",
            description="河川敷でのBBQ大会。",
            starts_at=_at(past_day, 11),
            ends_at=_at(past_day, 15),
            place="多摩川河川敷 BBQ場",
            capacity=30,
            budget=150000,
        ),
    )
    event_services.close_signups(**w, event=bbq)
    event_services.record_cost(**w, event=bbq, cost=142800)
