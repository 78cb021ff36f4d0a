"""The files attached to a meeting (moved from ``caseflow.domain.meeting``, which
re-exports them): why a file is attached, which media types are accepted, a stored file's
metadata, and the checks every attached file passes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from caseflow.domain.errors import InvalidInput


class AttachmentKind(StrEnum):
    """Why a file is attached to a meeting."""

    DOCUMENT = "document"  # a paper for the meeting (saksdokument, vedlegg)
    MINUTES = "minutes"  # this meeting's own minutes (referat)
    KG_MINUTES = "kg_minutes"  # R15: the newest approved KG minutes
    WORKING_GROUP_MINUTES = "working_group_minutes"  # R14: cross-cutting groups' minutes


#: Media types an attachment may have (checked against the file's magic bytes).
MEDIA_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "text/plain": "TXT",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Attachment:
    """A stored file's metadata; the bytes live in the attachment store under ``sha256``."""

    sha256: str
    filename: str
    size: int
    media_type: str
    kind: AttachmentKind
    title: str
    item_number: int | None
    source_meeting_id: UUID | None
    rule: str | None
    added_at: datetime


def check_file(sha256: str, filename: str, size: int, media_type: str) -> str:
    """The file's name without any folder, once the hash, type and size are acceptable."""
    if not _SHA256.match(sha256):
        raise InvalidInput.field("sha256", "a SHA-256 hex digest (64 lower-case hex digits)")
    if media_type not in MEDIA_TYPES:
        allowed = ", ".join(MEDIA_TYPES.values())
        raise InvalidInput.field("file", "only %(allowed)s files can be attached", allowed=allowed)
    if size <= 0:
        raise InvalidInput.field("file", "the file is empty")
    name = filename.strip().replace("\\", "/").rsplit("/", 1)[-1]
    if not name:
        raise InvalidInput.field("filename", "required")
    return name
