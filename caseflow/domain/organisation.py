"""The organisation as aggregates: people, groups with their memberships, and the
register of which municipalities are members of Osloregionen (and in which region).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.errors import InvalidInput, InvalidTransition, NotFoundError
from caseflow.domain.values import (
    Financing,
    GroupKind,
    GroupRole,
    Organisation,
    SystemRole,
    stable_id,
)

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant


class Person(CaseflowAggregate):
    """A person, their organisation and their roles outside groups (secretariat, auditor,
    board). Roles are granted and revoked as events, so who held which role when is known."""

    class Registered(CaseflowAggregate.Created):
        name: str
        email: str
        organisation: dict[str, Any]

    def __init__(self, name: str, email: str, organisation: dict[str, Any]) -> None:
        self.name = name
        self.email = email
        self.organisation = Organisation.from_dict(organisation)
        self.system_roles: set[SystemRole] = set()

    @staticmethod
    def create_id(email: str) -> UUID:
        return stable_id("person", email.strip().lower())

    class RoleGranted(CaseflowAggregate.Event):
        granted: str

        def apply(self, aggregate: Any) -> None:
            aggregate.system_roles.add(SystemRole(self.granted))

    class RoleRevoked(CaseflowAggregate.Event):
        revoked: str

        def apply(self, aggregate: Any) -> None:
            aggregate.system_roles.discard(SystemRole(self.revoked))

    class OrganisationChanged(CaseflowAggregate.Event):
        """No command records this (nothing moves a person to another organisation);
        the class stays so a store that holds one still loads."""

        organisation: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.organisation = Organisation.from_dict(self.organisation)

    def grant(self, role: SystemRole, by: Grant) -> None:
        if role in self.system_roles:
            raise InvalidTransition(
                "%(name)s already has the role %(role)s", name=self.name, role=str(role)
            )
        self._record(self.RoleGranted, by, granted=role.value)

    def revoke(self, role: SystemRole, by: Grant) -> None:
        if role not in self.system_roles:
            raise InvalidTransition(
                "%(name)s does not have the role %(role)s", name=self.name, role=str(role)
            )
        self._record(self.RoleRevoked, by, revoked=role.value)


@dataclass(frozen=True)
class Membership:
    """A person's place in a group: role and on whose behalf, since when."""

    person_id: UUID
    role: GroupRole
    on_behalf_of: str
    since: datetime

    @property
    def acts(self) -> bool:
        """Observers read; everyone else may propose, advise and appoint (R9)."""
        return self.role is not GroupRole.OBSERVER


@dataclass(frozen=True)
class Appointment:
    """How the holder of a position was appointed (R4): who recorded it, in which role,
    who confirmed it (when the appointee recorded it), and when."""

    person_id: UUID
    position: GroupRole
    recorded_by: str
    recorded_as: str
    confirmed_by: UUID | None
    at: datetime


class Group(CaseflowAggregate):
    """An administrative group (KG, expert group, cross-cutting, project, ad hoc) and its
    memberships. Leader and deputy are roles of members, appointed by the group (R4)."""

    class Established(CaseflowAggregate.Created):
        slug: str
        name: str
        short_name: str
        kind: str
        focus_area: str | None
        financing: dict[str, Any] | None

    def __init__(
        self,
        slug: str,
        name: str,
        short_name: str,
        kind: str,
        focus_area: str | None,
        financing: dict[str, Any] | None,
    ) -> None:
        self.slug = slug
        self.name = name
        self.short_name = short_name
        self.kind = GroupKind(kind)
        self.focus_area = focus_area
        self.financing = financing
        self.members: dict[UUID, Membership] = {}
        #: The latest appointment to each position (R4), as recorded.
        self.appointments: dict[GroupRole, Appointment] = {}
        self.dissolved = False

    @staticmethod
    def create_id(slug: str) -> UUID:
        return stable_id("group", slug)

    class MemberAdded(CaseflowAggregate.Event):
        person_id: UUID
        member_role: str
        member_on_behalf_of: str

        def apply(self, aggregate: Any) -> None:
            aggregate.members[self.person_id] = Membership(
                self.person_id,
                GroupRole(self.member_role),
                self.member_on_behalf_of,
                self.timestamp,
            )

    class MemberRemoved(CaseflowAggregate.Event):
        person_id: UUID
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.members.pop(self.person_id, None)

    class Appointed(CaseflowAggregate.Event):
        """The group's own appointment of its leader or deputy (R4). A previous holder
        of that position becomes an ordinary member. ``confirmed_by`` is the second
        member who confirmed an appointment the appointee recorded (version 2 of the
        event; version 1 events had none)."""

        class_version = 2

        person_id: UUID
        position: str
        confirmed_by: UUID | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["confirmed_by"] = None

        def apply(self, aggregate: Any) -> None:
            position = GroupRole(self.position)
            for pid, m in list(aggregate.members.items()):
                if m.role is position:
                    aggregate.members[pid] = replace(m, role=GroupRole.MEMBER)
            current = aggregate.members[self.person_id]
            aggregate.members[self.person_id] = replace(current, role=position)
            aggregate.appointments[position] = Appointment(
                self.person_id, position, self.actor, self.role, self.confirmed_by, self.timestamp
            )

    class FinancingRecorded(CaseflowAggregate.Event):
        financing: dict[str, Any]

        def apply(self, aggregate: Any) -> None:
            aggregate.financing = self.financing

    def membership(self, person_id: UUID) -> Membership | None:
        return self.members.get(person_id)

    def holder(self, position: GroupRole) -> UUID | None:
        """Who holds ``position`` (leader or deputy) now, if anyone."""
        for pid, m in self.members.items():
            if m.role is position:
                return pid
        return None

    def add_member(self, person_id: UUID, role: GroupRole, on_behalf_of: str, by: Grant) -> None:
        if person_id in self.members:
            raise InvalidTransition(
                "the person is already a member of this group", person=str(person_id)
            )
        if role in (GroupRole.LEADER, GroupRole.DEPUTY):
            raise InvalidInput.field(
                "role",
                "leader and deputy are appointed by the group itself; add as member first",
                rule="R4",
            )
        self._record(
            self.MemberAdded,
            by,
            person_id=person_id,
            member_role=role.value,
            member_on_behalf_of=on_behalf_of,
        )

    def remove_member(self, person_id: UUID, reason: str, by: Grant) -> None:
        if person_id not in self.members:
            raise InvalidTransition("the person is not a member of this group")
        self._record(self.MemberRemoved, by, person_id=person_id, reason=reason)

    def appoint(
        self, person_id: UUID, position: GroupRole, by: Grant, confirmed_by: UUID | None = None
    ) -> None:
        if position not in (GroupRole.LEADER, GroupRole.DEPUTY):
            raise InvalidInput.field("role", "only leader or deputy can be appointed", rule="R4")
        self._record(
            self.Appointed,
            by,
            person_id=person_id,
            position=position.value,
            confirmed_by=confirmed_by,
        )

    def appointment(self, position: GroupRole) -> Appointment | None:
        """How the current holder of ``position`` was appointed, if anyone holds it."""
        found = self.appointments.get(position)
        return found if found is not None and self.holder(position) == found.person_id else None

    def record_financing(self, financing: dict[str, Any], by: Grant) -> None:
        self._record(self.FinancingRecorded, by, financing=financing)


def check_financing(kind: GroupKind, financing: dict[str, Any] | None) -> dict[str, Any] | None:
    """R12: a co-financed or externally financed project records its owner/financier and
    Osloregionen's defined role. Returns the normalised financing record."""
    if financing is None:
        if kind is GroupKind.PROJECT:
            return {"financing": Financing.OWN.value, "owner": "Osloregionen", "role": "eier"}
        return None
    try:
        how = Financing(str(financing.get("financing", Financing.OWN.value)))
    except ValueError:
        raise InvalidInput.field(
            "financing", "must be own, co_financed or external", rule="R12"
        ) from None
    owner = str(financing.get("owner") or "").strip()
    role = str(financing.get("role") or "").strip()
    if how is not Financing.OWN:
        errors: dict[str, list[str]] = {}
        if not owner:
            errors["owner"] = ["a co-financed or externally financed project records its owner"]
        if not role:
            errors["role"] = ["record Osloregionen's defined role in the project"]
        if errors:
            raise InvalidInput(
                "a co-financed or externally financed project must record its "
                "owner/financier and Osloregionen's role",
                rule="R12",
                fields=errors,
            )
    return {"financing": how.value, "owner": owner or "Osloregionen", "role": role or "eier"}


class MemberRegister(CaseflowAggregate):
    """Which municipalities and county municipalities are members of Osloregionen, in
    which region, and which regions hold board seats. One per installation."""

    class Opened(CaseflowAggregate.Created):
        pass

    def __init__(self) -> None:
        self.regions: dict[str, dict[str, Any]] = {}
        self.members: dict[str, str] = {}

    @staticmethod
    def create_id() -> UUID:
        return stable_id("member-register")

    class RegionDefined(CaseflowAggregate.Event):
        slug: str
        name: str
        board_seats: int

        def apply(self, aggregate: Any) -> None:
            aggregate.regions[self.slug] = {
                "slug": self.slug,
                "name": self.name,
                "board_seats": self.board_seats,
            }

    class Joined(CaseflowAggregate.Event):
        number: str
        region: str

        def apply(self, aggregate: Any) -> None:
            aggregate.members[self.number] = self.region

    class Left(CaseflowAggregate.Event):
        number: str

        def apply(self, aggregate: Any) -> None:
            aggregate.members.pop(self.number, None)

    def define_region(self, slug: str, name: str, board_seats: int, by: Grant) -> None:
        self._record(self.RegionDefined, by, slug=slug, name=name, board_seats=board_seats)

    def join(self, number: str, region: str, by: Grant) -> None:
        if region not in self.regions:
            raise InvalidInput.field("region", "unknown region %(region)r", region=region)
        if self.members.get(number) == region:
            raise InvalidTransition(
                "%(number)s is already a member in %(region)s", number=number, region=region
            )
        self._record(self.Joined, by, number=number, region=region)

    def leave(self, number: str, by: Grant) -> None:
        if number not in self.members:
            raise InvalidTransition("%(number)s is not a member", number=number)
        self._record(self.Left, by, number=number)

    def region_of(self, number: str | None) -> str | None:
        return self.members.get(number) if number else None

    def board_regions(self) -> list[str]:
        return [slug for slug, r in self.regions.items() if r["board_seats"] > 0]


#: How long a token issued before tokens had an expiry stays valid (from its issue).
LEGACY_TOKEN_DAYS = 90


@dataclass(frozen=True)
class ApiToken:
    """One personal API token as the account knows it: never the secret, only its
    SHA-256 hash, the last four characters (to tell tokens apart) and its lifetime."""

    id: str
    token_hash: str
    label: str
    created_at: datetime
    expires_at: datetime
    last_four: str
    revoked_at: datetime | None = None

    def problem(self, now: datetime) -> str | None:
        """Why the token does not authenticate now (``revoked``/``expired``), or None."""
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return None


class Account(CaseflowAggregate):
    """A login for a person: password hash, API tokens (hashes, never the secrets) and the
    session epoch. Every session cookie carries the epoch it was started in; ending the
    account's sessions (logging out, a new password) moves the epoch on, so a cookie
    copied before is refused by every worker from then on."""

    class Opened(CaseflowAggregate.Created):
        email: str
        person_id: UUID
        password_hash: str

    def __init__(self, email: str, person_id: UUID, password_hash: str) -> None:
        self.email = email
        self.person_id = person_id
        self.password_hash = password_hash
        self.tokens: dict[str, ApiToken] = {}
        self.session_epoch = 0

    @staticmethod
    def create_id(email: str) -> UUID:
        return stable_id("account", email.strip().lower())

    class PasswordChanged(CaseflowAggregate.Event):
        """A new password; the sessions started with the old one end."""

        password_hash: str

        def apply(self, aggregate: Any) -> None:
            aggregate.password_hash = self.password_hash
            aggregate.session_epoch += 1

    class TokenIssued(CaseflowAggregate.Event):
        """A personal API token (version 2: with id, expiry and last four characters;
        version 1 tokens get the id from their hash and expire ``LEGACY_TOKEN_DAYS``
        after they were issued)."""

        class_version = 2

        token_hash: str
        label: str
        token_id: str
        expires_at: datetime
        last_four: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["token_id"] = str(state["token_hash"])[:12]
            state["expires_at"] = state["timestamp"] + timedelta(days=LEGACY_TOKEN_DAYS)
            state["last_four"] = ""

        def apply(self, aggregate: Any) -> None:
            aggregate.tokens[self.token_id] = ApiToken(
                self.token_id,
                self.token_hash,
                self.label,
                self.timestamp,
                self.expires_at,
                self.last_four,
            )

    class TokenRevoked(CaseflowAggregate.Event):
        token_id: str
        reason: str

        def apply(self, aggregate: Any) -> None:
            token = aggregate.tokens[self.token_id]
            aggregate.tokens[self.token_id] = replace(token, revoked_at=self.timestamp)

    class SessionsEnded(CaseflowAggregate.Event):
        """Every session cookie issued so far stops working (logout, or an administrator
        ending them)."""

        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.session_epoch += 1

    def change_password(self, password_hash: str, by: Grant) -> None:
        self._record(self.PasswordChanged, by, password_hash=password_hash)

    def issue_token(
        self,
        token_id: str,
        token_hash: str,
        label: str,
        expires_at: datetime,
        last_four: str,
        by: Grant,
    ) -> None:
        if token_id in self.tokens:
            raise InvalidTransition("a token with this id already exists", token=token_id)
        self._record(
            self.TokenIssued,
            by,
            token_hash=token_hash,
            label=label,
            token_id=token_id,
            expires_at=expires_at,
            last_four=last_four,
        )

    def token(self, token_id: str) -> ApiToken | None:
        return self.tokens.get(token_id)

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        for token in self.tokens.values():
            if token.token_hash == token_hash:
                return token
        return None

    def revoke_token(self, token_id: str, reason: str, by: Grant) -> None:
        token = self.tokens.get(token_id)
        if token is None:
            raise NotFoundError("token not found", token=token_id)
        if token.revoked_at is not None:
            raise InvalidTransition("the token is already revoked", token=token_id)
        self._record(self.TokenRevoked, by, token_id=token_id, reason=reason)

    def end_sessions(self, reason: str, by: Grant) -> None:
        self._record(self.SessionsEnded, by, reason=reason)
