"""Issue 18: the case list's rows carry the screened flag, legal basis and public title,
so public listings filter without loading aggregates; rebuilt from the events alike. On
SQLite and PostgreSQL."""

from __future__ import annotations

from caseflow.application import Caseflow
from caseflow.domain.screening import MASK
from caseflow.readmodels import ReadModelService
from caseflow.readmodels.api import AuditFilter, CaseFilter, CaseRow
from tests.world import World


def _rows(read: ReadModelService, **filters: object) -> dict[str, CaseRow]:
    page = read.cases(CaseFilter(per_page=1000, **filters))  # type: ignore[arg-type]
    return {r.title: r for r in page.items}


def _screened_pair(app: Caseflow, world: World) -> None:
    agreement = world.accepted(title="Avtale med Bygg AS")
    personnel = world.accepted(title="Personalsak Ola Nordmann")
    world.accepted(title="Innspill til NTP")
    app.screen_case(world["sekretariat"], agreement.id, "offl-23", ["Bygg AS"])
    app.screen_case(world["sekretariat"], personnel.id, "offl-13-fvl-13", ["Ola Nordmann"])
    app.lift_case_screening(world["sekretariat"], personnel.id, "Saken er avsluttet")


def test_rows_carry_the_screening(app: Caseflow, world: World, read: ReadModelService) -> None:
    _screened_pair(app, world)
    read.catch_up()
    row = _rows(read)["Avtale med Bygg AS"]
    assert (row.screened, row.legal_basis, row.public_title) == (
        True,
        "Offl. § 23",
        f"Avtale med {MASK}",
    )


def test_a_lifted_case_is_public_again(app: Caseflow, world: World, read: ReadModelService) -> None:
    _screened_pair(app, world)
    read.catch_up()
    row = _rows(read)["Personalsak Ola Nordmann"]
    assert (row.screened, row.legal_basis, row.public_title) == (
        False,
        None,
        "Personalsak Ola Nordmann",
    )


def test_the_list_filters_by_screening(app: Caseflow, world: World, read: ReadModelService) -> None:
    _screened_pair(app, world)
    read.catch_up()
    assert set(_rows(read, screened=True)) == {"Avtale med Bygg AS"}
    assert set(_rows(read, screened=False)) == {"Personalsak Ola Nordmann", "Innspill til NTP"}


def test_a_rebuild_gives_the_same_rows(app: Caseflow, world: World, read: ReadModelService) -> None:
    _screened_pair(app, world)
    read.catch_up()
    before = _rows(read)
    read.rebuild(["cases"])
    assert _rows(read) == before


def test_the_audit_trail_says_what_was_screened_in_both_languages(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    _screened_pair(app, world)
    read.catch_up()
    row = read.audit(AuditFilter(type="Screened")).items[0]
    assert (row.summary, row.summary_en) == (
        f"Skjermet saken etter Offl. § 23; offentlig tittel: Avtale med {MASK}",
        f"Screened the case under Offl. § 23; public title: Avtale med {MASK}",
    )


def test_the_audit_trail_says_why_a_screening_was_lifted(
    app: Caseflow, world: World, read: ReadModelService
) -> None:
    _screened_pair(app, world)
    read.catch_up()
    row = read.audit(AuditFilter(type="ScreeningLifted")).items[0]
    assert row.summary == "Opphevet skjermingen av saken: Saken er avsluttet"
