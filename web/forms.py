"""Reading an HTML form for a marshmallow schema: what the user typed, kept for
re-rendering, with empty non-text inputs left out so that defaults apply."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, fields

from web.schemas import Text


def form_input(schema_class: type[Schema]) -> dict[str, Any]:
    schema = schema_class()
    data: dict[str, Any] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
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
