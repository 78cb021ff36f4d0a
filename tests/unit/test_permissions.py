"""Unit tests of the pure permission functions (no store)."""

from __future__ import annotations

import uuid

import pytest

from caseflow.domain.errors import InvalidInput, NotPermitted
from caseflow.domain.permissions import (
    SECRETARIAT_STEPS,
    SYSTEM_ACTOR,
    Actor,
    Seat,
    may_add_member,
    may_appoint,
    may_close_advice,
    may_give_advice,
    may_propose,
    may_take_secretariat_step,
    may_withdraw,
)
from caseflow.domain.values import (
    CaseKind,
    GroupKind,
    GroupRole,
    Organisation,
    OrgKind,
    Step,
    SystemRole,
)

KG = uuid.uuid4()
ATP = uuid.uuid4()
ASKER = Organisation(OrgKind.MUNICIPALITY, "Asker", "3203")
VEGVESEN = Organisation(OrgKind.EXTERNAL, "Statens vegvesen")
HALDEN = Organisation(OrgKind.MUNICIPALITY, "Halden", "3101")


def actor(*seats: tuple[uuid.UUID, GroupKind, GroupRole], roles=(), org=ASKER) -> Actor:
    pid = uuid.uuid4()
    return Actor(
        id=pid.hex,
        name="Test",
        organisation=org,
        region="asker-baerum",
        system_roles=frozenset(roles),
        seats={
            g: Seat(g, "kg" if g == KG else "atp", kind, role, "asker-baerum")
            for g, kind, role in seats
        },
    )


SECRETARIAT = actor(roles=(SystemRole.SECRETARIAT,), org=Organisation(OrgKind.SECRETARIAT, "S"))
KG_MEMBER = actor((KG, GroupKind.KG, GroupRole.MEMBER))
KG_LEADER = actor((KG, GroupKind.KG, GroupRole.LEADER))
KG_OBSERVER = actor((KG, GroupKind.KG, GroupRole.OBSERVER), org=VEGVESEN)
ATP_MEMBER = actor((ATP, GroupKind.EXPERT, GroupRole.MEMBER))
ATP_LEADER = actor((ATP, GroupKind.EXPERT, GroupRole.LEADER))
AUDITOR = actor(roles=(SystemRole.AUDITOR,))


@pytest.mark.parametrize("step", list(SECRETARIAT_STEPS))
def test_secretariat_steps_refuse_everyone_else(step: Step) -> None:
    grant = may_take_secretariat_step(SECRETARIAT, step)
    assert grant.role == "secretariat"
    for other in (KG_MEMBER, KG_LEADER, ATP_LEADER, AUDITOR):
        with pytest.raises(NotPermitted) as err:
            may_take_secretariat_step(other, step)
        assert err.value.rule in ("R1", "R3", "R5")


def test_submit_is_r1_and_decline_is_r5() -> None:
    with pytest.raises(NotPermitted) as submit:
        may_take_secretariat_step(KG_LEADER, Step.SUBMIT)
    assert submit.value.rule == "R1"
    with pytest.raises(NotPermitted) as decline:
        may_take_secretariat_step(ATP_LEADER, Step.DECLINE)
    assert decline.value.rule == "R5"


def test_system_actor_is_secretariat() -> None:
    assert may_take_secretariat_step(SYSTEM_ACTOR, Step.SUBMIT).actor == "system"


def test_propose_rules() -> None:
    grant = may_propose(ATP_MEMBER, ATP, GroupKind.EXPERT, CaseKind.BOARD_CASE)
    assert (grant.role, grant.on_behalf_of) == ("atp:member", "asker-baerum")
    with pytest.raises(NotPermitted) as r9:
        may_propose(
            actor((ATP, GroupKind.EXPERT, GroupRole.OBSERVER)),
            ATP,
            GroupKind.EXPERT,
            CaseKind.BOARD_CASE,
        )
    assert r9.value.rule == "R9"
    with pytest.raises(NotPermitted) as r11:
        may_propose(
            actor((ATP, GroupKind.AD_HOC, GroupRole.OBSERVER)),
            ATP,
            GroupKind.AD_HOC,
            CaseKind.BOARD_CASE,
        )
    assert r11.value.rule == "R11"
    with pytest.raises(NotPermitted) as r17:
        may_propose(ATP_MEMBER, ATP, GroupKind.EXPERT, CaseKind.THEME_SPEAKER)
    assert r17.value.rule == "R17"
    with pytest.raises(NotPermitted) as outsider:
        may_propose(KG_MEMBER, ATP, GroupKind.EXPERT, CaseKind.BOARD_CASE)
    assert outsider.value.rule == "R17"


def test_advice_rules() -> None:
    grant, invited = may_give_advice(KG_MEMBER, KG, ATP, set())
    assert grant.role == "kg:member"
    assert not invited
    leader_id = uuid.UUID(ATP_LEADER.id)
    grant, invited = may_give_advice(ATP_LEADER, KG, ATP, {leader_id})
    assert invited
    assert grant.role == "atp:invited-leader"
    cases = [
        (KG_OBSERVER, set(), "R9"),
        (ATP_LEADER, set(), "R13"),
        (ATP_MEMBER, set(), "R3"),
        (SECRETARIAT, set(), "R3"),
    ]
    for who, inv, rule in cases:
        with pytest.raises(NotPermitted) as err:
            may_give_advice(who, KG, ATP, inv)
        assert err.value.rule == rule


def test_close_advice() -> None:
    assert may_close_advice(KG_LEADER, KG).role == "kg:leader"
    assert may_close_advice(SECRETARIAT, KG).role == "secretariat"
    with pytest.raises(NotPermitted):
        may_close_advice(KG_MEMBER, KG)


def test_withdraw() -> None:
    assert may_withdraw(ATP_MEMBER, ATP).role == "atp:member"
    with pytest.raises(NotPermitted):
        may_withdraw(KG_MEMBER, ATP)


def test_add_member_rules() -> None:
    grant, behalf = may_add_member(
        SECRETARIAT, ATP, GroupKind.EXPERT, ASKER, "asker-baerum", GroupRole.MEMBER, None
    )
    assert behalf == "asker-baerum"
    with pytest.raises(NotPermitted) as r10:
        may_add_member(SECRETARIAT, ATP, GroupKind.EXPERT, HALDEN, None, GroupRole.OBSERVER, None)
    assert r10.value.rule == "R10"
    with pytest.raises(NotPermitted) as r9:
        may_add_member(SECRETARIAT, ATP, GroupKind.EXPERT, VEGVESEN, None, GroupRole.MEMBER, None)
    assert r9.value.rule == "R9"
    _, behalf = may_add_member(
        SECRETARIAT, ATP, GroupKind.EXPERT, VEGVESEN, None, GroupRole.OBSERVER, None
    )
    assert behalf == "Statens vegvesen"
    with pytest.raises(InvalidInput) as r8:
        may_add_member(
            SECRETARIAT, ATP, GroupKind.EXPERT, ASKER, "asker-baerum", GroupRole.MEMBER, "oslo"
        )
    assert r8.value.rule == "R8"
    with pytest.raises(NotPermitted):
        may_add_member(
            ATP_MEMBER, ATP, GroupKind.EXPERT, ASKER, "asker-baerum", GroupRole.MEMBER, None
        )
    grant, _ = may_add_member(
        ATP_LEADER, ATP, GroupKind.EXPERT, ASKER, "asker-baerum", GroupRole.MEMBER, None
    )
    assert grant.role == "atp:leader"


def test_appoint_rules() -> None:
    member_seat = ATP_MEMBER.seats[ATP]
    other = uuid.uuid4()
    assert may_appoint(ATP_MEMBER, ATP, other, member_seat).role == "atp:member"
    observer_seat = Seat(ATP, "atp", GroupKind.EXPERT, GroupRole.OBSERVER, "x")
    for who, seat in [
        (SECRETARIAT, member_seat),
        (ATP_MEMBER, observer_seat),
        (ATP_MEMBER, None),
        (KG_MEMBER, member_seat),
    ]:
        with pytest.raises(NotPermitted) as err:
            may_appoint(who, ATP, other, seat)
        assert err.value.rule == "R4"


def test_a_member_does_not_appoint_themselves_alone_r4() -> None:
    """R4: the appointment is the group's act. The appointee records it only with a
    second non-observer member's confirmation; the secretariat never appoints."""
    me = ATP_MEMBER
    my_id, my_seat = uuid.UUID(me.id), me.seats[ATP]
    with pytest.raises(NotPermitted) as err:
        may_appoint(me, ATP, my_id, my_seat)
    assert err.value.rule == "R4"
    assert "themselves" in err.value.message
    second = actor((ATP, GroupKind.EXPERT, GroupRole.MEMBER))
    assert may_appoint(me, ATP, my_id, my_seat, second).role == "atp:member"
    observer = actor((ATP, GroupKind.EXPERT, GroupRole.OBSERVER), org=VEGVESEN)
    for confirmer in (me, observer, KG_MEMBER, SECRETARIAT):
        with pytest.raises(NotPermitted) as err:
            may_appoint(me, ATP, my_id, my_seat, confirmer)
        assert err.value.rule == "R4", confirmer
    # another member records it: a confirmation is optional, but checked when given
    other = uuid.uuid4()
    assert may_appoint(second, ATP, other, my_seat).role == "atp:member"
    for confirmer in (second, observer):
        with pytest.raises(NotPermitted):
            may_appoint(second, ATP, other, my_seat, confirmer)
