"""Meetings and their agendas and attachments (``rm_meetings``).

The agenda table (``rm_meetings_agenda``, issue 14) holds each item by its key in printed
order (``ord``), numbered or waiting (``number`` NULL), with its marks (supplementary,
postponed, withdrawn). It replaced ``rm_meetings_items`` (numbered at add): a store whose
read model was built before issue 14 runs ``caseflow rebuild`` once after upgrading.

Kept in a module of its own so that new meeting events are easy to add: write a handler
with ``@on(Meeting.NewEvent)``; events without a handler are tracked and ignored.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from caseflow.domain.agenda import AgendaItem, ItemState
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
            "agenda",
            "meeting_id TEXT NOT NULL, item_key TEXT NOT NULL, ord INTEGER NOT NULL, "
            "number INTEGER, year INTEGER, title TEXT NOT NULL, case_id TEXT, "
            "standing INTEGER NOT NULL, supplementary INTEGER NOT NULL, "
            "state TEXT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (meeting_id, item_key)",
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

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        #: meeting id -> [status (None: unchanged), version], written in :meth:`finish`
        self._pending: dict[str | None, list[Any]] = {}

    def begin(self, tx: Tx) -> None:
        self._pending = {}

    def finish(self, tx: Tx) -> None:
        """A changed meeting's status and version, once per batch (no handler reads them)."""
        pending, self._pending = self._pending, {}
        both = [(s, v, mid) for mid, (s, v) in sorted(pending.items(), key=_key) if s]
        tx.executemany("UPDATE {t} SET status = ?, version = ? WHERE id = ?", both)
        tx.executemany(
            "UPDATE {t} SET version = ? WHERE id = ?",
            [(v, mid) for mid, (s, v) in sorted(pending.items(), key=_key) if not s],
        )

    def _status(self, tx: Tx, e: Any, status: str | None = None) -> None:
        mid = hexid(e.originator_id)
        entry = self._pending.get(mid)
        if entry is None:
            entry = self._pending[mid] = [None, 0]
        if status is not None:
            entry[0] = status
        entry[1] = e.originator_version

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

    def _insert_item(
        self, tx: Tx, e: Any, key: str, number: int | None, year: int | None, **kw: Any
    ) -> None:
        mid = hexid(e.originator_id)
        keys = self._keys(tx, mid)
        tx.execute(
            "INSERT INTO {t_agenda} (meeting_id, item_key, ord, number, year, title, "
            "case_id, standing, supplementary, state, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'on_agenda', '')",
            (
                mid,
                key,
                len(keys),
                number,
                year,
                e.title,
                hexid(e.case_id),
                1 if e.standing else 0,
                1 if kw.get("supplementary") else 0,
            ),
        )
        position = kw.get("position")
        if position is not None and position < len(keys):
            keys.insert(position, key)
            self._reorder(tx, mid, keys)
        self._status(tx, e)

    @staticmethod
    def _keys(tx: Tx, mid: str | None) -> list[str]:
        rows = tx.all("SELECT item_key FROM {t_agenda} WHERE meeting_id = ? ORDER BY ord", (mid,))
        return [r[0] for r in rows]

    @staticmethod
    def _reorder(tx: Tx, mid: str | None, keys: list[str]) -> None:
        tx.executemany(
            "UPDATE {t_agenda} SET ord = ? WHERE meeting_id = ? AND item_key = ?",
            [(n, mid, k) for n, k in enumerate(keys)],
        )

    @on(Meeting.ItemAdded)
    def _item_added(self, tx: Tx, e: Any, position: int) -> None:
        self._insert_item(tx, e, str(e.number), e.number, e.year)

    @on(Meeting.ItemQueued)
    def _item_queued(self, tx: Tx, e: Any, position: int) -> None:
        self._insert_item(tx, e, e.key, None, None, position=e.position)

    @on(Meeting.SupplementaryItemAdded)
    def _supplementary(self, tx: Tx, e: Any, position: int) -> None:
        self._insert_item(tx, e, e.key, e.number, e.year, supplementary=True)

    @on(Meeting.ItemMoved)
    def _item_moved(self, tx: Tx, e: Any, position: int) -> None:
        mid = hexid(e.originator_id)
        keys = [k for k in self._keys(tx, mid) if k != e.key]
        keys.insert(max(0, min(e.position, len(keys))), e.key)
        self._reorder(tx, mid, keys)
        self._status(tx, e)

    @on(Meeting.AgendaNumbered)
    def _numbered(self, tx: Tx, e: Any, position: int) -> None:
        tx.executemany(
            "UPDATE {t_agenda} SET number = ?, year = ? WHERE meeting_id = ? AND item_key = ?",
            [(n, e.year, hexid(e.originator_id), k) for k, n in e.numbers.items()],
        )
        self._status(tx, e)

    @on(Meeting.ItemPostponed, Meeting.ItemWithdrawn)
    def _item_marked(self, tx: Tx, e: Any, position: int) -> None:
        """A numbered item stays, marked; a waiting one leaves the agenda."""
        mid = hexid(e.originator_id)
        state = "postponed" if isinstance(e, Meeting.ItemPostponed) else "withdrawn"
        tx.execute(
            "UPDATE {t_agenda} SET state = ?, note = ? "
            "WHERE meeting_id = ? AND item_key = ? AND number IS NOT NULL",
            (state, e.reason, mid, e.key),
        )
        tx.execute(
            "DELETE FROM {t_agenda} WHERE meeting_id = ? AND item_key = ? AND number IS NULL",
            (mid, e.key),
        )
        self._reorder(tx, mid, self._keys(tx, mid))
        self._status(tx, e)

    @on(Meeting.Cancelled)
    def _cancelled(self, tx: Tx, e: Any, position: int) -> None:
        self._status(tx, e, "cancelled")

    @on(Meeting.SupplementaryInvitationSent, Meeting.AttendanceRecorded, Meeting.ItemDecided)
    def _supplement_sent(self, tx: Tx, e: Any, position: int) -> None:
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


def _key(item: tuple[str | None, list[Any]]) -> str:
    return item[0] or ""


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
    for mid, key, number, year, title, case_id, standing, supplementary, state, note in tx.all(
        "SELECT x.meeting_id, x.item_key, x.number, x.year, x.title, x.case_id, x.standing, "
        "x.supplementary, x.state, x.note FROM {t_agenda} x"
        + join
        + " ORDER BY x.meeting_id, x.ord",
        params,
    ):
        item = AgendaItem(
            number,
            year,
            title,
            as_uuid(case_id),
            bool(standing),
            key=key,
            supplementary=bool(supplementary),
            state=ItemState(state),
            note=note,
        )
        agenda.setdefault(mid, []).append(
            {
                "number": number,
                "year": year,
                "label": item.label,
                "title": title,
                "case_id": item.case_id,
                "standing": item.standing,
                "key": key,
                "supplementary": item.supplementary,
                "postponed": item.state is ItemState.POSTPONED,
                "withdrawn": item.state is ItemState.WITHDRAWN,
                "note": note,
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
