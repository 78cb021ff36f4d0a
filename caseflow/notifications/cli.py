"""``caseflow notify [--once] [--from-start] [--status]`` (registered by caseflow.cli), the
hook that makes ``caseflow project`` run the notifier on every loop, and the background
thread ``caseflow serve`` starts on SQLite."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from caseflow.notifications.config import NotifyConfig
from caseflow.notifications.inbox import Inbox
from caseflow.notifications.notifier import Notifier, SendReport

if TYPE_CHECKING:
    from caseflow.application import Caseflow
    from caseflow.persistence import StoreSettings

log = logging.getLogger(__name__)


def _line(read: int, report: SendReport) -> str:
    text = (
        f"{read} events read; {report.sent} sent, {report.failed} failed, "
        f"{report.deferred} deferred, {report.dead} dead"
    )
    if report.down:
        text += f"; the mail server is out of reach ({report.down}): tried again later"
    return text


@click.group(invoke_without_command=True)
@click.option("--once", is_flag=True, help="Decide and send what is due, then exit")
@click.option(
    "--from-start",
    is_flag=True,
    help="A new notifier sends for the whole log, not only for events from now on",
)
@click.option("--poll", default=5.0, show_default=True, type=float, help="Seconds between turns")
@click.option("--status", is_flag=True, help="Print how many messages are in each state")
@click.pass_context
def notify(
    click_ctx: click.Context, once: bool, from_start: bool, poll: float, status: bool
) -> None:
    """Send the notifications that are due, each exactly once (CASEFLOW_SMTP_URL; unset:
    .eml files in instance/outbox/). A new notifier starts at the log's head. Subcommands:
    what a person got (list), their choices (choose), failed messages (failed, retry)."""
    if click_ctx.invoked_subcommand is not None:
        return
    notifier = _notifier(click_ctx.obj)
    if status:
        counts = Inbox(notifier.view, notifier.config.secret_key).counts()
        for state in ("pending", "sent", "digest", "failed", "dead", "off", "digested"):
            click.echo(f"{state}: {counts.get(state, 0)}")
        click.echo(f"position: {notifier.position() or 0}")
        return
    if from_start and notifier.position():
        click.echo(
            f"caseflow notify: --from-start ignored: already following the log "
            f"(position {notifier.position()})",
            err=True,
        )
    if once:
        read, report = notifier.run_once(from_start)
        click.echo(_line(read, report))
        if report.down:
            sys.exit(1)
        return
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    loop(notifier, stop, poll, from_start=from_start, report=lambda s: click.echo(s, err=True))


def _notifier(ctx: Any) -> Notifier:
    return Notifier(ctx.app, ctx.settings, NotifyConfig.from_environ(os.environ))


def _inbox(ctx: Any) -> Inbox:
    notifier = _notifier(ctx)
    return Inbox(notifier.view, notifier.config.secret_key)


@notify.command("list")
@click.argument("email")
@click.pass_obj
def notify_list(ctx: Any, email: str) -> None:
    """The person's notifications, newest first (as under Varsler)."""
    lang = "en" if (os.environ.get("CASEFLOW_LANGUAGE") or "nb").startswith("en") else "nb"
    person = ctx.app.find_person_id(email).hex
    for note in _inbox(ctx).mine(person, lang):
        read = " " if note.read else "*"
        click.echo(f"{read} {note.id[:12]} {note.state:9} {note.subject}")


@notify.command("read")
@click.argument("email")
@click.argument("ids", nargs=-1, metavar="[ID…]")
@click.pass_obj
def notify_read(ctx: Any, email: str, ids: tuple[str, ...]) -> None:
    """Mark the person's notifications read (as under Varsler): those whose id begins
    with one of IDS (as ``list`` prints them), or all when none is given."""
    lang = "en" if (os.environ.get("CASEFLOW_LANGUAGE") or "nb").startswith("en") else "nb"
    person = ctx.app.find_person_id(email).hex
    inbox = _inbox(ctx)
    chosen: list[str] | None = None
    if ids:
        chosen = [n.id for n in inbox.mine(person, lang) if n.id.startswith(ids)]
        if not chosen:
            raise click.BadParameter("no notification of this person has that id", param_hint="ID")
    click.echo(f"{inbox.mark_read(person, chosen)} marked read")


@notify.command("choose")
@click.argument("email")
@click.argument("choices", nargs=-1, metavar="KIND=MODE…")
@click.option("--language", type=click.Choice(["nb", "en"]), default=None)
@click.pass_obj
def notify_choose(ctx: Any, email: str, choices: tuple[str, ...], language: str | None) -> None:
    """Set what the person gets: KIND=immediately|digest|off (kinds: advice_requested,
    advice_reminder, advice_overdue, invitation, case_outcome, membership)."""
    modes = dict(c.split("=", 1) for c in choices if "=" in c)
    if len(modes) != len(choices):
        raise click.BadParameter("write KIND=MODE", param_hint="KIND=MODE")
    inbox = _inbox(ctx)
    person = ctx.app.find_person_id(email).hex
    inbox.choose(person, modes, language)
    chosen, lang = inbox.preferences(person)
    click.echo(", ".join(f"{k}={m}" for k, m in chosen.items()) + f"; language {lang}")


@notify.command("failed")
@click.option("--as", "as_email", required=True, help="E-mail of the secretariat member")
@click.pass_obj
def notify_failed(ctx: Any, as_email: str) -> None:
    """Messages that failed or went dead (the secretariat)."""
    actor = ctx.app.actor(ctx.app.find_person_id(as_email))
    for note in _inbox(ctx).problems(actor, "nb"):
        click.echo(f"{note.id} {note.state} {note.email} {note.attempts} {note.last_error or ''}")


@notify.command("retry")
@click.argument("message_id")
@click.option("--as", "as_email", required=True, help="E-mail of the secretariat member")
@click.pass_obj
def notify_retry(ctx: Any, message_id: str, as_email: str) -> None:
    """Send a failed or dead message again (the secretariat)."""
    actor = ctx.app.actor(ctx.app.find_person_id(as_email))
    _inbox(ctx).retry(actor, message_id)
    click.echo(f"{message_id}: pending again")


def loop(
    notifier: Notifier,
    stop: threading.Event,
    poll: float,
    *,
    from_start: bool = False,
    report: Callable[[str], None] = log.info,
) -> None:
    """Turn after turn until ``stop``: decide, send, wait ``poll`` seconds. A failure is
    reported and tried again on the next turn (the store or the server may be back)."""
    while not stop.is_set():
        try:
            read, sent = notifier.run_once(from_start)
            if read or sent.sent or sent.failed or sent.dead or sent.down:
                report(f"caseflow notify: {_line(read, sent)}")
        except Exception as e:
            report(f"caseflow notify: failed ({type(e).__name__}: {e}); trying again")
            log.debug("notifier failure", exc_info=True)
        stop.wait(poll)


def project_hook() -> Callable[[Caseflow, StoreSettings], None]:
    """``caseflow project``'s loop runs the notifier too (one per opened application)."""
    notifiers: dict[int, Notifier] = {}

    def hook(app: Caseflow, settings: StoreSettings) -> None:
        try:
            notifier = notifiers.get(id(app))
            if notifier is None or notifier.app is not app:
                notifiers.clear()
                config = NotifyConfig.from_environ(os.environ)
                notifier = notifiers[id(app)] = Notifier(app, settings, config)
            notifier.run_once()
        except Exception as e:
            log.error("the notifier failed: %s: %s", type(e).__name__, e)

    return hook


class Background(threading.Thread):
    """The notifier's loop in a daemon thread; ``stop()`` ends it after the current turn."""

    def __init__(self, notifier: Notifier, poll: float) -> None:
        super().__init__(name="caseflow-notifier", daemon=True)
        self.notifier = notifier
        self.poll = poll
        self.stopping = threading.Event()

    def run(self) -> None:
        loop(self.notifier, self.stopping, self.poll)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


def background(notifier: Notifier, poll: float = 5.0) -> Background:
    """The notifier in a daemon thread of this process (``caseflow serve`` on SQLite)."""
    thread = Background(notifier, poll)
    thread.start()
    return thread


def beside_server(notifier: Notifier | None, poll: float = 5.0) -> Background | None:
    """``caseflow serve`` on SQLite: the notifier in a thread of the server's process
    (PostgreSQL deployments run ``caseflow notify`` or ``caseflow project``)."""
    if notifier is None or notifier.dialect != "sqlite":
        return None
    return background(notifier, poll)


#: Commands added to the top-level `caseflow` group.
commands: list[click.Command] = [notify]


def _join_the_projection_loop() -> None:
    """``caseflow project``'s loop runs the notifier too: registered once, when caseflow.cli
    imports this module to add ``caseflow notify``."""
    from caseflow.readmodels.runner import LOADED_HOOKS, LOOP_HOOKS

    if not any(getattr(h, "notifier_hook", False) for h in LOOP_HOOKS):
        hook = project_hook()
        hook.notifier_hook = True  # type: ignore[attr-defined]
        LOOP_HOOKS.append(hook)
    if start_here not in LOADED_HOOKS:
        LOADED_HOOKS.append(start_here)


def start_here(app: Caseflow, settings: StoreSettings) -> None:
    """A store just loaded (``caseflow demo``): the notifier starts at its head, so that
    the loaded history sends nothing and the first step after it is notified even when
    no notifier ran before (a notifier that has started keeps its position)."""
    Notifier(app, settings, NotifyConfig.from_environ(os.environ)).start_at()


_join_the_projection_loop()
