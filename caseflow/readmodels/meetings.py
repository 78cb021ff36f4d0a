"""Meetings and their agendas and attachments (``rm_meetings``).

Kept in a module of its own so that new meeting events are easy to add: write a handler
with ``@on(Meeting.NewEvent)``; events without a handler are tracked and ignored.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from caseflow.domain.meeting import Meeting
from caseflow.readmodels.api import MeetingRow
from caseflow.readmodels.base import (
    ReadModelProjection,
    as_uuid,
    from_iso,
    hexid,
    iso,
    on,
)
from caseflow.readmodels.sql import TableSchema, Tx

SCHEMA = TableSchema(
    tables=(
        (
            "",
            "id TEXT PRIMARY KEY, body TEXT NOT NULL, title TEXT NOT NULL, "
            "starts_at TEXT NOT NULL, place TEXT NOT NULL, group_id TEXT, "
            "status TEXT NOT NULL, version INTEGER NOT NULL",
        ),
        (
            "items",
            "meeting_id TEXT NOT NULL, number INTEGER NOT NULL, year INTEGER, "
            "title TEXT NOT NULL, case_id TEXT, standing INTEGER NOT NULL, "
            "position INTEGER NOT NULL, PRIMARY KEY (meeting_id, position)",
        ),
        (
            "attachments",
            "meeting_id TEXT NOT NULL, position INTEGER NOT NULL, sha256 TEXT NOT NULL, "
            "filename TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL, "
            "kind TEXT NOT NULL, title TEXT NOT NULL, item_number INTEGER, "
            "source_meeting_id TEXT, rule TEXT, added_at TEXT NOT NULL, "
            "PRIMARY KEY (meeting_id, position)",
        ),
    ),
    indexes=(("starts", "", "body, starts_at"),),
)


class MeetingsProjection(ReadModelProjection):
    """Meetings with agendas and attachments."""

    name = "rm_meetings"
    short = "meetings"
    schema = SCHEMA

    def _status(self, tx: Tx, e: Any, status: str | None = None) -> None:
        if status is None:
            tx.execute(
                "UPDATE {t} SET version = ? WHERE id = ?",
                (e.originator_version, hexid(e.originator_id)),
            )
        else:
            tx.execute(
                "UPDATE {t} SET status = ?, version = ? WHERE id = ?",
                (status, e.originator_version, hexid(e.originator_id)),
            )

    @on(Meeting.Scheduled)
    def _scheduled(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t} (id, body, title, starts_at, place, group_id, status, version) "
            "VALUES (?, ?, ?, ?, ?, ?, 'planned', ?)",
            (
                hexid(e.originator_id),
                e.body,
                e.title,
                iso(e.starts_at),
                e.place,
                hexid(e.group_id),
                e.originator_version,
            ),
        )

    @on(Meeting.ItemAdded)
    def _item_added(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_items} (meeting_id, number, year, title, case_id, standing, "
            "position) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                hexid(e.originator_id),
                e.number,
                e.year,
                e.title,
                hexid(e.case_id),
                1 if e.standing else 0,
                position,
            ),
        )
        self._status(tx, e)

    @on(Meeting.AttachmentAdded)
    def _attachment_added(self, tx: Tx, e: Any, position: int) -> None:
        tx.execute(
            "INSERT INTO {t_attachments} (meeting_id, position, sha256, filename, size, "
            "media_type, kind, title, item_number, source_meeting_id, rule, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                hexid(e.originator_id),
                position,
                e.sha256,
                e.filename,
                e.size,
                e.media_type,
                e.kind,
                e.title,
                e.item_number,
                hexid(e.source_meeting_id),
                e.rule,
                iso(e.timestamp),
            ),
        )
        self._status(tx, e)

    @on(Meeting.InvitationSent)
    def _invitation_sent(self, tx: Tx, e: Any, position: int) -> None:
        self._status(tx, e, "invitation_sent")

    @on(Meeting.Held)
    def _held(self, tx: Tx, e: Any, position: int) -> None:
        self._status(tx, e, "held")

    @on(Meeting.MinutesApproved)
    def _minutes_approved(self, tx: Tx, e: Any, position: int) -> None:
        self._status(tx, e, "minutes_approved")

    @on(Meeting.Invited)
    def _invited(self, tx: Tx, e: Any, position: int) -> None:
        self._status(tx, e)


# -- queries ---------------------------------------------------------------------------------


def query_meetings(
    tx: Tx, body: str | None = None, meeting_id: str | None = None
) -> list[MeetingRow]:
    """Every meeting (of ``body``; or the one ``meeting_id``, in column form) by start
    time, with agendas and attachments: three queries, however many meetings there are."""
    conditions, params = [], []
    for column, value in (("body", body), ("id", meeting_id)):
        if value:
            conditions.append(column)
            params.append(value)
    where = "".join(f"{' WHERE' if i == 0 else ' AND'} m.{c} = ?" for i, c in enumerate(conditions))
    meetings = tx.all(
        "SELECT m.id, m.body, m.title, m.starts_at, m.place, m.group_id, m.status FROM {t} m"
        f"{where} ORDER BY m.starts_at, m.id",
        params,
    )
    if not meetings:
        return []
    join = " JOIN {t} m ON m.id = x.meeting_id" + where
    agenda: dict[str, list[dict[str, Any]]] = {}
    for mid, number, year, title, case_id, standing in tx.all(
        "SELECT x.meeting_id, x.number, x.year, x.title, x.case_id, x.standing "
        "FROM {t_items} x" + join + " ORDER BY x.meeting_id, x.number, x.position",
        params,
    ):
        agenda.setdefault(mid, []).append(
            {
                "number": number,
                "year": year,
                "label": f"Sak {number}/{year % 100:02d}" if year else f"Sak {number}",
                "title": title,
                "case_id": as_uuid(case_id),
                "standing": bool(standing),
            }
        )
    files: dict[str, list[dict[str, Any]]] = {}
    for row in tx.all(
        "SELECT x.meeting_id, x.sha256, x.filename, x.size, x.media_type, x.kind, x.title, "
        "x.item_number, x.source_meeting_id, x.rule, x.added_at FROM {t_attachments} x"
        + join
        + " ORDER BY x.meeting_id, x.position",
        params,
    ):
        files.setdefault(row[0], []).append(
            {
                "sha256": row[1],
                "filename": row[2],
                "size": int(row[3]),
                "media_type": row[4],
                "kind": row[5],
                "title": row[6],
                "item_number": row[7],
                "source_meeting_id": as_uuid(row[8]),
                "rule": row[9],
                "added_at": from_iso(row[10]),
            }
        )
    result = []
    for mid, body_, title, starts_at, place, group_id, status in meetings:
        starts = from_iso(starts_at)
        assert starts is not None
        result.append(
            MeetingRow(
                id=UUID(mid),
                body=body_,
                title=title,
                starts_at=starts,
                place=place,
                group_id=as_uuid(group_id),
                status=status,
                agenda=agenda.get(mid, []),
                attachments=files.get(mid, []),
            )
        )
    return result
