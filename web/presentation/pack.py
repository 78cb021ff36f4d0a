"""The invitation pack (innkalling med sakspapirer): one printable HTML page styled by
``web/static/pack.css``, the same page as a PDF with every item's PDF documents merged
in behind it (a bookmark per item, :mod:`web.presentation.pack_pdf`), and a ZIP of the
whole pack — the PDF, every document and the attached minutes
(:mod:`web.presentation.pack_zip`).

It lists the agenda in printed order, each case's current text and KG's summary advice,
then for each item its documents (the case's saksframlegg and vedlegg, the files
attached to the item, such as R15's KG minutes at *Orientering fra sekretariatet*) and
the meeting's other files (the minutes), each with its SHA-256 so that a reader of the
printed pack can verify what they are sent. Times are those of ``CASEFLOW_TIMEZONE``
(:mod:`caseflow.domain.localtime`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from caseflow.application.views import AttachmentView, CaseView, MeetingView
from caseflow.domain import clock
from caseflow.domain.documents import CaseDocument
from caseflow.domain.errors import NotFoundError

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
    "saksframlegg": "Saksframlegg",
    "vedlegg": "Vedlegg",
}

STATUS_NAMES = {
    "planned": "planlagt",
    "invitation_sent": "innkalling sendt",
    "held": "holdt",
    "minutes_approved": "referat godkjent",
    "cancelled": "avlyst",
}

#: Media types as a reader names them.
TYPE_NAMES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "text/plain": "Tekst",
    "image/png": "PNG-bilde",
    "image/jpeg": "JPEG-bilde",
}

PDF = "application/pdf"

#: What a reader who may not see an item's case reads in its place (pack and calendar).
WITHHELD = "Unntatt"


@dataclass(frozen=True)
class PackFile:
    """One file of the pack: a case document's current version or a meeting attachment.
    ``read`` gives its (hash-verified) bytes, for the PDF and the ZIP."""

    title: str
    filename: str
    media_type: str
    sha256: str
    size: int
    kind: str
    read: Callable[[], bytes] = field(compare=False, repr=False)
    #: The case document's version (1 for a meeting attachment).
    version: int = 1
    screened: bool = False
    legal_basis: str | None = None
    #: A case document's case (its reference) and id; None for a meeting attachment.
    case_reference: str | None = None
    document_id: UUID | None = None

    @property
    def is_pdf(self) -> bool:
        return self.media_type == PDF


@dataclass(frozen=True)
class PackItem:
    label: str
    title: str
    case: CaseView | None
    attachments: list[AttachmentView] = field(default_factory=list)
    #: The reader may not see the item's case: only its number is shown.
    withheld: bool = False
    #: The case's documents, then the files attached to this item, in that order.
    files: list[PackFile] = field(default_factory=list)
    #: Tilleggssak, postponed, withdrawn (issue 14's agenda marks), in words.
    marks: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The item as its bookmark reads: ``Sak 12/26 Innspill til NTP``."""
        return f"{self.label} {self.title}".strip()


@dataclass(frozen=True)
class Pack:
    meeting: MeetingView
    body_name: str
    items: list[PackItem]
    other_attachments: list[AttachmentView]
    invitees: list[str]
    generated_at: datetime
    #: The meeting's files not tied to an item (the minutes, R14's working-group minutes).
    other_files: list[PackFile] = field(default_factory=list)

    def all_files(self) -> list[tuple[PackItem | None, PackFile]]:
        """Every file in pack order: each item's, then the meeting's others."""
        found: list[tuple[PackItem | None, PackFile]] = [
            (item, f) for item in self.items for f in item.files
        ]
        return found + [(None, f) for f in self.other_files]


def _marks(item: Any) -> list[str]:
    marks = []
    if getattr(item, "supplementary", False):
        marks.append("Tilleggssak")
    if getattr(item, "postponed", False):
        marks.append("Utsatt")
    if getattr(item, "withdrawn", False):
        marks.append("Trukket")
    return marks


def _document_file(app: Any, viewer: Any, case: CaseView, doc: CaseDocument) -> PackFile:
    v = doc.current

    def read() -> bytes:
        return bytes(app.documents.document_file(viewer, case.id, doc.id, v.number)[2])

    return PackFile(
        doc.title,
        v.filename,
        v.media_type,
        v.sha256,
        v.size,
        doc.kind.value,
        read,
        version=v.number,
        screened=doc.screened,
        legal_basis=doc.legal_basis,
        case_reference=case.reference,
        document_id=doc.id,
    )


def _attachment_file(app: Any, viewer: Any, meeting_id: UUID, a: AttachmentView) -> PackFile:
    def read() -> bytes:
        return bytes(app.attachment_file(viewer, meeting_id, a.sha256)[1])

    return PackFile(a.title or a.filename, a.filename, a.media_type, a.sha256, a.size, a.kind, read)


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
    case_ids = [i.case_id for i in meeting.agenda if i.case_id is not None and not i.withheld]
    documents = app.documents.documents_by_case(viewer, case_ids)
    items = []
    for item in meeting.agenda:
        case = None
        if item.case_id is not None and not item.withheld:
            try:
                case = app.get_case(viewer, item.case_id)
            except NotFoundError:
                case = None
        attached = by_item.get(item.number or 0, []) if item.number else []
        files = (
            [_document_file(app, viewer, case, d) for d in documents.get(case.id, [])]
            if case is not None
            else []
        )
        files += [_attachment_file(app, viewer, meeting.id, a) for a in attached]
        items.append(
            PackItem(
                item.label,
                WITHHELD if item.withheld else item.title,
                case,
                attached,
                withheld=item.withheld,
                files=files,
                marks=_marks(item),
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
        other_files=[_attachment_file(app, viewer, meeting.id, a) for a in loose],
    )


# -- rendering (pack_html, pack_pdf, pack_zip; imported when called) ---------------------


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are not installed."""


def render_pack_html(
    pack: Pack,
    attachment_url: Callable[[str], str] | None = None,
    *,
    css_href: str | None = None,
    document_url: Callable[[PackFile], str] | None = None,
) -> str:
    """The pack as one HTML page: with ``css_href`` it links that stylesheet (the page
    served under the app's CSP), without it the stylesheet is inlined (a standalone
    file). ``attachment_url`` maps a meeting attachment's SHA-256 to a link,
    ``document_url`` a case document's file."""
    from web.presentation.pack_html import render

    return render(pack, attachment_url, css_href=css_href, document_url=document_url)


def render_pack_pdf(pack: Pack) -> bytes:
    """The pack as PDF (WeasyPrint) with the items' PDF documents and the minutes merged
    in, a bookmark per item; raises :class:`PdfUnavailable` without WeasyPrint."""
    from web.presentation.pack_pdf import render

    return render(pack)


def render_pack_zip(pack: Pack, pdf: bytes | None) -> bytes:
    """The whole pack as a ZIP: the PDF (or the HTML page when ``pdf`` is None), every
    document and attachment, and ``SHA256SUMS``."""
    from web.presentation.pack_zip import render

    return render(pack, pdf)
