"""The one way an HTML form is submitted: what the user typed is read for a marshmallow
schema (:func:`form_input`), loaded, and given to the application (:func:`submit`). A
refusal renders the same page again with the errors beside their fields and the typed
values kept (422 for invalid fields, the refusal's own status otherwise); success flashes
what was done and redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, request
from marshmallow import Schema, ValidationError, fields

from caseflow.domain.errors import CaseflowError, InvalidInput
from web.context import after_write
from web.i18n import translate_error, translate_fields, with_rule
from web.schemas import Text

T = TypeVar("T")

Form = dict[str, Any]
Errors = dict[str, list[str]]


class Upload(fields.Field):
    """A file of a multipart form (``request.files``): loaded as the uploaded file itself,
    required unless declared otherwise."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not getattr(value, "filename", None):
            raise self.make_error("required")
        return value


def form_input(schema_class: type[Schema]) -> Form:
    """What the user typed for ``schema_class``'s fields, kept for re-rendering; empty
    non-text inputs are left out so that defaults apply."""
    schema = schema_class()
    data: Form = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if isinstance(field, Upload):
            upload = request.files.get(key)
            if upload is not None and upload.filename:
                data[key] = upload
            continue
        if isinstance(field, fields.List):
            values = [v for v in request.form.getlist(key) if v]
            if values:
                data[key] = values
            continue
        if key not in request.form:
            continue
        value = request.form.get(key, "")
        if value == "" and not isinstance(field, Text):
            continue
        data[key] = value
    return data


def domain_form_errors(e: CaseflowError) -> Errors:
    """A refusal shown on a form: field errors beside fields, the rest at the top
    (``_form``), prefixed with the rule it names."""
    found = translate_fields(e.fields) or {}
    message = with_rule(e.rule, translate_error(e))
    if not e.fields or not isinstance(e, InvalidInput):
        found.setdefault("_form", []).append(message)
    return found


def submit(
    schema_class: type[Schema],
    command: Callable[[dict[str, Any]], T],
    *,
    page: Callable[[Form, Errors], Any],
    done: Callable[[T], str],
    target: Callable[[T], str],
    code: int = 302,
    refused: Callable[[CaseflowError, Form], None] | None = None,
    reraise: tuple[type[CaseflowError], ...] = (),
) -> Any:
    """Submit the current request's form: load it with ``schema_class``, run ``command``
    with the loaded data, and on success flash ``done(result)`` and redirect to
    ``target(result)``. On a refusal answer ``page(form, errors)`` with 422 (invalid
    fields) or the refusal's status; ``refused`` may adjust the kept form first (e.g. a
    fresh ``expected_version``), and refusals of a ``reraise`` type propagate (a
    permission refusal that stays the 403 error page)."""
    form = form_input(schema_class)
    try:
        data = schema_class().load(form)
        result = command(data)
    except ValidationError as e:
        errors, status = translate_fields(e.normalized_messages()) or {}, 422
    except reraise:
        raise
    except CaseflowError as e:
        errors, status = domain_form_errors(e), e.status
        if refused is not None:
            refused(e, form)
    else:
        after_write()
        flash(done(result), "success")
        return redirect(target(result), code=code)
    kept = {k: v for k, v in form.items() if not hasattr(v, "filename")}  # not a file
    return page(kept, errors), status
