"""The 定時株主総会 by the 基準日's limit (会社法124条2項) and 休眠会社 (472条): the status the home shows
and the alerts the daily job sends — once per lead, only where the 定款 settings exist."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from ennoshita.core.models import Notification
from ennoshita.legal.models import RegistryAlert, RegistryChange
from ennoshita.legal.selectors import registry as selectors
from ennoshita.legal.services import registry as services

from .test_registry_fixtures import charter

pytest_plugins = ["tests.legal.test_registry_fixtures"]


def _april_year(org):
    org.company.fiscal_year_start_month = 4
    org.company.save(update_fields=["fiscal_year_start_month"])


def _kinds():
    return sorted(RegistryAlert.objects.values_list("kind", "days_before"))


def test_agm_status_follows_the_latest_year_end(org):
    _april_year(org)
    s = selectors.agm_status(company=org.company, today=date(2026, 5, 20))
    assert (s.year_end, s.limit, s.meeting, s.days_left) == (date(2026, 3, 31), date(2026, 6, 30), None, 41)
    # a 臨時株主総会 or a board meeting is not the 定時株主総会; one after the limit is not on the 基準日
    for kind, held in (("egm", date(2026, 5, 1)), ("board", date(2026, 6, 1))):
        services.record_meeting(**org.w(), data=services.MeetingInput(kind=kind, title=kind, held_on=held))
    assert selectors.agm_status(company=org.company, today=date(2026, 5, 20)).meeting is None
    agm = services.record_meeting(
        **org.w(),
        data=services.MeetingInput(
            kind="agm", title="定時株主総会", held_on=date(2026, 6, 26), record_date=date(2026, 3, 31)
        ),
    )
    assert selectors.agm_status(company=org.company, today=date(2026, 5, 20)).meeting == agm
    # the next year: a new cycle, nothing recorded for it yet
    assert selectors.agm_status(company=org.company, today=date(2027, 4, 1)).meeting is None


def test_agm_alerts_30_and_7_days_before_and_once_after(org):
    _april_year(org)
    assert services.send_registry_alerts(company=org.company, today=date(2026, 6, 1)) == 0  # no 定款 yet
    charter(org)
    assert services.send_registry_alerts(company=org.company, today=date(2026, 5, 20)) == 0  # 41 days
    assert services.send_registry_alerts(company=org.company, today=date(2026, 6, 1)) == 2  # 29 days
    assert services.send_registry_alerts(company=org.company, today=date(2026, 6, 2)) == 0
    assert services.send_registry_alerts(company=org.company, today=date(2026, 6, 25)) == 2  # 5 days
    text = Notification.objects.filter(user=org.legal.user).order_by("pk").last().text
    assert "2026-03-31" in text and "2026-06-30" in text and "124条2項" in text
    assert services.send_registry_alerts(company=org.company, today=date(2026, 7, 10)) == 2  # passed
    assert "124条2項・3項" in Notification.objects.filter(user=org.legal.user).order_by("pk").last().text
    assert services.send_registry_alerts(company=org.company, today=date(2026, 7, 11)) == 0
    assert _kinds() == [("record_date", 0), ("record_date", 7), ("record_date", 30)]


def test_no_agm_alert_when_recorded_or_long_past(org):
    _april_year(org)
    charter(org)
    # a company starting to keep its registry in December is not told about June's meeting
    assert services.send_registry_alerts(company=org.company, today=date(2026, 12, 5)) == 0
    services.record_meeting(
        **org.w(),
        data=services.MeetingInput(
            kind="written_shareholders",
            title="書面決議",
            held_on=date(2027, 6, 20),
            record_date=date(2027, 3, 31),
        ),
    )
    assert services.send_registry_alerts(company=org.company, today=date(2027, 6, 10)) == 0


def _registered(org, on: date) -> RegistryChange:
    change = services.record_registry_change(
        **org.w(), data=services.ChangeInput(item="purpose", content="目的の追加", effective_on=on)
    )
    services.mark_filed(**org.w(), change=change, filed_on=on + timedelta(days=3))
    return services.mark_registered(**org.w(), change=change, registered_on=on + timedelta(days=10))


def test_dormant_alerts_count_12_years_from_the_last_registration(org):
    _april_year(org)
    charter(org)
    services.record_meeting(  # keep the AGM alert out of the counts
        **org.w(),
        data=services.MeetingInput(
            kind="agm", title="定時株主総会", held_on=date(2026, 6, 26), record_date=date(2026, 3, 31)
        ),
    )
    assert selectors.dormant_risk(company=org.company) is None
    _registered(org, date(2014, 4, 1))  # registered 2014-04-11 → 12 years on 2026-04-11
    last, risk = selectors.dormant_risk(company=org.company, today=date(2026, 4, 1))
    assert last == date(2014, 4, 11) and risk.reaches_on == date(2026, 4, 11) and risk.days_left == 10
    assert services.send_registry_alerts(company=org.company, today=date(2026, 4, 1)) == 2  # the 30-day
    assert services.send_registry_alerts(company=org.company, today=date(2026, 4, 11)) == 0  # last day
    assert services.send_registry_alerts(company=org.company, today=date(2026, 4, 12)) == 2  # 経過
    assert "472条" in Notification.objects.order_by("pk").last().text
    assert _kinds() == [("dormant", 0), ("dormant", 30)]
    # a newer 登記 moves the day away: nothing more
    _registered(org, date(2026, 4, 12))
    assert services.send_registry_alerts(company=org.company, today=date(2026, 4, 30)) == 0


def test_home_shows_the_agm_and_the_last_registration(as_member, org):
    charter(org)
    r = as_member(org.legal).get(reverse("legal:registry_home"))
    assert 'id="agm-status"' in r.text and "登記完了日の記録がまだありません" in r.text
    assert r.text.count('id="dormant"') == 1 and "<title>登記・機関 · " in r.text
    year_end = selectors.agm_status(company=org.company).year_end
    services.record_meeting(
        **org.w(),
        data=services.MeetingInput(
            kind="agm", title="第10期定時株主総会", held_on=year_end + timedelta(days=1), record_date=year_end
        ),
    )
    _registered(org, date(2015, 1, 5))
    r = as_member(org.legal).get(reverse("legal:registry_home"))
    assert "第10期定時株主総会" in r.text and "記録済み" in r.text
    assert "最後の登記: 2015-01-15" in r.text and "2027-01-15" in r.text
