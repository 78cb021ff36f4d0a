"""A local eInnsyn for the tests: an HTTP server on loopback that checks every request
against Digdir's OpenAPI document (``einnsyn/einnsyn.openapi.yml``) — the path and
method exist, the ``API-KEY`` header is the expected one, the query's parameters are the
operation's, the JSON body validates against the operation's request schema (OpenAPI 3.0
write rules: no read-only field sent), a parent id names an object of the right entity —
and answers as eInnsyn does (201 with the object and its new id, 200 for a list, an
update, a deletion; errors as ``{"type", "message"}``).

What it was sent is in :attr:`FakeEinnsyn.log`; what it refused in
:attr:`FakeEinnsyn.violations`. :attr:`FakeEinnsyn.failures` makes the *n*-th changing
request (1-based) answer 500, either before storing it (``"before"``) or after (``"after"``:
the answer is lost, the object exists), ``"busy"`` (429 with ``Retry-After: 0``, nothing
stored) or ``"stall"`` (stored, then the answer waits for :attr:`FakeEinnsyn.release`
after setting :attr:`FakeEinnsyn.reached`: the client can be killed mid-request).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from openapi_schema_validator import OAS30WriteValidator, oas30_format_checker


@cache
def load_spec(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


class Spec:
    """The OpenAPI document: its paths as patterns, request schemas as validators."""

    def __init__(self, path: Path) -> None:
        self.doc = load_spec(path)
        self.paths = [
            (re.compile("^" + re.sub(r"\{[^/]+\}", "([^/]+)", p) + "$"), p, ops)
            for p, ops in self.doc["paths"].items()
        ]
        self._validators: dict[str, OAS30WriteValidator] = {}

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any], list[str]] | None:
        for pattern, template, ops in self.paths:
            found = pattern.match(path)
            if found and method.lower() in ops:
                return template, ops[method.lower()], list(found.groups())
        return None

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def validator(self, schema: dict[str, Any]) -> OAS30WriteValidator:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            root = {**schema, "components": self.doc["components"]}
            self._validators[key] = OAS30WriteValidator(root, format_checker=oas30_format_checker)
        return self._validators[key]

    def request_schema(self, operation: dict[str, Any]) -> dict[str, Any] | None:
        content = operation.get("requestBody", {}).get("content", {})
        found = content.get("application/json", {}).get("schema")
        return dict(found) if found is not None else None

    def body_errors(self, operation: dict[str, Any], body: Any) -> list[str]:
        schema = self.request_schema(operation)
        if schema is None:
            return [] if body is None else ["the operation takes no body"]
        return [
            f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in self.validator(schema).iter_errors(body)
        ]

    def schema_errors(self, name: str, body: Any) -> list[str]:
        """Errors of ``body`` against ``#/components/schemas/<name>`` (write rules)."""
        schema = {"$ref": f"#/components/schemas/{name}"}
        return [e.message for e in self.validator(schema).iter_errors(body)]

    def parameter_names(self, operation: dict[str, Any]) -> set[str]:
        return {self.resolve(p)["name"] for p in operation.get("parameters", [])}

    def id_prefix(self, entity: str) -> str:
        schema = self.doc["components"]["schemas"][f"{entity}.{entity}"]
        return str(schema.get("x-idPrefix", entity.lower()))


@dataclass
class Logged:
    method: str
    path: str
    template: str
    body: Any
    status: int


ENTITY = {
    "arkiv": "Arkiv",
    "arkivdel": "Arkivdel",
    "moetemappe": "Moetemappe",
    "moetesak": "Moetesak",
    "moetedokument": "Moetedokument",
    "saksmappe": "Saksmappe",
    "journalpost": "Journalpost",
    "skjerming": "Skjerming",
    "dokumentbeskrivelse": "Dokumentbeskrivelse",
    "dokumentobjekt": "Dokumentobjekt",
}


class FakeEinnsyn:
    """The server's state: objects by id, the log, the refusals, injected failures."""

    def __init__(self, spec: Spec, api_key: str) -> None:
        self.spec = spec
        self.api_key = api_key
        self.objects: dict[str, dict[str, Any]] = {}
        self.log: list[Logged] = []
        self.violations: list[str] = []
        self.failures: dict[int, str] = {}
        self.changes = 0  # POST, PATCH, DELETE seen
        self.lock = threading.Lock()
        self.reached = threading.Event()  # a "stall" request was stored
        self.release = threading.Event()  # let a stalled answer go
        self._stall = threading.local()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, answer = fake.handle(self.command, self.path, dict(self.headers), raw)
                data = json.dumps(answer).encode()
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # -- what the tests read -----------------------------------------------------------

    def changing(self) -> list[Logged]:
        return [r for r in self.log if r.method in ("POST", "PATCH", "PUT", "DELETE")]

    def delete_behind(self, object_id: str) -> int:
        """Delete an object and everything under it, as an eInnsyn admin would; how many."""
        doomed = {object_id}
        grew = True
        while grew:
            more = {
                i
                for i, o in self.objects.items()
                if i not in doomed and any(o.get(k) in doomed for k in ENTITY)
            }
            grew = bool(more)
            doomed |= more
        for i in doomed:
            self.objects.pop(i, None)
        return len(doomed)

    def by_system_id(self) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for obj in self.objects.values():
            found.setdefault(str(obj.get("systemId")), []).append(obj)
        return found

    # -- answering -----------------------------------------------------------------------

    def refuse(self, status: int, kind: str, message: str) -> tuple[int, Any]:
        self.violations.append(message)
        return status, {"type": kind, "message": message}

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any]:
        with self.lock:
            parts = urlsplit(target)
            found = self.spec.operation(method, parts.path)
            if found is None:
                return self.refuse(
                    405, "methodNotAllowed", f"{method} {parts.path}: not in the API"
                )
            template, operation, path_ids = found
            status, answer = self._checked(
                method, parts, template, operation, path_ids, headers, raw
            )
            body = json.loads(raw) if raw else None
            self.log.append(Logged(method, parts.path, template, body, status))
        if getattr(self._stall, "now", False):
            self._stall.now = False
            self.reached.set()
            self.release.wait(60)
        return status, answer

    def _checked(
        self,
        method: str,
        parts: Any,
        template: str,
        operation: dict[str, Any],
        path_ids: list[str],
        headers: dict[str, str],
        raw: bytes,
    ) -> tuple[int, Any]:
        key = {k.lower(): v for k, v in headers.items()}.get("api-key")
        if key != self.api_key:
            return self.refuse(401, "authenticationError", f"{method} {template}: wrong API-KEY")
        unknown = set(parse_qs(parts.query)) - self.spec.parameter_names(operation)
        if unknown:
            return self.refuse(400, "badRequest", f"{method} {template}: parameters {unknown}")
        body = None
        if raw:
            if "application/json" not in {k.lower(): v for k, v in headers.items()}.get(
                "content-type", ""
            ):
                return self.refuse(400, "badRequest", f"{method} {template}: not JSON")
            body = json.loads(raw)
        errors = self.spec.body_errors(operation, body)
        if errors:
            return self.refuse(400, "validationError", f"{method} {template}: {errors}")
        if method == "GET":
            return self._list(template, parts)
        self.changes += 1
        failure = self.failures.get(self.changes)
        if failure == "before":
            return 500, {"type": "internalServerError", "message": "injected failure"}
        if failure == "busy":
            return 429, {"type": "tooManyRequests", "message": "injected: slow down"}
        self._stall.now = failure == "stall"
        status, answer = self._change(method, template, path_ids, body)
        if failure == "after" and status < 300:
            return 500, {"type": "internalServerError", "message": "injected failure (stored)"}
        return status, answer

    def _list(self, template: str, parts: Any) -> tuple[int, Any]:
        entity = template.strip("/").split("/")[0]
        wanted = set()
        for value in parse_qs(parts.query).get("externalIds", []):
            wanted.update(value.split(","))
        items = [
            o
            for o in self.objects.values()
            if o["entity"] == ENTITY.get(entity) and (not wanted or o.get("externalId") in wanted)
        ]
        return 200, {"items": items}

    def _change(
        self, method: str, template: str, path_ids: list[str], body: Any
    ) -> tuple[int, Any]:
        segments = template.strip("/").split("/")
        if method == "POST":
            entity = segments[-1]
            if len(segments) == 3:
                parent = self.objects.get(path_ids[0])
                if parent is None or parent["entity"] != ENTITY[segments[0]]:
                    return self.refuse(
                        404, "notFound", f"POST {template}: no {segments[0]} {path_ids[0]}"
                    )
            name = ENTITY[entity]
            code = base64.b32encode(uuid.uuid4().bytes).decode().rstrip("=").lower()
            new_id = f"{self.spec.id_prefix(name)}_{code}"
            stored = {**body, "id": new_id, "entity": name}
            if len(segments) == 3:
                stored[segments[0]] = path_ids[0]
            self.objects[new_id] = stored
            return 201, stored
        found = self.objects.get(path_ids[0])
        if found is None:  # deleted, or never there: eInnsyn's answer, not a wrong request
            return 404, {"type": "notFound", "message": f"no {segments[0]} {path_ids[0]}"}
        if found["entity"] != ENTITY[segments[0]]:
            return self.refuse(
                404, "notFound", f"{method} {template}: no {segments[0]} {path_ids[0]}"
            )
        if method == "PATCH":
            found.update(body or {})
            return 200, found
        if method == "DELETE":
            del self.objects[path_ids[0]]
            return 200, {**found, "deleted": True}
        return self.refuse(405, "methodNotAllowed", f"{method} {template}")


# -- fixtures shared by the eInnsyn tests (imported by tests/archive/test_einnsyn*.py) ----

#: The demo's "now" (as tests/demo use it), so the demo is the same every run.
PRESENT = "2026-11-28T12:00:00+00:00"
API_KEY = "test-key-einnsyn"


def caseflow_cli(url: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """``caseflow --database-url URL …`` in-process (click's runner); stderr apart."""
    from click.testing import CliRunner

    from caseflow.cli import main

    return CliRunner().invoke(main, ["--database-url", url, *args], env=env or {})


SECRETARIAT = "sekretariat@demo.caseflow.no"


def load_demo(url: str, attachments: Path) -> str:
    """The demo as a user loads it (``caseflow demo`` through the application), then one
    case on a published agenda and its document screened by the secretariat for a word of
    their titles that no other title has; returns the word."""
    result = caseflow_cli(
        url,
        "demo",
        "--present",
        PRESENT,
        "--quiet",
        env={"CASEFLOW_ATTACHMENTS_DIR": str(attachments)},
    )
    assert result.exit_code == 0, result.output
    from caseflow.domain.case import Case
    from caseflow.domain.documents import documents_of
    from caseflow.persistence import open_application

    app, _ = open_application(url)
    try:
        secretariat = app.find_person_by_email(SECRETARIAT)
        assert secretariat is not None
        with app.reading():
            cases = [app.for_query(Case, cid) for cid in app.case_ids()]
            meetings = app.meeting_queries.all_meetings()
        on_agenda = {
            i.case_id
            for m in meetings
            if m.invitation_sent_at and m.body.value == "board"
            for i in m.items
        }
        titles = {c.id: [c.title, *(d.title for d in documents_of(c).values())] for c in cases}
        items = [i.title for m in meetings for i in m.items if i.case_id is None]
        for case in cases:
            documents = list(documents_of(case).values())
            if case.id not in on_agenda or not documents:
                continue
            others = " ".join(
                [t for cid, ts in titles.items() if cid != case.id for t in ts] + items
            ).casefold()
            for word in sorted(case.title.split(), key=len, reverse=True):
                word = word.strip(".,:;()–-")
                if len(word) >= 5 and word in documents[0].title and word.casefold() not in others:
                    app.screen_case(secretariat.id, case.id, "Offl. § 23", [word])
                    app.screen_document(
                        secretariat.id, case.id, documents[0].id, "Offl. § 14", [word]
                    )
                    return word
        raise AssertionError("no demo case to screen")
    finally:
        app.close()
