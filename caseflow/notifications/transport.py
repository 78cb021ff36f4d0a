"""Handing a message over: an SMTP server (``CASEFLOW_SMTP_URL``: ``smtp://`` or
``smtps://``, ``?starttls=1``, ``user:pass@``) with :mod:`smtplib`, or — unset — an
``.eml`` file per message in ``instance/outbox/`` (shown in the app).

Messages are built with :class:`email.message.EmailMessage` and
:class:`email.headerregistry.Address`: a name or a title is a header *value*, never header
text — carriage returns, line feeds and other control characters in it are replaced by
spaces (:func:`clean`), and an address that is not one address is refused as that
person's failure (:class:`Refused`), so no name or title can add a header or a recipient.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from caseflow.notifications.render import Rendered

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_LOCAL = r"[^@\s<>()\[\],;:\"\\]+"
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


def address(name: str, email: str) -> Address:
    """``Name <email>``; :class:`Refused` for anything that is not one plain address."""
    email = email.strip()
    if not _ADDRESS.match(email):
        raise Refused(f"not an e-mail address: {email!r}")
    local, _, domain = email.rpartition("@")
    try:
        return Address(display_name=clean(name), username=local, domain=domain)
    except (ValueError, IndexError) as e:
        raise Refused(f"not an e-mail address: {email!r}") from e


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


def build(envelope: Envelope) -> EmailMessage:
    msg = EmailMessage()
    r = envelope.rendered
    msg["Subject"] = clean(r.subject)
    msg["From"] = Address(display_name="Caseflow", addr_spec=envelope.sender)
    msg["To"] = address(envelope.to_name, envelope.to_email)
    domain = envelope.sender.rpartition("@")[2] or "caseflow"
    msg["Message-ID"] = f"<{envelope.message_id}@{domain}>"
    msg["Date"] = format_datetime(envelope.date)  # type: ignore[arg-type]
    msg["List-Unsubscribe"] = f"<{envelope.unsubscribe}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(r.text)
    msg.add_alternative(r.html, subtype="html")
    for filename, media_type, data in r.attachments:
        maintype, _, subtype = media_type.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


class Transport(Protocol):
    def open(self) -> None: ...

    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


class FolderTransport:
    """``instance/outbox/<message id>.eml``: a re-send overwrites the same file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: EmailMessage) -> None:
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

    def send(self, message: EmailMessage) -> None:
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
