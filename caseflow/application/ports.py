"""The ports of the application: what it needs from the outside, as structural types.

The application defines them and never imports their adapters; a composition root
(``web.create_app``, ``caseflow.cli``, the tests' fixtures) makes the adapter and gives
it to the application (e.g. ``Caseflow.use_attachment_store``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol
from uuid import UUID

from caseflow.application.files import ATTACHMENT_TYPES, StoredFile
from caseflow.application.views import MeetingView


class AttachmentStorage(Protocol):
    """Where meeting attachments' bytes live, outside the events (content-addressed by
    SHA-256) — and case documents' too. The adapter:
    :class:`caseflow.persistence.attachments.AttachmentStore`."""

    def check(
        self,
        filename: str,
        data: bytes,
        *,
        accepted: frozenset[str] = ATTACHMENT_TYPES,
        max_bytes: int | None = None,
    ) -> StoredFile:
        """Validate a file (size, type among ``accepted``, name) without storing it;
        ``max_bytes`` overrides the store's limit. Raise
        :class:`~caseflow.domain.errors.InvalidInput` naming ``file`` if it is refused."""
        ...

    def put(
        self,
        filename: str,
        data: bytes,
        *,
        accepted: frozenset[str] = ATTACHMENT_TYPES,
        max_bytes: int | None = None,
    ) -> StoredFile:
        """Check and store a file (the same bytes twice: one copy)."""
        ...

    def get(self, sha256: str) -> bytes:
        """The stored bytes, verified against ``sha256``; raise
        :class:`~caseflow.domain.errors.NotFoundError` if missing or damaged."""
        ...


#: Issue 14: the protokoll (minutes generated from the recorded attendance and decisions)
#: as PDF, from the meeting's view and the attendees' names. The adapter:
#: ``web.presentation.protokoll.render_protokoll_pdf`` (WeasyPrint).
ProtokollRenderer = Callable[[MeetingView, Mapping[UUID, str]], bytes]
