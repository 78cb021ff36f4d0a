"""Handing a message over: an SMTP server (``CASEFLOW_SMTP_URL``: ``smtp://`` or
``smtps://``, ``?starttls=1``, ``user:pass@``) with :mod:`smtplib`, or — unset — an
``.eml`` file per message in ``instance/outbox/`` (shown in the app).

Messages are built with the standard library's MIME classes (:mod:`email.mime`, the
``compat32`` policy: a tenth of the time of :class:`email.message.EmailMessage`'s header
registry, which parses and refolds every header it is given). A name or a title is a
header *value*, never header text — carriage returns, line feeds and other control
characters in it are replaced by spaces (:func:`clean`), non-ASCII text is an RFC 2047
encoded word (:class:`email.header.Header`, :func:`email.utils.formataddr`), and an
address that is not one plain address is refused as that person's failure
(:class:`Refused`), so no name or title can add a header or a recipient.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from dataclasses import dataclass
from email import charset as _charset
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from caseflow.notifications.render import Rendered

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_LOCAL = r"[^@\s<>()\[\],;:\"\\]+"
_SPACE = re.compile(r"\s")
_ADDRESS = re.compile(rf"^{_LOCAL}@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{{2,}}$|^{_LOCAL}@localhost$")


class Refused(Exception):
    """This recipient cannot get this message (bad address, 5xx): failed, not retried."""


class Unavailable(Exception):
    """The server did not take it this time (4xx): retried later, with backoff."""


class TransportDown(Exception):
    """No server to talk to: nothing is counted against the messages; try again later."""


def clean(value: str) -> str:
    """A header value of one line: control characters (CR, LF, …) become one space."""
    return " ".join(_CONTROL.sub(" ", value).split())


def address(name: str, email: str) -> str:
    """``Name <email>`` as header text (the name quoted or RFC 2047 encoded);
    :class:`Refused` for anything that is not one plain address."""
    email = email.strip()
    if not _ADDRESS.match(email) or not email.isascii():
        raise Refused(f"not an e-mail address: {email!r}")
    return formataddr((clean(name), email), charset="utf-8")


#: Non-ASCII header values as base64 encoded words (not "the shorter of Q and B", which
#: measures both, character by character).
_UTF8_B = _charset.Charset("utf-8")
_UTF8_B.header_encoding = _charset.BASE64


def _text(value: str) -> str | Header:
    """A header value of one line, RFC 2047 encoded when it is not ASCII."""
    value = clean(value)
    return value if value.isascii() else Header(value, _UTF8_B)


class _Policy(Compat32):
    """``compat32``, except that a value of one ASCII word (a link, an id) is never folded
    onto a line of its own (``List-Unsubscribe: <…>`` stays one line, under 998)."""

    @staticmethod
    def _one_word(name: str, value: object) -> bool:
        return (
            isinstance(value, str)
            and value.isascii()
            and _SPACE.search(value) is None
            and len(name) + len(value) < 990
        )

    def fold(self, name: str, value: str) -> str:
        if self._one_word(name, value):
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if self._one_word(name, value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


POLICY = _Policy()

#: Text parts in UTF-8, quoted-printable (readable; lines kept under 78 characters).
_UTF8_QP = _charset.Charset("utf-8")
_UTF8_QP.body_encoding = _charset.QP


def _part(maintype: str, subtype: str, payload: str | bytes, **params: str) -> MIMENonMultipart:
    part = MIMENonMultipart(maintype, subtype, policy=POLICY, **params)
    del part["MIME-Version"]  # once, on the whole message
    if isinstance(payload, str):
        part.set_payload(payload if payload.endswith("\n") else payload + "\n", _UTF8_QP)
    else:
        part.set_payload(payload)
        encoders.encode_base64(part)
    return part


@dataclass(frozen=True)
class Envelope:
    """What the sender gives the transport: the message's id and its parts."""

    message_id: str
    to_name: str
    to_email: str
    sender: str
    rendered: Rendered
    unsubscribe: str
    date: object


def build(envelope: Envelope) -> Message:
    """The message: ``multipart/alternative`` (plain text, HTML), inside
    ``multipart/mixed`` when it has attachments (an invitation's ``.ics``)."""
    r = envelope.rendered
    to = address(envelope.to_name, envelope.to_email)
    # Boundaries starting "=_" never occur in quoted-printable or base64 parts, so the
    # generator need not search the text for a free one.
    body: Message = MIMEMultipart(
        "alternative",
        boundary=f"=_alt_{envelope.message_id}",
        _subparts=[_part("text", "plain", r.text), _part("text", "html", r.html)],
        policy=POLICY,
    )
    del body["MIME-Version"]
    if r.attachments:
        body = MIMEMultipart(
            "mixed", boundary=f"=_mix_{envelope.message_id}", _subparts=[body], policy=POLICY
        )
        del body["MIME-Version"]
        for filename, media_type, data in r.attachments:
            maintype, _, subtype = media_type.partition("/")
            part = _part(maintype, subtype, data)
            part.add_header("Content-Disposition", "attachment", filename=clean(filename))
            body.attach(part)
    domain = envelope.sender.rpartition("@")[2] or "caseflow"
    body["MIME-Version"] = "1.0"
    body["Subject"] = _text(r.subject)  # type: ignore[assignment]  # a Header is a value too
    body["From"] = formataddr(("Caseflow", envelope.sender))
    body["To"] = to
    body["Message-ID"] = f"<{envelope.message_id}@{domain}>"
    body["Date"] = format_datetime(envelope.date)  # type: ignore[arg-type]
    body["List-Unsubscribe"] = f"<{clean(envelope.unsubscribe)}>"
    body["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    body["Auto-Submitted"] = "auto-generated"
    return body


class Transport(Protocol):
    def open(self) -> None: ...

    def send(self, message: Message) -> None: ...

    def close(self) -> None: ...


class FolderTransport:
    """``instance/outbox/<message id>.eml``: a re-send overwrites the same file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: Message) -> None:
        name = str(message["Message-ID"]).strip("<>").split("@")[0]
        path = self.folder / f"{name}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(message.as_bytes())
        tmp.replace(path)

    def close(self) -> None:
        """Nothing held."""


class SmtpTransport:
    """One connection per round of sending (``open``/``close``)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"CASEFLOW_SMTP_URL must be smtp:// or smtps://, not {url!r}")
        self.tls = parts.scheme == "smtps"
        query = parse_qs(parts.query)
        self.starttls = (query.get("starttls") or ["0"])[0].lower() in ("1", "true", "yes")
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        try:
            if self.tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as e:
            raise TransportDown(f"{type(e).__name__}: {e}") from e
        try:
            if self.starttls and not self.tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
        except (OSError, smtplib.SMTPException) as e:
            smtp.close()
            raise TransportDown(f"{type(e).__name__}: {e}") from e
        self._smtp = smtp

    def send(self, message: Message) -> None:
        if self._smtp is None:
            self.open()
        assert self._smtp is not None
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as e:
            codes = [code for code, _ in e.recipients.values()]
            if all(code >= 500 for code in codes):
                raise Refused(f"refused: {e.recipients}") from e
            raise Unavailable(f"deferred: {e.recipients}") from e
        except smtplib.SMTPResponseException as e:
            self._reset_after(e)
            if e.smtp_code >= 500:
                raise Refused(f"{e.smtp_code} {e.smtp_error!r}") from e
            raise Unavailable(f"{e.smtp_code} {e.smtp_error!r}") from e
        except (OSError, smtplib.SMTPServerDisconnected) as e:
            self._smtp = None
            raise TransportDown(f"{type(e).__name__}: {e}") from e

    def _reset_after(self, error: smtplib.SMTPResponseException) -> None:
        if isinstance(error, smtplib.SMTPServerDisconnected):
            self._smtp = None
            return
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None


def transport_for(smtp_url: str | None, outbox: Path) -> Transport:
    return SmtpTransport(smtp_url) if smtp_url else FolderTransport(outbox)
