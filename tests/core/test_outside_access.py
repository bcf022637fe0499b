"""The outside assistant team's access: grants (core.grants), record cards (core.records), the
sign-in of an expired assistant, and the gate and trail of every page they open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ennoshita.core import grants, records
from ennoshita.core import services as core_services
from ennoshita.core.models import AccessGrant, AuditEvent, Membership
from ennoshita.sales.services import customers
from tests.conftest import PASSWORD, login, make_company, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return make_company("株式会社エー")


@pytest.fixture
def admin(company):
    return make_member(company, "boss", ["admin"])


@pytest.fixture
def assistant(company):
    return make_member(company, "helper", ["assistant"], expires_on=timezone.localdate() + timedelta(days=30))


@pytest.fixture
def customer(company, admin):
    return customers.create_customer(
        company=company, actor=admin.user, membership=admin, code="C1", name="株式会社得意先"
    )


# ------------------------------------------------------------------------------------- grants


def test_a_grant_opens_one_record_until_its_source_takes_it_back(company, assistant, customer):
    assert not grants.is_granted(membership=assistant, object_type="sales.customer", object_id=customer.pk)
    grants.grant_access(
        company=company,
        membership=assistant,
        object_type="sales.customer",
        object_id=customer.pk,
        source="r:1",
    )
    grants.grant_access(
        company=company,
        membership=assistant,
        object_type="sales.customer",
        object_id=customer.pk,
        source="r:1",
    )
    assert AccessGrant.objects.count() == 1  # repeating a grant adds nothing
    assert grants.is_granted(membership=assistant, object_type="sales.customer", object_id=str(customer.pk))
    assert not grants.is_granted(
        membership=assistant, object_type="sales.customer", object_id=customer.pk + 1
    )
    assert not grants.is_granted(membership=assistant, object_type="sales.invoice", object_id=customer.pk)
    assert grants.granted_ids(membership=assistant, object_type="sales.customer") == {str(customer.pk)}
    assert grants.sources_for(membership=assistant, object_type="sales.customer", object_id=customer.pk) == [
        "r:1"
    ]
    assert grants.revoke_source(company=company, source="r:1") == 1
    assert not grants.is_granted(membership=assistant, object_type="sales.customer", object_id=customer.pk)


def test_a_grant_lapses_with_its_expiry_and_with_the_membership(company, assistant, customer):
    past = timezone.now() - timedelta(minutes=1)
    grants.grant_access(
        company=company,
        membership=assistant,
        object_type="sales.customer",
        object_id=customer.pk,
        source="r:1",
        expires_at=past,
    )
    assert not grants.is_granted(membership=assistant, object_type="sales.customer", object_id=customer.pk)
    grants.grant_access(
        company=company,
        membership=assistant,
        object_type="sales.customer",
        object_id=customer.pk,
        source="r:1",
    )
    assert grants.is_granted(membership=assistant, object_type="sales.customer", object_id=customer.pk)
    Membership.objects.filter(pk=assistant.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    assistant.refresh_from_db()
    assert not grants.is_granted(membership=assistant, object_type="sales.customer", object_id=customer.pk)
    Membership.objects.filter(pk=assistant.pk).update(expires_on=None, is_active=False)
    assistant.refresh_from_db()
    assert not grants.is_granted(membership=assistant, object_type="sales.customer", object_id=customer.pk)
    assert grants.granted_ids(membership=assistant, object_type="sales.customer") == set()
    assert grants.revoke_membership(company=company, membership=assistant) == 1


def test_revoking_a_source_for_some_members_keeps_the_others(company, assistant, customer):
    other = make_member(
        company, "helper2", ["assistant"], expires_on=timezone.localdate() + timedelta(days=5)
    )
    for m in (assistant, other):
        grants.grant_access(
            company=company, membership=m, object_type="sales.customer", object_id=customer.pk, source="r:9"
        )
    assert grants.revoke_source(company=company, source="r:9", memberships=[other.pk]) == 1
    assert grants.is_granted(membership=assistant, object_type="sales.customer", object_id=customer.pk)
    assert not grants.is_granted(membership=other, object_type="sales.customer", object_id=customer.pk)


# ------------------------------------------------------------------------------- record cards


def test_every_registered_kind_loads_its_card_and_only_its_own_companys(company, admin, customer):
    kinds = {k.object_type for k in records.kinds()}
    assert {
        "sales.customer",
        "sales.invoice",
        "purchasing.vendor",
        "purchasing.vendorbill",
        "legal.contract",
        "documents.document",
    } <= kinds
    card = records.load_card(company=company, object_type="sales.customer", object_id=str(customer.pk))
    assert card is not None and card.title == "C1 株式会社得意先"
    assert ("名称", "株式会社得意先") in card.fields
    other = make_company("株式会社ビー")
    assert records.load_card(company=other, object_type="sales.customer", object_id=str(customer.pk)) is None
    assert records.load_card(company=company, object_type="sales.customer", object_id="x") is None
    assert records.load_card(company=company, object_type="nothing.here", object_id="1") is None
    kind = records.kind_of("sales.customer")
    assert kind is not None and kind.search(company, "得意先") == [(str(customer.pk), "C1 株式会社得意先")]
    assert kind.search(other, "得意先") == []
    assert kind.staff_url is not None and kind.staff_url(str(customer.pk)).endswith(
        f"/customers/{customer.pk}/"
    )


def test_a_document_card_carries_the_document(company, admin):
    from ennoshita.documents import services as documents

    ctx = {"company": company, "actor": admin.user, "membership": admin}
    folder = documents.create_folder(**ctx, name="請求書", parent=None)
    doc = documents.upload_document(**ctx, folder=folder, name="a.txt", data=b"hello")
    card = records.load_card(company=company, object_type="documents.document", object_id=str(doc.pk))
    assert card is not None and card.documents == [(doc.pk, "a.txt")]


# ------------------------------------------------------------------------------------ sign-in


def _sign_in(client, username):
    return client.post(reverse("core:login"), {"username": username, "password": PASSWORD})


def test_an_expired_assistant_cannot_sign_in_and_is_told_why(client, company):
    ended = timezone.localdate() - timedelta(days=1)
    make_member(company, "gone", ["assistant"], expires_on=ended)
    r = _sign_in(client, "gone")
    assert r.status_code == 200
    text = r.content.decode()
    assert "アクセス期限" in text and ended.isoformat() in text
    assert "_auth_user_id" not in client.session


def test_a_switched_off_member_cannot_sign_in(client, company):
    m = make_member(company, "off", ["employee"])
    Membership.objects.filter(pk=m.pk).update(is_active=False)
    r = _sign_in(client, "off")
    assert "無効" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_current_assistant_signs_in(client, assistant):
    r = _sign_in(client, "helper")
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(assistant.user_id)


def test_an_expired_membership_in_one_company_does_not_block_another(client, company):
    m = make_member(company, "both", ["assistant"], expires_on=timezone.localdate() - timedelta(days=3))
    other = make_company("株式会社ビー")
    core_services.add_member(company=other, actor=None, username="both", roles=["employee"])
    assert _sign_in(client, "both").status_code == 302
    assert m.user_id == int(client.session["_auth_user_id"])


def test_an_expired_assistants_api_token_is_refused(client, company):
    m = make_member(company, "late", ["assistant"], expires_on=timezone.localdate() + timedelta(days=1))
    _t, raw = core_services.create_api_token(membership=m, name="x")
    Membership.objects.filter(pk=m.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    r = client.get("/api/v1/documents/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 401


# --------------------------------------------------------------------------- gate and trail


def test_every_page_an_assistant_opens_is_in_the_audit_trail(client, company, assistant):
    login(client, assistant)
    assert client.get(reverse("core:profile")).status_code == 200
    event = AuditEvent.objects.filter(company=company).latest("pk")
    assert (event.action, event.object_type, event.object_id) == (
        "page_view",
        "page",
        reverse("core:profile"),
    )
    assert event.actor_id == assistant.user_id and event.changes["extra"]["status"] == 200


def test_a_page_closed_to_assistants_answers_404_before_its_view_runs(client, company, assistant, customer):
    login(client, assistant)
    url = reverse("sales:customer_detail", args=[customer.pk])
    r = client.get(url)
    assert r.status_code == 404
    event = AuditEvent.objects.filter(company=company).latest("pk")
    assert (event.action, event.object_id) == ("access_denied", url)
    # a write to a closed page is refused before it runs: nothing changes
    r = client.post(reverse("sales:customer_edit", args=[customer.pk]), {"code": "C9", "name": "書き換え"})
    assert r.status_code == 404
    customer.refresh_from_db()
    assert customer.name == "株式会社得意先"


def test_the_api_is_closed_to_assistants_but_the_requests_api(client, company, assistant, customer):
    _t, raw = core_services.create_api_token(membership=assistant, name="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    r = client.get(f"/api/v1/sales/customers/{customer.pk}", **auth)
    assert r.status_code == 404 and r["Content-Type"].startswith("application/problem+json")
    event = AuditEvent.objects.filter(company=company).latest("pk")
    assert event.action == "access_denied" and event.actor_id == assistant.user_id
    r = client.patch(
        f"/api/v1/sales/customers/{customer.pk}",
        data={"name": "書き換え"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 404
    customer.refresh_from_db()
    assert customer.name == "株式会社得意先"


def test_other_members_pages_are_neither_gated_nor_recorded(client, company, admin, customer):
    login(client, admin)
    before = AuditEvent.objects.filter(company=company).count()
    assert client.get(reverse("sales:customer_detail", args=[customer.pk])).status_code == 200
    assert AuditEvent.objects.filter(company=company).count() == before
