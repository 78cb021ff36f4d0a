"""Login, sessions, rate limiting, security headers, redirects, language."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.web.conftest import Site, build_site, email, store


def test_login_and_logout(fresh_sqlite: Site) -> None:
    client = fresh_sqlite.client()
    bad = client.post("/login", {"email": email("kg"), "password": "wrong"})
    assert bad.status_code == 401
    assert "Wrong e-mail or password" in bad.get_data(as_text=True)
    assert email("kg") in bad.get_data(as_text=True)  # the e-mail typed is kept
    good = client.login("kg")
    assert good.status_code == 302
    cookie = good.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_login_is_rate_limited(fresh_sqlite: Site) -> None:
    client = fresh_sqlite.client()
    for _ in range(5):
        assert client.post("/login", {"email": email("kg"), "password": "x"}).status_code == 401
    limited = client.post("/login", {"email": email("kg"), "password": "pw-kg"})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    # the limit is per account and address: the same address may still try another
    # account (tests/web/test_sessions_tokens.py: the address limit across accounts, and
    # the account's owner from another address)
    assert client.post("/login", {"email": email("atp"), "password": "x"}).status_code == 401


def test_empty_login_fields_are_422(fresh_sqlite: Site) -> None:
    response = fresh_sqlite.client().post("/login", {"email": "", "password": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-errors"' in html
    assert 'id="password-errors"' in html


def test_no_open_redirect_after_login(fresh_sqlite: Site) -> None:
    client = fresh_sqlite.client()
    response = client.post(
        "/login", {"email": email("kg"), "password": "pw-kg", "next": "//evil.example/x"}
    )
    assert response.headers["Location"] == "/"


def test_security_headers(site: Site) -> None:
    response = site.client().get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_output_is_escaped(fresh: Site) -> None:
    atp = fresh.client("atp")
    response = atp.post(
        "/cases/new",
        {
            "group_id": str(fresh.world.groups["atp"]),
            "title": "<script>alert(1)</script>",
            "summary": "S",
        },
    )
    html = atp.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_secret_key_generated_once_with_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CASEFLOW_SECRET_KEY", raising=False)
    with store("sqlite", tmp_path) as url:
        from web import create_app

        instance = str(tmp_path / "instance")
        flask_app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance})
        try:
            key_file = Path(instance) / "secret_key"
            assert key_file.exists()
            assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
            again = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance})
            assert again.config["SECRET_KEY"] == flask_app.config["SECRET_KEY"]
            again.extensions["caseflow"].close()
        finally:
            flask_app.extensions["caseflow"].close()


def test_norwegian_is_the_default_and_english_can_be_chosen(tmp_path: Path) -> None:
    with store("sqlite", tmp_path) as url:
        site = build_site(url, tmp_path, LANGUAGE="nb")
        try:
            client = site.client("sekretariat")
            page = client.get("/").get_data(as_text=True)
            assert "Statusoversikt" in page
            assert 'lang="nb"' in page
            assert "08.12.2099" in page  # Norwegian date format
            client.post("/language", {"lang": "en", "next": "/"})
            assert "Status overview" in client.get("/").get_data(as_text=True)
        finally:
            site.app.close()
