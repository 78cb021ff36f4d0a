"""Screening in the JSON API (issue 18), with the checks of the case page's "Skjerming"
panel and of ``caseflow case screen|unscreen`` (``Caseflow.screening``: the secretariat
only, 403 naming the role; 404 unless the caller may see the case or meeting;
``expected_version`` 409; refused fields 422, nothing recorded):

- ``GET /api/v1/screening/legal-bases`` — the maintained list (key, text, description);
- ``POST /api/v1/cases/{id}/screening`` — ``{legal_basis, words, public_title?,
  expected_version?}``: the case as ``GET /cases/{id}`` reads it, with ``screening``;
- ``DELETE /api/v1/cases/{id}/screening?reason=…&expected_version=…`` — lifted;
- ``POST`` / ``DELETE /api/v1/cases/{id}/documents/{document_id}/screening`` — the same
  for a document (the answer: the case's documents, ``document`` the one changed);
- ``POST`` / ``DELETE /api/v1/meetings/{id}/items/{key}/screening`` — a free agenda item
  (an item for a case follows its case: 409).

``legal_basis`` is a key of the list (``offl-23``), its text (``Offl. § 23``) or free text.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from caseflow.domain.screening import LEGAL_BASES
from web.api import body, dump
from web.api_documents import DocumentListSchema
from web.api_documents import _answer as documents_answer
from web.context import after_write, caseflow, user_id
from web.openapi import api_route
from web.schemas import REQUIRED, InputSchema, QuerySchema, Text
from web.schemas_out import CaseSchema, MeetingSchema

bp = Blueprint("api_screening", __name__, url_prefix="/api/v1")


class ScreenBodySchema(InputSchema):
    legal_basis = Text(
        required=True,
        max_length=200,
        metadata={"description": "a key of GET /screening/legal-bases, its text, or free text"},
    )
    words = fields.List(
        Text(max_length=100),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={"description": "the screened words (each in the title); never public"},
    )
    public_title = Text(
        load_default="",
        max_length=300,
        metadata={"description": "empty: the title with the words replaced by ****"},
    )
    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))


class LiftQuerySchema(QuerySchema):
    reason = Text(
        required=True,
        max_length=500,
        error_messages={"required": REQUIRED},
        metadata={"description": "why the screening is lifted (for the audit trail)"},
    )
    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))


class LegalBasisSchema(Schema):
    key = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "what is recorded and shown"})
    description = fields.String(required=True, metadata={"description": "the caller's language"})


class LegalBasisListSchema(Schema):
    items = fields.List(fields.Nested(LegalBasisSchema), required=True)
    free_text = fields.Boolean(
        required=True, metadata={"description": "any other text is accepted as a legal basis"}
    )


def _screen(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "legal_basis": data["legal_basis"],
        "words": data["words"],
        "public_title": data["public_title"] or None,
        "expected_version": data["expected_version"],
    }


@api_route(
    bp,
    "/screening/legal-bases",
    "GET",
    summary="The legal bases (hjemler) to screen with; any other text is accepted too",
    response=LegalBasisListSchema,
    errors=(401,),
    tags=["screening"],
)
def legal_bases() -> ResponseReturnValue:
    items = [{"key": b.key, "text": b.text, "description": _(b.description)} for b in LEGAL_BASES]
    return dump(LegalBasisListSchema, {"items": items, "free_text": True})


@api_route(
    bp,
    "/cases/<id>/screening",
    "POST",
    summary="Screen the case (the secretariat): legal basis, screened words, public title",
    body=ScreenBodySchema,
    response=CaseSchema,
    errors=(401, 403, 404, 409),
    tags=["screening"],
)
def screen_case(id: str) -> ResponseReturnValue:
    app = caseflow()
    case_id = app.get_case(user_id(), id).id  # 404 before anything else
    data = _screen(ScreenBodySchema().load(body()))
    view = app.screen_case(user_id(), case_id, data.pop("legal_basis"), data.pop("words"), **data)
    after_write()
    return dump(CaseSchema, view)


@api_route(
    bp,
    "/cases/<id>/screening",
    "DELETE",
    summary="Lift the case's screening (the secretariat), saying why",
    query=LiftQuerySchema,
    response=CaseSchema,
    errors=(401, 403, 404, 409),
    tags=["screening"],
)
def lift_case(id: str) -> ResponseReturnValue:
    app = caseflow()
    case_id = app.get_case(user_id(), id).id
    q = LiftQuerySchema().load(request.args.to_dict())
    view = app.lift_case_screening(
        user_id(), case_id, q["reason"], expected_version=q["expected_version"]
    )
    after_write()
    return dump(CaseSchema, view)


@api_route(
    bp,
    "/cases/<id>/documents/<uuid:document_id>/screening",
    "POST",
    summary="Screen one of the case's documents (the secretariat)",
    body=ScreenBodySchema,
    response=DocumentListSchema,
    errors=(401, 403, 404, 409),
    tags=["screening"],
)
def screen_document(id: str, document_id: UUID) -> ResponseReturnValue:
    app = caseflow()
    case_id = app.get_case(user_id(), id).id
    data = _screen(ScreenBodySchema().load(body()))
    found = app.screen_document(
        user_id(), case_id, document_id, data.pop("legal_basis"), data.pop("words"), **data
    )
    after_write()
    return documents_answer(found)


@api_route(
    bp,
    "/cases/<id>/documents/<uuid:document_id>/screening",
    "DELETE",
    summary="Lift a document's screening (the secretariat), saying why",
    query=LiftQuerySchema,
    response=DocumentListSchema,
    errors=(401, 403, 404, 409),
    tags=["screening"],
)
def lift_document(id: str, document_id: UUID) -> ResponseReturnValue:
    app = caseflow()
    case_id = app.get_case(user_id(), id).id
    q = LiftQuerySchema().load(request.args.to_dict())
    found = app.lift_document_screening(
        user_id(), case_id, document_id, q["reason"], expected_version=q["expected_version"]
    )
    after_write()
    return documents_answer(found)


@api_route(
    bp,
    "/meetings/<uuid:id>/items/<key>/screening",
    "POST",
    summary="Screen a free agenda item (the secretariat); a case's item follows its case",
    body=ScreenBodySchema,
    response=MeetingSchema,
    errors=(401, 403, 404, 409),
    tags=["screening"],
)
def screen_item(id: UUID, key: str) -> ResponseReturnValue:
    data = _screen(ScreenBodySchema().load(body()))
    view = caseflow().screen_item(
        user_id(), id, key, data.pop("legal_basis"), data.pop("words"), **data
    )
    after_write()
    return dump(MeetingSchema, caseflow().get_meeting(view.id, viewer=user_id()))


@api_route(
    bp,
    "/meetings/<uuid:id>/items/<key>/screening",
    "DELETE",
    summary="Lift a free agenda item's screening (the secretariat), saying why",
    query=LiftQuerySchema,
    response=MeetingSchema,
    errors=(401, 403, 404, 409),
    tags=["screening"],
)
def lift_item(id: UUID, key: str) -> ResponseReturnValue:
    q = LiftQuerySchema().load(request.args.to_dict())
    view = caseflow().lift_item_screening(
        user_id(), id, key, q["reason"], expected_version=q["expected_version"]
    )
    after_write()
    return dump(MeetingSchema, caseflow().get_meeting(view.id, viewer=user_id()))
