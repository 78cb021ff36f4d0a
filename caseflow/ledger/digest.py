"""Signed digests of the chain head (Ed25519, the ``cryptography`` package).

A digest is a JSON object::

    {"format": "caseflow-digest/1", "position": 1234, "hash": "<64 hex>",
     "time": "2026-05-01T12:00:00.123456+00:00", "algorithm": "Ed25519",
     "public_key": "<64 hex: raw 32-byte Ed25519 public key>",
     "signature": "<128 hex>"}

The signature covers the UTF-8 bytes of the JSON object
``{"format": …, "hash": …, "position": …, "time": …}`` written with sorted keys, no spaces
(``json.dumps(obj, sort_keys=True, separators=(",", ":"))``).

The private key lives in a PEM file outside the database (``CASEFLOW_AUDIT_KEY``, default
``instance/audit-key.pem``), readable by its owner only.

Every digest is also written as a JSON file into a directory outside the database
(``CASEFLOW_DIGEST_DIR``; by default ``digests/`` beside a SQLite file, ``instance/digests``
for PostgreSQL, ``instance/digests/<schema>`` with ``?schema=``): the database's roles
cannot reach it, and ``caseflow audit verify`` checks every digest found there.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from caseflow.domain.errors import CaseflowError

FORMAT = "caseflow-digest/1"
DEFAULT_KEY_PATH = "instance/audit-key.pem"
DEFAULT_DIGEST_DIR = "instance/digests"
#: Minutes between scheduled digests (``caseflow project``), from ``CASEFLOW_DIGEST_MINUTES``.
DEFAULT_DIGEST_MINUTES = 60


class AuditKeyError(CaseflowError):
    """The key file is missing, unreadable, or would be overwritten."""

    status = 409
    code = "audit_key"


def key_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The key file: ``explicit``, else ``CASEFLOW_AUDIT_KEY``, else the default."""
    return Path(explicit or os.environ.get("CASEFLOW_AUDIT_KEY") or DEFAULT_KEY_PATH)


def generate_key(path: Path, *, force: bool = False) -> str:
    """Write a new private key to ``path`` (mode 0600); return the public key (hex)."""
    if path.exists() and not force:
        raise AuditKeyError(f"{path} exists; use --force to replace it (old digests stay valid)")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return public_hex(key.public_key())


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise AuditKeyError(
            f"no audit key at {path} ({e.strerror}); run 'caseflow audit keygen' "
            "or set CASEFLOW_AUDIT_KEY"
        ) from None
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(f"{path} is not an Ed25519 private key")
    return key


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def signed_bytes(position: int, hash_hex: str, time: str) -> bytes:
    """The exact bytes a digest's signature covers."""
    body = {"format": FORMAT, "hash": hash_hex, "position": position, "time": time}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign(key: Ed25519PrivateKey, position: int, hash_hex: str, time: str) -> dict[str, Any]:
    signature = key.sign(signed_bytes(position, hash_hex, time))
    return {
        "format": FORMAT,
        "position": position,
        "hash": hash_hex,
        "time": time,
        "algorithm": "Ed25519",
        "public_key": public_hex(key.public_key()),
        "signature": signature.hex(),
    }


def check_signature(digest: Mapping[str, Any]) -> str | None:
    """None if ``digest`` is well-formed and its signature is valid for its public key;
    otherwise what is wrong."""
    try:
        position = int(digest["position"])
        hash_hex = str(digest["hash"])
        time = str(digest["time"])
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(digest["public_key"])))
        signature = bytes.fromhex(str(digest["signature"]))
    except (KeyError, TypeError, ValueError) as e:
        return f"malformed digest ({e})"
    if digest.get("format", FORMAT) != FORMAT:
        return f"unknown digest format {digest.get('format')!r}"
    try:
        public.verify(signature, signed_bytes(position, hash_hex, time))
    except InvalidSignature:
        return "the signature does not match the digest"
    return None


# -- digests as files outside the database ---------------------------------------------


def digest_dir(explicit: str | os.PathLike[str] | None = None, settings: Any = None) -> Path:
    """The directory digest files go to: ``explicit``, else ``CASEFLOW_DIGEST_DIR``, else
    ``digests/`` beside the SQLite file, else ``instance/digests`` (PostgreSQL; a
    subdirectory per ``?schema=``)."""
    chosen = explicit or os.environ.get("CASEFLOW_DIGEST_DIR")
    if chosen:
        return Path(chosen)
    sqlite_path = getattr(settings, "sqlite_path", None)
    if sqlite_path is not None and str(sqlite_path) != ":memory:":
        return Path(sqlite_path).parent / "digests"
    schema = getattr(settings, "schema", None)
    base = Path(DEFAULT_DIGEST_DIR)
    return base / re.sub(r"[^A-Za-z0-9_.-]", "_", schema) if schema else base


def digest_interval() -> timedelta:
    """How often ``caseflow project`` signs the head: ``CASEFLOW_DIGEST_MINUTES`` (default
    60). Raises ``ValueError`` when it is not a positive number."""
    raw = os.environ.get("CASEFLOW_DIGEST_MINUTES") or str(DEFAULT_DIGEST_MINUTES)
    try:
        minutes = float(raw)
    except ValueError:
        minutes = -1.0
    if not minutes > 0:
        raise ValueError(
            f"CASEFLOW_DIGEST_MINUTES must be a positive number of minutes, not {raw!r}"
        )
    return timedelta(minutes=minutes)


def file_name(digest: Mapping[str, Any]) -> str:
    """``digest-<position, 12 digits>-<time, digits only>.json``: sorts by position."""
    stamp = re.sub(r"[^0-9]", "", str(digest["time"]))[:20]
    return f"digest-{int(digest['position']):012d}-{stamp}.json"


def write_file(directory: Path, digest: Mapping[str, Any]) -> Path:
    """Write ``digest`` as a JSON file into ``directory`` (created if missing), atomically;
    an existing file is never overwritten. Returns the file's path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / file_name(digest)
    if path.exists():
        return path
    tmp = directory / f".{path.name}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(dict(digest), indent=2) + "\n", encoding="utf-8")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


def read_files(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """Every digest file in ``directory`` as (``digest file NAME``, digest), by name. A
    file that cannot be read or is not a JSON object comes back as an empty digest, which
    verification reports as malformed."""
    if not directory.is_dir():
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(directory.glob("*.json")):
        source = f"digest file {path}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        found.append((source, data if isinstance(data, dict) else {}))
    return found
