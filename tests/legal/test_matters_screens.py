"""法律相談・紛争 screens: 「相談する」 for any member, "my consultations", the list with filters and
CSV (法務 only) and a pinned query count, the detail (recorded as a view) with the forms 法務 uses, the
file view for named people; an unnamed member, another company and the assistant get nothing, and
nothing is written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ennoshita.core.models import AuditEvent
from ennoshita.legal import home_matters
from ennoshita.legal.models import LegalMatter, MatterCost, MatterDeadline, MatterNote
from ennoshita.legal.services import matters as services
from tests.conftest import login, make_member
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
    fields = {"title": "売掛金の未払い", "opponent": "株式会社ひがし物産"}
    fields.update(kw)
    return services.open_dispute(**me(m), data=services.DisputeInput(**fields))


def _written():
    return (
        LegalMatter.objects.count(),
        MatterNote.objects.count(),
        MatterDeadline.objects.count(),
        MatterCost.objects.count(),
        # the outside assistants' gate (core.assistant_trail) records each refused page as
        # access_denied: a record of the attempt, not a change
        AuditEvent.objects.exclude(action="access_denied").count(),
    )


def test_a_member_asks_from_the_form_and_finds_it_in_my_consultations(client, employee_member, legal):
    login(client, employee_member)
    assert client.get(reverse("legal:matter_new")).status_code == 200
    r = client.post(
        reverse("legal:matter_new"),
        {
            "title": "休日出勤の扱い",
            "category": "labor",
            "question": "振替休日と代休の違いを教えてください。",
        },
    )
    m = LegalMatter.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("legal:matter_detail", args=[m.pk])
    body = client.get(reverse("legal:matter_mine")).content.decode()
    assert "休日出勤の扱い" in body and m.number in body
    body = client.get(reverse("legal:matter_detail", args=[m.pk])).content.decode()
    assert "振替休日と代休" in body and "まだ回答はありません" in body
    assert 'action="' + reverse("legal:matter_answer", args=[m.pk]) not in body  # no answer form for them
    assert (
        AuditEvent.objects.filter(action="view", object_id=str(m.pk), actor=employee_member.user).count() == 1
    )


def test_bad_input_is_shown_on_the_field_and_nothing_is_written(client, employee_member):
    login(client, employee_member)
    before = _written()
    r = client.post(reverse("legal:matter_new"), {"title": "", "category": "labor", "question": ""})
    assert (r.status_code == 400 and "このフィールドは必須です" in r.content.decode()) or r.status_code == 400
    r = client.post(
        reverse("legal:matter_new"),
        {"title": "件名", "category": "labor", "question": "内容", "member1_text": "存在しない人"},
    )
    assert r.status_code == 400 and "見つかりません" in r.content.decode()
    assert _written() == before


def test_an_unnamed_member_gets_404_everywhere_and_nothing_is_written(
    client, employee_member, sales_member, legal
):
    m = ask(employee_member)
    v = services.attach_matter_file(**me(legal), matter=m, file_name="約款.txt", data=b"x")
    login(client, sales_member)
    before = _written()
    assert client.get(reverse("legal:matter_detail", args=[m.pk])).status_code == 404
    assert client.get(reverse("legal:matter_file", args=[m.pk, v.pk])).status_code == 404
    for name, data in (
        ("matter_note", {"body": "見せて"}),
        ("matter_answer", {"answer": "x"}),
        ("matter_status", {"to": "closed"}),
        ("matter_deadline_new", {"due_on": "2099-01-01", "title": "x"}),
    ):
        assert client.post(reverse(f"legal:{name}", args=[m.pk]), data).status_code == 404
    body = client.get(reverse("legal:matter_list")).content.decode()
    assert m.title not in body
    assert _written() == before


def test_the_assistant_is_refused(client, company, employee_member):
    m = ask(employee_member)
    assistant = make_member(company, "asst", ["assistant"], expires_on=date.today() + timedelta(days=30))
    login(client, assistant)
    before = _written()
    # refused by the assistants' gate (404) or, without it, by this part's own check (403)
    assert client.get(reverse("legal:matter_list")).status_code in (403, 404)
    assert client.get(reverse("legal:matter_new")).status_code in (403, 404)
    r = client.post(reverse("legal:matter_new"), {"title": "x", "category": "other", "question": "x"})
    assert r.status_code in (403, 404)
    assert client.get(reverse("legal:matter_detail", args=[m.pk])).status_code == 404
    assert _written() == before


def test_legal_works_the_matter_from_its_page(client, legal, employee_member):
    m = ask(employee_member)
    login(client, legal)
    url = reverse("legal:matter_detail", args=[m.pk])
    body = client.get(url).content.decode()
    assert 'value="in_progress"' in body and "変更履歴" in body
    client.post(reverse("legal:matter_status", args=[m.pk]), {"to": "in_progress"})
    client.post(reverse("legal:matter_note", args=[m.pk]), {"body": "約款を確認中"})
    r = client.post(reverse("legal:matter_answer", args=[m.pk]), {"answer": "上限を設けてください。"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.status == "answered" and m.answer == "上限を設けてください。"
    today = timezone.localdate()
    r = client.post(
        reverse("legal:matter_deadline_new", args=[m.pk]),
        {"due_on": (today - timedelta(days=1)).isoformat(), "title": "回答期限"},
        follow=True,
    )
    assert "過去の日付は期限にできません" in r.content.decode()
    assert not MatterDeadline.objects.exists()
    client.post(
        reverse("legal:matter_deadline_new", args=[m.pk]),
        {"due_on": (today + timedelta(days=3)).isoformat(), "title": "先方への回答期限"},
    )
    d = MatterDeadline.objects.get()
    client.post(
        reverse("legal:matter_cost_new", args=[m.pk]),
        {
            "paid_on": today.isoformat(),
            "payee": "さくら法律事務所",
            "description": "相談料",
            "amount": "22000",
        },
    )
    r = client.post(
        reverse("legal:matter_cost_new", args=[m.pk]),
        {"paid_on": today.isoformat(), "payee": "x", "description": "x", "amount": "0"},
        follow=True,
    )
    assert "1円以上" in r.content.decode()
    upload = SimpleUploadedFile("意見書.txt", "意見".encode(), content_type="text/plain")
    assert client.post(reverse("legal:matter_file_new", args=[m.pk]), {"file": upload}).status_code == 302
    body = client.get(url).content.decode()
    assert "先方への回答期限" in body and "22,000" in body and "意見書.txt" in body and "約款を確認中" in body
    client.post(reverse("legal:matter_deadline_done", args=[m.pk, d.pk]), {})
    d.refresh_from_db()
    assert d.done_on == today
    # the requester reads the file through this part's view
    version = services.attach_matter_file(**me(legal), matter=m, file_name="b.txt", data=b"bb")
    login(client, employee_member)
    r = client.get(reverse("legal:matter_file", args=[m.pk, version.pk]))
    assert r.status_code == 200 and r.content == b"bb"


def test_an_overdue_deadline_is_red(client, legal):
    m = dispute(legal)
    d = services.add_deadline(**me(legal), matter=m, due_on=timezone.localdate(), title="期日")
    MatterDeadline.objects.filter(pk=d.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    login(client, legal)
    body = client.get(reverse("legal:matter_detail", args=[m.pk])).content.decode()
    assert 'data-overdue="1"' in body and "期限切れ" in body


def test_legal_opens_and_edits_a_dispute(client, legal):
    login(client, legal)
    r = client.post(
        reverse("legal:matter_dispute_new"),
        {"title": "損害賠償請求", "category": "contract", "opponent": "株式会社みなみ", "claim_amount": "-1"},
    )
    assert r.status_code == 400 and "マイナス" in r.content.decode()
    r = client.post(
        reverse("legal:matter_dispute_new"),
        {
            "title": "損害賠償請求",
            "category": "contract",
            "opponent": "株式会社みなみ",
            "claim_amount": "3000000",
        },
    )
    m = LegalMatter.objects.get()
    assert r.status_code == 302 and m.kind == "dispute" and m.claim_amount == 3000000
    r = client.post(
        reverse("legal:matter_edit", args=[m.pk]),
        {
            "title": "損害賠償請求",
            "category": "contract",
            "opponent": "株式会社みなみ",
            "case_number": "令和8年(ワ)第1号",
        },
    )
    m.refresh_from_db()
    assert r.status_code == 302 and m.case_number == "令和8年(ワ)第1号" and m.claim_amount is None


def test_the_list_filters_exports_for_legal_only(client, legal, employee_member):
    ask(employee_member, title="約款の相談")
    dispute(legal, title="未払い代金")
    login(client, legal)
    body = client.get(reverse("legal:matter_list")).content.decode()
    assert "約款の相談" in body and "未払い代金" in body
    body = client.get(reverse("legal:matter_list"), {"kind": "dispute"}).content.decode()
    assert "未払い代金" in body and "約款の相談" not in body
    body = client.get(reverse("legal:matter_list"), {"q": "約款"}).content.decode()
    assert "約款の相談" in body and "未払い代金" not in body
    csv = client.get(reverse("legal:matter_list"), {"format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and "管理番号" in text and "未払い代金" in text
    login(client, employee_member)
    body = client.get(reverse("legal:matter_list")).content.decode()
    assert "約款の相談" in body and "未払い代金" not in body
    assert client.get(reverse("legal:matter_list"), {"format": "csv"}).status_code == 403


def test_the_list_query_count_does_not_grow_with_rows(
    client, legal, employee_member, django_assert_num_queries
):
    ask(employee_member)
    login(client, legal)
    url = reverse("legal:matter_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        ask(employee_member, title=f"相談{n}")
        dispute(legal, title=f"紛争{n}", handler_id=legal.user_id)
    with django_assert_num_queries(len(few)):
        r = client.get(url)
    assert r.status_code == 200 and "紛争5" in r.content.decode()


def test_another_companys_matter_is_a_404(client, legal, outsider):
    theirs = dispute(outsider)
    login(client, legal)
    before = _written()
    assert client.get(reverse("legal:matter_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("legal:matter_note", args=[theirs.pk]), {"body": "x"}).status_code == 404
    assert _written() == before


def test_the_home_panel_shows_unanswered_and_deadlines_to_legal(legal, employee_member):
    ask(employee_member, title="未回答の相談")
    m = dispute(legal)
    services.add_deadline(
        **me(legal), matter=m, due_on=timezone.localdate() + timedelta(days=10), title="答弁書"
    )
    panels = {p["key"]: p for p in home_matters.panels(legal)}
    assert "未回答の相談" in panels["matters_unanswered"]["items"][0]["text"]
    assert "答弁書" in panels["matters_deadlines"]["items"][0]["text"]
    assert home_matters.panels(employee_member) == []
