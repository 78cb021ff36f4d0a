"""Roles over time: who held which role in which group (and which system role) from when
to when, so "was this actor allowed this step when it happened?" is one query.

Group roles come from ``MemberAdded``, ``MemberRemoved`` and ``Appointed`` (an appointment
ends the appointee's previous span and turns the previous holder back into a member, as the
aggregate does); system roles (secretariat, auditor, board, admin) from ``RoleGranted`` and
``RoleRevoked``, under the pseudo-group :data:`SYSTEM_GROUP_ID` (slug ``system``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from caseflow.domain.organisation import Group, Person
from caseflow.domain.values import GroupRole
from caseflow.readmodels.api import SYSTEM_GROUP_ID, RoleSpan
from caseflow.readmodels.base import (
    NAMES_TABLE,
    NamesMixin,
    ReadModelProjection,
    from_iso,
    hexid,
    iso,
    on,
)
from caseflow.readmodels.sql import TableSchema, Tx

SYSTEM = SYSTEM_GROUP_ID.hex

SCHEMA = TableSchema(
    tables=(
        (
            "",
            "person_id TEXT NOT NULL, group_id TEXT NOT NULL, role TEXT NOT NULL, "
            "on_behalf_of TEXT, since TEXT NOT NULL, until TEXT, "
            "since_position INTEGER NOT NULL, until_position INTEGER, "
            "PRIMARY KEY (person_id, group_id, since_position, role)",
        ),
        NAMES_TABLE,
    ),
    indexes=(("group", "", "group_id, since"),),
)


class RolesProjection(NamesMixin, ReadModelProjection):
    """Roles over time (``rm_roles``)."""

    name = "rm_roles"
    short = "roles"
    schema = SCHEMA

    def _open(
        self,
        tx: Tx,
        e: Any,
        position: int,
        person: str | None,
        group: str | None,
        role: str,
        on_behalf_of: str | None,
    ) -> None:
        tx.execute(
            "INSERT INTO {t} (person_id, group_id, role, on_behalf_of, since, since_position) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (person, group, role, on_behalf_of, iso(e.timestamp), position),
        )

    def _close(self, tx: Tx, e: Any, position: int, where: str, params: tuple[Any, ...]) -> None:
        tx.execute(
            f"UPDATE {{t}} SET until = ?, until_position = ? WHERE until IS NULL AND {where}",
            (iso(e.timestamp), position, *params),
        )

    @on(Group.MemberAdded)
    def _member_added(self, tx: Tx, e: Any, position: int) -> None:
        group = hexid(e.originator_id)
        person = hexid(e.person_id)
        self._open(tx, e, position, person, group, e.member_role, e.member_on_behalf_of)

    @on(Group.MemberRemoved)
    def _member_removed(self, tx: Tx, e: Any, position: int) -> None:
        self._close(
            tx,
            e,
            position,
            "person_id = ? AND group_id = ?",
            (hexid(e.person_id), hexid(e.originator_id)),
        )

    @on(Group.Appointed)
    def _appointed(self, tx: Tx, e: Any, position: int) -> None:
        group = hexid(e.originator_id)
        person = hexid(e.person_id)
        open_spans = tx.all(
            "SELECT person_id, role, on_behalf_of FROM {t} WHERE group_id = ? AND until IS NULL",
            (group,),
        )
        current = {p: (role, behalf) for p, role, behalf in open_spans}
        if person not in current or current[person][0] == e.position:
            return  # not a member (the aggregate refuses this) or no change
        for holder, (role, behalf) in current.items():
            if role == e.position and holder != person:
                self._close(tx, e, position, "person_id = ? AND group_id = ?", (holder, group))
                self._open(tx, e, position, holder, group, GroupRole.MEMBER.value, behalf)
        self._close(tx, e, position, "person_id = ? AND group_id = ?", (person, group))
        self._open(tx, e, position, person, group, e.position, current[person][1])

    @on(Person.RoleGranted)
    def _granted(self, tx: Tx, e: Any, position: int) -> None:
        self._open(tx, e, position, hexid(e.originator_id), SYSTEM, e.granted, None)

    @on(Person.RoleRevoked)
    def _revoked(self, tx: Tx, e: Any, position: int) -> None:
        self._close(
            tx,
            e,
            position,
            "person_id = ? AND group_id = ? AND role = ?",
            (hexid(e.originator_id), SYSTEM, e.revoked),
        )


# -- queries ---------------------------------------------------------------------------------

_SELECT = (
    "SELECT r.person_id, r.group_id, n.slug, r.role, r.on_behalf_of, r.since, r.until "
    "FROM {t} r LEFT JOIN {t_names} n ON n.id = r.group_id"
)


def query_roles(tx: Tx, person_id: UUID | None, group_id: UUID | None) -> list[RoleSpan]:
    clauses, params = [], []
    if person_id is not None:
        clauses.append("r.person_id = ?")
        params.append(person_id.hex)
    if group_id is not None:
        clauses.append("r.group_id = ?")
        params.append(group_id.hex)
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    rows = tx.all(f"{_SELECT}{where} ORDER BY r.since_position, r.person_id, r.role", params)
    return [_span(r) for r in rows]


def query_roles_at(
    tx: Tx, person_id: UUID, at: datetime, group_id: UUID | None = None
) -> list[RoleSpan]:
    clauses = ["r.person_id = ?", "r.since <= ?", "(r.until IS NULL OR r.until > ?)"]
    moment = iso(at)
    params: list[Any] = [person_id.hex, moment, moment]
    if group_id is not None:
        clauses.append("r.group_id = ?")
        params.append(group_id.hex)
    rows = tx.all(
        f"{_SELECT} WHERE {' AND '.join(clauses)} ORDER BY r.since_position DESC, r.role",
        params,
    )
    return [_span(r) for r in rows]


def _span(r: tuple[Any, ...]) -> RoleSpan:
    since = from_iso(r[5])
    assert since is not None
    group = UUID(r[1])
    return RoleSpan(
        person_id=UUID(r[0]),
        group_id=group,
        group_slug=r[2] or ("system" if group == SYSTEM_GROUP_ID else ""),
        role=r[3],
        on_behalf_of=r[4],
        since=since,
        until=from_iso(r[6]),
    )
