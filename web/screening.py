"""Screening on the case page (issue 18): the secretariat's "Skjerming" panel screens the
case or one of its documents with a legal basis (hjemmel) from the list or in free text,
the screened words and, if wanted, its own public title — the resulting public title is
shown before saving ("Show the public title" re-renders the page with it, nothing
recorded) — and lifts a screening with a reason.

Every route needs a login and the case to be visible (404 as for the case page); the
application refuses anyone but the secretariat (403 naming the role) and a stale
``expected_version`` (409). A refused form shows the case page again with the errors
beside the fields and what was typed kept. The template reads the panel through the
global ``case_screening(case)`` (``cases/_screening.html``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, g, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError, fields, validate

from caseflow.domain.documents import CaseDocument
from caseflow.domain.errors import CaseflowError, NotFoundError
from caseflow.domain.screening import LEGAL_BASES, OTHER, split_words
from web.context import caseflow, user_id
from web.forms import Errors, Form, domain_form_errors, form_input, submit
from web.i18n import translate_fields
from web.schemas import REQUIRED, InputSchema, Text, one_of

bp = Blueprint("screening", __name__, url_prefix="/cases")


class ScreeningFormSchema(InputSchema):
    """Screen a case or document: a legal basis from the list (its key) or ``other`` with
    the free text, the screened words, an optional own public title."""

    legal_basis = fields.String(
        load_default="", validate=one_of([b.key for b in LEGAL_BASES] + [OTHER, ""])
    )
    legal_basis_other = Text(load_default="", max_length=200)
    words = Text(load_default="", max_length=2000)
    public_title = Text(load_default="", max_length=300)
    action = fields.String(load_default="screen", validate=one_of(["screen", "preview"]))
    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))


class LiftFormSchema(InputSchema):
    """Lift a screening, saying why."""

    reason = Text(required=True, max_length=500, error_messages={"required": REQUIRED})
    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))


def chosen_basis(data: dict[str, Any]) -> str:
    """The legal basis the form chose: a key of the list, or the free text."""
    if data["legal_basis"] == OTHER:
        return str(data["legal_basis_other"])
    return str(data["legal_basis"])


# -- what the template reads -----------------------------------------------------------


def case_screening(case: Any) -> dict[str, Any]:
    """The panel: the case's and its documents' screening, whether the user may screen,
    the list of legal bases, and a refused or previewed form (set by the routes)."""
    app = caseflow()
    found = app.documents.case_documents(user_id(), case.id)
    return {
        "may_screen": app.screening.may_screen(user_id()),
        "bases": [(b.key, b.text, _(b.description)) for b in LEGAL_BASES],
        "other": OTHER,
        "documents": found.documents,
        "case_version": found.case_version,
        "form_name": g.get("screening_form_name", ""),
        "form": g.get("screening_form", {}),
        "errors": g.get("screening_errors"),
        "preview": g.get("screening_preview"),
    }


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {"case_screening": case_screening}


# -- the routes --------------------------------------------------------------------------


def _page(ref: str, form_name: str) -> Any:
    """The case page again, with the form's values and errors (or its preview)."""
    from web.cases import show

    def page(form: Form, errors: Errors, preview: str | None = None) -> Any:
        g.screening_form_name = form_name
        g.screening_form = form
        g.screening_errors = errors
        g.screening_preview = preview
        return show(ref)

    return page


def _target(case: Any) -> str:
    return url_for("cases.show", ref=case.reference) + "#screening-h"


def _preview(ref: str, form_name: str, title: str) -> ResponseReturnValue:
    """The page with the public title the form would give (nothing recorded)."""
    form = form_input(ScreeningFormSchema)
    page = _page(ref, form_name)
    try:
        data = ScreeningFormSchema().load(form)
        found = caseflow().screening.preview(
            user_id(), title, chosen_basis(data), split_words(data["words"]), data["public_title"]
        )
    except ValidationError as e:
        return page(form, translate_fields(e.normalized_messages()) or {}), 422
    except CaseflowError as e:
        return page(form, domain_form_errors(e)), e.status
    return page(form, {}, found.public_title)


def _wants_preview() -> bool:
    return request.form.get("action") == "preview"


@bp.route("/<ref>/screening", methods=["POST"])
@login_required
def screen(ref: str) -> ResponseReturnValue:
    app = caseflow()
    case = app.get_case(user_id(), ref)  # 404 before anything else
    if _wants_preview():
        return _preview(ref, "case", case.title)

    def command(data: dict[str, Any]) -> Any:
        return app.screen_case(
            user_id(),
            case.id,
            chosen_basis(data),
            split_words(data["words"]),
            public_title=data["public_title"] or None,
            expected_version=data["expected_version"],
        )

    return submit(
        ScreeningFormSchema,
        command,
        page=_page(ref, "case"),
        done=lambda _result: _("The case is screened"),
        target=lambda _result: _target(case),
        code=303,
    )


@bp.route("/<ref>/screening/lift", methods=["POST"])
@login_required
def lift(ref: str) -> ResponseReturnValue:
    app = caseflow()
    case = app.get_case(user_id(), ref)

    def command(data: dict[str, Any]) -> Any:
        return app.lift_case_screening(
            user_id(), case.id, data["reason"], expected_version=data["expected_version"]
        )

    return submit(
        LiftFormSchema,
        command,
        page=_page(ref, "lift-case"),
        done=lambda _result: _("The case's screening is lifted"),
        target=lambda _result: _target(case),
        code=303,
    )


def _document(ref: str, document_id: UUID) -> tuple[Any, CaseDocument]:
    app = caseflow()
    case = app.get_case(user_id(), ref)
    found = app.documents.case_documents(user_id(), case.id)
    for document in found.documents:
        if document.id == document_id:
            return case, document
    raise NotFoundError("document not found", document=str(document_id))


@bp.route("/<ref>/documents/<uuid:document_id>/screening", methods=["POST"])
@login_required
def screen_document(ref: str, document_id: UUID) -> ResponseReturnValue:
    case, document = _document(ref, document_id)
    if _wants_preview():
        return _preview(ref, f"doc-{document_id}", document.title)

    def command(data: dict[str, Any]) -> Any:
        return caseflow().screen_document(
            user_id(),
            case.id,
            document_id,
            chosen_basis(data),
            split_words(data["words"]),
            public_title=data["public_title"] or None,
            expected_version=data["expected_version"],
        )

    return submit(
        ScreeningFormSchema,
        command,
        page=_page(ref, f"doc-{document_id}"),
        done=lambda _result: _("The document is screened"),
        target=lambda _result: _target(case),
        code=303,
    )


@bp.route("/<ref>/documents/<uuid:document_id>/screening/lift", methods=["POST"])
@login_required
def lift_document(ref: str, document_id: UUID) -> ResponseReturnValue:
    case, _document_found = _document(ref, document_id)

    def command(data: dict[str, Any]) -> Any:
        return caseflow().lift_document_screening(
            user_id(),
            case.id,
            document_id,
            data["reason"],
            expected_version=data["expected_version"],
        )

    return submit(
        LiftFormSchema,
        command,
        page=_page(ref, f"lift-{document_id}"),
        done=lambda _result: _("The document's screening is lifted"),
        target=lambda _result: _target(case),
        code=303,
    )
