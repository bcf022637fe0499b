"""会社の設定: admins change the company's basic data; bad 法人番号 is refused; every change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ennoshita.core import services
from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Company

from ..conftest import login

VALID = {
    "name": "株式会社テスト",
    "name_kana": "テスト",
    "corporate_number": "7000012050002",
    "fiscal_year_start_month": "4",
    "filing_extension_months": "1",
}


def test_admin_changes_the_settings_and_sees_the_history(client, admin, company):
    login(client, admin)
    assert "申告期限の延長" in client.get(reverse("core:company_settings")).content.decode()
    response = client.post(reverse("core:company_settings"), VALID)
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.corporate_number, company.filing_extension_months) == ("7000012050002", 1)
    event = AuditEvent.objects.get(object_type="core.company", action="update")
    assert event.changes["fields"]["filing_extension_months"] == [0, 1]
    page = client.get(reverse("core:company_settings")).content.decode()
    assert "変更履歴" in page and "7000012050002" in page


def test_a_wrong_check_digit_is_refused_and_nothing_changes(client, admin, company):
    login(client, admin)
    page = client.post(reverse("core:company_settings"), {**VALID, "corporate_number": "8000012050002"})
    assert page.status_code == 200 and "チェックデジット" in page.content.decode()
    company.refresh_from_db()
    assert company.corporate_number == "" and company.filing_extension_months == 0
    assert not AuditEvent.objects.filter(object_type="core.company", action="update").exists()


def test_the_service_refuses_more_than_four_months(company, admin):
    with pytest.raises(ServiceError) as err:
        services.update_company_settings(
            company=company,
            actor=admin.user,
            membership=admin,
            name="株式会社テスト",
            name_kana="",
            corporate_number="",
            fiscal_year_start_month=4,
            filing_extension_months=5,
        )
    assert "filing_extension_months" in err.value.field_errors
    assert Company.objects.get(pk=company.pk).filing_extension_months == 0


def test_only_admins(client, hr, company):
    login(client, hr)
    assert client.get(reverse("core:company_settings")).status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.update_company_settings(
            company=company,
            actor=hr.user,
            membership=hr,
            name="乗っ取り",
            name_kana="",
            corporate_number="",
            fiscal_year_start_month=4,
            filing_extension_months=0,
        )
