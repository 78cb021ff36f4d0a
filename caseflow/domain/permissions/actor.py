"""Whom the permission functions judge: the :class:`Actor` (a person's system roles and
group seats *at the moment of a command*), the :class:`Grant` a permitted step records,
and the one predicate every area shares (:func:`may_read_everything`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from caseflow.domain.base import SYSTEM
from caseflow.domain.values import GroupKind, GroupRole, Organisation, SystemRole


@dataclass(frozen=True)
class Seat:
    """The actor's membership in one group, as it is now."""

    group_id: UUID
    group_slug: str
    group_kind: GroupKind
    role: GroupRole
    on_behalf_of: str

    @property
    def acts(self) -> bool:
        return self.role is not GroupRole.OBSERVER

    @property
    def label(self) -> str:
        """The role as recorded in events, e.g. ``kg:member`` or ``atp:leader``."""
        return f"{self.group_slug}:{self.role.value}"


@dataclass(frozen=True)
class Actor:
    """A person as the permission functions see them at the moment of a command."""

    id: str
    name: str
    organisation: Organisation | None
    region: str | None
    system_roles: frozenset[SystemRole] = frozenset()
    seats: Mapping[UUID, Seat] = field(default_factory=dict)

    @property
    def is_system(self) -> bool:
        return self.id == SYSTEM

    @property
    def is_secretariat(self) -> bool:
        return self.is_system or SystemRole.SECRETARIAT in self.system_roles

    def seat(self, group_id: UUID) -> Seat | None:
        return self.seats.get(group_id)


SYSTEM_ACTOR = Actor(id=SYSTEM, name="Caseflow", organisation=None, region=None)


@dataclass(frozen=True)
class Grant:
    """Why a step was allowed: recorded on the event as actor, role and on-behalf-of."""

    actor: str
    role: str
    on_behalf_of: str | None


def secretariat_grant(actor: Actor) -> Grant:
    """The grant of a step the secretariat (or the system) takes; the caller has checked
    that the actor is the secretariat."""
    if actor.is_system:
        return Grant(SYSTEM, SYSTEM, None)
    return Grant(actor.id, SystemRole.SECRETARIAT.value, "sekretariatet")


def may_read_everything(actor: Actor) -> bool:
    """Auditors and the secretariat see every case and the whole audit trail."""
    return actor.is_secretariat or SystemRole.AUDITOR in actor.system_roles
