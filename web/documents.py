"""Case documents on the case page (issue 14): the upload of a document (saksframlegg or
vedlegg) and of a new version, and the download of any version.

Every route needs a login. Reading a document needs the case to be visible (404 as for
the case page itself); adding one is checked by the application
(:func:`caseflow.domain.permissions.may_add_document`: 403 naming its rule). A refused
upload shows the case page again with the errors beside the fields and what the user
typed kept (the file must be chosen again: browsers never keep it).

Templates reach the documents through two globals of this blueprint: ``case_documents
(case)`` (the case page's section, ``cases/_documents.html``) and ``agenda_documents
(meeting)`` (each agenda item's documents on the meeting page).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import Blueprint, Response, g, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import fields, validate

from caseflow.domain.documents import DocumentKind
from web.context import caseflow, user_id
from web.forms import Errors, Form, Upload, submit
from web.schemas import REQUIRED, InputSchema, Text, one_of

bp = Blueprint("documents", __name__, url_prefix="/cases")


class DocumentFormSchema(InputSchema):
    """A new document: its file, kind, title, and whether it is screened (with a legal
    basis, e.g. "Offl. § 14")."""

    file = Upload(
        required=True,
        error_messages={"required": REQUIRED},
        metadata={"type": "string", "format": "binary"},
    )
    kind = fields.String(load_default=DocumentKind.VEDLEGG.value, validate=one_of(DocumentKind))
    title = Text(required=True, max_length=300)
    screened = fields.Boolean(load_default=False)
    legal_basis = Text(load_default="", max_length=200)
    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))


class VersionFormSchema(InputSchema):
    """A new version of a document: its file."""

    file = Upload(
        required=True,
        error_messages={"required": REQUIRED},
        metadata={"type": "string", "format": "binary"},
    )
    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))


# -- what the templates read -----------------------------------------------------------


def case_documents(case: Any) -> dict[str, Any]:
    """The case page's documents section: the documents as the user sees them, whether
    they may add, and a refused form's values and errors (set by the upload routes)."""
    found = caseflow().documents.case_documents(user_id(), case.id)
    return {
        "documents": found.documents,
        "case_version": found.case_version,
        "may_add": caseflow().documents.may_add(user_id(), case.id),
        "form_name": g.get("document_form_name", ""),
        "form": g.get("document_form", {}),
        "errors": g.get("document_errors"),
    }


def agenda_documents(meeting: Any) -> dict[UUID, list[Any]]:
    """Each agenda item's case's documents (by case id), as the user may see them."""
    if not current_user.is_authenticated:
        return {}
    ids = [i.case_id for i in meeting.agenda if getattr(i, "case_id", None) is not None]
    return caseflow().documents.documents_by_case(user_id(), ids)


def document_url(case: Any, document: Any, number: int) -> str:
    reference = getattr(case, "reference", None) or str(case)
    return url_for("documents.download", ref=reference, document_id=document.id, number=number)


def document_person(version: Any) -> str:
    """Who added a version, by name."""
    return caseflow().person_name(version.actor)


def document_size(size: int) -> str:
    """A file's size for people: bytes, kB or MB in the reader's number format."""
    if size < 1024:
        return _("%(n)s bytes", n=size)
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024, 1))} kB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {
        "case_documents": case_documents,
        "agenda_documents": agenda_documents,
        "document_url": document_url,
        "document_person": document_person,
        "document_size": document_size,
    }


# -- the routes --------------------------------------------------------------------------


def _page(ref: str, form_name: str) -> Any:
    """The case page again, with the refused form's values and errors."""
    from web.cases import show

    def page(form: Form, errors: Errors) -> Any:
        g.document_form_name = form_name
        g.document_form = form
        g.document_errors = errors
        return show(ref)

    return page


@bp.route("/<ref>/documents", methods=["POST"])
@login_required
def add(ref: str) -> ResponseReturnValue:
    app = caseflow()
    case = app.get_case(user_id(), ref)  # 404 before anything else

    def command(data: dict[str, Any]) -> Any:
        upload = data["file"]
        return app.documents.add_document(
            user_id(),
            case.id,
            upload.filename,
            upload.read(),
            kind=data["kind"],
            title=data["title"],
            screened=data["screened"],
            legal_basis=data["legal_basis"] or None,
            expected_version=data["expected_version"],
        )

    return submit(
        DocumentFormSchema,
        command,
        page=_page(ref, "add"),
        done=lambda _result: _("Document added"),
        target=lambda _result: url_for("cases.show", ref=case.reference) + "#documents-h",
        code=303,
    )


@bp.route("/<ref>/documents/<uuid:document_id>/versions", methods=["POST"])
@login_required
def add_version(ref: str, document_id: UUID) -> ResponseReturnValue:
    app = caseflow()
    case = app.get_case(user_id(), ref)

    def command(data: dict[str, Any]) -> Any:
        upload = data["file"]
        return app.documents.add_version(
            user_id(),
            case.id,
            document_id,
            upload.filename,
            upload.read(),
            expected_version=data["expected_version"],
        )

    return submit(
        VersionFormSchema,
        command,
        page=_page(ref, f"version-{document_id}"),
        done=lambda _result: _("New version added"),
        target=lambda _result: url_for("cases.show", ref=case.reference) + "#documents-h",
        code=303,
    )


@bp.route("/<ref>/documents/<uuid:document_id>/versions/<int:number>")
@login_required
def download(ref: str, document_id: UUID, number: int) -> ResponseReturnValue:
    _document, version, data = caseflow().documents.document_file(
        user_id(), ref, document_id, number
    )
    return file_response(data, version.media_type, version.filename, version.sha256)


def file_response(data: bytes, media_type: str, filename: str, sha256: str) -> Response:
    """A stored file as a download: its type, its name, never sniffed, its hash as ETag."""
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["ETag"] = f'"{sha256}"'
    return response
