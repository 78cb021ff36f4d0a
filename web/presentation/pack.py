"""The invitation pack (innkalling med sakspapirer): one printable HTML page with print
CSS, and the same page as a PDF (WeasyPrint). It lists the agenda in number order, each
case's current document and KG's summary advice, and every attachment with its SHA-256,
so a reader of the printed pack can verify the files they are sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from jinja2 import Environment, select_autoescape

from caseflow.application.views import AttachmentView, CaseView, MeetingView
from caseflow.domain import clock
from caseflow.domain.errors import NotFoundError
from web.presentation.pack_template import PACK_TEMPLATE

BODY_NAMES = {
    "board": "Styret i Osloregionen IPR",
    "kg": "Administrativ koordineringsgruppe",
    "ipu": "Interessepolitisk utvalg",
    "council": "Representantskapet",
    "group": "Gruppemøte",
    "joint": "Felles samling for de administrative gruppene",
}

KIND_NAMES = {
    "document": "Vedlegg",
    "minutes": "Referat",
    "kg_minutes": "Referat fra KG (R15)",
    "working_group_minutes": "Referat fra tverrgående arbeidsgruppe (R14)",
}


#: What a reader who may not see an item's case reads in its place (pack and calendar).
WITHHELD = "Unntatt"


@dataclass(frozen=True)
class PackItem:
    label: str
    title: str
    case: CaseView | None
    attachments: list[AttachmentView] = field(default_factory=list)
    #: The reader may not see the item's case: only its number is shown.
    withheld: bool = False


@dataclass(frozen=True)
class Pack:
    meeting: MeetingView
    body_name: str
    items: list[PackItem]
    other_attachments: list[AttachmentView]
    invitees: list[str]
    generated_at: datetime


def build_pack(app: Any, meeting_id: UUID, viewer: UUID | str | None = None) -> Pack:
    """Gather a meeting's pack. With ``viewer``, the meeting must be visible to them
    (else 404) and it is as they see it: an item whose case they may not see is
    withheld (its number only), and only the cases they may see show their documents."""
    meeting: MeetingView = app.get_meeting(meeting_id, viewer=viewer)
    by_item: dict[int, list[AttachmentView]] = {}
    loose = []
    for a in meeting.attachments:
        if a.item_number is not None:
            by_item.setdefault(a.item_number, []).append(a)
        else:
            loose.append(a)
    items = []
    for item in meeting.agenda:
        case = None
        if item.case_id is not None:
            try:
                case = app.get_case(viewer, item.case_id)
            except NotFoundError:
                case = None
        items.append(
            PackItem(
                item.label,
                WITHHELD if item.withheld else item.title,
                case,
                by_item.get(item.number, []),
                withheld=item.withheld,
            )
        )
    return Pack(
        meeting=meeting,
        body_name=BODY_NAMES.get(meeting.body, meeting.body),
        items=items,
        other_attachments=loose,
        invitees=[
            f"{i.name} ({WITHHELD.lower() if i.withheld else i.reason})" for i in meeting.invitees
        ],
        generated_at=clock.now(),
    )


_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_env.filters["size"] = lambda n: f"{n / 1024:.1f} kB" if n >= 1024 else f"{n} B"
_env.filters["kind"] = lambda k: KIND_NAMES.get(k, k)
_template = _env.from_string(PACK_TEMPLATE)


def render_pack_html(pack: Pack, attachment_url: Any = None) -> str:
    """The pack as one standalone HTML page (print CSS included). ``attachment_url``,
    if given, maps an attachment's SHA-256 to a link."""
    return _template.render(pack=pack, m=pack.meeting, attachment_url=attachment_url)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are not installed."""


def render_pack_pdf(pack: Pack) -> bytes:
    """The pack as PDF, rendered by WeasyPrint from the same HTML."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # OSError: Pango missing
        raise PdfUnavailable(
            "PDF needs WeasyPrint and Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0 "
            f"libharfbuzz-subset0 fonts-dejavu-core): {e}"
        ) from e
    pdf = HTML(string=render_pack_html(pack)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
