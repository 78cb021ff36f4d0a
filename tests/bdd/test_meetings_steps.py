"""Steps of features/meetings.feature: the agenda's lifecycle (numbered at the invitation,
ordering, supplementary items and invitations, postponement, withdrawal, cancellation),
numbering, invitations with KG and working-group minutes (R14, R15), R13 invitations, the
R16 rhythm, R17 agendas, R18 measures and the R20 yearly plan. They drive the
application, on both stores (tests/bdd/conftest.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from caseflow.domain.errors import NotPermitted
from caseflow.domain.values import CaseKind, GroupKind, MeetingBody, SystemRole
from caseflow.persistence.attachments import AttachmentStore
from tests.bdd.conftest import Story

scenarios("meetings.feature")

_DATE = r"\d\d\.\d\d\.\d{4}"
_MEETING = (
    r"(?:styremøtet|KG-møtet|representantskapsmøtet|møtet i interessepolitisk utvalg"
    r'|møtet i gruppe "[^"]+") ' + _DATE
)


def _date(text: str) -> datetime:
    return datetime.strptime(text, "%d.%m.%Y").replace(hour=12, tzinfo=UTC)


def _phrase(text: str) -> str:
    return text


_date.pattern = _DATE  # type: ignore[attr-defined]
_phrase.pattern = _MEETING  # type: ignore[attr-defined]
TYPES = {"Dato": _date, "Møte": _phrase}


def p(text: str) -> Any:
    return parsers.parse(text, extra_types=TYPES)


STATUSES = {"planlagt": "planned", "i gang": "in_progress", "ferdig": "done", "på vent": "paused"}


class Meetings:
    """The scenario's meetings by body, group and date; created when first named."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.ids: dict[tuple[str, str | None, str], UUID] = {}
        self.measure: Any = None
        self.attachment: Any = None

    def get(self, body: MeetingBody, when: datetime, group: str | None = None, **kw: Any) -> UUID:
        key = (body.value, group, when.date().isoformat())
        if key not in self.ids:
            w = self.story.world
            self.ids[key] = w.app.schedule_meeting(
                w["sekretariat"],
                body,
                when,
                group_id=w.groups[group] if group else None,
                **kw,
            ).id
        return self.ids[key]

    def named(self, phrase: str) -> UUID:
        """A meeting from a phrase such as ``møtet i gruppe "atp" 12.03.2025``."""
        m = re.fullmatch(r'(.+?)(?: "([^"]+)")? (' + _DATE + ")", phrase)
        assert m, phrase
        kind, group, when = m.group(1), m.group(2), _date(m.group(3))
        body = {
            "styremøtet": MeetingBody.BOARD,
            "KG-møtet": MeetingBody.KG,
            "representantskapsmøtet": MeetingBody.COUNCIL,
            "møtet i interessepolitisk utvalg": MeetingBody.IPU,
            "møtet i gruppe": MeetingBody.GROUP,
        }[kind]
        return self.get(body, when, group)


@pytest.fixture(autouse=True)
def _attachments(story: Story, tmp_path: Path) -> None:
    from web.presentation.protokoll import render_protokoll_pdf

    story.app.use_attachment_store(AttachmentStore(tmp_path / "attachments"))
    story.app.use_protokoll_renderer(render_protokoll_pdf)  # as web.create_app does


@pytest.fixture
def meetings(story: Story) -> Meetings:
    return Meetings(story)


def _held_with_minutes(story: Story, mid: UUID) -> None:
    s = story.world["sekretariat"]
    story.app.add_standard_items(s, mid)
    story.app.send_invitation(s, mid)
    story.app.mark_held(s, mid)
    story.app.record_minutes(s, mid, "referat.txt", f"Referat {mid}".encode())
    story.app.approve_minutes(s, mid)


def _labels(story: Story, mid: UUID) -> list[tuple[str, str]]:
    return [(i.label, i.title) for i in story.app.get_meeting(mid).agenda]


# -- Given ---------------------------------------------------------------------------------


@given(p('en tverrgående arbeidsgruppe "{slug}"'))
def cross_cutting(story: Story, slug: str) -> None:
    w = story.world
    w.groups[slug] = w.app.establish_group(
        None, slug, "Kraft og energi", GroupKind.CROSS_CUTTING
    ).id


@given(p('et styremedlem "{key}"'))
def board_member(story: Story, key: str) -> None:
    story.world.person(key, key.title(), "Asker", SystemRole.BOARD)


@given(p("et styremøte {d:Dato}"))
def board_meeting(meetings: Meetings, d: datetime) -> None:
    meetings.get(MeetingBody.BOARD, d)


@given(p("et styremøte {d:Dato} med åpningspunktene på sakslisten"))
def board_with_opening(story: Story, meetings: Meetings, d: datetime) -> None:
    story.app.add_standard_items(story.world["sekretariat"], meetings.get(MeetingBody.BOARD, d))


@given(p("et møte i interessepolitisk utvalg {d:Dato}"))
def ipu_meeting(meetings: Meetings, d: datetime) -> None:
    meetings.get(MeetingBody.IPU, d)


@given(p("et møte i interessepolitisk utvalg {d:Dato} med åpningspunktene på sakslisten"))
def ipu_with_opening(story: Story, meetings: Meetings, d: datetime) -> None:
    story.app.add_standard_items(story.world["sekretariat"], meetings.get(MeetingBody.IPU, d))


@given(p("et representantskapsmøte {d:Dato}"))
def council_meeting(meetings: Meetings, d: datetime) -> None:
    meetings.get(MeetingBody.COUNCIL, d)


@given(p("en sak fremmet for styremøtet {d:Dato}"))
def submitted_to(story: Story, meetings: Meetings, d: datetime) -> None:
    w = story.world
    case = w.ready()
    story.case = w.app.submit_case(w["sekretariat"], case.id, meetings.get(MeetingBody.BOARD, d))


@given(p('en sak "{title}" fremmet for styremøtet {d:Dato}'))
def titled_submitted_to(story: Story, meetings: Meetings, title: str, d: datetime) -> None:
    w = story.world
    case = w.ready(title=title)
    story.case = w.app.submit_case(w["sekretariat"], case.id, meetings.get(MeetingBody.BOARD, d))


@given(p("et KG-møte {d:Dato} med standardpunktene på sakslisten"))
def kg_with_items(story: Story, meetings: Meetings, d: datetime) -> None:
    mid = meetings.get(MeetingBody.KG, d)
    story.app.add_standard_items(story.world["sekretariat"], mid, "all")


@given(p("et KG-møte {d:Dato} som er holdt med godkjent referat"))
def kg_held(story: Story, meetings: Meetings, d: datetime) -> None:
    _held_with_minutes(story, meetings.get(MeetingBody.KG, d))


@given(p('et møte i gruppe "{g}" {d:Dato} som er holdt med godkjent referat'))
def group_held(story: Story, meetings: Meetings, g: str, d: datetime) -> None:
    _held_with_minutes(story, meetings.get(MeetingBody.GROUP, d, g))


@given(p('et møte i gruppe "{g}" {d:Dato} med åpningspunktene på sakslisten'))
def group_with_opening(story: Story, meetings: Meetings, g: str, d: datetime) -> None:
    mid = meetings.get(MeetingBody.GROUP, d, g)
    story.app.add_standard_items(story.world["sekretariat"], mid)


@given(p('et fysisk møte i gruppe "{g}" {d:Dato}'))
def physical_group_meeting(meetings: Meetings, g: str, d: datetime) -> None:
    meetings.get(MeetingBody.GROUP, d, g, place="Oslo rådhus")


@given(p("et KG-møte {n:d} dager før styremøtet {d:Dato}"))
def kg_before(meetings: Meetings, n: int, d: datetime) -> None:
    meetings.get(MeetingBody.KG, d - timedelta(days=n))


def _kg_proposal(story: Story, kind: CaseKind, accepted: bool) -> None:
    w = story.world
    story.case = w.app.propose_case(w["kg"], w.groups["kg"], "Forslag fra KG", "Kort.", kind)
    if accepted:
        story.case = w.app.accept_case(w["sekretariat"], story.case.id, w["sekretariat"])


@given("et forslag om tema og foredragsholder fra KG som sekretariatet har tatt til behandling")
def theme_accepted(story: Story) -> None:
    _kg_proposal(story, CaseKind.THEME_SPEAKER, True)


@given("et forslag om tema og foredragsholder fra KG")
def theme_proposed(story: Story) -> None:
    _kg_proposal(story, CaseKind.THEME_SPEAKER, False)


@given("et påvirkningsinitiativ fra KG som sekretariatet har tatt til behandling")
def influence_accepted(story: Story) -> None:
    _kg_proposal(story, CaseKind.POLITICAL_INFLUENCE, True)


@given(p('et tiltak "{title}" under innsatsområdet "{area}"'))
def measure(story: Story, meetings: Meetings, title: str, area: str) -> None:
    meetings.measure = story.app.register_measure(story.world["sekretariat"], title, area)


@given(p("at møteplanen for {year:d} ikke har en felles fagsamling"))
def no_gathering(story: Story, year: int) -> None:
    assert story.app.yearly_plan(year).joint_gathering is None


# -- When ----------------------------------------------------------------------------------


@when(p('"{who}" sender innkallingen til {m:Møte}'))
def send_invitation(story: Story, meetings: Meetings, who: str, m: str) -> None:
    story.do(lambda: story.app.send_invitation(story.world[who], meetings.named(m)))


@when(p('"{who}" legger åpningspunktene på sakslisten til {m:Møte}'))
def add_opening(story: Story, meetings: Meetings, who: str, m: str) -> None:
    story.do(lambda: story.app.add_standard_items(story.world[who], meetings.named(m)))


@when(p('"{who}" legger standardpunktene på sakslisten til {m:Møte}'))
def add_all(story: Story, meetings: Meetings, who: str, m: str) -> None:
    story.do(lambda: story.app.add_standard_items(story.world[who], meetings.named(m), "all"))


@when(p('"{who}" fremmer saken for {m:Møte}'))
def submit_to(story: Story, meetings: Meetings, who: str, m: str) -> None:
    w = story.world
    story.do(lambda: w.app.submit_case(w[who], story.case.id, meetings.named(m)))


@when(p('"{who}" setter saken på sakslisten til KG-møtet'))
def place_on_kg(story: Story, who: str) -> None:
    w = story.world
    story.do(lambda: w.app.place_case_on_agenda(w[who], w.meetings["kg"], story.case.id))


@when(p('"{who}" setter saken på sakslisten til {m:Møte}'))
def place_on(story: Story, meetings: Meetings, who: str, m: str) -> None:
    w = story.world
    story.do(lambda: w.app.place_case_on_agenda(w[who], meetings.named(m), story.case.id))


@when(p('"{who}" prøver å sette saken på sakslisten til {m:Møte}'))
def try_place_on(story: Story, meetings: Meetings, who: str, m: str) -> None:
    w = story.world
    mid = meetings.named(m)
    story.attempt(lambda: w.app.place_case_on_agenda(w[who], mid, story.case.id))


def _item(story: Story, mid: UUID, title: str) -> str:
    return next(i.key for i in story.app.get_meeting(mid).agenda if i.title == title)


def _case_item(story: Story, mid: UUID) -> str:
    return next(i.key for i in story.app.get_meeting(mid).agenda if i.case_id == story.case.id)


@when(p('"{who}" flytter "{title}" opp på sakslisten til {m:Møte}'))
def move_up(story: Story, meetings: Meetings, who: str, title: str, m: str) -> None:
    mid = meetings.named(m)
    story.do(lambda: story.app.move_item_by(story.world[who], mid, _item(story, mid, title), -1))


@when(p('"{who}" prøver å flytte "{title}" opp på sakslisten til {m:Møte}'))
def try_move_up(story: Story, meetings: Meetings, who: str, title: str, m: str) -> None:
    mid = meetings.named(m)
    key = _item(story, mid, title)
    story.attempt(lambda: story.app.move_item_by(story.world[who], mid, key, -1))


@when(p('"{who}" fremmer en ny sak "{title}" for {m:Møte}'))
def submit_new(story: Story, meetings: Meetings, who: str, title: str, m: str) -> None:
    w = story.world
    case = w.ready(title=title)
    story.do(lambda: w.app.submit_case(w[who], case.id, meetings.named(m)))


@when(p('"{who}" sender tilleggsinnkallingen til {m:Møte}'))
def send_supplement(story: Story, meetings: Meetings, who: str, m: str) -> None:
    mid = meetings.named(m)
    story.do(lambda: story.app.send_supplementary_invitation(story.world[who], mid))


@when(p('"{who}" prøver å sende tilleggsinnkallingen til {m:Møte}'))
def try_send_supplement(story: Story, meetings: Meetings, who: str, m: str) -> None:
    mid = meetings.named(m)
    story.attempt(lambda: story.app.send_supplementary_invitation(story.world[who], mid))


@when(p('"{who}" prøver å sende innkallingen til {m:Møte}'))
def try_send_invitation(story: Story, meetings: Meetings, who: str, m: str) -> None:
    mid = meetings.named(m)
    story.attempt(lambda: story.app.send_invitation(story.world[who], mid))


@when(p('"{who}" utsetter saken på {m:Møte} med begrunnelsen "{reason}"'))
def postpone_item(story: Story, meetings: Meetings, who: str, m: str, reason: str) -> None:
    mid = meetings.named(m)
    key = _case_item(story, mid)
    story.do(lambda: story.app.postpone_item(story.world[who], mid, key, reason))


@when(p('"{who}" trekker saken fra {m:Møte} med begrunnelsen "{reason}"'))
def withdraw_item(story: Story, meetings: Meetings, who: str, m: str, reason: str) -> None:
    mid = meetings.named(m)
    key = _case_item(story, mid)
    story.do(lambda: story.app.withdraw_item(story.world[who], mid, key, reason))


@when(p('"{who}" avlyser {m:Møte} med begrunnelsen "{reason}"'))
def cancel(story: Story, meetings: Meetings, who: str, m: str, reason: str) -> None:
    mid = meetings.named(m)
    story.do(lambda: story.app.cancel_meeting(story.world[who], mid, reason))


@when(p('"{who}" prøver å avlyse {m:Møte} med begrunnelsen "{reason}"'))
def try_cancel(story: Story, meetings: Meetings, who: str, m: str, reason: str) -> None:
    mid = meetings.named(m)
    story.attempt(lambda: story.app.cancel_meeting(story.world[who], mid, reason))


@when(p('"{who}" markerer {m:Møte} som holdt'))
def mark_held(story: Story, meetings: Meetings, who: str, m: str) -> None:
    story.do(lambda: story.app.mark_held(story.world[who], meetings.named(m)))


@when(p('"{who}" fører at "{person}" var til stede på {m:Møte}'))
def attendance(story: Story, meetings: Meetings, who: str, person: str, m: str) -> None:
    w = story.world
    story.do(lambda: w.app.record_attendance(w[who], meetings.named(m), [w[person]]))


@when(p('"{who}" fører vedtaket "{text}" på saken på {m:Møte}'))
def decide_item(story: Story, meetings: Meetings, who: str, text: str, m: str) -> None:
    mid = meetings.named(m)
    key = _case_item(story, mid)
    story.do(lambda: story.app.record_item_decision(story.world[who], mid, key, text))


@when(p('"{who}" fører vedtaket "{text}" på sak "{label}" på {m:Møte}'))
def decide_numbered_item(
    story: Story, meetings: Meetings, who: str, text: str, label: str, m: str
) -> None:
    mid = meetings.named(m)
    key = next(i.key for i in story.app.get_meeting(mid).agenda if i.label == label)
    story.do(lambda: story.app.record_item_decision(story.world[who], mid, key, text))


@when(p('"{who}" prøver å føre vedtaket "{text}" på saken på {m:Møte}'))
def try_decide_item(story: Story, meetings: Meetings, who: str, text: str, m: str) -> None:
    mid = meetings.named(m)
    key = _case_item(story, mid)
    story.attempt(lambda: story.app.record_item_decision(story.world[who], mid, key, text))


@when(p('"{who}" melder tiltaket "{status}" med notatet "{note}"'))
def update_measure(story: Story, meetings: Meetings, who: str, status: str, note: str) -> None:
    story.app.update_measure(story.world[who], meetings.measure.id, STATUSES[status], note)


@when(p('"{who}" prøver å melde tiltaket "{status}"'))
def try_update_measure(story: Story, meetings: Meetings, who: str, status: str) -> None:
    story.attempt(
        lambda: story.app.update_measure(story.world[who], meetings.measure.id, STATUSES[status])
    )


@when(p('"{who}" planlegger en todagers felles fagsamling {d:Dato}'))
def plan_gathering(story: Story, meetings: Meetings, who: str, d: datetime) -> None:
    meetings.ids[("joint", None, d.date().isoformat())] = story.app.schedule_meeting(
        story.world[who],
        MeetingBody.JOINT,
        d,
        ends_at=d + timedelta(hours=28),
        title="Felles fagsamling",
    ).id


@when(p('"{who}" planlegger felles faggruppedel for "{a}" og "{b}" {d:Dato}'))
def plan_joint_session(story: Story, who: str, a: str, b: str, d: datetime) -> None:
    w = story.world
    w.app.schedule_meeting(
        w[who],
        MeetingBody.JOINT,
        d + timedelta(hours=2),
        group_ids=[w.groups[a], w.groups[b]],
        title="Felles faggruppedel",
    )


# -- Then ----------------------------------------------------------------------------------


def _numbers(label: str) -> tuple[int, str]:
    number, _, year = label.removeprefix("Sak ").partition("/")
    return int(number), year


@then(p('har {m:Møte} sakene "{first}" til "{last}"'))
def has_items(story: Story, meetings: Meetings, m: str, first: str, last: str) -> None:
    (a, year), (b, _) = _numbers(first), _numbers(last)
    expected = [f"Sak {n}/{year}" for n in range(a, b + 1)]
    assert [label for label, _ in _labels(story, meetings.named(m))] == expected


@then(p("er sakslisten til {m:Møte} ikke nummerert"))
def unnumbered(story: Story, meetings: Meetings, m: str) -> None:
    agenda = story.app.get_meeting(meetings.named(m)).agenda
    assert agenda
    assert [(i.number, i.label) for i in agenda] == [(None, "")] * len(agenda)


@then("saken har ikke fått styrenummer")
def no_board_number(story: Story) -> None:
    w = story.world
    assert w.app.get_case(w["sekretariat"], story.case.id).board_number is None


@then(p("hver hendelse på {m:Møte} sier hvem, i hvilken rolle og når"))
def meeting_events_stamped(story: Story, meetings: Meetings, m: str) -> None:
    events = list(story.app.events.get(meetings.named(m)))
    assert "AgendaNumbered" in [type(e).__name__ for e in events]
    for e in events:
        assert e.actor == story.world["sekretariat"].hex
        assert e.role == "secretariat"
        assert e.timestamp.tzinfo is not None


@then(p('står "{title}" som tilleggssak "{label}" på {m:Møte}'))
def supplementary(story: Story, meetings: Meetings, title: str, label: str, m: str) -> None:
    agenda = story.app.get_meeting(meetings.named(m)).agenda
    item = agenda[-1]
    assert (item.title, item.label, item.supplementary) == (title, label, True)
    assert [i.supplementary for i in agenda[:-1]] == [False] * (len(agenda) - 1)


@then(p('har {m:Møte} {n:d} tilleggsinnkalling, den siste med "{label}"'))
@then(p('har {m:Møte} {n:d} tilleggsinnkallinger, den siste med "{label}"'))
def supplements(story: Story, meetings: Meetings, m: str, n: int, label: str) -> None:
    view = story.app.get_meeting(meetings.named(m))
    assert len(view.supplements) == n
    assert view.supplements[-1].item_labels == [label]
    assert set(view.supplements[-1].recipients) == set(view.recipients)
    assert view.unsent_supplementary == []


@then(p('står sak "{label}" på {m:Møte} som utsatt'))
def postponed(story: Story, meetings: Meetings, label: str, m: str) -> None:
    agenda = story.app.get_meeting(meetings.named(m)).agenda
    item = next(i for i in agenda if i.label == label)
    assert (item.postponed, item.withdrawn, item.case_id) == (True, False, story.case.id)


@then(p('står sak "{label}" på {m:Møte} som trukket'))
def withdrawn(story: Story, meetings: Meetings, label: str, m: str) -> None:
    agenda = story.app.get_meeting(meetings.named(m)).agenda
    item = next(i for i in agenda if i.label == label)
    assert (item.withdrawn, item.postponed, item.note) == (True, False, "Ikke klar")


@then(p("er {m:Møte} avlyst"))
def cancelled(story: Story, meetings: Meetings, m: str) -> None:
    view = story.app.get_meeting(meetings.named(m))
    assert (view.status, view.cancel_reason) == ("cancelled", "Styreleder er syk")
    assert view.cancelled_at is not None


@then(p('protokollen for {m:Møte} har "{person}" til stede og vedtaket "{text}"'))
def minutes_say(story: Story, meetings: Meetings, m: str, person: str, text: str) -> None:
    view = story.app.get_meeting(meetings.named(m))
    assert view.present == [story.world[person]]
    item = next(i for i in view.agenda if i.case_id == story.case.id)
    assert item.decision == text
    case = story.app.get_case(story.world["sekretariat"], story.case.id)
    assert case.resolution == text


@then(p("er protokollen fra {m:Møte} godkjent og lagret som referat"))
def protokoll_approved(story: Story, meetings: Meetings, m: str) -> None:
    mid = meetings.named(m)
    view = story.app.get_meeting(mid)
    assert view.status == "minutes_approved"
    [minutes] = [a for a in view.attachments if a.kind == "minutes"]
    assert (minutes.sha256, minutes.media_type) == (view.approved_minutes, "application/pdf")
    _, data = story.app.attachment_file(story.world["sekretariat"], mid, minutes.sha256)
    assert data.startswith(b"%PDF")


@then("avvises steget uten tillatelse")
def refused_permission(story: Story) -> None:
    assert isinstance(story.error, NotPermitted)


@then(p('sak "{label}" på {m:Møte} er den fremmede saken'))
def item_is_case(story: Story, meetings: Meetings, label: str, m: str) -> None:
    agenda = story.app.get_meeting(meetings.named(m)).agenda
    assert next(i for i in agenda if i.label == label).case_id == story.case.id


@then(p('sak "{label}" på {m:Møte} heter "{title}"'))
def item_title(story: Story, meetings: Meetings, label: str, m: str, title: str) -> None:
    assert (label, title) in _labels(story, meetings.named(m))


@then(p('{m:Møte} begynner med "{label}" "{title}"'))
@then(p('begynner {m:Møte} med "{label}" "{title}"'))
def begins_with(story: Story, meetings: Meetings, m: str, label: str, title: str) -> None:
    assert _labels(story, meetings.named(m))[0] == (label, title)


@then(p('har innkallingen til {m:Møte} referatet fra {src:Møte} som vedlegg med regel "{rule}"'))
def has_minutes_of(story: Story, meetings: Meetings, m: str, src: str, rule: str) -> None:
    source = story.app.get_meeting(meetings.named(src))
    view = story.app.get_meeting(meetings.named(m))
    assert view.status == "invitation_sent"
    found = [a for a in view.attachments if a.rule == rule]
    assert [(a.source_meeting_id, a.sha256) for a in found] == [
        (source.id, source.approved_minutes)
    ]
    meetings.attachment = (view, found[0])


@then(p('referatet hører til sak "{title}"'))
def minutes_belong_to(meetings: Meetings, title: str) -> None:
    view, attachment = meetings.attachment
    item = next(i for i in view.agenda if i.number == attachment.item_number)
    assert item.title == title


@then(p("innkallingen til {m:Møte} har ingen advarsler"))
def no_warnings(story: Story, meetings: Meetings, m: str) -> None:
    assert story.app.get_meeting(meetings.named(m)).warnings == []


@then(p("har innkallingen til {m:Møte} ingen vedlegg"))
def no_attachments(story: Story, meetings: Meetings, m: str) -> None:
    view = story.app.get_meeting(meetings.named(m))
    assert view.status == "invitation_sent"
    assert view.attachments == []


@then(p('varsler {m:Møte} med regel "{rule}"'))
def warns(story: Story, meetings: Meetings, m: str, rule: str) -> None:
    warnings = story.app.get_meeting(meetings.named(m)).warnings
    assert any(w.startswith(f"{rule}:") for w in warnings), warnings


@then(p("varsler planleggingen for {m:Møte}"))
def planning_warns(story: Story, meetings: Meetings, m: str) -> None:
    warns(story, meetings, m, "R16")


@then(p("er planleggingen i rute for {m:Møte}"))
def planning_ok(story: Story, meetings: Meetings, m: str) -> None:
    warnings = story.app.get_meeting(meetings.named(m)).warnings
    assert not any(w.startswith("R16:") for w in warnings), warnings


@then(p('er "{who}" invitert til KG-møtet med regel "{rule}"'))
def invited(story: Story, who: str, rule: str) -> None:
    w = story.world
    invitees = w.app.get_meeting(w.meetings["kg"]).invitees
    assert [(i.person_id, i.rule, i.case_id) for i in invitees] == [(w[who], rule, story.case.id)]


@then(p('er rådet fra "{who}" registrert som innspill fra invitert leder'))
def invited_input(story: Story, who: str) -> None:
    w = story.world
    case = w.app.get_case(w["sekretariat"], story.case.id)
    advice = next(a for a in case.advice if a.person_id == w[who])
    assert advice.as_invited_leader


@then(p("er neste styremøte etter {a:Dato} den {b:Dato} med KG-møte {c:Dato}"))
def next_board(story: Story, a: datetime, b: datetime, c: datetime) -> None:
    deadlines = story.app.board_deadlines(after=a)
    assert deadlines is not None
    assert deadlines.board_starts_at.date() == b.date()
    assert deadlines.kg_starts_at is not None
    assert deadlines.kg_starts_at.date() == c.date()


@then(p("fristen for KGs råd er {a:Dato} og sakspapirene skal ut {b:Dato}"))
def deadlines_are(story: Story, a: datetime, b: datetime) -> None:
    deadlines = story.app.board_deadlines(after=a - timedelta(days=60))
    assert deadlines is not None
    assert (deadlines.advice_due, deadlines.papers_due) == (a.date(), b.date())


@then(p('står saken som "{label}" på {m:Møte}'))
def case_on_agenda(story: Story, meetings: Meetings, label: str, m: str) -> None:
    agenda = story.app.get_meeting(meetings.named(m)).agenda
    assert [(i.label, i.case_id) for i in agenda] == [(label, story.case.id)]


@then(p('står tiltaket "{title}" som "{status}" under "{area}"'))
def measure_status(story: Story, title: str, status: str, area: str) -> None:
    found = [x for x in story.app.list_measures()[area] if x.title == title]
    assert [x.status for x in found] == [status]


@then(p('varsler møteplanen for {year:d} med regel "{rule}"'))
def plan_warns(story: Story, year: int, rule: str) -> None:
    assert any(w.startswith(f"{rule}:") for w in story.app.yearly_plan(year).warnings)


@then(p("viser møteplanen for {year:d} fagsamlingen {d:Dato} uten advarsler"))
def plan_gathering_shown(story: Story, year: int, d: datetime) -> None:
    plan = story.app.yearly_plan(year)
    assert plan.joint_gathering is not None
    assert plan.joint_gathering.starts_at.date() == d.date()
    assert plan.warnings == []


@then(p("møteplanen for {year:d} er et år med BEST-konferanse"))
def best_year(story: Story, year: int) -> None:
    plan = story.app.yearly_plan(year)
    assert plan.best_conference
    assert not plan.joint_gathering_due


@then(p("viser møteplanen for {year:d} en forventet felles faggruppedel {d:Dato}"))
def expected_session(story: Story, year: int, d: datetime) -> None:
    plan = story.app.yearly_plan(year)
    assert [(s.status, s.starts_at.date()) for s in plan.joint_sessions] == [("expected", d.date())]
    assert any(w.startswith("R20:") for w in plan.warnings)


@then(p("viser møteplanen for {year:d} den planlagte felles faggruppedelen {d:Dato}"))
def planned_session(story: Story, year: int, d: datetime) -> None:
    plan = story.app.yearly_plan(year)
    assert [(s.status, s.starts_at.date()) for s in plan.joint_sessions] == [("planned", d.date())]
    assert not any("physically" in w for w in plan.warnings)
