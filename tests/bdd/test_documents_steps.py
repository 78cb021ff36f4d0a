"""Steps of features/documents.feature: case documents (issue 14) — adding, new versions,
who may add (R1, R9), files checked by content. They drive the application, on both
stores (tests/bdd/conftest.py)."""

from __future__ import annotations

import hashlib

from pytest_bdd import parsers, scenarios, then, when

from caseflow.demo.documents import minimal_pdf
from caseflow.domain.errors import InvalidInput
from tests.bdd.conftest import Story

scenarios("documents.feature")


def _pdf(name: str) -> bytes:
    return minimal_pdf(name, [f"Innholdet i {name}."])


def _add(story: Story, who: str, kind: str, name: str, data: bytes) -> object:
    return story.app.documents.add_document(
        story.world[who], story.case.id, name, data, kind=kind, title=name
    )


@when(parsers.parse('"{who}" legger til saksframlegget "{name}"'))
def add_saksframlegg(story: Story, who: str, name: str) -> None:
    story.document = _add(story, who, "saksframlegg", name, _pdf(name)).document  # type: ignore[attr-defined]


@when(parsers.parse('"{who}" legger til vedlegget "{name}"'))
def add_vedlegg(story: Story, who: str, name: str) -> None:
    story.document = _add(story, who, "vedlegg", name, _pdf(name)).document  # type: ignore[attr-defined]


@when(parsers.parse('"{who}" prøver å legge til vedlegget "{name}"'))
def try_vedlegg(story: Story, who: str, name: str) -> None:
    story.attempt(lambda: _add(story, who, "vedlegg", name, _pdf(name)))


@when(parsers.parse('"{who}" prøver å legge til vedlegget "{name}" som bare er tekst'))
def try_text(story: Story, who: str, name: str) -> None:
    story.attempt(lambda: _add(story, who, "vedlegg", name, b"bare tekst\n"))


@when(parsers.parse('"{who}" laster opp en ny versjon av dokumentet'))
def new_version(story: Story, who: str) -> None:
    doc = story.document  # type: ignore[attr-defined]
    changed = story.app.documents.add_version(
        story.world[who], story.case.id, doc.id, "ny.pdf", _pdf("ny versjon")
    )
    story.document = changed.document  # type: ignore[attr-defined]


@then(parsers.parse("har dokumentet {n:d} versjoner, hver med SHA-256, hvem og når"))
def versions(story: Story, n: int) -> None:
    doc = story.app.documents.case_documents(None, story.case.id).documents[0]
    assert [v.number for v in doc.versions] == list(range(1, n + 1))
    for v in doc.versions:
        assert len(v.sha256) == 64
        assert v.actor == story.world["sekretariat"].hex
        assert v.role == "secretariat"
        assert v.at.tzinfo is not None


@then("den første versjonen kan fortsatt lastes ned")
def first_version(story: Story) -> None:
    doc = story.app.documents.case_documents(None, story.case.id).documents[0]
    _, v1, data = story.app.documents.document_file(None, story.case.id, doc.id, 1)
    assert hashlib.sha256(data).hexdigest() == v1.sha256 == doc.versions[0].sha256


@then(parsers.parse('har saken {n:d} dokument, lagt til i rollen "{role}"'))
def one_document(story: Story, n: int, role: str) -> None:
    documents = story.app.documents.case_documents(None, story.case.id).documents
    assert len(documents) == n
    assert documents[0].current.role == role


@then(parsers.parse('avvises dokumentet på feltet "{field}"'))
def refused_field(story: Story, field: str) -> None:
    assert isinstance(story.error, InvalidInput), story.error
    assert story.error.fields is not None
    assert field in story.error.fields
