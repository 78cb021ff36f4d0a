"""Who may see a case: written once, as a :class:`CaseVisibility` — what one reader may
see — from which both answers are built: :func:`may_see_case` (a case page, a meeting's
items, anything holding the case's values) and the read model's SQL filter (the lists,
``caseflow.readmodels.cases``), so the lists and the pages cannot disagree.

A reader sees a case when

- they read everything (the secretariat, auditors);
- they have a seat in the case's group (its members, leader, observers);
- they have a seat in KG and the secretariat has accepted the case (any status but
  *proposed*);
- they are an expert-group leader invited to give input on it (R13);
- they are a board member and the case is submitted, postponed or decided.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from uuid import UUID

from caseflow.domain.permissions.actor import Actor, may_read_everything
from caseflow.domain.values import CaseStatus, SystemRole

#: The statuses in which the board sees a case.
BOARD_VISIBLE = frozenset({CaseStatus.SUBMITTED, CaseStatus.POSTPONED, CaseStatus.DECIDED})

#: The statuses in which KG sees a case: every one the secretariat has accepted.
KG_VISIBLE = frozenset(s for s in CaseStatus if s is not CaseStatus.PROPOSED)


@dataclass(frozen=True)
class CaseVisibility:
    """What one reader who does not read everything may see: every case of the groups
    they have a seat in (``group_ids``), every case in one of ``statuses``, and the cases
    they are invited to (R13) when ``person_id`` is set."""

    group_ids: frozenset[UUID] = frozenset()
    statuses: frozenset[str] = frozenset()
    person_id: UUID | None = None


def case_visibility(actor: Actor, kg_id: UUID) -> CaseVisibility | None:
    """The rule for ``actor`` (None: they see everything)."""
    if may_read_everything(actor):
        return None
    statuses: set[str] = set()
    if actor.seat(kg_id) is not None:
        statuses |= {s.value for s in KG_VISIBLE}
    if SystemRole.BOARD in actor.system_roles:
        statuses |= {s.value for s in BOARD_VISIBLE}
    person = None if actor.is_system else UUID(actor.id)
    return CaseVisibility(frozenset(actor.seats), frozenset(statuses), person)


def may_see_case(
    rule: CaseVisibility | None, group_id: UUID, status: str, invited: Collection[UUID]
) -> bool:
    """Whether a reader with ``rule`` sees a case of ``group_id`` in ``status`` with the
    R13 invitations ``invited``."""
    if rule is None:
        return True
    return (
        group_id in rule.group_ids
        or status in rule.statuses
        or (rule.person_id is not None and rule.person_id in invited)
    )
