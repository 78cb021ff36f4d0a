"""A small organisation for tests, built through the application's own commands.

Regions: oslo, follo, asker-baerum (board regions). Member municipalities: Oslo (0301),
Ås (3218), Nordre Follo (3207), Asker (3203), Bærum (3201). Halden (3101) is a
non-member municipality. Groups: KG, ATP (expert), NTP (ad hoc), Energistasjon (project).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.domain.values import (
    CaseKind,
    Document,
    GroupKind,
    GroupRole,
    MeetingBody,
    Stance,
    SystemRole,
)

SYSTEM = None

FULL_DOCUMENT = Document(
    background="Bakgrunn for saken.",
    assessment="Sekretariatets vurdering.",
    proposed_resolution="Styret slutter seg til innspillet.",
    political_involvement="Saken drøftes i interessepolitisk utvalg før styret.",
)


@dataclass
class World:
    app: Caseflow
    people: dict[str, UUID] = field(default_factory=dict)
    groups: dict[str, UUID] = field(default_factory=dict)
    meetings: dict[str, UUID] = field(default_factory=dict)

    @classmethod
    def build(cls, app: Caseflow) -> World:
        w = cls(app)
        for slug, name in [
            ("oslo", "Oslo kommune"),
            ("follo", "Folloregionen"),
            ("asker-baerum", "Asker og Bærum regionråd"),
        ]:
            app.define_region(SYSTEM, slug, name, 1)
        for number, region in [
            ("0301", "oslo"),
            ("3218", "follo"),
            ("3207", "follo"),
            ("3203", "asker-baerum"),
            ("3201", "asker-baerum"),
        ]:
            app.join_osloregionen(SYSTEM, number, region)
        for slug, name, kind, extra in [
            ("kg", "Administrativ koordineringsgruppe", GroupKind.KG, {}),
            (
                "atp",
                "Faggruppe for areal- og transportplanlegging",
                GroupKind.EXPERT,
                {"focus_area": "transport"},
            ),
            ("ntp", "Administrativ NTP-gruppe", GroupKind.AD_HOC, {}),
            (
                "energistasjon",
                "Koordineringsgruppe Energistasjonsprosjektet",
                GroupKind.PROJECT,
                {
                    "financing": {
                        "financing": "co_financed",
                        "owner": "Miljødirektoratet (Klimasats)",
                        "role": "prosjekteier",
                    }
                },
            ),
        ]:
            w.groups[slug] = app.establish_group(SYSTEM, slug, name, kind, **extra).id
        w.person("sekretariat", "Sara Sekretær", "Sekretariatet", SystemRole.SECRETARIAT)
        w.person("sekretariat2", "Per Saksbehandler", "Sekretariatet", SystemRole.SECRETARIAT)
        w.person("revisor", "Rita Revisor", "Sekretariatet", SystemRole.AUDITOR)
        w.person("kg-leder", "Kari Leder", "Oslo")
        w.person("kg", "Knut Kommune", "Ås")
        w.person("kg2", "Berit Bærum", "Bærum")
        w.person("kg-obs", "Olav Observatør", "Statens vegvesen")
        w.person("atp-leder", "Anne Areal", "Asker")
        w.person("atp", "Tor Transport", "Nordre Follo")
        w.person("observator", "Oda Observatør", "Jernbanedirektoratet")
        w.person("halden", "Hans Halden", "Halden")
        w.person("ntp", "Nina NTP", "Bærum")
        w.person("ntp-obs", "Otto Bane", "Bane NOR")
        w.member("kg", "kg-leder")
        w.member("kg", "kg")
        w.member("kg", "kg2")
        w.member("kg", "kg-obs", GroupRole.OBSERVER)
        w.member("atp", "atp-leder")
        w.member("atp", "atp")
        w.member("atp", "observator", GroupRole.OBSERVER)
        w.member("ntp", "ntp")
        w.member("ntp", "ntp-obs", GroupRole.OBSERVER)
        app.appoint(w.people["kg"], w.groups["kg"], w.people["kg-leder"], GroupRole.LEADER)
        app.appoint(w.people["atp"], w.groups["atp"], w.people["atp-leder"], GroupRole.LEADER)
        w.meetings["board"] = app.schedule_meeting(
            SYSTEM, MeetingBody.BOARD, datetime(2099, 12, 8, 10, 0, tzinfo=UTC)
        ).id
        w.meetings["board2"] = app.schedule_meeting(
            SYSTEM, MeetingBody.BOARD, datetime(2099, 12, 15, 10, 0, tzinfo=UTC)
        ).id
        w.meetings["kg"] = app.schedule_meeting(
            SYSTEM, MeetingBody.KG, datetime(2099, 11, 24, 12, 0, tzinfo=UTC)
        ).id
        return w

    def person(self, key: str, name: str, org: str, *roles: SystemRole) -> UUID:
        view = self.app.register_person(SYSTEM, name, f"{key}@test.caseflow.no", org, roles)
        self.people[key] = view.id
        return view.id

    def member(self, group: str, person: str, role: GroupRole = GroupRole.MEMBER) -> None:
        self.app.add_member(SYSTEM, self.groups[group], self.people[person], role)

    def __getitem__(self, key: str) -> UUID:
        return self.people[key]

    # -- walking a case through its life -------------------------------------------------

    def proposed(self, group: str = "atp", by: str = "atp", title: str = "Innspill til NTP"):
        return self.app.propose_case(
            self.people[by], self.groups[group], title, "Kort sammendrag.", CaseKind.BOARD_CASE
        )

    def accepted(self, **kw):
        case = self.proposed(**kw)
        return self.app.accept_case(self["sekretariat"], case.id, self["sekretariat"])

    def drafted(self, document: Document = FULL_DOCUMENT, **kw):
        case = self.accepted(**kw)
        return self.app.draft_case(self["sekretariat"], case.id, document)

    def advice_requested(self, **kw):
        case = self.drafted(**kw)
        return self.app.request_advice(
            self["sekretariat"], case.id, date.today() + timedelta(days=14), self.meetings["kg"]
        )

    def advised(self, **kw):
        case = self.advice_requested(**kw)
        self.app.give_advice(self["kg"], case.id, Stance.SUPPORTS, "Godt innspill.")
        return self.app.close_advice(self["kg-leder"], case.id, "KG støtter saken.")

    def ready(self, **kw):
        case = self.advised(**kw)
        return self.app.mark_ready(self["sekretariat"], case.id)

    def submitted(self, meeting: str = "board", **kw):
        case = self.ready(**kw)
        return self.app.submit_case(self["sekretariat"], case.id, self.meetings[meeting])
