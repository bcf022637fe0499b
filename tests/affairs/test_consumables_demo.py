"""The demo company's 消耗品: 15 items in two places, a month of moves, open requests, one item under
its reorder point; idempotent, the audit chain intact."""

from __future__ import annotations

from ennoshita.affairs.demo_consumables import build_demo_consumables
from ennoshita.affairs.models import Consumable, ConsumableRequest, MoveKind, RequestStatus, StockMove
from ennoshita.affairs.selectors import consumables as selectors
from ennoshita.core.audit import verify_company_chain
from ennoshita.core.models import Membership
from ennoshita.people.management.commands.demo import build_demo


def test_the_demo_company_has_consumables(db, settings):
    settings.ENNOSHITA_DEMO_EXTRAS = []  # only the people demo, then this part
    company = build_demo(employees=20)
    build_demo_consumables(company)
    assert Consumable.objects.for_company(company).count() == 15
    affairs = Membership.objects.get(company=company, user__username="affairs")
    assert [r.code for r in selectors.reorder_list(company=company, membership=affairs)] == ["ST-003"]
    kinds = set(StockMove.objects.for_company(company).values_list("kind", flat=True))
    assert kinds == {
        MoveKind.RECEIPT,
        MoveKind.ISSUE,
        MoveKind.COUNT,
        MoveKind.TRANSFER_OUT,
        MoveKind.TRANSFER_IN,
    }
    open_requests = ConsumableRequest.objects.for_company(company).filter(status=RequestStatus.REQUESTED)
    assert open_requests.count() >= 3
    assert open_requests.filter(requested_by__username="employee").exists()
    data = selectors.consumption(
        company=company, membership=affairs, start=selectors.add_months(company_today(), -1), months=2
    )
    assert data.total_amount > 0 and len(data.rows) >= 3
    moves = StockMove.objects.count()
    build_demo_consumables(company)  # a second run adds nothing
    assert StockMove.objects.count() == moves
    assert verify_company_chain(company.pk) is None


def company_today():
    from django.utils import timezone

    return timezone.localdate().replace(day=1)
