"""The one-click unsubscribe link of every message: ``/varsler/avmeld/<token>``, the token
signed with the app's secret key (itsdangerous), naming the person and the kind."""

from __future__ import annotations

from functools import lru_cache

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "caseflow-unsubscribe"


@lru_cache(maxsize=8)
def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


@lru_cache(maxsize=4096)
def make_token(secret_key: str, person_id: str, kind: str) -> str:
    """The signed token of (person, kind): the same for every message of that kind to
    that person (signed once per process, not once per message)."""
    return str(_serializer(secret_key).dumps({"p": person_id, "k": kind}))


def read_token(secret_key: str, token: str) -> tuple[str, str] | None:
    """(person id, kind) of a valid token; None for anything else."""
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    person, kind = data.get("p"), data.get("k")
    if not isinstance(person, str) or not isinstance(kind, str):
        return None
    return person, kind


def unsubscribe_url(base_url: str, secret_key: str, person_id: str, kind: str) -> str:
    return f"{base_url}/varsler/avmeld/{make_token(secret_key, person_id, kind)}"
