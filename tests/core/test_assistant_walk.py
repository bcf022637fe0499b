"""The outside assistant team sees only what its open requests name (issue 11, ARCHITECTURE.md
"Access for the outside team").

A signed-in outside assistant of company A, with an API token, opens every URL of the project —
every page and every API endpoint, with company A's own objects of every kind (the tenancy walk's
world) in the id-taking ones — and gets an answer only from the few pages every person has (their
home, profile, password, notifications) and the requests app, whose own tests prove what it shows.
Everything else answers 404 (or 405 for a POST-only URL), every refusal is recorded in the audit
trail as ``access_denied``, and nothing else is written.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ennoshita.core import services as core_services
from ennoshita.core.models import AuditEvent
from tests.conftest import login, make_member
from tests.core.test_tenancy import ROUTES, _rows, build_world

# Pages every signed-in person has. Besides them, the lists of the requests app (which shows an
# assistant their team's open requests: tests/requests/) and of the documents app (which shows them
# only what is shared with them personally) answer; every URL naming a record of company A that no
# request of theirs names answers 404, those two apps' included.
REACHABLE = {
    "home",
    "core:profile",
    "core:password_change",
    "core:notifications",
    "core:no_company",
    "set_language",
    # the API's description: the same document for anyone, no company's data in it
    "api:openapi-json",
    "api:openapi-view",
}
OPEN_PREFIXES = ("/requests/", "/documents/", "/api/v1/requests/", "/api/v1/documents/")
# What a refusal may look like: not found, or a URL that does not answer GET at all.
REFUSED = {404, 405}


def every_named_route() -> list[tuple[str, dict[str, object]]]:
    """(url name, converters) of every named URL of the project, the API's included."""
    found: list[tuple[str, dict[str, object]]] = []

    def walk(resolver: URLResolver, namespace: str | None, converters: dict[str, object]) -> None:
        for p in resolver.url_patterns:
            conv = {**converters, **p.pattern.converters}
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p, ns, conv)
            elif isinstance(p, URLPattern) and p.name:
                found.append((f"{namespace}:{p.name}" if namespace else p.name, conv))

    walk(get_resolver(), None, {})
    return found


def _url(name: str, converters: dict[str, object], world) -> str | None:
    if name in ROUTES:
        kwargs = {arg: world.objects[kind].pk for arg, kind in ROUTES[name].args.items()}
        return reverse(name, kwargs=kwargs)
    if converters:
        return None  # a URL with other arguments (a date, a slug): listed below, checked by hand
    return reverse(name)


@pytest.fixture
def world(db, settings, tmp_path):
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)
    return build_world("株式会社エー", "staff_a")


def test_an_assistant_reaches_nothing_but_their_own_pages(client, world):
    assistant = make_member(
        world.company, "helper", ["assistant"], expires_on=timezone.localdate() + timedelta(days=30)
    )
    _token, raw = core_services.create_api_token(membership=assistant, name="outside")
    login(client, assistant)
    client.raise_request_exception = False  # a 500 is reported with the rest, not alone
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    routes = every_named_route()
    assert len(routes) > 300, "the walk found too few URLs: it is broken"

    before = _rows()
    events_before = AuditEvent.objects.filter(company=world.company).count()
    leaks, skipped, reached = [], [], []
    refused = not_found = 0
    for name, converters in routes:
        if name in ("core:logout", "core:login") or name.startswith("admin:"):
            continue
        url = _url(name, converters, world)
        if url is None:
            skipped.append(name)
            continue
        r = client.get(url, **auth)
        not_found += r.status_code == 404
        if name in REACHABLE or (name not in ROUTES and url.startswith(OPEN_PREFIXES)):
            reached.append((name, r.status_code))
            if r.status_code >= 500:
                leaks.append(f"{name} GET {url} → {r.status_code}")
            continue
        if r.status_code in REFUSED:
            refused += 1
        elif r.status_code in (301, 302) and "/login/" not in r.get("Location", ""):
            leaks.append(f"{name} GET {url} → redirect {r.status_code} {r.get('Location')}")
        else:
            leaks.append(f"{name} GET {url} → {r.status_code}")
    assert not leaks, "an outside assistant reached:\n" + "\n".join(leaks)
    assert refused > 300
    # the home page and the profile answer them
    assert ("home", 200) in reached and ("core:profile", 200) in reached
    # URLs with arguments other than ids cannot be filled in generically; keep them few and known
    assert len(skipped) < 40, skipped

    after = _rows()
    written = {label for label in before if before[label] != after[label]}
    # the only writes: the audit trail of the pages opened and refused, and the session
    assert written <= {"core.AuditEvent", "core.AuditChainHead", "sessions.Session"}, written
    actions = list(
        AuditEvent.objects.filter(company=world.company).order_by("pk").values_list("action", flat=True)
    )[events_before:]
    # every 404 is an access_denied event; every page opened is a page_view event
    assert actions.count("access_denied") >= not_found > 300  # the requests app records its own too
    assert actions.count("page_view") >= len(reached)


def test_every_refusal_is_recorded_with_the_path(client, world):
    assistant = make_member(
        world.company, "helper", ["assistant"], expires_on=timezone.localdate() + timedelta(days=30)
    )
    login(client, assistant)
    customer = world.objects["sales_customer"]
    url = reverse("sales:customer_detail", args=[customer.pk])
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.filter(company=world.company, action="access_denied").latest("pk")
    assert event.object_id == url and event.actor_id == assistant.user_id
