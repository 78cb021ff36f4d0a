"""Times as people read them (issue 14): stored in UTC, shown in ``CASEFLOW_TIMEZONE``
(Europe/Oslo) with daylight saving — a December meeting (CET, +01:00) and a June one
(CEST, +02:00), both at 12:00 in Oslo, on the meeting page, in the calendar feed, in the
audit trail's CSV and JSON exports and in `caseflow history` — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from caseflow.cli import main
from caseflow.domain import clock, localtime
from caseflow.domain.base import SYSTEM
from caseflow.domain.values import MeetingBody
from tests.web.conftest import Site

DECEMBER = datetime(2026, 12, 8, 11, 0, tzinfo=UTC)  # 12:00 in Oslo (+01:00)
JUNE = datetime(2027, 6, 9, 10, 0, tzinfo=UTC)  # 12:00 in Oslo (+02:00)


@pytest.fixture
def oslo() -> Iterator[None]:
    """The zone as a composition root chooses it, restored afterwards."""
    before = localtime.zone()
    localtime.use_zone("Europe/Oslo")
    yield
    localtime.use_zone(before)


def test_the_helper_moves_utc_to_oslo_with_daylight_saving(oslo: None) -> None:
    assert localtime.local_iso(DECEMBER) == "2026-12-08T12:00:00+01:00"
    assert localtime.local_iso(JUNE) == "2027-06-09T12:00:00+02:00"
    assert localtime.local_iso(datetime(2026, 12, 8, 11, 0)) == "2026-12-08T12:00:00+01:00"
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert localtime.local_date(new_year) == date(2027, 1, 1)  # not the UTC day
    assert localtime.local_text(JUNE) == "09.06.2027 12:00"
    assert localtime.to_local(datetime(9999, 12, 31, 23, 59, tzinfo=UTC)).year == 9999
    with pytest.raises(ValueError, match="CASEFLOW_TIMEZONE"):
        localtime.use_zone("Europe/Nowhere")
    assert localtime.zone_from_environ({}) == ZoneInfo("Europe/Oslo")
    localtime.use_zone("America/New_York")
    assert localtime.local_iso(DECEMBER) == "2026-12-08T06:00:00-05:00"


def meetings(site: Site) -> tuple[str, str]:
    app = site.app
    december = app.schedule_meeting(SYSTEM, MeetingBody.BOARD, DECEMBER, title="Desembermøtet")
    june = app.schedule_meeting(SYSTEM, MeetingBody.BOARD, JUNE, title="Junimøtet")
    return str(december.id), str(june.id)


def test_pages_and_the_calendar_show_oslo_time(site: Site) -> None:
    december, june = meetings(site)
    sek = site.client("sekretariat")
    sek.post("/language", {"lang": "nb", "next": "/"})
    for meeting, day, utc_hour in (
        (december, "08.12.2026", "11:00"),
        (june, "09.06.2027", "10:00"),
    ):
        page = sek.get(f"/meetings/{meeting}").get_data(True)
        when = re.search(r"<dd>([^<]*" + re.escape(day) + r"[^<]*)</dd>", page)
        assert when, page[:2000]
        assert "12:00" in when.group(1)
        assert utc_hour not in when.group(1)
        assert "UTC" not in when.group(1)

    feed = sek.get("/meetings/calendar/board.ics").data
    assert b"DTSTART;TZID=Europe/Oslo:20261208T120000" in feed
    assert b"DTSTART;TZID=Europe/Oslo:20270609T120000" in feed
    assert b"BEGIN:VTIMEZONE" in feed
    assert b"TZID:Europe/Oslo" in feed
    starts = {
        str(e["SUMMARY"]): e.decoded("DTSTART") for e in Calendar.from_ical(feed).walk("VEVENT")
    }
    assert starts["Desembermøtet"] == DECEMBER  # the same instant, whatever the client's zone
    assert starts["Junimøtet"] == JUNE
    assert starts["Junimøtet"].utcoffset().total_seconds() == 7200


def test_exports_and_the_command_line_give_local_time_with_its_offset(site: Site) -> None:
    with clock.frozen_at(lambda: DECEMBER):
        winter = site.world.proposed(title="Vintersak")
    with clock.frozen_at(lambda: JUNE):
        summer = site.world.proposed(title="Sommersak")
    revisor = site.client("revisor")
    for case, expected in (
        (winter, "2026-12-08T12:00:00+01:00"),
        (summer, "2027-06-09T12:00:00+02:00"),
    ):
        rows = list(
            csv.DictReader(
                io.StringIO(revisor.get(f"/audit/export.csv?case={case.reference}").get_data(True))
            )
        )
        assert rows
        assert {r["time"] for r in rows} == {expected}
        data = revisor.get(f"/audit/export.json?case={case.reference}").get_json()
        assert {e["time"] for e in data["events"]} == {expected}
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d", data["exported_at"]
        )

        url = site.flask.config["DATABASE_URL"]
        exported = CliRunner().invoke(
            main, ["--database-url", url, "audit", "export", "--format", "csv"]
        )
        assert exported.exit_code == 0, exported.output
        assert f",{expected}," in exported.stdout  # `caseflow audit export` too
        shown = CliRunner().invoke(main, ["--database-url", url, "history", case.reference])
        assert shown.exit_code == 0, shown.output
        assert expected in shown.output
        # a moment without an offset is Oslo time: a minute before 12:00 in Oslo the case
        # did not exist yet (read as UTC, 11:59 would be after the event)
        before = expected[:11] + "11:59:00"
        early = CliRunner().invoke(
            main, ["--database-url", url, "history", case.reference, "--as-of", before]
        )
        assert early.exit_code == 1, early.output
        at_noon = CliRunner().invoke(
            main, ["--database-url", url, "history", case.reference, "--as-of", expected[:19]]
        )
        assert at_noon.exit_code == 0, at_noon.output


def test_the_yearly_plan_reads_days_in_oslo(site: Site) -> None:
    """R20: two groups meeting physically on the same Oslo day (one at 00:30, which is
    the day before in UTC) are expected to hold a joint session that day."""
    app, w = site.app, site.world
    late = datetime(2027, 6, 9, 22, 30, tzinfo=UTC)  # 10.06.2027 00:30 in Oslo
    morning = datetime(2027, 6, 10, 8, 0, tzinfo=UTC)  # 10.06.2027 10:00 in Oslo
    app.schedule_meeting(SYSTEM, MeetingBody.GROUP, late, group_id=w.groups["atp"])
    app.schedule_meeting(SYSTEM, MeetingBody.GROUP, morning, group_id=w.groups["ntp"])
    plan = app.yearly_plan(2027)
    expected = [s for s in plan.joint_sessions if s.status == "expected"]
    assert len(expected) == 1
    assert any(m.params.get("day") == "10.06.2027" for m in plan.warnings if m.rule == "R20")


def test_a_meeting_after_midnight_in_oslo_is_dated_that_day(site: Site) -> None:
    """00:30 on 8 December in Oslo is 23:30 UTC on the 7th: the title, the label and the
    audit trail's summary say 08.12.2026."""
    late = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    view = site.app.schedule_meeting(SYSTEM, MeetingBody.BOARD, late)
    assert view.title.endswith("08.12.2026")
    assert view.label.endswith("(08.12.2026)")
    page = site.client("revisor").get("/audit?type=Scheduled").get_data(True)
    assert "08.12.2026" in page
    assert "07.12.2026" not in page


def test_a_time_typed_into_a_form_is_oslo_time(site: Site) -> None:
    """The schedule form's datetime-local has no offset: 12:00 typed is 12:00 in Oslo,
    stored as 11:00 UTC in December and 10:00 UTC in June."""
    sek = site.client("sekretariat")
    for typed, stored in (
        ("2026-12-15T12:00", DECEMBER.replace(day=15)),
        ("2027-06-16T12:00", JUNE.replace(day=16)),
    ):
        answer = sek.post("/meetings/", {"body": "ipu", "starts_at": typed, "place": "Oslo rådhus"})
        assert answer.status_code in (302, 303), answer.get_data(True)[:500]
        found = [m for m in site.app.list_meetings(body="ipu") if m.starts_at == stored]
        assert found, [m.starts_at for m in site.app.list_meetings(body="ipu")]


def test_a_zone_that_does_not_exist_is_refused_at_start(oslo: None, tmp_path) -> None:
    from web import create_app

    bad = {"CASEFLOW_TIMEZONE": "Mars/Olympus"}
    answer = CliRunner().invoke(main, ["users", "calendars", "x@test.caseflow.no"], env=bad)
    assert answer.exit_code == 2
    assert "CASEFLOW_TIMEZONE" in answer.output
    with pytest.raises(ValueError, match="Mars/Olympus"):
        create_app({"TIMEZONE": "Mars/Olympus", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert localtime.zone_name() == "Europe/Oslo"  # nothing changed


def test_the_audit_trails_days_are_oslo_days(site: Site) -> None:
    """since/until of the trail's form are whole days in Oslo: an event at 00:30 on
    8 December in Oslo (23:30 UTC on the 7th) is on the 8th."""
    with clock.frozen_at(lambda: datetime(2026, 12, 7, 23, 30, tzinfo=UTC)):
        case = site.world.proposed(title="Sak ved midnatt")
    revisor = site.client("revisor")

    def found(query: str) -> bool:
        rows = revisor.get(f"/audit/export.csv?case={case.reference}&{query}").get_data(True)
        return len(rows.strip().splitlines()) > 1

    assert found("since=2026-12-08")
    assert found("until=2026-12-08")
    assert not found("until=2026-12-07")
    assert not found("since=2026-12-09")
