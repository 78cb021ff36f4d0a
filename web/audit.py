"""Auditors: the audit trail across all cases with filters and CSV/JSON export, hash-chain
verification, and any case's history: a timeline, stepping through versions, and the case
as it was at a chosen moment with what changed at each step."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import ValidationError

from caseflow.application.views import CaseView, HistoryView
from caseflow.domain.errors import InvalidInput, NotFoundError, NotPermitted
from caseflow.domain.localtime import local_iso, zone
from caseflow.ledger import (
    CHAIN,
    DELETED,
    EDITED,
    INSERTED,
    REORDERED,
    REWRITTEN,
    SIGNATURE,
    Ledger,
)
from caseflow.ledger.export import chain_hashes
from caseflow.readmodels.api import AuditFilter, AuditRow
from web.context import (
    caseflow,
    one_reading_per_request,
    read,
    reads_everything,
    settings,
    user_id,
)
from web.event_labels import event_label, type_choices
from web.i18n import translate_fields
from web.labels import party_label, role_label
from web.messages import N_
from web.page_cache import parts
from web.page_parts import (
    Memo,
    PerLanguage,
    escape,
    moment_formatter,
    options_html,
    path_link,
)
from web.queries import region_names
from web.schemas import DOCUMENT_FIELDS, AuditQuerySchema, HistoryQuerySchema
from web.schemas_out import AuditRowSchema

bp = Blueprint("audit", __name__)
one_reading_per_request(bp)

#: Case fields compared between versions ("what changed at this step").
COMPARED = (
    "status",
    "title",
    "summary",
    "case_officer_name",
    "decline_reason",
    "document",
    "advice_deadline",
    "advice_summary",
    "advice_waived",
    "board_number",
    "resolution",
    "postponements",
    "withdraw_reason",
)

EXPORT_COLUMNS = (
    "position",
    "time",
    "type",
    "aggregate_type",
    "aggregate_id",
    "version",
    "actor",
    "actor_name",
    "role",
    "on_behalf_of",
    "case_id",
    "summary",
    "chain_hash",
)


#: What verification found, by its kind (docs/auditors-guide.md).
VERIFY_KINDS = {
    EDITED: _l("an event was changed after it was recorded"),
    DELETED: _l("an event was removed from the history"),
    INSERTED: _l("an event was added inside the history"),
    REORDERED: _l("events were moved to other positions"),
    CHAIN: _l("the hash chain itself was altered"),
    REWRITTEN: _l("the history was changed and chained again after a signed digest"),
    SIGNATURE: _l("a signed digest's signature does not hold, or a digest file cannot be read"),
}

#: The trail page counts matching events up to this many ("more than 10,000").
COUNT_LIMIT = 10_000


def require_auditor() -> None:
    if not reads_everything():
        raise NotPermitted(N_("Only auditors and the secretariat read the audit trail."))


def audit_filter(args: dict[str, Any]) -> AuditFilter:
    q = AuditQuerySchema().load(args)
    case = q["case"]
    if case:
        try:
            case = str(caseflow().case_id(case))
        except NotFoundError:
            raise InvalidInput.field("case", N_("no such case")) from None
    return AuditFilter(
        actor=q["actor"] or None,
        since=q["since"],
        until=q["until"],
        type=q["type"] or None,
        case=case or None,
        page=q["page"],
        per_page=q["per_page"],
    )


def _filter_args() -> dict[str, Any]:
    """Query arguments without empty ones; a day from the form is that day as people read
    it (CASEFLOW_TIMEZONE): since its first moment, until its last."""
    args = {k: v for k, v in request.args.items() if v}
    for key in ("since", "until"):
        value = args.get(key)
        if value and len(value) == 10:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                continue  # the schema reports it
            moment = time.min if key == "since" else time.max
            args[key] = datetime.combine(day, moment, tzinfo=zone()).isoformat()
    return args


@bp.route("/audit")
@login_required
def trail() -> ResponseReturnValue:
    require_auditor()
    errors = None
    try:
        f = audit_filter(_filter_args())
    except ValidationError as e:
        errors = translate_fields(e.normalized_messages())
        f = AuditFilter()
    # Built on every request (not kept per log head as the overview is): the trail is
    # the auditors' evidence, and a read model rebuilt or repaired without a new event
    # must show at once.
    content = trail_part(f, errors)
    return render_template("audit/trail.html", content=content), (422 if errors else 200)


def trail_part(f: AuditFilter, errors: dict[str, Any] | None) -> str:
    """The trail below the menu, rendered (``audit/_trail.html``): one page of rows."""
    # Newest first; the count stops at COUNT_LIMIT (an unfiltered trail is a million
    # events: counting them all on every page would cost more than the page).
    page = read().audit(replace(f, newest_first=True, count_limit=COUNT_LIMIT))
    filters = request.args.to_dict()
    return current_app.jinja_env.get_template("audit/_trail.html").render(
        page=page,
        lines=trail_lines(page.items),
        filters=filters,
        errors=errors,
        actor_options=actor_options(filters.get("actor")),
        type_options=options_html(_TYPE_CHOICES.get("", type_choices), filters.get("type")),
    )


def actor_options(chosen: str | None) -> str:
    """The actor filter's options: every person of the trail's name book, ``chosen``
    marked. The list is a function of the log (names come from ``Person.Registered``):
    kept per log head (``web.page_cache``), the choice marked on the kept text."""

    def everyone() -> str:
        return options_html((p.id.hex, p.name) for p in read().people())

    html = parts().get(("audit-people",), everyone)
    if chosen:
        unmarked = f'<option value="{escape(chosen)}">'
        html = html.replace(unmarked, unmarked[:-1] + " selected>", 1)
    return html


#: The event-type filter's options and each event's label, per language.
_TYPE_CHOICES = PerLanguage(maxsize=8)
_EVENT_LABELS = PerLanguage()


@dataclass(frozen=True)
class TrailLine:
    """One row of the trail page, in words: what the row's template code used to work
    out per row (a label lookup, a link, two role filters) done once per distinct value."""

    position: int
    time: str
    label: str
    actor_name: str
    role: str
    party: str
    summary: str
    href: str | None
    #: The summary is bokmål on a page in another language (a row projected before
    #: the English summaries): marked ``lang="nb"``.
    bokmal: bool


def organisation_names() -> tuple[dict[str, str], dict[str, str]]:
    """Regions by slug and groups' short names by slug, as ``web.display.names`` has them
    for the ``role`` and ``party`` filters — read from the shared (cached) register and
    groups, without copying the register."""
    app = caseflow()
    with app.reading():
        register = app.shared_register()
        regions = {slug: r["name"] for slug, r in register.regions.items()} if register else {}
        groups = {g.slug: g.short_name or g.name for g in app.shared_groups()}
    return regions, groups


def trail_lines(rows: list[AuditRow]) -> list[TrailLine]:
    """The page's rows as :class:`TrailLine`: the summary in the reader's language (the
    bokmål one where a row has no English text), each link to the case's history at
    that version, each label and role in words."""
    english = str(get_locale() or "nb") != "nb"
    history = path_link("audit.history", "ref")
    moment = moment_formatter()
    regions, groups = organisation_names()
    role = Memo(lambda code: role_label(code, groups))
    party = Memo(lambda value: party_label(value, regions, groups))
    lines = []
    for r in rows:
        kind = (r.type, r.aggregate_type)
        summary = r.summary_en if english and r.summary_en else r.summary
        lines.append(
            TrailLine(
                position=r.position,
                time=moment(r.time),
                label=_EVENT_LABELS.get(kind, partial(event_label, *kind)),
                actor_name=r.actor_name,
                role=role(r.role),
                party=party(r.on_behalf_of),
                summary=summary,
                href=f"{history(r.case_id)}?version={r.version}" if r.case_id else None,
                bokmal=english and not r.summary_en,
            )
        )
    return lines


def in_reader_language(rows: list[AuditRow]) -> list[AuditRow]:
    """``rows`` with the summary in the reader's language: English readers get the English
    text where the row has one (a row projected before it keeps the bokmål text)."""
    if str(get_locale() or "nb") == "nb":
        return rows
    return [replace(r, summary=r.summary_en) if r.summary_en else r for r in rows]


def all_audit_rows(f: AuditFilter) -> Iterator[AuditRow]:
    """Every matching row in log order, 500 at a time by position (keyset paging: each
    query starts where the last ended, however far into the trail), each with the chain
    hash stored at its position (the read model's rows have none of their own)."""
    ledger = Ledger(caseflow(), settings())
    ledger.catch_up()  # nothing to do when the chain is current (it follows the log)
    after = f.after
    while True:
        found = read().audit(
            replace(f, after=after, page=1, per_page=500, count_limit=0, newest_first=False)
        )
        yield from with_chain_hashes(ledger, found.items)
        if not found.has_next or not found.items:
            return
        after = found.items[-1].position


def with_chain_hashes(ledger: Ledger, rows: list[AuditRow]) -> list[AuditRow]:
    """``rows`` with the chain hash of each one's position (any page of the trail; the
    JSON API's ``/audit`` may use it too)."""
    if not rows:
        return rows
    hashes = chain_hashes(ledger.store, [r.position for r in rows])
    return [replace(r, chain_hash=hashes.get(r.position)) for r in rows]


@bp.route("/audit/export.<fmt>")
@login_required
def export(fmt: str) -> Response:
    require_auditor()
    if fmt not in ("csv", "json"):
        raise NotFoundError(N_("no such export format"))
    f = audit_filter(_filter_args())
    found = in_reader_language(list(all_audit_rows(f)))
    rows = AuditRowSchema(many=True).dump(found)
    for row, r in zip(rows, found, strict=True):  # people read local time, with its offset
        row["time"] = local_iso(r.time, "auto")
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    if fmt == "json":
        exported = local_iso(now)
        body = json.dumps({"exported_at": exported, "events": rows}, ensure_ascii=False, indent=1)
        mimetype = "application/json"
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        body, mimetype = out.getvalue(), "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="caseflow-audit-{stamp}.{fmt}"'
    return response


@bp.route("/audit/verify")
@login_required
def verify() -> ResponseReturnValue:
    require_auditor()
    ledger = Ledger(caseflow(), settings())
    result = ledger.verify()
    digest = ledger.latest_digest()
    return render_template(
        "audit/verify.html",
        result=result,
        kind_label=str(VERIFY_KINDS.get(result.kind or "", result.kind or "")),
        digest=digest,
        digest_time=_moment(digest.get("time")) if digest else None,
        digest_files=len(list(ledger.digest_dir.glob("*.json"))),
        digests_stored=len(ledger.digests()),
    ), (200 if result.ok else 409)


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def changes(before: CaseView | None, after: CaseView) -> list[dict[str, Any]]:
    """What differs between two states of a case (field, before, after)."""
    old = asdict(before) if before is not None else {}
    new = asdict(after)
    found = []
    for key in COMPARED:
        if old.get(key) == new.get(key):
            continue
        if key == "document":
            before_doc, after_doc = old.get(key) or {}, new.get(key) or {}
            for part in DOCUMENT_FIELDS:
                if before_doc.get(part) != after_doc.get(part):
                    found.append(
                        {
                            "field": f"document.{part}",
                            "before": before_doc.get(part),
                            "after": after_doc.get(part),
                        }
                    )
            continue
        found.append({"field": key, "before": old.get(key), "after": new.get(key)})
    advice_before = {(a["person_id"], a["revision"]) for a in old.get("advice_history", [])}
    for a in new["advice_history"]:
        if (a["person_id"], a["revision"]) not in advice_before:
            found.append({"field": "advice", "before": None, "after": a})
    return found


@bp.route("/cases/<ref>/history")
@login_required
def history(ref: str) -> ResponseReturnValue:
    app = caseflow()
    errors = None
    args = {k: v for k, v in request.args.items() if v}
    if "as_of" in args:  # a datetime-local input has no zone: it is Oslo time
        args["as_of"] = _local_to_aware(args["as_of"])
    try:
        q = HistoryQuerySchema().load(args)
        view: HistoryView = app.case_history(user_id(), ref, version=q["version"], as_of=q["as_of"])
    except (ValidationError, InvalidInput) as e:
        if isinstance(e, ValidationError):
            errors = translate_fields(e.normalized_messages())
        else:
            errors = translate_fields(e.fields)
        view = app.case_history(user_id(), ref)
    previous = (
        app.case_history(user_id(), view.case_id, version=view.at_version - 1).state
        if view.at_version > 1
        else None
    )
    return render_template(
        "audit/history.html",
        history=view,
        state=view.state,
        changed=changes(previous, view.state),
        event=view.events[view.at_version - 1],
        errors=errors,
        as_of=request.args.get("as_of", ""),
        regions=region_names(app),
    ), (422 if errors else 200)


def _local_to_aware(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value  # the schema reports it
    if moment.tzinfo is None:  # CASEFLOW_TIMEZONE's wall-clock time
        moment = moment.replace(tzinfo=zone())
    return moment.isoformat()
