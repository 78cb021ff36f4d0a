"""Who may do what: pure functions over the actor's roles *at this moment*, one module
per area.

Each ``may_…`` function returns a :class:`Grant` — the role that allows the step and on
whose behalf it is taken, which the event then records — or raises
:class:`~caseflow.domain.errors.NotPermitted` carrying the mandate's rule id and a reason
a person understands. The application builds the :class:`Actor` afresh from the stored
aggregates for every command, so a removed member or a revoked role can never act on a
stale copy.

=================  ==============================================================
module             what
=================  ==============================================================
``actor``          ``Actor``, ``Seat``, ``Grant``, ``may_read_everything``
``cases``          case steps: secretariat-only steps (R1, R3, R5), proposing
                   (R9, R11, R17), withdrawing, ``may_act_on_step``
``advice``         KG's advice (R3, R9), invited leaders' input (R13), closing
``organisation``   the register, group members (R8–R11), appointments (R4)
``meetings``       managing, seeing and taking part in meetings
``documents``      adding case documents and their versions (R1, R9, R11)
``measures``       following up measures (R18)
=================  ==============================================================

Import from the package (``from caseflow.domain.permissions import may_appoint``); the
modules are where each rule is written down.
"""

from caseflow.domain.permissions.actor import (
    SYSTEM_ACTOR,
    Actor,
    Grant,
    Seat,
    may_read_everything,
)
from caseflow.domain.permissions.advice import may_close_advice, may_give_advice
from caseflow.domain.permissions.cases import (
    SECRETARIAT_STEPS,
    may_act_on_step,
    may_propose,
    may_take_secretariat_step,
    may_withdraw,
)
from caseflow.domain.permissions.documents import may_add_document
from caseflow.domain.permissions.measures import may_follow_up_measures
from caseflow.domain.permissions.meetings import may_manage_meetings, may_see_meeting, takes_part
from caseflow.domain.permissions.organisation import (
    may_add_member,
    may_appoint,
    may_manage_organisation,
)

__all__ = [
    "SECRETARIAT_STEPS",
    "SYSTEM_ACTOR",
    "Actor",
    "Grant",
    "Seat",
    "may_act_on_step",
    "may_add_document",
    "may_add_member",
    "may_appoint",
    "may_close_advice",
    "may_follow_up_measures",
    "may_give_advice",
    "may_manage_meetings",
    "may_manage_organisation",
    "may_propose",
    "may_read_everything",
    "may_see_meeting",
    "may_take_secretariat_step",
    "may_withdraw",
    "takes_part",
]
