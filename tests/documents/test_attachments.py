"""Attachments: one rule, applied inside documents.services, whoever calls (screen, API, demo).

attach = read on the document + edit on the record; detach = edit on the record; listing a
record's attachments = read on the record, and only the documents one may read are listed.

Personas: 管理 一郎 (admin, owns the 経理 folder), 人事 花子 (hr: edits every employee record, reads
経理 through a read-only share), 社員 次郎 (an employee: reads his own record only, and the 経理
folder), 部長 (a manager: his own record only, like the employee screens), and the outsider (hr and
admin of another company).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ennoshita.core.audit import verify_company_chain
from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent
from ennoshita.documents import selectors, services
from ennoshita.documents.models import Attachment
from ennoshita.documents.targets import resolve_target, target_types
from ennoshita.people.models import Employee

from ..apiclient import PROBLEM, ApiClient, field_errors
from ..conftest import make_employee, make_member

EMPLOYEE = "people.employee"


def _w(m) -> dict:
    return {"company": m.company, "actor": m.user, "membership": m}


@pytest.fixture
def shared(company, admin, hr, folder):
    """経理 is shared read-only with everyone: hr and the employee read it, only admin edits it."""
    services.share(**_w(admin), folder=folder, grantee_kind="everyone", permission="read")
    return folder


@pytest.fixture
def doc(company, admin, shared):
    return services.upload_document(
        **_w(admin), folder=shared, name="雇用契約書.txt", data="雇用契約書".encode()
    )


@pytest.fixture
def staff(company, hr, department) -> Employee:
    return make_employee(company, hr, department, number="0100", family_name="鈴木", given_name="一郎")


@pytest.fixture
def own_record(employee_member) -> Employee:
    return Employee.objects.get(user=employee_member.user)


@pytest.fixture
def manager(company):
    return make_member(company, "mgr1", ["manager"], last_name="部長", first_name="三郎")


@pytest.fixture
def foreign_employee(other_company, outsider):
    from ..conftest import make_department

    dept = make_department(other_company, outsider, code="900", name="よその部")
    return make_employee(other_company, outsider, dept, number="9000")


def written() -> tuple[int, int]:
    return Attachment.objects.count(), AuditEvent.objects.count()


def attach(m, document, object_id, object_type=EMPLOYEE):
    return services.attach(**_w(m), document=document, object_type=object_type, object_id=str(object_id))


# ------------------------------------------------------------------------------- the hook
def test_the_settings_name_the_employee_and_journal_entry_targets():
    assert sorted(target_types()) == sorted([EMPLOYEE, "ledger.journalentry", "affairs.announcement"])


def test_the_resolver_follows_the_employee_screens(
    company, admin, hr, employee_member, manager, staff, own_record
):
    def resolve(m, object_id, for_edit):
        return resolve_target(
            company=company, membership=m, object_type=EMPLOYEE, object_id=str(object_id), for_edit=for_edit
        )

    assert resolve(hr, staff.pk, True) == staff.full_name
    assert resolve(admin, staff.pk, True) == staff.full_name
    assert resolve(employee_member, own_record.pk, False) == own_record.full_name
    with pytest.raises(PermissionDeniedError):
        resolve(employee_member, own_record.pk, True)
    for m, object_id in ((employee_member, staff.pk), (manager, staff.pk), (manager, own_record.pk)):
        with pytest.raises(NotFound):
            resolve(m, object_id, False)
    for bad in ("", "abc", "0", "-1", "１", " 1", "9" * 19, "9" * 65):
        with pytest.raises(NotFound):
            resolve(hr, bad, False)


# ------------------------------------------------------------------------------- services
def test_hr_attaches_a_document_it_may_only_read_and_the_trail_records_it(company, hr, doc, staff):
    row = attach(hr, doc, staff.pk)
    assert (row.document_id, row.object_type, row.object_id, row.created_by_id) == (
        doc.pk,
        EMPLOYEE,
        str(staff.pk),
        hr.user.pk,
    )
    event = AuditEvent.objects.filter(action="attach").get()
    assert (event.object_type, event.object_id, event.actor_id) == (
        "documents.document",
        str(doc.pk),
        hr.user.pk,
    )
    assert event.changes["extra"] == {
        "attachment": row.pk,
        "object_type": EMPLOYEE,
        "object_id": str(staff.pk),
        "object": staff.full_name,
    }
    assert verify_company_chain(company.pk) is None


def test_attaching_twice_keeps_one_attachment_and_one_event(hr, doc, staff):
    first = attach(hr, doc, staff.pk)
    assert attach(hr, doc, f" {staff.pk} ").pk == first.pk
    assert written() == (1, AuditEvent.objects.count())
    assert AuditEvent.objects.filter(action="attach").count() == 1


@pytest.mark.parametrize(
    ("object_type", "object_id"),
    [
        ("people.employe", "{staff}"),  # a type that takes no attachments
        ("ledger.entry", "{staff}"),
        (EMPLOYEE, "{foreign}"),  # another company's employee
        (EMPLOYEE, "999999"),  # no such employee
        (EMPLOYEE, "abc"),
    ],
)
def test_a_record_that_is_not_there_is_not_found_and_nothing_is_written(
    hr, doc, staff, foreign_employee, object_type, object_id
):
    before = written()
    object_id = object_id.format(staff=staff.pk, foreign=foreign_employee.pk)
    with pytest.raises(NotFound):
        attach(hr, doc, object_id, object_type=object_type)
    assert written() == before


def test_an_unknown_type_says_which_type(hr, doc, staff):
    with pytest.raises(NotFound) as caught:
        attach(hr, doc, staff.pk, object_type="people.employe")
    assert "people.employe" in caught.value.message


def test_a_member_who_may_read_but_not_edit_the_record_is_refused(employee_member, doc, own_record):
    before = written()
    with pytest.raises(PermissionDeniedError):
        attach(employee_member, doc, own_record.pk)
    assert written() == before


def test_a_colleagues_record_is_not_found_for_an_employee_or_a_manager(employee_member, manager, doc, staff):
    before = written()
    for m in (employee_member, manager):
        with pytest.raises(NotFound):
            attach(m, doc, staff.pk)
    assert written() == before


def test_a_document_hr_cannot_read_is_not_found(company, admin, hr, staff):
    private = services.create_folder(**_w(admin), name="役員", parent=None)
    secret = services.upload_document(**_w(admin), folder=private, name="役員報酬.txt", data=b"secret")
    before = written()
    with pytest.raises(NotFound):
        attach(hr, secret, staff.pk)
    assert written() == before


def test_another_companys_member_finds_nothing(outsider, doc, staff, foreign_employee):
    before = written()
    with pytest.raises(NotFound):  # their own employee, our document
        attach(outsider, doc, foreign_employee.pk)
    with pytest.raises(NotFound):  # our employee
        services.attach(
            company=outsider.company,
            actor=outsider.user,
            membership=outsider,
            document=doc,
            object_type=EMPLOYEE,
            object_id=str(staff.pk),
        )
    assert written() == before


def test_a_trashed_document_is_not_attached(admin, hr, doc, staff):
    services.trash_document(**_w(admin), document=doc)
    before = written()
    with pytest.raises(ServiceError) as caught:
        attach(hr, doc, staff.pk)
    assert list(caught.value.field_errors) == ["document_id"]
    assert written() == before


def test_hr_detaches_without_any_edit_right_on_the_document(company, hr, doc, staff):
    row = attach(hr, doc, staff.pk)
    services.detach(**_w(hr), attachment_id=row.pk)
    assert not Attachment.objects.exists()
    event = AuditEvent.objects.filter(action="detach").get()
    assert (event.object_type, event.object_id) == ("documents.document", str(doc.pk))
    assert event.changes["extra"] == {
        "attachment": row.pk,
        "object_type": EMPLOYEE,
        "object_id": str(staff.pk),
        "object": staff.full_name,
    }
    assert verify_company_chain(company.pk) is None
    with pytest.raises(NotFound):
        services.detach(**_w(hr), attachment_id=row.pk)


def test_detach_needs_edit_on_the_record(hr, employee_member, manager, outsider, doc, own_record, staff):
    mine = attach(hr, doc, own_record.pk)
    theirs = attach(hr, doc, staff.pk)
    before = written()
    with pytest.raises(PermissionDeniedError):  # reads his own record, may not edit it
        services.detach(**_w(employee_member), attachment_id=mine.pk)
    for m, row in ((employee_member, theirs), (manager, mine)):  # records they cannot read
        with pytest.raises(NotFound):
            services.detach(**_w(m), attachment_id=row.pk)
    with pytest.raises(NotFound):
        services.detach(**_w(outsider), attachment_id=mine.pk)
    assert written() == before


def test_a_records_attachments_need_read_on_it_and_list_only_readable_documents(
    company, admin, hr, employee_member, manager, doc, own_record, staff
):
    private = services.create_folder(**_w(admin), name="人事限定", parent=None)
    services.share(**_w(admin), folder=private, grantee_kind="role", grantee="hr", permission="read")
    review = services.upload_document(**_w(admin), folder=private, name="評価.txt", data=b"review")
    attach(hr, doc, own_record.pk)
    attach(hr, review, own_record.pk)

    def names(m, record):
        rows = selectors.attachments_for(
            company=company, membership=m, object_type=EMPLOYEE, object_id=str(record.pk)
        )
        return [r.name for r in rows]

    assert names(hr, own_record) == ["評価.txt", "雇用契約書.txt"]
    assert names(employee_member, own_record) == ["雇用契約書.txt"]  # not the hr-only review
    for m, record in ((employee_member, staff), (manager, own_record)):
        with pytest.raises(NotFound):
            names(m, record)
    with pytest.raises(NotFound):
        selectors.attachments_for(company=company, membership=hr, object_type="x.y", object_id="1")


def test_a_document_shows_only_the_records_the_member_may_read(
    company, hr, employee_member, doc, own_record, staff
):
    attach(hr, doc, own_record.pk)
    attach(hr, doc, staff.pk)

    def where(m):
        rows = selectors.attachments_of_document(company=company, membership=m, document=doc)
        return sorted(r.object_repr for r in rows)

    assert where(hr) == sorted([own_record.full_name, staff.full_name])
    assert where(employee_member) == [own_record.full_name]


# ------------------------------------------------------------------------------- API
class AttachApi(ApiClient):
    def delete(self, path: str):
        return self.client.delete(self.prefix + path, **self._headers())


def attachment_json(row: Attachment, employee: Employee) -> dict:
    from .test_api import when

    row.refresh_from_db()
    v = row.document.current_version
    return {
        "id": row.pk,
        "document": {"id": row.document_id, "name": row.document.name, "version": v.number, "size": v.size},
        "object_type": EMPLOYEE,
        "object_id": str(employee.pk),
        "object_repr": employee.full_name,
        "created_by": {"id": row.created_by.pk, "name": row.created_by.display_name()},
        "created_at": when(row.created_at),
    }


def test_api_attaches_lists_shows_and_detaches(client, company, hr, doc, staff):
    api = AttachApi(client, hr)
    r = api.post(f"/documents/{doc.pk}/attachments", {"object_type": EMPLOYEE, "object_id": str(staff.pk)})
    assert r.status_code == 201, r.content
    row = Attachment.objects.get()
    assert r.json() == attachment_json(row, staff)
    assert AuditEvent.objects.filter(action="attach", object_id=str(doc.pk)).count() == 1

    listed = api.get("/documents/attachments", {"object_type": EMPLOYEE, "object_id": staff.pk})
    assert listed.status_code == 200 and listed.json() == [attachment_json(row, staff)]
    detail = api.get(f"/documents/{doc.pk}").json()
    assert detail["attachments"] == [attachment_json(row, staff)]

    gone = api.delete(f"/documents/attachments/{row.pk}")
    assert gone.status_code == 204 and not Attachment.objects.exists()
    assert AuditEvent.objects.filter(action="detach", object_id=str(doc.pk)).count() == 1
    assert api.get(f"/documents/{doc.pk}").json()["attachments"] == []
    assert api.delete(f"/documents/attachments/{row.pk}").status_code == 404


def test_api_takes_the_record_id_as_a_json_number_too(client, hr, doc, staff):
    r = AttachApi(client, hr).post(
        f"/documents/{doc.pk}/attachments", {"object_type": EMPLOYEE, "object_id": staff.pk}
    )
    assert r.status_code == 201 and r.json()["object_id"] == str(staff.pk)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"object_type": EMPLOYEE, "object_id": "{foreign}"}, 404),
        ({"object_type": EMPLOYEE, "object_id": "999999"}, 404),
        ({"object_type": "ledger.entry", "object_id": "{staff}"}, 404),
        ({"object_type": EMPLOYEE}, 422),
        ({"object_type": EMPLOYEE, "object_id": ""}, 422),
        ({"object_type": EMPLOYEE, "object_id": "{staff}", "note": "x"}, 422),
    ],
)
def test_api_refusals_write_nothing(client, hr, doc, staff, foreign_employee, body, status):
    body = {k: v.format(staff=staff.pk, foreign=foreign_employee.pk) for k, v in body.items()}
    api = AttachApi(client, hr)  # (issuing the token is an audit event of its own)
    before = written()
    r = api.post(f"/documents/{doc.pk}/attachments", body)
    assert r.status_code == status and r["Content-Type"] == PROBLEM
    assert written() == before


def test_api_unknown_type_is_a_404_that_names_the_type(client, hr, doc, staff):
    r = AttachApi(client, hr).post(
        f"/documents/{doc.pk}/attachments", {"object_type": "people.employe", "object_id": "1"}
    )
    assert r.status_code == 404
    assert r.json()["code"] == "not_found" and "people.employe" in r.json()["title"]
    listed = AttachApi(client, hr).get(
        "/documents/attachments", {"object_type": "people.employe", "object_id": "1"}
    )
    assert listed.status_code == 404


def test_api_another_companys_document_record_and_attachment_are_404(
    client, hr, outsider, doc, staff, foreign_employee
):
    row = attach(hr, doc, staff.pk)
    api = AttachApi(client, outsider)
    before = written()
    body = {"object_type": EMPLOYEE, "object_id": str(foreign_employee.pk)}
    assert api.post(f"/documents/{doc.pk}/attachments", body).status_code == 404
    listed = api.get("/documents/attachments", {"object_type": EMPLOYEE, "object_id": staff.pk})
    assert listed.status_code == 404
    assert api.delete(f"/documents/attachments/{row.pk}").status_code == 404
    assert written() == before


def test_api_member_without_edit_on_the_employee_gets_403(client, hr, employee_member, doc, own_record):
    row = attach(hr, doc, own_record.pk)
    api = AttachApi(client, employee_member)
    other_doc = services.upload_document(
        company=hr.company,
        actor=employee_member.user,
        membership=employee_member,
        folder=services.create_folder(**_w(employee_member), name="自分用", parent=None),
        name="メモ.txt",
        data=b"memo",
    )
    before = written()
    r = api.post(
        f"/documents/{other_doc.pk}/attachments", {"object_type": EMPLOYEE, "object_id": str(own_record.pk)}
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert api.delete(f"/documents/attachments/{row.pk}").status_code == 403
    assert written() == before
    # he still reads his own record's attachments
    listed = api.get("/documents/attachments", {"object_type": EMPLOYEE, "object_id": own_record.pk})
    assert [a["document"]["name"] for a in listed.json()] == ["雇用契約書.txt"]


def test_api_list_costs_the_same_queries_for_one_or_many(client, company, admin, hr, shared, staff):
    api = AttachApi(client, hr)
    params = {"object_type": EMPLOYEE, "object_id": staff.pk}

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            d = services.upload_document(**_w(admin), folder=shared, name=f"{i:03}.txt", data=f"{i}".encode())
            attach(hr, d, staff.pk)

    add(1, 0)
    api.get("/documents/attachments", params)  # warm up (token, session)
    with CaptureQueriesContext(connection) as one:
        assert len(api.get("/documents/attachments", params).json()) == 1
    add(9, 1)
    with CaptureQueriesContext(connection) as ten:
        assert len(api.get("/documents/attachments", params).json()) == 10
    assert len(ten) == len(one)


def test_api_list_needs_both_parameters(client, hr):
    r = AttachApi(client, hr).get("/documents/attachments", {"object_type": EMPLOYEE})
    assert r.status_code == 422 and list(field_errors(r)) == ["object_id"]
