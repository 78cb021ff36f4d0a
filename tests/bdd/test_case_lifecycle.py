"""Scenarios of features/case_lifecycle.feature (steps in tests/bdd/conftest.py)."""

from pytest_bdd import scenarios

scenarios("case_lifecycle.feature")
