"""Case documents in the JSON API (issue 14), with the checks of the case page and of
``caseflow case attach`` (``Caseflow.documents``):

- ``GET /api/v1/cases/{id}/documents`` — the documents with every version (404 unless
  the caller may see the case);
- ``POST /api/v1/cases/{id}/documents`` — ``multipart/form-data``: ``file``, ``kind``
  (``saksframlegg`` | ``vedlegg``), ``title``, ``screened``, ``legal_basis``,
  ``expected_version`` (the case's); 201 with the documents and the one added;
- ``POST /api/v1/cases/{id}/documents/{document_id}/versions`` — a new version
  (``file``, ``expected_version``); 201;
- ``GET /api/v1/cases/{id}/documents/{document_id}/versions/{n}`` — the file.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import Schema, fields

from caseflow.domain.errors import NotFoundError
from web.context import after_write, caseflow, user_id
from web.documents import DocumentFormSchema, VersionFormSchema, file_response
from web.forms import form_input
from web.openapi import api_route
from web.schemas_out import ScreeningSchema

bp = Blueprint("api_documents", __name__, url_prefix="/api/v1")


class DocumentVersionSchema(Schema):
    number = fields.Integer()
    sha256 = fields.String(metadata={"description": "SHA-256 of the file, hex"})
    filename = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})
    media_type = fields.String(metadata={"description": "by the file's content"})
    actor = fields.String(metadata={"description": "who added it (person id, hex)"})
    role = fields.String(metadata={"description": "in which role, e.g. secretariat"})
    on_behalf_of = fields.String(allow_none=True)
    at = fields.DateTime()


class DocumentSchema(Schema):
    id = fields.UUID()
    kind = fields.String(metadata={"enum": ["saksframlegg", "vedlegg"]})
    title = fields.String()
    screened = fields.Boolean(metadata={"description": "not public (issue 18's pages)"})
    legal_basis = fields.String(allow_none=True, metadata={"description": "e.g. Offl. § 14"})
    public_title = fields.String(metadata={"description": "the title the public sees"})
    screening = fields.Nested(ScreeningSchema, allow_none=True)
    versions = fields.List(fields.Nested(DocumentVersionSchema))


class DocumentListSchema(Schema):
    """A case's documents; ``case_version`` is the next change's ``expected_version``."""

    case_id = fields.UUID(required=True)
    case_reference = fields.String(required=True)
    case_version = fields.Integer(required=True)
    items = fields.List(fields.Nested(DocumentSchema), required=True)
    document = fields.Nested(
        DocumentSchema, allow_none=True, metadata={"description": "the one just changed"}
    )
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


def _answer(found: Any, status: int = 200) -> tuple[Any, int]:
    items = found.documents
    body = {
        "case_id": found.case_id,
        "case_reference": found.case_reference,
        "case_version": found.case_version,
        "items": items,
        "document": found.document,
        "page": 1,
        "per_page": max(len(items), 1),
        "total": len(items),
    }
    return jsonify(DocumentListSchema().dump(body)), status


@api_route(
    bp,
    "/cases/<id>/documents",
    "GET",
    summary="The case's documents (saksframlegg, vedlegg) with every version",
    response=DocumentListSchema,
    errors=(401, 404),
    tags=["documents"],
)
def documents(id: str) -> ResponseReturnValue:
    return _answer(caseflow().documents.case_documents(user_id(), id))


@api_route(
    bp,
    "/cases/<id>/documents",
    "POST",
    summary="Add a document to the case (multipart/form-data: file, kind, title, "
    "screened, legal_basis, expected_version)",
    form=DocumentFormSchema,
    response=DocumentListSchema,
    status=201,
    errors=(401, 403, 404, 409),
    tags=["documents"],
)
def add_document(id: str) -> ResponseReturnValue:
    app = caseflow()
    case_id = app.get_case(user_id(), id).id  # 404 before anything else
    data = DocumentFormSchema().load(form_input(DocumentFormSchema))
    upload = data["file"]
    found = app.documents.add_document(
        user_id(),
        case_id,
        upload.filename,
        upload.read(),
        kind=data["kind"],
        title=data["title"],
        screened=data["screened"],
        legal_basis=data["legal_basis"] or None,
        expected_version=data["expected_version"],
    )
    after_write()
    return _answer(found, 201)


@api_route(
    bp,
    "/cases/<id>/documents/<uuid:document_id>/versions",
    "POST",
    summary="Add the next version of a document (multipart/form-data: file, "
    "expected_version); the older versions stay",
    form=VersionFormSchema,
    response=DocumentListSchema,
    status=201,
    errors=(401, 403, 404, 409),
    tags=["documents"],
)
def add_version(id: str, document_id: UUID) -> ResponseReturnValue:
    app = caseflow()
    case_id = app.get_case(user_id(), id).id
    data = VersionFormSchema().load(form_input(VersionFormSchema))
    upload = data["file"]
    found = app.documents.add_version(
        user_id(),
        case_id,
        document_id,
        upload.filename,
        upload.read(),
        expected_version=data["expected_version"],
    )
    after_write()
    return _answer(found, 201)


@api_route(
    bp,
    "/cases/<id>/documents/<uuid:document_id>/versions/<number>",
    "GET",
    summary="One version of a document: the file itself (hash-verified)",
    response=None,
    errors=(401, 404),
    tags=["documents"],
)
def download(id: str, document_id: UUID, number: str) -> ResponseReturnValue:
    if not number.isdigit() or len(number) > 6:
        raise NotFoundError("document not found", document=str(document_id))
    _document, version, data = caseflow().documents.document_file(
        user_id(), id, document_id, int(number)
    )
    return file_response(data, version.media_type, version.filename, version.sha256)
