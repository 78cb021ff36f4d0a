"""Deciding which messages an event makes due, and recording them in the outbox, in the
transaction that advances the notifier's position (:class:`DecideHandler` is the
``EventHandler`` of :meth:`caseflow.readmodels.sql.ReadModelView.process_in`).

Recipients are those *at the event*: the notifier keeps who is in which group, with which
role and on behalf of which region, from the same log (``notify_members`` …). Events at
or below ``silent_until`` (where a new notifier started: the head of the log when it
first ran, unless ``caseflow notify --from-start``) only update that knowledge.

A message's ``dedup`` key is its origin (the event's aggregate id and version, or a
reminder's case and deadline) and its recipient; its id — and the Message-ID — is derived
from that key, so deciding twice never records twice and a re-send has the same id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from caseflow.domain.case import Case
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Group, MemberRegister, Person
from caseflow.readmodels.base import hexid, iso
from caseflow.readmodels.sql import Tx

#: What each kind of event sets a case's status to (only ``advice_requested`` matters
#: for reminders; the rest say the round is no longer open).
STATUS = {
    Case.Accepted: "under_preparation",
    Case.AdviceClosed: "advice_closed",
    Case.AdviceWaived: "advice_closed",
    Case.MarkedReady: "ready",
    Case.SubmittedToBoard: "submitted",
    Case.SubmittedToMeeting: "submitted",
    Case.ReturnedToWait: "ready",
}

#: Final and postponing steps → the outcome named in the message to the proposing group.
OUTCOMES = {
    Case.Decided: ("decided", "resolution"),
    Case.Postponed: ("postponed", "reason"),
    Case.Declined: ("declined", "reason"),
    Case.Withdrawn: ("withdrawn", "reason"),
}


def message_id(dedup: str) -> str:
    """The outbox id of the message with key ``dedup`` (the Message-ID's local part)."""
    return hashlib.sha256(dedup.encode("utf-8")).hexdigest()[:40]


def origin(event: Any) -> str:
    """An event's stable identity: its aggregate's id and its version."""
    return f"{event.originator_id.hex}:{event.originator_version}"


class Lookups:
    """Who a message goes to and how, read once per transaction (a batch of events or a
    turn of the clock): a person's name and address, their choice per kind, their language."""

    def __init__(self) -> None:
        self.people: dict[str, tuple[str, str] | None] = {}
        self.modes: dict[str, dict[str, str]] = {}
        self.languages: dict[str, str] = {}

    def person(self, tx: Tx, person: str) -> tuple[str, str] | None:
        if person not in self.people:
            row = tx.one("SELECT name, email FROM {t_people} WHERE id = ?", (person,))
            self.people[person] = (str(row[0]), str(row[1])) if row else None
        return self.people[person]

    def forget(self, person: str) -> None:
        self.people.pop(person, None)

    def mode(self, tx: Tx, person: str, kind: str) -> str:
        if person not in self.modes:
            rows = tx.all("SELECT kind, mode FROM {t_prefs} WHERE person_id = ?", (person,))
            self.modes[person] = {str(k): str(m) for k, m in rows}
            lang = tx.scalar("SELECT language FROM {t_language} WHERE person_id = ?", (person,))
            self.languages[person] = str(lang or "nb")
        return self.modes[person].get(kind, "immediately")

    def language(self, tx: Tx, person: str) -> str:
        self.mode(tx, person, "")
        return self.languages[person]


def record(
    tx: Tx,
    kind: str,
    dedup: str,
    position: int,
    person: str,
    params: dict[str, Any],
    at: str,
    lookups: Lookups | None = None,
) -> bool:
    """Record one message for ``person`` (nothing if its key is recorded already, or the
    person is unknown). Its state follows the person's choice for ``kind``: ``pending``
    (immediately), ``digest`` (the daily digest) or ``off`` (only in the in-app list)."""
    look = lookups or Lookups()
    found = look.person(tx, person)
    if found is None:
        return False
    state = {"digest": "digest", "off": "off"}.get(look.mode(tx, person, kind), "pending")
    tx.execute(
        "INSERT INTO {t} (id, dedup, kind, position, person_id, email, name, language, "
        "params, state, attempts, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "0, NULL, ?) ON CONFLICT (dedup) DO NOTHING",
        (
            message_id(dedup),
            dedup,
            kind,
            position,
            person,
            found[1],
            found[0],
            look.language(tx, person),
            json.dumps(params, ensure_ascii=False, sort_keys=True),
            state,
            at,
        ),
    )
    return True


class DecideHandler:
    """Applies events to the notifier's knowledge and records the messages they make due."""

    def __init__(self, silent_until: int = 0) -> None:
        self.silent_until = silent_until
        self.recorded = 0
        self.lookups = Lookups()
        self._handlers: dict[type, Callable[[Tx, Any, int], None]] = {
            Person.Registered: self._person,
            Person.RoleGranted: self._role,
            Person.RoleRevoked: self._role,
            MemberRegister.RegionDefined: self._region,
            Group.Established: self._group,
            Group.MemberAdded: self._member_added,
            Group.MemberRemoved: self._member_removed,
            Group.Appointed: self._appointed,
            Case.Proposed: self._proposed,
            Case.AdviceRequested: self._advice_requested,
            Case.LeaderInvited: self._leader_invited,
            Case.AdviceGiven: self._advice_given,
            Meeting.Scheduled: self._scheduled,
            Meeting.InvitationSent: self._invitation,
        }
        for cls in STATUS:
            self._handlers[cls] = self._status
        for cls in OUTCOMES:
            self._handlers[cls] = self._outcome
        supplementary = getattr(Meeting, "SupplementaryInvitationSent", None)
        if supplementary is not None:
            self._handlers[supplementary] = self._invitation

    # -- the EventHandler protocol --------------------------------------------------------

    def begin(self, tx: Tx) -> None:
        self.recorded = 0
        self.lookups = Lookups()

    def apply(self, tx: Tx, event: Any, position: int) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(tx, event, position)

    def finish(self, tx: Tx) -> None:
        """Nothing buffered."""

    # -- helpers -----------------------------------------------------------------------

    def _send(
        self, tx: Tx, kind: str, event: Any, position: int, person: str, params: dict[str, Any]
    ) -> None:
        if position <= self.silent_until:
            return
        dedup = f"{kind}:{origin(event)}:{person}"
        at = str(iso(event.timestamp))
        if record(tx, kind, dedup, position, person, params, at, self.lookups):
            self.recorded += 1

    @staticmethod
    def _case(tx: Tx, case_id: str) -> dict[str, Any]:
        row = tx.one(
            "SELECT reference, title, group_id, deadline FROM {t_cases} WHERE id = ?", (case_id,)
        )
        if row is None:
            return {"case_id": case_id, "reference": "", "title": ""}
        return {"case_id": case_id, "reference": row[0], "title": row[1], "deadline": row[3]}

    # -- people, groups, regions -------------------------------------------------------

    def _person(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_people} (id, name, email) VALUES (?, ?, ?) ON CONFLICT (id) DO "
            "UPDATE SET name = excluded.name, email = excluded.email",
            (hexid(e.originator_id), e.name, e.email),
        )
        self.lookups.forget(str(hexid(e.originator_id)))

    def _role(self, tx: Tx, e: Any, position: int) -> None:
        granted = getattr(e, "granted", None)
        role = granted or getattr(e, "revoked", None)
        if role == "secretariat":
            tx.execute(
                "UPDATE {t_people} SET secretariat = ? WHERE id = ?",
                (1 if granted else 0, hexid(e.originator_id)),
            )

    def _region(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_regions} (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE "
            "SET name = excluded.name",
            (e.slug, e.name),
        )

    def _group(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_groups} (id, slug, name, kind) VALUES (?, ?, ?, ?) ON CONFLICT (id) "
            "DO UPDATE SET slug = excluded.slug, name = excluded.name, kind = excluded.kind",
            (hexid(e.originator_id), e.slug, e.name, e.kind),
        )

    def _group_name(self, tx: Tx, group_id: str | None) -> str:
        return str(tx.scalar("SELECT name FROM {t_groups} WHERE id = ?", (group_id,)) or "")

    def _member_added(self, tx: Tx, e: Any, position: int) -> None:
        group, person = hexid(e.originator_id), str(hexid(e.person_id))
        tx.execute(
            "INSERT INTO {t_members} (group_id, person_id, role, region) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (group_id, person_id) DO UPDATE SET role = excluded.role, "
            "region = excluded.region",
            (group, person, e.member_role, e.member_on_behalf_of),
        )
        params = {"group": self._group_name(tx, group), "role": e.member_role}
        self._send(tx, "membership", e, position, person, {**params, "change": "added"})

    def _member_removed(self, tx: Tx, e: Any, position: int) -> None:
        group, person = hexid(e.originator_id), str(hexid(e.person_id))
        tx.execute("DELETE FROM {t_members} WHERE group_id = ? AND person_id = ?", (group, person))
        params = {"group": self._group_name(tx, group), "change": "ended", "role": ""}
        self._send(tx, "membership", e, position, person, params)

    def _appointed(self, tx: Tx, e: Any, position: int) -> None:
        group = hexid(e.originator_id)
        tx.execute(
            "UPDATE {t_members} SET role = 'member' WHERE group_id = ? AND role = ?",
            (group, e.position),
        )
        tx.execute(
            "UPDATE {t_members} SET role = ? WHERE group_id = ? AND person_id = ?",
            (e.position, group, hexid(e.person_id)),
        )

    # -- cases --------------------------------------------------------------------------

    def _proposed(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_cases} (id, reference, title, group_id, status) VALUES "
            "(?, ?, ?, ?, 'proposed') ON CONFLICT (id) DO NOTHING",
            (hexid(e.originator_id), e.reference, e.title, hexid(e.group_id)),
        )

    def _status(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "UPDATE {t_cases} SET status = ? WHERE id = ?",
            (STATUS[type(e)], hexid(e.originator_id)),
        )

    def _advice_requested(self, tx: Tx, e: Any, position: int) -> None:
        case = str(hexid(e.originator_id))
        deadline = e.deadline.isoformat()
        tx.execute(
            "UPDATE {t_cases} SET status = 'advice_requested', deadline = ?, reminded_for = "
            "NULL, overdue_for = NULL WHERE id = ?",
            (deadline, case),
        )
        tx.execute("DELETE FROM {t_expected} WHERE case_id = ?", (case,))
        kg = tx.all(
            "SELECT m.person_id, m.region FROM {t_members} m JOIN {t_groups} g ON g.id = "
            "m.group_id WHERE g.kind = 'kg' AND m.role <> 'observer' ORDER BY m.person_id"
        )
        expected = {str(p): (r, 0) for p, r in kg}
        for person in e.invited:
            expected.setdefault(str(hexid(person)), (None, 1))
        for person, (region, invited) in expected.items():
            tx.execute(
                "INSERT INTO {t_expected} (case_id, person_id, region, invited) VALUES "
                "(?, ?, ?, ?) ON CONFLICT (case_id, person_id) DO NOTHING",
                (case, person, region, invited),
            )
        params = {**self._case(tx, case), "invited": False}
        for person, (_, invited) in expected.items():
            self._send(
                tx, "advice_requested", e, position, person, {**params, "invited": bool(invited)}
            )

    def _leader_invited(self, tx: Tx, e: Any, position: int) -> None:
        case, person = str(hexid(e.originator_id)), str(hexid(e.person_id))
        tx.execute(
            "INSERT INTO {t_expected} (case_id, person_id, region, invited) VALUES "
            "(?, ?, NULL, 1) ON CONFLICT (case_id, person_id) DO NOTHING",
            (case, person),
        )
        params = {**self._case(tx, case), "invited": True}
        self._send(tx, "advice_requested", e, position, person, params)

    def _advice_given(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "UPDATE {t_expected} SET answered = 1 WHERE case_id = ? AND person_id = ?",
            (hexid(e.originator_id), hexid(e.actor)),
        )

    def _outcome(self, tx: Tx, e: Any, position: int) -> None:
        outcome, field = OUTCOMES[type(e)]
        case = str(hexid(e.originator_id))
        tx.execute("UPDATE {t_cases} SET status = ? WHERE id = ?", (outcome, case))
        params = {**self._case(tx, case), "outcome": outcome, "text": getattr(e, field, "")}
        group = tx.scalar("SELECT group_id FROM {t_cases} WHERE id = ?", (case,))
        leaders = tx.all(
            "SELECT person_id FROM {t_members} WHERE group_id = ? AND role IN ('leader', "
            "'deputy') ORDER BY person_id",
            (group,),
        )
        params["group"] = self._group_name(tx, group)
        for (person,) in leaders:
            self._send(tx, "case_outcome", e, position, str(person), params)

    # -- meetings ------------------------------------------------------------------------

    def _scheduled(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_meetings} (id, body, title, starts_at, ends_at, place) VALUES "
            "(?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                hexid(e.originator_id),
                e.body,
                e.title,
                iso(e.starts_at),
                iso(e.ends_at),
                e.place,
            ),
        )

    def _invitation(self, tx: Tx, e: Any, position: int) -> None:
        meeting = hexid(e.originator_id)
        row = tx.one(
            "SELECT body, title, starts_at, ends_at, place FROM {t_meetings} WHERE id = ?",
            (meeting,),
        )
        if row is None:
            return
        params = {
            "meeting_id": meeting,
            "body": row[0],
            "title": row[1],
            "starts_at": row[2],
            "ends_at": row[3],
            "place": row[4],
            "supplementary": not isinstance(e, Meeting.InvitationSent),
            "sequence": e.originator_version,
        }
        for person in dict.fromkeys(str(hexid(p)) for p in e.recipients):
            self._send(tx, "invitation", e, position, person, params)
