"""Varsler (issue 17): my notifications with read/unread (``/varsler``), what I want sent
and how (``/varsler/innstillinger``: immediately / daily digest / off per kind, and my
language), the one-click unsubscribe of every message (``/varsler/avmeld/<token>``: GET
asks, POST applies — CSRF-exempt, the signed token is the authentication, RFC 8058), and
for the secretariat the messages that failed or went dead, to retry. The same calls as
``caseflow notify`` and the JSON API (``web/api_notifications.py``); permission is checked
in :class:`caseflow.notifications.Inbox`."""

from __future__ import annotations

import logging
from typing import Any, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from caseflow.domain.errors import CaseflowError, NotFoundError
from caseflow.notifications import KINDS, Inbox, Notifier, open_inbox
from web.context import actor, is_secretariat, user_id
from web.forms import domain_form_errors

log = logging.getLogger(__name__)

bp = Blueprint("notifications", __name__)

#: Each kind of message by what a person reads.
KIND_LABELS = {
    "advice_requested": _l("KG advice requested"),
    "advice_reminder": _l("Reminder before an advice deadline"),
    "advice_overdue": _l("Advice deadline passed (secretariat)"),
    "invitation": _l("Meeting invitations and supplementary invitations"),
    "case_outcome": _l("A case from my group decided, postponed, declined or withdrawn"),
    "membership": _l("My memberships added or ended"),
    "digest": _l("Daily digest"),
}
MODE_LABELS = {
    "immediately": _l("Immediately"),
    "digest": _l("Daily digest"),
    "off": _l("Off"),
}
STATE_LABELS = {
    "pending": _l("Waiting to be sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "dead": _l("Given up"),
    "digest": _l("Waiting for the daily digest"),
    "digested": _l("In a daily digest"),
    "off": _l("Not sent (off)"),
}
LANGUAGE_LABELS = {"nb": _l("Norwegian (bokmål)"), "en": _l("English")}


def notifier() -> Notifier:
    return cast(Notifier, current_app.extensions["caseflow_notifier"])


def inbox() -> Inbox:
    return open_inbox(notifier())


def reader_language() -> str:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "nb"


def decide_now() -> None:
    """The list is current with the log (what the background notifier has not yet seen).
    Only once a notifier has run: the first run learns who is who from the whole log, which
    is ``caseflow notify``'s (or the serve thread's) work, not a page's."""
    try:
        if notifier().started():
            notifier().decide()
    except Exception:  # the list is still worth showing
        log.exception("the notifier could not decide")


@bp.app_context_processor
def unread_notifications() -> dict[str, Any]:
    def count() -> int:
        """My unread notifications (one query per page, asked once)."""
        if "unread_notifications" not in g:
            try:
                g.unread_notifications = inbox().unread(user_id().hex)
            except Exception:  # not logged in, or the table is out of reach
                g.unread_notifications = 0
        return int(g.unread_notifications)

    return {"unread_notifications": count}


@bp.route("/varsler")
@login_required
def index() -> ResponseReturnValue:
    decide_now()
    person = user_id().hex
    lang = reader_language()
    notes = inbox().mine(person, lang)
    problems = inbox().problems(actor(), lang) if is_secretariat() else []
    return render_template(
        "notifications/index.html",
        notes=notes,
        problems=problems,
        kinds=KIND_LABELS,
        states=STATE_LABELS,
    )


@bp.route("/varsler/<note_id>")
@login_required
def show(note_id: str) -> ResponseReturnValue:
    person = user_id().hex
    try:
        note = inbox().note(person, note_id, reader_language())
    except NotFoundError:
        abort(404)
    inbox().mark_read(person, [note_id])
    n = notifier()
    envelope = n.envelope(
        note.id, note.kind, person, note.email, note.person_name, reader_language(), _params(note)
    )
    return render_template(
        "notifications/show.html",
        note=note,
        text=envelope.rendered.text,
        kinds=KIND_LABELS,
        states=STATE_LABELS,
    )


def _params(note: Any) -> str:
    import json

    return json.dumps(note.params)


@bp.route("/varsler/lest", methods=["POST"])
@login_required
def mark_read() -> ResponseReturnValue:
    ids = request.form.getlist("id") or None
    inbox().mark_read(user_id().hex, ids)
    return redirect(url_for("notifications.index"))


@bp.route("/varsler/<note_id>/prov-igjen", methods=["POST"])
@login_required
def retry(note_id: str) -> ResponseReturnValue:
    try:
        inbox().retry(actor(), note_id)
    except CaseflowError as e:
        if e.status == 404:
            abort(404)
        abort(403)
    flash(_("The message will be sent again."), "info")
    return redirect(url_for("notifications.index"))


def _settings_page(
    form: dict[str, str], errors: dict[str, list[str]] | None = None, status: int = 200
) -> ResponseReturnValue:
    modes = [(m, str(label)) for m, label in MODE_LABELS.items()]
    languages = [(code, str(label)) for code, label in LANGUAGE_LABELS.items()]
    return (
        render_template(
            "notifications/settings.html",
            form=form,
            errors=errors or {},
            kinds=[(k, KIND_LABELS[k]) for k in KINDS],
            modes=modes,
            languages=languages,
        ),
        status,
    )


@bp.route("/varsler/innstillinger", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    person = user_id().hex
    if request.method == "GET":
        modes, lang = inbox().preferences(person)
        return _settings_page({**modes, "language": lang})
    form = {k: request.form.get(k, "") for k in (*KINDS, "language")}
    try:
        inbox().choose(person, {k: form[k] for k in KINDS if form[k]}, form["language"] or None)
    except CaseflowError as e:
        return _settings_page(form, domain_form_errors(e), 422)
    flash(_("Your notification settings are saved."), "info")
    return redirect(url_for("notifications.settings"))


@bp.route("/varsler/avmeld/<token>", methods=["GET"])
def unsubscribe(token: str) -> ResponseReturnValue:
    try:
        kind = inbox().token(token)[1]
    except NotFoundError:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    label = _("every kind of message") if kind == "*" else KIND_LABELS.get(kind, kind)
    return render_template("notifications/unsubscribe.html", token=token, what=label)


@bp.route("/varsler/avmeld/<token>", methods=["POST"])
def unsubscribe_apply(token: str) -> ResponseReturnValue:
    try:
        kind = inbox().unsubscribe(token)[1]
    except NotFoundError:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    label = _("every kind of message") if kind == "*" else KIND_LABELS.get(kind, kind)
    return render_template("notifications/unsubscribe.html", done=True, what=label)
