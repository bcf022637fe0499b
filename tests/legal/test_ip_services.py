"""知的財産's writes: registering (numbers, computed terms and deadlines, each refusal with nothing
written), payments moving the deadlines on, renewals, status, the daily alerts (once each, to the
right people) and lapses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.legal.models import IpAlert, IpCost, IpRight
from ennoshita.legal.rules.ip import add_months, term_end
from ennoshita.legal.services import ip as services

from .ip_fixtures import make_right, patent, today, years_ago

pytest_plugins = ["tests.legal.ip_fixtures"]


def _refused(org, field: str, **kw) -> str:
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        make_right(org, **kw)
    assert field in exc.value.field_errors, exc.value.field_errors
    assert IpRight.objects.count() == 0 and AuditEvent.objects.count() == events
    return exc.value.field_errors[field][0]


# ------------------------------------------------------------------------------ register
def test_register_a_trademark_computes_its_term_and_deadline(org):
    registered = years_ago(2)
    right = make_right(org, classes="第42類、9, 9", registered_on=registered)
    fy = right.reference.split("-")[1]
    assert right.reference == f"IP-{fy}-0001"
    assert (right.classes, right.class_count) == ("9, 42", 2)
    assert right.expires_on == term_end(registered, 10)
    assert (right.next_deadline_on, right.next_deadline_kind) == (right.expires_on, "tm_renewal")
    event = AuditEvent.objects.get(object_type="legal.ipright", object_id=str(right.pk))
    assert event.action == "create" and event.changes["fields"]["reference"][1] == right.reference
    assert make_right(org, title="二つ目").reference == f"IP-{fy}-0002"


def test_refusals_write_nothing(org):
    assert "出願日以降" in _refused(org, "registered_on", filed_on=years_ago(1), registered_on=years_ago(2))
    _refused(org, "registered_on", registered_on=None)
    _refused(org, "classes", classes="")
    _refused(org, "classes", classes="46")
    _refused(org, "title", title="  ")
    _refused(org, "filed_on", kind="patent", classes="", filed_on=None)
    _refused(org, "copyright_basis", kind="copyright", classes="", registered_on=None, filed_on=None)
    # the refused registrations took no number
    assert make_right(org).reference.endswith("-0001")


def test_a_trademark_past_its_late_renewal_is_refused_with_what_to_record(org):
    message = _refused(org, "renewals", registered_on=years_ago(11), filed_on=years_ago(12))
    assert "更新の回数" in message and "消滅" in message
    # renewed once: accepted, with its term moved 10 years on
    right = make_right(org, registered_on=years_ago(11), filed_on=years_ago(12), renewals=1)
    assert right.expires_on == term_end(years_ago(11), 20)
    # or registered as already lapsed
    assert (
        make_right(org, registered_on=years_ago(11), filed_on=years_ago(12), status="lapsed").next_deadline_on
        is None
    )


def test_a_patent_fee_past_its_late_period_is_refused_one_inside_is_flagged(org):
    message = _refused(org, "paid_through_year", kind="patent", classes="", filed_on=years_ago(6),
                       registered_on=years_ago(4, -10), paid_through_year=3)  # fmt: skip
    assert "第4年分" in message and "納付済みの年分" in message
    right = patent(org, due_in=-30)  # the 4th-year fee was due 30 days ago: 追納 with 割増
    (annuity, _expiry) = services.deadlines_of(right, today())
    assert annuity.key == "annuity:4" and annuity.surcharge(today())
    assert right.next_deadline_on == today() - timedelta(days=30)


def test_a_domain_needs_its_expiry_and_refuses_a_past_one(org):
    base = {"kind": "domain", "title": "example.jp", "classes": "", "filed_on": None, "registered_on": None}
    _refused(org, "expires_on", **base, expires_on=None)
    _refused(org, "expires_on", **base, expires_on=today() - timedelta(days=1))
    right = make_right(org, **base, expires_on=today() + timedelta(days=20))
    assert (right.next_deadline_on, right.next_deadline_kind) == (
        today() + timedelta(days=20),
        "domain_expiry",
    )


def test_only_legal_and_admin_write(org):
    for who in (org.accounting, org.employee):
        with pytest.raises(PermissionDeniedError):
            services.register_ip_right(**org.w(who), data=services.IpInput(kind="trademark", title="x"))
    assert IpRight.objects.count() == 0


def test_update_recomputes_and_is_audited(org):
    right = make_right(org)
    updated = services.update_ip_right(
        **org.w(), right=right,
        data=services.IpInput(kind="trademark", title="エンノシタ", classes="9, 35, 42",
                              filed_on=right.filed_on, registered_on=right.registered_on, installment=True),
    )  # fmt: skip
    assert updated.class_count == 3 and updated.next_deadline_kind == "tm_second_half"
    event = AuditEvent.objects.filter(object_id=str(right.pk), action="update").get()
    assert event.changes["fields"]["installment"] == [False, True]


# ------------------------------------------------------------------------------ payments
def test_paying_an_annuity_advances_the_year_and_the_deadline(org):
    right = patent(org, due_in=40)
    paid = services.record_ip_payment(
        **org.w(), right=right, what="annuity", paid_on=today(), amount="10,400", years=2
    )
    assert paid.paid_through_year == 5 and paid.next_deadline_kind == "annuity:6"
    assert paid.next_deadline_on == term_end(right.registered_on, 5)
    cost = IpCost.objects.get(right=right)
    assert (cost.kind, int(cost.amount), cost.memo) == ("annuity", 10400, "第4〜5年分")
    assert AuditEvent.objects.filter(object_id=str(right.pk), action="ip_pay").count() == 1


def test_a_late_annuity_needs_the_surcharge(org):
    right = patent(org, due_in=-10)
    with pytest.raises(ServiceError) as exc:
        services.record_ip_payment(**org.w(), right=right, what="annuity", paid_on=today(), amount=5200)
    assert "surcharge" in exc.value.field_errors
    assert IpCost.objects.count() == 0 and IpRight.objects.get(pk=right.pk).paid_through_year == 3
    services.record_ip_payment(
        **org.w(), right=right, what="annuity", paid_on=today(), amount=5200, surcharge=5200
    )
    assert sorted(IpCost.objects.values_list("kind", flat=True)) == ["annuity", "surcharge"]


def test_renewing_a_trademark_moves_its_term_ten_years(org):
    registered = years_ago(10, 60)  # 満了 in 60 days: inside the renewal window
    right = make_right(org, registered_on=registered, filed_on=registered - timedelta(days=300))
    renewed = services.record_ip_payment(
        **org.w(), right=right, what="renewal", paid_on=today(), amount=87200
    )
    assert renewed.expires_on == term_end(registered, 20) and renewed.next_deadline_on == renewed.expires_on
    assert IpCost.objects.get().kind == "renewal"
    assert AuditEvent.objects.filter(object_id=str(right.pk), action="ip_renew").exists()


def test_a_renewal_before_the_window_is_refused(org):
    right = make_right(org)  # registered 2 years ago: the window opens in ~7.5 years
    with pytest.raises(ServiceError) as exc:
        services.record_ip_payment(**org.w(), right=right, what="renewal", paid_on=today(), amount=87200)
    assert "paid_on" in exc.value.field_errors and IpCost.objects.count() == 0


def test_paying_the_second_half_clears_the_installment(org):
    registered = years_ago(5, 30)
    right = make_right(
        org, registered_on=registered, filed_on=registered - timedelta(days=100), installment=True
    )
    assert right.next_deadline_kind == "tm_second_half"
    paid = services.record_ip_payment(
        **org.w(), right=right, what="second_half", paid_on=today(), amount=34400
    )
    assert not paid.installment and paid.next_deadline_kind == "tm_renewal"
    assert IpCost.objects.get().kind == "registration"


def test_renewing_a_domain(org):
    right = make_right(org, kind="domain", title="example.jp", classes="", filed_on=None, registered_on=None,
                       expires_on=today() + timedelta(days=10))  # fmt: skip
    new = today() + timedelta(days=375)
    done = services.record_ip_payment(
        **org.w(), right=right, what="domain", paid_on=today(), amount=7480, new_expires_on=new
    )
    assert done.expires_on == new and done.next_deadline_on == new
    with pytest.raises(ServiceError):
        services.record_ip_payment(**org.w(), right=right, what="annuity", paid_on=today(), amount=1)


def test_record_cost_validates_the_amount(org):
    right = make_right(org)
    with pytest.raises(ServiceError) as exc:
        services.record_ip_cost(**org.w(), right=right, kind="agent", paid_on=today(), amount="1.5")
    assert "amount" in exc.value.field_errors and IpCost.objects.count() == 0
    cost = services.record_ip_cost(**org.w(), right=right, kind="agent", paid_on=today(), amount="55,000")
    assert int(cost.amount) == 55000


# ------------------------------------------------------------------------------ status
def test_status_moves(org):
    right = make_right(org)
    with pytest.raises(ServiceError) as exc:
        services.set_ip_status(**org.w(), right=right, status="lapsed")
    assert "reason" in exc.value.field_errors
    lapsed = services.set_ip_status(**org.w(), right=right, status="lapsed", reason="不使用のため更新しない")
    assert lapsed.status == "lapsed" and lapsed.next_deadline_on is None
    event = AuditEvent.objects.get(object_id=str(right.pk), action="ip_lapse")
    assert event.changes["extra"]["reason"] == "不使用のため更新しない"
    with pytest.raises(ServiceError):
        services.set_ip_status(**org.w(), right=right, status="applied", reason="x")


def test_an_application_is_registered_with_its_date(org):
    right = make_right(org, status="applied", registered_on=None)
    assert right.next_deadline_on is None
    day = today() - timedelta(days=5)
    done = services.set_ip_status(
        **org.w(), right=right, status="registered", registered_on=day, registration_number="第1号"
    )
    assert done.expires_on == term_end(day, 10) and done.next_deadline_kind == "tm_renewal"


# ------------------------------------------------------------------------------ alerts and lapses
def test_alerts_go_once_to_the_owner_and_legal(org):
    right = patent(org, due_in=25, owner_id=org.employee.user_id)
    assert services.send_ip_alerts(company=org.company, today=today()) == 2
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"legal1", "owner1"}
    note = Notification.objects.filter(user=org.employee.user).get()
    assert "第4年分" in note.text and note.url == f"/legal/ip/{right.pk}/"
    assert list(IpAlert.objects.values_list("kind", "days_before")) == [("annuity:4", 30)]
    # a second run the same day sends nothing
    assert services.send_ip_alerts(company=org.company, today=today()) == 0
    # 18 days later (7 days before): the 7-day alert
    assert services.send_ip_alerts(company=org.company, today=today() + timedelta(days=18)) == 2
    assert IpAlert.objects.count() == 2


def test_nothing_to_alert_far_from_a_deadline(org):
    make_right(org)  # renewal in ~8 years
    assert services.send_ip_alerts(company=org.company, today=today()) == 0


def test_weekly_alerts_inside_the_late_period(org):
    right = patent(org, due_in=-10)
    assert services.send_ip_alerts(company=org.company, today=today()) == 1  # legal only (no owner)
    alert = IpAlert.objects.get()
    grace_end = add_months(term_end(right.registered_on, 3), 6)  # the 追納 period's last day
    assert (alert.kind, alert.due_on) == ("annuity:4", grace_end)
    assert alert.days_before == (grace_end - today()).days // 7 * 7
    assert services.send_ip_alerts(company=org.company, today=today() + timedelta(days=3)) in (0, 1)
    before = IpAlert.objects.count()
    services.send_ip_alerts(company=org.company, today=today() + timedelta(days=7))
    assert IpAlert.objects.count() == before + 1
    assert "割増" in Notification.objects.order_by("-pk").first().text


def test_a_right_past_its_late_period_lapses_once(org):
    right = patent(org, due_in=10, owner_id=org.employee.user_id)
    later = today() + timedelta(days=10 + 190)
    assert services.refresh_ip_deadlines(company=org.company, today=later) == (0, 1)
    right.refresh_from_db()
    assert right.status == "lapsed" and right.next_deadline_on is None
    event = AuditEvent.objects.get(object_id=str(right.pk), action="ip_lapse")
    assert event.actor_id is None and "第4年分" in event.changes["extra"]["reason"]
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"legal1", "owner1"}
    assert services.refresh_ip_deadlines(company=org.company, today=later) == (0, 0)


def test_a_right_inside_its_late_period_is_left_alive(org):
    right = patent(org, due_in=10)
    assert services.refresh_ip_deadlines(company=org.company, today=today() + timedelta(days=40)) == (0, 0)
    right.refresh_from_db()
    assert right.status == "registered"


def test_an_update_without_renewals_keeps_a_renewed_term(org):
    registered = years_ago(10, 60)
    right = make_right(org, registered_on=registered, filed_on=registered - timedelta(days=300))
    renewed = services.record_ip_payment(
        **org.w(), right=right, what="renewal", paid_on=today(), amount=87200
    )
    data = services.IpInput(
        kind="trademark", title="新名称", classes="9", filed_on=right.filed_on, registered_on=registered
    )
    updated = services.update_ip_right(**org.w(), right=renewed, data=data)
    assert updated.expires_on == term_end(registered, 20) and updated.title == "新名称"
