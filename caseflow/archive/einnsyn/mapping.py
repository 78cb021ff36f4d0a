"""Caseflow → eInnsyn: every object to publish, in publishing order.

One Arkiv (Osloregionen IPR) with one Arkivdel; under it a Moetemappe per published
meeting (:mod:`~.meetings`, by date) and a Saksmappe per case (:mod:`~.cases`, by
reference), each followed by its children — the order eInnsyn's API needs (a parent
before its children). The same history gives the same objects, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from caseflow.archive.einnsyn.cases import CaseFacts, case_facts, case_objects
from caseflow.archive.einnsyn.meetings import meeting_numbers, meeting_objects, published
from caseflow.archive.einnsyn.objects import EinnsynObject, make
from caseflow.archive.einnsyn.titles import PublicTitles
from caseflow.archive.journal import read_journal
from caseflow.domain.case import Case

ARKIV_TITLE = "Osloregionen IPR"
ARKIVDEL_TITLE = "Saker og møter"

#: The base of a published file's address (``CASEFLOW_BASE_URL``'s default).
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def file_address(base_url: str) -> Callable[[UUID, UUID], str]:
    """A case document's public address (``web/public.py``):
    ``<base>/offentlig/dokumenter/<case>/<document>``."""
    base = base_url.rstrip("/")

    def address(case_id: UUID, document_id: UUID) -> str:
        return f"{base}/offentlig/dokumenter/{case_id}/{document_id}"

    return address


def register_names(app: Any) -> list[str]:
    """Every name in the people register (the directory's people)."""
    with app.reading():
        return [app.person_name(pid) for pid in app.shared_directory().people]


#: Told how many cases are read so far, of how many (a progress bar).
Progress = Callable[[int, int], None]


def all_cases(app: Any, progress: Progress | None = None) -> list[CaseFacts]:
    facts = []
    ids = app.case_ids()
    for done, case_id in enumerate(ids, start=1):
        with app.reading():
            case = app.for_query(Case, case_id, optional=True)
            if case is not None:
                facts.append(case_facts(case))
        if progress is not None:
            progress(done, len(ids))
    return sorted(facts, key=lambda c: c.year_and_number)


def einnsyn_objects(
    app: Any, base_url: str = DEFAULT_BASE_URL, progress: Progress | None = None
) -> list[EinnsynObject]:
    """Everything Caseflow publishes on eInnsyn, parents before children (``progress``:
    told as the cases are read, the long part on a large store)."""
    titles = PublicTitles(register_names(app))
    file_url = file_address(base_url)
    arkiv = make("arkiv", ("osloregionen",), None, {"tittel": ARKIV_TITLE}, ARKIV_TITLE)
    arkivdel = make("arkivdel", ("saker-og-moter",), arkiv, {"tittel": ARKIVDEL_TITLE})
    cases = all_cases(app, progress)
    by_id = {c.id: c for c in cases}
    objects = [arkiv, arkivdel]
    with app.reading():
        meetings = app.meeting_queries.all_meetings()
    numbers = meeting_numbers(meetings)
    on_agenda: set[UUID] = set()
    for meeting in meetings:
        if published(meeting):
            objects.extend(
                meeting_objects(meeting, numbers[meeting.id], arkivdel, titles, by_id.get)
            )
            on_agenda.update(i.case_id for i in meeting.items if i.case_id is not None)
    journal = read_journal(app)  # the numbering the Noark 5 extract gives too
    for case in cases:
        files = file_url if case.id in on_agenda else None  # served by the public pages
        objects.extend(case_objects(case, arkivdel, titles, journal, files))
    return objects
