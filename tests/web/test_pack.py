"""Issue 14: the invitation pack — Oslo time (CET in December, CEST in June), styled under
the app's CSP by a linked stylesheet, the items' PDF documents merged into the PDF with a
bookmark per item (page counts), the minutes (R15's KG minutes, a held meeting's own)
included, other files listed with their SHA-256 and in the ZIP with the right hashes.
On a real SQLite file and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from pypdf import PdfReader

from caseflow.demo.documents import minimal_pdf
from caseflow.domain.values import MeetingBody
from tests.application.test_documents import office_zip
from tests.web.conftest import Site
from web.presentation.pack import build_pack, render_pack_html, render_pack_pdf, render_pack_zip
from web.presentation.pack_pdf import FRONT, OTHERS

SAKSFRAMLEGG_1 = minimal_pdf("Saksframlegg nr. 1", ["Første sak."])
VEDLEGG_1 = minimal_pdf("Vedlegg til sak 1", ["To sider."], pages=2)
SAKSFRAMLEGG_2 = minimal_pdf("Saksframlegg nr. 2", ["Andre sak."])
KG_MINUTES = minimal_pdf("Referat fra KG", ["KG drøftet sakene."])
DOCX = office_zip("docx", "Tabell over innspill")


@dataclass(frozen=True)
class Meetings:
    board: UUID  # 08.12.2026 11:00 UTC = 12:00 CET
    june: UUID  # 10.06.2027 10:00 UTC = 12:00 CEST
    kg: UUID  # held 24.11.2026, PDF minutes approved (R15)
    first: Any  # the case with a saksframlegg, a two-page vedlegg and a DOCX
    second: Any  # the case with a saksframlegg


def _document(site: Site, case: Any, name: str, data: bytes, kind: str, title: str) -> None:
    site.app.documents.add_document(
        site.world["sekretariat"], case.id, name, data, kind=kind, title=title
    )


@pytest.fixture(scope="module")
def meetings(site: Site) -> Meetings:
    app, w = site.app, site.world
    sek = w["sekretariat"]
    kg = app.schedule_meeting(sek, MeetingBody.KG, datetime(2026, 11, 24, 12, tzinfo=UTC)).id
    app.mark_held(sek, kg)
    app.record_minutes(sek, kg, "referat-kg.pdf", KG_MINUTES)
    app.approve_minutes(sek, kg)
    board = app.schedule_meeting(sek, MeetingBody.BOARD, datetime(2026, 12, 8, 11, tzinfo=UTC)).id
    june = app.schedule_meeting(sek, MeetingBody.BOARD, datetime(2027, 6, 10, 10, tzinfo=UTC)).id
    app.add_standard_items(sek, board)
    first = w.ready(title="Første sak med dokumenter")
    _document(site, first, "s1.pdf", SAKSFRAMLEGG_1, "saksframlegg", "Saksframlegg 1")
    _document(site, first, "kart.pdf", VEDLEGG_1, "vedlegg", "Kart")
    _document(site, first, "tabell.docx", DOCX, "vedlegg", "Tabell")
    second = w.ready(title="Andre sak med saksframlegg")
    _document(site, second, "s2.pdf", SAKSFRAMLEGG_2, "saksframlegg", "Saksframlegg 2")
    third = w.ready(title="Tredje sak uten dokumenter")
    for case in (first, second, third):
        app.submit_case(sek, case.id, board)
    app.send_invitation(sek, board)
    return Meetings(board, june, kg, first, second)


def outline(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """The PDF's bookmarks: (title, page, children) at the top level."""
    found: list[tuple[str, int, list[tuple[str, int]]]] = []
    for entry in reader.outline:
        if isinstance(entry, list):
            children = [(c.title, reader.get_destination_page_number(c)) for c in entry]
            title, page, _ = found[-1]
            found[-1] = (title, page, children)
        else:
            found.append((entry.title, reader.get_destination_page_number(entry), []))
    return found


def test_the_pack_prints_oslo_time_in_winter_and_summer(site: Site, meetings: Meetings) -> None:
    sek = site.world["sekretariat"]
    december = render_pack_html(build_pack(site.app, meetings.board, viewer=sek))
    june = render_pack_html(build_pack(site.app, meetings.june, viewer=sek))
    assert "Tid: 08.12.2026 kl. 12:00" in december  # 11:00 UTC, CET (+01:00)
    assert "Tid: 10.06.2027 kl. 12:00" in june  # 10:00 UTC, CEST (+02:00)
    assert "(Europe/Oslo) av Caseflow" in december
    assert "UTC" not in december
    assert "invitation_sent" not in december
    assert "Status: innkalling sendt" in december


def test_the_pdf_merges_each_items_pdfs_with_a_bookmark_per_item(
    site: Site, meetings: Meetings
) -> None:
    pack = build_pack(site.app, meetings.board, viewer=site.world["sekretariat"])
    reader = PdfReader(io.BytesIO(render_pack_pdf(pack)))
    marks = outline(reader)
    with_pdfs = [i.heading for i in pack.items if any(f.is_pdf for f in i.files)]
    assert [t for t, _, _ in marks] == [FRONT, *with_pdfs]
    first = next(i for i in pack.items if i.case and i.case.id == meetings.first.id)
    second = next(i for i in pack.items if i.case and i.case.id == meetings.second.id)
    briefing = next(i for i in pack.items if any(f.kind == "kg_minutes" for f in i.files))
    assert first.heading in with_pdfs
    assert second.heading in with_pdfs
    assert briefing.heading in with_pdfs  # R15: the KG minutes, merged, not only named
    by_title = {t: (page, children) for t, page, children in marks}
    front_pages = by_title[with_pdfs[0]][0]
    assert front_pages >= 1
    # the merged pages: 1 + 2 (first case) + 1 (second) + 1 (the KG minutes)
    assert len(reader.pages) == front_pages + 5
    page, children = by_title[first.heading]
    assert [c for c, _ in children] == ["Saksframlegg 1", "Kart"]  # the DOCX is not merged
    assert [p for _, p in children] == [page, page + 1]
    assert "Saksframlegg nr. 1" in reader.pages[page].extract_text()
    assert "Vedlegg til sak 1" in reader.pages[page + 2].extract_text()
    minutes_page = by_title[briefing.heading][0]
    assert "Referat fra KG" in reader.pages[minutes_page].extract_text()


def test_other_files_are_listed_with_their_hash_and_the_zip_holds_everything(
    site: Site, meetings: Meetings
) -> None:
    pack = build_pack(site.app, meetings.board, viewer=site.world["sekretariat"])
    html = render_pack_html(pack)
    docx_sha = hashlib.sha256(DOCX).hexdigest()
    assert docx_sha in html
    assert "i ZIP-filen" in html
    data = render_pack_zip(pack, b"%PDF-1.4 the pack")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        sums = dict(
            reversed(line.split("  ", 1)) for line in z.read("SHA256SUMS").decode().splitlines()
        )
        for name in names:
            if name != "SHA256SUMS":
                assert sums[name] == hashlib.sha256(z.read(name)).hexdigest(), name
        hashes = {sums[n] for n in sums}
    assert names[0] == "innkalling-2026-12-08-board.pdf"
    for content in (SAKSFRAMLEGG_1, VEDLEGG_1, DOCX, SAKSFRAMLEGG_2, KG_MINUTES):
        assert hashlib.sha256(content).hexdigest() in hashes
    assert any(n.endswith("/tabell.docx") for n in names)
    assert "MANGLER.txt" not in names


def test_a_held_meetings_own_minutes_are_in_its_pdf(site: Site, meetings: Meetings) -> None:
    pack = build_pack(site.app, meetings.kg, viewer=site.world["sekretariat"])
    reader = PdfReader(io.BytesIO(render_pack_pdf(pack)))
    marks = outline(reader)
    assert [t for t, _, _ in marks] == [FRONT, OTHERS]
    assert "Referat fra KG" in reader.pages[marks[1][1]].extract_text()


def test_the_pages_serve_the_pack_under_the_csp(site: Site, meetings: Meetings) -> None:
    c = site.client("sekretariat")
    page = c.get(f"/meetings/{meetings.board}/pack")
    assert page.status_code == 200
    assert "style-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/pack.css">' in html
    assert "<style" not in html
    assert " style=" not in html
    sheet = c.get("/static/pack.css")
    css = sheet.get_data(as_text=True)
    sheet.close()  # a static file is streamed
    assert sheet.status_code == 200
    assert "@media print" in css
    first_doc = site.app.documents.case_documents(None, meetings.first.id).documents[0]
    assert f"/cases/{meetings.first.reference}/documents/{first_doc.id}/versions/1" in html
    pdf = c.get(f"/meetings/{meetings.board}/pack.pdf")
    assert pdf.mimetype == "application/pdf"
    bundle = c.get(f"/meetings/{meetings.board}/pack.zip")
    assert bundle.status_code == 200
    assert bundle.mimetype == "application/zip"
    assert "innkalling-2026-12-08-board.zip" in bundle.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(bundle.data)) as z:
        inside = PdfReader(io.BytesIO(z.read("innkalling-2026-12-08-board.pdf")))
    assert len(inside.pages) == len(PdfReader(io.BytesIO(pdf.data)).pages)
    # who may not see the meeting gets no pack, in no form
    for suffix in ("pack", "pack.pdf", "pack.zip"):
        assert site.client("atp").get(f"/meetings/{meetings.board}/{suffix}").status_code == 404


def test_a_withheld_item_carries_no_documents_in_any_form(site: Site) -> None:
    """An expert-group leader invited to a KG meeting for her group's case (R13) sees that
    case's documents in the pack, and of the other group's case only its number."""
    app, w = site.app, site.world
    sek = w["sekretariat"]
    own = w.drafted(title="ATP-sak med vedlegg til KG")
    other = w.drafted(group="ntp", by="ntp", title="NTP-sak med hemmelig vedlegg")
    own_pdf = minimal_pdf("ATP-vedlegg", ["Til KG."])
    secret_pdf = minimal_pdf("NTP-vedlegg", ["Ikke for ATP."])
    _document(site, own, "atp.pdf", own_pdf, "vedlegg", "ATP-notat")
    _document(site, other, "ntp.pdf", secret_pdf, "vedlegg", "NTP-notat")
    kg = app.schedule_meeting(sek, MeetingBody.KG, datetime(2099, 10, 6, 12, tzinfo=UTC)).id
    app.place_case_on_agenda(sek, kg, own.id)  # invites atp's leader (R13)
    app.place_case_on_agenda(sek, kg, other.id)
    pack = build_pack(app, kg, viewer=w["atp-leder"])
    withheld = [i for i in pack.items if i.withheld]
    assert len(withheld) == 1
    assert withheld[0].files == []
    html = render_pack_html(pack)
    assert "ATP-notat" in html
    assert "NTP-notat" not in html
    assert hashlib.sha256(secret_pdf).hexdigest() not in html
    data = render_pack_zip(pack, None)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sums = z.read("SHA256SUMS").decode()
    assert hashlib.sha256(own_pdf).hexdigest() in sums
    assert hashlib.sha256(secret_pdf).hexdigest() not in sums
    reader = PdfReader(io.BytesIO(render_pack_pdf(pack)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "ATP-vedlegg" in text
    assert "NTP-vedlegg" not in text


def test_zip_paths_are_one_safe_segment_each() -> None:
    from web.presentation.pack_zip import _clean

    assert _clean("../../etc/passwd") == "etc-passwd"
    assert _clean("..") == "fil"
    assert _clean('a:b*c?"d<e>f|g\\h') == "a-b-c-d-e-f-g-h"
    assert len(_clean("x" * 500)) == 80
