"""The demo company's 登記・機関: the 定款 (非公開会社, 取締役会設置, directors 2 years, auditors 4), a
代表取締役, two directors — one of them with the term that ends first, at the next 定時株主総会 — and
an auditor, a 本店移転 whose 登記 is still to be filed (deadline in 5 days), last year's 定時株主総会 and
two board meetings with their minutes. Dates follow today; through the services; idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ennoshita.core import selectors as core_selectors
from ennoshita.core.models import Company, Membership, Role
from ennoshita.documents.demo import pdf

from .models import CharterSettings, Officer, RegistryChange
from .rules import registry as rules
from .services import registry as services


def _operator(company: Company) -> Membership | None:
    members = list(core_selectors.memberships_of_company(company=company).filter(is_active=True))
    for role in (Role.LEGAL, Role.ADMIN):
        for m in members:
            if m.has_any_role(role) and not m.has_any_role(Role.ASSISTANT):
                return m
    return None


def _friday_before(day: date) -> date:
    """The last Friday on or before ``day`` (AGMs are held before the month's end)."""
    return day - timedelta(days=(day.weekday() - 4) % 7)


def build_demo_registry(company: Company) -> None:
    if CharterSettings.objects.for_company(company).exists():
        return
    operator = _operator(company)
    if operator is None:
        return
    w: dict[str, Any] = {"company": company, "actor": operator.user, "membership": operator}
    today = timezone.localdate()
    services.save_charter_settings(
        **w,
        is_public_company=False,
        has_board=True,
        director_term_years=2,
        auditor_term_years=4,
        agm_months_after_year_end=3,
    )
    fy = company.fiscal_year_start_month
    next_agm = rules.next_agm_on(today=today, fiscal_year_start_month=fy, agm_months_after_year_end=3)
    last_expected = rules.month_end(next_agm.year - 1, next_agm.month)
    last_agm = _friday_before(last_expected)  # last year's 定時株主総会
    two_before = _friday_before(rules.month_end(next_agm.year - 2, next_agm.month))

    def appoint(name: str, kana: str, position: str, elected: date) -> Officer:
        officer = services.appoint_officer(
            **w,
            data=services.OfficerInput(
                name=name, name_kana=kana, position=position, elected_on=elected, took_office_on=elected
            ),
        )
        change = RegistryChange.objects.for_company(company).get(officer=officer)
        services.mark_filed(**w, change=change, filed_on=elected + timedelta(days=7))
        services.mark_registered(**w, change=change, registered_on=elected + timedelta(days=14))
        return officer

    appoint("縁下 一郎", "エンノシタ イチロウ", "representative_director", last_agm)
    appoint("支柱 二郎", "シチュウ ジロウ", "director", two_before)  # ends at the next AGM: the first to end
    appoint("土台 花子", "ドダイ ハナコ", "director", last_agm)
    appoint("礎 三郎", "イシズエ サブロウ", "auditor", two_before)

    year_end = rules.last_year_end_on_or_before(last_agm, fiscal_year_start_month=fy)
    agm = services.record_meeting(
        **w,
        data=services.MeetingInput(
            kind="agm",
            title="定時株主総会",
            held_on=last_agm,
            record_date=year_end,
            resolutions="第1号議案 計算書類承認の件\n第2号議案 取締役2名選任の件(縁下一郎・土台花子)",
        ),
    )
    board = services.record_meeting(
        **w,
        data=services.MeetingInput(
            kind="board", title="取締役会", held_on=last_agm, resolutions="代表取締役選定の件(縁下一郎)"
        ),
    )
    moved_on = today - timedelta(days=9)  # the 登記 deadline is in 5 days
    move = services.record_meeting(
        **w,
        data=services.MeetingInput(
            kind="board",
            title="取締役会(本店移転)",
            held_on=moved_on - timedelta(days=14),
            resolutions="本店移転の件",
        ),
    )
    for meeting in (agm, board, move):
        services.attach_minutes(
            **w,
            meeting=meeting,
            file_name="minutes.pdf",
            data=pdf(
                f"{meeting.title} 議事録", [meeting.held_on.isoformat(), *meeting.resolutions.splitlines()]
            ),
        )
    services.record_registry_change(
        **w,
        data=services.ChangeInput(
            item="head_office",
            content="東京都千代田区丸の内一丁目1番1号",
            effective_on=moved_on,
            note="取締役会決議による本店移転(同一管轄内)",
        ),
    )
