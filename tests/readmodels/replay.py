"""What the read models must say, computed by replaying aggregates (never from the read
models themselves), and a small but varied history to project."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.domain.case import Case
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Group, Person
from caseflow.domain.values import GroupRole, MeetingBody, Stance, SystemRole
from caseflow.persistence.attachments import AttachmentStore
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import SYSTEM_GROUP_ID, AuditFilter, CaseFilter
from tests.world import World


def varied_history(w: World, tmp_dir: Any) -> dict[str, UUID]:
    """Cases in every kind of state, advice revisions, membership and role changes, and
    a held meeting with attachments and approved minutes."""
    app = w.app
    app.use_attachment_store(AttachmentStore(tmp_dir))
    cases: dict[str, UUID] = {}
    decided = w.submitted(title="Regional transportplan")
    app.send_invitation(w["sekretariat"], w.meetings["board"])  # numbers it (issue 14)
    app.record_decision(w["sekretariat"], decided.id, "Styret slutter seg til planen.")
    cases["decided"] = decided.id
    open_round = w.advice_requested(title="Klimabudsjett for regionen")
    app.give_advice(w["kg"], open_round.id, Stance.SUPPORTS, "Godt forslag.")
    app.give_advice(w["kg"], open_round.id, Stance.SUPPORTS_WITH_CHANGES, "Justert.")
    app.give_advice(w["kg2"], open_round.id, Stance.NO_COMMENT, "")
    app.give_advice(w["atp-leder"], open_round.id, Stance.SUPPORTS, "Innspill fra ATP.")
    cases["open_round"] = open_round.id
    declined = w.proposed(title="Ny sykkelstrategi")
    app.decline_case(w["sekretariat"], declined.id, "Dekkes av annen sak.")
    cases["declined"] = declined.id
    withdrawn = w.accepted(title="Næringsarealer")
    app.withdraw_case(w["sekretariat"], withdrawn.id, "Ikke aktuell lenger.")
    cases["withdrawn"] = withdrawn.id
    postponed = w.submitted(meeting="board2", title="Oslofjorden – tiltak")
    app.send_invitation(w["sekretariat"], w.meetings["board2"])
    app.postpone_case(w["sekretariat"], postponed.id, "Trenger mer utredning.")
    cases["postponed"] = postponed.id
    # Membership and roles change; the next advice round expects fewer advisers.
    app.appoint(w["kg"], w.groups["kg"], w["kg2"], GroupRole.DEPUTY)
    app.remove_member(None, w.groups["kg"], w["kg2"], "Sluttet")
    app.grant_role(None, w["revisor"], SystemRole.BOARD)
    app.revoke_role(None, w["revisor"], SystemRole.BOARD)
    later = w.advice_requested(group="ntp", by="ntp", title="NTP-innspill")
    cases["later_round"] = later.id
    cases["proposed"] = w.proposed(title="Tema til representantskapet").id
    # A meeting that has been held, with a document, minutes and their approval.
    held = app.schedule_meeting(
        None, MeetingBody.KG, datetime.now(UTC) - timedelta(days=3), title="KG-møte i fjor"
    )
    app.add_standing_item(None, held.id, "Orientering fra sekretariatet")
    app.add_attachment(None, held.id, "notat.txt", b"Notat til KG.\n")
    app.mark_held(None, held.id)
    app.record_minutes(None, held.id, "referat.txt", b"Referat fra KG.\n")
    app.approve_minutes(None, held.id)
    cases["meeting"] = held.id
    return cases


# -- replays -----------------------------------------------------------------------------


def _kg_at(app: Caseflow, at: datetime) -> Group:
    kg_id = app.kg_id()
    events: list[Any] = list(app.events.get(kg_id))
    version = len([e for e in events if e.timestamp <= at])
    group: Any = app.repository.get(kg_id, version=version)
    return group


def expected_cases(app: Caseflow) -> dict[UUID, dict[str, Any]]:
    found = {}
    for cid in app.case_ids():
        agg = app.for_query(Case, cid)
        v = app.case_view(agg)
        expected = 0
        requests = [e for e in app.events.get(cid) if isinstance(e, Case.AdviceRequested)]
        if requests:
            kg = _kg_at(app, requests[-1].timestamp)
            acting = {p for p, m in kg.members.items() if m.acts}
            expected = len(acting | set(requests[-1].invited))
        found[cid] = {
            "reference": v.reference,
            "title": v.title,
            "kind": v.kind,
            "group_id": v.group_id,
            "group_name": v.group_name,
            "focus_area": v.focus_area,
            "status": v.status,
            "status_since": v.status_since,
            "case_officer": v.case_officer,
            "case_officer_name": v.case_officer_name,
            "board_meeting_id": v.board_meeting_id,
            "board_number": v.board_number,
            "advice_received": len(v.advice),
            "advice_expected": expected,
            "advice_deadline": v.advice_deadline,
            "last_change": v.modified_at,
            "version": v.version,
        }
    return found


def projected_cases(read: ReadModelService) -> dict[UUID, dict[str, Any]]:
    page = read.cases(CaseFilter(per_page=1000))
    assert page.total == len(page.items)
    return {r.id: {k: getattr(r, k) for k in CASE_KEYS} for r in page.items}


CASE_KEYS = (
    "reference",
    "title",
    "kind",
    "group_id",
    "group_name",
    "focus_area",
    "status",
    "status_since",
    "case_officer",
    "case_officer_name",
    "board_meeting_id",
    "board_number",
    "advice_received",
    "advice_expected",
    "advice_deadline",
    "last_change",
    "version",
)


def expected_audit(app: Caseflow) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    position = 0
    while True:
        batch = app.recorder.select_notifications(start=position + 1, limit=1000)
        if not batch:
            return rows
        for n in batch:
            e: Any = app.mapper.to_domain_event(n)
            rows.append(
                (
                    n.id,
                    type(e).__name__,
                    type(e).__qualname__.split(".")[0],
                    e.originator_id,
                    e.originator_version,
                    e.actor,
                    e.role,
                    e.on_behalf_of,
                    e.timestamp,
                    e.originator_id if isinstance(e, Case.Event) else None,
                )
            )
        position = batch[-1].id


def projected_audit(read: ReadModelService) -> list[tuple[Any, ...]]:
    rows = []
    page = 1
    while True:
        found = read.audit(AuditFilter(page=page, per_page=1000))
        rows += [
            (
                r.position,
                r.type,
                r.aggregate_type,
                r.aggregate_id,
                r.version,
                r.actor,
                r.role,
                r.on_behalf_of,
                r.time,
                r.case_id,
            )
            for r in found.items
        ]
        if page >= found.pages:
            return rows
        page += 1


def expected_current_roles(app: Caseflow) -> set[tuple[Any, ...]]:
    current: set[tuple[Any, ...]] = set()
    for group in app.groups():
        for pid, m in group.members.items():
            current.add((pid, group.id, m.role.value, m.on_behalf_of))
    for pid in app.directory().people:
        person = app.for_query(Person, pid)
        for role in person.system_roles:
            current.add((pid, SYSTEM_GROUP_ID, role.value, None))
    return current


def projected_current_roles(read: ReadModelService) -> set[tuple[Any, ...]]:
    return {
        (s.person_id, s.group_id, s.role, s.on_behalf_of) for s in read.roles() if s.until is None
    }


def expected_meetings(app: Caseflow) -> dict[UUID, tuple[Any, ...]]:
    found = {}
    for mid in app.directory().meetings:
        m = app.for_query(Meeting, mid)
        found[mid] = (
            m.body.value,
            m.title,
            m.starts_at,
            m.place,
            m.group_id,
            m.status.value,
            [(i.number, i.year, i.title, i.case_id, i.standing) for i in m.items],
            [(a.sha256, a.filename, a.kind.value, a.size) for a in m.attachments],
        )
    return found


def projected_meetings(read: ReadModelService) -> dict[UUID, tuple[Any, ...]]:
    return {
        m.id: (
            m.body,
            m.title,
            m.starts_at,
            m.place,
            m.group_id,
            m.status,
            [(i["number"], i["year"], i["title"], i["case_id"], i["standing"]) for i in m.agenda],
            [(a["sha256"], a["filename"], a["kind"], a["size"]) for a in m.attachments],
        )
        for m in read.meetings()
    }


def assert_matches_replay(app: Caseflow, read: ReadModelService) -> None:
    """Every read model equals a replay of every aggregate (and of the whole log)."""
    assert projected_cases(read) == expected_cases(app)
    assert projected_audit(read) == expected_audit(app)
    assert projected_current_roles(read) == expected_current_roles(app)
    assert projected_meetings(read) == expected_meetings(app)
    end = app.recorder.max_notification_id()
    assert set(read.positions().values()) == {end}
