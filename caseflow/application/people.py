"""People as a given reader may see them (data minimisation): every logged-in person reads
names and organisations; e-mail addresses and system roles only those who need them
(``caseflow.application.security.contacts_visible_to``)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from caseflow.application.core import CaseflowCore
from caseflow.application.organisation import OrganisationService
from caseflow.application.security import contacts_visible_to, sees_everyones_contacts
from caseflow.application.views import PersonView
from caseflow.domain.index import Directory
from caseflow.domain.organisation import Person


@dataclass(frozen=True)
class DisclosedPerson:
    """A person, and which of their personal details the reader may see."""

    person: PersonView
    email: bool
    roles: bool


class PeopleService:
    """The people list for a reader."""

    def __init__(self, core: CaseflowCore, organisation: OrganisationService) -> None:
        self.core = core
        self.organisation = organisation

    def people_seen_by(self, viewer_id: UUID) -> list[DisclosedPerson]:
        """Everyone, with e-mail addresses for the secretariat and auditors (everyone's)
        and for a group's non-observer members (that group's people); system roles for
        the secretariat and auditors only."""
        with self.core.reading():
            viewer = self.core.actor(viewer_id)
            groups = [(g.id, list(g.members)) for g in self.core.shared_groups()]
            visible = contacts_visible_to(viewer, groups)
            roles = sees_everyones_contacts(viewer)
            directory = self.core.for_query(Directory, Directory.create_id(), optional=True)
            people = list(directory.people) if directory is not None else []
            found = []
            for pid in people:
                person = self.core.for_query(Person, pid, "person")
                view = self.organisation.person_view(person)
                email = visible is None or pid in visible
                found.append(DisclosedPerson(view, email, roles))
            return found
