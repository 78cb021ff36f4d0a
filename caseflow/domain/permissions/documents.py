"""Case documents (saksframlegg, vedlegg): who adds them and their new versions.

The secretariat prepares every case (R1) and adds documents to any open case. The
proposing group's own non-observer members (leader, deputy, members) add documents to
their proposal while it is being prepared, up to the moment the secretariat makes it
ready for the board; from then on the case is the secretariat's (R1). Observers read
but do not add (R9; R11 for projects and ad-hoc groups). Who may *read* a document is
who may see its case (``CaseQueries.may_see``)."""

from __future__ import annotations

from uuid import UUID

from caseflow.domain.errors import NotPermitted
from caseflow.domain.permissions.actor import Actor, Grant, secretariat_grant
from caseflow.domain.values import CaseStatus, GroupKind

#: While the case is in one of these statuses its proposing group adds documents.
GROUP_DOCUMENT_STATUSES = frozenset(
    {
        CaseStatus.PROPOSED,
        CaseStatus.UNDER_PREPARATION,
        CaseStatus.ADVICE_REQUESTED,
        CaseStatus.ADVICE_CLOSED,
    }
)


def may_add_document(actor: Actor, proposing_group_id: UUID, status: CaseStatus) -> Grant:
    """R1, R9, R11: the secretariat, or the proposing group's acting members before the
    case is ready for the board."""
    if actor.is_secretariat:
        return secretariat_grant(actor)
    seat = actor.seat(proposing_group_id)
    if seat is None:
        raise NotPermitted(
            "Only the secretariat and the proposing group add documents to a case.", rule="R1"
        )
    if not seat.acts:
        raise NotPermitted(
            "Observers read the case's documents but do not add them.",
            rule="R11" if seat.group_kind in (GroupKind.PROJECT, GroupKind.AD_HOC) else "R9",
        )
    if status not in GROUP_DOCUMENT_STATUSES:
        raise NotPermitted(
            "Once the case is ready for the board, only the secretariat changes its documents.",
            rule="R1",
        )
    return Grant(actor.id, seat.label, seat.on_behalf_of)
