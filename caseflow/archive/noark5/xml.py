"""Small helpers for writing the extract's XML by streaming (``lxml.etree.xmlfile``):
each mappe or journal entry is built as a small element tree, written and dropped."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from caseflow.archive.noark5.values import XSI


class Maker:
    """Elements of one namespace: ``root(name)`` starts a subtree that declares it,
    ``add(parent, name, text)`` appends a child (text None: an empty element)."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.nsmap = {None: namespace, "xsi": XSI}

    def q(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}"

    def root(self, name: str, xsi_type: str | None = None) -> Any:
        element = etree.Element(self.q(name), nsmap=self.nsmap)
        if xsi_type is not None:
            element.set(f"{{{XSI}}}type", xsi_type)
        return element

    def add(self, parent: Any, tag: str, text: Any = None, /, **attrib: str) -> Any:
        element = etree.SubElement(parent, self.q(tag), attrib)
        if text is not None:
            element.text = str(text)
        return element

    def opt(self, parent: Any, name: str, text: Any) -> None:
        """A child only when ``text`` is given (an optional element)."""
        if text is not None and str(text) != "":
            self.add(parent, name, text)

    def document_root(self, xf: Any, name: str, schema: str) -> Any:
        """The open root element of a file written with ``xmlfile`` (``with`` it)."""
        return xf.element(
            self.q(name),
            nsmap=self.nsmap,
            attrib={f"{{{XSI}}}schemaLocation": f"{self.namespace} {schema}"},
        )


class RawWriter:
    """Writes small element trees, serialised by lxml, into a file whose root element
    (written by :func:`document`) declares the namespaces: each tree's own repeated
    declarations are dropped, so a million ``endring`` elements do not each carry them."""

    def __init__(self, out: BinaryIO, maker: Maker) -> None:
        self.out = out
        self.declarations = (
            f' xmlns="{maker.namespace}"'.encode(),
            f' xmlns:xsi="{XSI}"'.encode(),
        )

    def write(self, element: Any) -> None:
        data = etree.tostring(element, encoding="utf-8")
        end = data.index(b">")  # the start tag's end (">" in a value is escaped)
        head = data[:end]
        for declaration in self.declarations:
            head = head.replace(declaration, b"", 1)
        self.out.write(head)
        self.out.write(data[end:])

    def open(self, name: str) -> None:
        self.out.write(f"<{name}>".encode())

    def close(self, name: str) -> None:
        self.out.write(f"</{name}>".encode())


@contextlib.contextmanager
def document(path: Path, maker: Maker, name: str, schema: str) -> Iterator[RawWriter]:
    """Write the file ``path`` with root element ``name`` (declaring the namespaces and
    the schema's location); the writer takes its content."""
    with path.open("wb") as out:
        out.write(
            f'<?xml version="1.0" encoding="utf-8"?>\n<{name} xmlns="{maker.namespace}" '
            f'xmlns:xsi="{XSI}" xsi:schemaLocation="{maker.namespace} {schema}">'.encode()
        )
        yield RawWriter(out, maker)
        out.write(f"</{name}>\n".encode())
