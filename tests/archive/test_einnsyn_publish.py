"""Issue 18: ``caseflow publish einnsyn --url URL`` against a local eInnsyn
(:mod:`tests.archive.einnsyn_server`, which checks every request against Digdir's OpenAPI
document), on both stores: every object once, parents first, in the documented order; a
second run sends nothing; a change is sent as exactly its update; a failure half-way and
a rerun leave no doubles; no API key, a wrong one: one clear line, exit 1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseflow.archive.einnsyn.mapping import einnsyn_objects
from caseflow.demo.documents import minimal_pdf
from caseflow.persistence import open_application
from tests.archive.einnsyn_server import (
    API_KEY,
    FakeEinnsyn,
    Spec,
    caseflow_cli,
    load_demo,
)
from tests.conftest import postgres_schema
from tests.world import World


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("einnsyn-publish")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp}/demo.sqlite3"
        load_demo(url, tmp / "attachments")
        yield url
        return
    with postgres_schema("einp_") as url:
        load_demo(url, tmp / "attachments")
        yield url


@pytest.fixture
def server(standards_dir: Path) -> Iterator[FakeEinnsyn]:
    fake = FakeEinnsyn(Spec(standards_dir / "einnsyn" / "einnsyn.openapi.yml"), API_KEY)
    fake.url = fake.start()  # type: ignore[attr-defined]
    try:
        yield fake
    finally:
        fake.stop()


def publish(
    url: str, server: FakeEinnsyn, *extra: str, key: str = API_KEY, env_lang: str = ""
) -> Any:
    env = {"CASEFLOW_EINNSYN_API_KEY": key}
    if env_lang:
        env["CASEFLOW_LANGUAGE"] = env_lang
    return caseflow_cli(
        url,
        "publish",
        "einnsyn",
        "--url",
        server.url,  # type: ignore[attr-defined]
        "--backoff",
        "0",
        *extra,
        env=env,
    )


def expected(url: str) -> list[Any]:
    app, _ = open_application(url)
    try:
        return einnsyn_objects(app)
    finally:
        app.close()


def assert_each_once(server: FakeEinnsyn, objects: list[Any]) -> None:
    held = server.by_system_id()
    assert {o.system_id for o in objects} == set(held)
    assert [s for s, found in held.items() if len(found) != 1] == []


def test_publish_sends_every_object_once_in_order_and_then_nothing(
    demo_url: str, server: FakeEinnsyn
) -> None:
    objects = expected(demo_url)
    result = publish(demo_url, server)
    assert result.exit_code == 0, result.output
    assert server.violations == []
    posts = [r for r in server.changing()]
    assert [r.method for r in posts] == ["POST"] * len(objects)
    assert [r.template for r in posts] == [o.create_path for o in objects]
    assert posts[0].template == "/arkiv"
    assert posts[1].template == "/arkiv/{id}/arkivdel"
    tops = [r.template for r in posts if r.template.startswith("/arkivdel/")]
    assert tops.index("/arkivdel/{id}/saksmappe") > tops.index("/arkivdel/{id}/moetemappe")
    assert_each_once(server, objects)
    assert f"{len(objects)}" in result.output
    before = len(server.log)
    again = publish(demo_url, server)
    assert again.exit_code == 0, again.output
    assert len(server.log) == before  # unchanged: not a single request


def test_a_failure_half_way_then_a_rerun_completes_without_doubles(
    demo_url: str, server: FakeEinnsyn
) -> None:
    objects = expected(demo_url)
    server.failures = {30: "after", 31: "before", 32: "before"}  # stored, answer lost; down
    failed = publish(demo_url, server, "--retries", "0")
    assert failed.exit_code == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1, failed.stderr
    assert "POST" in lines[0]
    assert "500" in lines[0]
    assert len(server.objects) == 30  # the 30th was stored although its answer was lost
    done = publish(demo_url, server, "--retries", "3")
    assert done.exit_code == 0, done.output
    assert server.violations == []
    assert_each_once(server, objects)
    again = publish(demo_url, server)
    assert again.exit_code == 0
    assert len([r for r in server.changing()]) == 30 + 2 + len(objects) - 30


def test_retries_look_an_object_up_before_posting_it_again(
    demo_url: str, server: FakeEinnsyn
) -> None:
    objects = expected(demo_url)
    server.failures = {5: "after", 9: "before"}
    result = publish(demo_url, server, "--retries", "2")
    assert result.exit_code == 0, result.output
    assert_each_once(server, objects)
    looked_up = [r for r in server.log if r.method == "GET"]
    assert len(looked_up) == 2  # after each 500, by externalId
    assert server.violations == []


def test_no_api_key_is_refused_and_nothing_is_sent(demo_url: str, server: FakeEinnsyn) -> None:
    result = publish(demo_url, server, key="")
    assert result.exit_code == 1
    assert "CASEFLOW_EINNSYN_API_KEY" in result.stderr
    assert server.log == []


def test_a_wrong_api_key_is_one_line_and_exit_1(demo_url: str, server: FakeEinnsyn) -> None:
    result = publish(demo_url, server, key="not-the-key")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "401" in result.stderr
    assert server.objects == {}


# -- changes, on a small organisation (both stores) ----------------------------------------


def changes(server: FakeEinnsyn, since: int) -> list[str]:
    return [f"{r.method} {r.template}" for r in server.changing()[since:]]


def test_changes_are_sent_as_exactly_their_updates(
    app: Any, store_url: str, server: FakeEinnsyn
) -> None:
    w = World.build(app)
    case = w.submitted(title="Regional plan for mobilitet")
    app.send_invitation(w["sekretariat"], w.meetings["board"])
    first = publish(store_url, server)
    assert first.exit_code == 0, first.output
    seen = len(server.changing())

    pdf = minimal_pdf("Saksframlegg", ["Regional plan for mobilitet"])
    app.documents.add_document(
        w["sekretariat"],
        case.id,
        "saksframlegg.pdf",
        pdf,
        kind="saksframlegg",
        title="Saksframlegg: Regional plan for mobilitet",
    )
    assert publish(store_url, server).exit_code == 0
    assert changes(server, seen) == [
        "POST /saksmappe/{id}/journalpost",
        "POST /journalpost/{id}/dokumentbeskrivelse",
        "POST /dokumentbeskrivelse/{id}/dokumentobjekt",
    ]
    seen = len(server.changing())

    app.record_decision(w["sekretariat"], case.id, "Styret vedtar planen.")
    assert publish(store_url, server).exit_code == 0
    assert changes(server, seen) == ["PATCH /moetesak/{id}"]
    vedtak = [o for o in server.objects.values() if o.get("vedtak")]
    assert [o["vedtak"]["vedtakstekst"] for o in vedtak] == ["Styret vedtar planen."]
    seen = len(server.changing())

    document = app.documents.case_documents(None, case.id).documents[0]
    app.screen_document(w["sekretariat"], case.id, document.id, "Offl. § 14", ["Saksframlegg"])
    assert publish(store_url, server).exit_code == 0
    assert Counter(changes(server, seen)) == Counter(
        [
            "PATCH /journalpost/{id}",
            "POST /journalpost/{id}/skjerming",
            "PATCH /dokumentbeskrivelse/{id}",
            "DELETE /dokumentobjekt/{id}",
        ]
    )
    assert server.violations == []
    assert_each_once(server, expected(store_url))


def test_a_cancelled_meeting_is_deleted_children_first(
    app: Any, store_url: str, server: FakeEinnsyn
) -> None:
    w = World.build(app)
    w.submitted(title="Regional plan for mobilitet")
    app.send_invitation(w["sekretariat"], w.meetings["board"])
    assert publish(store_url, server).exit_code == 0
    seen = len(server.changing())
    app.cancel_meeting(w["sekretariat"], w.meetings["board"], "Styret er ikke beslutningsdyktig")
    result = publish(store_url, server)
    assert result.exit_code == 0, result.output
    gone = changes(server, seen)
    assert set(gone) == {
        "DELETE /moetesak/{id}",
        "DELETE /moetedokument/{id}",
        "DELETE /moetemappe/{id}",
    }
    assert gone[-1] == "DELETE /moetemappe/{id}"  # its children before it
    assert [o for o in server.objects.values() if o["entity"].startswith("Moete")] == []
    assert server.violations == []
    assert_each_once(server, expected(store_url))


def test_an_object_deleted_at_einnsyn_is_created_anew_with_its_children(
    app: Any, store_url: str, server: FakeEinnsyn
) -> None:
    w = World.build(app)
    case = w.submitted(title="Regional plan for mobilitet")
    pdf = minimal_pdf("Saksframlegg", ["Regional plan for mobilitet"])
    app.documents.add_document(
        w["sekretariat"],
        case.id,
        "saksframlegg.pdf",
        pdf,
        kind="saksframlegg",
        title="Saksframlegg: Regional plan for mobilitet",
    )
    app.send_invitation(w["sekretariat"], w.meetings["board"])
    assert publish(store_url, server).exit_code == 0
    saksmappe = next(i for i, o in server.objects.items() if o["entity"] == "Saksmappe")
    assert server.delete_behind(saksmappe) == 4  # saksmappe, journalpost, beskrivelse, objekt
    seen = len(server.changing())
    app.screen_case(w["sekretariat"], case.id, "Offl. § 23", ["mobilitet"])
    result = publish(store_url, server)
    assert result.exit_code == 0, result.output
    assert changes(server, seen) == [
        "PATCH /moetesak/{id}",  # its public title, on the agenda
        "PATCH /saksmappe/{id}",  # 404: deleted there
        "POST /arkivdel/{id}/saksmappe",
        "POST /saksmappe/{id}/journalpost",
        "POST /journalpost/{id}/dokumentbeskrivelse",
        "DELETE /dokumentobjekt/{id}",  # no longer public (a screened case); 404: gone already
    ]
    assert server.violations == []
    assert_each_once(server, expected(store_url))


def test_a_dry_run_says_what_would_be_sent_and_sends_nothing(
    app: Any, store_url: str, server: FakeEinnsyn
) -> None:
    w = World.build(app)
    case = w.submitted(title="Regional plan for mobilitet")
    app.send_invitation(w["sekretariat"], w.meetings["board"])
    count = len(expected(store_url))
    dry = publish(store_url, server, "--dry-run", key="")
    assert dry.exit_code == 0, dry.output
    assert f"{count} " in dry.output
    assert server.log == []
    assert publish(store_url, server).exit_code == 0
    app.record_decision(w["sekretariat"], case.id, "Styret vedtar planen.")
    seen = len(server.log)
    again = publish(store_url, server, "--dry-run", env_lang="en")
    assert again.exit_code == 0
    assert "0 created, 1 updated, 0 deleted" in again.output
    assert len(server.log) == seen
