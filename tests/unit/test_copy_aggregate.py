"""``copy_aggregate`` is a deep copy for every purpose: changing the copy never changes the
original, and the copy equals what ``deepcopy`` gives."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

from caseflow.application.core import _kind, copy_aggregate
from caseflow.domain.agenda import AgendaItem
from caseflow.domain.case import Advice, Case
from caseflow.domain.meeting import Meeting
from caseflow.domain.organisation import Group, Membership
from caseflow.domain.permissions import Grant
from caseflow.domain.values import Document, GroupRole, MeetingBody, Stance

BY = Grant("system", "system", None)


def state(agg: Any) -> dict[str, Any]:
    return dict(vars(agg))


def a_case() -> Case:
    case: Case = Case._create(
        Case.Proposed,
        kind="board_case",
        title="T",
        summary="S",
        focus_area=None,
        group_id=uuid4(),
        reference="OR-2026-001",
        actor="system",
        role="system",
        on_behalf_of=None,
    )
    case.accept(uuid4(), BY)
    case.draft(Document("B", "V", "F", "P"), BY)
    case.request_advice(date(2099, 3, 1), None, [uuid4()], BY)
    case.collect_events()
    return case


def test_frozen_values_of_atomic_fields_are_shared() -> None:
    for cls in (Advice, AgendaItem, Membership, Document):
        assert _kind(cls) == "atomic", cls


def test_a_copied_case_equals_a_deep_copy_and_is_independent() -> None:
    case = a_case()
    copy = copy_aggregate(case)
    assert type(copy) is Case
    assert state(copy) == state(deepcopy(case))
    copy.give_advice(Stance.SUPPORTS, "Ja.", False, Grant(uuid4().hex, "kg:member", "oslo"))
    copy.invited.add(uuid4())
    assert case.advice == {}
    assert len(case.invited) == 1
    assert case.version == 4
    assert copy.version == 5
    assert case.pending_events == []
    assert len(copy.pending_events) == 1


def test_a_copied_group_and_meeting_are_independent() -> None:
    group: Group = Group._create(
        Group.Established,
        slug="kg",
        name="KG",
        short_name="KG",
        kind="kg",
        focus_area=None,
        financing={"financing": "own", "owner": "Osloregionen", "role": "eier"},
        actor="system",
        role="system",
        on_behalf_of=None,
    )
    person = uuid4()
    group.add_member(person, GroupRole.MEMBER, "oslo", BY)
    copy = copy_aggregate(group)
    assert state(copy) == state(deepcopy(group))
    copy.remove_member(person, "gone", BY)
    assert copy.financing is not None
    copy.financing["owner"] = "changed"
    assert person in group.members
    assert group.financing is not None
    assert group.financing["owner"] == "Osloregionen"

    meeting: Meeting = Meeting._create(
        Meeting.Scheduled,
        body=MeetingBody.KG.value,
        title="KG-møte",
        starts_at=datetime(2099, 1, 1, 10, tzinfo=UTC),
        ends_at=None,
        place="Oslo",
        digital=False,
        group_id=None,
        group_ids=[],
        actor="system",
        role="system",
        on_behalf_of=None,
    )
    meeting.add_item("Sak", BY)
    copy_m = copy_aggregate(meeting)
    copy_m.add_item("Sak 2", BY)
    assert len(meeting.items) == 1
    assert len(copy_m.items) == 2
    assert copy_m.items[0] is meeting.items[0]  # frozen: shared, not copied


@dataclass
class Holder:
    values: list[int] = field(default_factory=list)


def test_aliasing_and_unknown_objects_are_kept_as_deepcopy_keeps_them() -> None:
    case = a_case()
    shared: list[str] = ["x"]
    case.__dict__["a"] = shared
    case.__dict__["b"] = shared
    case.__dict__["holder"] = Holder([1])
    copy = copy_aggregate(case)
    assert copy.__dict__["a"] is copy.__dict__["b"]
    assert copy.__dict__["a"] is not shared
    copy.__dict__["holder"].values.append(2)
    assert case.__dict__["holder"].values == [1]
