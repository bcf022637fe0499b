"""会社の休業日: admins add a day or a range (年末年始) and remove one; each change is audited; the
days are skipped by 業務依頼's SLA and リーガルチェック's lead time."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ennoshita.core import selectors, services
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, CompanyClosedDay

pytestmark = pytest.mark.django_db


def _add(m, start, end=None, name="年末年始休業"):
    return services.add_closed_days(
        company=m.company, actor=m.user, membership=m, start=start, end=end, name=name
    )


def test_a_range_is_added_day_by_day_and_days_already_closed_are_kept(admin):
    made = _add(admin, date(2026, 12, 29), date(2027, 1, 3))
    assert [r.day for r in made] == [date(2026, 12, d) for d in (29, 30, 31)] + [
        date(2027, 1, d) for d in (1, 2, 3)
    ]
    again = _add(admin, date(2027, 1, 3), date(2027, 1, 5), name="仕事始め前")
    assert [r.day for r in again] == [date(2027, 1, 4), date(2027, 1, 5)]
    assert CompanyClosedDay.objects.get(day=date(2027, 1, 3)).name == "年末年始休業"
    assert AuditEvent.objects.filter(action="create", object_type="core.companyclosedday").count() == 8
    got = selectors.closed_days(company=admin.company, start=date(2026, 12, 31), end=date(2027, 1, 4))
    assert got == frozenset(
        {date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3), date(2027, 1, 4)}
    )


def test_refusals_write_nothing(admin, hr, outsider):
    with pytest.raises(PermissionDeniedError):
        _add(hr, date(2026, 8, 13))
    with pytest.raises(ServiceError) as exc:
        _add(admin, date(2026, 8, 16), date(2026, 8, 13))
    assert "end" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        _add(admin, date(2026, 7, 1), date(2026, 8, 31))
    assert "end" in exc.value.field_errors
    with pytest.raises(ServiceError) as exc:
        _add(admin, date(2026, 8, 13), name=" ")
    assert "name" in exc.value.field_errors
    assert not CompanyClosedDay.objects.exists()
    (row,) = _add(admin, date(2026, 8, 13), name="夏季休業")
    with pytest.raises(NotFound):
        services.remove_closed_day(
            company=outsider.company, actor=outsider.user, membership=outsider, closed_day_id=row.pk
        )
    services.remove_closed_day(
        company=admin.company, actor=admin.user, membership=admin, closed_day_id=row.pk
    )
    assert not CompanyClosedDay.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="core.companyclosedday").count() == 1


def test_closed_days_screen(client, as_member, admin, hr):
    as_member(hr)
    assert client.get(reverse("core:closed_days")).status_code in (403, 404)
    as_member(admin)
    url = reverse("core:closed_days")
    assert reverse("core:closed_days") in client.get(reverse("core:company_settings")).content.decode()
    r = client.post(url, {"name": "年末年始休業", "start": "2026-12-29", "end": "2027-01-03"})
    assert r.status_code == 302 and r["Location"].endswith("?year=2026")
    page = client.get(url + "?year=2026").content.decode()
    assert "2026-12-29" in page and "2026-12-31" in page and "2027-01-01" not in page
    assert "2027-01-03" in client.get(url + "?year=2027").content.decode()
    bad = client.post(url, {"name": "長すぎる", "start": "2026-07-01", "end": "2026-09-01"})
    assert bad.status_code == 400 and "31日まで" in bad.content.decode()
    row = CompanyClosedDay.objects.get(day=date(2026, 12, 30))
    r = client.post(reverse("core:closed_day_delete", args=[row.pk]), {"year": "2026"})
    assert r.status_code == 302 and not CompanyClosedDay.objects.filter(pk=row.pk).exists()
    assert CompanyClosedDay.objects.count() == 5
