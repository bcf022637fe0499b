from django.test import RequestFactory

from ennoshita.core.web import client_ip


def test_without_proxies_the_socket_address_counts(settings):
    settings.ENNOSHITA_PROXY_COUNT = 0
    r = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(r) == "10.0.0.9"


def test_behind_one_proxy_the_forwarded_address_counts(settings):
    settings.ENNOSHITA_PROXY_COUNT = 1
    # The client may forge entries on the left; only what our proxy appended is trusted.
    r = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(r) == "203.0.113.7"


def test_behind_two_proxies(settings):
    settings.ENNOSHITA_PROXY_COUNT = 2
    r = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2"
    )
    assert client_ip(r) == "203.0.113.7"
