"""The words and codes of the extract: Noark 5's code lists as the extract writes them
(Noark 5 asks for the code's text, not its letter, except where a code is the custom),
times in local time with their offset, and Caseflow's labels in bokmål through the
catalogs (:mod:`caseflow.i18n`): an arkivuttrekk is deposited in Norwegian."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from caseflow import i18n
from caseflow.domain import localtime
from caseflow.domain.values import CaseStatus

#: The extract's language (a Norwegian archive's).
LANGUAGE = "nb"

NS_ARKIVSTRUKTUR = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
NS_ENDRINGSLOGG = "http://www.arkivverket.no/standarder/noark5/endringslogg"
NS_LOEPENDE = "http://www.arkivverket.no/standarder/noark5/loependeJournal"
NS_OFFENTLIG = "http://www.arkivverket.no/standarder/noark5/offentligJournal"
NS_ADDML = "http://www.arkivverket.no/standarder/addml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: M052 saksstatus (code → the text the extract carries).
SAKSSTATUS_UNDER_BEHANDLING = "Under behandling"
SAKSSTATUS_AVSLUTTET = "Avsluttet"
SAKSSTATUS_UTGAAR = "Utgår"

#: M082 journalposttype.
INTERNT_FOR_OPPFOELGING = "Organinternt dokument for oppfølging"
INTERNT_UTEN_OPPFOELGING = "Organinternt dokument uten oppfølging"
SAKSFRAMLEGG = "Saksframlegg"

#: M053 journalstatus, M054 dokumentstatus, M217 tilknyttetRegistreringSom, M700
#: variantformat, M087 korrespondanseparttype.
JOURNALFOERT = "Journalført"
DOKUMENT_FERDIG = "Dokumentet er ferdigstilt"
HOVEDDOKUMENT = "Hoveddokument"
VEDLEGG = "Vedlegg"
PRODUKSJONSFORMAT = "Produksjonsformat"
INTERN_AVSENDER = "Intern avsender"

#: M085 moeteregistreringstype: the code and its text.
MOETEREGISTRERINGSTYPE: dict[str, str] = {
    "MI": "Møteinnkalling",
    "SF": "Saksframlegg",
    "SP": "Saksprotokoll",
    "MP": "Møteprotokoll",
    "SL": "Saksliste",
    "VL": "Vedlegg",
}

#: M502 skjermingMetadata (the code list's texts).
SKJERM_TITTEL_MAPPE = "Skjerming tittel mappe - utvalgte ord"
SKJERM_TITTEL_REGISTRERING = "Skjerming tittel registrering - utvalgte ord"
SKJERM_TITTEL_DOKUMENT = "Skjerming tittel dokumentbeskrivelse"
#: M503 skjermingDokument.
HELE_DOKUMENTET = "Hele dokumentet"

SHA256 = "SHA-256"

#: What the endringslogg writes for a value that was not there (the schema wants text).
NO_VALUE = "(ingen verdi)"

#: A meeting body's name (msgids of the catalogs).
BODY_LABEL = {
    "board": "Board",
    "kg": "KG",
    "ipu": "Interest-policy committee",
    "council": "Council of representatives",
    "group": "Group",
    "joint": "Joint gathering",
}

#: Who writes the extract, where an event names no person.
ARCHIVE_CREATOR = "Osloregionen IPR"
SECRETARIAT = "Secretariat"


def text(key: str, params: Mapping[str, Any] | None = None) -> str:
    """Catalog message ``key`` in bokmål."""
    return i18n.translate(key, params, LANGUAGE)


def status_label(status: str | CaseStatus) -> str:
    """A case status as the extract names it (Caseflow's own label, in bokmål)."""
    value = status.value if isinstance(status, CaseStatus) else str(status)
    return text(i18n.STATUS.get(value, value))


def saksstatus(status: CaseStatus) -> str:
    """Noark's saksstatus for a Caseflow status."""
    if status is CaseStatus.DECIDED:
        return SAKSSTATUS_AVSLUTTET
    if status in (CaseStatus.DECLINED, CaseStatus.WITHDRAWN):
        return SAKSSTATUS_UTGAAR
    return SAKSSTATUS_UNDER_BEHANDLING


def when(moment: datetime) -> str:
    """An ``xs:dateTime`` in local time with its offset (``2025-03-04T10:15:00+01:00``)."""
    return localtime.to_local(moment).isoformat(timespec="seconds")


def day(moment: datetime | date) -> str:
    """An ``xs:date``: the local day of a moment."""
    if isinstance(moment, datetime):
        return localtime.local_date(moment).isoformat()
    return moment.isoformat()


def local_date(moment: datetime) -> date:
    return localtime.local_date(moment)


def local_year(moment: datetime) -> int:
    return localtime.local_date(moment).year


_PARAGRAPH = re.compile(r"§\s*(\d+)")


def tilgangsrestriksjon(legal_basis: str | None) -> str:
    """M500 for a legal basis: the paragraph of offentleglova it cites (``13`` for
    "Offl. § 13 jf. fvl. § 13"), as Norwegian archives code it; ``XX`` (unntatt, not
    yet assessed) for a basis that cites none."""
    found = _PARAGRAPH.search(legal_basis or "")
    return found.group(1) if found else "XX"


def nonblank(value: str | None, fallback: str) -> str:
    """``value`` unless it is empty (the schemas want at least one character)."""
    value = " ".join((value or "").split())
    return value or fallback
