"""The confirm screen (totals, the lines to be posted, what blocks) and POST /payroll/runs/{id}/confirm."""

from __future__ import annotations

import pytest

from ennoshita.ledger.models import JournalEntry
from ennoshita.payroll.models import PayrollRun

from ..apiclient import ApiClient, field_errors
from ..conftest import login
from .confirm_builders import add_slip, finish, make_org, make_run, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


def one_run(org, anomalies=None):
    """One slip: gross 310,000, net 246,820 (see confirm_builders)."""
    run = make_run(org)
    add_slip(
        run, person(org, org.sales, "1001", given_name="一郎"), department=org.sales, anomalies=anomalies
    )
    return finish(run)


def test_the_page_shows_totals_and_lines_and_the_button(client, org):
    run = one_run(org)
    login(client, org.accountant)
    page = client.get(f"/payroll/runs/{run.pk}/confirm/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "310,000" in text and "246,820" in text and "63,180" in text
    assert "6120 給料手当" in text and "2150 預り金" in text and "1121 普通預金" in text
    assert 'id="confirm-button"' in text and 'id="confirm-button" disabled' not in text


def test_an_error_anomaly_is_shown_and_the_button_disabled(client, org):
    run = one_run(
        org, anomalies=[{"level": "error", "code": "negative_net", "message": "差引支給額がマイナスです"}]
    )
    login(client, org.accountant)
    text = client.get(f"/payroll/runs/{run.pk}/confirm/").content.decode()
    assert "1001 山田 一郎: 差引支給額がマイナスです" in text and 'id="confirm-button" disabled' in text
    response = client.post(f"/payroll/runs/{run.pk}/confirm/", follow=True)
    assert "確認事項(エラー)が 1 件あるため確定できません" in response.content.decode()
    assert PayrollRun.objects.get(pk=run.pk).status == "draft"


def test_post_confirms_and_goes_to_the_transfer_page(client, org):
    run = one_run(org)
    login(client, org.accountant)
    response = client.post(f"/payroll/runs/{run.pk}/confirm/")
    assert response.status_code == 302 and response["Location"] == f"/payroll/runs/{run.pk}/transfer/"
    run.refresh_from_db()
    assert run.status == "confirmed" and JournalEntry.objects.filter(pk=run.journal_entry_id).exists()
    again = client.post(f"/payroll/runs/{run.pk}/confirm/", follow=True)
    assert "確定済み" in again.content.decode()


def test_hr_and_employees_cannot_confirm(client, org, employee_member):
    run = one_run(org)
    for member in (org.hr, employee_member):
        login(client, member)
        assert client.get(f"/payroll/runs/{run.pk}/confirm/").status_code == 403
        assert client.post(f"/payroll/runs/{run.pk}/confirm/").status_code == 403
    assert PayrollRun.objects.get(pk=run.pk).status == "draft"


def test_api_confirm(client, org, other_company, outsider):
    run = one_run(org)
    assert ApiClient(client, outsider).post(f"/payroll/runs/{run.pk}/confirm").status_code == 404
    assert ApiClient(client, org.hr).post(f"/payroll/runs/{run.pk}/confirm").status_code == 403
    api = ApiClient(client, org.accountant)
    response = api.post(f"/payroll/runs/{run.pk}/confirm")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "confirmed" and body["net_total"] == 246_820
    assert body["journal_entry_id"] == JournalEntry.objects.get(source_type="payroll.run").pk
    assert body["transfer_document_id"] is not None
    second = api.post(f"/payroll/runs/{run.pk}/confirm")
    assert (
        second.status_code == 400
        and second.json()["code"] == "bad_state"
        and "確定済み" in second.json()["title"]
    )


def test_api_confirm_with_an_anomaly_is_422(client, org):
    run = one_run(
        org, anomalies=[{"level": "error", "code": "no_grade", "message": "標準報酬月額が未登録です"}]
    )
    response = ApiClient(client, org.accountant).post(f"/payroll/runs/{run.pk}/confirm")
    assert response.status_code == 422
    assert field_errors(response) == {"anomalies": ["1001 山田 一郎: 標準報酬月額が未登録です"]}
    assert PayrollRun.objects.get(pk=run.pk).status == "draft"


def test_a_negative_net_is_shown_with_its_real_totals(client, org):
    """A payslip whose net is negative is listed as blocking, and the totals on the page are still
    what the payslips say (not left out with it): gross 10,000 + 310,000, net −53,180 + 246,820."""
    run = make_run(org)
    negative = [{"level": "error", "code": "negative_net", "message": "差引支給額がマイナスです"}]
    add_slip(run, person(org, org.sales, "1001", given_name="一郎"), department=org.sales)
    add_slip(run, person(org, org.sales, "1002", given_name="二郎"), base=0, anomalies=negative)
    finish(run)
    login(client, org.accountant)
    text = client.get(f"/payroll/runs/{run.pk}/confirm/").content.decode()
    assert "320,000" in text and "193,640" in text  # 総支給額 and 差引支給額 of both
    assert 'id="confirm-button" disabled' in text
