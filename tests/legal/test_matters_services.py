"""法律相談・紛争's services: asking (numbers, named people, notices), who sees what (法務 all, others
only where named, assistants never, 経理 not), the answer, notes, people, the status tables of both
kinds, deadlines (never in the past) and their alerts, costs, files, and that every refusal writes
nothing.

Personas (tests/legal/contracts_fixtures.py): 法務 桜 (legal), 経理 一郎, 社員 次郎 (employee_member,
総務部), 営業 三郎 (sales_member, 営業部), the admin, and an outside assistant."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ennoshita.core.errors import NotFound, PermissionDeniedError, ServiceError
from ennoshita.core.models import AuditEvent, Notification
from ennoshita.documents.models import Folder, Share
from ennoshita.legal import permissions_matters as permissions
from ennoshita.legal.models import (
    LegalMatter,
    MatterAlert,
    MatterCost,
    MatterDeadline,
    MatterMember,
    MatterNote,
)
from ennoshita.legal.selectors import matters as selectors
from ennoshita.legal.services import matters as services
from tests.conftest import make_member
from tests.legal.contracts_fixtures import me

pytest_plugins = ["tests.legal.contracts_fixtures"]

pytestmark = pytest.mark.django_db


def ask(m, **kw):
    fields = {
        "title": "取引先の約款について",
        "question": "損害賠償の上限がありません。",
        "category": "contract",
    }
    fields.update(kw)
    return services.ask_consultation(**me(m), **fields)


def dispute(m, **kw):
    fields = {"title": "売掛金の未払い", "opponent": "株式会社ひがし物産", "claim_amount": 1_650_000}
    fields.update(kw)
    return services.open_dispute(**me(m), data=services.DisputeInput(**fields))


def _counts():
    return (
        LegalMatter.objects.count(),
        MatterMember.objects.count(),
        MatterNote.objects.count(),
        MatterDeadline.objects.count(),
        MatterCost.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def assistant(company):
    return make_member(company, "asst", ["assistant"], expires_on=date.today() + timedelta(days=30))


def test_a_member_asks_and_legal_is_told(legal, employee_member, sales_member, department):
    m = ask(employee_member, member_ids=[sales_member.user_id, employee_member.user_id])
    fy = timezone.localdate().year if timezone.localdate().month >= 4 else timezone.localdate().year - 1
    assert m.number == f"LC-{fy}-0001" and m.kind == "consultation" and m.status == "open"
    assert m.department_id == department.pk and m.opened_on == timezone.localdate()
    roles = dict(MatterMember.objects.filter(matter=m).values_list("user_id", "role"))
    assert roles == {employee_member.user_id: "requester", sales_member.user_id: "involved"}
    assert Notification.objects.filter(user=legal.user, kind="legal.matter").count() == 1
    assert AuditEvent.objects.filter(object_type="legal.legalmatter", action="create").count() == 1
    assert ask(employee_member).number == f"LC-{fy}-0002"
    assert dispute(legal).number == f"LD-{fy}-0001"


def test_bad_input_is_refused_on_the_field_and_nothing_is_written(legal, employee_member, assistant):
    before = _counts()
    with pytest.raises(ServiceError) as e:
        ask(employee_member, title=" ", question="", category="nope")
    assert set(e.value.field_errors) == {"title", "question", "category"}
    with pytest.raises(ServiceError) as e:
        ask(employee_member, member_ids=[assistant.user_id])
    assert "外部アシスタント" in e.value.field_errors["member_ids"][0]
    with pytest.raises(ServiceError) as e:
        dispute(legal, claim_amount=-1, opponent="")
    assert set(e.value.field_errors) == {"claim_amount", "opponent"}
    with pytest.raises(ServiceError) as e:
        dispute(legal, handler_id=employee_member.user_id)
    assert "法務" in e.value.field_errors["handler"][0]
    assert _counts() == before


def test_the_assistant_is_refused_everything(legal, employee_member, assistant):
    m = ask(employee_member)
    before = _counts()
    assert not permissions.can_ask(assistant)
    with pytest.raises(PermissionDeniedError):
        ask(assistant)
    with pytest.raises(NotFound):
        services.add_note(**me(assistant), matter=m, body="見せて")
    with pytest.raises(NotFound):
        selectors.get_matter(company=m.company, membership=assistant, matter_id=m.pk)
    assert selectors.matter_list(company=m.company, membership=assistant).count() == 0
    assert _counts() == before


def test_only_legal_admin_and_the_people_named_see_a_matter(
    legal, admin, accounting, employee_member, sales_member
):
    m = ask(employee_member)
    company = m.company
    for who in (legal, admin, employee_member):
        assert selectors.get_matter(company=company, membership=who, matter_id=m.pk) == m
    before = _counts()
    for who in (accounting, sales_member):  # 経理 too: matters are confidential
        with pytest.raises(NotFound):
            selectors.get_matter(company=company, membership=who, matter_id=m.pk)
        with pytest.raises(NotFound):
            services.add_note(**me(who), matter=m, body="?")
        with pytest.raises(NotFound):
            services.record_matter_view(**me(who), matter=m)
        assert selectors.matter_list(company=company, membership=who).count() == 0
    assert _counts() == before
    services.add_member(**me(legal), matter=m, user_id=sales_member.user_id)
    assert selectors.get_matter(company=company, membership=sales_member, matter_id=m.pk) == m
    services.remove_member(**me(legal), matter=m, user_id=sales_member.user_id)
    with pytest.raises(NotFound):
        selectors.get_matter(company=company, membership=sales_member, matter_id=m.pk)
    with pytest.raises(ServiceError, match="相談者"):
        services.remove_member(**me(legal), matter=m, user_id=employee_member.user_id)


def test_named_people_note_but_only_legal_answers_and_changes(legal, employee_member):
    m = ask(employee_member)
    note = services.add_note(**me(employee_member), matter=m, body="契約書を添付します。")
    assert note.author == employee_member.user
    # nobody handles it yet: every 法務 member is told of the note
    assert Notification.objects.filter(user=legal.user, text__contains="経過メモ").exists()
    before = _counts()
    for call in (
        lambda: services.answer_consultation(**me(employee_member), matter=m, answer="自分で回答"),
        lambda: services.set_status(**me(employee_member), matter=m, to="in_progress"),
        lambda: services.add_deadline(
            **me(employee_member), matter=m, due_on=timezone.localdate() + timedelta(days=3), title="x"
        ),
        lambda: services.add_cost(
            **me(employee_member),
            matter=m,
            paid_on=timezone.localdate(),
            payee="x",
            description="x",
            amount=1,
        ),
        lambda: services.add_member(**me(employee_member), matter=m, user_id=legal.user_id),
        lambda: services.assign_handler(**me(employee_member), matter=m, handler_id=legal.user_id),
    ):
        with pytest.raises(PermissionDeniedError):
            call()
    assert _counts() == before


def test_the_answer_tells_the_requester_and_a_reopen_allows_another(legal, employee_member):
    m = ask(employee_member)
    with pytest.raises(ServiceError) as e:
        services.answer_consultation(**me(legal), matter=m, answer="  ")
    assert "answer" in e.value.field_errors
    m = services.answer_consultation(**me(legal), matter=m, answer="上限を設ける修正を申し入れてください。")
    assert m.status == "answered" and m.handler == legal.user and m.answered_at is not None
    assert Notification.objects.filter(user=employee_member.user, text__contains="回答").count() == 1
    with pytest.raises(ServiceError) as e:
        services.answer_consultation(**me(legal), matter=m, answer="もう一度")
    assert e.value.code == "bad_transition"
    m = services.set_status(**me(legal), matter=m, to="in_progress")  # 再開
    m = services.answer_consultation(**me(legal), matter=m, answer="改めて回答します。")
    m = services.set_status(**me(legal), matter=m, to="closed")
    assert m.status == "closed" and m.closed_on == timezone.localdate()
    assert services.allowed_moves(legal, m) == []
    with pytest.raises(PermissionDeniedError):
        services.add_note(**me(employee_member), matter=m, body="追加の質問")
    services.add_note(**me(legal), matter=m, body="終結後の記録")


def test_consultation_transitions_follow_the_table(legal, employee_member):
    m = ask(employee_member)
    assert services.allowed_moves(legal, m) == ["in_progress", "closed"]
    assert services.allowed_moves(employee_member, m) == []
    before = LegalMatter.objects.get(pk=m.pk).status
    for bad in ("answered", "negotiating", "settled", "bogus"):
        with pytest.raises(ServiceError):
            services.set_status(**me(legal), matter=m, to=bad)
    assert LegalMatter.objects.get(pk=m.pk).status == before
    m = services.set_status(**me(legal), matter=m, to="in_progress")
    with pytest.raises(ServiceError, match="回答"):
        services.set_status(**me(legal), matter=m, to="answered")  # only with an answer


def test_dispute_transitions_and_the_closing_date(legal):
    m = dispute(legal, opened_on=timezone.localdate() - timedelta(days=30))
    assert services.allowed_moves(legal, m) == ["negotiating", "mediation", "litigation", "settled", "closed"]
    with pytest.raises(ServiceError):
        services.set_status(**me(legal), matter=m, to="answered")
    with pytest.raises(ServiceError):
        services.set_status(**me(legal), matter=m, to="in_progress")
    m = services.set_status(**me(legal), matter=m, to="negotiating")
    m = services.set_status(**me(legal), matter=m, to="litigation")
    m = services.set_status(**me(legal), matter=m, to="mediation")
    assert m.closed_on is None
    with pytest.raises(ServiceError) as e:
        services.set_status(**me(legal), matter=m, to="settled", closed_on=m.opened_on - timedelta(days=1))
    assert "closed_on" in e.value.field_errors
    with pytest.raises(ServiceError):
        services.set_status(
            **me(legal), matter=m, to="settled", closed_on=timezone.localdate() + timedelta(days=1)
        )
    assert LegalMatter.objects.get(pk=m.pk).status == "mediation"
    day = timezone.localdate() - timedelta(days=2)
    m = services.set_status(**me(legal), matter=m, to="settled", closed_on=day, outcome="分割払いで和解")
    assert m.status == "settled" and m.closed_on == day and m.outcome == "分割払いで和解"
    assert services.allowed_moves(legal, m) == ["closed"]
    m = services.set_status(**me(legal), matter=m, to="closed")
    assert m.closed_on == day  # the date it ended stays
    with pytest.raises(ServiceError):
        services.set_status(**me(legal), matter=m, to="negotiating")
    assert AuditEvent.objects.filter(action="matter_status", object_id=str(m.pk)).count() == 5


def test_a_deadline_in_the_past_is_refused_and_done_once(legal, employee_member):
    m = dispute(legal)
    today = timezone.localdate()
    before = _counts()
    with pytest.raises(ServiceError) as e:
        services.add_deadline(**me(legal), matter=m, due_on=today - timedelta(days=1), title="答弁書")
    assert "過去" in e.value.field_errors["due_on"][0]
    assert _counts() == before
    d = services.add_deadline(**me(legal), matter=m, due_on=today, title="答弁書の提出期限")
    services.complete_deadline(**me(legal), matter=m, deadline_id=d.pk)
    with pytest.raises(ServiceError):
        services.complete_deadline(**me(legal), matter=m, deadline_id=d.pk)
    other = dispute(legal, title="別件")
    with pytest.raises(NotFound):
        services.complete_deadline(**me(legal), matter=other, deadline_id=d.pk)


def test_costs_are_positive_whole_yen_and_totalled(legal):
    m = dispute(legal)
    today = timezone.localdate()
    for amount in (0, -5, "1.5", "abc", None):
        with pytest.raises(ServiceError) as e:
            services.add_cost(
                **me(legal), matter=m, paid_on=today, payee="事務所", description="着手金", amount=amount
            )
        assert "amount" in e.value.field_errors
    with pytest.raises(ServiceError) as e:
        services.add_cost(
            **me(legal), matter=m, paid_on=today + timedelta(days=1), payee="", description="", amount=100
        )
    assert set(e.value.field_errors) == {"paid_on", "payee", "description"}
    assert MatterCost.objects.count() == 0
    services.add_cost(
        **me(legal), matter=m, paid_on=today, payee="事務所", description="着手金", amount=110_000
    )
    services.add_cost(
        **me(legal), matter=m, paid_on=today, payee="郵便局", description="内容証明", amount="1,480"
    )
    assert selectors.cost_total(matter=m) == Decimal("111480")


def test_alerts_go_7_and_1_days_before_once(legal, company):
    handler = make_member(company, "legal2", ["legal"])
    m = dispute(legal, handler_id=handler.user_id)
    today = timezone.localdate()
    d = services.add_deadline(**me(legal), matter=m, due_on=today + timedelta(days=7), title="第1回期日")
    assert services.send_matter_alerts(company=company, today=today - timedelta(days=1)) == 0  # 8 days ahead
    sent = services.send_matter_alerts(company=company, today=today)
    assert sent == 2  # the handler and the other 法務 member
    assert services.send_matter_alerts(company=company, today=today) == 0  # once
    assert services.send_matter_alerts(company=company, today=today + timedelta(days=6)) == 2
    assert sorted(MatterAlert.objects.filter(deadline=d).values_list("days_before", flat=True)) == [1, 7]
    services.complete_deadline(**me(legal), matter=m, deadline_id=d.pk)
    assert services.send_matter_alerts(company=company, today=today + timedelta(days=7)) == 0


def test_files_go_to_a_legal_only_folder_and_named_people_read_them(legal, employee_member, sales_member):
    m = ask(employee_member)
    with pytest.raises(PermissionDeniedError):
        services.attach_matter_file(**me(employee_member), matter=m, file_name="a.txt", data=b"x")
    v1 = services.attach_matter_file(**me(legal), matter=m, file_name="約款.txt", data="第1条".encode())
    v2 = services.attach_matter_file(**me(legal), matter=m, file_name="約款.txt", data="第1条 改".encode())
    assert v2.document_id == v1.document_id and v2.number == 2
    m.refresh_from_db()
    root = m.document_folder.parent
    assert root.name == services.FOLDER_NAME and m.document_folder.name == m.number
    assert list(Share.objects.filter(folder=root).values_list("grantee_kind", "grantee")) == [
        ("role", "legal")
    ]
    assert not Share.objects.filter(folder=m.document_folder).exists()
    company = m.company
    _matter, version = selectors.get_matter_version(
        company=company, membership=employee_member, matter_id=m.pk, version_id=v1.pk
    )
    assert version == v1
    with pytest.raises(NotFound):
        selectors.get_matter_version(
            company=company, membership=sales_member, matter_id=m.pk, version_id=v1.pk
        )
    # a second matter's files go to the same root
    m2 = ask(employee_member, title="別の相談")
    services.attach_matter_file(**me(legal), matter=m2, file_name="b.txt", data=b"b")
    m2.refresh_from_db()
    assert m2.document_folder.parent_id == root.pk
    assert Folder.objects.filter(parent=None, name=services.FOLDER_NAME).count() == 1


def test_the_demo_has_an_answered_an_open_consultation_and_a_dispute(company, legal):
    from ennoshita.legal.demo_matters import build_demo_matters

    make_member(company, "employee", ["employee"])
    make_member(company, "manager", ["manager", "employee"])
    build_demo_matters(company)
    matters = list(LegalMatter.objects.for_company(company).order_by("pk"))
    assert [(m.kind, m.status) for m in matters] == [
        ("consultation", "answered"),
        ("consultation", "open"),
        ("dispute", "negotiating"),
    ]
    d = matters[2]
    assert d.category == "collection" and selectors.cost_total(matter=d) == Decimal("111480")
    deadline = MatterDeadline.objects.get(matter=d)
    assert deadline.due_on == timezone.localdate() + timedelta(days=10)
    assert d.document_folder is not None
    build_demo_matters(company)  # idempotent
    assert LegalMatter.objects.for_company(company).count() == 3
