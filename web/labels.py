"""Display names of the domain's wire values (statuses, stances, roles, …), translated."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from caseflow import i18n as shared
from web.event_labels import event_label
from web.messages import N_

#: A case's statuses and steps: the tables the command line translates by too
#: (caseflow.i18n), as lazy labels.
STATUS = {value: _l(msgid) for value, msgid in shared.STATUS.items()}
STEP = {value: _l(msgid) for value, msgid in shared.STEP.items()}

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
    # what events record (the history's "Recorded data")
    "reference": _l("Reference"),
    "invited": _l("Invited to give input"),
    "as_invited_leader": _l("As invited group leader"),
    "number": _l("Number"),
    "year": _l("Year"),
    "case_officer_id": _l("Case officer"),
    # the fields a refusal names (translate_error shows the field by its label)
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "place": _l("Place"),
    "body": _l("Body"),
    "as_of": _l("As of"),
    "region": _l("Region"),
    "organisation": _l("Organisation"),
    "note": _l("Note"),
    "label": _l("Label"),
    "item": _l("Item"),
    "group_ids": _l("Groups"),
    "case_id": _l("Case"),
    "expires": _l("Expires"),
    "language": _l("Language"),
    "item_number": _l("Agenda item"),
    "part": _l("Part of the standing items"),
    # case documents (issue 14)
    "file": _l("File"),
    "screened": _l("Screened (not public)"),
    "legal_basis": _l("Legal basis"),
    "document_id": _l("Document"),
    "filename": _l("File name"),
    "sha256": _l("SHA-256"),
    "size": _l("Size"),
    "media_type": _l("File type"),
    # screening (issue 18)
    "public_title": _l("Public title"),
    "words": _l("Screened words"),
    "screening": _l("Screening"),
    "legal_basis_other": _l("Other legal basis"),
}

MEETING_STATUS = {
    "planned": _l("Planned"),
    "invitation_sent": _l("Invitation sent"),
    "held": _l("Held"),
    "minutes_approved": _l("Minutes approved"),
    "cancelled": _l("Cancelled"),
    "expected": _l("Expected, not scheduled"),
}

ATTACHMENT_KIND = {
    "document": _l("Document"),
    "minutes": _l("Minutes"),
    "kg_minutes": _l("KG minutes"),
    "working_group_minutes": _l("Working group minutes"),
}

#: Roles an event records that are not a seat in a group (``kg:member`` is, see
#: :func:`role_label`).
SYSTEM_ROLE = {
    "secretariat": _l("Secretariat"),
    "auditor": _l("Auditor"),
    "board": _l("Board member"),
    "admin": _l("Administrator"),
    "system": _l("Caseflow (automatic)"),
    "self": _l("Themselves"),
    "": _l("No role"),
}

#: A seat in a group (``<group>:<role>``), by the group's short name.
SEAT_ROLE = {
    "member": N_("member of %(group)s"),
    "leader": N_("leader of %(group)s"),
    "deputy": N_("deputy leader of %(group)s"),
    "observer": N_("observer in %(group)s"),
    "invited-leader": N_("leader of %(group)s, invited to KG"),
}

#: KG's seats, as people say them ("KG-medlem").
KG_SEAT_ROLE = {
    "member": _l("KG member"),
    "leader": _l("KG leader"),
    "deputy": _l("KG deputy leader"),
    "observer": _l("KG observer"),
}

#: Who acts "on behalf of" when it is neither a region nor a group.
PARTY = {
    "sekretariatet": _l("the secretariat"),
    "secretariat": _l("the secretariat"),
}

FINANCING = {
    "own": _l("Osloregionen's own"),
    "co_financed": _l("Co-financed"),
    "external": _l("Externally financed"),
}

TABLES = {
    "status": STATUS,
    "financing": FINANCING,
    "meeting_status": MEETING_STATUS,
    "attachment_kind": ATTACHMENT_KIND,
    "system_role": SYSTEM_ROLE,
    "step": STEP,
    "stance": STANCE,
    "kind": KIND,
    "focus_area": FOCUS_AREA,
    "role": ROLE,
    "group_kind": GROUP_KIND,
    "body": MEETING_BODY,
    "document": DOCUMENT_FIELDS,
    "field": FIELD,
}


def label(table: str, value: object) -> str:
    """The translated label of ``value`` in ``table``, or the value itself."""
    if value is None:
        return ""
    if table == "event":  # a case's event (web.event_labels names every event type)
        return event_label(str(value), "Case")
    found = TABLES[table].get(str(value))
    return str(found) if found is not None else str(value)


def role_label(code: str | None, groups: Mapping[str, str] | None = None) -> str:
    """An event's role in words: ``kg:member`` → "KG-medlem", ``atp:member`` → "medlem i
    ATP" (the group by its short name from ``groups``, slug → name), ``secretariat`` →
    "Sekretariatet"."""
    if code is None:
        return ""
    slug, sep, role = str(code).partition(":")
    if not sep:
        found = SYSTEM_ROLE.get(slug)
        return str(found) if found is not None else slug
    if slug == "kg" and role in KG_SEAT_ROLE:
        return str(KG_SEAT_ROLE[role])
    template = SEAT_ROLE.get(role)
    group = (groups or {}).get(slug, slug.upper() if len(slug) <= 4 else slug)
    if template is None:
        return f"{group}: {role}"
    return str(gettext(template, group=group))


def party_label(
    value: str | None,
    regions: Mapping[str, str] | None = None,
    groups: Mapping[str, str] | None = None,
) -> str:
    """Who an event was done on behalf of: a region by its name, a group by its short
    name, the secretariat in words."""
    if not value:
        return ""
    text = str(value)
    if regions and text in regions:
        return regions[text]
    if groups and text in groups:
        return groups[text]
    found = PARTY.get(text)
    return str(found) if found is not None else text
