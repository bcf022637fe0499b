"""登記・機関 services: the 定款 settings (term limits of 332条・336条), appointment / 重任 / 退任 with
their 変更登記 deadline (915条), other registered items with filing and registration, meetings with
the 基準日 limit (124条2項) and minutes kept 10 years, the daily alerts; who may write, and that a
refusal writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.documents.demo import pdf
from ennoshita.documents.models import Share
from ennoshita.legal.models import CharterSettings, CorporateMeeting, Officer, RegistryAlert, RegistryChange
from ennoshita.legal.rules import registry as rules
from ennoshita.legal.selectors import registry as selectors
from ennoshita.legal.services import registry as services

from .test_registry_fixtures import appoint, charter, today

pytest_plugins = ["tests.legal.test_registry_fixtures"]


def test_charter_limits_follow_332_and_336(org):
    c = charter(org, director_term_years=10, auditor_term_years=10)
    assert c.director_term_years == 10
    with pytest.raises(ServiceError) as exc:
        charter(org, is_public_company=True, director_term_years=10)
    assert "332条" in exc.value.field_errors["director_term_years"][0]
    with pytest.raises(ServiceError) as exc:
        charter(org, is_public_company=True, has_board=False, director_term_years=2, auditor_term_years=4)
    assert set(exc.value.field_errors) == {"has_board"}
    with pytest.raises(ServiceError) as exc:
        charter(org, auditor_term_years=3)  # cannot be shortened
    assert "336条" in exc.value.field_errors["auditor_term_years"][0]
    assert CharterSettings.objects.get().director_term_years == 10
    charter(org, is_public_company=True, director_term_years=1, auditor_term_years=4)
    assert CharterSettings.objects.count() == 1


def test_only_legal_and_admin_write(org):
    for who in (org.accounting, org.employee, org.assistant):
        with pytest.raises(PermissionDeniedError):
            charter(org.__class__(**{**org.__dict__, "legal": who}))
    assert CharterSettings.objects.count() == 0
    charter(org.__class__(**{**org.__dict__, "legal": org.admin}))
    assert CharterSettings.objects.count() == 1


def test_appointment_needs_the_charter_and_computes_term_and_deadline(org, company):
    with pytest.raises(ServiceError) as exc:
        appoint(org)
    assert exc.value.code == "no_charter" and Officer.objects.count() == 0
    charter(org)
    o = appoint(org, elected_on=date(2026, 6, 26), took_office_on=date(2026, 6, 27))
    assert o.term_years == 2 and o.term_ends_on == rules.term_end_on(
        elected_on=date(2026, 6, 26), term_years=2, fiscal_year_start_month=4, agm_months_after_year_end=3
    )
    assert o.term_ends_on == date(2028, 6, 30)
    (change,) = RegistryChange.objects.all()
    assert change.item == "officers" and change.officer == o and "就任" in change.content
    assert change.effective_on == date(2026, 6, 27) and change.deadline_on == date(2026, 7, 11)
    auditor = appoint(org, "監査 花子", "auditor", elected_on=date(2026, 6, 26))
    assert auditor.term_years == 4 and auditor.term_ends_on == date(2030, 6, 30)
    assert verify_company_chain(company.pk) is None


def test_appointment_refusals_name_the_field(org):
    charter(org)
    with pytest.raises(ServiceError) as exc:
        appoint(org, name="", elected_on=date(2026, 6, 26), took_office_on=date(2026, 6, 20))
    assert {"name", "took_office_on"} <= set(exc.value.field_errors)
    with pytest.raises(ServiceError) as exc:
        appoint(org, term_years=3)  # longer than the 定款
    assert "term_years" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        appoint(org, "監査", "auditor", term_years=2)  # an auditor's term is not shortened
    assert "336条" in exc.value.field_errors["term_years"][0]
    with pytest.raises(ServiceError):
        appoint(org, position="chair")
    assert Officer.objects.count() == 0 and RegistryChange.objects.count() == 0
    o = appoint(org, term_years=1, elected_on=date(2026, 6, 26))
    assert o.term_ends_on == date(2027, 6, 30)


def test_reelection_closes_the_term_and_needs_a_registration(org):
    charter(org)
    old = appoint(org, elected_on=date(2024, 6, 27))
    assert old.term_ends_on == date(2026, 6, 30)
    new = services.reelect_officer(
        **org.w(), officer=old, elected_on=date(2026, 6, 26), took_office_on=date(2026, 6, 26)
    )
    old.refresh_from_db()
    assert old.left_on == date(2026, 6, 26) and old.leave_reason == "term_end"
    assert new.previous == old and new.term_ends_on == date(2028, 6, 30)
    change = RegistryChange.objects.get(officer=new)
    assert "重任" in change.content and change.deadline_on == date(2026, 7, 10)
    with pytest.raises(ServiceError):  # the old term is closed
        services.reelect_officer(
            **org.w(), officer=old, elected_on=date(2026, 6, 26), took_office_on=date(2026, 6, 26)
        )
    with pytest.raises(ServiceError) as exc:
        services.reelect_officer(
            **org.w(), officer=new, elected_on=date(2026, 1, 1), took_office_on=date(2026, 1, 1)
        )
    assert "took_office_on" in exc.value.field_errors
    assert Officer.objects.count() == 2


def test_leaving_records_the_change_and_the_346_note(org):
    charter(org)
    a = appoint(org, "甲")
    appoint(org, "乙")
    appoint(org, "丙")
    with pytest.raises(ServiceError) as exc:
        services.officer_leaves(**org.w(), officer=a, reason="", left_on=a.took_office_on - timedelta(days=1))
    assert {"reason", "left_on"} <= set(exc.value.field_errors)
    services.officer_leaves(**org.w(), officer=a, reason="resigned", left_on=today())
    a.refresh_from_db()
    assert a.left_on == today() and a.leave_reason == "resigned"
    change = RegistryChange.objects.get(officer=a, content__contains="退任")
    assert change.deadline_on == today() + timedelta(days=14) and "346条" in change.note
    with pytest.raises(ServiceError):
        services.officer_leaves(**org.w(), officer=a, reason="resigned", left_on=today())


def test_registry_change_filed_then_registered(org):
    data = services.ChangeInput(
        item="head_office", content="東京都千代田区丸の内一丁目1番1号", effective_on=today()
    )
    change = services.record_registry_change(**org.w(), data=data)
    assert change.deadline_on == today() + timedelta(days=14) and services.change_state(change) == "pending"
    with pytest.raises(ServiceError) as exc:
        services.mark_registered(**org.w(), change=change, registered_on=today())
    assert exc.value.code == "invalid_transition"
    with pytest.raises(ServiceError) as exc:
        services.mark_filed(**org.w(), change=change, filed_on=today() - timedelta(days=1))
    assert "filed_on" in exc.value.field_errors
    services.mark_filed(**org.w(), change=change, filed_on=today())
    with pytest.raises(ServiceError):
        services.mark_filed(**org.w(), change=change, filed_on=today())
    with pytest.raises(ServiceError) as exc:
        services.mark_registered(**org.w(), change=change, registered_on=today() + timedelta(days=3))
    assert "registered_on" in exc.value.field_errors
    services.mark_registered(**org.w(), change=change, registered_on=today())
    change.refresh_from_db()
    assert services.change_state(change) == "registered"
    actions = list(
        AuditEvent.objects.filter(object_type="legal.registrychange").values_list("action", flat=True)
    )
    assert actions == ["create", "registry_filed", "registry_registered"]


def test_registry_change_refusals(org):
    with pytest.raises(ServiceError) as exc:
        services.record_registry_change(
            **org.w(),
            data=services.ChangeInput(
                item="x",
                content="",
                effective_on=today(),
                filed_on=today(),
                registered_on=today() - timedelta(days=1),
            ),
        )
    assert {"item", "content", "registered_on"} <= set(exc.value.field_errors)
    with pytest.raises(PermissionDeniedError):
        services.record_registry_change(
            **org.w(org.accounting),
            data=services.ChangeInput(item="capital", content="1億円", effective_on=today()),
        )
    assert RegistryChange.objects.count() == 0


def test_meeting_must_follow_its_record_date_within_3_months(org):
    bad = services.MeetingInput(
        kind="agm", title="第10期定時株主総会", held_on=date(2026, 7, 1), record_date=date(2026, 3, 31)
    )
    with pytest.raises(ServiceError) as exc:
        services.record_meeting(**org.w(), data=bad)
    assert (
        "124条2項" in exc.value.field_errors["held_on"][0]
        and "2026-06-30" in exc.value.field_errors["held_on"][0]
    )
    with pytest.raises(ServiceError) as exc:
        services.record_meeting(
            **org.w(),
            data=services.MeetingInput(
                kind="board", title="取締役会", held_on=date(2026, 6, 1), record_date=date(2026, 3, 31)
            ),
        )
    assert "record_date" in exc.value.field_errors
    assert CorporateMeeting.objects.count() == 0
    ok = services.record_meeting(
        **org.w(), data=services.MeetingInput(**{**bad.__dict__, "held_on": date(2026, 6, 30)})
    )
    assert ok.keep_minutes_until == date(2036, 6, 30)


def test_minutes_go_to_the_minutes_folder(org, settings, tmp_path):
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)
    meeting = services.record_meeting(
        **org.w(), data=services.MeetingInput(kind="board", title="取締役会", held_on=today())
    )
    v1 = services.attach_minutes(
        **org.w(), meeting=meeting, file_name="minutes.pdf", data=pdf("議事録", ["第1版"])
    )
    meeting.refresh_from_db()
    assert meeting.minutes is not None and meeting.minutes.folder.name == "議事録" and v1.number == 1
    shares = set(Share.objects.filter(folder=meeting.minutes.folder).values_list("grantee", "permission"))
    assert shares == {("legal", "edit"), ("admin", "edit")}
    v2 = services.attach_minutes(
        **org.w(), meeting=meeting, file_name="minutes2.pdf", data=pdf("議事録", ["第2版"])
    )
    assert v2.number == 2
    with pytest.raises(PermissionDeniedError):
        services.attach_minutes(
            **org.w(org.accounting), meeting=meeting, file_name="m.pdf", data=pdf("議事録", ["x"])
        )
    with pytest.raises(ServiceError):
        services.attach_minutes(**org.w(), meeting=meeting, file_name="m.pdf", data=b"")


def test_alerts_are_sent_once_to_legal_and_admin(org):
    charter(org)
    soon = appoint(org, elected_on=date(2024, 6, 27))  # ends 2026-06-30
    services.mark_filed(**org.w(), change=RegistryChange.objects.get(officer=soon), filed_on=date(2024, 7, 1))
    change = services.record_registry_change(
        **org.w(),
        data=services.ChangeInput(item="head_office", content="大阪市", effective_on=date(2026, 6, 1)),
    )
    day = date(2026, 4, 15)  # 76 days before the term end; the filing deadline (6/15) is far
    assert services.send_registry_alerts(company=org.company, today=day) == 2
    assert services.send_registry_alerts(company=org.company, today=day) == 0
    users = set(Notification.objects.values_list("user__username", flat=True))
    assert users == {"legal1", "admin1"}
    # term in 30 days + filing in 3 days + no 定時株主総会 recorded 18 days before the 基準日's limit (6/30)
    assert services.send_registry_alerts(company=org.company, today=date(2026, 6, 12)) == 6
    assert services.send_registry_alerts(company=org.company, today=date(2026, 6, 16)) == 2  # overdue
    kinds = sorted(RegistryAlert.objects.values_list("kind", "days_before"))
    assert kinds == [("filing", 0), ("filing", 3), ("record_date", 30), ("term_end", 30), ("term_end", 90)]
    services.mark_filed(**org.w(), change=change, filed_on=date(2026, 6, 16))
    # the term has passed, and so has the 基準日's limit with no 定時株主総会 recorded
    assert services.send_registry_alerts(company=org.company, today=date(2026, 7, 2)) == 4
    assert soon.pk in set(RegistryAlert.objects.filter(kind="term_end").values_list("object_id", flat=True))
    assert verify_company_chain(org.company.pk) is None


def test_lead_for():
    assert services.lead_for(100, services.TERM_LEADS) is None
    assert services.lead_for(90, services.TERM_LEADS) == 90
    assert services.lead_for(20, services.TERM_LEADS) == 30
    assert services.lead_for(0, services.FILING_LEADS) == 1
    assert services.lead_for(-1, services.FILING_LEADS) == 0


def test_daily_job_and_home_panel(org):
    from ennoshita.legal.home_registry import panels
    from ennoshita.legal.tasks_registry import DAILY_REGISTRY_ALERTS, alert_all_companies

    charter(org)
    appoint(org, elected_on=today() - timedelta(days=30))  # its 就任登記 is overdue by 16 days
    year_end = selectors.agm_status(company=org.company).year_end  # this year's AGM is on record
    services.record_meeting(
        **org.w(),
        data=services.MeetingInput(
            kind="agm", title="定時株主総会", held_on=year_end + timedelta(days=1), record_date=year_end
        ),
    )
    assert DAILY_REGISTRY_ALERTS.name == "legal.registry_alerts"
    assert alert_all_companies() == "2 registry alert(s) sent"
    assert alert_all_companies() == "0 registry alert(s) sent"
    (panel,) = panels(org.legal)
    assert panel["key"] == "registry" and "過ぎています" in panel["items"][0]["note"]
    assert panels(org.accounting) == [] and panels(org.employee) == [] and panels(org.assistant) == []
