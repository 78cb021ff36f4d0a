"""SystemIDs that stay the same across exports.

Every arkivenhet's ``systemID`` is derived from the id of the aggregate it comes from: a
saksmappe is its case's id, a møtemappe its meeting's id, and everything inside them is
``uuid5(aggregate id, role)`` — the role naming the entry (``journalpost:proposal``,
``dokumentobjekt:<document id>:2``, ``moeteregistrering:SF:<item key>``, …). Exporting
the same store twice, or a later store with more history, gives the same ids to the same
entries, so an archive can match an extract against an earlier one.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

#: The namespace of the ids that belong to no aggregate (the arkiv, its arkivdel).
ARCHIVE_NAMESPACE = uuid5(NAMESPACE_URL, "https://caseflow.invalid/noark5/arkiv")


def entry_id(aggregate_id: UUID, role: str) -> str:
    """The systemID of the entry ``role`` of the aggregate ``aggregate_id``."""
    return str(uuid5(aggregate_id, role))


def folder_id(aggregate_id: UUID) -> str:
    """A mappe's systemID: the aggregate's own id."""
    return str(aggregate_id)


def archive_id(role: str) -> str:
    """The arkiv's (``arkiv``) and an arkivdel's (``arkivdel:2025``) systemID."""
    return str(uuid5(ARCHIVE_NAMESPACE, role))


def journalpost_role(kind: str, key: str | None = None) -> str:
    return f"journalpost:{kind}" if key is None else f"journalpost:{kind}:{key}"


def dokumentbeskrivelse_role(key: str) -> str:
    return f"dokumentbeskrivelse:{key}"


def dokumentobjekt_role(key: str, version: int) -> str:
    return f"dokumentobjekt:{key}:{version}"


def moeteregistrering_role(kind: str, key: str | None = None) -> str:
    return f"moeteregistrering:{kind}" if key is None else f"moeteregistrering:{kind}:{key}"
