"""The invitation pack as one PDF: the pack's page rendered by WeasyPrint, then each
agenda item's PDF documents (the case's saksframlegg and vedlegg, the files attached to
the item such as R15's KG minutes) merged in agenda order with a bookmark (outline entry)
per item and one per document beneath it, then the meeting's other PDF files (the
minutes) with a bookmark each — merged with pypdf.

A file that is not a readable PDF (damaged, encrypted with a password, missing from the
store) is left out of the merge; the pack's page still lists it with its SHA-256, and
the ZIP (:mod:`web.presentation.pack_zip`) carries what the store has."""

from __future__ import annotations

import io
import logging
from typing import Any

from caseflow.domain.errors import CaseflowError
from web.presentation.pack import Pack, PackFile, PdfUnavailable

#: The first bookmark: the pack's own pages.
FRONT = "Innkalling og saksliste"
#: The bookmark above the meeting's files that belong to no item.
OTHERS = "Vedlegg til møtet"


def render(pack: Pack) -> bytes:
    """The pack's PDF; see :func:`web.presentation.pack.render_pack_pdf`."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as e:  # OSError: Pango missing
        raise PdfUnavailable(
            "PDF needs WeasyPrint and Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0 "
            f"libharfbuzz-subset0 fonts-dejavu-core): {e}"
        ) from e
    from web.presentation.pack_html import render as render_html

    front = HTML(string=render_html(pack)).write_pdf()
    assert front is not None
    return merge(pack, bytes(front))


def _reader(f: PackFile) -> Any:
    """A pypdf reader of ``f``'s bytes, or None when they are not a PDF pypdf can read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(f.read()))
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        if len(reader.pages) == 0:
            return None
        return reader
    except (CaseflowError, PyPdfError, ValueError, KeyError, OSError, TypeError):
        return None


def merge(pack: Pack, front: bytes) -> bytes:
    """``front`` (the pack's page as PDF) followed by the pack's PDF files, bookmarked."""
    from pypdf import PdfReader, PdfWriter

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are skipped quietly
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)), import_outline=False)
    writer.add_outline_item(title=FRONT, page_number=0)
    for item in pack.items:
        parent = None
        for f in item.files:
            parent = _append(writer, f, item.heading, parent)
    others = None
    for f in pack.other_files:
        others = _append(writer, f, OTHERS, others)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _append(writer: Any, f: PackFile, heading: str, parent: Any) -> Any:
    """Append ``f`` if it is a readable PDF, under the bookmark ``heading`` (made at its
    first page when ``parent`` is None); returns the heading's bookmark (or None)."""
    if not f.is_pdf:
        return parent
    reader = _reader(f)
    if reader is None:
        return parent
    start = len(writer.pages)
    writer.append(reader, import_outline=False)
    if parent is None:
        parent = writer.add_outline_item(title=heading, page_number=start)
    writer.add_outline_item(title=f.title, page_number=start, parent=parent)
    return parent
