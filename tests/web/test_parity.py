"""Issue 16, parity: every web route that writes (POST/PUT/DELETE outside the API) has its
JSON API operation and CLI command — the mapping below is the one place that says which
(docs/api.md's table is written from it). A write without a pair fails the test; a pair
not built yet is listed as PENDING with its issue, and the test fails once it exists, so
that the entry moves up."""

from __future__ import annotations

import click
from flask import Flask

from caseflow.cli import main
from tests.web.conftest import Site
from tests.web.test_openapi_routes import api_rules

#: web endpoint -> (API method, OpenAPI path, CLI command); None: no API pair needed
#: (the session itself: logging in and out, the page language).
PARITY: dict[str, tuple[str, str, str] | None] = {
    "auth.login": None,
    "auth.logout": None,
    "auth.language": None,
    "account.issue_token": ("POST", "/me/tokens", "caseflow users token EMAIL"),
    "account.revoke_token": ("DELETE", "/me/tokens/{token_id}", "caseflow users revoke EMAIL"),
    "account.create_calendar": ("POST", "/me/calendars", "caseflow users calendar EMAIL"),
    "account.revoke_calendar": (
        "DELETE",
        "/me/calendars/{calendar_id}",
        "caseflow users calendar-revoke EMAIL",
    ),
    "cases.new": ("POST", "/cases", "caseflow case propose"),
    "cases.step": ("POST", "/cases/{id}/{step}", "caseflow case step CASE STEP"),
    "documents.add": ("POST", "/cases/{id}/documents", "caseflow case attach"),
    "documents.add_version": (
        "POST",
        "/cases/{id}/documents/{document_id}/versions",
        "caseflow case attach",
    ),
    "groups.add_member": ("POST", "/groups/{id}/memberships", "caseflow group add-member"),
    "groups.appoint": ("POST", "/groups/{id}/appointments", "caseflow group appoint"),
    "groups.end_member": (
        "DELETE",
        "/groups/{id}/memberships/{person_id}",
        "caseflow group remove-member",
    ),
    "meetings.schedule": ("POST", "/meetings", "caseflow meeting schedule"),
    "measures.register": ("POST", "/measures", "caseflow measure add"),
    "measures.update": ("POST", "/measures/{measure_id}/status", "caseflow measure status"),
    # issue 14, the agenda's lifecycle (web/api_meetings.py, caseflow/cli_meetings.py)
    "meetings.add_item": ("POST", "/meetings/{id}/items", "caseflow meeting add-item"),
    "meetings.standard_items": (
        "POST",
        "/meetings/{id}/standard-items",
        "caseflow meeting add-standard",
    ),
    "meetings.place_case": ("POST", "/meetings/{id}/cases", "caseflow meeting add-case"),
    "meetings.move_item": ("POST", "/meetings/{id}/items/{key}/move", "caseflow meeting move"),
    "meetings.send_invitation": ("POST", "/meetings/{id}/invitation", "caseflow meeting invite"),
    "meetings.send_supplementary_invitation": (
        "POST",
        "/meetings/{id}/supplementary-invitation",
        "caseflow meeting supplement",
    ),
    "meetings.postpone_item": (
        "POST",
        "/meetings/{id}/items/{key}/postpone",
        "caseflow meeting postpone-item",
    ),
    "meetings.withdraw_item": (
        "POST",
        "/meetings/{id}/items/{key}/withdraw",
        "caseflow meeting withdraw-item",
    ),
    "meetings.cancel": ("POST", "/meetings/{id}/cancel", "caseflow meeting cancel"),
    "meetings.mark_held": ("POST", "/meetings/{id}/held", "caseflow meeting held"),
    "meetings.approve_minutes": (
        "POST",
        "/meetings/{id}/minutes/approve",
        "caseflow meeting approve-minutes",
    ),
    # issue 17, notifications (web/api_notifications.py, caseflow/notifications/cli.py); the
    # e-mail's one-click unsubscribe is the same choice as the settings
    "notifications.settings": ("PUT", "/me/notification-settings", "caseflow notify choose"),
    "notifications.unsubscribe_apply": (
        "PUT",
        "/me/notification-settings",
        "caseflow notify choose",
    ),
    "notifications.retry": ("POST", "/notifications/{note_id}/retry", "caseflow notify retry"),
    "meetings.record_attendance": (
        "POST",
        "/meetings/{id}/attendance",
        "caseflow meeting attendance",
    ),
    "meetings.record_decision": (
        "POST",
        "/meetings/{id}/items/{key}/decision",
        "caseflow meeting decide",
    ),
    "meetings.upload": ("POST", "/meetings/{id}/attachments", "caseflow meeting attach"),
    "notifications.mark_read": ("POST", "/me/notifications/read", "caseflow notify read"),
    # issue 18, screening (web/screening.py, web/api_screening.py, caseflow/cli_screening.py)
    "screening.screen": ("POST", "/cases/{id}/screening", "caseflow case screen"),
    "screening.lift": ("DELETE", "/cases/{id}/screening", "caseflow case unscreen"),
    "screening.screen_document": (
        "POST",
        "/cases/{id}/documents/{document_id}/screening",
        "caseflow case screen",
    ),
    "screening.lift_document": (
        "DELETE",
        "/cases/{id}/documents/{document_id}/screening",
        "caseflow case unscreen",
    ),
}

#: Writes of the pages whose API operation is still being built (issue 16): meetings by
#: helper A (web/api_meetings.py).
PENDING: dict[str, str] = {}


def web_writes(app: Flask) -> set[str]:
    found = set()
    for rule in app.url_map.iter_rules():
        writes = (rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}
        if writes and not rule.rule.startswith("/api/"):
            found.add(rule.endpoint)
    return found


def _step_paths(operations: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``/cases/{id}/{step}`` stands for the case steps' twelve operations."""
    steps = {(p, m) for p, m in operations if p.startswith("/cases/{id}/") and m == "post"}
    return operations | ({("/cases/{id}/{step}", "post")} if len(steps) >= 12 else set())


def test_every_web_write_has_an_api_operation_or_is_pending(fresh_sqlite: Site) -> None:
    app = fresh_sqlite.flask
    writes = web_writes(app)
    unmapped = writes - PARITY.keys() - PENDING.keys()
    assert unmapped == set(), "web writes without an API operation (add them to PARITY)"
    operations = _step_paths(api_rules(app))
    for endpoint, pair in PARITY.items():
        if endpoint not in writes or pair is None:
            continue
        method, path, command = pair
        assert (path, method.lower()) in operations, (endpoint, method, path)
        assert command.startswith("caseflow ")
        assert cli_command(command) is not None, (endpoint, command)
    done = {e for e, why in PENDING.items() if _pending_path(why) in operations}
    assert done == set(), "built: move these from PENDING to PARITY"
    assert all(why.startswith("issue ") for why in PENDING.values())


def cli_command(line: str) -> click.Command | None:
    """The command ``line`` names in ``caseflow``'s command tree (its words up to the
    first argument), or None."""
    found: click.Command = main
    for word in line.split()[1:]:
        if not isinstance(found, click.Group):
            break  # the rest are the command's arguments
        sub = found.commands.get(word)
        if sub is None:
            return None
        found = sub
    return None if isinstance(found, click.Group) else found


def test_cli_command_finds_only_commands_that_exist() -> None:
    assert cli_command("caseflow meeting attach") is not None
    assert cli_command("caseflow case step CASE STEP") is not None
    assert cli_command("caseflow meeting") is None  # a group, not a command
    assert cli_command("caseflow meeting fly") is None


def _pending_path(why: str) -> tuple[str, str] | None:
    method, _sep, path = why.split(": ", 1)[1].partition(" ")
    if method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return None
    return path, method.lower()


def test_the_check_fails_on_an_unmapped_write() -> None:
    app = Flask(__name__)

    @app.post("/somewhere")
    def somewhere() -> str:
        return ""

    assert web_writes(app) - PARITY.keys() - PENDING.keys() == {"somewhere"}
