"""The domain's message keys, listed so that ``pybabel extract`` puts them in the catalog
(``N_`` marks without translating). A key is the English template (``%(name)s``
placeholders); the domain passes the dynamic parts as parameters and
:func:`web.i18n.translate` looks the key up and fills them in. Nothing is matched by
pattern.

tests/web/test_i18n.py checks that every fixed message of caseflow/domain and
caseflow/application is listed here and translated to bokmål.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it."""
    return message


DOMAIN_MESSAGES = [
    N_("required"),
    N_("at most 300 characters"),
    N_("the proposal is incomplete"),
    N_("case not found"),
    N_("token not found"),
    N_("the token is already revoked"),
    N_("a token with this id already exists"),
    N_("the case officer must be on the secretariat's staff"),
    N_("every submission goes to a scheduled board meeting"),
    N_("that board meeting has already been held"),
    N_("must be a KG meeting"),
    N_("the record was changed by others several times while saving; try again"),
    N_("the case did not exist yet at that moment"),
    N_("no such attachment on this meeting"),
    N_("give a time zone"),
    N_("must be after the start, with a time zone"),
    N_("a group meeting names its group"),
    N_("only group meetings name a group"),
    N_("only joint sessions name several groups"),
    N_("opening, closing or all"),
    N_("other meetings' minutes are attached by the rules"),
    N_("meeting not found"),
    N_("required (or mark the meeting as digital)"),
    N_("cases reach a board meeting when the secretariat submits them"),
    N_("the secretariat accepts a proposal before it goes to a political body"),
    N_("a group meeting takes the group's own cases"),
    N_("measures are followed up at KG meetings"),
    N_("a valid e-mail address is required"),
    N_("invalid person"),
    N_("invalid group"),
    N_("at least 4 characters"),
    N_("draft the case document before requesting KG advice"),
    N_(
        "the case document must assess how the region's politicians should be "
        "involved before the case goes to the board"
    ),
    N_("the document is empty"),
    N_("explain the stance (required unless no comment)"),
    N_("Only the secretariat schedules meetings, keeps their agendas and sends invitations."),
    N_("KG follows up the measures tied to the strategies."),
    N_("Observers in KG read but do not follow up measures."),
    N_("the meeting has been held; its agenda is closed"),
    N_("the case is already on this meeting's agenda"),
    N_("say why the person is invited"),
    N_("the minutes are approved; the meeting's record is closed"),
    N_("minutes are attached after the meeting is held"),
    N_("a SHA-256 hex digest (64 lower-case hex digits)"),
    N_("the file is empty"),
    N_("the file has no name"),
    N_("only PDF, DOCX, ODT, TXT, PNG and JPEG files can be attached"),
    N_("no such item on this meeting's agenda"),
    N_("that file is already attached to this meeting"),
    N_("the agenda is empty; add items before inviting"),
    N_("the meeting is already marked as held"),
    # issue 14: the agenda's lifecycle
    N_("the meeting is cancelled; its agenda is closed"),
    N_("the agenda is numbered; its order is fixed"),
    N_("a place from 1 to %(count)s"),
    N_("a supplementary invitation follows the invitation"),
    N_("no supplementary item has been added since the last invitation"),
    N_("the meeting's record is closed"),
    N_("the item is already postponed or withdrawn"),
    N_("the case is not on that meeting's agenda"),
    N_("items are numbered by the invitation"),
    N_("give a place (1 = first) or a direction"),
    N_("the minutes are recorded after the meeting is held"),
    N_(
        "a later meeting's agenda is numbered already: this one's numbers "
        "will follow it (send the invitations in date order)"
    ),
    N_("a person is either present or absent"),
    N_("a meeting cannot be marked as held before it starts"),
    N_("the minutes are already approved"),
    N_("minutes are approved after the meeting is held"),
    N_("attach the minutes (referat) before approving them"),
    N_("say what changed when the status stays the same"),
    N_("a co-financed or externally financed project records its owner"),
    N_("record Osloregionen's defined role in the project"),
    N_("the person is already a member of this group"),
    N_("the leader is already invited to give input"),
    N_("leader and deputy are appointed by the group itself; add as member first"),
    N_("the person is not a member of this group"),
    N_("only leader or deputy can be appointed"),
    N_("must be own, co_financed or external"),
    N_(
        "a co-financed or externally financed project must record its "
        "owner/financier and Osloregionen's role"
    ),
    N_("Only the secretariat submits cases to the board."),
    N_("Administrative groups are advisory; only the secretariat decides what goes forward."),
    N_("Administrative groups have no decision authority; only the secretariat declines a case."),
    N_(
        "Administrative groups have no decision authority; the secretariat records the "
        "board's decision."
    ),
    N_("Administrative groups have no decision authority; the secretariat records a postponement."),
    N_("The secretariat prepares and writes the case document."),
    N_("The secretariat asks KG for advice when it prepares a case."),
    N_("Only the secretariat may waive KG's advice, with a reason."),
    N_("The secretariat finalises the case for the board."),
    N_("Advice on board cases is given by KG's members (and invited expert-group leaders)."),
    N_("Only KG's leader or deputy, or the secretariat, closes KG's advice round."),
    N_("Only the proposing group or the secretariat can withdraw a case."),
    N_("Only the secretariat maintains people, groups and the member register."),
    N_("Only the group's own members propose cases on its behalf."),
    N_("Observers follow the group's work but do not propose cases."),
    N_("Proposals of themes and speakers and political-influence initiatives come from KG."),
    N_("Observers in KG read but do not give advice."),
    N_("The group's leader gives input only when invited to the KG meeting on this case."),
    N_("KG advises the secretariat; the secretariat does not give KG advice."),
    N_("Observers do not withdraw cases."),
    N_("Only the secretariat or the group's leader or deputy adds members."),
    N_("Only the group's own members record its appointments."),
    N_("The leader and deputy are appointed from the group's own (non-observer) members."),
    N_("The group appoints its own leader and deputy; the secretariat does not."),
    N_("Observers do not take part in appointments."),
    # R4 as the group's act (issue 12 #7)
    N_(
        "A member does not appoint themselves alone: another (non-observer) member of "
        "the group records the appointment or confirms it."
    ),
    N_(
        "The confirmation comes from a second member: not the appointee, and not "
        "the member who records the appointment."
    ),
    N_("Only the group's own members confirm its appointments."),
    # caseflow/domain/text.py: what text and dates may be recorded (issue 12 #1, #3, #9)
    N_("must not contain control characters, NUL, lone surrogates or Unicode non-characters"),
    N_("must be between 1900-01-01 and 2200-12-31"),
    # keys with parameters (the domain passes the values; status and step are labelled)
    N_("“%(step)s” is not possible while the case is “%(status)s”."),
    N_("The case is “%(status)s”; no further steps are possible."),
    N_("The case is “%(status)s”."),
    N_("The record has changed (version %(current)s, you had %(expected)s); reload and try again."),
    N_("members represent the region they belong to (%(region)s)."),
    N_("must be %(region)s"),
    N_(
        "%(org)s is not a member of Osloregionen; municipalities outside Osloregionen "
        "do not take part in the groups, not even as observers."
    ),
    N_(
        "%(org)s is not a member municipality; participants from outside the member "
        "municipalities take part as observers."
    ),
    N_("group not found"),
    N_("measure not found"),
    N_("%(what)s not found"),
    N_("must be between 1 and %(n)s"),
    N_("between 1 and %(n)s days"),
    N_("No login for %(email)s."),
    N_("No person with e-mail %(email)s."),
    N_("A person with e-mail %(email)s is already registered."),
    N_("No municipality has number %(number)s."),
    N_("%(name)s already has the role %(role)s"),
    N_("%(name)s does not have the role %(role)s"),
    N_("unknown region %(region)r"),
    N_("%(number)s is already a member in %(region)s"),
    N_("%(number)s is not a member"),
    N_("only %(allowed)s files can be attached"),
    N_("unknown focus area %(value)r"),
    N_("unknown status %(value)r"),
    N_("unknown body %(value)r"),
    N_("unknown municipality %(value)r"),
    N_("no group %(id)s"),
    N_("the file is larger than %(mb)s MB"),
    N_("the invitation can only be sent while the meeting is planned (it is %(state)s)"),
    N_("the file's content is %(media_type)s; its name must end in %(expected)s"),
    N_("a group %(slug)r already exists"),
    # planning warnings and notes (R15, R16, R20): caseflow.domain.errors.Message
    N_(
        "no KG meeting prepares the board meeting of %(board)s "
        "(KG meets %(min)s–%(max)s days before)"
    ),
    N_(
        "the KG meeting of %(kg)s is %(gap)s days before the board meeting of %(board)s; "
        "KG should meet about two weeks before (%(min)s–%(max)s days)"
    ),
    N_("the invitation went out without approved KG minutes"),
    N_(
        "%(year)s has no BEST conference; plan the two-day joint gathering "
        "of the groups (felles fagsamling)"
    ),
    N_("%(year)s is a BEST conference year; the joint gathering is held in the years between"),
    N_("groups meeting physically hold a joint session"),
    # advice deadlines (issue 15): a refusal of field deadline and a warning
    N_("the deadline has passed: give today or a later day"),
    N_(
        "the advice deadline %(deadline)s is after the KG meeting of %(meeting)s that "
        "should treat the case"
    ),
    N_("%(groups)s meet physically on %(day)s; schedule their joint session"),
    # case documents (issue 14): caseflow/domain/documents.py, permissions/documents.py
    N_("only PDF, DOCX, ODT, XLSX, PNG and JPEG files can be added to a case"),
    N_("saksframlegg or vedlegg"),
    N_("a legal basis is given only for a screened document"),
    N_("at most 200 characters"),
    N_("the document is incomplete"),
    N_("The case is “%(status)s”; its documents can no longer change."),
    N_("the case already has a case document; upload a new version of it instead"),
    N_("document not found"),
    N_("Only the secretariat and the proposing group add documents to a case."),
    N_("Observers read the case's documents but do not add them."),
    N_("Once the case is ready for the board, only the secretariat changes its documents."),
    # calendar subscriptions (caseflow/application/calendars.py, issue 14)
    N_("calendar not found"),
    N_("the calendar address is already revoked"),
    N_("at most %(n)s characters"),
    # why a step does not fit the case yet, as what has to happen first (issue 15):
    # caseflow/domain/reasons.py
    N_("the case has already been accepted for preparation"),
    N_("the secretariat must first accept the case for preparation"),
    N_("the case document is final once the case is ready for the board"),
    N_("the case document can be revised again only if the board postpones the case"),
    N_("KG's advice is already requested and the round is open"),
    N_("KG's advice round is already closed or waived"),
    N_("the secretariat must first request KG's advice"),
    N_("KG's advice must be closed or waived before the case can be marked ready for the board"),
    N_("KG's advice must be closed or waived before the case can be submitted"),
    N_("the case is already ready for the board; submit it to a board meeting"),
    N_("mark the case ready for the board before submitting it"),
    N_("the case is already submitted to a board meeting"),
    N_("a postponed case is submitted to a later board meeting again"),
    N_("the case must first be submitted to a board meeting"),
    N_("the postponed case must first be submitted to a board meeting again"),
    N_("a case submitted to the board can no longer be withdrawn; the board may postpone it"),
    # marshmallow's and the web layer's own field messages
    N_("Missing data for required field."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid UUID."),
    N_("Not a valid email address."),
    N_("Unknown field."),
    N_("Field may not be null."),
    N_("Invalid input type."),
    N_("This field is required."),
    N_("Choose one of the options."),
    N_("Must be at least 1."),
    N_("Too long."),
    N_("Explain the stance (required unless no comment)."),
    # issue 17: notifications (caseflow/notifications/inbox.py)
    N_("Only the secretariat sees and retries failed messages."),
    N_("notification not found"),
    N_("unsubscribe link not found"),
    N_("failed message not found"),
    N_("unknown kind of notification"),
    N_("choose immediately, daily digest or off"),
    N_("choose nb or en"),
    # issue 18: screening (caseflow/domain/screening.py, case_screening.py,
    # meeting_screening.py) and the legal bases' descriptions
    N_("“%(word)s” is too short to screen (at least 2 characters)"),
    N_("a screened word has at most 100 characters"),
    N_("“%(word)s” does not occur in the title"),
    N_("the public title contains the screened words %(words)s"),
    N_("choose a legal basis from the list or write one"),
    N_("name the words to screen, or write the public title"),
    N_("the screening is incomplete"),
    N_("say why the screening is lifted"),
    N_("Only the secretariat screens cases, documents and agenda items, or lifts a screening."),
    N_("the case is not screened"),
    N_("the document is not screened"),
    N_("the item is not screened"),
    N_("an item for a case follows its case: screen the case instead"),
    N_("duty of confidentiality: someone's personal circumstances or a business's secrets"),
    N_("duty of confidentiality: someone's personal circumstances (e.g. a personnel matter)"),
    N_("duty of confidentiality: a business's technical or commercial secrets"),
    N_("an internal document of the council (organinternt)"),
    N_("a document obtained from outside for the internal preparation of a case"),
    N_("the council's negotiating position (an agreement, a procurement) would be harmed"),
    N_("control or regulatory measures, or tips about offences"),
    N_("appointments and promotions in the council's service (tilsettingssaker)"),
    N_("the text is public but names the screened words %(words)s"),
]
