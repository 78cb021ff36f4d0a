"""Schemas of the account endpoints (``/api/v1/me/tokens``) and the people list as a
reader may see it (data minimisation); the OpenAPI document is generated from them."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from caseflow.application.people import DisclosedPerson
from web.schemas_out import PageFields, PersonSchema


class TokenSchema(Schema):
    """A personal API token without its secret: the last four characters tell tokens
    apart (empty for tokens issued before they were kept)."""

    id = fields.String(metadata={"description": "the token's id (for DELETE)"})
    label = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_four = fields.String(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    status = fields.String(metadata={"enum": ["active", "expired", "revoked"]})
    last_used_at = fields.DateTime(
        allow_none=True, metadata={"description": "when it last authenticated a request"}
    )


class TokenListSchema(PageFields):
    items = fields.List(fields.Nested(TokenSchema), required=True)


class PeopleSchema(PersonSchema):
    """A person in the people list. ``email`` only for the secretariat, auditors and the
    person's fellow (non-observer) group members; ``system_roles`` only for the
    secretariat and auditors: others get names, organisations and regions."""


class PeoplePageSchema(PageFields):
    items = fields.List(fields.Nested(PeopleSchema), required=True)


def dump_people(people: list[DisclosedPerson]) -> list[dict[str, Any]]:
    """Each person with only the details the reader may see (fields left out, not null)."""
    full = PeopleSchema()
    found = []
    for p in people:
        row = full.dump(p.person)
        if not p.email:
            row.pop("email", None)
        if not p.roles:
            row.pop("system_roles", None)
        found.append(row)
    return found
