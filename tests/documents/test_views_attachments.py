"""添付書類 on the employee record: list, attach an existing document, detach."""

from __future__ import annotations

from django.urls import reverse

from ennoshita.documents import services
from ennoshita.documents.models import Attachment

from ..conftest import make_employee


def _doc(company, m, folder, name="雇用契約書.txt"):
    return services.upload_document(
        company=company, actor=m.user, membership=m, folder=folder, name=name, data="雇用契約書".encode()
    )


def test_hr_attaches_and_detaches_a_document(as_member, company, admin, hr, department, folder):
    employee = make_employee(company, hr, department, number="0100")
    document = _doc(company, admin, folder)
    client = as_member(admin)
    detail = reverse("people:employee_detail", args=[employee.pk])
    page = client.get(detail).content.decode()
    assert 'data-tab="attachments"' in page and 'id="attach-form"' in page and document.name in page

    r = client.post(reverse("people:employee_attach", args=[employee.pk]), {"document": document.pk})
    assert r.status_code == 302
    row = Attachment.objects.get()
    assert (row.object_type, row.object_id) == ("people.employee", str(employee.pk))
    page = client.get(detail).content.decode()
    assert reverse("documents:document", args=[document.pk]) in page
    # the document shows where it is attached
    doc_page = client.get(reverse("documents:document", args=[document.pk])).content.decode()
    assert reverse("people:employee_detail", args=[employee.pk]) in doc_page

    r = client.post(reverse("people:employee_detach", args=[employee.pk, row.pk]))
    assert r.status_code == 302 and not Attachment.objects.exists()


def test_a_document_the_user_cannot_read_is_not_attached(as_member, company, admin, hr, department, folder):
    employee = make_employee(company, hr, department, number="0101")
    document = _doc(company, admin, folder)  # admin's folder, not shared with hr
    r = as_member(hr).post(reverse("people:employee_attach", args=[employee.pk]), {"document": document.pk})
    assert r.status_code == 302 and not Attachment.objects.exists()
    r = as_member(hr).post(reverse("people:employee_attach", args=[employee.pk]), {"document": "abc"})
    assert r.status_code == 302 and not Attachment.objects.exists()


def test_detach_checks_the_attachment_belongs_to_the_employee(
    as_member, company, admin, hr, department, folder
):
    one = make_employee(company, hr, department, number="0102")
    two = make_employee(company, hr, department, number="0103")
    document = _doc(company, admin, folder)
    row = services.attach(
        company=company,
        actor=admin.user,
        membership=admin,
        document=document,
        object_type="people.employee",
        object_id=str(one.pk),
    )
    r = as_member(admin).post(reverse("people:employee_detach", args=[two.pk, row.pk]))
    assert r.status_code == 404 and Attachment.objects.count() == 1


def test_an_employee_cannot_attach_to_or_detach_from_his_own_record(
    as_member, company, employee_member, folder, admin, hr
):
    """He reads his record, and the document (shared with everyone), but only hr and admin edit
    employee records: the service says 403, whichever screen asks."""
    own = employee_member
    from ennoshita.people.models import Employee

    record = Employee.objects.get(user=own.user)
    services.share(
        company=company, actor=admin.user, membership=admin, folder=folder, grantee_kind="everyone"
    )
    document = _doc(company, admin, folder)
    client = as_member(own)
    page = client.get(reverse("people:employee_detail", args=[record.pk])).content.decode()
    assert 'id="attach-form"' not in page
    r = client.post(reverse("people:employee_attach", args=[record.pk]), {"document": document.pk})
    assert r.status_code == 403 and not Attachment.objects.exists()
    row = services.attach(
        company=company,
        actor=hr.user,
        membership=hr,
        document=document,
        object_type="people.employee",
        object_id=str(record.pk),
    )
    page = client.get(reverse("people:employee_detail", args=[record.pk])).content.decode()
    assert document.name in page  # he sees what is attached to his record
    r = client.post(reverse("people:employee_detach", args=[record.pk, row.pk]))
    assert r.status_code == 403 and Attachment.objects.count() == 1


def test_an_employee_cannot_reach_a_colleagues_record(
    as_member, company, employee_member, hr, department, folder, admin
):
    colleague = make_employee(company, hr, department, number="0104")
    document = _doc(company, admin, folder)
    row = services.attach(
        company=company,
        actor=admin.user,
        membership=admin,
        document=document,
        object_type="people.employee",
        object_id=str(colleague.pk),
    )
    client = as_member(employee_member)
    r = client.post(reverse("people:employee_attach", args=[colleague.pk]), {"document": document.pk})
    assert r.status_code == 404
    r = client.post(reverse("people:employee_detach", args=[colleague.pk, row.pk]))
    assert r.status_code == 404 and Attachment.objects.count() == 1


def test_the_document_page_names_the_records_it_is_attached_to(
    as_member, company, admin, hr, department, folder
):
    employee = make_employee(company, hr, department, number="0105", family_name="佐藤", given_name="花")
    document = _doc(company, admin, folder)
    services.attach(
        company=company,
        actor=admin.user,
        membership=admin,
        document=document,
        object_type="people.employee",
        object_id=str(employee.pk),
    )
    page = as_member(admin).get(reverse("documents:document", args=[document.pk])).content.decode()
    assert employee.full_name in page and reverse("people:employee_detail", args=[employee.pk]) in page
