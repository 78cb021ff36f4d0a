"""What a meeting attachment or a case document may be: the accepted media types,
recognised by their magic bytes (not by the name the browser sends; DOCX, XLSX and ODT
by their ZIP contents), the file name extensions that go with them and the default size
limit. Meeting attachments take :data:`ATTACHMENT_TYPES`, case documents
:data:`DOCUMENT_TYPES`. Pure functions over bytes (standard library only); the
store that keeps the bytes is an adapter (:mod:`caseflow.persistence.attachments`)
behind the application's port (:class:`caseflow.application.ports.AttachmentStorage`).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from caseflow.domain.errors import InvalidInput

#: Default size limit of one attachment (``CASEFLOW_ATTACHMENTS_MAX_BYTES``).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TXT = "text/plain"
PNG = "image/png"
JPEG = "image/jpeg"

#: File name extensions accepted for each media type.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    ODT: (".odt",),
    XLSX: (".xlsx",),
    TXT: (".txt",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
}

#: What a meeting attachment may be.
ATTACHMENT_TYPES = frozenset({PDF, DOCX, ODT, TXT, PNG, JPEG})

#: What a case document (saksframlegg, vedlegg) may be.
DOCUMENT_TYPES = frozenset({PDF, DOCX, ODT, XLSX, PNG, JPEG})


@dataclass(frozen=True)
class StoredFile:
    """What the meeting's event records about a file: never its bytes."""

    sha256: str
    filename: str
    size: int
    media_type: str


def sniff_media_type(data: bytes) -> str | None:
    """The media type the bytes really have, or None if it is not an accepted type."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_document_type(data)
    return TXT if _is_plain_text(data) else None


def _zip_document_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
            if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                return XLSX
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def _is_plain_text(data: bytes) -> bool:
    if not data or b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    return controls == 0


def check_file(
    filename: str,
    data: bytes,
    max_bytes: int = DEFAULT_MAX_BYTES,
    accepted: frozenset[str] = ATTACHMENT_TYPES,
) -> StoredFile:
    """Validate a file (size, type by magic bytes among ``accepted``, extension) without
    storing it; raises :class:`InvalidInput` naming the field ``file``."""
    name = (filename or "").strip().replace("\\", "/").rsplit("/", 1)[-1]
    if not name:
        raise InvalidInput.field("file", "the file has no name")
    if not data:
        raise InvalidInput.field("file", "the file is empty")
    if len(data) > max_bytes:
        raise InvalidInput.field(
            "file", "the file is larger than %(mb)s MB", mb=max_bytes // (1024 * 1024) or 1
        )
    media_type = sniff_media_type(data)
    if media_type is None or media_type not in accepted:
        if accepted == DOCUMENT_TYPES:
            raise InvalidInput.field(
                "file", "only PDF, DOCX, ODT, XLSX, PNG and JPEG files can be added to a case"
            )
        raise InvalidInput.field(
            "file", "only PDF, DOCX, ODT, TXT, PNG and JPEG files can be attached"
        )
    if not name.lower().endswith(EXTENSIONS[media_type]):
        expected = " or ".join(EXTENSIONS[media_type])
        raise InvalidInput.field(
            "file",
            "the file's content is %(media_type)s; its name must end in %(expected)s",
            media_type=media_type,
            expected=expected,
        )
    return StoredFile(hashlib.sha256(data).hexdigest(), name, len(data), media_type)
