"""Scenarios of features/organisation.feature (steps in tests/bdd/conftest.py)."""

from pytest_bdd import scenarios

scenarios("organisation.feature")
