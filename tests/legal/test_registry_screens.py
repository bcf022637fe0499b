"""登記・機関 screens: the home (terms ending red, pending 登記 with days left / overdue and the 過料
note), officers (appoint, 重任, 退任), registered items with history, filed / registered, meetings with
the 基準日 refusal and minutes, the 定款 form; roles (経理 reads, others 403, assistant 403), another
company's ids 404, pinned query counts."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from ennoshita.documents.demo import pdf
from ennoshita.legal.models import CharterSettings, CorporateMeeting, Officer, RegistryChange
from ennoshita.legal.services import registry as services
from tests.conftest import make_member

from .test_registry_fixtures import appoint, charter, today

pytest_plugins = ["tests.legal.test_registry_fixtures"]


def test_home_shows_terms_and_pending_filings(as_member, org):
    charter(org)
    near = appoint(org, "任期 近子")
    Officer.objects.filter(pk=near.pk).update(term_ends_on=today() + timedelta(days=45))
    RegistryChange.objects.filter(officer=near).update(filed_on=today())
    services.record_registry_change(
        **org.w(),
        data=services.ChangeInput(
            item="head_office", content="大阪市北区", effective_on=today() - timedelta(days=20)
        ),
    )
    r = as_member(org.legal).get(reverse("legal:registry_home"))
    assert r.status_code == 200
    assert "任期 近子" in r.text and "あと45日" in r.text and "term-soon" in r.text
    assert "大阪市北区" in r.text and "期限を6日過ぎています" in r.text and "976条" in r.text
    assert "次の定時株主総会" in r.text


def test_charter_form_saves_and_refuses(as_member, org):
    client = as_member(org.legal)
    r = client.get(reverse("legal:registry_home"))
    assert 'id="no-charter"' in r.text
    body = {
        "is_public_company": "on",
        "has_board": "on",
        "director_term_years": "10",
        "auditor_term_years": "4",
        "agm_months_after_year_end": "3",
    }
    r = client.post(reverse("legal:registry_charter"), body)
    assert r.status_code == 400 and "332条" in r.text and CharterSettings.objects.count() == 0
    r = client.post(
        reverse("legal:registry_charter"), {**body, "is_public_company": "", "director_term_years": "10"}
    )
    assert r.status_code == 302 and CharterSettings.objects.get().director_term_years == 10
    r = as_member(org.accounting).get(reverse("legal:registry_charter"))
    assert r.status_code == 200 and "10年" in r.text and 'id="charter-form"' not in r.text


def test_appoint_reelect_and_leave_from_the_screens(as_member, org):
    charter(org)
    client = as_member(org.legal)
    r = client.post(
        reverse("legal:officer_new"),
        {"name": "", "position": "director", "elected_on": "2026-06-26", "took_office_on": "2026-06-20"},
    )
    assert r.status_code == 400 and Officer.objects.count() == 0
    r = client.post(
        reverse("legal:officer_new"),
        {
            "name": "山田 太郎",
            "position": "director",
            "elected_on": "2024-06-27",
            "took_office_on": "2024-06-27",
        },
    )
    officer = Officer.objects.get()
    assert r.status_code == 302 and officer.term_ends_on == date(2026, 6, 30)
    r = client.get(reverse("legal:officer_detail", args=[officer.pk]))
    assert "2026-06-30" in r.text and "就任" in r.text
    r = client.post(
        reverse("legal:officer_reelect", args=[officer.pk]),
        {"elected_on": "2026-06-26", "took_office_on": "2026-06-26"},
    )
    new = Officer.objects.get(previous=officer)
    assert r.status_code == 302 and r.url == reverse("legal:officer_detail", args=[new.pk])
    r = client.get(reverse("legal:officer_detail", args=[new.pk]))
    assert "重任" in r.text and "2028-06-30" in r.text
    r = client.post(
        reverse("legal:officer_leave", args=[new.pk]), {"reason": "resigned", "left_on": "2026-06-01"}
    )
    assert r.status_code == 400 and Officer.objects.get(pk=new.pk).left_on is None
    r = client.post(
        reverse("legal:officer_leave", args=[new.pk]), {"reason": "resigned", "left_on": "2026-07-01"}
    )
    assert r.status_code == 302 and Officer.objects.get(pk=new.pk).leave_reason == "resigned"


def test_items_with_history_filed_and_registered(as_member, org):
    client = as_member(org.legal)
    services.record_registry_change(
        **org.w(),
        data=services.ChangeInput(
            item="head_office",
            content="東京都港区",
            effective_on=date(2020, 4, 1),
            filed_on=date(2020, 4, 5),
            registered_on=date(2020, 4, 12),
        ),
    )
    r = client.post(
        reverse("legal:change_new"),
        {"item": "head_office", "content": "東京都千代田区", "effective_on": today().isoformat()},
    )
    change = RegistryChange.objects.get(content="東京都千代田区")
    assert r.status_code == 302
    r = client.get(reverse("legal:change_list"))
    assert r.text.index("東京都千代田区") < r.text.index("東京都港区") and "最新" in r.text
    client.post(
        reverse("legal:change_filed", args=[change.pk]),
        {"filed_on": (today() - timedelta(days=1)).isoformat()},
    )
    assert RegistryChange.objects.get(pk=change.pk).filed_on is None  # before the effect: refused
    client.post(reverse("legal:change_filed", args=[change.pk]), {"filed_on": today().isoformat()})
    client.post(reverse("legal:change_registered", args=[change.pk]), {"registered_on": today().isoformat()})
    change.refresh_from_db()
    assert change.filed_on == today() and change.registered_on == today()
    r = client.get(reverse("legal:change_detail", args=[change.pk]))
    assert "変更履歴" in r.text


def test_meetings_with_record_date_and_minutes(as_member, org, settings, tmp_path):
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)
    client = as_member(org.legal)
    body = {
        "kind": "agm",
        "title": "第10期定時株主総会",
        "held_on": "2026-07-01",
        "record_date": "2026-03-31",
    }
    r = client.post(reverse("legal:meeting_new"), body)
    assert r.status_code == 400 and "124条2項" in r.text and CorporateMeeting.objects.count() == 0
    r = client.post(reverse("legal:meeting_new"), {**body, "held_on": "2026-06-26"})
    meeting = CorporateMeeting.objects.get()
    assert r.status_code == 302 and meeting.keep_minutes_until == date(2036, 6, 26)
    upload = {"file": _file(), "comment": "署名済み"}
    r = client.post(reverse("legal:meeting_minutes_new", args=[meeting.pk]), upload)
    assert r.status_code == 302
    r = client.get(reverse("legal:meeting_list"))
    assert "2036-06-26" in r.text and reverse("legal:meeting_minutes", args=[meeting.pk]) in r.text
    r = as_member(org.accounting).get(reverse("legal:meeting_minutes", args=[meeting.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "minutes.pdf", pdf("議事録", ["第10期定時株主総会"]), content_type="application/pdf"
    )


def test_roles(as_member, org):
    charter(org)
    o = appoint(org)
    client = as_member(org.accounting)
    assert client.get(reverse("legal:registry_home")).status_code == 200
    assert client.get(reverse("legal:officer_detail", args=[o.pk])).status_code == 200
    assert client.get(reverse("legal:officer_new")).status_code == 403
    r = client.post(
        reverse("legal:officer_leave", args=[o.pk]), {"reason": "resigned", "left_on": today().isoformat()}
    )
    assert r.status_code == 403 and Officer.objects.get(pk=o.pk).left_on is None
    r = client.post(reverse("legal:registry_charter"), {"director_term_years": "1"})
    assert r.status_code == 403
    for who in (org.employee, org.assistant):
        client = as_member(who)
        # the outside assistant team is kept off ungranted screens altogether (404 or 403)
        assert client.get(reverse("legal:registry_home")).status_code in (403, 404)
        assert client.get(reverse("legal:officer_detail", args=[o.pk])).status_code in (403, 404)
    assert as_member(org.admin).get(reverse("legal:officer_new")).status_code == 200


def test_another_companys_ids_are_404(as_member, org, other_company):
    charter(org)
    o = appoint(org)
    change = RegistryChange.objects.get()
    outsider = make_member(other_company, "legal9", ["legal", "admin"])
    client = as_member(outsider)
    assert client.get(reverse("legal:officer_detail", args=[o.pk])).status_code == 404
    assert client.get(reverse("legal:change_detail", args=[change.pk])).status_code == 404
    r = client.post(reverse("legal:change_filed", args=[change.pk]), {"filed_on": today().isoformat()})
    assert r.status_code == 404 and RegistryChange.objects.get().filed_on is None


def test_list_query_counts_are_pinned(as_member, org, django_assert_max_num_queries):
    charter(org)
    appoint(org, "一")
    services.record_meeting(
        **org.w(), data=services.MeetingInput(kind="board", title="取締役会", held_on=today())
    )
    client = as_member(org.legal)
    urls = [
        reverse(n)
        for n in ("legal:registry_home", "legal:officer_list", "legal:change_list", "legal:meeting_list")
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(20) as first:
            assert client.get(url).status_code == 200
        counts[url] = len(first.captured_queries)
    for i in range(8):
        appoint(org, f"役員{i}")
        services.record_meeting(
            **org.w(), data=services.MeetingInput(kind="board", title=f"取締役会{i}", held_on=today())
        )
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
