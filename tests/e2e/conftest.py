"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live server.

Follows /work/shared/RECIPES.md ("Browser tests: Playwright with Debian's Chromium"):

- Chromium is ``$CHROMIUM_PATH`` (default ``/usr/bin/chromium``); nothing is ever downloaded
  (no ``playwright install``). Missing Chromium skips these tests with a reason on a workstation,
  and fails them when ``CI`` is set, so that CI never goes green without running the browser.
- Every test under tests/e2e is marked ``browser`` (``pytest -m "not browser"`` leaves them out).
- The live server needs real rows visible to its thread: ``live_server`` pulls in
  ``transactional_db`` (pytest-django does that itself; the personas of tests/conftest.py then
  write through the services, committed).
- Playwright's sync API marks an asyncio loop as running in the main thread for as long as
  Playwright is started, and Django's ORM refuses to run there (``SynchronousOnlyOperation``).
  So the Playwright fixtures are *module*-scoped here (pytest-playwright makes them session-scoped):
  Playwright stops at the end of each browser module, and ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set
  only while a browser module runs, never for the rest of the suite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
E2E_DIR = Path(__file__).resolve().parent


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _chromium_missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-ipafont, or set CHROMIUM_PATH)"
        )
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Called with every collected item of the session, not only ours: filter by path.
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None:
        return
    reason = _chromium_missing()
    if reason is None:
        return
    if _in_ci():
        pytest.fail(f"CI is set and the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module", autouse=True)
def _django_allow_async_unsafe() -> Iterator[None]:
    """Set for the browser modules only (module scope: it outlives every function fixture of the
    module, including the transactional flush at each test's end)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# --- Playwright fixtures, overridden (see the module docstring for why module scope) -------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="module")
def playwright(_django_allow_async_unsafe: None) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name: str | None):
    return getattr(playwright, browser_name or "chromium")


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args: dict, browser_type, connect_options):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser) -> Iterator:
    b = launch_browser()
    yield b
    b.close()


@pytest.fixture(scope="module")
def browser_context_args(playwright) -> dict:
    return {"locale": "ja-JP", "timezone_id": "Asia/Tokyo", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(autouse=True)
def _short_timeouts(request: pytest.FixtureRequest) -> None:
    """Fail in seconds, not after Playwright's 30 s default, when a selector is wrong."""
    if "page" in request.fixturenames:
        from playwright.sync_api import expect

        page = request.getfixturevalue("page")
        page.set_default_timeout(5_000)
        page.set_default_navigation_timeout(10_000)
        expect.set_options(timeout=5_000)


@pytest.fixture
def login_as(page, live_server):
    """Sign a membership in without the form (a session cookie from ``force_login``), for the
    tests about what comes after signing in; the form itself is tested on its own."""

    def _login_as(membership, path: str = "/"):
        from django.conf import settings
        from django.test import Client

        from ennoshita.core.tenancy import SESSION_KEY

        client = Client()
        client.force_login(membership.user)
        session = client.session
        session[SESSION_KEY] = membership.company_id
        session.save()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )
        page.goto(live_server.url + path)
        return page

    return _login_as
