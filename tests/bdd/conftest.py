"""Shared step definitions: they drive the application (never private helpers)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from caseflow.domain.errors import CaseflowError, InvalidTransition
from caseflow.domain.values import CaseKind, Document, GroupKind, GroupRole, Stance
from tests.world import World

STANCES = {
    "støtter": Stance.SUPPORTS,
    "støtter med endringer": Stance.SUPPORTS_WITH_CHANGES,
    "støtter ikke": Stance.DOES_NOT_SUPPORT,
    "ingen merknad": Stance.NO_COMMENT,
}


class Story:
    """What a scenario has done so far: the case, the last refusal, the log position."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.app = world.app
        self.case: Any = None
        self.error: CaseflowError | None = None
        self.position: int | None = None
        self.group: Any = None

    def attempt(self, step: Callable[[], Any]) -> None:
        """Run a step that may be refused; remember the refusal and the log position."""
        self.position = self.app.recorder.max_notification_id()
        self.error = None
        try:
            result = step()
        except CaseflowError as e:
            self.error = e
            return
        if hasattr(result, "reference"):
            self.case = result

    def do(self, step: Callable[[], Any]) -> None:
        result = step()
        if hasattr(result, "reference"):
            self.case = result


@pytest.fixture(autouse=True)
def _every_store(store_url: str) -> str:
    """Puts the parametrised store in each scenario's fixture closure, so every scenario
    runs on SQLite and on PostgreSQL."""
    return store_url


@pytest.fixture
def story(world: World) -> Story:
    return Story(world)


# -- Given ---------------------------------------------------------------------------


@given("organisasjonen med KG, faggruppe ATP, NTP-gruppen og et styremøte")
def organisation(story: Story) -> None:
    assert story.world.groups["kg"]


@given(parsers.parse('en sak foreslått av "{who}" for faggruppe "{group}"'))
@given(parsers.parse('en sak foreslått av "{who}" for gruppe "{group}"'))
def proposed_case(story: Story, who: str, group: str) -> None:
    story.case = story.world.proposed(group=group, by=who)


@given(parsers.parse('en sak foreslått av "{who}" for gruppe "{group}" der KG er bedt om råd'))
def proposed_and_advice_requested(story: Story, who: str, group: str) -> None:
    story.case = story.world.advice_requested(group=group, by=who)


@given("en sak klar for styret")
def ready_case(story: Story) -> None:
    story.case = story.world.ready()


@given("en sak der KG er bedt om råd")
def advice_requested_case(story: Story) -> None:
    story.case = story.world.advice_requested()


@given("en sak fremmet for styremøtet")
def submitted_case(story: Story) -> None:
    story.case = story.world.submitted()


@given("en sak under forberedelse med saksframlegg")
def drafted_case(story: Story) -> None:
    story.case = story.world.drafted()


@given("en sak med saksframlegg uten vurdering av politisk involvering, der KG-rådet er avsluttet")
def case_without_r19(story: Story) -> None:
    w = story.world
    case = w.drafted(document=Document(background="B", assessment="V", proposed_resolution="F"))
    w.app.waive_advice(w["sekretariat"], case.id, "Hastesak")
    story.case = case


@given(parsers.parse('"{who}" er fjernet fra gruppe "{group}"'))
def removed(story: Story, who: str, group: str) -> None:
    w = story.world
    w.app.remove_member(w["sekretariat"], w.groups[group], w[who], "sluttet")


@given(parsers.parse('en ny person "{key}" fra "{org}"'))
def new_person(story: Story, key: str, org: str) -> None:
    story.world.person(key, key.title(), org)


@given(parsers.parse('at "{municipality}" blir medlem i regionen "{region}"'))
def joins(story: Story, municipality: str, region: str) -> None:
    story.app.join_osloregionen(story.world["sekretariat"], municipality, region)


@given(parsers.parse('en styreregion "{region}" uten KG-medlem'))
def region_without_member(story: Story, region: str) -> None:
    story.app.define_region(story.world["sekretariat"], region, region.title(), 1)


# -- When ----------------------------------------------------------------------------


def _case_id(story: Story) -> Any:
    assert story.case is not None, "no case in this scenario"
    return story.case.id


@when(parsers.parse('"{who}" tar saken til behandling'))
def accept(story: Story, who: str) -> None:
    story.do(lambda: story.app.accept_case(story.world[who], _case_id(story)))


@when(parsers.parse('"{who}" prøver å ta saken til behandling'))
def try_accept(story: Story, who: str) -> None:
    story.attempt(lambda: story.app.accept_case(story.world[who], _case_id(story)))


@when(parsers.parse('"{who}" skriver saksframlegget med vurdering av politisk involvering'))
def draft(story: Story, who: str) -> None:
    from tests.world import FULL_DOCUMENT

    story.do(lambda: story.app.draft_case(story.world[who], _case_id(story), FULL_DOCUMENT))


@when(parsers.parse('"{who}" ber KG om råd'))
def request_advice(story: Story, who: str) -> None:
    w = story.world
    story.do(
        lambda: w.app.request_advice(
            w[who], _case_id(story), date.today() + timedelta(days=14), w.meetings["kg"]
        )
    )


@when(parsers.parse('"{who}" gir rådet "{stance}"'))
def give_advice(story: Story, who: str, stance: str) -> None:
    story.do(
        lambda: story.app.give_advice(
            story.world[who], _case_id(story), STANCES[stance], "Begrunnelse."
        )
    )


@when(parsers.parse('"{who}" prøver å gi rådet "{stance}"'))
def try_give_advice(story: Story, who: str, stance: str) -> None:
    story.attempt(
        lambda: story.app.give_advice(
            story.world[who], _case_id(story), STANCES[stance], "Begrunnelse."
        )
    )


@when(parsers.parse('"{a}" og "{b}" gir råd på samme tid'))
def concurrent_advice(story: Story, a: str, b: str) -> None:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def advise(who: str) -> None:
        barrier.wait()
        try:
            story.app.give_advice(story.world[who], _case_id(story), Stance.SUPPORTS, who)
        except BaseException as e:  # pragma: no cover - asserted below
            errors.append(e)

    threads = [threading.Thread(target=advise, args=(x,)) for x in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@when(parsers.parse('"{who}" lukker rådsrunden med oppsummeringen "{summary}"'))
def close_advice(story: Story, who: str, summary: str) -> None:
    story.do(lambda: story.app.close_advice(story.world[who], _case_id(story), summary))


@when(parsers.parse('"{who}" frafaller KG-rådet med begrunnelsen "{reason}"'))
def waive(story: Story, who: str, reason: str) -> None:
    story.do(lambda: story.app.waive_advice(story.world[who], _case_id(story), reason))


@when(parsers.parse('"{who}" melder saken klar for styret'))
def ready(story: Story, who: str) -> None:
    story.do(lambda: story.app.mark_ready(story.world[who], _case_id(story)))


@when(parsers.parse('"{who}" prøver å melde saken klar for styret'))
def try_ready(story: Story, who: str) -> None:
    story.attempt(lambda: story.app.mark_ready(story.world[who], _case_id(story)))


@when(parsers.parse('"{who}" fremmer saken for styremøtet'))
def submit(story: Story, who: str) -> None:
    w = story.world
    story.do(lambda: w.app.submit_case(w[who], _case_id(story), w.meetings["board"]))


@when(parsers.parse('"{who}" fremmer saken for det neste styremøtet'))
def submit_next(story: Story, who: str) -> None:
    w = story.world
    story.do(lambda: w.app.submit_case(w[who], _case_id(story), w.meetings["board2"]))


@when(parsers.parse('"{who}" sender innkallingen til styremøtet'))
def send_board_invitation(story: Story, who: str) -> None:
    """Issue 14: the invitation numbers the agenda (and the submitted case)."""
    w = story.world
    story.do(lambda: w.app.send_invitation(w[who], w.meetings["board"]))


@when(parsers.parse('"{who}" sender innkallingen til det neste styremøtet'))
def send_next_board_invitation(story: Story, who: str) -> None:
    w = story.world
    story.do(lambda: w.app.send_invitation(w[who], w.meetings["board2"]))


@when(parsers.parse('"{who}" prøver å fremme saken for styremøtet'))
def try_submit(story: Story, who: str) -> None:
    w = story.world
    story.attempt(lambda: w.app.submit_case(w[who], _case_id(story), w.meetings["board"]))


@when(parsers.parse('"{who}" prøver å fremme saken for KG-møtet'))
def try_submit_kg(story: Story, who: str) -> None:
    w = story.world
    story.attempt(lambda: w.app.submit_case(w[who], _case_id(story), w.meetings["kg"]))


@when(parsers.parse('"{who}" fører styrets vedtak "{resolution}"'))
def decide(story: Story, who: str, resolution: str) -> None:
    story.do(lambda: story.app.record_decision(story.world[who], _case_id(story), resolution))


@when(parsers.parse('"{who}" prøver å føre vedtak'))
def try_decide(story: Story, who: str) -> None:
    story.attempt(lambda: story.app.record_decision(story.world[who], _case_id(story), "Vedtak"))


@when(parsers.parse('"{who}" utsetter saken med begrunnelsen "{reason}"'))
def postpone(story: Story, who: str, reason: str) -> None:
    story.do(lambda: story.app.postpone_case(story.world[who], _case_id(story), reason))


@when(parsers.parse('"{who}" avviser saken med begrunnelsen "{reason}"'))
def decline(story: Story, who: str, reason: str) -> None:
    story.do(lambda: story.app.decline_case(story.world[who], _case_id(story), reason))


@when(parsers.parse('"{who}" prøver å avvise saken'))
def try_decline(story: Story, who: str) -> None:
    story.attempt(lambda: story.app.decline_case(story.world[who], _case_id(story), "Nei"))


@when(parsers.parse('"{who}" foreslår en sak for gruppe "{group}"'))
def propose(story: Story, who: str, group: str) -> None:
    story.do(lambda: story.world.proposed(group=group, by=who))


@when(parsers.parse('"{who}" prøver å foreslå en sak for faggruppe "{group}"'))
@when(parsers.parse('"{who}" prøver å foreslå en sak for gruppe "{group}"'))
def try_propose(story: Story, who: str, group: str) -> None:
    story.attempt(lambda: story.world.proposed(group=group, by=who))


@when(parsers.parse('"{who}" utnevner "{person}" til "{position}" i gruppe "{group}"'))
def appoint(story: Story, who: str, person: str, position: str, group: str) -> None:
    w = story.world
    story.do(lambda: w.app.appoint(w[who], w.groups[group], w[person], GroupRole(position)))


@when(parsers.parse('"{who}" prøver å utnevne "{person}" til "{position}" i gruppe "{group}"'))
def try_appoint(story: Story, who: str, person: str, position: str, group: str) -> None:
    w = story.world
    story.attempt(lambda: w.app.appoint(w[who], w.groups[group], w[person], GroupRole(position)))


@when(
    parsers.parse(
        '"{who}" utnevner seg selv til "{position}" i gruppe "{group}" '
        'med bekreftelse fra "{confirmer}"'
    )
)
def appoint_self_confirmed(
    story: Story, who: str, position: str, group: str, confirmer: str
) -> None:
    w = story.world
    story.do(
        lambda: w.app.appoint(
            w[who], w.groups[group], w[who], GroupRole(position), confirmed_by=w[confirmer]
        )
    )


@when(
    parsers.parse(
        '"{who}" prøver å utnevne seg selv til "{position}" i gruppe "{group}" '
        'med bekreftelse fra "{confirmer}"'
    )
)
def try_appoint_self_confirmed(
    story: Story, who: str, position: str, group: str, confirmer: str
) -> None:
    w = story.world
    story.attempt(
        lambda: w.app.appoint(
            w[who], w.groups[group], w[who], GroupRole(position), confirmed_by=w[confirmer]
        )
    )


@when(parsers.parse('"{who}" legger "{person}" til i gruppe "{group}" som "{role}"'))
def add_member(story: Story, who: str, person: str, group: str, role: str) -> None:
    w = story.world
    story.do(lambda: w.app.add_member(w[who], w.groups[group], w[person], GroupRole(role)))


@when(parsers.parse('"{who}" prøver å legge "{person}" til i gruppe "{group}" som "{role}"'))
def try_add_member(story: Story, who: str, person: str, group: str, role: str) -> None:
    w = story.world
    story.attempt(lambda: w.app.add_member(w[who], w.groups[group], w[person], GroupRole(role)))


@when(
    parsers.parse(
        '"{who}" prøver å legge "{person}" til i gruppe "{group}" for regionen "{region}"'
    )
)
def try_add_member_for(story: Story, who: str, person: str, group: str, region: str) -> None:
    w = story.world
    story.attempt(
        lambda: w.app.add_member(w[who], w.groups[group], w[person], GroupRole.MEMBER, region)
    )


@when(parsers.parse('"{who}" prøver å opprette et samfinansiert prosjekt uten eier'))
def try_project(story: Story, who: str) -> None:
    w = story.world
    story.attempt(
        lambda: w.app.establish_group(
            w[who],
            "nytt",
            "Nytt prosjekt",
            GroupKind.PROJECT,
            financing={"financing": "co_financed"},
        )
    )


@when(
    parsers.parse(
        '"{who}" oppretter et samfinansiert prosjekt med eier "{owner}" og rollen "{role}"'
    )
)
def project(story: Story, who: str, owner: str, role: str) -> None:
    w = story.world
    story.group = w.app.establish_group(
        w[who],
        "nytt",
        "Nytt prosjekt",
        GroupKind.PROJECT,
        financing={"financing": "co_financed", "owner": owner, "role": role},
    )


# -- Then ----------------------------------------------------------------------------


@then(parsers.parse('har saken status "{status}"'))
def has_status(story: Story, status: str) -> None:
    w = story.world
    assert w.app.get_case(w["sekretariat"], _case_id(story)).status == status


@then(parsers.parse('saken har styrenummer "{number}"'))
def has_number(story: Story, number: str) -> None:
    w = story.world
    assert w.app.get_case(w["sekretariat"], _case_id(story)).board_number == number


@then("hver hendelse i saken sier hvem, i hvilken rolle og når")
def events_say_who(story: Story) -> None:
    for event in story.app.case_events(_case_id(story)):
        assert event.actor
        assert event.role
        assert event.timestamp.tzinfo is not None


@then(parsers.parse('avvises steget med regel "{rule}"'))
def refused_with(story: Story, rule: str) -> None:
    assert story.error is not None, "the step was not refused"
    assert story.error.rule == rule, f"refused with {story.error.rule}: {story.error}"
    assert story.error.message


@then(parsers.parse('avvises steget på feltet "{field}" med regel "{rule}"'))
def refused_field(story: Story, field: str, rule: str) -> None:
    refused_with(story, rule)
    assert story.error is not None
    assert story.error.fields
    assert field in story.error.fields


@then("avvises steget som ugyldig i sakens tilstand")
def refused_state(story: Story) -> None:
    assert isinstance(story.error, InvalidTransition)


@then(parsers.parse('sier begrunnelsen "{text}"'))
def refusal_says(story: Story, text: str) -> None:
    """The refusal in bokmål, translated by key as the pages and the CLI show it."""
    from caseflow import i18n

    assert story.error is not None, "the step was not refused"
    assert i18n.translate(story.error.message, story.error.params, "nb") == text


@then("ingenting er registrert")
def nothing_recorded(story: Story) -> None:
    assert story.app.recorder.max_notification_id() == story.position


@then(parsers.parse('frafallet "{reason}" er synlig i historikken'))
def waiver_visible(story: Story, reason: str) -> None:
    w = story.world
    history = w.app.case_history(w["revisor"], _case_id(story))
    waived = [e for e in history.events if e.type == "AdviceWaived"]
    assert waived
    assert waived[0].data["reason"] == reason
    assert waived[0].role == "secretariat"


@then(parsers.parse('har saken råd fra "{a}" og "{b}"'))
def advice_from(story: Story, a: str, b: str) -> None:
    w = story.world
    view = w.app.get_case(w["sekretariat"], _case_id(story))
    assert {x.person_id for x in view.advice} == {w[a], w[b]}


@then(parsers.parse('er innspillet fra "{who}" registrert som invitert leder'))
def invited_input(story: Story, who: str) -> None:
    w = story.world
    view = w.app.get_case(w["sekretariat"], _case_id(story))
    advice = [a for a in view.advice if a.person_id == w[who]]
    assert advice
    assert advice[0].as_invited_leader


@then(parsers.parse('er "{person}" "{role}" i gruppe "{group}"'))
def has_role(story: Story, person: str, role: str, group: str) -> None:
    w = story.world
    view = w.app.get_group(w.groups[group])
    assert any(m.person_id == w[person] and m.role == role for m in view.members)


@then(
    parsers.parse(
        'er utnevnelsen av "{person}" i gruppe "{group}" registrert av "{recorder}" '
        'og bekreftet av "{confirmer}"'
    )
)
def appointment_confirmed(
    story: Story, person: str, group: str, recorder: str, confirmer: str
) -> None:
    """The confirmation is on the stored event, and shown with the group (to auditors too)."""
    w = story.world
    last = list(w.app.events.get(w.groups[group]))[-1]
    assert type(last).__name__ == "Appointed"
    assert last.person_id == w[person]
    assert last.actor == w[recorder].hex
    assert last.confirmed_by == w[confirmer]
    record = next(
        a for a in w.app.get_group(w.groups[group]).appointments if a.person_id == w[person]
    )
    assert (record.recorded_by, record.confirmed_by) == (w[recorder], w[confirmer])


@then(parsers.parse('representerer "{person}" regionen "{region}" i gruppe "{group}"'))
def represents(story: Story, person: str, region: str, group: str) -> None:
    w = story.world
    view = w.app.get_group(w.groups[group])
    assert any(m.person_id == w[person] and m.on_behalf_of == region for m in view.members)


@then(parsers.parse('gruppe "{group}" har {count:d} medlemmer fra regionen "{region}"'))
def spread(story: Story, group: str, count: int, region: str) -> None:
    assert story.app.get_group(story.world.groups[group]).spread[region] == count


@then(parsers.parse('har prosjektet eier "{owner}" og rollen "{role}"'))
def project_financing(story: Story, owner: str, role: str) -> None:
    assert story.group.financing["owner"] == owner
    assert story.group.financing["role"] == role


@then(parsers.parse('viser KG regionen "{region}" som et hull'))
def kg_gap(story: Story, region: str) -> None:
    view = story.app.get_group(story.world.groups["kg"])
    assert region in view.gaps
    assert "oslo" not in view.gaps


_ = CaseKind  # kinds are used by other feature modules
