"""The audit trail: one append-only table, chained per company by SHA-256, written in the
transaction of the change; audit_verify reports the first broken link."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from ennoshita.core.audit import GENESIS_HASH, record_event, verify_company_chain
from ennoshita.core.models import AuditChainHead, AuditEvent
from ennoshita.people import services as people_services
from ennoshita.people.models import Department

from ..conftest import make_company, make_department


def _drop_guard():
    """Simulate a tamperer with database access: remove the append-only triggers first."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent")
        else:
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")


def _restore_guard():
    from importlib import import_module

    mig = import_module("ennoshita.core.migrations.0002_audit_append_only_triggers")
    stmts = mig.PG_UP if connection.vendor == "postgresql" else mig.SQLITE_UP
    with connection.cursor() as cur:
        for sql in stmts:
            cur.execute(sql)


@pytest.fixture
def tamperable():
    _drop_guard()
    yield
    _restore_guard()


def test_each_change_appends_one_linked_event(company, hr):
    dept = make_department(company, hr, code="200", name="経理部")
    people_services.update_department(
        company=company, actor=hr.user, membership=hr, department=dept, name="経理財務部"
    )
    events = list(AuditEvent.objects.filter(company=company).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS_HASH
    for prev, ev in itertools.pairwise(events):
        assert ev.prev_hash == prev.hash
    last = events[-1]
    assert (last.action, last.object_type, last.object_id) == ("update", "people.department", str(dept.pk))
    assert last.changes["fields"] == {"name": ["経理部", "経理財務部"]}
    assert last.actor_id == hr.user_id
    head = AuditChainHead.objects.get(company=company)
    assert (head.last_seq, head.last_hash) == (last.seq, last.hash)
    assert verify_company_chain(company.pk) is None


def test_chains_are_per_company(company, hr, other_company, outsider):
    make_department(company, hr, code="A")
    make_department(other_company, outsider, code="B")
    for c in (company, other_company):
        seqs = list(AuditEvent.objects.filter(company=c).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert verify_company_chain(c.pk) is None


def test_event_is_rolled_back_with_the_change(company, hr):
    before = AuditEvent.objects.filter(company=company).count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_department(company, hr, code="X")
        raise RuntimeError("boom")
    assert AuditEvent.objects.filter(company=company).count() == before
    assert not Department.objects.filter(code="X").exists()
    assert verify_company_chain(company.pk) is None


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction(company):
    with pytest.raises(RuntimeError):
        record_event(company=company, actor=None, action="create", object_type="x", object_id="1")


def test_database_refuses_update_and_delete(company, hr):
    make_department(company, hr)
    ev = AuditEvent.objects.filter(company=company).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).delete()
    with pytest.raises(RuntimeError):
        ev.delete()


def test_verify_finds_an_altered_row(company, hr, tamperable):
    make_department(company, hr, code="100")
    make_department(company, hr, code="200")
    victim = AuditEvent.objects.filter(company=company).order_by("seq")[1]
    changes = victim.changes
    changes["fields"]["name"] = [None, "改ざん部"]
    AuditEvent.objects.filter(pk=victim.pk).update(changes=changes)
    broken = verify_company_chain(company.pk)
    assert broken is not None and broken.seq == victim.seq and "altered" in broken.reason
    with pytest.raises(CommandError):
        call_command("audit_verify", company=company.pk)


def test_verify_finds_a_removed_row(company, hr, tamperable):
    for code in ("1", "2", "3"):
        make_department(company, hr, code=code)
    victim = AuditEvent.objects.filter(company=company).order_by("seq")[1]
    AuditEvent.objects.filter(pk=victim.pk).delete()
    broken = verify_company_chain(company.pk)
    assert broken is not None and broken.seq == victim.seq and "missing" in broken.reason


def test_verify_finds_removed_tail(company, hr, tamperable):
    make_department(company, hr, code="1")
    make_department(company, hr, code="2")
    last = AuditEvent.objects.filter(company=company).order_by("-seq").first()
    AuditEvent.objects.filter(pk=last.pk).delete()
    broken = verify_company_chain(company.pk)
    assert broken is not None and "removed" in broken.reason


def test_audit_verify_command_reports_ok(company, hr, capsys):
    make_department(company, hr)
    call_command("audit_verify")
    assert f"company {company.pk}: OK" in capsys.readouterr().out


def test_audit_csv_export_for_a_date_range(company, admin, hr, as_member):
    make_department(company, hr, code="900", name="監査部")
    client = as_member(admin)
    response = client.get("/admin/audit/", {"format": "csv", "start": "2000-01-01", "end": "2999-12-31"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffseq,occurred_at,actor")
    assert "監査部" in body and "people.department" in body
    empty = client.get("/admin/audit/", {"format": "csv", "start": "2000-01-01", "end": "2000-01-02"})
    assert b"".join(empty.streaming_content).decode("utf-8").count("\n") == 1


def test_audit_log_is_for_admins_only(company, hr, as_member):
    assert as_member(hr).get("/admin/audit/").status_code == 403


def test_a_fresh_company_verifies(db):
    c = make_company("空の会社")
    assert verify_company_chain(c.pk) is None


def test_a_deleted_records_history_can_be_found_in_the_audit_log(company, admin, hr, department, as_member):
    from ..conftest import make_employee

    e = make_employee(company, hr, department, number="0777", family_name="削除", given_name="予定")
    people_services.delete_employee(company=company, actor=hr.user, membership=hr, employee=e)
    html = as_member(admin).get("/admin/audit/", {"q": "0777", "action": "delete"}).content.decode()
    assert "0777 削除 予定" in html and "people.employee" not in html  # shown by its label
    assert html.count('class="badge badge-delete"') == 1
    none = as_member(admin).get("/admin/audit/", {"q": "9999"}).content.decode()
    assert "この期間の記録はありません" in none


def test_record_change_writes_a_create_an_update_and_nothing_for_no_change(company, hr):
    from ennoshita.core.audit import record_change, snapshot

    fields = ("code", "name")
    with transaction.atomic():
        dept = Department.objects.create(company=company, code="900", name="新部署")
        created = record_change(company=company, actor=hr.user, instance=dept, fields=fields, before=None)
        before = snapshot(dept, fields=fields)
        assert (
            record_change(company=company, actor=hr.user, instance=dept, fields=fields, before=before) is None
        )
        dept.name = "改名"
        updated = record_change(company=company, actor=hr.user, instance=dept, fields=fields, before=before)
    assert created is not None and created.action == "create"
    assert updated is not None and updated.action == "update"
    assert updated.changes["fields"] == {"name": ["新部署", "改名"]}
    assert verify_company_chain(company.pk) is None


# The hash of a new event skips canonical_json's walk over a payload that went through _plain once
# already: for any payload, the two must give the same hash, or a verified chain would break.
_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
)
_value = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.frozensets(st.integers() | st.text(), max_size=4),
        st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4),
    ),
    max_leaves=20,
)


@given(
    changes=_value,
    seq=st.integers(min_value=1),
    prev=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)
def test_hashing_a_plain_payload_is_hashing_the_payload(changes, seq, prev):
    from ennoshita.core.audit import _plain, _plain_event_hash, event_hash

    payload = {"company": 1, "seq": seq, "action": "post", "object_repr": "仕訳 No.1", "changes": changes}
    plain = {**payload, "changes": _plain(changes)}
    assert _plain_event_hash(prev, plain) == event_hash(prev, payload)
