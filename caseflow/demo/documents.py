"""The demo's case documents: every submitted case gets its saksframlegg (a small PDF
built here by hand — no renderer, so the demo stays fast), some get a vedlegg too. The
PDF is a valid one-page (or more) PDF 1.4 with the standard Helvetica font in
WinAnsiEncoding (æ, ø, å print), readable by any viewer and by pypdf."""

from __future__ import annotations

import random
import textwrap
from collections.abc import Sequence
from typing import Any
from uuid import UUID

#: Lines per page of :func:`minimal_pdf`.
LINES_PER_PAGE = 48


def _pdf_text(text: str) -> bytes:
    """``text`` as a PDF string literal in WinAnsiEncoding."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _page_stream(title: str, lines: Sequence[str]) -> bytes:
    parts = [b"BT /F1 15 Tf 56 790 Td ", _pdf_text(title), b" Tj /F1 10.5 Tf 0 -26 Td 14 TL"]
    for line in lines:
        parts.append(b" " + _pdf_text(line) + b" '")
    parts.append(b" ET")
    return b"".join(parts)


def minimal_pdf(title: str, paragraphs: Sequence[str], pages: int = 1) -> bytes:
    """A PDF with ``title`` on every page and ``paragraphs`` wrapped below it; at least
    ``pages`` pages (the text continues over as many as it needs)."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 90) or [""]
        lines.append("")
    chunks = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    chunks += [[] for _ in range(max(0, pages - len(chunks)))]
    chunks = chunks or [[]]
    n = len(chunks)
    # objects: 1 catalog, 2 pages, 3 font, then per page: page object, content stream
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(f"{4 + 2 * i} 0 R".encode() for i in range(n))
        + f"] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, chunk in enumerate(chunks):
        stream = _page_stream(title, chunk)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> " + f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def saksframlegg_pdf(reference: str, title: str, summary: str) -> bytes:
    """The demo's case document of one case."""
    return minimal_pdf(
        f"Saksframlegg {reference}",
        [
            title,
            f"Bakgrunn. {summary}",
            "Vurdering. Sekretariatet har vurdert saken sammen med faggruppen og KG.",
            "Politisk involvering. Regionenes politikere orienteres gjennom styret.",
            "Forslag til vedtak. Styret tar saken til orientering.",
        ],
    )


def vedlegg_pdf(reference: str, title: str) -> bytes:
    """The demo's attachment (vedlegg) of one case: two pages."""
    return minimal_pdf(
        f"Vedlegg til {reference}",
        [f"Kunnskapsgrunnlag: {title}", "Tabeller og kart følger på neste side."],
        pages=2,
    )


def minutes_pdf(lines: Sequence[str]) -> bytes:
    """A meeting's minutes (referat) as a PDF: the first line is its title; so that the
    invitation packs that carry them (R15's KG minutes) merge them into their PDF."""
    title, *rest = [line.strip() for line in lines] or ["Referat"]
    return minimal_pdf(title, [line for line in rest if line] or [""])


def add_demo_documents(
    app: Any, officer: UUID, case_id: UUID, rng: random.Random, *, vedlegg_share: float = 0.3
) -> None:
    """Give a case its saksframlegg (PDF) and, for about ``vedlegg_share`` of the cases,
    a vedlegg — by the secretariat, through the application's command. A case that
    already has its documents (submitted again after a postponement) keeps them."""
    if app.documents.case_documents(None, case_id).documents:
        return
    view = app.get_case(None, case_id)
    app.documents.add_document(
        officer,
        case_id,
        f"saksframlegg-{view.reference}.pdf",
        saksframlegg_pdf(view.reference, view.title, view.summary),
        kind="saksframlegg",
        title=f"Saksframlegg: {view.title}",
    )
    if rng.random() < vedlegg_share:
        app.documents.add_document(
            officer,
            case_id,
            f"vedlegg-{view.reference}.pdf",
            vedlegg_pdf(view.reference, view.title),
            kind="vedlegg",
            title="Kunnskapsgrunnlag",
        )
