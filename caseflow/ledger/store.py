"""Where the chain lives: ``caseflow_chain`` (one row per chained event),
``caseflow_digests`` (signed heads) and ``caseflow_chain_tracking`` (the projection's
position), in the application's own database, written through the library's tracking
recorders so that chain rows and the tracking position commit in one transaction.

Two implementations, one per store: :class:`SQLiteChainRecorder` and
:class:`PostgresChainRecorder`. Both also answer the few questions verification asks of
the event table itself (where is this event now?) and can harden it.

The shared tables, rows and the :class:`ChainStore` protocol are in
:mod:`caseflow.ledger.rows`; the two recorders in :mod:`caseflow.ledger.sqlite_store` and
:mod:`caseflow.ledger.postgres_store`. Their names are re-exported here.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from caseflow.ledger.postgres_store import PostgresChainRecorder
from caseflow.ledger.rows import (
    CHAIN_TABLE,
    DIGESTS_TABLE,
    MIGRATION_ROW,
    TRACKING_TABLE,
    ChainRow,
    ChainStore,
    LogRow,
    StoredDigest,
)
from caseflow.ledger.sqlite_store import SQLiteChainRecorder

__all__ = [
    "CHAIN_TABLE",
    "DIGESTS_TABLE",
    "MIGRATION_ROW",
    "TRACKING_TABLE",
    "ChainRow",
    "ChainStore",
    "LogRow",
    "PostgresChainRecorder",
    "SQLiteChainRecorder",
    "StoredDigest",
    "open_chain_store",
]


def open_chain_store(app: Application[Any]) -> ChainStore:
    """The chain recorder for ``app``'s store, tables created if missing."""
    datastore = getattr(app.factory, "datastore", None)
    events_table: str = getattr(app.recorder, "events_table_name", "stored_events")
    store: SQLiteChainRecorder | PostgresChainRecorder
    if isinstance(datastore, SQLiteDatastore):
        store = SQLiteChainRecorder(datastore, events_table)
    elif isinstance(datastore, PostgresDatastore):
        store = PostgresChainRecorder(datastore, events_table)
    else:
        raise TypeError(
            f"the audit ledger needs SQLite or PostgreSQL, not {type(app.factory).__name__}"
        )
    store.create_table()
    return store
