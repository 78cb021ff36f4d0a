"""Password and token hashing (standard library only: scrypt and SHA-256), and who may
read whose contact details (data minimisation)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from functools import lru_cache
from uuid import UUID

from caseflow.domain.permissions import Actor, may_read_everything

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """A salted scrypt hash in the form ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    """Constant-time comparison of ``password`` against a stored hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate.hex(), digest)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A stored-hash lookalike (computed once) to check a password against when the
    account does not exist: an unknown e-mail costs one scrypt, exactly like a known one."""
    return hash_password(secrets.token_urlsafe(16))


def new_token() -> str:
    """A personal API token (shown once; only its hash is stored)."""
    return "cf_" + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- who sees what ----------------------------------------------------------------------


def sees_everyones_contacts(viewer: Actor) -> bool:
    """The secretariat and auditors see every person's e-mail address and system roles."""
    return may_read_everything(viewer)


def contacts_visible_to(
    viewer: Actor, groups: Iterable[tuple[UUID, Iterable[UUID]]]
) -> set[UUID] | None:
    """Whose e-mail address ``viewer`` may read: None means everyone's (secretariat,
    auditors); else the people of each group in which the viewer holds a non-observer
    seat (observers read names and organisations only, R9). ``groups`` gives each group's
    id and its members' ids."""
    if sees_everyones_contacts(viewer):
        return None
    visible: set[UUID] = set()
    for group_id, members in groups:
        seat = viewer.seat(group_id)
        if seat is not None and seat.acts:
            visible.update(members)
    return visible
