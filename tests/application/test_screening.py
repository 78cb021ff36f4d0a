"""Issue 18: screening (skjerming) — the secretariat screens a case, a case document and a
meeting's free item with a legal basis and a public title masking the screened words, and
lifts it; the events replay; anyone else is refused and nothing is recorded. On a real
SQLite file and PostgreSQL."""

from __future__ import annotations

import pytest

from caseflow.application import Caseflow
from caseflow.demo.documents import minimal_pdf
from caseflow.domain.case import Case
from caseflow.domain.errors import (
    InvalidInput,
    InvalidTransition,
    NotFoundError,
    NotPermitted,
    StaleVersion,
)
from caseflow.domain.screening import LEGAL_BASES, MASK, check_screening, mask
from tests.world import World

PDF = minimal_pdf("Vedlegg", ["Tilbud fra Bygg AS."])


def agreement(world: World) -> object:
    return world.accepted(title="Avtale med Bygg AS om kontorlokaler")


def fresh_case(app: Caseflow, case_id: object) -> Case:
    """The case as replayed from the store (not from the cache)."""
    return app.repository.get(case_id)  # type: ignore[arg-type]


# -- the pure part ---------------------------------------------------------------------


def test_mask_replaces_every_screened_word_case_insensitively() -> None:
    assert mask("Avtale med Bygg AS (bygg as)", ["Bygg AS"]) == f"Avtale med {MASK} ({MASK})"


def test_mask_replaces_the_longest_word_first() -> None:
    assert mask("Ola Nordmann og Ola", ["Ola", "Ola Nordmann"]) == f"{MASK} og {MASK}"


def test_the_list_has_stable_keys_and_offl_texts() -> None:
    assert {b.key: b.text for b in LEGAL_BASES}["offl-23"] == "Offl. § 23"


def test_a_key_of_the_list_records_its_text() -> None:
    assert check_screening("Avtale med X AS", "offl-23", ["X AS"]).legal_basis == "Offl. § 23"


def test_free_text_is_the_fallback() -> None:
    found = check_screening("Avtale med X AS", "Sikkerhetsloven § 5-2", ["X AS"])
    assert found.legal_basis_key == "other"


def test_an_own_public_title_must_not_contain_a_screened_word() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_screening("Avtale med X AS", "offl-23", ["X AS"], public_title="Avtale med x as")
    assert set(refused.value.fields or {}) == {"public_title"}


def test_refusals_name_each_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_screening("Avtale med X AS", "", ["Y AS"])
    assert set(refused.value.fields or {}) == {"legal_basis", "words"}


# -- cases -------------------------------------------------------------------------------


def test_the_secretariat_screens_a_case_with_a_public_title(world: World) -> None:
    app = world.app
    case = agreement(world)
    screened = app.screen_case(
        world["sekretariat"], case.id, "offl-23", ["Bygg AS"], expected_version=case.version
    )
    assert screened.public_title == f"Avtale med {MASK} om kontorlokaler"
    assert screened.screening == {
        "legal_basis": "Offl. § 23",
        "legal_basis_key": "offl-23",
        "public_title": f"Avtale med {MASK} om kontorlokaler",
        "words": ["Bygg AS"],
    }


def test_a_screened_case_replays_with_its_screening_and_no_public_summary(world: World) -> None:
    app = world.app
    case = agreement(world)
    app.screen_case(world["sekretariat"], case.id, "offl-23", ["Bygg AS"])
    replayed = fresh_case(app, case.id)
    assert (replayed.public_title, replayed.public_summary) == (
        f"Avtale med {MASK} om kontorlokaler",
        "",
    )


def test_lifting_a_screening_makes_the_case_public_again(world: World) -> None:
    app = world.app
    case = agreement(world)
    screened = app.screen_case(world["sekretariat"], case.id, "offl-23", ["Bygg AS"])
    lifted = app.lift_case_screening(
        world["sekretariat"],
        case.id,
        "Avtalen er inngått",
        expected_version=screened.version,
    )
    assert (lifted.screening, lifted.public_title) == (None, case.title)


def test_the_events_are_in_the_case_history(world: World) -> None:
    app = world.app
    case = agreement(world)
    app.screen_case(world["sekretariat"], case.id, "offl-23", ["Bygg AS"])
    app.lift_case_screening(world["sekretariat"], case.id, "Avtalen er inngått")
    types = [e.type for e in app.case_history(world["revisor"], case.id).events]
    assert types[-2:] == ["Screened", "ScreeningLifted"]


@pytest.mark.parametrize("who", ["atp", "kg-leder", "revisor"])
def test_only_the_secretariat_screens_and_nothing_is_recorded(world: World, who: str) -> None:
    app = world.app
    case = agreement(world)
    with pytest.raises(NotPermitted, match="Only the secretariat"):
        app.screen_case(world[who], case.id, "offl-23", ["Bygg AS"])
    assert fresh_case(app, case.id).version == case.version


def test_a_stale_version_is_refused(world: World) -> None:
    case = agreement(world)
    with pytest.raises(StaleVersion):
        world.app.screen_case(
            world["sekretariat"], case.id, "offl-23", ["Bygg AS"], expected_version=1
        )


def test_a_word_not_in_the_title_is_refused_naming_the_field(world: World) -> None:
    case = agreement(world)
    with pytest.raises(InvalidInput) as refused:
        world.app.screen_case(world["sekretariat"], case.id, "offl-23", ["Rør AS"])
    assert set(refused.value.fields or {}) == {"words"}


def test_lifting_a_public_case_is_refused(world: World) -> None:
    case = agreement(world)
    with pytest.raises(InvalidTransition, match="not screened"):
        world.app.lift_case_screening(world["sekretariat"], case.id, "ingen grunn")


def test_someone_who_may_not_see_the_case_gets_404(world: World) -> None:
    case = agreement(world)
    with pytest.raises(NotFoundError):
        world.app.screen_case(world["halden"], case.id, "offl-23", ["Bygg AS"])


# -- documents ---------------------------------------------------------------------------


def test_the_secretariat_screens_and_lifts_a_document(world: World) -> None:
    app = world.app
    case = agreement(world)
    added = app.documents.add_document(
        world["sekretariat"], case.id, "tilbud.pdf", PDF, kind="vedlegg", title="Tilbud fra Bygg AS"
    )
    doc = added.document
    assert doc is not None
    screened = app.screen_document(
        world["sekretariat"],
        case.id,
        doc.id,
        "offl-13-fvl-13-1-2",
        ["Bygg AS"],
        expected_version=added.case_version,
    )
    assert screened.document is not None
    assert (screened.document.screened, screened.document.public_title) == (
        True,
        f"Tilbud fra {MASK}",
    )
    lifted = app.lift_document_screening(world["sekretariat"], case.id, doc.id, "Offentlig nå")
    assert lifted.document is not None
    assert (lifted.document.screened, lifted.document.legal_basis) == (False, None)


def test_a_document_screened_at_upload_shows_the_mask(world: World) -> None:
    app = world.app
    case = agreement(world)
    added = app.documents.add_document(
        world["sekretariat"],
        case.id,
        "tilbud.pdf",
        PDF,
        kind="vedlegg",
        title="Tilbud fra Bygg AS",
        screened=True,
        legal_basis="Offl. § 23",
    )
    assert added.document is not None
    assert added.document.public_title == MASK


def test_a_non_secretariat_may_not_screen_a_document(world: World) -> None:
    app = world.app
    case = agreement(world)
    added = app.documents.add_document(
        world["sekretariat"], case.id, "tilbud.pdf", PDF, kind="vedlegg", title="Tilbud fra Bygg AS"
    )
    assert added.document is not None
    with pytest.raises(NotPermitted):
        app.screen_document(world["atp"], case.id, added.document.id, "offl-23", ["Bygg AS"])
    assert fresh_case(app, case.id).version == added.case_version


# -- a meeting's free items --------------------------------------------------------------


def test_a_free_item_is_screened_on_the_meeting(world: World) -> None:
    app = world.app
    meeting = app.add_standing_item(
        world["sekretariat"], world.meetings["board"], "Orientering om tvist med Rør AS"
    )
    key = meeting.agenda[-1].key
    screened = app.screen_item(
        world["sekretariat"],
        meeting.id,
        key,
        "offl-23",
        ["Rør AS"],
        expected_version=meeting.version,
    )
    item = next(i for i in screened.agenda if i.key == key)
    assert (item.public_title, (item.screening or {}).get("legal_basis")) == (
        f"Orientering om tvist med {MASK}",
        "Offl. § 23",
    )
    lifted = app.lift_item_screening(world["sekretariat"], meeting.id, key, "Tvisten er løst")
    assert next(i for i in lifted.agenda if i.key == key).screening is None


def test_an_item_for_a_case_follows_its_case(world: World) -> None:
    app = world.app
    case = world.submitted(title="Avtale med Bygg AS om kontorlokaler")
    app.screen_case(world["sekretariat"], case.id, "offl-23", ["Bygg AS"])
    view = app.get_meeting(world.meetings["board"], world["sekretariat"])
    item = next(i for i in view.agenda if i.case_id == case.id)
    with pytest.raises(InvalidTransition, match="follows its case"):
        app.screen_item(world["sekretariat"], view.id, item.key, "offl-23", ["Bygg AS"])
    public = next(i for i in app.screening.public_agenda(view) if i.case_id == case.id)
    assert public.public_title == f"Avtale med {MASK} om kontorlokaler"


def test_a_decision_naming_a_screened_word_is_refused_on_its_field(world: World) -> None:
    app = world.app
    case = world.submitted(title="Avtale med Bygg AS om kontorlokaler")
    app.screen_case(world["sekretariat"], case.id, "offl-23", ["Bygg AS"])
    with pytest.raises(InvalidInput) as refused:
        app.record_decision(world["sekretariat"], case.id, "Styret godkjenner avtalen med Bygg AS.")
    assert set(refused.value.fields or {}) == {"resolution"}
    decided = app.record_decision(world["sekretariat"], case.id, "Styret godkjenner avtalen.")
    assert decided.status == "decided"
