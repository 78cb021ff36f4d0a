"""``caseflow case screen|unscreen|legal-bases`` and ``caseflow meeting screen-item|
unscreen-item``: screening (issue 18) from the command line, with the checks of the case
page's "Skjerming" panel and of ``/api/v1/…/screening`` (``Caseflow.screening``: the
secretariat only, ``--expected-version``, nothing recorded when refused). Registered by
``caseflow/cli.py`` in its ``case`` and ``meeting`` groups.

    caseflow case screen OR-2026-007 --basis offl-23 --words "Bygg AS" \\
        --as sekretariat@demo.caseflow.no
    caseflow case screen OR-2026-007 --basis "Offl. § 23" --words "Bygg AS" --preview --as …
    caseflow case screen OR-2026-007 --document ID --basis offl-13-fvl-13 --words "Ola" --as …
    caseflow case unscreen OR-2026-007 [--document ID] --reason "Avtalen er inngått" --as …
    caseflow case legal-bases
    caseflow meeting screen-item MEETING_ID KEY --basis offl-23 --words "Rør AS" --as …
    caseflow meeting unscreen-item MEETING_ID KEY --reason "…" --as …

``--basis`` is a key of ``caseflow case legal-bases``, its text, or free text; ``--words``
may be given more than once, or hold several words separated by commas.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any, Protocol
from uuid import UUID

import click

from caseflow import i18n
from caseflow.application import Caseflow
from caseflow.application.documents import CaseDocuments
from caseflow.domain.screening import LEGAL_BASES, MASK, split_words


class HasApp(Protocol):
    """What the ``caseflow`` group gives its commands (``caseflow.cli.AppContext``)."""

    @property
    def app(self) -> Caseflow: ...


def _uuid(value: str | None, what: str) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise click.BadParameter(f"not an id: {value!r}", param_hint=what) from None


def _words(values: tuple[str, ...]) -> list[str]:
    return [w for value in values for w in split_words(value)]


AS = click.option("--as", "as_email", required=True, help="E-mail of the acting person")
VERSION = click.option(
    "--expected-version", type=int, default=None, help="Refuse if the case (meeting) changed"
)
BASIS = click.option(
    "--basis",
    required=True,
    help='legal basis: a key (offl-23), its text ("Offl. § 23") or free text',
)
WORDS = click.option(
    "--words", "words", multiple=True, help="a screened word (again for more, or comma-separated)"
)
TITLE = click.option("--public-title", default=None, help="own public title (default: masked)")
REASON = click.option("--reason", required=True, help="why the screening is lifted")
DOCUMENT = click.option("--document", default=None, help="a document of the case (its id)")


def _document_line(found: CaseDocuments) -> str:
    doc = found.document
    assert doc is not None
    state = f"screened {doc.legal_basis}" if doc.screened else "public"
    return (
        f"{found.case_reference} {doc.id} {state} “{doc.public_title}” "
        f"(case version {found.case_version})"
    )


@click.command("screen")
@click.argument("case_ref", metavar="CASE")
@BASIS
@WORDS
@TITLE
@DOCUMENT
@click.option("--preview", is_flag=True, help="print the public title only; record nothing")
@VERSION
@AS
@click.pass_obj
def screen(
    ctx: HasApp,
    case_ref: str,
    basis: str,
    words: tuple[str, ...],
    public_title: str | None,
    document: str | None,
    preview: bool,
    expected_version: int | None,
    as_email: str,
) -> None:
    """Screen a case (or, with --document, one of its documents); prints the public title."""
    app = ctx.app
    actor = app.find_person_id(as_email)
    document_id = _uuid(document, "--document")
    chosen = _words(words)
    if preview:
        title = _title_of(app, case_ref, document_id)
        found = app.screening.preview(actor, title, basis, chosen, public_title)
        click.echo(f"{found.legal_basis} “{found.public_title}”")
        return
    if document_id is not None:
        done = app.screen_document(
            actor,
            case_ref,
            document_id,
            basis,
            chosen,
            public_title=public_title,
            expected_version=expected_version,
        )
        click.echo(_document_line(done))
        return
    view = app.screen_case(
        actor, case_ref, basis, chosen, public_title=public_title, expected_version=expected_version
    )
    legal = (view.screening or {}).get("legal_basis")
    click.echo(f"{view.reference} screened {legal} “{view.public_title}” version {view.version}")


def _title_of(app: Caseflow, case_ref: str, document_id: UUID | None) -> str:
    if document_id is None:
        return app.get_case(None, case_ref).title
    found = app.documents.case_documents(None, case_ref)
    for doc in found.documents:
        if doc.id == document_id:
            return doc.title
    raise click.BadParameter(f"the case has no document {document_id}", param_hint="--document")


@click.command("unscreen")
@click.argument("case_ref", metavar="CASE")
@REASON
@DOCUMENT
@VERSION
@AS
@click.pass_obj
def unscreen(
    ctx: HasApp,
    case_ref: str,
    reason: str,
    document: str | None,
    expected_version: int | None,
    as_email: str,
) -> None:
    """Lift the screening of a case (or, with --document, of one of its documents)."""
    app = ctx.app
    actor = app.find_person_id(as_email)
    document_id = _uuid(document, "--document")
    if document_id is not None:
        done = app.lift_document_screening(
            actor, case_ref, document_id, reason, expected_version=expected_version
        )
        click.echo(_document_line(done))
        return
    view = app.lift_case_screening(actor, case_ref, reason, expected_version=expected_version)
    click.echo(f"{view.reference} public “{view.public_title}” version {view.version}")


@click.command("legal-bases")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output")
def legal_bases(as_json: bool) -> None:
    """The legal bases (hjemler) to screen with; any other text is accepted too."""
    lang = i18n.cli_language(os.environ)
    rows = [
        {"key": b.key, "text": b.text, "description": i18n.translate(b.description, None, lang)}
        for b in LEGAL_BASES
    ]
    if as_json:
        click.echo(json.dumps({"items": rows, "free_text": True}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['key']:<20} {row['text']:<45} {row['description']}")


def _item_command(
    name: str, doc: str, run: Callable[..., Any], *options: Callable[[Any], Any]
) -> click.Command:
    """A ``caseflow meeting`` command on one free item (MEETING_ID KEY)."""

    def command(ctx: HasApp, meeting: str, key: str, as_email: str, **kw: Any) -> None:
        app = ctx.app
        meeting_id = _uuid(meeting, "MEETING_ID")
        assert meeting_id is not None
        view = run(app, app.find_person_id(as_email), meeting_id, key, **kw)
        item = next((i for i in view.agenda if i.key == key), None)
        shown = item.public_title if item is not None else MASK
        state = "screened" if item is not None and item.screening else "public"
        click.echo(f"{view.id} {key} {state} “{shown}” version {view.version}")

    command.__doc__ = doc
    decorated: Any = click.pass_obj(command)
    for option in reversed((*options, VERSION, AS)):
        decorated = option(decorated)
    decorated = click.argument("key")(decorated)
    decorated = click.argument("meeting", metavar="MEETING_ID")(decorated)
    return click.command(name)(decorated)


screen_item = _item_command(
    "screen-item",
    "Screen a free agenda item (a case's item follows its case).",
    lambda app, who, mid, key, basis, words, public_title, expected_version: app.screen_item(
        who,
        mid,
        key,
        basis,
        _words(words),
        public_title=public_title,
        expected_version=expected_version,
    ),
    BASIS,
    WORDS,
    TITLE,
)

unscreen_item = _item_command(
    "unscreen-item",
    "Lift a free agenda item's screening.",
    lambda app, who, mid, key, reason, expected_version: app.lift_item_screening(
        who, mid, key, reason, expected_version=expected_version
    ),
    REASON,
)

#: Registered by caseflow/cli.py: on ``case`` and on ``meeting``.
case_commands = (screen, unscreen, legal_bases)
meeting_commands = (screen_item, unscreen_item)
