"""Commands and queries on the organisation: the member register, people, groups,
memberships and appointments (login accounts: ``accounts.py``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from caseflow.application.core import CaseflowCore
from caseflow.application.views import AppointmentView, GroupView, MemberView, PersonView
from caseflow.data import County, load_municipalities
from caseflow.domain.base import SYSTEM
from caseflow.domain.errors import InvalidInput, InvalidTransition, NotPermitted
from caseflow.domain.index import Directory
from caseflow.domain.organisation import Group, MemberRegister, Person, check_financing
from caseflow.domain.permissions import (
    Actor,
    Grant,
    may_add_member,
    may_appoint,
    may_manage_organisation,
)
from caseflow.domain.values import GroupKind, GroupRole, Organisation, OrgKind, SystemRole

SECRETARIAT_NAMES = {"sekretariatet", "secretariat", "osloregionens sekretariat"}


class OrganisationService:
    """People, groups, memberships and the member register."""

    def __init__(self, core: CaseflowCore) -> None:
        self.core = core

    # -- the member register ----------------------------------------------------------

    def open_register(self, actor_id: UUID | str | None = None) -> MemberRegister:
        grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
        register = self.core.register()
        if register is None:
            register = MemberRegister._create(
                MemberRegister.Opened,
                id=MemberRegister.create_id(),
                actor=grant.actor,
                role=grant.role,
                on_behalf_of=grant.on_behalf_of,
            )
            self.core.save_all(register)
        return register

    def define_region(
        self, actor_id: UUID | str | None, slug: str, name: str, board_seats: int = 1
    ) -> None:
        def command() -> None:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            register = self.open_register(actor_id)
            register.define_region(slug, name, board_seats, grant)
            self.core.save_all(register)

        self.core.retrying(command)

    def join_osloregionen(self, actor_id: UUID | str | None, municipality: str, region: str) -> str:
        """Record that a municipality or county municipality is a member (in ``region``)."""
        found = load_municipalities().lookup(municipality)
        if found is None:
            raise InvalidInput.field(
                "municipality", "unknown municipality %(value)r", value=municipality
            )

        def command() -> str:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            register = self.open_register(actor_id)
            register.join(found.number, region, grant)
            self.core.save_all(register)
            return found.number

        return self.core.retrying(command)

    def leave_osloregionen(self, actor_id: UUID | str | None, municipality: str) -> None:
        found = load_municipalities().lookup(municipality)
        if found is None:
            raise InvalidInput.field(
                "municipality", "unknown municipality %(value)r", value=municipality
            )

        def command() -> None:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            register = self.open_register(actor_id)
            register.leave(found.number, grant)
            self.core.save_all(register)

        self.core.retrying(command)

    def resolve_organisation(
        self, organisation: str | dict[str, Any] | Organisation
    ) -> Organisation:
        """A municipality/county by number or name, the secretariat, or else an external
        organisation by name."""
        if isinstance(organisation, Organisation):
            return organisation
        if isinstance(organisation, dict):
            if "kind" in organisation:
                return Organisation.from_dict(organisation)
            organisation = str(organisation.get("name") or organisation.get("number") or "")
        text = organisation.strip()
        if not text:
            raise InvalidInput.field("organisation", "required")
        if text.lower() in SECRETARIAT_NAMES:
            return Organisation(OrgKind.SECRETARIAT, "Sekretariatet")
        found = load_municipalities().lookup(text)
        if found is not None:
            kind = OrgKind.COUNTY if isinstance(found, County) else OrgKind.MUNICIPALITY
            return Organisation(kind, found.name, found.number)
        if text.isdigit():
            raise InvalidInput.field(
                "organisation", "No municipality has number %(number)s.", number=text
            )
        return Organisation(OrgKind.EXTERNAL, text)

    # -- people -----------------------------------------------------------------------

    def register_person(
        self,
        actor_id: UUID | str | None,
        name: str,
        email: str,
        organisation: str | dict[str, Any] | Organisation,
        roles: tuple[SystemRole, ...] = (),
    ) -> PersonView:
        """Register a person (unique by e-mail), optionally with system roles."""
        name, email = name.strip(), email.strip().lower()
        errors: dict[str, list[str]] = {}
        if not name:
            errors["name"] = ["required"]
        if "@" not in email or email.startswith("@") or email.endswith("@"):
            errors["email"] = ["a valid e-mail address is required"]
        if errors:
            raise InvalidInput("invalid person", fields=errors)
        org = self.resolve_organisation(organisation)

        def command() -> PersonView:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            if self.core.for_query(Person, Person.create_id(email), optional=True) is not None:
                raise InvalidTransition(
                    "A person with e-mail %(email)s is already registered.",
                    field="email",
                    email=email,
                )
            person = Person._create(
                Person.Registered,
                name=name,
                email=email,
                organisation=org.as_dict(),
                actor=grant.actor,
                role=grant.role,
                on_behalf_of=grant.on_behalf_of,
            )
            for role in roles:
                person.grant(role, grant)
            directory = self.core.directory()
            directory.list_person(person.id, grant)
            self.core.save_all(person, directory)
            return self.person_view(person)

        return self.core.retrying(command)

    def grant_role(
        self, actor_id: UUID | str | None, person_id: UUID, role: SystemRole
    ) -> PersonView:
        def command() -> PersonView:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            person = self.core.for_command(Person, person_id, "person")
            person.grant(role, grant)
            self.core.save_all(person)
            return self.person_view(person)

        return self.core.retrying(command)

    def revoke_role(
        self, actor_id: UUID | str | None, person_id: UUID, role: SystemRole
    ) -> PersonView:
        def command() -> PersonView:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            person = self.core.for_command(Person, person_id, "person")
            person.revoke(role, grant)
            self.core.save_all(person)
            return self.person_view(person)

        return self.core.retrying(command)

    def person_view(self, person: Person) -> PersonView:
        register = self.core.for_query(MemberRegister, MemberRegister.create_id(), optional=True)
        region = register.region_of(person.organisation.number) if register else None
        return PersonView(
            id=person.id,
            name=person.name,
            email=person.email,
            organisation=person.organisation.as_dict(),
            region=region,
            system_roles=sorted(r.value for r in person.system_roles),
            version=person.version,
        )

    def get_person(self, person_id: UUID) -> PersonView:
        with self.core.reading():
            return self.person_view(self.core.for_query(Person, person_id, "person"))

    def find_person_by_email(self, email: str) -> PersonView | None:
        with self.core.reading():
            person = self.core.for_query(Person, Person.create_id(email), optional=True)
            return self.person_view(person) if person else None

    def list_people(self) -> list[PersonView]:
        with self.core.reading():
            directory = self.core.for_query(Directory, Directory.create_id(), optional=True)
            people = list(directory.people) if directory is not None else []
            return [self.get_person(pid) for pid in people]

    # -- groups -------------------------------------------------------------------------

    def establish_group(
        self,
        actor_id: UUID | str | None,
        slug: str,
        name: str,
        kind: GroupKind,
        *,
        short_name: str | None = None,
        focus_area: str | None = None,
        financing: dict[str, Any] | None = None,
    ) -> GroupView:
        """Create a group of any kind; a project records its financing (R12)."""
        if not slug.strip() or not name.strip():
            raise InvalidInput("invalid group", fields={"name": ["required"]})
        record = check_financing(kind, financing)

        def command() -> GroupView:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            if self.core.for_query(Group, Group.create_id(slug), optional=True) is not None:
                raise InvalidTransition("a group %(slug)r already exists", field="slug", slug=slug)
            group = Group._create(
                Group.Established,
                slug=slug,
                name=name.strip(),
                short_name=(short_name or name).strip(),
                kind=kind.value,
                focus_area=focus_area,
                financing=record,
                actor=grant.actor,
                role=grant.role,
                on_behalf_of=grant.on_behalf_of,
            )
            directory = self.core.directory()
            directory.list_group(slug, group.id, grant)
            self.core.save_all(group, directory)
            return self.group_view(group)

        return self.core.retrying(command)

    def record_financing(
        self, actor_id: UUID | str | None, group_id: UUID, financing: dict[str, Any]
    ) -> GroupView:
        def command() -> GroupView:
            grant = may_manage_organisation(self.core.actor(actor_id, groups=()))
            group = self.core.for_command(Group, group_id, "group")
            group.record_financing(check_financing(group.kind, financing) or {}, grant)
            self.core.save_all(group)
            return self.group_view(group)

        return self.core.retrying(command)

    def add_member(
        self,
        actor_id: UUID | str | None,
        group_id: UUID,
        person_id: UUID,
        role: GroupRole = GroupRole.MEMBER,
        on_behalf_of: str | None = None,
        expected_version: int | None = None,
    ) -> GroupView:
        """Place a person in a group (R8, R9, R10, R11)."""

        def command() -> GroupView:
            group = self.core.for_command(Group, group_id, "group")
            self.core.check_version(group, expected_version)
            actor = self.core.actor(actor_id, groups=(group_id,))
            person = self.core.for_query(Person, person_id, "person")
            register = self.core.for_query(
                MemberRegister, MemberRegister.create_id(), optional=True
            )
            region = register.region_of(person.organisation.number) if register else None
            grant, behalf = may_add_member(
                actor, group_id, group.kind, person.organisation, region, role, on_behalf_of
            )
            group.add_member(person_id, role, behalf, grant)
            self.core.save_all(group)
            return self.group_view(group)

        return self.core.retrying(command)

    def remove_member(
        self,
        actor_id: UUID | str | None,
        group_id: UUID,
        person_id: UUID,
        reason: str = "",
        expected_version: int | None = None,
    ) -> GroupView:
        """End a membership: by the secretariat or the group's leader or deputy (who also
        add members). The membership's history stays in the group's events; from the
        next command on, in every process, the person acts without that seat (R9: no
        proposal or advice for the group any more)."""

        def command() -> GroupView:
            group = self.core.for_command(Group, group_id, "group")
            self.core.check_version(group, expected_version)
            actor = self.core.actor(actor_id, groups=(group_id,))
            seat = actor.seat(group_id)
            if seat is not None and seat.role in (GroupRole.LEADER, GroupRole.DEPUTY):
                grant = Grant(actor.id, seat.label, seat.on_behalf_of)
            else:
                grant = may_manage_organisation(actor)
            group.remove_member(person_id, reason or "removed", grant)
            self.core.save_all(group)
            return self.group_view(group)

        return self.core.retrying(command)

    def appoint(
        self,
        actor_id: UUID | str | None,
        group_id: UUID,
        person_id: UUID,
        position: GroupRole,
        expected_version: int | None = None,
        confirmed_by: UUID | None = None,
    ) -> GroupView:
        """The group's own appointment of its leader or deputy (R4): recorded by a
        non-observer member other than the appointee, or by the appointee with a second
        non-observer member's confirmation (``confirmed_by``), which the event records."""

        def command() -> GroupView:
            group = self.core.for_command(Group, group_id, "group")
            self.core.check_version(group, expected_version)
            actor = self.core.actor(actor_id, groups=(group_id,))
            m = group.membership(person_id)
            appointee = self.core.actor(person_id, groups=(group_id,)).seat(group_id) if m else None
            confirmer = None
            if confirmed_by is not None:
                if self.core.for_query(Person, confirmed_by, optional=True) is None:
                    raise NotPermitted(
                        "Only the group's own members confirm its appointments.", rule="R4"
                    )
                confirmer = self.core.actor(confirmed_by, groups=(group_id,))
            grant = may_appoint(actor, group_id, person_id, appointee, confirmer)
            group.appoint(person_id, position, grant, confirmed_by)
            self.core.save_all(group)
            return self.group_view(group)

        return self.core.retrying(command)

    def group_view(self, group: Group) -> GroupView:
        register = self.core.for_query(MemberRegister, MemberRegister.create_id(), optional=True)
        spread: dict[str, int] = {}
        members = []
        for m in group.members.values():
            members.append(
                MemberView(
                    m.person_id,
                    self.core.person_name(m.person_id),
                    m.role.value,
                    m.on_behalf_of,
                    m.since,
                )
            )
            if m.acts:
                spread[m.on_behalf_of] = spread.get(m.on_behalf_of, 0) + 1
        board_regions = register.board_regions() if register else []
        gaps = [r for r in board_regions if r not in spread]
        return GroupView(
            id=group.id,
            slug=group.slug,
            name=group.name,
            short_name=group.short_name,
            kind=group.kind.value,
            focus_area=group.focus_area,
            financing=dict(group.financing) if group.financing is not None else None,
            members=sorted(members, key=lambda m: (m.role != "leader", m.role != "deputy", m.name)),
            leader=group.holder(GroupRole.LEADER),
            deputy=group.holder(GroupRole.DEPUTY),
            spread=spread,
            gaps=gaps,
            version=group.version,
            appointments=self._appointment_views(group),
        )

    def _appointment_views(self, group: Group) -> list[AppointmentView]:
        views = []
        for position in (GroupRole.LEADER, GroupRole.DEPUTY):
            a = group.appointment(position)
            if a is None:
                continue
            recorder = UUID(a.recorded_by) if a.recorded_by != SYSTEM else None
            views.append(
                AppointmentView(
                    position=position.value,
                    person_id=a.person_id,
                    name=self.core.person_name(a.person_id),
                    recorded_by=recorder,
                    recorded_by_name=self.core.person_name(a.recorded_by),
                    recorded_as=a.recorded_as,
                    confirmed_by=a.confirmed_by,
                    confirmed_by_name=self.core.person_name(a.confirmed_by) or None,
                    at=a.at,
                )
            )
        return views

    def get_group(self, group_id: UUID) -> GroupView:
        with self.core.reading():
            return self.group_view(self.core.for_query(Group, group_id, "group"))

    def group_by_slug(self, slug: str) -> GroupView:
        return self.get_group(Group.create_id(slug))

    def list_groups(self) -> list[GroupView]:
        with self.core.reading():
            return [self.group_view(g) for g in self.core.shared_groups()]

    def me(self, person_id: UUID) -> dict[str, Any]:
        """The caller: person, system roles and memberships."""
        with self.core.reading():
            actor: Actor = self.core.actor(person_id)
            person = self.get_person(person_id)
        return {
            **person.as_dict(),
            "memberships": [
                {
                    "group_id": str(s.group_id),
                    "group": s.group_slug,
                    "kind": s.group_kind.value,
                    "role": s.role.value,
                    "on_behalf_of": s.on_behalf_of,
                }
                for s in actor.seats.values()
            ],
        }
