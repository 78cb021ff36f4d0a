"""The one-click unsubscribe link of every message: ``/varsler/avmeld/<token>``, the token
signed with the app's secret key (itsdangerous), naming the person and the kind."""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "caseflow-unsubscribe"


def make_token(secret_key: str, person_id: str, kind: str) -> str:
    return URLSafeSerializer(secret_key, salt=SALT).dumps({"p": person_id, "k": kind})


def read_token(secret_key: str, token: str) -> tuple[str, str] | None:
    """(person id, kind) of a valid token; None for anything else."""
    try:
        data = URLSafeSerializer(secret_key, salt=SALT).loads(token)
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
