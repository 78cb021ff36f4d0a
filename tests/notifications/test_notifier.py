"""The notifier against a real SMTP server on loopback, on both stores: exactly one message
per recipient and event, nothing more on a second run, failed addresses, the server down
and up again, dead letters, header injection, digests and reminders."""

from __future__ import annotations

from datetime import date, timedelta

from caseflow.domain.values import Stance
from tests.world import World


def kg_emails(world: World) -> set[str]:
    """KG's non-observer members in the test organisation, and the leader of ATP, the
    proposing expert group, invited to give input (R13)."""
    return {f"{k}@test.caseflow.no" for k in ("kg-leder", "kg", "kg2", "atp-leder")}


def test_advice_request_reaches_each_kg_member_once(world, make_notifier, smtp) -> None:
    notifier = make_notifier(smtp.url)
    notifier.run_once()  # a new notifier starts at the head: the world sends nothing
    assert smtp.recorder.received == []
    case = world.advice_requested()
    notifier.run_once()
    got = {r.envelope_to[0] for r in smtp.recorder.received}
    assert got == kg_emails(world)
    assert len(smtp.recorder.received) == 4
    for r in smtp.recorder.received:
        assert case.reference in str(r.message["Subject"])
    notifier.run_once()
    assert len(smtp.recorder.received) == 4  # a second run sends nothing more
    assert "kg-obs@test.caseflow.no" not in got  # observers give no advice (R9)

    msg = smtp.recorder.to("kg@test.caseflow.no")[0].message  # bokmål, links, unsubscribe
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Sekretariatet ber KG om råd" in text
    assert f"https://caseflow.test/cases/{case.reference}/steps/advice" in text
    assert (date.today() + timedelta(days=14)).strftime("%d.%m.%Y") in text
    assert "<a href=" in html
    assert str(msg["List-Unsubscribe"]).startswith("<https://caseflow.test/varsler/avmeld/")
    assert str(msg["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert str(msg["Message-ID"]).endswith("@caseflow.test>")


def test_from_start_replays_history(world, make_notifier, smtp) -> None:
    world.advice_requested()
    notifier = make_notifier(smtp.url)
    notifier.run_once(from_start=True)
    advice = [r for r in smtp.recorder.received if "Råd etterspurt" in str(r.message["Subject"])]
    assert len(advice) == 4


def test_bad_address_fails_alone_and_headers_cannot_be_injected(
    world, app, make_notifier, smtp
) -> None:
    smtp.recorder.refuse.add("kg2@test.caseflow.no")
    notifier = make_notifier(smtp.url)
    notifier.run_once()
    world.advice_requested(title="Innspill\r\nBcc: victim@evil.example\r\nX-Evil: 1")
    app.register_person(None, "Eva\r\nBcc: eve@evil.example", "eva@test.caseflow.no", "Oslo", ())
    app.add_member(None, world.groups["ntp"], app.find_person_id("eva@test.caseflow.no"))
    _, report = notifier.run_once()
    assert report.failed == 1  # the refused address, alone
    assert {r.envelope_to[0] for r in smtp.recorder.received} == {
        "kg-leder@test.caseflow.no",
        "kg@test.caseflow.no",
        "atp-leder@test.caseflow.no",
        "eva@test.caseflow.no",
    }
    assert notifier.run_once()[1].failed == 0  # failed is final until retried
    for r in smtp.recorder.received:
        assert "victim@evil.example" not in r.envelope_to
        assert "eve@evil.example" not in r.envelope_to
        assert r.message["Bcc"] is None
        assert r.message["X-Evil"] is None
        assert "\n" not in str(r.message["Subject"])
        assert "\n" not in str(r.message["To"])
    eva = smtp.recorder.to("eva@test.caseflow.no")[0].message
    assert str(eva["To"]) == '"Eva Bcc: eve@evil.example" <eva@test.caseflow.no>'  # one name


def test_server_down_then_up_sends_later(world, make_notifier, smtp) -> None:
    smtp.stop()
    notifier = make_notifier(smtp.url)
    notifier.run_once()
    world.advice_requested()
    _, report = notifier.run_once()
    assert report.down is not None
    assert report.sent == 0
    smtp.start()
    _, report = notifier.run_once()
    assert report.sent == 4
    assert len(set(smtp.recorder.ids())) == 4


def test_deferred_goes_dead_after_the_limit(world, make_notifier, smtp, clock) -> None:
    smtp.recorder.defer.add("kg@test.caseflow.no")
    notifier = make_notifier(smtp.url, max_attempts=3, backoff=60.0)
    notifier.run_once()
    world.advice_requested()
    reports = []
    for _ in range(4):
        reports.append(notifier.run_once()[1])
        assert notifier.run_once()[1].deferred == 0  # not before its backoff
        clock.at += timedelta(seconds=121)
    assert [r.deferred for r in reports] == [1, 1, 0, 0]
    assert [r.dead for r in reports] == [0, 0, 1, 0]
    assert len(smtp.recorder.received) == 3


def test_preferences_digest_and_off(world, make_notifier, smtp, clock) -> None:
    from caseflow.notifications import open_inbox

    notifier = make_notifier(smtp.url)
    notifier.run_once()
    inbox = open_inbox(notifier)
    inbox.choose(world["kg"].hex, {"advice_requested": "digest"})
    inbox.choose(world["kg2"].hex, {"advice_requested": "off"}, "en")
    inbox.choose(world["kg-leder"].hex, {}, "en")  # the person's language
    world.advice_requested()
    notifier.run_once()
    english = smtp.recorder.to("kg-leder@test.caseflow.no")[0].message
    assert str(english["Subject"]).startswith("Advice requested: ")
    assert "The secretariat asks KG for advice" in english.get_body(("plain",)).get_content()
    deadline = date.today() + timedelta(days=14)
    assert f"{deadline.day} {deadline:%b %Y}" in english.get_body(("plain",)).get_content()
    assert smtp.recorder.to("kg@test.caseflow.no") == []
    clock.at += timedelta(days=1)  # the next (Oslo) day: the digest
    notifier.run_once()
    notifier.run_once()
    digest = smtp.recorder.to("kg@test.caseflow.no")
    assert len(digest) == 1
    assert "Varsler fra Caseflow" in str(digest[0].message["Subject"])
    assert "Råd etterspurt" in digest[0].message.get_body(("plain",)).get_content()
    assert smtp.recorder.to("kg2@test.caseflow.no") == []  # off: never sent
    assert [n.kind for n in inbox.mine(world["kg2"].hex, "en")] == ["advice_requested"]
    assert inbox.mine(world["kg2"].hex, "en")[0].subject.startswith("Advice requested")


def test_reminder_and_overdue(world, app, make_notifier, smtp, clock) -> None:
    notifier = make_notifier(smtp.url, reminder_days=3)
    notifier.run_once()
    case = world.advice_requested()
    app.give_advice(world["kg"], case.id, Stance.SUPPORTS, "Godt.")
    notifier.run_once()
    smtp.recorder.received.clear()
    clock.at += timedelta(days=12)  # two days before the deadline
    notifier.run_once()
    notifier.run_once()
    reminded = {r.envelope_to[0] for r in smtp.recorder.received}
    assert reminded == {
        "kg-leder@test.caseflow.no",
        "kg2@test.caseflow.no",
        "atp-leder@test.caseflow.no",
    }
    smtp.recorder.received.clear()
    clock.at += timedelta(days=3)  # the deadline has passed
    notifier.run_once()
    notifier.run_once()
    staff = {r.envelope_to[0] for r in smtp.recorder.received}
    assert staff == {"sekretariat@test.caseflow.no", "sekretariat2@test.caseflow.no"}
    text = smtp.recorder.received[0].message.get_body(("plain",)).get_content()
    assert "Asker og Bærum regionråd" in text  # kg2 has not answered
    assert "Folloregionen" not in text  # kg (Ås) answered
