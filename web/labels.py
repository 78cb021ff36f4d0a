"""Display names of the domain's wire values (statuses, stances, roles, …), translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {
    "proposed": _l("Proposed"),
    "under_preparation": _l("Under preparation"),
    "advice_requested": _l("Advice requested from KG"),
    "advice_closed": _l("KG advice closed"),
    "ready": _l("Ready for the board"),
    "submitted": _l("Submitted to the board"),
    "postponed": _l("Postponed"),
    "decided": _l("Decided"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}

STEP = {
    "accept": _l("Accept for preparation"),
    "decline": _l("Decline"),
    "draft": _l("Write the case document"),
    "request-advice": _l("Request KG advice"),
    "advice": _l("Give advice"),
    "close-advice": _l("Close the advice round"),
    "waive-advice": _l("Waive KG advice"),
    "ready": _l("Mark ready for the board"),
    "submit": _l("Submit to the board"),
    "decision": _l("Record the board's decision"),
    "postpone": _l("Postpone"),
    "withdraw": _l("Withdraw"),
}

STANCE = {
    "supports": _l("Supports"),
    "supports_with_changes": _l("Supports with changes"),
    "does_not_support": _l("Does not support"),
    "no_comment": _l("No comment"),
}

KIND = {
    "board_case": _l("Board case"),
    "theme_speaker": _l("Theme or speaker proposal"),
    "political_influence": _l("Political-influence initiative"),
    # case documents' kinds (issue 14)
    "saksframlegg": _l("Case document (saksframlegg)"),
    "vedlegg": _l("Attachment (vedlegg)"),
}

FOCUS_AREA = {
    "transport": _l("Transport and mobility"),
    "by-region": _l("Urban and regional development"),
    "klima": _l("Climate, environment and nature"),
    "naering": _l("Competitiveness and business development"),
}

ROLE = {
    "member": _l("Member"),
    "leader": _l("Leader"),
    "deputy": _l("Deputy leader"),
    "observer": _l("Observer"),
}

GROUP_KIND = {
    "kg": _l("Coordination group (KG)"),
    "expert": _l("Expert group"),
    "cross_cutting": _l("Cross-cutting working group"),
    "project": _l("Project"),
    "ad_hoc": _l("Ad hoc group"),
}

MEETING_BODY = {
    "board": _l("Board"),
    "kg": _l("KG"),
    "ipu": _l("Interest-policy committee"),
    "council": _l("Council of representatives"),
    "group": _l("Group"),
    "joint": _l("Joint gathering"),
}

DOCUMENT_FIELDS = {
    "background": _l("Background"),
    "assessment": _l("Assessment"),
    "proposed_resolution": _l("Proposed resolution"),
    "political_involvement": _l("Political involvement (R19)"),
}

EVENT = {
    "Proposed": _l("Proposed"),
    "Accepted": _l("Accepted for preparation"),
    "Declined": _l("Declined"),
    "Drafted": _l("Case document written"),
    "AdviceRequested": _l("KG advice requested"),
    "AdviceGiven": _l("Advice given"),
    "AdviceClosed": _l("Advice round closed"),
    "AdviceWaived": _l("KG advice waived"),
    "MarkedReady": _l("Marked ready for the board"),
    "SubmittedToBoard": _l("Submitted to the board"),
    "Decided": _l("Decision recorded"),
    "Postponed": _l("Postponed"),
    "Withdrawn": _l("Withdrawn"),
}

FIELD = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "reason": _l("Reason"),
    "background": _l("Background"),
    "assessment": _l("Assessment"),
    "proposed_resolution": _l("Proposed resolution"),
    "political_involvement": _l("Political involvement (R19)"),
    "deadline": _l("Deadline for advice"),
    "kg_meeting_id": _l("KG meeting"),
    "stance": _l("Stance"),
    "text": _l("Your advice"),
    "meeting_id": _l("Board meeting"),
    "resolution": _l("The board's resolution"),
    "case_officer": _l("Case officer"),
    "person_id": _l("Person"),
    "confirmed_by": _l("Confirmed by"),
    "role": _l("Role"),
    "email": _l("E-mail"),
    "password": _l("Password"),
    "group_id": _l("On behalf of the group"),
    "kind": _l("Kind"),
    "focus_area": _l("Focus area"),
    "status": _l("Status"),
    "case_officer_name": _l("Case officer"),
    "advice": _l("Advice"),
    "advice_deadline": _l("Deadline"),
    "advice_summary": _l("KG's summary advice"),
    "advice_waived": _l("Advice waived"),
    "board_number": _l("Board number"),
    "decline_reason": _l("Declined"),
    "withdraw_reason": _l("Withdrawn"),
    "postponements": _l("Postponed"),
    # case documents (issue 14)
    "file": _l("File"),
    "screened": _l("Screened (not public)"),
    "legal_basis": _l("Legal basis"),
    "document_id": _l("Document"),
    "filename": _l("File name"),
    "sha256": _l("SHA-256"),
    "size": _l("Size"),
    "media_type": _l("File type"),
}

TABLES = {
    "status": STATUS,
    "step": STEP,
    "stance": STANCE,
    "kind": KIND,
    "focus_area": FOCUS_AREA,
    "role": ROLE,
    "group_kind": GROUP_KIND,
    "body": MEETING_BODY,
    "document": DOCUMENT_FIELDS,
    "event": EVENT,
    "field": FIELD,
}


def label(table: str, value: object) -> str:
    """The translated label of ``value`` in ``table``, or the value itself."""
    if value is None:
        return ""
    found = TABLES[table].get(str(value))
    return str(found) if found is not None else str(value)
