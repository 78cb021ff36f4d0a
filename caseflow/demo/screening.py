"""The demo's screened cases (issue 18): the secretariat screens them through the
application's commands, so that the public pages and the leak test have screened content.

Two of the demo's cases name what the public may not see: an agreement with a company
(Offl. § 23, the council's negotiating position) and a personnel matter naming an employee
(Offl. § 13 jf. fvl. § 13). The secretariat screens each case when it accepts it, and its
documents when they are added at submission (the saksframlegg's title names the words;
the offer from the company is screened as a business secret). The board's resolution on a
screened case is written with its public title, as the minutes' item lines are.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from caseflow.application import Caseflow
from caseflow.demo.documents import vedlegg_pdf
from caseflow.domain.screening import mask


@dataclass(frozen=True)
class DemoScreening:
    """How one demo case is screened: the legal basis (a key of the list), the words,
    and a document of its own to add and screen (title, legal basis), if any."""

    legal_basis: str
    words: tuple[str, ...]
    document: tuple[str, str] | None = None


#: The screened demo cases by title (their ideas are in :data:`caseflow.demo.content.CASES`).
AGREEMENT = "Avtale med Nordlys Eiendom AS om leie av kontorlokaler for sekretariatet"
PERSONNEL = "Personalsak: søknad om permisjon fra Eva Brattli"
SCREENED: dict[str, DemoScreening] = {
    AGREEMENT: DemoScreening(
        "offl-23",
        ("Nordlys Eiendom AS",),
        ("Leietilbud fra Nordlys Eiendom AS", "offl-13-fvl-13-1-2"),
    ),
    PERSONNEL: DemoScreening("offl-13-fvl-13", ("Eva Brattli",)),
}


def public_title(title: str) -> str:
    """The title the public sees of a demo case."""
    found = SCREENED.get(title)
    return mask(title, found.words) if found is not None else title


def after_step(app: Caseflow, officer: UUID, case_id: UUID, step: str, title: str) -> None:
    """After a demo case's ``step``: screen a screened case once accepted, and its
    documents once submitted (each through the application's commands)."""
    found = SCREENED.get(title)
    if found is None:
        return
    if step == "accept":
        app.screen_case(officer, case_id, found.legal_basis, found.words)
    elif step == "submit":
        _screen_documents(app, officer, case_id, found)


def _screen_documents(app: Caseflow, officer: UUID, case_id: UUID, found: DemoScreening) -> None:
    documents = app.documents
    if found.document is not None and len(documents.case_documents(None, case_id).documents) < 2:
        title, _basis = found.document
        view = app.get_case(None, case_id)
        documents.add_document(
            officer,
            case_id,
            f"leietilbud-{view.reference}.pdf",
            vedlegg_pdf(view.reference, title),
            kind="vedlegg",
            title=title,
        )
    for doc in documents.case_documents(None, case_id).documents:
        if doc.screened:
            continue
        named = [w for w in found.words if w.casefold() in doc.title.casefold()]
        basis = found.legal_basis
        if found.document is not None and doc.title == found.document[0]:
            basis = found.document[1]
        app.screen_document(
            officer, case_id, doc.id, basis, named, public_title=None if named else doc.title
        )
