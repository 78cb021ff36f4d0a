"""The eInnsyn objects Caseflow publishes, their API paths and their stable identities.

Every object is one request body of eInnsyn's API (the *create* schema of the endpoint it
is posted to). Its ``systemId`` is a UUID derived from Caseflow's aggregate ids
(:func:`system_id`), its ``externalId`` names the aggregate (``caseflow:saksmappe:<id>``),
so an export of the same history is byte-identical and a publisher recognises what it
sent before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

#: The namespace of every systemId Caseflow gives (uuid5 of this and the externalId).
NAMESPACE = UUID("6b0e2f3c-9a51-5d0e-8f5e-caf10e1a8c18")

#: eInnsyn's entities in the order a folder's objects are published.
ENTITIES = (
    "arkiv",
    "arkivdel",
    "moetemappe",
    "moetesak",
    "moetedokument",
    "saksmappe",
    "journalpost",
    "skjerming",
    "dokumentbeskrivelse",
    "dokumentobjekt",
)

#: The entity's name as eInnsyn writes it (``entity`` in its answers).
ENTITY_NAMES = {
    "arkiv": "Arkiv",
    "arkivdel": "Arkivdel",
    "moetemappe": "Moetemappe",
    "moetesak": "Moetesak",
    "moetedokument": "Moetedokument",
    "saksmappe": "Saksmappe",
    "journalpost": "Journalpost",
    "skjerming": "Skjerming",
    "dokumentbeskrivelse": "Dokumentbeskrivelse",
    "dokumentobjekt": "Dokumentobjekt",
}


def external_id(entity: str, *parts: UUID | str | int) -> str:
    """``caseflow:<entity>:<part>:…``, e.g. ``caseflow:journalpost:<case>:<document>``."""
    return ":".join(["caseflow", entity, *(str(p) for p in parts)])


def system_id(external: str) -> str:
    """The stable systemId of the object whose externalId is ``external``."""
    return str(uuid5(NAMESPACE, external))


def canonical(body: dict[str, Any]) -> bytes:
    """The body as sent and written: sorted keys, UTF-8, no insignificant spaces."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class EinnsynObject:
    """One object to publish: its entity, identity, parent and request body."""

    entity: str
    external_id: str
    parent: EinnsynObject | None
    body: dict[str, Any]
    label: str = ""  # what a person recognises it by (a reference, a meeting's title)

    @property
    def system_id(self) -> str:
        return str(self.body["systemId"])

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical body: what the publisher remembers as sent."""
        return hashlib.sha256(canonical(self.body)).hexdigest()

    @property
    def create_path(self) -> str:
        """The path template it is created under: ``/arkiv`` or ``/<parent>/{id}/<entity>``."""
        if self.parent is None:
            return f"/{self.entity}"
        return f"/{self.parent.entity}/{{id}}/{self.entity}"

    @property
    def item_path(self) -> str:
        """The path template of the object itself (updates, deletion)."""
        return f"/{self.entity}/{{id}}"


def make(
    entity: str,
    parts: tuple[UUID | str | int, ...],
    parent: EinnsynObject | None,
    fields: dict[str, Any],
    label: str = "",
) -> EinnsynObject:
    """An object with its externalId and systemId set; fields that are None are left out."""
    external = external_id(entity, *parts)
    body = {"systemId": system_id(external), "externalId": external}
    body.update({k: v for k, v in fields.items() if v is not None})
    return EinnsynObject(entity, external, parent, body, label)
