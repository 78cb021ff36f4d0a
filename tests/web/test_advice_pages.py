"""The pages a KG member and the secretariat read every day (issue 15): the advice list
says whether I (or my region) answered and how many days are left; the case page shows
advice per region and names the regions that have not answered; the close-advice form
shows the advice received; the case-officer picker starts at the acting secretariat
user; an advice deadline in the past is refused at every door and one after the KG
meeting is accepted with a warning. On both stores."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from click.testing import CliRunner

from caseflow.cli import main
from caseflow.domain import clock
from caseflow.domain.values import Stance
from tests.web.conftest import Site, email

ADVICE_TEXT = "Første linje\nAndre linje <b>fet</b>"


def _main(html: str) -> str:
    return html.split('<main id="main">', 1)[1].split("</main>", 1)[0]


def _row(html: str, reference: str) -> str:
    for row in re.findall(r"<tr[^>]*>.*?</tr>", _main(html), flags=re.S):
        if reference in row:
            return re.sub(r"\s+", " ", row)
    raise AssertionError(f"no row for {reference}")


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_advice_list_says_whether_i_answered_and_the_days_left(fresh: Site) -> None:
    app, w = fresh.app, fresh.world
    case = fresh.cases["advice"]  # deadline in 14 days
    kg = fresh.client("kg")
    before = _row(kg.get("/advice/").get_data(as_text=True), case.reference)
    assert "Not answered" in before
    assert "14 days left" in before
    assert "0 of 3 regions" in before
    assert "Give advice" in before

    app.give_advice(w["kg"], case.id, Stance.SUPPORTS, "Godt innspill.")
    after = _row(kg.get("/advice/").get_data(as_text=True), case.reference)
    assert "Answered" in after
    assert "Not answered" not in after
    assert "Supports" in after
    assert "Revise your advice" in after
    assert "on behalf of Folloregionen" in after  # the region by its name
    assert "1 of 3 regions" in after

    leader = _row(fresh.client("kg-leder").get("/advice/").get_data(as_text=True), case.reference)
    assert "Not answered" in leader  # Oslo has not answered

    # a second KG member for Follo (R8) sees that the region has answered, and by whom
    w.member("kg", "atp")
    other = _row(fresh.client("atp").get("/advice/").get_data(as_text=True), case.reference)
    assert "Your region has answered" in other
    assert "answered by Knut Kommune" in other
    assert "Give advice" in other  # they may still give their own


def test_advice_list_in_bokmal_counts_days_overdue(fresh: Site) -> None:
    app, w = fresh.app, fresh.world
    with clock.frozen_at(lambda: datetime.now(UTC) - timedelta(days=7)):  # asked a week ago
        late = w.drafted(title="Sen sak")
        app.request_advice(w["sekretariat"], late.id, clock.now().date() + timedelta(days=4))
    kg = fresh.client("kg")
    kg.post("/language", {"lang": "nb", "next": "/advice/"})
    row = _row(kg.get("/advice/").get_data(as_text=True), late.reference)
    assert re.search(r"[23] dager over fristen", row), row  # 3 days (2 just after midnight)
    assert "Ikke besvart" in row
    assert 'class="late' in row


def test_case_page_and_close_form_show_advice_per_region_and_who_is_missing(
    fresh: Site,
) -> None:
    app, w = fresh.app, fresh.world
    case = fresh.cases["advice"]
    app.give_advice(w["kg"], case.id, Stance.SUPPORTS_WITH_CHANGES, ADVICE_TEXT)
    html = fresh.client("kg-leder").get(f"/cases/{case.reference}").get_data(as_text=True)
    advice = _section(html, "advice-h")
    assert "1 of 3 board regions have answered" in advice
    answered = advice.split("Current advice per region")[1].split("</table>")[0]
    assert "Folloregionen" in answered
    assert "Knut Kommune" in answered
    # the text is escaped and keeps its line break (shown with white-space: pre-line)
    assert '<div class="advice-text">Første linje\nAndre linje &lt;b&gt;fet&lt;/b&gt;</div>' in (
        answered
    )
    missing = advice.split("Not answered yet (2)")[1]
    assert "Oslo kommune" in missing
    assert "Asker og Bærum regionråd" in missing
    assert "Folloregionen" not in missing
    assert ">follo<" not in advice  # regions by name, never by code

    # the close-advice form shows the advice received, per region
    app.give_advice(w["kg2"], case.id, Stance.DOES_NOT_SUPPORT, "Vi er uenige.\nSe vedlegg.")
    page = fresh.client("kg-leder").get(f"/cases/{case.reference}/steps/close-advice")
    assert page.status_code == 200
    received = _section(page.get_data(as_text=True), "received-h")
    assert "Asker og Bærum regionråd" in received
    assert "Berit Bærum" in received
    assert "Vi er uenige.\nSe vedlegg." in received
    assert "Not answered yet (1)" in received
    assert "Oslo kommune" in received.split("Not answered yet (1)")[1]


def test_case_officer_picker_starts_at_the_acting_user_and_asks_for_a_choice(
    fresh: Site,
) -> None:
    w = fresh.world
    case = w.proposed(title="Ny sak")
    client = fresh.client("sekretariat")
    html = client.get(f"/cases/{case.reference}/steps/accept").get_data(as_text=True)
    picker = html.split('<select id="case_officer"')[1].split("</select>")[0]
    selected = re.findall(r'<option value="([^"]*)"\s+selected>', picker)
    assert selected == [str(w["sekretariat"])]  # Sara, not Per (first by name)
    assert '<option value="">' in picker

    refused = client.post(
        f"/cases/{case.reference}/steps/accept", {"case_officer": "", "expected_version": "1"}
    )
    assert refused.status_code == 422
    assert 'id="case_officer-errors"' in refused.get_data(as_text=True)
    assert fresh.app.get_case(None, case.id).status == "proposed"  # nothing recorded


def test_a_past_deadline_is_refused_on_the_page_by_the_api_and_the_cli(fresh: Site) -> None:
    w = fresh.world
    case = w.drafted(title="Til råd")
    yesterday = (date.today() - timedelta(days=2)).isoformat()  # two days ago
    page = fresh.client("sekretariat").post(
        f"/cases/{case.reference}/steps/request-advice",
        {"deadline": yesterday, "kg_meeting_id": "", "expected_version": str(case.version)},
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="deadline-errors"' in html
    assert "the deadline has passed" in html
    assert f'value="{yesterday}"' in html  # what was typed is kept
    assert fresh.app.get_case(None, case.id).version == case.version

    # the API and the CLI refuse it alike (the rule is the domain's)
    past = yesterday
    client = fresh.client("sekretariat")
    answer = client.post_json(f"/api/v1/cases/{case.id}/request-advice", {"deadline": past})
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert list(error["fields"]) == ["deadline"]

    url = fresh.flask.config["DATABASE_URL"]
    result = CliRunner().invoke(
        main,
        [
            "--database-url",
            url,
            "case",
            "step",
            case.reference,
            "request-advice",
            "--as",
            email("sekretariat"),
            "--field",
            f"deadline={past}",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "deadline" in result.output
    assert fresh.app.get_case(None, case.id).version == case.version


def test_a_deadline_after_the_kg_meeting_is_accepted_with_a_warning(fresh: Site) -> None:
    w = fresh.world
    kg_meeting = str(w.meetings["kg"])  # 24 November 2099
    api_case = w.drafted(title="Via API")
    answer = fresh.client("sekretariat").post_json(
        f"/api/v1/cases/{api_case.id}/request-advice",
        {"deadline": "2099-12-01", "kg_meeting_id": kg_meeting},
    )
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "advice_requested"
    [warning] = answer.get_json()["warnings"]
    assert "after the KG meeting" in warning

    cli_case = w.drafted(title="Via kommandolinjen")
    result = CliRunner().invoke(
        main,
        [
            "--database-url",
            fresh.flask.config["DATABASE_URL"],
            "case",
            "step",
            cli_case.reference,
            "request-advice",
            "--as",
            email("sekretariat"),
            "--field",
            "deadline=2099-12-01",
            "--field",
            f"kg_meeting_id={kg_meeting}",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "advice_requested" in result.stdout
    assert "warning:" in result.stderr

    in_time = w.drafted(title="I tide")
    ok = fresh.client("sekretariat").post_json(
        f"/api/v1/cases/{in_time.id}/request-advice",
        {"deadline": "2099-11-20", "kg_meeting_id": kg_meeting},
    )
    assert ok.get_json()["warnings"] == []

    page_case = w.drafted(title="Via siden")
    client = fresh.client("sekretariat")
    client.post("/language", {"lang": "nb", "next": "/"})
    done = client.post(
        f"/cases/{page_case.reference}/steps/request-advice",
        {"deadline": "2099-12-01", "kg_meeting_id": kg_meeting, "expected_version": "3"},
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert 'class="flash warning"' in html
    assert "etter KG-møtet" in html
    assert "24.11.2099" in html  # the meeting's day, by the reader's language
    # and the case page keeps saying so while the round is open
    again = client.get(f"/cases/{page_case.reference}").get_data(as_text=True)
    assert "etter KG-møtet" in _section(again, "advice-h")
