"""The demo company's 登記・機関: the 定款, four officers (one whose term ends first, at the next
定時株主総会), a 本店移転 with its 登記 due in 5 days, meetings with minutes; the home panel; idempotent,
the audit chain intact."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.models import Membership
from ennoshita.legal.demo_registry import build_demo_registry
from ennoshita.legal.home_registry import panels
from ennoshita.legal.models import CorporateMeeting, Officer, RegistryChange
from ennoshita.legal.rules import registry as rules
from ennoshita.people.management.commands.demo import build_demo


def test_the_demo_company_has_officers_with_terms_ending(db, settings, tmp_path):
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)
    settings.ENNOSHITA_DEMO_EXTRAS = []
    company = build_demo(employees=20)
    build_demo_registry(company)
    today = timezone.localdate()
    officers = list(Officer.objects.for_company(company).order_by("term_ends_on", "pk"))
    assert [o.position for o in officers].count("director") == 2 and len(officers) == 4
    first = officers[0]
    assert first.name == "支柱 二郎" and first.term_ends_on == rules.next_agm_on(
        today=today, fiscal_year_start_month=company.fiscal_year_start_month, agm_months_after_year_end=3
    )
    (move,) = RegistryChange.objects.for_company(company).filter(filed_on__isnull=True)
    assert move.item == "head_office" and move.deadline_on == today + timedelta(days=5)
    meetings = CorporateMeeting.objects.for_company(company)
    assert meetings.count() == 3 and all(m.minutes_id for m in meetings)
    legal = Membership.objects.get(company=company, user__username="legal")
    (panel,) = panels(legal)
    assert any("本店" in i["text"] for i in panel["items"])
    employee = Membership.objects.get(company=company, user__username="employee")
    assert panels(employee) == []
    build_demo_registry(company)
    assert Officer.objects.for_company(company).count() == 4
    assert verify_company_chain(company.pk) is None
