"""Old topics of classes that moved, so a store written before the move still loads.

eventsourcing stores each event's topic as ``module:QualName`` (and a created event
names its aggregate's topic too); when a class moves to another module, the stored
strings no longer resolve by import. Each old topic is registered here for the class
as it is now (``eventsourcing.utils.register_topic``); new events carry the new topics.
A stored topic is never rewritten (the audit ledger's chain covers it), so an entry
here is kept for as long as a store may hold it. Add an entry for the aggregate *and*
every event class nested in it whenever a domain class moves.
"""

from __future__ import annotations

from eventsourcing.utils import register_topic

from caseflow.domain.agenda import AgendaSequence
from caseflow.domain.measure import Measure

#: Old topic → the class it now names. Issue 13 split ``caseflow.domain.meeting``.
MOVED_TOPICS: dict[str, type] = {
    "caseflow.domain.meeting:AgendaSequence": AgendaSequence,
    "caseflow.domain.meeting:AgendaSequence.Started": AgendaSequence.Started,
    "caseflow.domain.meeting:AgendaSequence.NumberIssued": AgendaSequence.NumberIssued,
    "caseflow.domain.meeting:Measure": Measure,
    "caseflow.domain.meeting:Measure.Registered": Measure.Registered,
    "caseflow.domain.meeting:Measure.StatusUpdated": Measure.StatusUpdated,
}


def register_moved_topics() -> None:
    """Register every old topic (idempotent; every ``Caseflow`` does it when built)."""
    for topic, cls in MOVED_TOPICS.items():
        register_topic(topic, cls)
