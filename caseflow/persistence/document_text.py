"""The text of a stored document, for search: PDF pages by pypdf, DOCX and ODT by their
XML (``word/document.xml``, ``content.xml``), XLSX by its shared strings; anything else
(images, unknown bytes) has no text. Never raises on a damaged file: it has no text.

Helper for the search index (issue 14/F): ``document_text(media_type, data) -> str``.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

from caseflow.application.files import DOCX, ODT, PDF, XLSX

#: The longest text returned for one document (characters); search needs no more.
MAX_CHARS = 200_000

_SPACE = re.compile(r"\s+")


def document_text(media_type: str, data: bytes) -> str:
    """The readable text of ``data`` as ``media_type`` (one line, whitespace collapsed);
    ``""`` for a type without text or a file that cannot be read."""
    try:
        if media_type == PDF:
            text = _pdf_text(data)
        elif media_type in (DOCX, ODT, XLSX):
            text = _zip_xml_text(media_type, data)
        else:
            return ""
    except Exception:  # a damaged or hostile file has no text; it never fails a caller
        return ""
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        part = page.extract_text() or ""
        parts.append(part)
        size += len(part)
        if size > MAX_CHARS:
            break
    return "\n".join(parts)


#: Which member of the ZIP holds the text, per media type.
_MEMBERS = {DOCX: "word/document.xml", ODT: "content.xml", XLSX: "xl/sharedStrings.xml"}

#: At most this many bytes of XML are read (a ZIP bomb has no text).
_MAX_XML = 50 * 1024 * 1024


def _zip_xml_text(media_type: str, data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        member = _MEMBERS[media_type]
        if member not in z.namelist() or z.getinfo(member).file_size > _MAX_XML:
            return ""
        root = ElementTree.fromstring(z.read(member))
    paragraphs: list[str] = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("p", "h", "si"):  # a paragraph (w:p, text:p, text:h) or a cell string
            paragraphs.append("".join(element.itertext()))
    return "\n".join(paragraphs)
