"""Every event type of the domain has its own line in the audit trail (never the generic
"Hendelse …" for a known event), in bokmål and in English, its codes in words."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from eventsourcing.domain import DomainEvent

import caseflow.domain
from caseflow.domain.base import CaseflowAggregate
from caseflow.domain.case import Case
from caseflow.domain.measure import Measure
from caseflow.domain.meeting import AgendaSequence
from caseflow.domain.organisation import Group, Person
from caseflow.i18n import catalog
from caseflow.readmodels import audit_summary
from caseflow.readmodels.audit import SUMMARIES, summarise
from caseflow.readmodels.audit_summary import (
    BODIES,
    DOCUMENT_KINDS,
    INDEX_KINDS,
    MEASURE_STATUSES,
    POSITIONS,
    STANCES,
    SYSTEM_ROLES,
)


def _aggregates(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _aggregates(sub)


def test_every_event_type_has_a_summary() -> None:
    for module in pkgutil.walk_packages(caseflow.domain.__path__, "caseflow.domain."):
        importlib.import_module(module.name)  # every aggregate of the domain
    missing = []
    for aggregate in set(_aggregates(CaseflowAggregate)):
        if not aggregate.__module__.startswith("caseflow.domain."):
            continue  # the tests' own aggregates
        for name, value in vars(aggregate).items():
            if name in ("Created", "Event") or not isinstance(value, type):
                continue
            own = issubclass(value, DomainEvent) and value.__qualname__.startswith(
                aggregate.__name__ + "."
            )
            if own and value.__qualname__ not in SUMMARIES:
                missing.append(value.__qualname__)
    assert missing == [], f"no audit-trail summary for {sorted(missing)}"


def _event(cls: type, **values: object) -> object:
    """An event of ``cls`` with ``values`` (every other field None)."""
    given = {f.name: None for f in dataclasses.fields(cls)}
    given.update(originator_id=uuid4(), originator_version=1, timestamp=datetime.now(UTC))
    given.update(values)
    return cls(**given)


NAMES = {"p1": "Kari Nordmann", "p2": "Ola Hansen"}


def _name(value: object) -> str:
    return NAMES.get(str(value), str(value))


@pytest.mark.parametrize(
    ("event", "nb", "en"),
    [
        (
            _event(Case.AdviceGiven, stance="supports_with_changes", as_invited_leader=False),
            "Ga råd: støtter med endringer",
            "Gave advice: supports with changes",
        ),
        (
            _event(Case.AdviceGiven, stance="does_not_support", as_invited_leader=True),
            "Ga innspill: støtter ikke",
            "Gave input: does not support",
        ),
        (
            _event(Case.Declined, reason="Utenfor  mandatet"),
            "Avviste saken: Utenfor mandatet",
            "Declined the case: Utenfor mandatet",
        ),
        (
            _event(AgendaSequence.Started, body="council", year=2026),
            "Startet saksnummereringen for representantskapet 2026",
            "Started the case numbering for the council of representatives 2026",
        ),
        (
            _event(Case.DocumentAdded, kind="vedlegg", title="Kart", filename="kart.pdf"),
            "La til vedlegg: Kart (kart.pdf)",
            "Added attachment: Kart (kart.pdf)",
        ),
        (
            _event(
                Group.MemberAdded, person_id="p1", member_role="deputy", member_on_behalf_of="p2"
            ),
            "La til Kari Nordmann som nestleder på vegne av Ola Hansen",
            "Added Kari Nordmann as deputy leader on behalf of Ola Hansen",
        ),
        (
            _event(Person.RoleGranted, granted="secretariat"),
            None,  # the person is the event's originator: checked by its words only
            None,
        ),
        (_event(Case.MarkedReady), "Saken er klar for styret", "The case is ready for the board"),
    ],
)
def test_a_summary_in_bokmal_and_english(event: object, nb: str | None, en: str | None) -> None:
    bokmal, english = summarise(event, _name, "nb"), summarise(event, _name, "en")
    if nb is None:
        assert "sekretariatet" in bokmal
        assert "the secretariat" in english
        assert "secretariat" not in bokmal
    else:
        assert (bokmal, english) == (nb, en)
    assert summarise(event, _name) == bokmal  # bokmål by default


def test_an_unknown_code_and_an_unknown_type() -> None:
    odd = _event(Measure.StatusUpdated, status="abandoned")
    assert summarise(odd, _name, "en") == "The measure has the status abandoned"
    assert summarise(_event(Case.Declined), _name, "nb") == "Avviste saken: "
    assert summarise(object(), _name, "nb") == "Hendelse object"
    assert summarise(object(), _name, "en") == "Event object"


def test_every_summary_key_and_word_has_bokmal() -> None:
    """Each key a summary can give, and each word of a code, is in the bokmål catalog."""
    nb = catalog("nb")
    words = [
        *STANCES.values(),
        *POSITIONS.values(),
        *SYSTEM_ROLES.values(),
        *BODIES.values(),
        *MEASURE_STATUSES.values(),
        *INDEX_KINDS.values(),
        *DOCUMENT_KINDS.values(),
    ]
    source = inspect.getsource(audit_summary)
    table = source.split("SUMMARIES: dict")[1].split("def summary_line")[0]
    keys = set(re.findall(r'"([A-Z][^"]*)"', table)) - set(SUMMARIES)  # not the qualnames
    assert len(keys) > 60
    same = {"KG", "administrator"}  # the same word in both languages
    untranslated = sorted(k for k in [*keys, *words] if nb.gettext(k) == k and k not in same)
    assert untranslated == [], untranslated


def test_a_board_number_in_either_language() -> None:
    event = _event(Case.SubmittedToBoard, meeting_id=uuid4(), number=38, year=2025)
    assert summarise(event, _name, "nb") == "Fremmet for styret som Sak 38/25"
    assert summarise(event, _name, "en") == "Submitted to the board as Case 38/25"
