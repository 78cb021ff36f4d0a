"""``caseflow case attach|documents|document``: case documents from the command line,
with the checks of the case page and of ``/api/v1/cases/{id}/documents``
(``Caseflow.documents``: the file by its content, the size limit, R1/R9 permission,
``--expected-version``). Registered by ``caseflow/cli.py`` in its ``case`` group.

    caseflow case attach OR-2026-007 saksframlegg.pdf --kind saksframlegg \\
        --title "Saksframlegg" --as sekretariat@demo.caseflow.no
    caseflow case attach OR-2026-007 kart.pdf --kind vedlegg --title "Kart" \\
        --screened --basis "Offl. § 14" --as sekretariat@demo.caseflow.no
    caseflow case attach OR-2026-007 ny.pdf --document ID --as …   (a new version)
    caseflow case documents OR-2026-007 [--json]
    caseflow case document OR-2026-007 ID [--version N] -o FILE
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol
from uuid import UUID

import click

from caseflow.application import Caseflow
from caseflow.domain import localtime


class HasApp(Protocol):
    """What the ``caseflow`` group gives its commands (``caseflow.cli.AppContext``)."""

    @property
    def app(self) -> Caseflow: ...


def _document_id(value: str | None) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise click.BadParameter(f"not a document id: {value!r}", param_hint="--document") from None


@click.command("attach")
@click.argument("case_ref", metavar="CASE")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["saksframlegg", "vedlegg"]),
    default="vedlegg",
    show_default=True,
    help="the case document (one per case) or an attachment",
)
@click.option("--title", default=None, help="the document's title (required for a new one)")
@click.option("--screened", is_flag=True, help="not public (screened)")
@click.option("--basis", default=None, help='legal basis of the screening, e.g. "Offl. § 14"')
@click.option("--document", "document", default=None, help="a new version of this document id")
@click.option("--expected-version", type=int, default=None, help="the case's version")
@click.option("--as", "as_email", required=True, help="E-mail of the acting person")
@click.pass_obj
def attach(
    ctx: HasApp,
    case_ref: str,
    file: Path,
    kind: str,
    title: str | None,
    screened: bool,
    basis: str | None,
    document: str | None,
    expected_version: int | None,
    as_email: str,
) -> None:
    """Add a document (or, with --document, a new version of one) to a case; a refusal
    prints its rule or field and exits 1."""
    app = ctx.app
    actor = app.find_person_id(as_email)
    data = file.read_bytes()
    document_id = _document_id(document)
    if document_id is None:
        found = app.documents.add_document(
            actor,
            case_ref,
            file.name,
            data,
            kind=kind,
            title=title or "",
            screened=screened,
            legal_basis=basis,
            expected_version=expected_version,
        )
    else:
        found = app.documents.add_version(
            actor, case_ref, document_id, file.name, data, expected_version=expected_version
        )
    doc = found.document
    assert doc is not None
    v = doc.current
    click.echo(
        f"{found.case_reference} {doc.id} {doc.kind.value} version {v.number} "
        f"{v.sha256} {v.media_type} (case version {found.case_version})"
    )


@click.command("documents")
@click.argument("case_ref", metavar="CASE")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_obj
def documents(ctx: HasApp, case_ref: str, as_json: bool) -> None:
    """List a case's documents with every version."""
    found = ctx.app.documents.case_documents(None, case_ref)
    if as_json:
        click.echo(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
        return
    for doc in found.documents:
        screened = f" skjermet ({doc.legal_basis or '-'})" if doc.screened else ""
        click.echo(f"{doc.id} {doc.kind.value} {doc.title}{screened}")
        for v in doc.versions:
            at = localtime.local_text(v.at)
            click.echo(f"  {v.number} {at} {v.filename} {v.size} {v.sha256} {v.role}")


@click.command("document")
@click.argument("case_ref", metavar="CASE")
@click.argument("document_id", metavar="DOCUMENT")
@click.option("--version", "number", type=int, default=None, help="default: the newest")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
def document_file(
    ctx: HasApp, case_ref: str, document_id: str, number: int | None, output: Path
) -> None:
    """Write one version of a document (hash-verified) to a file."""
    app = ctx.app
    doc_id = _document_id(document_id)
    assert doc_id is not None
    if number is None:
        found = app.documents.case_documents(None, case_ref)
        doc = next((d for d in found.documents if d.id == doc_id), None)
        number = doc.current.number if doc is not None else 1
    _doc, version, data = app.documents.document_file(None, case_ref, doc_id, number)
    output.write_bytes(data)
    click.echo(f"{output} {version.sha256}")


commands = (attach, documents, document_file)
