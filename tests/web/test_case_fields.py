"""Case fields are declared once on the web side: the full case (CaseSchema) and its list
row (CaseRowSchema) take every field they share from CaseFieldsSchema and declare only
their own (CaseSchema's nullable status_since, a state as of a version, is the one
override)."""

from __future__ import annotations

from web.schemas_out import CaseFieldsSchema, CaseRowSchema, CaseSchema

OVERRIDES = {CaseSchema: {"status_since"}, CaseRowSchema: set()}


def test_shared_case_fields_come_from_one_declaration() -> None:
    shared = set(CaseSchema._declared_fields) & set(CaseRowSchema._declared_fields)
    assert shared == set(CaseFieldsSchema._declared_fields)
    for schema, overridden in OVERRIDES.items():
        for name, field in CaseFieldsSchema._declared_fields.items():
            if name not in overridden:
                assert schema._declared_fields[name] is field, (schema.__name__, name)
