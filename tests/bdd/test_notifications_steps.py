"""Steps of features/notifications.feature: the notifier on the scenario's store (SQLite
and PostgreSQL, tests/bdd/conftest.py) sending to a real SMTP server on loopback
(aiosmtpd, tests/notifications/smtp.py), with a clock the scenario moves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from caseflow.domain.values import SystemRole
from caseflow.notifications import Notifier, NotifyConfig, open_inbox
from caseflow.persistence import parse_database_url
from tests.bdd.conftest import STANCES, Story
from tests.notifications.smtp import SmtpServer

scenarios("notifications.feature")

p = parsers.parse


@dataclass
class Mail:
    smtp: SmtpServer
    notifier: Notifier
    at: list[datetime] = field(default_factory=lambda: [datetime.now(UTC)])
    seen: int = 0

    def to(self, key: str) -> list[EmailMessage]:
        return [r.message for r in self.smtp.recorder.to(f"{key}@test.caseflow.no")]

    @staticmethod
    def text(message: EmailMessage) -> str:
        body = message.get_body(("plain",))
        assert body is not None
        return f"{message['Subject']}\n{body.get_content()}"  # type: ignore[attr-defined]


@pytest.fixture
def mail(story: Story, store_url: str, tmp_path: Path) -> Iterator[Mail]:
    server = SmtpServer()
    server.start()
    now = [datetime.now(UTC)]
    config = NotifyConfig(
        secret_key="test-secret",
        base_url="https://caseflow.test",
        smtp_url=server.url,
        mail_from="varsel@caseflow.test",
        instance=tmp_path / "instance",
        backoff=0.0,
    )
    notifier = Notifier(story.app, parse_database_url(store_url), config, now=lambda: now[0])
    try:
        yield Mail(server, notifier, now)
    finally:
        server.stop()


def names(text: str) -> list[str]:
    return re.findall(r'"([^"]+)"', text)


# -- Given -----------------------------------------------------------------------------


@given("varsleren følger loggen og sender til en e-posttjener")
def following(mail: Mail) -> None:
    mail.notifier.run_once()  # a new notifier starts at the head: the world sends nothing
    assert mail.smtp.recorder.received == []


@given(p('at KG er bedt om råd i en sak fra "{group}" med frist om {days:d} dager'))
def advice_requested_with_deadline(story: Story, mail: Mail, group: str, days: int) -> None:
    w = story.world
    by = {"ntp": "ntp", "atp": "atp"}[group]
    case = w.drafted(group=group, by=by)
    story.case = w.app.request_advice(w["sekretariat"], case.id, date.today() + timedelta(days))
    mail.notifier.run_once()


@given(p('"{who}" har gitt rådet "{stance}"'))
def has_advised(story: Story, who: str, stance: str) -> None:
    story.app.give_advice(story.world[who], story.case.id, STANCES[stance], "Vårt råd.")


@given(p('styremedlemmet "{key}" og en innkalling sendt til styremøtet'))
def board_member_and_invitation(story: Story, mail: Mail, key: str) -> None:
    w = story.world
    w.person(key, "Siri Styremedlem", "Oslo", SystemRole.BOARD)
    w.app.add_standard_items(w["sekretariat"], w.meetings["board"])
    w.app.send_invitation(w["sekretariat"], w.meetings["board"])
    mail.notifier.run_once()


@given(p('at "{who}" har meldt seg av med lenken i en melding om råd'))
def unsubscribed(story: Story, mail: Mail, who: str) -> None:
    request_advice(story, "sekretariat", "atp")
    mail.notifier.run_once()
    message = mail.to(who)[0]
    link = re.search(r"/varsler/avmeld/([^>]+)>", str(message["List-Unsubscribe"]))
    assert link is not None
    open_inbox(mail.notifier).unsubscribe(link.group(1))
    mail.seen = len(mail.to(who))


# -- When ------------------------------------------------------------------------------


@when(p('"{who}" ber KG om råd i en sak fra "{group}"'))
def request_advice(story: Story, who: str, group: str) -> None:
    w = story.world
    case = w.drafted(group=group, by=group)
    story.case = w.app.request_advice(w[who], case.id, date.today() + timedelta(days=14))


@when("varsleren har kjørt")
def notifier_ran(mail: Mail) -> None:
    mail.seen = len(mail.smtp.recorder.received)
    mail.notifier.run_once()


@when(p("det er {days:d} dager igjen til fristen"))
def days_left(story: Story, mail: Mail, days: int) -> None:
    mail.at[0] += timedelta(days=14 - days)


@when("fristen er passert")
def deadline_passed(mail: Mail) -> None:
    mail.at[0] += timedelta(days=15)


@when(p('"{who}" sender innkallingen til KG-møtet'))
def send_kg_invitation(story: Story, who: str) -> None:
    w = story.world
    w.app.add_standard_items(w[who], w.meetings["kg"])
    w.app.send_invitation(w[who], w.meetings["kg"])


@when("en sak fremmes for styremøtet etter innkallingen og tilleggsinnkallingen sendes")
def supplementary(story: Story) -> None:
    w = story.world
    case = w.ready(title="Sen sak")
    w.app.submit_case(w["sekretariat"], case.id, w.meetings["board"])
    w.app.send_supplementary_invitation(w["sekretariat"], w.meetings["board"])


@when(p('"{who}" avviser saken med begrunnelsen "{reason}"'))
def decline(story: Story, who: str, reason: str) -> None:
    story.app.decline_case(story.world[who], story.case.id, reason)


@when(p('"{who}" legges til i gruppe "{group}"'))
def added(story: Story, who: str, group: str) -> None:
    w = story.world
    w.app.add_member(w["sekretariat"], w.groups[group], w[who])


@when(p('"{who}" fjernes fra gruppe "{group}"'))
def removed(story: Story, who: str, group: str) -> None:
    w = story.world
    w.app.remove_member(w["sekretariat"], w.groups[group], w[who], "sluttet")


# -- Then ------------------------------------------------------------------------------


@then(p("får {people} hver nøyaktig én melding som nevner sakens referanse"))
def one_each_with_reference(story: Story, mail: Mail, people: str) -> None:
    for key in names(people):
        got = mail.to(key)
        assert len(got) == 1, key
        assert story.case.reference in str(got[0]["Subject"])


@then(p('får {people} hver nøyaktig én melding som nevner "{words}"'))
def one_each_naming(mail: Mail, people: str, words: str) -> None:
    for key in names(people):
        got = [m for m in mail.to(key) if words in Mail.text(m)]
        assert len(got) == 1, key


@then(p('får "{who}" nøyaktig én melding der det står "{words}"'))
@then(p('får "{who}" nøyaktig én melding som nevner "{words}"'))
@then(p('"{who}" får nøyaktig én melding som nevner "{words}"'))
def one_with(mail: Mail, who: str, words: str) -> None:
    got = [m for m in mail.to(who) if words in Mail.text(m)]
    assert len(got) == 1


@then(p('"{who}" får ingen melding'))
def none_for(mail: Mail, who: str) -> None:
    """Nothing for ``who`` from the notifier's last run."""
    fresh = mail.smtp.recorder.received[mail.seen :]
    assert all(f"{who}@test.caseflow.no" not in r.envelope_to for r in fresh)


@then(p('får "{who}" ingen ny melding'))
def no_new(mail: Mail, who: str) -> None:
    fresh = mail.smtp.recorder.received[mail.seen :]
    assert all(f"{who}@test.caseflow.no" not in r.envelope_to for r in fresh)
    assert fresh  # the others got theirs


@then("er ingen flere meldinger sendt")
def nothing_more(mail: Mail) -> None:
    assert len(mail.smtp.recorder.received) == mail.seen


@then(p('meldingen til "{who}" nevner ikke "{words}"'))
def not_naming(mail: Mail, who: str, words: str) -> None:
    assert all(words not in Mail.text(m) for m in mail.to(who))


@then(p('meldingen til "{who}" har en kalenderfil med starttid i Europe/Oslo'))
def calendar_file(mail: Mail, who: str) -> None:
    message = mail.to(who)[0]
    files = [part for part in message.iter_attachments() if part.get_filename() == "invitation.ics"]
    assert len(files) == 1
    ics = files[0].get_content()
    text = ics.decode() if isinstance(ics, bytes) else str(ics)
    assert "DTSTART;TZID=Europe/Oslo:20991124T130000" in text  # 12:00 UTC in November
    assert "BEGIN:VTIMEZONE" in text
