"""``caseflow publish einnsyn``: send what eInnsyn does not have yet, each object once.

For each object in publishing order (parents first), against what was recorded as sent
to this service (:mod:`caseflow.persistence.einnsyn_sent`):

- never sent: recorded as pending, then ``POST`` under its parent
  (``/arkiv/{id}/arkivdel``, ``/arkivdel/{id}/saksmappe``, …), then recorded with the id
  eInnsyn gave and the digest of the body;
- sent, same digest: nothing;
- sent, another digest: ``PATCH /<entity>/{id}`` with the body, then the new digest;
- pending from an interrupted run (eInnsyn may or may not have it): looked up by its
  externalId (``GET /<entity>?externalIds=…``) — adopted if there, else created;
- sent before but no longer published (a screening lifted, a meeting cancelled):
  ``DELETE /<entity>/{id}``, children first, then forgotten;
- sent, changed, but eInnsyn answers the update 404 (deleted there): created anew, and
  its children with it.

A create that fails in a way that may pass is looked up before it is tried again, so a
lost answer never makes a double. Each record is its own transaction: a failure half-way
loses nothing already sent, and the next run goes on from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from caseflow.archive.einnsyn.client import EinnsynClient, EinnsynError
from caseflow.archive.einnsyn.objects import ENTITIES, EinnsynObject
from caseflow.persistence.einnsyn_sent import SentRecord


class SentStore(Protocol):
    """What the publisher remembers
    (:class:`~caseflow.persistence.einnsyn_sent.EinnsynSentTable`)."""

    def records(self, target: str) -> dict[str, SentRecord]: ...
    def pending(
        self, target: str, system_id: str, external_id: str, entity: str, digest: str
    ) -> None: ...
    def confirm(self, target: str, system_id: str, einnsyn_id: str, digest: str) -> None: ...
    def forget(self, target: str, system_id: str) -> None: ...


@dataclass
class PublishResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    adopted: int = 0  # created by an interrupted run, found by its externalId
    sent: list[str] = field(default_factory=list)  # "POST /arkiv" … in order

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.adopted


class PublishFailed(Exception):
    """A request failed for good; ``done`` says what was sent before it."""

    def __init__(self, error: EinnsynError, obj: EinnsynObject | None, done: PublishResult):
        super().__init__(str(error))
        self.error = error
        self.obj = obj
        self.done = done


class Publisher:
    """Publishes objects to one eInnsyn service, remembering what it sent."""

    def __init__(self, client: EinnsynClient, store: SentStore) -> None:
        self.client = client
        self.store = store
        self.target = client.url
        self._recreated: set[str] = set()  # created anew this run (their children too)

    def publish(
        self, objects: list[EinnsynObject], advance: Callable[[], None] | None = None
    ) -> PublishResult:
        result = PublishResult()
        self._recreated = set()
        records = self.store.records(self.target)
        wanted = {o.system_id for o in objects}
        current: EinnsynObject | None = None
        try:
            for current in objects:
                self._one(current, records, result)
                if advance is not None:
                    advance()
            current = None
            self._delete_gone(records, wanted, result)
        except EinnsynError as e:
            raise PublishFailed(e, current, result) from None
        return result

    def plan(self, objects: list[EinnsynObject]) -> PublishResult:
        """What :meth:`publish` would send, by the record alone (no request): a pending
        create counts as a create, a deletion as one request per object."""
        result = PublishResult()
        records = self.store.records(self.target)
        for obj in objects:
            record = records.get(obj.system_id)
            if record is None or record.einnsyn_id is None:
                result.created += 1
                result.sent.append(f"POST {obj.create_path}")
            elif record.digest != obj.digest:
                result.updated += 1
                result.sent.append(f"PATCH {obj.item_path}")
            else:
                result.unchanged += 1
        wanted = {o.system_id for o in objects}
        for record in records.values():
            if record.system_id not in wanted:
                result.deleted += 1
                result.sent.append(f"DELETE /{record.entity}/{{id}}")
        return result

    # -- one object ---------------------------------------------------------------

    def _one(
        self, obj: EinnsynObject, records: dict[str, SentRecord], result: PublishResult
    ) -> None:
        record = records.get(obj.system_id)
        if obj.parent is not None and obj.parent.system_id in self._recreated:
            self._gone(obj, records)  # its parent is new at eInnsyn: so is it
            record = None
        if record is not None and record.einnsyn_id is not None:
            if self._updated(obj, record.einnsyn_id, records, result):
                return
            record = None  # deleted at eInnsyn: create it anew
        found = self._lookup(obj) if record is not None else None
        if found is not None:
            if record is not None and record.pending_digest == obj.digest:
                result.adopted += 1
            else:
                self._update(obj, found, result)
            records[obj.system_id] = self._confirmed(obj, found)
            return
        parent_id = self._parent_id(obj, records)
        self.store.pending(self.target, obj.system_id, obj.external_id, obj.entity, obj.digest)
        einnsyn_id = self._create(obj, parent_id, result)
        records[obj.system_id] = self._confirmed(obj, einnsyn_id)

    def _updated(
        self,
        obj: EinnsynObject,
        einnsyn_id: str,
        records: dict[str, SentRecord],
        result: PublishResult,
    ) -> bool:
        """Nothing to send, or the update sent; False: eInnsyn no longer has it (404)."""
        if records[obj.system_id].digest == obj.digest:
            result.unchanged += 1
            return True
        try:
            self._update(obj, einnsyn_id, result)
        except EinnsynError as e:
            if e.status != 404:
                raise
            self._gone(obj, records)
            return False
        records[obj.system_id] = self._confirmed(obj, einnsyn_id)
        return True

    def _gone(self, obj: EinnsynObject, records: dict[str, SentRecord]) -> None:
        """eInnsyn no longer has the object (nor, then, its children): forget it."""
        self.store.forget(self.target, obj.system_id)
        records.pop(obj.system_id, None)
        self._recreated.add(obj.system_id)

    def _confirmed(self, obj: EinnsynObject, einnsyn_id: str) -> SentRecord:
        self.store.confirm(self.target, obj.system_id, einnsyn_id, obj.digest)
        return SentRecord(
            obj.system_id, obj.external_id, obj.entity, einnsyn_id, obj.digest, None, 0.0
        )

    def _parent_id(self, obj: EinnsynObject, records: dict[str, SentRecord]) -> str | None:
        if obj.parent is None:
            return None
        parent = records.get(obj.parent.system_id)
        if parent is None or parent.einnsyn_id is None:  # pragma: no cover - order guards it
            raise EinnsynError("POST", obj.create_path, 0, "its parent was not published")
        return parent.einnsyn_id

    def _create(self, obj: EinnsynObject, parent_id: str | None, result: PublishResult) -> str:
        path = obj.create_path.replace("{id}", parent_id or "")
        uncertain = False  # a try failed in a way that may have stored it

        def attempt() -> str:
            nonlocal uncertain
            if uncertain:  # never post it twice: first ask whether eInnsyn has it
                found = self._find(obj.entity, obj.external_id, once=True)
                if found is not None:
                    return found
            try:
                answer = self.client.once("POST", path, obj.body)
            except EinnsynError as e:
                uncertain = uncertain or e.retryable
                raise
            return _id_of(answer, "POST", path)

        einnsyn_id: str = self.client.retrying(attempt)
        result.created += 1
        result.sent.append(f"POST {obj.create_path}")
        return einnsyn_id

    def _update(self, obj: EinnsynObject, einnsyn_id: str, result: PublishResult) -> None:
        self.store.pending(self.target, obj.system_id, obj.external_id, obj.entity, obj.digest)
        path = obj.item_path.replace("{id}", einnsyn_id)
        self.client.request("PATCH", path, obj.body)
        result.updated += 1
        result.sent.append(f"PATCH {obj.item_path}")

    def _lookup(self, obj: EinnsynObject) -> str | None:
        return self._find(obj.entity, obj.external_id)

    def _find(self, entity: str, external_id: str, *, once: bool = False) -> str | None:
        """eInnsyn's id of the object with this externalId, if it has one (``once``: a
        single try, inside a create's own retries)."""
        path = f"/{entity}"
        query = {"externalIds": external_id}
        send = self.client.once if once else self.client.request
        answer = send("GET", path, None, query)
        items = answer.get("items", []) if isinstance(answer, dict) else []
        for item in items:
            if isinstance(item, dict) and item.get("externalId") == external_id:
                return _id_of(item, "GET", path)
        return None

    def _delete_gone(
        self, records: dict[str, SentRecord], wanted: set[str], result: PublishResult
    ) -> None:
        gone = [r for r in records.values() if r.system_id not in wanted]
        gone.sort(key=lambda r: ENTITIES.index(r.entity), reverse=True)  # children first
        for record in gone:
            einnsyn_id = record.einnsyn_id or self._find(record.entity, record.external_id)
            if einnsyn_id is not None:  # a pending create may have been stored
                path = f"/{record.entity}/{einnsyn_id}"
                try:
                    self.client.request("DELETE", path)
                except EinnsynError as e:
                    if e.status != 404:  # already gone with its parent
                        raise
                result.deleted += 1
                result.sent.append(f"DELETE /{record.entity}/{{id}}")
            self.store.forget(self.target, record.system_id)


def _id_of(answer: Any, method: str, path: str) -> str:
    if isinstance(answer, dict) and isinstance(answer.get("id"), str) and answer["id"]:
        return str(answer["id"])
    raise EinnsynError(method, path, 200, "the answer has no id")
