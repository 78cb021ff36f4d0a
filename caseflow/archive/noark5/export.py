"""Writing a Noark 5 v5.0 arkivuttrekk of the store into a folder, by streaming: the
cases, then the meetings, one aggregate at a time (read, replayed, written, dropped);
then the log, one decoded batch at a time, for the endringslogg; then the package
description. See docs/archivists-guide.md."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.archive.noark5 import values as v
from caseflow.archive.noark5.cases import build_case, public_title
from caseflow.archive.noark5.changes import ChangeLog, write_endringslogg
from caseflow.archive.noark5.journals import JournalWriter
from caseflow.archive.noark5.meetings import Decision, MeetingBuilder, meeting_numbers
from caseflow.archive.noark5.package import (
    Documents,
    PackageFacts,
    copy_schemas,
    sha256_of,
    write_arkivuttrekk,
)
from caseflow.archive.noark5.records import Folder, files_of
from caseflow.archive.noark5.source import Source
from caseflow.archive.noark5.structure import ArchiveFacts, StructureWriter, arkivstruktur
from caseflow.domain.case import Case
from caseflow.domain.errors import InvalidInput
from caseflow.domain.index import Counter
from caseflow.domain.meeting import Meeting

#: Called as the export goes: (phase, done so far).
Progress = Callable[[str, int], None]

FILES = (
    "arkivstruktur.xml",
    "endringslogg.xml",
    "loependeJournal.xml",
    "offentligJournal.xml",
    "arkivuttrekk.xml",
)


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    directory: Path
    year: int | None
    cases: int
    meetings: int
    events: int
    changes: int
    journal_entries: int
    documents: int
    seconds: float
    checksums: dict[str, str] = field(default_factory=dict)


class _Export:
    def __init__(
        self, app: Caseflow, directory: Path, year: int | None, now: datetime, progress: Progress
    ) -> None:
        self.app, self.directory, self.year, self.now = app, directory, year, now
        self.progress = progress
        self.source = Source(app)
        self.screened: dict[UUID, tuple[str, str]] = {}
        #: (meeting id, case id) → the case's decision there (Decided event), for the
        #: meeting's saksprotokoll when the minutes record no decision of their own.
        self.decisions: dict[tuple[UUID, UUID], Any] = {}
        self.any_screened = False
        self.cases = self.meetings = 0

    def get(self, case_id: UUID) -> tuple[str, str] | None:
        """A screened case's public title and legal basis, for its agenda items: from the
        cases written (all of them without ``--year``), else read (a case of another year
        on this year's agenda)."""
        found = self.screened.get(case_id)
        if found is not None or self.year is None:
            return found
        with self.app.reading():
            case = self.app.for_query(Case, case_id, optional=True)
        screening = getattr(case, "screening", None)
        return (public_title(case), screening.legal_basis) if screening is not None else None

    def in_year(self, moment: datetime) -> bool:
        return self.year is None or v.local_year(moment) == self.year

    def selected(self, event: Any) -> bool:
        """Whether a created aggregate is in the extract (its creation's or its
        meeting's local year)."""
        if isinstance(event, Meeting.Scheduled):
            return self.in_year(event.starts_at)
        return self.in_year(event.timestamp)

    def write_folder(
        self,
        folder: Folder,
        writer: StructureWriter,
        journals: list[JournalWriter],
        docs: Documents,
    ) -> None:
        writer.write(folder)
        for journal in journals:
            journal.write(folder)
        for file in files_of(folder):
            docs.add(file)
        if folder.screen is not None or any(e.screen for e in folder.entries):
            self.any_screened = True

    def write_cases(
        self, writer: StructureWriter, journals: list[JournalWriter], docs: Documents
    ) -> None:
        for case_id in self.source.case_ids():
            case, events = self.source.history(case_id)
            if not isinstance(case, Case) or not self.in_year(events[0].timestamp):
                continue
            self.write_folder(
                build_case(self.source, case, events, self.now), writer, journals, docs
            )
            self._remember_decision(case, events)
            screening = getattr(case, "screening", None)
            if screening is not None:
                self.screened[case.id] = (public_title(case), screening.legal_basis)
            self.cases += 1
            self.progress("cases", self.cases)

    def _remember_decision(self, case: Case, events: list[Any]) -> None:
        decided = next((e for e in reversed(events) if isinstance(e, Case.Decided)), None)
        if case.submission is None or decided is None:
            return
        self.decisions[(case.submission.meeting_id, case.id)] = Decision(
            decided.timestamp, self.source.name(decided.actor), decided.resolution
        )

    def write_meetings(
        self, writer: StructureWriter, journals: list[JournalWriter], docs: Documents
    ) -> None:
        found = []
        with self.app.reading():
            for meeting_id in self.source.meeting_ids():
                m = self.app.for_query(Meeting, meeting_id, optional=True)
                if m is not None:
                    found.append((m.id, f"{m.body.value}:{m.group_id or ''}", m.starts_at))
        numbers = meeting_numbers(found)
        for meeting_id, _body, starts_at in sorted(found, key=lambda f: (f[2], str(f[0]))):
            if not self.in_year(starts_at):
                continue
            meeting, events = self.source.history(meeting_id)
            builder = MeetingBuilder(self.source, meeting, events, self, self.decisions)
            self.write_folder(builder.build(numbers[meeting_id], self.now), writer, journals, docs)
            self.meetings += 1
            self.progress("meetings", self.meetings)

    def facts(self) -> ArchiveFacts:
        first = self.source.first_time() or self.now
        year = self.year
        part = v.text("Board cases and meetings")
        if year is not None:
            part = v.text("Board cases and meetings %(year)s", {"year": year})
        return ArchiveFacts(
            title=v.text("Osloregionen IPR: board cases and meetings"),
            part_title=part,
            part_key=str(year) if year is not None else "all",
            opened_at=first,
            closed_at=self.now,
            period_start=f"{year}-01-01" if year is not None else v.day(first),
            period_end=f"{year}-12-31" if year is not None else v.day(self.now),
            closed=year is not None and year < v.local_year(self.now),
        )

    def check_year(self) -> None:
        """A year's extract needs a case of that year: the journals and the endringslogg
        must hold at least one entry each (the schemas say so)."""
        if self.year is None:
            return
        with self.app.reading():
            counter = self.app.for_query(
                Counter, Counter.create_id(f"case-{self.year}"), optional=True
            )
        if counter is None or counter.value == 0:
            raise InvalidInput.field(
                "year", "no case was proposed in %(year)s: nothing to extract", year=self.year
            )

    def run(self, standards: Path | None) -> ExportReport:
        began = time.perf_counter()
        self.check_year()
        d = self.directory
        d.mkdir(parents=True, exist_ok=True)
        if standards is not None:
            copy_schemas(standards, d)
        facts = self.facts()
        journals = [JournalWriter(d, public=False), JournalWriter(d, public=True)]
        docs = Documents(d, self.app.attachment_store)
        with arkivstruktur(d / "arkivstruktur.xml", facts) as writer:
            self.write_cases(writer, journals, docs)
            self.write_meetings(writer, journals, docs)
        selection = v.text("Whole archive") if self.year is None else str(self.year)
        for journal in journals:
            journal.close(selection)
        events = 0

        def counted() -> Any:
            nonlocal events
            for batch in self.source.log():
                events += len(batch)
                self.progress("log", events)
                yield batch

        log = ChangeLog(self.source.name, self.selected)
        changes = write_endringslogg(d / "endringslogg.xml", log.changes(counted()))
        docs.close()
        counts = {
            "arkivstruktur": {
                k: n
                for k, n in writer.counts.items()
                if k in ("mappe", "registrering", "dokumentbeskrivelse", "dokumentobjekt")
            },
            "endringslogg": {"endring": changes},
            "loependeJournal": {"journalregistrering": journals[0].count},
            "offentligJournal": {"journalregistrering": journals[1].count},
        }
        package = PackageFacts(
            archive=facts.title,
            start=facts.period_start or "",
            end=facts.period_end or "",
            screened=self.any_screened,
            counts=counts,
        )
        write_arkivuttrekk(d, package, docs)
        docs.remove_listing()
        return ExportReport(
            directory=d,
            year=self.year,
            cases=self.cases,
            meetings=self.meetings,
            events=events,
            changes=changes,
            journal_entries=journals[0].count,
            documents=docs.count,
            seconds=round(time.perf_counter() - began, 3),
            checksums={name: sha256_of(d / name) for name in FILES},
        )


def export_noark5(
    app: Caseflow,
    directory: Path,
    *,
    year: int | None = None,
    standards: Path | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ExportReport:
    """Write the arkivuttrekk of ``app``'s store (``year``: only that year's cases and
    meetings, in local time) into ``directory``; ``standards``: a folder of the
    published schemas (``noark5/v5.0``, ``addml/v8.3``) to copy into the package."""
    moment = now or datetime.now(UTC)
    export = _Export(app, Path(directory), year, moment, progress or (lambda _p, _n: None))
    return export.run(standards)
