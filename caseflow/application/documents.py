"""Case documents: the case document (saksframlegg) and attachments (vedlegg) as files,
each version kept with its SHA-256, size, media type, name, who and when (events on the
:class:`~caseflow.domain.case.Case`, the bytes in the attachment store behind the core's
port). Adding checks the file by its content (:data:`~caseflow.application.files.
DOCUMENT_TYPES`, the size limit of :class:`~caseflow.application.settings.Settings`),
the caller's permission (:func:`~caseflow.domain.permissions.may_add_document`) and the
case's ``expected_version``; reading needs the case to be visible to the reader (its
page's own answer, ``may_see``), else 404."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from caseflow.application.case_queries import CaseQueries
from caseflow.application.core import CaseflowCore
from caseflow.application.files import DOCUMENT_TYPES, StoredFile
from caseflow.application.views import Plain
from caseflow.domain.case import Case
from caseflow.domain.documents import (
    CaseDocument,
    DocumentVersion,
    add_document,
    add_document_version,
    documents_of,
)
from caseflow.domain.errors import NotFoundError, NotPermitted
from caseflow.domain.permissions import may_add_document


@dataclass(frozen=True)
class CaseDocuments(Plain):
    """A case's documents as a reader sees them, with the case's version (the
    ``expected_version`` of the next change). ``document``: the one just changed."""

    case_id: UUID
    case_reference: str
    case_version: int
    documents: list[CaseDocument]
    document: CaseDocument | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "case_id": str(self.case_id),
            "case_reference": self.case_reference,
            "case_version": self.case_version,
            "documents": [d.as_dict() for d in self.documents],
            "document": self.document.as_dict() if self.document else None,
        }


def ordered(case: Case) -> list[CaseDocument]:
    """The case document first, then the attachments in the order they were added."""
    documents = list(documents_of(case).values())
    return sorted(documents, key=lambda d: d.kind.value != "saksframlegg")


class DocumentService:
    """Adding and reading case documents."""

    def __init__(self, core: CaseflowCore, queries: CaseQueries) -> None:
        self.core = core
        self.queries = queries

    # -- commands ------------------------------------------------------------------------

    def add_document(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        filename: str,
        data: bytes,
        *,
        kind: str,
        title: str,
        screened: bool = False,
        legal_basis: str | None = None,
        expected_version: int | None = None,
    ) -> CaseDocuments:
        """Add a document (``saksframlegg`` or ``vedlegg``) with its first version."""
        document_id = uuid4()

        def change(agg: Case, grant: Any, stored: StoredFile) -> UUID:
            add_document(agg, document_id, kind, title, screened, legal_basis, _file(stored), grant)
            return document_id

        return self._change(actor_id, case, filename, data, expected_version, change)

    def add_version(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        document_id: UUID,
        filename: str,
        data: bytes,
        *,
        expected_version: int | None = None,
    ) -> CaseDocuments:
        """Add the next version of a document (same id; the older versions stay)."""

        def change(agg: Case, grant: Any, stored: StoredFile) -> UUID:
            add_document_version(agg, document_id, _file(stored), grant)
            return document_id

        return self._change(actor_id, case, filename, data, expected_version, change)

    def _change(
        self,
        actor_id: UUID | str | None,
        case: UUID | str,
        filename: str,
        data: bytes,
        expected_version: int | None,
        change: Any,
    ) -> CaseDocuments:
        """Load the case, check its version and the actor's permission, check the file,
        record the change, write the file and save: a refusal stores nothing."""
        case_id = self.queries.case_id(case)
        store = self.core.attachment_store
        limit = self.core.settings.document_max_bytes

        def command() -> CaseDocuments:
            agg = self.core.for_command(Case, case_id, "case")
            actor = self.queries.case_actor(actor_id, agg)
            if not self.queries.may_see(actor, agg):
                raise NotFoundError("case not found", case=str(case))
            self.core.check_version(agg, expected_version)
            grant = may_add_document(actor, agg.group_id, agg.status)
            stored = store.check(filename, data, accepted=DOCUMENT_TYPES, max_bytes=limit)
            changed = change(agg, grant, stored)
            store.put(filename, data, accepted=DOCUMENT_TYPES, max_bytes=limit)
            self.core.save_all(agg)
            return _documents(agg, documents_of(agg)[changed])

        return self.core.retrying(command)

    # -- queries -------------------------------------------------------------------------

    def may_add(self, actor_id: UUID | str | None, case: UUID | str) -> bool:
        """Whether the actor may add documents to the case now (to offer the form; the
        command checks again)."""
        with self.core.reading():
            agg = self.core.for_query(Case, self.queries.case_id(case), "case")
            actor = self.queries.case_actor(actor_id, agg)
            if agg.status.is_final or not self.queries.may_see(actor, agg):
                return False
            try:
                may_add_document(actor, agg.group_id, agg.status)
            except NotPermitted:
                return False
            return True

    def _visible(self, viewer: UUID | str | None, case: UUID | str) -> Case:
        agg = self.core.for_query(Case, self.queries.case_id(case), "case")
        if viewer is not None and not self.queries.may_see(
            self.queries.case_actor(viewer, agg), agg
        ):
            raise NotFoundError("case not found", case=str(case))
        return agg

    def case_documents(self, viewer: UUID | str | None, case: UUID | str) -> CaseDocuments:
        """A case's documents, for a reader who may see the case (else 404); ``None``:
        the application itself (the CLI, the demo)."""
        with self.core.reading():
            return _documents(self._visible(viewer, case))

    def documents_by_case(
        self, viewer: UUID | str | None, case_ids: Iterable[UUID]
    ) -> dict[UUID, list[CaseDocument]]:
        """The documents of each of ``case_ids`` that ``viewer`` may see (a meeting's
        agenda, the pack); cases they may not see, or that do not exist, are left out."""
        reader = self.queries.case_reader(viewer)
        found: dict[UUID, list[CaseDocument]] = {}
        with self.core.reading():
            for case_id in case_ids:
                if not reader(case_id):
                    continue
                agg = self.core.for_query(Case, case_id, optional=True)
                if agg is not None:
                    found[case_id] = ordered(agg)
        return found

    def document_file(
        self, viewer: UUID | str | None, case: UUID | str, document_id: UUID, version: int
    ) -> tuple[CaseDocument, DocumentVersion, bytes]:
        """One version of a document with its (hash-verified) bytes, for a reader who
        may see the case; 404 for a document or version that is not there."""
        with self.core.reading():
            agg = self._visible(viewer, case)
            document = documents_of(agg).get(document_id)
        found = document.version(version) if document is not None else None
        if document is None or found is None:
            raise NotFoundError("document not found", document=str(document_id))
        return document, found, self.core.attachment_store.get(found.sha256)


def _file(stored: StoredFile) -> dict[str, Any]:
    return {
        "sha256": stored.sha256,
        "filename": stored.filename,
        "size": stored.size,
        "media_type": stored.media_type,
    }


def _documents(agg: Case, changed: CaseDocument | None = None) -> CaseDocuments:
    return CaseDocuments(agg.id, agg.reference, agg.version, ordered(agg), changed)
