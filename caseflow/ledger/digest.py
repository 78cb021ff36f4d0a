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
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from caseflow.domain.errors import CaseflowError

FORMAT = "caseflow-digest/1"
DEFAULT_KEY_PATH = "instance/audit-key.pem"


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
