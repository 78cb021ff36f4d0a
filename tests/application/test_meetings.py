"""Meetings on both stores: lifecycle, numbering across meetings and years, attachments,
minutes, and the rules R13–R18 and R20 as the application applies them."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest

from caseflow.application import Caseflow
from caseflow.domain.errors import InvalidInput, InvalidTransition, NotFoundError, NotPermitted
from caseflow.domain.meeting import Meeting
from caseflow.domain.planning import PlanningRules
from caseflow.domain.values import CaseKind, GroupKind, MeetingBody, Stance, SystemRole
from caseflow.persistence.attachments import AttachmentStore
from tests.world import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=UTC)


@pytest.fixture
def w(world: World, tmp_path: Path) -> World:
    world.app.use_attachment_store(AttachmentStore(tmp_path / "attachments", max_bytes=4096))
    world.person("styre", "Siri Styremedlem", "Asker", SystemRole.BOARD)
    world.groups["kraft"] = world.app.establish_group(
        None, "kraft", "Kraft og energi", GroupKind.CROSS_CUTTING
    ).id
    return world


def schedule(w: World, body: MeetingBody, when: datetime, **kw) -> UUID:
    return w.app.schedule_meeting(w["sekretariat"], body, when, **kw).id


def labels(app: Caseflow, meeting_id: UUID) -> list[str]:
    return [f"{i.label} {i.title}" for i in app.get_meeting(meeting_id).agenda]


def held_with_approved_minutes(w: World, meeting_id: UUID, text: str) -> None:
    s = w["sekretariat"]
    w.app.add_standard_items(s, meeting_id)
    w.app.send_invitation(s, meeting_id)
    w.app.mark_held(s, meeting_id)
    w.app.record_minutes(s, meeting_id, "referat.txt", text.encode())
    w.app.approve_minutes(s, meeting_id)


# -- lifecycle ------------------------------------------------------------------------------


def test_lifecycle_planned_invited_held_minutes_approved(w: World) -> None:
    s = w["sekretariat"]
    mid = schedule(w, MeetingBody.KG, at(2025, 3, 4, 12), place="Oslo rådhus")
    assert w.app.get_meeting(mid).status == "planned"
    with pytest.raises(InvalidTransition):
        w.app.send_invitation(s, mid)  # empty agenda
    w.app.add_standard_items(s, mid)
    sent = w.app.send_invitation(s, mid)
    assert sent.status == "invitation_sent"
    assert set(sent.recipients) == {w["kg-leder"], w["kg"], w["kg2"], w["kg-obs"]}
    assert [i.title for i in sent.agenda][-1] == "Eventuelt"
    with pytest.raises(InvalidTransition):
        w.app.approve_minutes(s, mid)
    with pytest.raises(InvalidTransition):
        w.app.record_minutes(s, mid, "referat.pdf", PDF)  # not held yet
    assert w.app.mark_held(s, mid).status == "held"
    with pytest.raises(InvalidTransition):
        w.app.approve_minutes(s, mid)  # no minutes yet
    w.app.record_minutes(s, mid, "referat.pdf", PDF)
    approved = w.app.approve_minutes(s, mid)
    assert approved.status == "minutes_approved"
    assert approved.approved_minutes == approved.attachments[-1].sha256
    with pytest.raises(InvalidTransition):
        w.app.add_standing_item(s, mid, "For sent")


def test_a_future_meeting_cannot_be_marked_held(w: World) -> None:
    with pytest.raises(InvalidTransition):
        w.app.mark_held(w["sekretariat"], w.meetings["board"])


def test_only_the_secretariat_schedules_and_nothing_is_recorded(w: World) -> None:
    before = w.app.recorder.max_notification_id()
    with pytest.raises(NotPermitted):
        w.app.schedule_meeting(w["kg-leder"], MeetingBody.KG, at(2025, 1, 1))
    with pytest.raises(NotPermitted):
        w.app.add_standing_item(w["kg"], w.meetings["kg"], "Eget punkt")
    assert w.app.recorder.max_notification_id() == before


def test_schedule_validates_fields(w: World) -> None:
    s = w["sekretariat"]
    with pytest.raises(InvalidInput) as e:
        w.app.schedule_meeting(s, MeetingBody.GROUP, at(2025, 1, 1))
    assert e.value.fields
    assert "group_id" in e.value.fields
    with pytest.raises(InvalidInput):
        w.app.schedule_meeting(s, MeetingBody.KG, datetime(2025, 1, 1, 12))
    with pytest.raises(InvalidInput):
        w.app.schedule_meeting(s, MeetingBody.KG, at(2025, 1, 1), ends_at=at(2024, 1, 1))
    digital = w.app.schedule_meeting(s, "kg", at(2025, 1, 1), place="", digital=True)
    assert (digital.place, digital.digital) == ("Teams", True)


# -- numbering ----------------------------------------------------------------------------------


def test_board_numbering_runs_across_meetings_and_restarts_each_year(w: World) -> None:
    s = w["sekretariat"]
    feb = schedule(w, MeetingBody.BOARD, at(2097, 2, 10))
    apr = schedule(w, MeetingBody.BOARD, at(2097, 4, 20))
    jan = schedule(w, MeetingBody.BOARD, at(2098, 1, 15))
    w.app.add_standard_items(s, feb)
    case = w.ready()
    w.app.submit_case(s, case.id, feb)
    w.app.send_invitation(s, feb)
    assert labels(w.app, feb) == [
        "Sak 1/97 Godkjenning av innkalling",
        "Sak 2/97 Godkjenning av referat fra forrige møte",
        "Sak 3/97 Innspill til NTP",
        "Sak 4/97 Orientering fra styrets medlemmer",
        "Sak 5/97 Orientering fra interessepolitisk utvalg",
        "Sak 6/97 Orientering fra sekretariatet",
        "Sak 7/97 Eventuelt",
    ]
    w.app.add_standard_items(s, apr)
    w.app.add_standard_items(s, jan)
    # issue 14: items wait unnumbered until the invitation numbers them
    assert labels(w.app, apr)[:2] == [
        " Godkjenning av innkalling",
        " Godkjenning av referat fra styremøte 10.02.2097",
    ]
    w.app.send_invitation(s, jan)
    w.app.send_invitation(s, apr)
    assert labels(w.app, apr)[:2] == [
        "Sak 8/97 Godkjenning av innkalling",
        "Sak 9/97 Godkjenning av referat fra styremøte 10.02.2097",
    ]
    assert labels(w.app, jan)[0] == "Sak 1/98 Godkjenning av innkalling"


def test_postponed_case_gets_its_number_at_the_later_meeting(w: World) -> None:
    s = w["sekretariat"]
    first = schedule(w, MeetingBody.BOARD, at(2097, 2, 10))
    later = schedule(w, MeetingBody.BOARD, at(2097, 4, 20))
    w.app.add_standard_items(s, first)
    case = w.ready()
    assert w.app.submit_case(s, case.id, first).board_number is None  # waits (issue 14)
    w.app.add_standing_item(s, first, "Orientering om budsjett")
    w.app.send_invitation(s, first)  # Sak 1/97–8/97: the case is Sak 3/97
    assert w.app.get_case(None, case.id).board_number == "Sak 3/97"
    w.app.postpone_case(s, case.id, "Mer utredning")
    again = w.app.submit_case(s, case.id, later)
    assert again.board_number is None
    w.app.send_invitation(s, later)
    assert w.app.get_case(None, case.id).board_number == "Sak 9/97"
    # the first meeting keeps the number it gave, marked postponed; it is never reused
    assert "Sak 3/97 Innspill til NTP" in labels(w.app, first)
    assert [i.postponed for i in w.app.get_meeting(first).agenda if i.case_id] == [True]
    assert labels(w.app, later) == ["Sak 9/97 Innspill til NTP"]


def test_kg_and_group_meetings_number_afresh_and_ipu_and_council_per_year(w: World) -> None:
    s = w["sekretariat"]
    kg1 = schedule(w, MeetingBody.KG, at(2097, 1, 20))
    kg2 = schedule(w, MeetingBody.KG, at(2097, 3, 20))
    ipu1 = schedule(w, MeetingBody.IPU, at(2097, 1, 30))
    ipu2 = schedule(w, MeetingBody.IPU, at(2097, 5, 30))
    council = schedule(w, MeetingBody.COUNCIL, at(2097, 6, 5))
    group = schedule(w, MeetingBody.GROUP, at(2097, 2, 1), group_id=w.groups["atp"])
    for mid in (kg1, kg2, ipu1, ipu2, council, group):
        w.app.add_standard_items(s, mid, "all")
        w.app.send_invitation(s, mid)
    assert labels(w.app, kg1) == [
        "Sak 1 Godkjenning av innkalling og saksliste",
        "Sak 2 Godkjenning av referat fra forrige møte",
        "Sak 3 Eventuelt",
    ]
    assert labels(w.app, kg2)[1] == "Sak 2 Godkjenning av referat fra KG-møte 20.01.2097"
    assert [i.label for i in w.app.get_meeting(ipu2).agenda] == ["Sak 4/97", "Sak 5/97", "Sak 6/97"]
    assert w.app.get_meeting(council).agenda[0].label == "Sak 1/97"
    assert [i.label for i in w.app.get_meeting(group).agenda] == ["Sak 1", "Sak 2", "Sak 3"]
    # adding the standard items again adds nothing
    w.app.add_standard_items(s, kg1, "all")
    assert len(w.app.get_meeting(kg1).agenda) == 3
    # a supplementary item takes the next number of its meeting
    added = w.app.add_standing_item(s, kg1, "Tilleggssak om budsjett")
    assert (added.agenda[-1].label, added.agenda[-1].supplementary) == ("Sak 4", True)


# -- attachments --------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_attachment_is_stored_by_hash_and_the_event_records_no_bytes(w: World) -> None:
    s = w["sekretariat"]
    mid = w.meetings["kg"]
    view = w.app.add_attachment(s, mid, "C:\\papirer\\sak.pdf", PDF, title="Saksdokument")
    a = view.attachments[-1]
    assert (a.filename, a.size, a.media_type, a.kind) == (
        "sak.pdf",
        len(PDF),
        "application/pdf",
        "document",
    )
    assert w.app.attachment_store.get(a.sha256) == PDF
    event = next(e for e in w.app.events.get(mid) if isinstance(e, Meeting.AttachmentAdded))
    assert event.sha256 == a.sha256
    assert not any(isinstance(v, bytes) for v in vars(event).values())
    meta, data = w.app.attachment_file(w["kg"], mid, a.sha256)
    assert (meta.sha256, data) == (a.sha256, PDF)
    with pytest.raises(NotFoundError):
        w.app.attachment_file(w["atp"], mid, a.sha256)  # not in KG


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("a.txt", "Referat æøå\n".encode(), "text/plain"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "image/png"),
        ("a.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 10, "image/jpeg"),
        (
            "a.docx",
            _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "a.odt",
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<c/>"}),
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_accepted_types_are_recognised_by_content(
    w: World, name: str, data: bytes, media_type: str
) -> None:
    view = w.app.add_attachment(w["sekretariat"], w.meetings["kg"], name, data)
    assert view.attachments[-1].media_type == media_type


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\0" * 20),  # an executable named .pdf
        ("sak.txt", PDF),  # a PDF named .txt
        ("arkiv.docx", _zip({"other.xml": b"<x/>"})),  # a zip that is no document
        ("tom.txt", b""),
        ("stor.pdf", b"%PDF-" + b"x" * 5000),  # over the 4096-byte limit
    ],
)
def test_wrong_type_or_size_is_refused_and_nothing_recorded(
    w: World, name: str, data: bytes
) -> None:
    before = w.app.recorder.max_notification_id()
    with pytest.raises(InvalidInput) as e:
        w.app.add_attachment(w["sekretariat"], w.meetings["kg"], name, data)
    assert e.value.fields
    assert "file" in e.value.fields
    assert w.app.recorder.max_notification_id() == before
    assert not any(w.app.attachment_store.directory.rglob("*")) or all(
        p.is_dir() for p in w.app.attachment_store.directory.rglob("*")
    )


def test_attachment_needs_the_secretariat_and_is_not_attached_twice(w: World) -> None:
    with pytest.raises(NotPermitted):
        w.app.add_attachment(w["kg-leder"], w.meetings["kg"], "sak.pdf", PDF)
    assert not w.app.attachment_store.directory.exists()
    w.app.add_attachment(w["sekretariat"], w.meetings["kg"], "sak.pdf", PDF)
    with pytest.raises(InvalidTransition):
        w.app.add_attachment(w["sekretariat"], w.meetings["kg"], "kopi.pdf", PDF)


def test_a_damaged_file_is_detected(w: World) -> None:
    view = w.app.add_attachment(w["sekretariat"], w.meetings["kg"], "sak.pdf", PDF)
    sha = view.attachments[-1].sha256
    w.app.attachment_store.path(sha).write_bytes(PDF + b"tampered")
    with pytest.raises(NotFoundError):
        w.app.attachment_file(w["sekretariat"], w.meetings["kg"], sha)


# -- R15 and R14 ------------------------------------------------------------------------------


def test_r15_newest_approved_kg_minutes_go_with_board_and_ipu_invitations(w: World) -> None:
    s = w["sekretariat"]
    old_kg = schedule(w, MeetingBody.KG, at(2025, 1, 10, 12))
    kg = schedule(w, MeetingBody.KG, at(2025, 11, 12, 12))
    unapproved = schedule(w, MeetingBody.KG, at(2025, 11, 20, 12))
    board = schedule(w, MeetingBody.BOARD, at(2025, 12, 8, 12))
    ipu = schedule(w, MeetingBody.IPU, at(2025, 12, 9, 12))
    council = schedule(w, MeetingBody.COUNCIL, at(2025, 12, 10, 12))
    held_with_approved_minutes(w, old_kg, "Referat januar")
    held_with_approved_minutes(w, kg, "Referat november")
    w.app.add_standard_items(s, unapproved)
    for mid in (board, ipu, council):
        w.app.add_standard_items(s, mid)
    sent = w.app.send_invitation(s, board)
    kg_minutes = [a for a in sent.attachments if a.kind == "kg_minutes"]
    assert len(kg_minutes) == 1
    minutes = kg_minutes[0]
    assert (minutes.rule, minutes.source_meeting_id) == ("R15", kg)
    assert minutes.sha256 == w.app.get_meeting(kg).approved_minutes
    briefing = next(i for i in sent.agenda if i.title == "Orientering fra sekretariatet")
    assert minutes.item_number == briefing.number
    assert sent.recipients == [w["styre"]]
    assert sent.warnings == []
    assert [a.rule for a in w.app.send_invitation(s, ipu).attachments] == ["R15"]
    assert w.app.send_invitation(s, council).attachments == []


def test_r15_warns_when_no_kg_minutes_were_approved(w: World) -> None:
    s = w["sekretariat"]
    board = schedule(w, MeetingBody.BOARD, at(2025, 12, 8, 12))
    w.app.add_standard_items(s, board)
    sent = w.app.send_invitation(s, board)
    assert any(x.startswith("R15") for x in sent.warnings)


def test_r14_cross_cutting_minutes_go_with_expert_group_invitations(w: World) -> None:
    s = w["sekretariat"]
    kraft = schedule(w, MeetingBody.GROUP, at(2025, 2, 1), group_id=w.groups["kraft"])
    held_with_approved_minutes(w, kraft, "Referat kraft og energi")
    atp = schedule(w, MeetingBody.GROUP, at(2025, 3, 1), group_id=w.groups["atp"])
    ntp = schedule(w, MeetingBody.GROUP, at(2025, 3, 2), group_id=w.groups["ntp"])
    for mid in (atp, ntp):
        w.app.add_standard_items(s, mid)
    sent = w.app.send_invitation(s, atp)
    assert [(a.rule, a.kind, a.source_meeting_id) for a in sent.attachments] == [
        ("R14", "working_group_minutes", kraft)
    ]
    assert set(sent.recipients) == {w["atp-leder"], w["atp"], w["observator"]}
    assert w.app.send_invitation(s, ntp).attachments == []  # an ad-hoc group


# -- R13 -----------------------------------------------------------------------------------------


def test_r13_group_leader_is_invited_to_kg_for_their_case_and_may_give_input(w: World) -> None:
    s = w["sekretariat"]
    case = w.drafted()
    kg = w.meetings["kg"]
    view = w.app.place_case_on_agenda(s, kg, case.id)
    assert [(i.person_id, i.rule, i.case_id) for i in view.invitees] == [
        (w["atp-leder"], "R13", case.id)
    ]
    assert view.agenda[-1].case_reference == case.reference
    after = w.app.get_case(s, case.id)
    assert after.status == "advice_requested"
    assert after.kg_meeting_id == kg
    assert w["atp-leder"] in after.invited
    given = w.app.give_advice(w["atp-leder"], case.id, Stance.SUPPORTS, "ATP støtter.")
    assert given.advice[0].as_invited_leader
    # the invited leader sees the KG meeting; another ATP member does not
    assert w.app.get_meeting(kg, viewer=w["atp-leder"]).id == kg
    with pytest.raises(NotFoundError):
        w.app.get_meeting(kg, viewer=w["atp"])
    assert kg in [m.id for m in w.app.meetings_for_person(w["atp-leder"])]


def test_placing_on_a_board_agenda_goes_through_submission(w: World) -> None:
    case = w.ready()
    with pytest.raises(InvalidInput) as e:
        w.app.place_case_on_agenda(w["sekretariat"], w.meetings["board"], case.id)
    assert e.value.rule == "R2"


# -- R16 -----------------------------------------------------------------------------------------


def test_r16_warns_when_kg_is_far_off_the_rhythm_and_gives_deadlines(w: World) -> None:
    board = schedule(w, MeetingBody.BOARD, at(2098, 3, 20, 12))
    assert any(x.startswith("R16") for x in w.app.get_meeting(board).warnings)
    kg = schedule(w, MeetingBody.KG, at(2098, 3, 15, 12))  # five days before
    assert any("5 days" in x for x in w.app.get_meeting(board).warnings)
    assert any("5 days" in x for x in w.app.get_meeting(kg).warnings)
    w.app.use_planning_rules(PlanningRules(kg_min_days=3, kg_max_days=30))
    assert w.app.get_meeting(board).warnings == []
    w.app.use_planning_rules(PlanningRules())
    good = schedule(w, MeetingBody.KG, at(2098, 3, 6, 12))  # fourteen days before
    assert w.app.get_meeting(good).warnings == []
    deadlines = w.app.board_deadlines(after=at(2098, 1, 1))
    assert deadlines is not None
    assert deadlines.board_meeting_id == board
    assert deadlines.kg_meeting_id == kg  # the last KG meeting before the board meeting
    assert deadlines.papers_due == date(2098, 3, 13)
    assert deadlines.advice_due == date(2098, 3, 14)
    assert deadlines.gap_days == 5


def test_planning_rules_parse_settings() -> None:
    assert PlanningRules.parse("14-28", "5") == PlanningRules(14, 28, 1, 5)
    with pytest.raises(ValueError, match="KG window must look like"):
        PlanningRules.parse("abc")


# -- R17 and R18 ---------------------------------------------------------------------------------


def test_r17_theme_and_influence_proposals_go_on_political_agendas(w: World) -> None:
    s = w["sekretariat"]
    theme = w.app.propose_case(
        w["kg"], w.groups["kg"], "Foredrag om Oslofjorden", "Tema.", CaseKind.THEME_SPEAKER
    )
    council = schedule(w, MeetingBody.COUNCIL, at(2097, 6, 5))
    with pytest.raises(InvalidTransition):
        w.app.place_case_on_agenda(s, council, theme.id)  # not yet accepted
    w.app.accept_case(s, theme.id, s)
    w.app.place_case_on_agenda(s, council, theme.id)
    view = w.app.send_invitation(s, council)
    assert (view.agenda[0].label, view.agenda[0].case_kind) == ("Sak 1/97", "theme_speaker")
    influence = w.app.propose_case(
        w["kg"], w.groups["kg"], "Innspill til NTP", "Påvirkning.", CaseKind.POLITICAL_INFLUENCE
    )
    w.app.accept_case(s, influence.id, s)
    ipu = schedule(w, MeetingBody.IPU, at(2097, 6, 6))
    placed = w.app.place_case_on_agenda(s, ipu, influence.id)
    assert placed.agenda[0].case_reference == influence.reference


def test_r18_kg_follows_up_measures_by_focus_area(w: World) -> None:
    m = w.app.register_measure(w["sekretariat"], "Felles innspill til NTP", "transport")
    updated = w.app.update_measure(
        w["kg"], m.id, "in_progress", "Startet", meeting_id=w.meetings["kg"]
    )
    assert updated.status == "in_progress"
    assert updated.updates[0].meeting_id == w.meetings["kg"]
    with pytest.raises(NotPermitted) as obs:
        w.app.update_measure(w["kg-obs"], m.id, "done")
    assert obs.value.rule == "R9"
    with pytest.raises(NotPermitted) as other:
        w.app.update_measure(w["atp"], m.id, "done")
    assert other.value.rule == "R18"
    grouped = w.app.list_measures()
    assert [x.title for x in grouped["transport"]] == ["Felles innspill til NTP"]
    assert grouped["klima"] == []


# -- R20 -----------------------------------------------------------------------------------------


def test_r20_yearly_plan_joint_gathering_and_joint_sessions(w: World) -> None:
    plan = w.app.yearly_plan(2096)
    assert (plan.best_conference, plan.joint_gathering_due) == (False, True)
    assert any(x.startswith("R20") for x in plan.warnings)
    gathering = schedule(
        w, MeetingBody.JOINT, at(2096, 9, 10, 9), ends_at=at(2096, 9, 11, 15), title="Fagsamling"
    )
    plan = w.app.yearly_plan(2096)
    assert plan.joint_gathering is not None
    assert plan.joint_gathering.meeting_id == gathering
    assert plan.warnings == []
    schedule(w, MeetingBody.GROUP, at(2096, 3, 3, 9), group_id=w.groups["atp"])
    schedule(w, MeetingBody.GROUP, at(2096, 3, 3, 12), group_id=w.groups["kraft"])
    schedule(w, MeetingBody.GROUP, at(2096, 3, 4), group_id=w.groups["ntp"], digital=True)
    plan = w.app.yearly_plan(2096)
    assert [e.status for e in plan.joint_sessions] == ["expected"]
    assert "Kraft og energi" in plan.joint_sessions[0].title
    session = schedule(
        w,
        MeetingBody.JOINT,
        at(2096, 3, 3, 11),
        group_ids=[w.groups["atp"], w.groups["kraft"]],
        title="Felles faggruppedel",
    )
    plan = w.app.yearly_plan(2096)
    assert [e.meeting_id for e in plan.joint_sessions] == [session]
    assert plan.warnings == []
    assert w.app.yearly_plan(2097).best_conference


def test_r20_best_years_are_configurable(store_url: str, monkeypatch) -> None:
    from caseflow.persistence import open_application

    monkeypatch.setenv("CASEFLOW_BEST_YEARS", "2096")
    app, _ = open_application(store_url)
    try:
        assert app.yearly_plan(2096).best_conference
        assert not app.yearly_plan(2097).best_conference
    finally:
        app.close()


# -- reading ----------------------------------------------------------------------------------


def test_who_sees_which_meetings(w: World) -> None:
    group = schedule(w, MeetingBody.GROUP, at(2097, 2, 1), group_id=w.groups["atp"])
    board = w.meetings["board"]
    assert w.app.get_meeting(board, viewer=w["styre"]).id == board
    assert w.app.get_meeting(board, viewer=w["kg"]).id == board
    with pytest.raises(NotFoundError):
        w.app.get_meeting(board, viewer=w["atp"])
    assert {m.id for m in w.app.list_meetings(w["atp"])} == {group}
    assert {m.id for m in w.app.list_meetings(w["revisor"])} >= {group, board}
    assert [m.body for m in w.app.list_meetings(body="kg")] == ["kg"]
    assert {m.id for m in w.app.meetings_for_person(w["styre"])} == {
        board,
        w.meetings["board2"],
    }
    assert w.app.list_meetings(year=2097) == [w.app.get_meeting(group)]


def test_view_is_plain_data(w: World) -> None:
    data = w.app.get_meeting(w.meetings["kg"]).as_dict()
    assert data["status"] == "planned"
    assert data["starts_at"].startswith("2099-11-24")
    assert isinstance(data["warnings"], list)


# -- the invitation pack, calendar feeds and the demo year ---------------------------------------


def test_invitation_pack_html_and_pdf(w: World) -> None:
    from web.presentation.pack import build_pack, render_pack_html, render_pack_pdf

    s = w["sekretariat"]
    board = w.meetings["board"]
    w.app.add_standard_items(s, board)
    case = w.submitted()
    w.app.send_invitation(s, board)  # numbers the agenda: the case is Sak 3/99
    w.app.add_attachment(s, board, "budsjett.pdf", PDF, title="Budsjett <2026>", item_number=3)
    pack = build_pack(w.app, board, viewer=s)
    html = render_pack_html(pack, attachment_url=lambda sha: f"/a/{sha}")
    sha = w.app.get_meeting(board).attachments[0].sha256
    assert "Sak 3/99" in html
    assert case.reference in html
    assert "Saken drøftes i interessepolitisk utvalg" in html  # the case document
    assert sha in html
    assert f'href="/a/{sha}"' in html
    assert "Budsjett &lt;2026&gt;" in html  # escaped
    assert "@media print" in html
    assert html.index("Godkjenning av innkalling") < html.index("Innspill til NTP")
    pdf = render_pack_pdf(pack)
    assert pdf.startswith(b"%PDF-")
    with pytest.raises(NotFoundError):
        build_pack(w.app, board, viewer=w["atp"])


def test_calendar_feeds_are_valid_icalendar(w: World) -> None:
    from icalendar import Calendar

    from web.presentation.calendar import CalendarWords, meetings_calendar

    words = CalendarWords(
        "Saksliste", "digitalt", "Unntatt", (("supplementary", "tilleggssak"),), {"kg": "KG"}
    )
    s = w["sekretariat"]
    w.app.add_standard_items(s, w.meetings["kg"])
    w.app.send_invitation(s, w.meetings["kg"])
    data = meetings_calendar(
        w.app.list_meetings(body="kg"), "KG", words, url="https://caseflow.example/meetings/{id}"
    )
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"]
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{w.meetings['kg']}@caseflow.osloregionen"]
    event = events[0]
    assert event.decoded("DTSTART") == datetime(2099, 11, 24, 12, tzinfo=UTC)
    assert event.decoded("DTEND") > event.decoded("DTSTART")
    assert str(event["DESCRIPTION"]).startswith("Saksliste:\n")
    assert "Sak 1 Godkjenning av innkalling og saksliste" in str(event["DESCRIPTION"])
    assert b"\r\n" in data  # RFC 5545 line endings
    mine = Calendar.from_ical(meetings_calendar(w.app.meetings_for_person(w["atp"]), "Mine", words))
    assert mine.walk("VEVENT") == []


def test_demo_year_has_board_meetings_with_kg_before_and_minutes(w: World) -> None:
    from caseflow.demo.plan import build_demo_year

    s = w["sekretariat"]
    submitted: list[UUID] = []

    def submit(meeting) -> None:
        if not submitted:
            case = w.ready(title="Demosak")
            w.app.submit_case(s, case.id, meeting.id)
            submitted.append(case.id)

    ids = build_demo_year(w.app, s, 2024, on_board_agenda=submit)
    meetings = [w.app.get_meeting(i) for i in ids]
    boards = [m for m in meetings if m.body == "board"]
    kgs = [m for m in meetings if m.body == "kg"]
    assert len(boards) == 6
    assert len(kgs) == 6
    assert all(m.status == "minutes_approved" for m in meetings)  # 2024 is past
    assert all(m.warnings == [] for m in meetings), [m.warnings for m in meetings]
    assert all(any(a.rule == "R15" for a in b.attachments) for b in boards)
    first = boards[0]
    assert [i.label for i in first.agenda] == [f"Sak {n}/24" for n in range(1, 8)]
    assert first.agenda[2].case_id == submitted[0]
    assert boards[1].agenda[0].label == "Sak 8/24"
    atp = [m for m in meetings if m.group_id == w.groups["atp"]]
    assert any(a.rule == "R14" for a in atp[0].attachments)
    plan = w.app.yearly_plan(2024)
    assert plan.joint_gathering is not None  # 2024: no BEST conference
    assert plan.warnings == []


# -- the agenda's lifecycle (issue 14) ------------------------------------------------------


def test_two_board_meetings_prepared_at_once_each_read_consecutively(w: World) -> None:
    s = w["sekretariat"]
    feb = schedule(w, MeetingBody.BOARD, at(2097, 2, 10))
    apr = schedule(w, MeetingBody.BOARD, at(2097, 4, 20))
    for mid in (feb, apr):
        w.app.add_standard_items(s, mid, "all")  # closing items wait last, cases between
    w.app.submit_case(s, w.ready(title="April").id, apr)
    w.app.submit_case(s, w.ready(title="Februar").id, feb)
    w.app.send_invitation(s, feb)
    w.app.send_invitation(s, apr)
    assert labels(w.app, feb)[2] == "Sak 3/97 Februar"
    assert [i.number for i in w.app.get_meeting(feb).agenda] == list(range(1, 8))
    assert labels(w.app, apr)[2] == "Sak 10/97 April"
    assert [i.number for i in w.app.get_meeting(apr).agenda] == list(range(8, 15))


def test_waiting_items_are_ordered_and_a_withdrawn_one_leaves_the_list(w: World) -> None:
    s = w["sekretariat"]
    mid = w.meetings["kg"]
    w.app.add_standard_items(s, mid, "all")
    view = w.app.add_standing_item(s, mid, "Budsjett")
    assert [i.title for i in view.agenda][-2:] == ["Budsjett", "Eventuelt"]
    key = view.agenda[2].key
    before = w.app.recorder.max_notification_id()
    with pytest.raises(InvalidInput) as e:
        w.app.move_item(s, mid, key, 9)
    assert e.value.fields
    assert "position" in e.value.fields
    with pytest.raises(NotPermitted):
        w.app.move_item(w["kg"], mid, key, 1)
    assert w.app.recorder.max_notification_id() == before
    moved = w.app.move_item(s, mid, key, 1, expected_version=view.version)
    assert moved.agenda[0].title == "Budsjett"
    gone = w.app.withdraw_item(s, mid, key, "Ikke klar")
    assert "Budsjett" not in [i.title for i in gone.agenda]  # unnumbered: simply leaves
    sent = w.app.send_invitation(s, mid)
    assert [i.label for i in sent.agenda] == ["Sak 1", "Sak 2", "Sak 3"]


def test_a_stale_version_is_refused_on_every_meeting_command(w: World) -> None:
    from caseflow.domain.errors import StaleVersion

    s = w["sekretariat"]
    mid = w.meetings["kg"]
    stale = w.app.get_meeting(mid).version
    w.app.add_standing_item(s, mid, "Første")
    before = w.app.recorder.max_notification_id()
    for command in (
        lambda: w.app.add_standing_item(s, mid, "Andre", expected_version=stale),
        lambda: w.app.send_invitation(s, mid, expected_version=stale),
        lambda: w.app.cancel_meeting(s, mid, "Nei", expected_version=stale),
        lambda: w.app.add_standard_items(s, mid, expected_version=stale),
    ):
        with pytest.raises(StaleVersion):
            command()
    assert w.app.recorder.max_notification_id() == before


def test_a_cancelled_meeting_keeps_its_numbers_used(w: World) -> None:
    s = w["sekretariat"]
    first = schedule(w, MeetingBody.BOARD, at(2097, 2, 10))
    later = schedule(w, MeetingBody.BOARD, at(2097, 4, 20))
    case = w.ready()
    w.app.submit_case(s, case.id, first)
    w.app.send_invitation(s, first)  # Sak 1/97
    cancelled = w.app.cancel_meeting(s, first, "Avlyst")
    assert (cancelled.status, cancelled.agenda[0].label) == ("cancelled", "Sak 1/97")
    assert w.app.get_case(s, case.id).status == "ready"
    with pytest.raises(InvalidTransition):
        w.app.add_standing_item(s, first, "For sent")
    w.app.submit_case(s, case.id, later)
    w.app.send_invitation(s, later)
    assert w.app.get_case(s, case.id).board_number == "Sak 2/97"


def test_minutes_record_attendance_and_the_decision_is_the_cases_step(w: World) -> None:
    s = w["sekretariat"]
    board = schedule(w, MeetingBody.BOARD, at(2025, 2, 10))
    case = w.ready()
    w.app.add_standard_items(s, board, "all")
    w.app.submit_case(s, case.id, board)
    w.app.send_invitation(s, board)
    key = next(i.key for i in w.app.get_meeting(board).agenda if i.case_id == case.id)
    with pytest.raises(InvalidTransition):
        w.app.record_item_decision(s, board, key, "For tidlig")  # not held yet
    w.app.mark_held(s, board)
    with pytest.raises(InvalidInput):
        w.app.record_attendance(s, board, [w["styre"]], [w["styre"]])
    with pytest.raises(NotPermitted):
        w.app.record_item_decision(w["kg"], board, key, "Styret vedtar.")
    view = w.app.record_attendance(s, board, [w["styre"]], [w["kg"]])
    assert (view.present, view.absent) == ([w["styre"]], [w["kg"]])
    decided = w.app.record_item_decision(s, board, key, "Styret slutter seg til forslaget.")
    item = next(i for i in decided.agenda if i.key == key)
    assert item.decision == "Styret slutter seg til forslaget."
    after = w.app.get_case(s, case.id)
    assert (after.status, after.resolution) == ("decided", "Styret slutter seg til forslaget.")
    briefing = decided.agenda[-1].key  # Eventuelt: the meeting's own decision, no case
    assert w.app.record_item_decision(s, board, briefing, "Ingen saker.").agenda[-1].decision


def test_a_planned_agenda_warns_when_a_later_one_is_numbered_first(w: World) -> None:
    s = w["sekretariat"]
    feb = schedule(w, MeetingBody.BOARD, at(2097, 2, 10))
    apr = schedule(w, MeetingBody.BOARD, at(2097, 4, 20))
    for mid in (feb, apr):
        w.app.add_standard_items(s, mid, "all")
    later_numbered = (
        "a later meeting's agenda is numbered already: this one's numbers "
        "will follow it (send the invitations in date order)"
    )

    def keys(mid: UUID) -> list[str]:
        return [m.key for m in w.app.get_meeting(mid).warnings if m.rule is None]

    assert keys(feb) == []
    w.app.send_invitation(s, apr)  # out of date order
    assert keys(feb) == [later_numbered]
    w.app.send_invitation(s, feb)
    assert w.app.get_meeting(feb).agenda[0].label == "Sak 7/97"  # after April's, never reused
    assert keys(feb) == []


def test_a_meeting_just_after_midnight_on_new_years_day_oslo_time_is_in_the_new_year(
    w: World,
) -> None:
    """00:30 Oslo on 1 January 2027 is 23:30 UTC on 31 December 2026: the meeting is
    numbered in, and listed under, 2027 (the year people read), not the UTC year."""
    s = w["sekretariat"]
    new_year = schedule(w, MeetingBody.BOARD, datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    w.app.add_standard_items(s, new_year)
    w.app.send_invitation(s, new_year)
    assert labels(w.app, new_year)[0] == "Sak 1/27 Godkjenning av innkalling"
    listed = {m.id for m in w.app.list_meetings(w["sekretariat"], year=2027)}
    assert new_year in listed
    assert new_year not in {m.id for m in w.app.list_meetings(w["sekretariat"], year=2026)}


# -- the protokoll approved at the next meeting (issue 14) -----------------------------------


def _held_with_protokoll(w: World, meeting_id: UUID, decision: str) -> None:
    """Held, with its attendance and one decision recorded (no minutes file uploaded)."""
    s = w["sekretariat"]
    w.app.add_standard_items(s, meeting_id)
    w.app.send_invitation(s, meeting_id)
    w.app.mark_held(s, meeting_id)
    view = w.app.get_meeting(meeting_id)
    w.app.record_attendance(s, meeting_id, view.recipients[:1], view.recipients[1:])
    first = view.agenda[0]
    w.app.record_item_decision(s, meeting_id, first.key, decision)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_standing_item_2_at_the_next_meeting_approves_the_generated_protokoll_for_r15(
    w: World, tmp_path: Path
) -> None:
    """A KG meeting's protokoll (attendance, decisions; no file uploaded) is approved when
    the next KG meeting records its decision on "Godkjenning av referat fra …": the
    protokoll PDF is stored by SHA-256 as the minutes, and R15 attaches it to the board's
    invitation."""
    from web.presentation.protokoll import render_protokoll_pdf

    w.app.use_attachment_store(AttachmentStore(tmp_path / "protokoll", max_bytes=4096))
    w.app.use_protokoll_renderer(render_protokoll_pdf)
    s = w["sekretariat"]
    first = schedule(w, MeetingBody.KG, at(2025, 1, 10, 12))
    second = schedule(w, MeetingBody.KG, at(2025, 2, 10, 12))
    board = schedule(w, MeetingBody.BOARD, at(2025, 3, 8, 12))
    _held_with_protokoll(w, first, "Innkallingen godkjent uten merknader.")
    w.app.add_standard_items(s, second)
    w.app.send_invitation(s, second)
    w.app.mark_held(s, second)
    approval = next(
        i for i in w.app.get_meeting(second).agenda if i.title.startswith("Godkjenning av referat")
    )
    assert w.app.get_meeting(first).status == "held"
    w.app.record_item_decision(s, second, approval.key, "Protokollen godkjent.")
    approved = w.app.get_meeting(first)
    assert approved.status == "minutes_approved"
    minutes = next(a for a in approved.attachments if a.kind == "minutes")
    assert minutes.sha256 == approved.approved_minutes
    assert minutes.media_type == "application/pdf"
    _, data = w.app.attachment_file(s, first, minutes.sha256)
    assert hashlib.sha256(data).hexdigest() == minutes.sha256
    text = _pdf_text(data)
    assert "Innkallingen godkjent uten merknader." in text
    assert "10.01.2025 kl. 13:00" in text  # 12:00 UTC in Oslo time
    w.app.add_standard_items(s, board)
    sent = w.app.send_invitation(s, board)
    kg_minutes = [a for a in sent.attachments if a.kind == "kg_minutes"]
    assert [(a.sha256, a.source_meeting_id) for a in kg_minutes] == [(minutes.sha256, first)]


def test_the_approve_minutes_step_stores_the_protokoll_when_no_file_was_uploaded(
    w: World, tmp_path: Path
) -> None:
    from web.presentation.protokoll import render_protokoll_pdf

    w.app.use_attachment_store(AttachmentStore(tmp_path / "protokoll2", max_bytes=4096))
    s = w["sekretariat"]
    board = schedule(w, MeetingBody.BOARD, at(2025, 2, 10, 11))
    _held_with_protokoll(w, board, "Styret godkjente innkallingen.")
    # without a renderer (and no file) there is nothing to approve: refused, nothing recorded
    with pytest.raises(InvalidTransition):
        w.app.approve_minutes(s, board)
    assert w.app.get_meeting(board).status == "held"
    w.app.use_protokoll_renderer(render_protokoll_pdf)
    view = w.app.approve_minutes(s, board)
    assert view.status == "minutes_approved"
    [minutes] = [a for a in view.attachments if a.kind == "minutes"]
    assert minutes.sha256 == view.approved_minutes
    assert "Styret godkjente innkallingen." in _pdf_text(
        w.app.attachment_file(s, board, minutes.sha256)[1]
    )


def test_standing_item_2_without_minutes_or_protokoll_records_only_its_decision(
    w: World,
) -> None:
    s = w["sekretariat"]
    first = schedule(w, MeetingBody.KG, at(2025, 1, 10, 12))
    second = schedule(w, MeetingBody.KG, at(2025, 2, 10, 12))
    for mid in (first, second):
        w.app.add_standard_items(s, mid)
        w.app.send_invitation(s, mid)
        w.app.mark_held(s, mid)
    approval = next(
        i for i in w.app.get_meeting(second).agenda if i.title.startswith("Godkjenning av referat")
    )
    view = w.app.record_item_decision(s, second, approval.key, "Ingen protokoll å godkjenne.")
    assert next(i for i in view.agenda if i.key == approval.key).decision
    assert w.app.get_meeting(first).status == "held"


def test_the_advice_deadline_counts_back_from_the_kg_meetings_oslo_day(w: World) -> None:
    """A KG meeting at 00:30 Oslo on 11 March (23:30 UTC on the 10th): the advice deadline
    is counted from 11 March, the day people read."""
    s = w["sekretariat"]
    kg = schedule(w, MeetingBody.KG, datetime(2099, 3, 10, 23, 30, tzinfo=UTC))
    case = w.drafted()
    w.app.place_case_on_agenda(s, kg, case.id)
    days = w.app.settings.planning_rules.advice_days_before_kg
    expected = date.fromordinal(date(2099, 3, 11).toordinal() - days)
    assert w.app.get_case(s, case.id).advice_deadline == expected
