"""Content-addressed storage of meeting attachments.

A file is stored once under its SHA-256 (``<dir>/ab/abcdef…``), written atomically, and
read back only after its hash is verified. Only PDF, DOCX, ODT, plain text, PNG and JPEG
are taken, recognised by their magic bytes (not by the name the browser sends), and
only up to a size limit. Standard library only.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from caseflow.domain.errors import InvalidInput, NotFoundError

#: Default store directory and size limit (``CASEFLOW_ATTACHMENTS_DIR``,
#: ``CASEFLOW_ATTACHMENTS_MAX_BYTES``).
DEFAULT_DIR = "instance/attachments"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TXT = "text/plain"
PNG = "image/png"
JPEG = "image/jpeg"

#: File name extensions accepted for each media type.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    ODT: (".odt",),
    TXT: (".txt",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
}


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


class AttachmentStore:
    """Files by SHA-256 in a directory, each at most ``max_bytes``."""

    def __init__(self, directory: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes

    @classmethod
    def from_settings(cls, directory: str | None, max_bytes: str | None = None) -> AttachmentStore:
        return cls(directory or DEFAULT_DIR, int(max_bytes) if max_bytes else DEFAULT_MAX_BYTES)

    def check(self, filename: str, data: bytes) -> StoredFile:
        """Validate a file (size, type by magic bytes, extension) without storing it."""
        name = (filename or "").strip().replace("\\", "/").rsplit("/", 1)[-1]
        if not name:
            raise InvalidInput.field("file", "the file has no name")
        if not data:
            raise InvalidInput.field("file", "the file is empty")
        if len(data) > self.max_bytes:
            raise InvalidInput.field(
                "file", f"the file is larger than {self.max_bytes // (1024 * 1024) or 1} MB"
            )
        media_type = sniff_media_type(data)
        if media_type is None:
            raise InvalidInput.field(
                "file", "only PDF, DOCX, ODT, TXT, PNG and JPEG files can be attached"
            )
        if not name.lower().endswith(EXTENSIONS[media_type]):
            expected = " or ".join(EXTENSIONS[media_type])
            raise InvalidInput.field(
                "file", f"the file's content is {media_type}; its name must end in {expected}"
            )
        return StoredFile(hashlib.sha256(data).hexdigest(), name, len(data), media_type)

    def put(self, filename: str, data: bytes) -> StoredFile:
        """Check and store a file; storing the same bytes twice keeps one copy."""
        stored = self.check(filename, data)
        path = self.path(stored.sha256)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return stored

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise NotFoundError("no such attachment", sha256=sha256)
        return self.directory / sha256[:2] / sha256

    def get(self, sha256: str) -> bytes:
        """The stored bytes, after checking that they still hash to ``sha256``."""
        path = self.path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError("the attachment's file is missing", sha256=sha256) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise NotFoundError("the attachment's file is damaged (hash mismatch)", sha256=sha256)
        return data

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()
