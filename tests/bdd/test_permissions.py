"""Scenarios of features/permissions.feature (steps in tests/bdd/conftest.py)."""

from pytest_bdd import scenarios

scenarios("permissions.feature")
