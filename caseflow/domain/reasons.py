"""Why a step does not fit a case's state, said as what has to happen first (issue 15):
"KG's advice must be closed or waived before the case can be submitted", not "“Submit”
is not possible while the case is “Under preparation”".

:func:`why_not` gives the message key for a step and a status that
:data:`caseflow.domain.case.ALLOWED_FROM` does not allow; the case's state guard raises
it as :class:`~caseflow.domain.errors.InvalidTransition`. The keys are English
templates, translated by key (web/messages.py lists them; the CLI and the web pages
translate them alike).
"""

from __future__ import annotations

from caseflow.domain.values import CaseStatus, Step

S = CaseStatus

ALREADY_ACCEPTED = "the case has already been accepted for preparation"
ACCEPT_FIRST = "the secretariat must first accept the case for preparation"
DOCUMENT_FINAL = "the case document is final once the case is ready for the board"
DOCUMENT_SUBMITTED = "the case document can be revised again only if the board postpones the case"
ADVICE_OPEN = "KG's advice is already requested and the round is open"
ADVICE_OVER = "KG's advice round is already closed or waived"
REQUEST_FIRST = "the secretariat must first request KG's advice"
CLOSE_BEFORE_READY = (
    "KG's advice must be closed or waived before the case can be marked ready for the board"
)
CLOSE_BEFORE_SUBMIT = "KG's advice must be closed or waived before the case can be submitted"
ALREADY_READY = "the case is already ready for the board; submit it to a board meeting"
READY_FIRST = "mark the case ready for the board before submitting it"
ALREADY_SUBMITTED = "the case is already submitted to a board meeting"
RESUBMIT = "a postponed case is submitted to a later board meeting again"
SUBMIT_FIRST = "the case must first be submitted to a board meeting"
RESUBMIT_FIRST = "the postponed case must first be submitted to a board meeting again"
NO_WITHDRAWAL = (
    "a case submitted to the board can no longer be withdrawn; the board may postpone it"
)

#: Every key :func:`why_not` gives (listed for the catalogs in web/messages.py).
KEYS = (
    ALREADY_ACCEPTED,
    ACCEPT_FIRST,
    DOCUMENT_FINAL,
    DOCUMENT_SUBMITTED,
    ADVICE_OPEN,
    ADVICE_OVER,
    REQUEST_FIRST,
    CLOSE_BEFORE_READY,
    CLOSE_BEFORE_SUBMIT,
    ALREADY_READY,
    READY_FIRST,
    ALREADY_SUBMITTED,
    RESUBMIT,
    SUBMIT_FIRST,
    RESUBMIT_FIRST,
    NO_WITHDRAWAL,
)

_BEFORE_ADVICE = (S.UNDER_PREPARATION, S.ADVICE_REQUESTED)
_AFTER_ADVICE = (S.ADVICE_CLOSED, S.READY, S.SUBMITTED, S.POSTPONED)

#: (step, status) → what has to happen first. Statuses a step is allowed from, and the
#: final statuses (no step at all), are not here.
_REASONS: dict[tuple[Step, CaseStatus], str] = {
    **{(st, s): ALREADY_ACCEPTED for st in (Step.ACCEPT, Step.DECLINE) for s in S},
    **{
        (st, S.PROPOSED): ACCEPT_FIRST
        for st in (
            Step.DRAFT,
            Step.REQUEST_ADVICE,
            Step.ADVICE,
            Step.CLOSE_ADVICE,
            Step.WAIVE_ADVICE,
            Step.READY,
            Step.SUBMIT,
            Step.DECISION,
            Step.POSTPONE,
        )
    },
    (Step.DRAFT, S.READY): DOCUMENT_FINAL,
    (Step.DRAFT, S.SUBMITTED): DOCUMENT_SUBMITTED,
    (Step.REQUEST_ADVICE, S.ADVICE_REQUESTED): ADVICE_OPEN,
    **{(Step.REQUEST_ADVICE, s): ADVICE_OVER for s in _AFTER_ADVICE},
    **{(Step.WAIVE_ADVICE, s): ADVICE_OVER for s in _AFTER_ADVICE},
    **{(st, S.UNDER_PREPARATION): REQUEST_FIRST for st in (Step.ADVICE, Step.CLOSE_ADVICE)},
    **{(st, s): ADVICE_OVER for st in (Step.ADVICE, Step.CLOSE_ADVICE) for s in _AFTER_ADVICE},
    **{(Step.READY, s): CLOSE_BEFORE_READY for s in _BEFORE_ADVICE},
    (Step.READY, S.READY): ALREADY_READY,
    (Step.READY, S.SUBMITTED): ALREADY_SUBMITTED,
    (Step.READY, S.POSTPONED): RESUBMIT,
    **{(Step.SUBMIT, s): CLOSE_BEFORE_SUBMIT for s in _BEFORE_ADVICE},
    (Step.SUBMIT, S.ADVICE_CLOSED): READY_FIRST,
    (Step.SUBMIT, S.SUBMITTED): ALREADY_SUBMITTED,
    **{
        (st, s): SUBMIT_FIRST
        for st in (Step.DECISION, Step.POSTPONE)
        for s in (S.UNDER_PREPARATION, S.ADVICE_REQUESTED, S.ADVICE_CLOSED, S.READY)
    },
    **{(st, S.POSTPONED): RESUBMIT_FIRST for st in (Step.DECISION, Step.POSTPONE)},
    **{(Step.WITHDRAW, s): NO_WITHDRAWAL for s in (S.SUBMITTED, S.POSTPONED)},
}


def why_not(step: Step, status: CaseStatus) -> str | None:
    """What has to happen before ``step`` fits a case in ``status`` (a message key), or
    None when this module has no better words than the state itself."""
    return _REASONS.get((step, status))
