"""The Noark 5 v5.0 arkivuttrekk (issue 18): ``arkivstruktur.xml``, ``endringslogg.xml``,
``loependeJournal.xml``, ``offentligJournal.xml``, ``arkivuttrekk.xml`` (ADDML 8.3) and
the documents in ``DOKUMENT/``, written by streaming from the one log and the aggregates
(:func:`export_noark5`). docs/archivists-guide.md says what the extract holds."""

from caseflow.archive.noark5.export import ExportReport, export_noark5

__all__ = ["ExportReport", "export_noark5"]
