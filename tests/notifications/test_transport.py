"""The transport without a store: CASEFLOW_SMTP_URL's forms, authentication against a real
SMTP server on loopback (a wrong password is the server out of reach: nothing is counted
against the messages), and header values of one line whatever a name contains."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from caseflow.notifications.render import Rendered
from caseflow.notifications.transport import (
    Envelope,
    Refused,
    SmtpTransport,
    TransportDown,
    address,
    build,
    clean,
)
from tests.notifications.smtp import SmtpServer


def envelope(to: str = "kari@example.no", name: str = "Kari\r\nBcc: x@evil.example") -> Envelope:
    rendered = Rendered("Emne\r\nX-Evil: 1", "tekst", "<p>tekst</p>")
    return Envelope(
        "abc123", name, to, "varsel@caseflow.test", rendered, "https://u", datetime.now(UTC)
    )


def test_smtp_urls() -> None:
    plain = SmtpTransport("smtp://mail.example.no:2525")
    assert (plain.host, plain.port, plain.tls, plain.starttls, plain.user) == (
        "mail.example.no",
        2525,
        False,
        False,
        None,
    )
    tls = SmtpTransport("smtps://varsel%40kommune.no:hemmelig%2F1@smtp.example.no")
    assert (tls.port, tls.tls, tls.user, tls.password) == (
        465,
        True,
        "varsel@kommune.no",
        "hemmelig/1",
    )
    assert SmtpTransport("smtp://h?starttls=1").starttls
    with pytest.raises(ValueError, match="smtp:// or smtps://"):
        SmtpTransport("http://h")


def test_login_against_a_real_server() -> None:
    server = SmtpServer(login=("varsel", "riktig"))
    server.start()
    try:
        good = SmtpTransport(f"smtp://varsel:riktig@127.0.0.1:{server.port}")
        good.send(build(envelope()))
        good.close()
        assert len(server.recorder.received) == 1
        bad = SmtpTransport(f"smtp://varsel:feil@127.0.0.1:{server.port}", timeout=1.0)
        with pytest.raises(TransportDown):
            bad.open()
    finally:
        server.stop()


def test_header_values_are_one_line() -> None:
    message = build(envelope())
    assert message["Bcc"] is None
    assert message["X-Evil"] is None
    assert str(message["Subject"]) == "Emne X-Evil: 1"
    assert clean("a\u2028b\x00c\td") == "a b c d"
    for bad in ("kari@example.no\r\nBcc: x@evil.example", "a@b@c.no", "kari", "<k@x.no>"):
        with pytest.raises(Refused):
            address("Kari", bad)


def test_norwegian_names_and_long_links_survive_the_wire() -> None:
    """Non-ASCII names and subjects are RFC 2047 encoded words; a long unsubscribe link
    stays on its header's line; the parts decode to the text given."""
    from email import message_from_bytes, policy

    link = "https://caseflow.test/varsler/avmeld/" + "x" * 120
    rendered = Rendered("Råd etterspurt: OR-2026-001 Bærum–Ås", "Hei Bjørn,\nø å æ", "<p>ø</p>")
    env = Envelope(
        "abc123",
        "Bjørn Ødegård",
        "b@x.no",
        "varsel@caseflow.test",
        rendered,
        link,
        datetime.now(UTC),
    )
    wire = build(env).as_bytes()
    assert wire.isascii()
    assert f"List-Unsubscribe: <{link}>".encode() in wire
    parsed = message_from_bytes(wire, policy=policy.default)
    assert str(parsed["Subject"]) == "Råd etterspurt: OR-2026-001 Bærum–Ås"
    assert str(parsed["To"]) == "Bjørn Ødegård <b@x.no>"
    assert parsed.get_body(("plain",)).get_content() == "Hei Bjørn,\nø å æ\n"
    assert str(parsed["List-Unsubscribe"]) == f"<{link}>"
