"""Core screens over HTTP: home, company switch, members and roles, password, API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ennoshita.core.models import ApiToken, AuditEvent, Membership, User
from ennoshita.core.tenancy import SESSION_KEY

from ..conftest import PASSWORD, make_member


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_sign_in_and_out(client, admin):
    response = client.post("/login/", {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "承認待ち" in html and "やること" in html and "お知らせ" in html
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_says_so(client, admin):
    response = client.post("/login/", {"username": "admin1", "password": "wrong-password"})
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()


def test_navigation_shows_only_what_the_role_may_use(company, admin, employee_member, as_member):
    html = as_member(employee_member).get("/").content.decode()
    assert "自分の社員情報" in html
    assert "社員一覧" not in html and "監査ログ" not in html
    html = as_member(admin).get("/").content.decode()
    assert "監査ログ" in html and "ユーザーとロール" in html


def test_switch_company(client, company, other_company):
    m1 = make_member(company, "both", ["admin"])
    make_member(other_company, "both", ["hr"])
    client.force_login(m1.user)
    html = client.get("/").content.decode()
    assert 'id="company-switch"' in html and other_company.name in html
    response = client.post("/switch-company/", {"company": other_company.pk})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == other_company.pk
    assert other_company.name in client.get("/").content.decode()


def test_cannot_switch_to_a_company_one_does_not_belong_to(client, admin, other_company):
    client.force_login(admin.user)
    client.get("/")
    assert client.post("/switch-company/", {"company": other_company.pk}).status_code == 404
    assert client.session[SESSION_KEY] == admin.company_id


def test_an_expired_assistant_has_no_company(client, company):
    m = make_member(company, "helper", ["assistant"], expires_on=timezone.localdate() - timedelta(days=1))
    client.force_login(m.user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/no-company/"


def test_admin_adds_a_member_with_roles(company, admin, as_member):
    client = as_member(admin)
    response = client.post(
        "/admin/members/",
        {
            "username": "newhr",
            "last_name": "新",
            "first_name": "人事",
            "password": "a-Long-passw0rd",
            "roles": ["hr", "manager"],
        },
    )
    assert response.status_code == 302
    m = Membership.objects.get(company=company, user__username="newhr")
    assert m.roles == ["hr", "manager"]
    assert AuditEvent.objects.filter(
        company=company, object_type="core.membership", object_id=str(m.pk)
    ).exists()


def test_an_assistant_needs_an_expiry_date(company, admin, as_member):
    response = as_member(admin).post("/admin/members/", {"username": "outside", "roles": ["assistant"]})
    assert response.status_code == 400
    assert "有効期限を入力してください" in response.content.decode()
    assert not User.objects.filter(username="outside").exists()


def test_only_admins_manage_members(company, hr, as_member):
    assert as_member(hr).post("/admin/members/", {"username": "x", "roles": ["admin"]}).status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_change_password(client, admin, as_member):
    c = as_member(admin)
    bad = c.post("/profile/password/", {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert bad.status_code == 400 and "現在のパスワードが正しくありません" in bad.content.decode()
    ok = c.post(
        "/profile/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Brand-new-pass-42",
            "new_password2": "Brand-new-pass-42",
        },
    )
    assert ok.status_code == 302
    admin.user.refresh_from_db()
    assert admin.user.check_password("Brand-new-pass-42")
    ev = AuditEvent.objects.filter(action="password_change").last()
    assert "pbkdf2" not in str(ev.changes) and "md5" not in str(ev.changes)


def test_api_token_is_shown_once_and_can_be_revoked(admin, as_member):
    c = as_member(admin)
    posted = c.post("/profile/", {"name": "給与ソフト連携"})
    assert posted.status_code == 302
    html = c.get(posted["Location"]).content.decode()
    token = ApiToken.objects.get(membership=admin)
    assert 'id="new-token"' in html and "enno_" in html
    raw = html.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("enno_") and token.token_hash not in html
    assert "enno_" not in c.get("/profile/").content.decode().split("api-tokens")[1].split("<form")[
        0
    ].replace("enno_…", "")
    assert c.get("/api/v1/people/departments", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    c.post(f"/profile/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_one_cannot_revoke_someone_elses_token(admin, hr, as_member):
    from ennoshita.core.services import create_api_token

    token, _ = create_api_token(membership=hr, name="hr token")
    assert as_member(admin).post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
