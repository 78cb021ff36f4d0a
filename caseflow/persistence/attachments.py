"""Content-addressed storage of meeting attachments: the adapter behind the
application's :class:`~caseflow.application.ports.AttachmentStorage` port.

A file is stored once under its SHA-256 (``<dir>/ab/abcdef…``), written atomically, and
read back only after its hash is verified. What may be stored (for a meeting: PDF, DOCX,
ODT, plain text, PNG and JPEG by their magic bytes, up to a size limit; for a case
document the application passes its own types and limit) is decided by
:func:`caseflow.application.files.check_file`. Standard library only.

Composition roots make the store (:meth:`AttachmentStore.from_environ` with
``os.environ``: ``CASEFLOW_ATTACHMENTS_DIR``, ``CASEFLOW_ATTACHMENTS_MAX_BYTES``) and
give it to the application with ``use_attachment_store``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from caseflow.application.files import (
    ATTACHMENT_TYPES,
    DEFAULT_MAX_BYTES,
    StoredFile,
    check_file,
)
from caseflow.domain.errors import NotFoundError

#: Default store directory (``CASEFLOW_ATTACHMENTS_DIR``), relative to the working folder.
DEFAULT_DIR = "instance/attachments"


class AttachmentStore:
    """Files by SHA-256 in a directory, each at most ``max_bytes``."""

    def __init__(self, directory: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes

    @classmethod
    def from_settings(cls, directory: str | None, max_bytes: str | None = None) -> AttachmentStore:
        return cls(directory or DEFAULT_DIR, int(max_bytes) if max_bytes else DEFAULT_MAX_BYTES)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> AttachmentStore:
        """The store that ``CASEFLOW_ATTACHMENTS_DIR`` and ``CASEFLOW_ATTACHMENTS_MAX_BYTES``
        in ``environ`` name (defaults: ``instance/attachments``, 20 MiB). Composition
        roots pass ``os.environ``; nothing below them reads it for this."""
        return cls.from_settings(
            environ.get("CASEFLOW_ATTACHMENTS_DIR"), environ.get("CASEFLOW_ATTACHMENTS_MAX_BYTES")
        )

    def check(
        self,
        filename: str,
        data: bytes,
        *,
        accepted: frozenset[str] = ATTACHMENT_TYPES,
        max_bytes: int | None = None,
    ) -> StoredFile:
        """Validate a file (size, type by magic bytes among ``accepted``, extension)
        without storing it; ``max_bytes`` (default: the store's) is the size limit."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        return check_file(filename, data, limit, accepted)

    def put(
        self,
        filename: str,
        data: bytes,
        *,
        accepted: frozenset[str] = ATTACHMENT_TYPES,
        max_bytes: int | None = None,
    ) -> StoredFile:
        """Check and store a file; storing the same bytes twice keeps one copy."""
        stored = self.check(filename, data, accepted=accepted, max_bytes=max_bytes)
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
