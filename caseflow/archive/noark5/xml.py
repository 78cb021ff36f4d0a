"""Small helpers for writing the extract's XML by streaming (``lxml.etree.xmlfile``):
each mappe or journal entry is built as a small element tree, written and dropped."""

from __future__ import annotations

from typing import Any

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
