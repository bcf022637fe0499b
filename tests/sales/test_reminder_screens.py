"""The 督促 screens through the test client: the customers with overdue invoices, making a
reminder, its page and PDF, sending it; another company's ids are 404, a reader cannot write."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.sales.models import Reminder

from ..conftest import login, make_member
from .test_reminders import AS_OF, issue, make_customer, make_overdue_invoices, remind

AS_OF_Q = {"as_of": AS_OF.isoformat()}


@pytest.fixture
def customer(books, company):
    return make_customer(company)


@pytest.fixture
def invoices(books, company, sales_admin, accountant, customer):
    return make_overdue_invoices(company, sales_admin, accountant, customer)


@pytest.fixture
def finance(company):
    return make_member(company, "zaimu", ["finance"])


def test_the_list_shows_customers_with_overdue_invoices(client, company, sales_admin, customer, invoices):
    make_customer(company, code="C9", name="株式会社期日内")
    login(client, sales_admin)
    page = client.get(reverse("sales:reminder_list"), AS_OF_Q)
    assert page.status_code == 200
    html = page.content.decode()
    assert "株式会社遅払" in html and "株式会社期日内" not in html
    assert "督促状を作成" in html and f'data-customer="{customer.pk}"' in html
    assert "¥34,000" in html
    # a bad date is a 400 with the message on the field, not a 500
    assert client.get(reverse("sales:reminder_list"), {"as_of": "2026-13-40"}).status_code == 400


def test_create_then_detail_pdf_and_send(client, company, sales_admin, customer, invoices):
    a, b, _c = invoices
    login(client, sales_admin)
    response = client.post(
        reverse("sales:reminder_new"), {"customer": customer.pk, "as_of": "2026-09-15", "level": ""}
    )
    reminder = Reminder.objects.get(company=company)
    assert response.status_code == 302 and response["Location"] == reverse(
        "sales:reminder_detail", args=[reminder.pk]
    )
    assert reminder.level == 1 and reminder.total == 34000
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert detail.status_code == 200 and a.number in html and b.number in html and "¥34,000" in html
    assert "お支払いのお願い" in html and "作成しました" in html
    # the list now shows the last reminder and suggests the next level
    listing = client.get(reverse("sales:reminder_list"), AS_OF_Q).content.decode()
    assert f'data-last-reminder="{reminder.pk}"' in listing
    assert '<option value="2" selected>' in listing
    # PDF, shown and downloaded
    shown = client.get(reverse("sales:reminder_pdf", args=[reminder.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown.content.startswith(b"%PDF") and shown["Content-Disposition"].startswith("inline")
    downloaded = client.get(reverse("sales:reminder_pdf", args=[reminder.pk]), {"download": "1"})
    assert downloaded["Content-Disposition"].startswith("attachment")
    # the send form, filled with the customer's address and the default text
    form = client.get(reverse("sales:reminder_send", args=[reminder.pk]))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'value="shiharai@example.jp"' in html and "お支払いのお願い" in html and a.number in html
    sent = client.post(
        reverse("sales:reminder_send", args=[reminder.pk]),
        {"to": "keiri@chien.example.jp", "subject": "", "message": ""},
    )
    assert sent.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["keiri@chien.example.jp"]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert Reminder.objects.get(pk=reminder.pk).sent_to == "keiri@chien.example.jp"
    assert "keiri@chien.example.jp" in client.get(sent["Location"]).content.decode()


def test_a_level_chosen_on_the_screen_is_kept(client, company, sales_admin, customer, invoices):
    login(client, sales_admin)
    client.post(reverse("sales:reminder_new"), {"customer": customer.pk, "as_of": "2026-09-15", "level": "3"})
    assert Reminder.objects.get(company=company).level == 3


def test_nothing_overdue_is_refused_with_a_message(client, company, sales_admin, customer, invoices):
    login(client, sales_admin)
    response = client.post(
        reverse("sales:reminder_new"), {"customer": customer.pk, "as_of": "2026-06-30"}, follow=True
    )
    assert response.status_code == 200
    assert "期日を過ぎた未回収の請求書がない" in response.content.decode()
    bad = client.post(
        reverse("sales:reminder_new"), {"customer": customer.pk, "as_of": "not a date"}, follow=True
    )
    assert "督促状を作成できません" in bad.content.decode()
    assert not Reminder.objects.filter(company=company).exists()


def test_a_bad_address_shows_on_the_field_and_sends_nothing(client, company, sales_admin, customer, invoices):
    reminder = remind(company, sales_admin, customer)
    login(client, sales_admin)
    response = client.post(reverse("sales:reminder_send", args=[reminder.pk]), {"to": "nowhere"})
    assert response.status_code == 400
    assert "メールアドレスが正しくありません" in response.content.decode()
    assert mail.outbox == [] and Reminder.objects.get(pk=reminder.pk).sent_to == ""


def test_another_companys_ids_are_404(client, company, sales_admin, customer, invoices, other_company):
    reminder = remind(company, sales_admin, customer)
    there = make_member(other_company, "yoso-eigyo", ["sales_admin"])
    login(client, there)
    for name in ("reminder_detail", "reminder_pdf", "reminder_send"):
        assert client.get(reverse(f"sales:{name}", args=[reminder.pk])).status_code == 404
    sent = client.post(reverse("sales:reminder_send", args=[reminder.pk]), {"to": "a@example.jp"})
    assert sent.status_code == 404
    created = client.post(reverse("sales:reminder_new"), {"customer": customer.pk, "as_of": "2026-09-15"})
    assert created.status_code == 404
    assert Reminder.objects.count() == 1 and mail.outbox == []
    assert "株式会社遅払" not in client.get(reverse("sales:reminder_list"), AS_OF_Q).content.decode()


def test_a_reader_sees_but_cannot_make_or_send(client, company, sales_admin, finance, customer, invoices):
    reminder = remind(company, sales_admin, customer)
    login(client, finance)
    listing = client.get(reverse("sales:reminder_list"), AS_OF_Q)
    assert listing.status_code == 200 and "株式会社遅払" in listing.content.decode()
    assert "督促状を作成" not in listing.content.decode()
    assert client.get(reverse("sales:reminder_detail", args=[reminder.pk])).status_code == 200
    assert client.get(reverse("sales:reminder_pdf", args=[reminder.pk])).status_code == 200
    created = client.post(reverse("sales:reminder_new"), {"customer": customer.pk, "as_of": "2026-09-20"})
    assert created.status_code == 403
    assert client.get(reverse("sales:reminder_send", args=[reminder.pk])).status_code == 403
    sent = client.post(reverse("sales:reminder_send", args=[reminder.pk]), {"to": "a@example.jp"})
    assert sent.status_code == 403
    assert Reminder.objects.filter(company=company).count() == 1 and mail.outbox == []
    assert Reminder.objects.get(pk=reminder.pk).sent_to == ""


def test_roles_outside_sales_see_nothing(client, company, sales_admin, customer, invoices):
    reminder = remind(company, sales_admin, customer)
    login(client, make_member(company, "shain", ["employee"]))
    assert client.get(reverse("sales:reminder_list")).status_code == 403
    assert client.get(reverse("sales:reminder_detail", args=[reminder.pk])).status_code == 403
    assert client.get(reverse("sales:reminder_pdf", args=[reminder.pk])).status_code == 403


def test_the_list_costs_the_same_queries_for_more_customers(client, company, sales_admin, customer, invoices):
    remind(company, sales_admin, customer, as_of=date(2026, 9, 1))
    login(client, sales_admin)
    client.get(reverse("sales:reminder_list"), AS_OF_Q)  # warm the session and settings
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("sales:reminder_list"), AS_OF_Q)
    for i in range(3):
        other = make_customer(company, code=f"D{i}", name=f"株式会社追加{i}")
        issue(company, sales_admin, other, date(2026, 8, 1), date(2026, 8, 31), 1_000)
        remind(company, sales_admin, other, as_of=date(2026, 9, 1))
    with CaptureQueriesContext(connection) as after:
        page = client.get(reverse("sales:reminder_list"), AS_OF_Q)
    assert page.content.decode().count("督促状を作成") == 4
    assert len(after) == len(before)
