"""Value types of the Caseflow domain: enumerations and small immutable records.

Enum values are the wire names used in events, JSON and the database; never rename
a value without an upcaster.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

#: Namespace for deterministic ids (``uuid5``) of singletons and indexes.
NAMESPACE = uuid.UUID("7c1f6f0e-5a8e-4d9b-9a55-0f3c1c9e2b11")


def stable_id(*parts: str) -> uuid.UUID:
    """A deterministic aggregate id for a named thing (group slug, e-mail, sequence)."""
    return uuid.uuid5(NAMESPACE, ":".join(parts))


class OrgKind(StrEnum):
    """What kind of organisation a person comes from."""

    MUNICIPALITY = "municipality"
    COUNTY = "county"
    SECRETARIAT = "secretariat"
    EXTERNAL = "external"


class SystemRole(StrEnum):
    """Roles held outside any group."""

    SECRETARIAT = "secretariat"
    AUDITOR = "auditor"
    BOARD = "board"
    ADMIN = "admin"


class GroupKind(StrEnum):
    """The kinds of administrative body (DOMAIN.md, "The bodies")."""

    KG = "kg"
    EXPERT = "expert"
    CROSS_CUTTING = "cross_cutting"
    PROJECT = "project"
    AD_HOC = "ad_hoc"


class GroupRole(StrEnum):
    """A person's role in a group."""

    MEMBER = "member"
    LEADER = "leader"
    DEPUTY = "deputy"
    OBSERVER = "observer"


class Financing(StrEnum):
    """How a project is financed (R12)."""

    OWN = "own"
    CO_FINANCED = "co_financed"
    EXTERNAL = "external"


class CaseKind(StrEnum):
    """What a proposal is (R17)."""

    BOARD_CASE = "board_case"
    THEME_SPEAKER = "theme_speaker"
    POLITICAL_INFLUENCE = "political_influence"


class FocusArea(StrEnum):
    """Innsatsområder of Strategiske føringer 2025–2028."""

    TRANSPORT = "transport"
    BY_REGION = "by-region"
    KLIMA = "klima"
    NAERING = "naering"


class CaseStatus(StrEnum):
    """Where a case stands. DECLINED, WITHDRAWN and DECIDED are final."""

    PROPOSED = "proposed"
    UNDER_PREPARATION = "under_preparation"
    ADVICE_REQUESTED = "advice_requested"
    ADVICE_CLOSED = "advice_closed"
    READY = "ready"
    SUBMITTED = "submitted"
    POSTPONED = "postponed"
    DECIDED = "decided"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES


FINAL_STATUSES = frozenset({CaseStatus.DECLINED, CaseStatus.WITHDRAWN, CaseStatus.DECIDED})


class Stance(StrEnum):
    """A KG member's stance in their advice."""

    SUPPORTS = "supports"
    SUPPORTS_WITH_CHANGES = "supports_with_changes"
    DOES_NOT_SUPPORT = "does_not_support"
    NO_COMMENT = "no_comment"


class MeetingBody(StrEnum):
    """Which body a meeting belongs to; decides how its agenda is numbered."""

    BOARD = "board"
    KG = "kg"
    IPU = "ipu"
    COUNCIL = "council"
    GROUP = "group"
    JOINT = "joint"

    @property
    def numbers_per_year(self) -> bool:
        """Board, interest-policy committee and council number items per calendar year."""
        return self in (MeetingBody.BOARD, MeetingBody.IPU, MeetingBody.COUNCIL)


class Step(StrEnum):
    """The steps a case can take; names match the JSON API's ``/cases/{id}/{step}``."""

    ACCEPT = "accept"
    DECLINE = "decline"
    DRAFT = "draft"
    REQUEST_ADVICE = "request-advice"
    ADVICE = "advice"
    CLOSE_ADVICE = "close-advice"
    WAIVE_ADVICE = "waive-advice"
    READY = "ready"
    SUBMIT = "submit"
    DECISION = "decision"
    POSTPONE = "postpone"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Organisation:
    """Where a person works: a municipality/county (by number), the secretariat, or an
    external organisation (by name)."""

    kind: OrgKind
    name: str
    number: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind.value, "name": self.name, "number": self.number}

    @classmethod
    def from_dict(cls, data: dict[str, str | None]) -> Organisation:
        return cls(OrgKind(str(data["kind"])), str(data["name"]), data.get("number"))


@dataclass(frozen=True)
class Document:
    """The case document (saksframlegg). ``political_involvement`` is R19's assessment."""

    background: str = ""
    assessment: str = ""
    proposed_resolution: str = ""
    political_involvement: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "background": self.background,
            "assessment": self.assessment,
            "proposed_resolution": self.proposed_resolution,
            "political_involvement": self.political_involvement,
        }
