def test_japanese_is_the_default_whatever_the_browser_says(client, db):
    html = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja">' in html and "ログイン" in html


def test_the_users_choice_counts(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 302
    html = client.get("/login/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<html lang="en">' in html and "Log in" in html


def test_an_unknown_language_cookie_falls_back_to_japanese(client, db):
    client.cookies["django_language"] = "fr"
    assert '<html lang="ja">' in client.get("/login/").content.decode()
