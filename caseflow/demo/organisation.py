"""The demo organisation: Osloregionen's real regions, member municipalities and groups
(from :func:`caseflow.data.load_organisation`), the demo accounts of API.md and fictional
people, all recorded through the application's own commands.

At scale (``national=True``) every other municipality of Norway joins too, in regions of
about six neighbouring municipalities per county, so KG has a member from each of some
sixty board regions: the shape of a national installation.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.data import load_municipalities, load_organisation
from caseflow.demo.names import FIRST_NAMES, LAST_NAMES, OBSERVER_ORGANISATIONS
from caseflow.domain.values import GroupKind, GroupRole, SystemRole

DOMAIN = "demo.caseflow.no"
PASSWORD = "demo"

#: The board region deliberately left without a KG member, shown as a gap (R6).
GAP_REGION = "sondre-ostfold"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    organisation: str
    who: str


#: The demo accounts of API.md (password ``demo``).
ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(f"sekretariat@{DOMAIN}", "Hanne Lund", "Sekretariatet", "secretariat case officer"),
    DemoAccount(f"kg-leder@{DOMAIN}", "Trond Haugen", "Oslo", "KG leader (Oslo kommune)"),
    DemoAccount(f"kg@{DOMAIN}", "Silje Moen", "Ås", "KG member on behalf of Folloregionen"),
    DemoAccount(f"atp@{DOMAIN}", "Eirik Dahl", "Lillestrøm", "member of faggruppe ATP"),
    DemoAccount(f"atp-leder@{DOMAIN}", "Marit Strand", "Asker", "leader of faggruppe ATP"),
    DemoAccount(
        f"observator@{DOMAIN}",
        "Knut Bakken",
        "Jernbanedirektoratet",
        "observer in faggruppe ATP (Jernbanedirektoratet)",
    ),
    DemoAccount(
        f"revisor@{DOMAIN}", "Astrid Nygård", "Kommunerevisjonen", "auditor (read-only everything)"
    ),
)


@dataclass
class Roster:
    """Who is who in the demo organisation (ids of people and groups)."""

    director: UUID
    officers: list[UUID] = field(default_factory=list)
    people: dict[str, UUID] = field(default_factory=dict)  # e-mail -> id
    groups: dict[str, UUID] = field(default_factory=dict)  # slug -> id
    #: Acting (non-observer) members per group slug.
    acting: dict[str, list[UUID]] = field(default_factory=dict)
    leaders: dict[str, UUID] = field(default_factory=dict)
    deputies: dict[str, UUID] = field(default_factory=dict)
    board_regions: list[str] = field(default_factory=list)
    kg_regions: set[str] = field(default_factory=set)

    def person(self, key: str) -> UUID:
        """A demo account's person id by the e-mail's local part, e.g. ``kg-leder``."""
        return self.people[f"{key}@{DOMAIN}"]


def ascii_slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
    folded = unicodedata.normalize("NFKD", text.translate(table))
    kept = "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -"))
    return "-".join(kept.lower().split())


class NamePool:
    """Distinct fictional full names, drawn with the demo's seed."""

    def __init__(self, rng: random.Random, reserved: set[str]) -> None:
        combos = [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(combos)
        self._names: Iterator[str] = (n for n in combos if n not in reserved)

    def next(self) -> str:
        return next(self._names)


def _email(name: str) -> str:
    first, _, last = name.partition(" ")
    return f"{ascii_slug(first)}.{ascii_slug(last)}@{DOMAIN}"


def _seat_municipality(region: dict[str, Any]) -> str | None:
    """The municipality of a region's board seat-holder, from e.g. 'ordfører, Asker kommune'."""
    held = str((region.get("board_seat") or {}).get("held_by_role") or "")
    _, _, place = held.partition(",")
    place = place.strip().removesuffix(" kommune").strip()
    found = load_municipalities().lookup(place) if place else None
    return found.number if found else None


def _regions(national: bool) -> list[dict[str, Any]]:
    """Regions as ``{slug, name, board_seats, municipalities: [number…]}``."""
    org = load_organisation()
    members: dict[str, list[str]] = {}
    for m in org["member_municipalities"]:
        members.setdefault(m["region"], []).append(m["number"])
    regions = [
        {
            "slug": r["slug"],
            "name": r["name"],
            "board_seats": 1 if r.get("board_seat") else 0,
            "municipalities": members.get(r["slug"], list(r.get("municipalities", []))),
            "seat": _seat_municipality(r),
        }
        for r in org["regions"]
    ]
    if national:
        taken = {n for r in regions for n in r["municipalities"]}
        register = load_municipalities()
        by_county: dict[str, list[str]] = {}
        for number in sorted(register.by_number):
            if number not in taken:
                by_county.setdefault(register.by_number[number].county, []).append(number)
        for county, numbers in sorted(by_county.items()):
            for i in range(0, len(numbers), 6):
                chunk = numbers[i : i + 6]
                first = register.by_number[chunk[0]].name.split(" - ")[0].split(" (")[0]
                regions.append(
                    {
                        "slug": f"{ascii_slug(first)}-{county}",
                        "name": f"{first}regionen",
                        "board_seats": 1,
                        "municipalities": chunk,
                        "seat": chunk[0],
                    }
                )
    return regions


def _financing(group: dict[str, Any]) -> dict[str, Any] | None:
    project = group.get("project") or {}
    raw = project.get("financing")
    if not raw:
        return None
    kind = str(raw.get("kind", "own")).replace("-", "_")
    # what the secretariat records, in bokmål (the reference's notes are in English)
    role = project.get("osloregionen_role_nb") or project.get("osloregionen_role")
    role = str(role or "prosjekteier").split(";")[0]
    return {"financing": kind, "owner": raw.get("financier") or "", "role": role[:200]}


def build_organisation(app: Caseflow, rng: random.Random, *, national: bool = False) -> Roster:
    """Record the organisation and people through the application's commands. KG has a
    member from every board region but the gap region (R6), two from a few larger ones
    (R8: no cap), and nationally two from every region of six municipalities."""
    build = _Builder(app, rng, national)
    build.regions_and_groups()
    build.staff()
    build.place_kg()
    build.place_groups()
    build.place_observers()
    build.add_members()
    build.appoint_leaders()
    build.accounts()
    return build.roster


class _Builder:
    """The steps of :func:`build_organisation`, in the order they are recorded (the order
    draws on ``rng``, so it fixes which fictional person lands where)."""

    def __init__(self, app: Caseflow, rng: random.Random, national: bool) -> None:
        self.app = app
        self.rng = rng
        self.national = national
        self.org = load_organisation()
        self.names = NamePool(rng, {a.name for a in ACCOUNTS})
        self.own_regions = osloregionen_slugs()
        director = app.register_person(
            None,
            self.names.next(),
            f"direktor@{DOMAIN}",
            "Sekretariatet",
            (SystemRole.SECRETARIAT, SystemRole.ADMIN),
        ).id
        self.roster = Roster(director=director)
        self.me = director
        self.regions = _regions(national)
        self.placements: dict[str, list[tuple[UUID, GroupRole]]] = {}

    def person(self, name: str, organisation: str, *roles: SystemRole, email: str = "") -> UUID:
        address = email or _email(name)
        pid = self.app.register_person(self.me, name, address, organisation, roles).id
        self.roster.people[address] = pid
        return pid

    def member_of(self, region: dict[str, Any]) -> str:
        return str(self.rng.choice(region["municipalities"]))

    def regions_and_groups(self) -> None:
        app, me, roster = self.app, self.me, self.roster
        for r in self.regions:
            app.define_region(me, r["slug"], r["name"], r["board_seats"])
        for r in self.regions:
            for number in r["municipalities"]:
                app.join_osloregionen(me, number, r["slug"])
        roster.board_regions = [r["slug"] for r in self.regions if r["board_seats"] > 0]
        for g in self.org["groups"]:
            kind = GroupKind(g["kind"])
            view = app.establish_group(
                me,
                g["slug"],
                g["name"],
                kind,
                short_name=g.get("short_name"),
                focus_area=g.get("focus_area"),
                financing=_financing(g) if kind is GroupKind.PROJECT else None,
            )
            roster.groups[g["slug"]] = view.id
        self.placements = {g: [] for g in roster.groups}

    def staff(self) -> None:
        """The demo accounts first, then the rest of the secretariat and the board."""
        roster = self.roster
        for acc in ACCOUNTS:
            roles: tuple[SystemRole, ...] = ()
            if acc.email.startswith("sekretariat@"):
                roles = (SystemRole.SECRETARIAT,)
            elif acc.email.startswith("revisor@"):
                roles = (SystemRole.AUDITOR,)
            self.person(acc.name, acc.organisation, *roles, email=acc.email)
        roster.officers = [roster.person("sekretariat")]
        for _ in range(2):
            roster.officers.append(
                self.person(self.names.next(), "Sekretariatet", SystemRole.SECRETARIAT)
            )
        for r in self.regions:
            if r["board_seats"] and r["seat"] and r["slug"] in self.own_regions:
                email = f"styret.{r['slug']}@{DOMAIN}"
                self.person(self.names.next(), r["seat"], SystemRole.BOARD, email=email)

    def place_kg(self) -> None:
        """KG mirrors the board's regions (R6), except the gap region."""
        roster = self.roster
        by_slug = {r["slug"]: r for r in self.regions}
        kg = self.placements["kg"]
        kg.append((roster.person("kg-leder"), GroupRole.MEMBER))
        kg.append((roster.person("kg"), GroupRole.MEMBER))
        covered = {"oslo", "folloregionen"}
        for slug in roster.board_regions:
            if slug == GAP_REGION:
                continue
            region = by_slug[slug]
            large = self.national and len(region["municipalities"]) >= 6
            wanted = 1 + (1 if slug in ("nedre-romerike", "drammensregionen") or large else 0)
            have = 1 if slug in covered else 0
            for _ in range(max(0, wanted - have)):
                kg.append(
                    (self.person(self.names.next(), self.member_of(region)), GroupRole.MEMBER)
                )
            roster.kg_regions.add(slug)

    def place_groups(self) -> None:
        """Expert groups, cross-cutting groups, the project and the ad-hoc group."""
        placements, roster = self.placements, self.roster
        sizes = {"atp": 7, "km": 6, "naering": 6, "kraft-energi": 5, "sirkular": 4}
        sizes |= {"oslofjorden": 5, "energistasjon": 4, "ntp": 5}
        placements["atp"] += [
            (roster.person("atp-leder"), GroupRole.MEMBER),
            (roster.person("atp"), GroupRole.MEMBER),
        ]
        osloregionen = [
            r for r in self.regions if r["slug"] in self.own_regions and r["municipalities"]
        ]
        for slug, size in sizes.items():
            if slug not in placements:
                continue
            chosen = self.rng.sample(osloregionen, min(size, len(osloregionen)))
            if slug == "sirkular":
                self._place_coordinator(slug)
            for region in chosen[: size - len(placements[slug])]:
                pid = self.person(self.names.next(), self.member_of(region))
                placements[slug].append((pid, GroupRole.MEMBER))

    def _place_coordinator(self, slug: str) -> None:
        spec: dict[str, Any] = next((g for g in self.org["groups"] if g["slug"] == slug), {})
        coordinator = spec.get("coordinating_municipality") or {}
        if coordinator.get("number"):
            pid = self.person(self.names.next(), coordinator["number"])
            self.placements[slug].append((pid, GroupRole.MEMBER))

    def place_observers(self) -> None:
        """Observers: state agencies and partners named for each group."""
        observers: dict[str, list[str]] = {k: list(v) for k, v in OBSERVER_ORGANISATIONS.items()}
        for ext in self.org.get("external_organisations", []):
            for slug in ext.get("related_groups", []):
                observers.setdefault(slug, []).append(ext["name"])
        for slug, orgs in observers.items():
            if slug not in self.placements:
                continue
            for name in dict.fromkeys(orgs):
                if slug == "atp" and name == "Jernbanedirektoratet":
                    pid = self.roster.person("observator")
                else:
                    pid = self.person(self.names.next(), name)
                self.placements[slug].append((pid, GroupRole.OBSERVER))

    def add_members(self) -> None:
        roster = self.roster
        secretariat = roster.person("sekretariat")
        for slug, people in self.placements.items():
            gid = roster.groups[slug]
            for pid, role in people:
                self.app.add_member(secretariat, gid, pid, role)
            roster.acting[slug] = [pid for pid, role in people if role is not GroupRole.OBSERVER]

    def appoint_leaders(self) -> None:
        """Each group appoints its own leader and deputy (R4): each appointment is recorded
        by another of its non-observer members than the appointee (no one appoints
        themselves)."""
        app, roster = self.app, self.roster
        fixed_leaders = {"kg": roster.person("kg-leder"), "atp": roster.person("atp-leder")}
        for slug, acting in roster.acting.items():
            if len(acting) < 2:
                continue
            leader = fixed_leaders.get(slug, acting[0])
            # the demo's plain-member logins (kg@, atp@) stay plain members, as API.md says
            plain = {roster.person("kg"), roster.person("atp")}
            others = [p for p in acting if p != leader and p not in plain]
            deputy = others[0] if others else next(p for p in acting if p != leader)
            recorder = next(p for p in acting if p != leader)
            app.appoint(recorder, roster.groups[slug], leader, GroupRole.LEADER)
            app.appoint(leader, roster.groups[slug], deputy, GroupRole.DEPUTY)
            roster.leaders[slug], roster.deputies[slug] = leader, deputy

    def accounts(self) -> None:
        for acc in ACCOUNTS:
            self.app.create_account(self.me, acc.email, PASSWORD, self.roster.people[acc.email])


def osloregionen_slugs() -> set[str]:
    """The slugs of Osloregionen's own regions (not the national scale's extra ones)."""
    return {r["slug"] for r in load_organisation()["regions"]}
