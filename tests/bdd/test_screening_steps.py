"""Steps of features/screening.feature: screening (skjerming, issue 18) — the
secretariat screens a case or a document with a legal basis and a public title masking
the screened words, lifts it, and no one else may. They drive the application, on both
stores (tests/bdd/conftest.py)."""

from __future__ import annotations

from pytest_bdd import given, parsers, scenarios, then, when

from caseflow.demo.documents import minimal_pdf
from caseflow.domain.errors import InvalidInput
from tests.bdd.conftest import Story

scenarios("screening.feature")


def _screen(story: Story, who: str, basis: str, words: str, public_title: str | None = None):
    return story.app.screen_case(
        story.world[who], story.case.id, basis, [words], public_title=public_title
    )


@given(parsers.parse('en sak med tittelen "{title}"'))
def titled_case(story: Story, title: str) -> None:
    story.case = story.world.accepted(title=title)


@given(parsers.parse('vedlegget "{title}"'))
def attachment(story: Story, title: str) -> None:
    story.document = story.app.documents.add_document(  # type: ignore[attr-defined]
        story.world["sekretariat"],
        story.case.id,
        "vedlegg.pdf",
        minimal_pdf(title, ["Vilkår."]),
        kind="vedlegg",
        title=title,
    ).document


@given(parsers.parse('"{who}" skjermer saken etter "{basis}" med ordene "{words}"'))
@when(parsers.parse('"{who}" skjermer saken etter "{basis}" med ordene "{words}"'))
def screen(story: Story, who: str, basis: str, words: str) -> None:
    story.do(lambda: _screen(story, who, basis, words))


@when(
    parsers.parse(
        '"{who}" skjermer saken etter "{basis}" med ordene "{words}" '
        'og den offentlige tittelen "{title}"'
    )
)
def screen_titled(story: Story, who: str, basis: str, words: str, title: str) -> None:
    story.do(lambda: _screen(story, who, basis, words, title))


@when(
    parsers.parse(
        '"{who}" prøver å skjerme saken etter "{basis}" med ordene "{words}" '
        'og den offentlige tittelen "{title}"'
    )
)
def try_screen_titled(story: Story, who: str, basis: str, words: str, title: str) -> None:
    story.attempt(lambda: _screen(story, who, basis, words, title))


@when(parsers.parse('"{who}" prøver å skjerme saken etter "{basis}" med ordene "{words}"'))
def try_screen(story: Story, who: str, basis: str, words: str) -> None:
    story.attempt(lambda: _screen(story, who, basis, words))


@when(parsers.parse('"{who}" opphever skjermingen fordi "{reason}"'))
def lift(story: Story, who: str, reason: str) -> None:
    story.do(lambda: story.app.lift_case_screening(story.world[who], story.case.id, reason))


@when(parsers.parse('"{who}" skjermer vedlegget etter "{basis}" med ordene "{words}"'))
def screen_document(story: Story, who: str, basis: str, words: str) -> None:
    doc = story.document  # type: ignore[attr-defined]
    story.app.screen_document(story.world[who], story.case.id, doc.id, basis, [words])


@then(parsers.parse('er saken skjermet etter "{basis}"'))
def screened(story: Story, basis: str) -> None:
    found = story.app.get_case(None, story.case.id).screening
    assert found is not None
    assert found["legal_basis"] == basis


@then("er saken offentlig")
def public(story: Story) -> None:
    assert story.app.get_case(None, story.case.id).screening is None


@then(parsers.parse('er den offentlige tittelen "{title}"'))
def public_title(story: Story, title: str) -> None:
    assert story.app.get_case(None, story.case.id).public_title == title


@then("ser offentligheten ikke sakens sammendrag")
def no_summary(story: Story) -> None:
    assert story.app.load_case(story.case.id).public_summary == ""


@then(parsers.parse('står "{event}" i historikken'))
def in_history(story: Story, event: str) -> None:
    w = story.world
    history = w.app.case_history(w["revisor"], story.case.id)
    assert event.split(".")[-1] in [e.type for e in history.events]


@then(parsers.parse('avvises skjermingen på feltet "{field}"'))
def refused_field(story: Story, field: str) -> None:
    assert isinstance(story.error, InvalidInput), story.error
    assert field in (story.error.fields or {})


@then(parsers.parse('er vedleggets offentlige tittel "{title}"'))
def document_title(story: Story, title: str) -> None:
    (doc,) = story.app.documents.case_documents(None, story.case.id).documents
    assert doc.public_title == title
