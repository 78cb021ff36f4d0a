"""A case's documents: the case document (saksframlegg) and its attachments (vedlegg),
each a file kept in every version with its SHA-256, size, media type, name, who added it
(actor, role, on behalf of) and when. A document is public or screened (skjermet), with
an optional legal basis (hjemmel, e.g. "Offl. § 14"). Issue 18: the secretariat screens a
document after upload, or lifts it (``Case.DocumentScreened``/``DocumentScreeningLifted``,
:mod:`caseflow.domain.case_screening`), with the public title the public sees.

The events are the :class:`~caseflow.domain.case.Case`'s (``DocumentAdded``,
``DocumentVersionAdded``); the values here are what they build, frozen so that a view
can hand them out. The bytes live in the attachment store, never in an event.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from caseflow.domain.errors import InvalidInput, InvalidTransition, NotFoundError
from caseflow.domain.screening import MASK, Screening
from caseflow.domain.values import CaseStatus

if TYPE_CHECKING:
    from caseflow.domain.permissions.actor import Grant

#: The longest title and legal basis a document may have.
MAX_TITLE = 300
MAX_BASIS = 200


class DocumentKind(StrEnum):
    SAKSFRAMLEGG = "saksframlegg"
    VEDLEGG = "vedlegg"


@dataclass(frozen=True)
class DocumentVersion:
    """One version of a document's file (the bytes are in the store, by ``sha256``)."""

    number: int
    sha256: str
    filename: str
    size: int
    media_type: str
    actor: str
    role: str
    on_behalf_of: str | None
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "sha256": self.sha256,
            "filename": self.filename,
            "size": self.size,
            "media_type": self.media_type,
            "actor": self.actor,
            "role": self.role,
            "on_behalf_of": self.on_behalf_of,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True)
class CaseDocument:
    """A document of a case, with every version (oldest first)."""

    id: UUID
    kind: DocumentKind
    title: str
    screened: bool
    legal_basis: str | None
    versions: tuple[DocumentVersion, ...]
    #: Issue 18: how the secretariat screened it (None: public, or screened at upload
    #: without a public title — then the public sees :data:`~caseflow.domain.screening.
    #: MASK` for its title).
    screening: Screening | None = None

    @property
    def current(self) -> DocumentVersion:
        return self.versions[-1]

    @property
    def public(self) -> bool:
        return not self.screened

    @property
    def public_title(self) -> str:
        """The title the public sees: the title, the screening's public title, or
        :data:`~caseflow.domain.screening.MASK` for a document screened at upload."""
        if self.screening is not None:
            return self.screening.public_title
        return MASK if self.screened else self.title

    def version(self, number: int) -> DocumentVersion | None:
        return self.versions[number - 1] if 1 <= number <= len(self.versions) else None

    def with_version(self, version: DocumentVersion) -> CaseDocument:
        return replace(self, versions=(*self.versions, version))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "kind": self.kind.value,
            "title": self.title,
            "screened": self.screened,
            "legal_basis": self.legal_basis,
            "public_title": self.public_title,
            "screening": self.screening.as_dict() if self.screening is not None else None,
            "versions": [v.as_dict() for v in self.versions],
        }


def check_document_fields(
    kind: str, title: str, screened: bool, legal_basis: str | None
) -> tuple[DocumentKind, str, str | None]:
    """The document's kind, title and legal basis as recorded; raises
    :class:`InvalidInput` naming every field that is wrong."""
    errors: dict[str, list[Any]] = {}
    try:
        the_kind = DocumentKind(kind)
    except ValueError:
        errors["kind"] = ["saksframlegg or vedlegg"]
        the_kind = DocumentKind.VEDLEGG
    title = (title or "").strip()
    if not title:
        errors["title"] = ["required"]
    elif len(title) > MAX_TITLE:
        errors["title"] = ["at most 300 characters"]
    basis = (legal_basis or "").strip() or None
    if basis is not None and not screened:
        errors["legal_basis"] = ["a legal basis is given only for a screened document"]
    elif basis is not None and len(basis) > MAX_BASIS:
        errors["legal_basis"] = ["at most 200 characters"]
    if errors:
        raise InvalidInput("the document is incomplete", fields=errors)
    return the_kind, title, basis


def check_documents_open(status: CaseStatus) -> None:
    """Documents are added while the case is open: a declined, withdrawn or decided
    case keeps the documents it had (409)."""
    if status.is_final:
        raise InvalidTransition(
            "The case is “%(status)s”; its documents can no longer change.",
            status=status.value,
        )


def check_new_document(kind: DocumentKind, documents: dict[UUID, CaseDocument]) -> None:
    """A case has one case document (saksframlegg): a changed one is a new version."""
    if kind is DocumentKind.SAKSFRAMLEGG and any(
        d.kind is DocumentKind.SAKSFRAMLEGG for d in documents.values()
    ):
        raise InvalidTransition(
            "the case already has a case document; upload a new version of it instead"
        )


def version_of(event: Any, number: int) -> DocumentVersion:
    """The version a ``DocumentAdded``/``DocumentVersionAdded`` event records."""
    return DocumentVersion(
        number=number,
        sha256=event.sha256,
        filename=event.filename,
        size=event.size,
        media_type=event.media_type,
        actor=event.actor,
        role=event.role,
        on_behalf_of=event.on_behalf_of,
        at=event.timestamp,
    )


def documents_of(case: Any) -> dict[UUID, CaseDocument]:
    """The case's documents by id (a case written before documents existed has none)."""
    found: dict[UUID, CaseDocument] | None = case.__dict__.get("case_documents")
    if found is None:
        found = {}
        case.case_documents = found
    return found


def document_added(case: Any, event: Any) -> None:
    """Apply ``Case.DocumentAdded``."""
    documents_of(case)[event.document_id] = CaseDocument(
        event.document_id,
        DocumentKind(event.kind),
        event.title,
        event.screened,
        event.legal_basis,
        (version_of(event, 1),),
    )


def document_version_added(case: Any, event: Any) -> None:
    """Apply ``Case.DocumentVersionAdded``."""
    documents = documents_of(case)
    document = documents[event.document_id]
    documents[event.document_id] = document.with_version(
        version_of(event, len(document.versions) + 1)
    )


def document_screened(case: Any, document_id: UUID, screening: Screening | None) -> None:
    """Apply ``Case.DocumentScreened`` (``screening``) or ``DocumentScreeningLifted``
    (None: public again, with no legal basis)."""
    documents = documents_of(case)
    document = documents[document_id]
    documents[document_id] = replace(
        document,
        screened=screening is not None,
        legal_basis=screening.legal_basis if screening is not None else None,
        screening=screening,
    )


def find_document(case: Any, document_id: UUID) -> CaseDocument:
    """One of ``case``'s documents (404 naming it when it is not there)."""
    found = documents_of(case).get(document_id)
    if found is None:
        raise NotFoundError("document not found", document=str(document_id))
    return found


# -- the commands (the caller has checked permission and passes the grant) ---------------


def add_document(
    case: Any,
    document_id: UUID,
    kind: str,
    title: str,
    screened: bool,
    legal_basis: str | None,
    file: dict[str, Any],
    by: Grant,
) -> None:
    """Add a document to ``case`` (a :class:`~caseflow.domain.case.Case`) with its first
    version; ``file`` is the stored file's ``sha256``, ``filename``, ``size`` and
    ``media_type``."""
    check_documents_open(case.status)
    the_kind, title, basis = check_document_fields(kind, title, screened, legal_basis)
    check_new_document(the_kind, documents_of(case))
    case._record(
        case.DocumentAdded,
        by,
        document_id=document_id,
        kind=the_kind.value,
        title=title,
        screened=bool(screened),
        legal_basis=basis,
        **file,
    )


def add_document_version(case: Any, document_id: UUID, file: dict[str, Any], by: Grant) -> None:
    """Add the next version of one of ``case``'s documents."""
    check_documents_open(case.status)
    if document_id not in documents_of(case):
        raise NotFoundError("document not found", document=str(document_id))
    case._record(case.DocumentVersionAdded, by, document_id=document_id, **file)
