"""Sessions, logins, tokens and who sees e-mail addresses (issue 12 findings 4, 5 and 10),
on both stores: a session ends at logout for every worker, idles out and expires; login
throttling is per account *and* address, with backoff, shared by workers; an unknown
account costs what a known one does; a hidden case answers like a missing one; API tokens
expire and are revoked; only those who need them see e-mail addresses."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from caseflow.domain import clock
from tests.conftest import PRODUCTION_SCRYPT_N
from tests.web.conftest import Client, Site, build_site, email, store
from web import create_app


class Clock:
    """The domain clock, moved by the test (``clock.frozen_at``) instead of sleeping."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kw: float) -> None:
        self.at += timedelta(**kw)


@pytest.fixture
def moment() -> Iterator[Clock]:
    c = Clock()
    with clock.frozen_at(c):
        yield c


def session_of(flask: Flask, client: Client) -> dict[str, Any]:
    """The contents of the client's (signed) session cookie."""
    cookie = client.http.get_cookie("session")
    if cookie is None:
        return {}
    serializer = flask.session_interface.get_signing_serializer(flask)  # type: ignore[attr-defined]
    return dict(serializer.loads(cookie.value))


def login_from(client: Client, key: str, address: str, password: str | None = None) -> Any:
    return client.post(
        "/login",
        {"email": email(key), "password": password or f"pw-{key}"},
        environ_base={"REMOTE_ADDR": address},
    )


def last_position(site: Site) -> int:
    return int(site.app.recorder.max_notification_id() or 0)


def second_worker(site: Site, tmp: Path) -> Flask:
    """Another web worker (process) on the same store and secret key."""
    return create_app(
        {
            "DATABASE_URL": site.flask.config["DATABASE_URL"],
            "SECRET_KEY": "test-secret",
            "TESTING": True,
            "LANGUAGE": "en",
            "INSTANCE_PATH": str(tmp / "instance2"),
        }
    )


# -- sessions ----------------------------------------------------------------------------


def test_cookie_replayed_after_logout_is_refused_by_every_worker(
    fresh: Site, tmp_path: Path
) -> None:
    victim = fresh.client("sekretariat")
    csrf = victim.token()
    assert victim.get("/api/v1/me").status_code == 200
    copied = victim.http.get_cookie("session")
    assert copied is not None
    assert victim.post("/logout").status_code == 302
    recorded = last_position(fresh)

    worker2 = second_worker(fresh, tmp_path)
    try:
        for flask in (fresh.flask, worker2):
            thief = flask.test_client()
            thief.set_cookie("session", copied.value)
            me = thief.get("/api/v1/me")
            thief.set_cookie("session", copied.value)  # replayed as copied, every time
            assert me.status_code == 401
            assert me.get_json()["error"]["code"] == "session_ended"
            created = thief.post(
                "/api/v1/people",
                json={
                    "name": "Inntrenger",
                    "email": "inn@test.caseflow.no",
                    "organisation": "Oslo",
                },
                headers={"X-CSRFToken": csrf},
            )
            assert created.status_code == 401  # CSRF passes: the copy carries its token
            assert set(created.get_json()["error"]) == {"code", "message", "rule", "fields"}
            thief.set_cookie("session", copied.value)
            page = thief.get("/")
            assert page.status_code == 302
            assert "/login" in page.headers["Location"]
    finally:
        worker2.extensions["caseflow"].close()
    assert last_position(fresh) == recorded  # nothing recorded
    assert fresh.app.find_person_by_email("inn@test.caseflow.no") is None
    # the owner logs in again and works
    again = fresh.client("sekretariat")
    assert again.get("/api/v1/me").status_code == 200


def test_logout_is_an_event_of_the_account(fresh: Site) -> None:
    client = fresh.client("kg")
    client.post("/logout")
    revisor = fresh.client("revisor")
    trail = revisor.get("/api/v1/audit?type=SessionsEnded").get_json()
    assert trail["total"] == 1
    assert trail["items"][0]["actor"] == str(fresh.world["kg"])
    assert trail["items"][0]["role"] == "self"


def test_session_idles_out(site: Site, moment: Clock) -> None:
    client = site.client("atp")
    assert client.get("/api/v1/me").status_code == 200
    for _ in range(3):  # used every 29 minutes: still good
        moment.advance(minutes=29)
        assert client.get("/api/v1/me").status_code == 200
    moment.advance(minutes=31)
    idle = client.get("/api/v1/me")
    assert idle.status_code == 401
    assert idle.get_json()["error"]["code"] == "session_expired"
    assert client.get("/").status_code == 302


def test_session_has_an_absolute_lifetime(site: Site, moment: Clock) -> None:
    client = site.client("atp-leder")
    for _ in range(28):  # busy for 11 h 40 min
        moment.advance(minutes=25)
        assert client.get("/api/v1/me").status_code == 200
    moment.advance(minutes=25)  # 12 h 5 min after login, though never idle
    expired = client.get("/api/v1/me")
    assert expired.status_code == 401
    assert expired.get_json()["error"]["code"] == "session_expired"
    assert site.client("atp-leder").get("/api/v1/me").status_code == 200


def test_session_limits_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEFLOW_SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("CASEFLOW_SESSION_MAX_HOURS", "1.5")
    monkeypatch.setenv("CASEFLOW_SECURE_COOKIES", "1")
    monkeypatch.setenv("CASEFLOW_PROXIES", "1")
    with store("sqlite", tmp_path) as url:
        flask = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "i")})
        try:
            assert flask.config["SESSION_IDLE_MINUTES"] == 5
            assert flask.config["SESSION_MAX_HOURS"] == 1.5
            assert flask.config["SESSION_COOKIE_SECURE"] is True
            assert flask.config["PROXIES"] == 1
        finally:
            flask.extensions["caseflow"].close()
    monkeypatch.delenv("CASEFLOW_SECURE_COOKIES")
    monkeypatch.setenv("CASEFLOW_BASE_URL", "https://caseflow.example")
    with store("sqlite", tmp_path / "b") as url:
        flask = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "j")})
        try:
            assert flask.config["SESSION_COOKIE_SECURE"] is True  # https: secure by default
        finally:
            flask.extensions["caseflow"].close()


def test_session_id_is_new_at_each_login(site: Site) -> None:
    client = site.client()
    client.token()  # an anonymous session (its CSRF token)
    with client.http.session_transaction() as planted:
        planted["planted"] = "by an attacker"
        planted["lang"] = "en"
    before = session_of(site.flask, client)
    cookie_before = client.http.get_cookie("session").value  # type: ignore[union-attr]
    client.login("kg")
    first = session_of(site.flask, client)
    assert "planted" not in first
    assert first.get("lang") == "en"
    assert first["_sid"]
    assert first.get("csrf_token") != before.get("csrf_token")
    client.login("kg")
    second = session_of(site.flask, client)
    assert second["_sid"] != first["_sid"]
    assert client.http.get_cookie("session").value != cookie_before  # type: ignore[union-attr]


def test_secure_cookie_behind_a_proxy(tmp_path: Path) -> None:
    """Behind one proxy (``CASEFLOW_PROXIES=1``) that ends TLS: the cookie is ``Secure``
    and the address the proxy names in X-Forwarded-For is the one throttled."""
    with store("sqlite", tmp_path) as url:
        site = build_site(url, tmp_path, SESSION_COOKIE_SECURE=True, PROXIES=1)
        try:

            def attempt(key: str, password: str, forwarded_for: str) -> Any:
                http = site.flask.test_client()
                https = {"base_url": "https://localhost"}
                page = http.get("/login", **https).get_data(as_text=True)
                token = re.search(r'name="csrf-token" content="([^"]+)"', page)
                assert token
                return http.post(
                    "/login",
                    data={"csrf_token": token.group(1), "email": email(key), "password": password},
                    headers={
                        "X-Forwarded-For": forwarded_for,
                        "X-Forwarded-Proto": "https",
                        "Referer": "https://localhost/login",
                    },
                    **https,
                )

            response = attempt("kg", "pw-kg", "198.51.100.1")
            assert response.status_code == 302
            assert "Secure" in response.headers["Set-Cookie"]
            for _ in range(5):
                assert attempt("atp", "x", "203.0.113.9").status_code == 401
            assert attempt("atp", "pw-atp", "203.0.113.9").status_code == 429
            assert attempt("atp", "pw-atp", "198.51.100.4").status_code == 302
        finally:
            site.app.close()


# -- login throttling ------------------------------------------------------------------------


def test_wrong_passwords_from_one_address_do_not_lock_out_another(
    fresh: Site, tmp_path: Path
) -> None:
    attacker = fresh.client()
    for _ in range(8):
        status = login_from(attacker, "kg-leder", "10.0.0.66", "guess").status_code
        assert status in (401, 429)
    assert login_from(attacker, "kg-leder", "10.0.0.66").status_code == 429
    owner = login_from(fresh.client(), "kg-leder", "10.0.0.77")
    assert owner.status_code == 302
    worker2 = second_worker(fresh, tmp_path)
    try:  # the other worker counts the same failures
        other = Client(worker2.test_client())
        assert login_from(other, "kg-leder", "10.0.0.66").status_code == 429
        assert login_from(other, "kg-leder", "10.0.0.78").status_code == 302
    finally:
        worker2.extensions["caseflow"].close()


def test_backoff_doubles_for_the_attacking_address(fresh: Site, moment: Clock) -> None:
    attacker = fresh.client()
    for _ in range(5):
        assert login_from(attacker, "atp", "10.1.1.1", "guess").status_code == 401
    first = login_from(attacker, "atp", "10.1.1.1")
    assert first.status_code == 429
    assert 25 <= int(first.headers["Retry-After"]) <= 30
    moment.advance(seconds=31)
    assert login_from(attacker, "atp", "10.1.1.1", "guess").status_code == 401
    second = login_from(attacker, "atp", "10.1.1.1")
    assert second.status_code == 429
    assert 55 <= int(second.headers["Retry-After"]) <= 60
    moment.advance(seconds=61)
    assert login_from(attacker, "atp", "10.1.1.1", "guess").status_code == 401
    third = login_from(attacker, "atp", "10.1.1.1")
    assert third.status_code == 429
    assert 115 <= int(third.headers["Retry-After"]) <= 120
    moment.advance(seconds=121)
    assert login_from(attacker, "atp", "10.1.1.1").status_code == 302  # right password
    # a correct login clears that account's failures from that address
    assert login_from(fresh.client(), "atp", "10.1.1.1", "typo").status_code == 401


def test_one_address_trying_many_accounts_is_throttled(tmp_path: Path) -> None:
    with store("sqlite", tmp_path) as url:
        site = build_site(url, tmp_path, LOGIN_ADDRESS_LIMIT=3)
        try:
            sprayer = site.client()
            for key in ("kg", "atp", "ntp"):
                assert login_from(sprayer, key, "10.2.2.2", "Sommer2026").status_code == 401
            assert login_from(sprayer, "revisor", "10.2.2.2").status_code == 429
            assert login_from(site.client(), "revisor", "10.2.2.3").status_code == 302
        finally:
            site.app.close()


def test_ipv6_addresses_are_throttled_by_their_64() -> None:
    from web.security import address_key

    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:192.0.2.1") == address_key("192.0.2.1") == "addr:192.0.2.1"


def test_unknown_account_costs_one_scrypt_like_a_known_one(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = site.app
    app.authenticate("nobody@test.caseflow.no", "warm-up")  # the dummy hash is made once
    calls: list[int] = []
    real = hashlib.scrypt

    def counting(*args: Any, **kw: Any) -> bytes:
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    assert app.authenticate(email("kg"), "wrong") is None
    known = len(calls)
    assert app.authenticate("nobody@test.caseflow.no", "wrong") is None
    assert known == 1
    assert len(calls) - known == 1


def test_unknown_account_takes_as_long_as_a_known_one(production_site: Site) -> None:
    """Interleaved tries, fastest of each (the least disturbed by other load), with the
    accounts hashed at the production scrypt cost (the other tests hash cheaply)."""
    app = production_site.app
    app.authenticate("nobody@test.caseflow.no", "warm-up")

    def timed(address: str) -> float:
        started = time.perf_counter()
        app.authenticate(address, "wrong")
        return time.perf_counter() - started

    known, unknown = [], []
    for n in range(7):
        known.append(timed(email("kg")))
        unknown.append(timed(f"nobody{n}@test.caseflow.no"))
    ratio = min(unknown) / min(known)
    assert 0.6 < ratio < 1.5, (known, unknown)


def test_passwords_are_hashed_at_the_production_cost_outside_the_tests() -> None:
    """The tests' cheap scrypt cost (tests/conftest.py) is the tests' alone."""
    code = "from caseflow.application.security import hash_password; print(hash_password('x'))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith(f"scrypt${PRODUCTION_SCRYPT_N}$8$1$"), out
    assert PRODUCTION_SCRYPT_N == 2**14


# -- a hidden case answers like a missing one --------------------------------------------------


def page(response: Any, address: str) -> str:
    text = response.get_data(as_text=True).replace(address, "REF")
    return re.sub(r'(csrf[-_]token"? (?:content|value)=")[^"]+', r"\1TOKEN", text)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_hidden_and_missing_case_answer_the_same(site: Site, lang: str) -> None:
    client = site.client("kg")  # KG does not see a group's proposal before it is accepted
    hidden = site.cases["ntp"]
    headers = {"Accept-Language": lang}
    pairs = [
        (hidden.reference, "OR-2099-999"),
        (str(hidden.id), str(uuid.uuid4())),
        (hidden.reference.lower(), "or-2099-998"),
    ]
    for seen_not, missing in pairs:
        for suffix in ("", "/history"):
            a = client.get(f"/api/v1/cases/{seen_not}{suffix}", headers=headers)
            b = client.get(f"/api/v1/cases/{missing}{suffix}", headers=headers)
            assert a.status_code == b.status_code == 404
            assert a.get_data() == b.get_data()
        a = client.post_json(f"/api/v1/cases/{seen_not}/withdraw", {"reason": "x"}, headers=headers)
        b = client.post_json(f"/api/v1/cases/{missing}/withdraw", {"reason": "x"}, headers=headers)
        assert a.status_code == b.status_code == 404
        assert a.get_data() == b.get_data()
        a = client.get(f"/cases/{seen_not}", headers=headers)
        b = client.get(f"/cases/{missing}", headers=headers)
        assert a.status_code == b.status_code == 404
        # the page links back to its own address (the language switch), and its CSRF
        # tokens are signed with the time: all else is equal
        assert page(a, seen_not) == page(b, missing)
    body = client.get("/api/v1/cases/OR-2099-999", headers=headers).get_json()["error"]
    assert body["message"] == ("fant ikke saken" if lang == "nb" else "Not found.")
    assert "2099" not in str(body)


# -- who sees e-mail addresses ------------------------------------------------------------------


def people(site: Site, key: str) -> dict[str, dict[str, Any]]:
    items = site.client(key).get("/api/v1/people").get_json()["items"]
    names = {str(pid): k for k, pid in site.world.people.items()}
    return {names[p["id"]]: p for p in items}


def with_email(listing: dict[str, dict[str, Any]]) -> set[str]:
    return {k for k, p in listing.items() if "email" in p}


def test_observer_sees_names_and_organisations_only(site: Site) -> None:
    for key in ("observator", "kg-obs"):
        listing = people(site, key)
        assert len(listing) == len(site.world.people)
        assert with_email(listing) == set()
        assert all("system_roles" not in p for p in listing.values())
        assert all(p["name"] and p["organisation"] for p in listing.values())
        response = site.client(key).get("/api/v1/people").get_data(as_text=True)
        assert "@test.caseflow.no" not in response
        assert '"email"' not in response


def test_members_see_their_groups_addresses(site: Site) -> None:
    assert with_email(people(site, "atp")) == {"atp-leder", "atp", "observator"}
    assert with_email(people(site, "kg")) == {"kg-leder", "kg", "kg2", "kg-obs"}
    everyone = set(site.world.people)
    for key in ("sekretariat", "revisor"):
        listing = people(site, key)
        assert with_email(listing) == everyone
        assert listing["sekretariat"]["system_roles"] == ["secretariat"]
    assert all("system_roles" not in p for p in people(site, "atp").values())


def test_group_pages_and_api_show_no_addresses(site: Site) -> None:
    client = site.client("observator")
    for url in ("/api/v1/groups", f"/api/v1/groups/{site.world.groups['atp']}", "/groups/atp"):
        text = client.get(url).get_data(as_text=True)
        assert "@test.caseflow.no" not in text, url


# -- API tokens -----------------------------------------------------------------------------------


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_tokens_are_listed_without_secrets_and_revoked(fresh: Site) -> None:
    app = fresh.app
    first = app.issue_token(None, email("atp"), "laptop", expires_days=30)
    second = app.issue_token(None, email("atp"), "script")
    theirs = app.issue_token(None, email("sekretariat"), "theirs")
    http = fresh.flask.test_client()
    listed = http.get("/api/v1/me/tokens", headers=bearer(second))
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert [t["label"] for t in items] == ["script", "laptop"]
    assert {t["last_four"] for t in items} == {first[-4:], second[-4:]}
    assert all(t["status"] == "active" and t["revoked_at"] is None for t in items)
    created = datetime.fromisoformat(items[1]["created_at"])
    expires = datetime.fromisoformat(items[1]["expires_at"])
    assert timedelta(days=29) < expires - created <= timedelta(days=30)
    text = listed.get_data(as_text=True)
    for secret in (first, second, hashlib.sha256(first.encode()).hexdigest()):
        assert secret not in text

    their_id = fresh.client("sekretariat").get("/api/v1/me/tokens").get_json()["items"][0]["id"]
    assert http.delete(f"/api/v1/me/tokens/{their_id}", headers=bearer(second)).status_code == 404
    assert http.get("/api/v1/me", headers=bearer(theirs)).status_code == 200

    laptop = items[1]["id"]
    assert http.delete(f"/api/v1/me/tokens/{laptop}", headers=bearer(second)).status_code == 204
    refused = http.get("/api/v1/me", headers=bearer(first))
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "token_revoked"
    assert set(refused.get_json()["error"]) == {"code", "message", "rule", "fields"}
    assert http.get("/api/v1/me", headers=bearer(second)).status_code == 200
    again = http.delete(f"/api/v1/me/tokens/{laptop}", headers=bearer(second))
    assert again.status_code == 409

    # from the session, with CSRF like the pages
    session = fresh.client("atp")
    script = session.get("/api/v1/me/tokens").get_json()["items"][0]["id"]
    no_csrf = session.http.delete(f"/api/v1/me/tokens/{script}")
    assert no_csrf.status_code == 400
    done = session.http.delete(
        f"/api/v1/me/tokens/{script}", headers={"X-CSRFToken": session.token()}
    )
    assert done.status_code == 204
    assert http.get("/api/v1/me", headers=bearer(second)).status_code == 401

    # auditors see issue and revocation, never a secret
    trail = fresh.client("revisor").get("/api/v1/audit?type=TokenRevoked")
    assert trail.get_json()["total"] == 2
    issued = fresh.client("revisor").get("/api/v1/audit?type=TokenIssued").get_data(as_text=True)
    assert "laptop" in issued
    for secret in (first, second, hashlib.sha256(second.encode()).hexdigest()):
        assert secret not in issued
        assert secret not in trail.get_data(as_text=True)


def test_tokens_expire(site: Site, moment: Clock) -> None:
    token = site.app.issue_token(None, email("ntp"), "short", expires_days=1)
    http = site.flask.test_client()
    moment.advance(hours=23)
    assert http.get("/api/v1/me", headers=bearer(token)).status_code == 200
    moment.advance(hours=2)
    expired = http.get("/api/v1/me", headers=bearer(token))
    assert expired.status_code == 401
    assert expired.get_json()["error"]["code"] == "token_expired"
    assert "expired" in expired.get_json()["error"]["message"]
    listed = site.app.list_tokens(site.world["ntp"])
    assert [t.status for t in listed if t.label == "short"] == ["expired"]


def test_unknown_token_is_401_unauthorized(site: Site) -> None:
    response = site.flask.test_client().get("/api/v1/me", headers=bearer("cf_nope"))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_openapi_documents_the_token_endpoints(site: Site) -> None:
    spec = site.flask.test_client().get("/api/v1/openapi.json").get_json()
    assert "get" in spec["paths"]["/me/tokens"]
    delete = spec["paths"]["/me/tokens/{token_id}"]["delete"]
    assert set(delete["responses"]) >= {"204", "401", "404"}
    assert delete["responses"]["204"]["description"] == "No content"
    person = spec["components"]["schemas"]["People"]["properties"]
    assert "email" in person
    assert "email" not in spec["components"]["schemas"]["Token"]
    assert re.search("e-mail addresses only", spec["paths"]["/people"]["get"]["summary"])
