"""Login throttling over HTTP (django-axes): 5 wrong passwords for one username from one address
lock that pair out, and then even the right password is refused with the locked-out page.

Axes is off under pytest (settings: ``AXES_ENABLED`` is False when ENNOSHITA_ENV=test). Axes reads
``settings.AXES_ENABLED`` at call time (middleware, backend, signal handlers), so the ``settings``
fixture turns it on for these tests only.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY

from tests.conftest import PASSWORD

LOGIN = "/login/"
LOCKED_TITLE = "ログインを一時停止しました"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    assert settings.AXES_FAILURE_LIMIT == 5
    return settings


def _post(client, username: str, password: str, ip: str = "192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_out_even_the_right_one(client, axes_on, admin):
    for _ in range(4):
        r = _post(client, "admin1", "wrong-password-1")
        assert r.status_code == 200
        assert "core/login.html" in [t.name for t in r.templates]
    r = _post(client, "admin1", "wrong-password-1")  # the fifth failure locks
    assert r.status_code == 429

    r = _post(client, "admin1", PASSWORD)

    assert r.status_code == 429
    assert LOCKED_TITLE in r.content.decode()
    assert AUTH_SESSION_KEY not in client.session
    assert client.get("/").status_code == 302  # still signed out
    # The refused right password is recorded as one more failure, not as a sign-in.
    assert AccessAttempt.objects.get(username="admin1").failures_since_start == 6


def test_the_lock_is_per_username_and_address(client, axes_on, admin, hr):
    for _ in range(5):
        _post(client, "admin1", "wrong-password-1")

    # Another user from the same address, and the same user from another address, still sign in.
    assert _post(client, "hr1", PASSWORD).status_code == 302
    client.logout()
    assert _post(client, "admin1", PASSWORD, ip="198.51.100.7").status_code == 302


def test_four_failures_then_success_resets_the_count(client, axes_on, admin):
    for _ in range(4):
        _post(client, "admin1", "wrong-password-1")
    assert _post(client, "admin1", PASSWORD).status_code == 302  # AXES_RESET_ON_SUCCESS
    client.logout()
    for _ in range(4):
        _post(client, "admin1", "wrong-password-1")
    assert _post(client, "admin1", PASSWORD).status_code == 302


def test_an_operator_reset_lifts_the_lock(client, axes_on, admin):
    for _ in range(5):
        _post(client, "admin1", "wrong-password-1")
    assert _post(client, "admin1", PASSWORD).status_code == 429

    axes_reset(username="admin1")  # what `manage.py axes_reset_username admin1` does

    r = _post(client, "admin1", PASSWORD)
    assert r.status_code == 302
    assert r.url == "/"


def test_throttling_is_off_in_ordinary_tests(client, settings, admin):
    assert settings.AXES_ENABLED is False
    for _ in range(6):
        _post(client, "admin1", "wrong-password-1")
    assert _post(client, "admin1", PASSWORD).status_code == 302
