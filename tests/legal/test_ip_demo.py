"""The demo company's 知的財産: trademarks (one in its renewal window, one with the second half due),
a patent with its 4th-year fee due within 60 days, a design, a copyright, a .jp domain expiring
soon, costs; the home panel; idempotent, the audit chain intact."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.models import Membership
from ennoshita.legal.demo_ip import build_demo_ip
from ennoshita.legal.home_ip import panels
from ennoshita.legal.models import IpCost, IpRight
from ennoshita.legal.selectors import ip as selectors
from ennoshita.people.management.commands.demo import build_demo


def test_the_demo_company_has_rights_with_near_deadlines(db, settings):
    settings.ENNOSHITA_DEMO_EXTRAS = []
    company = build_demo(employees=20)
    build_demo_ip(company)
    today = timezone.localdate()
    rights = {r.kind + ":" + r.next_deadline_kind: r for r in IpRight.objects.for_company(company)}
    assert set(rights) == {
        "trademark:tm_renewal",
        "trademark:tm_second_half",
        "patent:annuity:4",
        "design:annuity:3",
        "copyright:expiry",
        "domain:domain_expiry",
    }
    renewal = rights["trademark:tm_renewal"]
    assert renewal.next_deadline_on == today + timedelta(days=75)
    legal = Membership.objects.get(company=company, user__username="legal")
    (row,) = selectors.deadline_rows(renewal, today)
    assert row.state == "open"  # inside the window (満了の6か月前から)
    assert rights["trademark:tm_second_half"].next_deadline_on == today + timedelta(days=45)
    assert 0 < (rights["patent:annuity:4"].next_deadline_on - today).days <= 60
    domain = rights["domain:domain_expiry"]
    assert (domain.next_deadline_on + timedelta(days=1)).day == 1  # JPRS: the last day of a month
    assert IpCost.objects.for_company(company).count() >= 10
    (panel,) = panels(legal)
    assert len(panel["items"]) >= 1 and panel["key"] == "ip_deadlines"
    employee = Membership.objects.get(company=company, user__username="employee")
    assert panels(employee) == []
    build_demo_ip(company)  # a second run adds nothing
    assert IpRight.objects.for_company(company).count() == 6
    assert verify_company_chain(company.pk) is None
