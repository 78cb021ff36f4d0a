"""Messages due by the clock rather than by an event, decided on every turn of the
notifier's loop, in one transaction with the notifier's tracking row locked (so two
notifiers never decide the same reminder twice; the ``dedup`` key makes sure anyway):

- the reminder ``reminder_days`` before an advice deadline (Oslo days) to those asked who
  have not answered (key: case, deadline, person);
- the deadline passed with the round still open → the secretariat, naming the regions
  that have not answered (key: case, deadline, person);
- the daily digest: a person's messages waiting for it since an earlier (Oslo) day become
  one message (key: person, day).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from caseflow.domain.localtime import local_date
from caseflow.notifications.decide import Lookups, message_id, record
from caseflow.readmodels.base import iso
from caseflow.readmodels.sql import Tx


def decide_timed(tx: Tx, now: datetime, reminder_days: int, position: int) -> int:
    """Record the reminders, overdue notices and digests due at ``now``; how many."""
    today = local_date(now)
    at = str(iso(now))
    look = Lookups()
    return (
        _reminders(tx, today, reminder_days, position, at, look)
        + _overdue(tx, today, position, at, look)
        + _digests(tx, today, position, at, look)
    )


def _case_params(row: tuple[object, ...]) -> dict[str, object]:
    return {"case_id": row[0], "reference": row[1], "title": row[2], "deadline": row[3]}


def _reminders(tx: Tx, today: date, days: int, position: int, at: str, look: Lookups) -> int:
    latest = (today + timedelta(days=days)).isoformat()
    cases = tx.all(
        "SELECT id, reference, title, deadline FROM {t_cases} WHERE status = "
        "'advice_requested' AND deadline >= ? AND deadline <= ? AND (reminded_for IS NULL "
        "OR reminded_for <> deadline)",
        (today.isoformat(), latest),
    )
    count = 0
    for row in cases:
        waiting = tx.all(
            "SELECT person_id FROM {t_expected} WHERE case_id = ? AND answered = 0 "
            "ORDER BY person_id",
            (row[0],),
        )
        params = {**_case_params(row), "days": (date.fromisoformat(str(row[3])) - today).days}
        for (person,) in waiting:
            dedup = f"advice_reminder:{row[0]}:{row[3]}:{person}"
            count += record(tx, "advice_reminder", dedup, position, str(person), params, at, look)
        tx.execute("UPDATE {t_cases} SET reminded_for = deadline WHERE id = ?", (row[0],))
    return count


def _overdue(tx: Tx, today: date, position: int, at: str, look: Lookups) -> int:
    cases = tx.all(
        "SELECT id, reference, title, deadline FROM {t_cases} WHERE status = "
        "'advice_requested' AND deadline < ? AND (overdue_for IS NULL OR overdue_for <> "
        "deadline)",
        (today.isoformat(),),
    )
    count = 0
    for row in cases:
        regions = missing_regions(tx, str(row[0]))
        staff = tx.all("SELECT id FROM {t_people} WHERE secretariat = 1 ORDER BY id")
        params = {**_case_params(row), "regions": regions}
        for (person,) in staff:
            dedup = f"advice_overdue:{row[0]}:{row[3]}:{person}"
            count += record(tx, "advice_overdue", dedup, position, str(person), params, at, look)
        tx.execute("UPDATE {t_cases} SET overdue_for = deadline WHERE id = ?", (row[0],))
    return count


def missing_regions(tx: Tx, case_id: str) -> list[str]:
    """The names of the regions asked (through their KG members) from which no one has
    answered, in order."""
    rows = tx.all(
        "SELECT e.region, MAX(e.answered), MAX(r.name) FROM {t_expected} e LEFT JOIN "
        "{t_regions} r ON r.slug = e.region WHERE e.case_id = ? AND e.invited = 0 AND "
        "e.region IS NOT NULL GROUP BY e.region ORDER BY e.region",
        (case_id,),
    )
    return [str(name or region) for region, answered, name in rows if not answered]


def _digests(tx: Tx, today: date, position: int, at: str, look: Lookups) -> int:
    waiting = tx.all(
        "SELECT person_id, id, created_at FROM {t} WHERE state = 'digest' "
        "ORDER BY person_id, created_at, id"
    )
    by_person: dict[str, list[str]] = {}
    for person, row_id, created in waiting:
        if local_date(datetime.fromisoformat(str(created))) < today:
            by_person.setdefault(str(person), []).append(str(row_id))
    count = 0
    for person, ids in by_person.items():
        dedup = f"digest:{person}:{today.isoformat()}"
        params = {"items": ids, "day": today.isoformat()}
        if record(tx, "digest", dedup, position, person, params, at, look):
            digest = message_id(dedup)
            # a digest is sent whatever the person chose for its parts
            tx.execute(
                "UPDATE {t} SET state = 'pending' WHERE id = ? AND state <> 'sent'", (digest,)
            )
            tx.executemany(
                "UPDATE {t} SET state = 'digested', digest_id = ? WHERE id = ?",
                [(digest, i) for i in ids],
            )
            count += 1
    return count


def digest_items(tx: Tx, ids: list[str]) -> list[tuple[str, dict[str, object]]]:
    """The kinds and parameters of a digest's messages, in order (one query per 500)."""
    rows: dict[str, tuple[str, dict[str, object]]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row_id, kind, params in tx.all(
            f"SELECT id, kind, params FROM {{t}} WHERE id IN ({marks})", chunk
        ):
            rows[str(row_id)] = (str(kind), json.loads(str(params)))
    return [rows[i] for i in ids if i in rows]
