from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from caseflow.application import Caseflow
from caseflow.ledger import Ledger
from caseflow.persistence import StoreSettings, open_application
from tests.ledger.helpers import RawEvents
from tests.world import World


@dataclass
class Store:
    """An application on a real store, with its ledger and raw access to its events."""

    app: Caseflow
    settings: StoreSettings
    url: str
    raw: RawEvents
    key: str
    digests: str

    def ledger(self, **kw: object) -> Ledger:
        kw.setdefault("digest_dir", self.digests)
        return Ledger(self.app, self.settings, key_path=self.key, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(store_url: str, tmp_path) -> Iterator[Store]:
    app, settings = open_application(store_url)
    try:
        yield Store(
            app,
            settings,
            store_url,
            RawEvents(app, settings),
            str(tmp_path / "k.pem"),
            str(tmp_path / "digest-files"),
        )
    finally:
        app.close()


@pytest.fixture
def populated(store: Store) -> Store:
    """A small organisation and one case submitted to the board (about 80 events)."""
    w = World.build(store.app)
    w.submitted()
    return store
