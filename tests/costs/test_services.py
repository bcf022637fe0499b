"""costs.services.update_cost_settings: who may, what is checked, what the audit trail keeps."""

from __future__ import annotations

import pytest

from ennoshita.core.errors import PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.costs import selectors, services
from ennoshita.costs.models import DEFAULT_INDIRECT_ACCOUNT_CODES, IndirectCostSettings
from ennoshita.ledger import services as ledger_services

from ..conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountant(company):
    ledger_services.ensure_books(company=company)
    return make_member(company, "keiri", ["accounting"])


def _update(company, member, codes, threshold):
    return services.update_cost_settings(
        company=company,
        actor=member.user,
        membership=member,
        account_codes=codes,
        rise_threshold_percent=threshold,
    )


def test_the_defaults_until_changed_are_the_issues_eight_accounts(company, accountant):
    row = selectors.settings_of(company=company)
    assert row.pk is None and row.account_codes == DEFAULT_INDIRECT_ACCOUNT_CODES
    assert row.rise_threshold_percent == 20
    names = [a.name for a in selectors.indirect_accounts(company=company, codes=row.account_codes)]
    assert names == [
        "消耗品費",
        "通信費",
        "水道光熱費",
        "地代家賃",
        "旅費交通費",
        "接待交際費",
        "支払手数料",
        "外注費",
    ]


def test_update_keeps_chart_order_once_each_and_is_audited(company, accountant):
    row = _update(company, accountant, ["6410", "6270", "6270", " 6310 "], 35)
    assert row.account_codes == ["6270", "6310", "6410"] and row.rise_threshold_percent == 35
    row = _update(company, accountant, ["6210"], 0)
    assert IndirectCostSettings.objects.for_company(company).get().account_codes == ["6210"]
    events = AuditEvent.objects.filter(company=company, object_type="costs.indirectcostsettings").order_by(
        "seq"
    )
    assert [e.changes["fields"]["rise_threshold_percent"] for e in events] == [[20, 35], [35, 0]]


@pytest.mark.parametrize(
    ("codes", "threshold", "field"),
    [
        (["1110"], 20, "account_codes"),  # 現金: not a cost account
        (["9999"], 20, "account_codes"),  # no such account
        ([], 20, "account_codes"),
        (["6270"], -1, "rise_threshold_percent"),
        (["6270"], 1001, "rise_threshold_percent"),
        (["6270"], "20", "rise_threshold_percent"),
        (["6270"], True, "rise_threshold_percent"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(
    company, accountant, codes, threshold, field
):
    with pytest.raises(ServiceError) as exc:
        _update(company, accountant, codes, threshold)
    assert list(exc.value.field_errors) == [field]
    assert not IndirectCostSettings.objects.filter(company=company).exists()
    assert not AuditEvent.objects.filter(company=company, object_type="costs.indirectcostsettings").exists()


def test_only_accounting_and_admins_may_change_them(company, accountant):
    for roles in (["manager"], ["employee"], ["finance"], ["hr"]):
        member = make_member(company, f"u-{roles[0]}", roles)
        with pytest.raises(PermissionDeniedError):
            _update(company, member, ["6270"], 10)
    assert not IndirectCostSettings.objects.filter(company=company).exists()
    admin = make_member(company, "kanri", ["admin"])
    assert _update(company, admin, ["6270"], 10).account_codes == ["6270"]


def test_another_companys_settings_are_its_own(company, accountant, other_company):
    ledger_services.ensure_books(company=other_company)
    other = make_member(other_company, "keiri2", ["accounting"])
    _update(other_company, other, ["6210"], 50)
    assert selectors.settings_of(company=company).account_codes == DEFAULT_INDIRECT_ACCOUNT_CODES
    with pytest.raises(PermissionDeniedError):
        # 経理 of the other company is nobody here
        services.update_cost_settings(
            company=company,
            actor=other.user,
            membership=other,
            account_codes=["6270"],
            rise_threshold_percent=1,
        )
    assert not IndirectCostSettings.objects.filter(company=company).exists()
