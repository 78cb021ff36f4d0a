"""The package around the XML files: the documents copied into ``DOKUMENT/`` (each file
once, read back from the attachment store only after its SHA-256 is verified), the
published schemas copied beside the files when a copy is given, and ``arkivuttrekk.xml``
(ADDML 8.3) describing it all with the SHA-256 of every file — written last, streamed."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from lxml import etree

from caseflow.archive.noark5 import values as v
from caseflow.archive.noark5.records import FileVersion
from caseflow.archive.noark5.xml import Maker

A = Maker(v.NS_ADDML)

#: Each XML file of the extract → its schema files (the first is its main schema).
SCHEMAS: dict[str, tuple[str, ...]] = {
    "arkivstruktur": ("arkivstruktur.xsd", "metadatakatalog.xsd"),
    "endringslogg": ("endringslogg.xsd", "metadatakatalog.xsd"),
    "loependeJournal": ("loependeJournal.xsd", "metadatakatalog.xsd"),
    "offentligJournal": ("offentligJournal.xsd", "metadatakatalog.xsd"),
}
#: Where the published schemas are in a standards folder (``../shared/standards``).
NOARK5 = Path("noark5") / "v5.0"
ADDML = Path("addml") / "v8.3"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Documents:
    """Copies each document file once into ``DOKUMENT/`` and lists it (to a part file,
    so that the list is streamed into ``arkivuttrekk.xml`` at the end)."""

    def __init__(self, directory: Path, store: Any) -> None:
        self.directory = directory
        self.store = store
        (directory / "DOKUMENT").mkdir(parents=True, exist_ok=True)
        self.list_path = directory / ".DOKUMENT.part"
        self.listing: BinaryIO = self.list_path.open("wb")
        self.count = 0
        self.bytes = 0

    def add(self, file: FileVersion) -> None:
        target = self.directory / file.path
        if target.exists():
            return
        data = self.store.get(file.sha256)  # verified against its SHA-256 by the store
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        self.listing.write(f"{file.path}\t{file.sha256}\t{len(data)}\n".encode())
        self.count += 1
        self.bytes += len(data)

    def close(self) -> None:
        self.listing.close()

    def entries(self) -> Iterator[tuple[str, str, int]]:
        with self.list_path.open("rb") as f:
            for line in f:
                path, sha, size = line.decode().rstrip("\n").split("\t")
                yield path, sha, int(size)

    def remove_listing(self) -> None:
        self.list_path.unlink(missing_ok=True)


def copy_schemas(standards: Path, directory: Path) -> list[str]:
    """Copy the published schemas beside the XML files; returns their names."""
    names = []
    for source in (standards / NOARK5).glob("*.xsd"):
        shutil.copyfile(source, directory / source.name)
        names.append(source.name)
    addml = standards / ADDML / "addml.xsd"
    if addml.exists():
        shutil.copyfile(addml, directory / addml.name)
        names.append(addml.name)
    return sorted(names)


@dataclass(frozen=True)
class PackageFacts:
    """What ``arkivuttrekk.xml`` says about the extract as a whole."""

    archive: str
    start: str
    end: str
    screened: bool
    counts: Mapping[str, Mapping[str, int]]


def _prop(parent: Any, name: str, value: Any = None, data_type: str | None = None) -> Any:
    p = A.add(parent, "property", name=name)
    if data_type:
        p.set("dataType", data_type)
    if value is not None:
        A.add(p, "value", value)
    return p


def _props(parent: Any) -> Any:
    return A.add(parent, "properties")


def _file(parent: Any, name: str, sha: str | None, fmt: str = "XML") -> None:
    f = _props(_prop(parent, "file"))
    _prop(f, "name", name)
    _prop(f, "format", fmt)
    if sha is not None:
        c = _props(_prop(f, "checksum"))
        _prop(c, "algorithm", v.SHA256)
        _prop(c, "value", sha)


def xml_object(directory: Path, name: str, counts: Mapping[str, int]) -> Any:
    """The dataObject of one of the extract's XML files."""
    o = A.root("dataObject")
    o.set("name", name)
    props = _props(o)
    _file(props, f"{name}.xml", sha256_of(directory / f"{name}.xml"))
    for i, schema in enumerate(SCHEMAS[name]):
        s = _prop(props, "schema", "main" if i == 0 else None)
        sp = _props(s)
        path = directory / schema
        _file(sp, schema, sha256_of(path) if path.exists() else None)
        _prop(sp, "type", "XML Schema")
    info = _props(_prop(props, "info"))
    for element, n in sorted(counts.items()):
        occ = _props(_prop(info, "numberOfOccurrences", element))
        _prop(occ, "elementPath", f"//{element}")
        _prop(occ, "value", n, "integer")
    return o


def write_arkivuttrekk(directory: Path, facts: PackageFacts, documents: Documents) -> Path:
    """Write ``arkivuttrekk.xml`` (ADDML 8.3), the other files being written."""
    path = directory / "arkivuttrekk.xml"
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        root = xf.element(
            A.q("addml"), nsmap=A.nsmap, attrib={"name": v.text("Noark 5 archive extract")}
        )
        with root, xf.element(A.q("dataset")):
            head = A.root("head")
            A.add(head, "description", v.text("Noark 5 archive extract"))
            reference = A.add(head, "reference")
            context = A.add(A.add(reference, "context"), "additionalElements")
            creators = A.add(context, "additionalElement", name="recordCreators")
            creator = A.add(A.add(creators, "additionalElements"), "additionalElement")
            creator.set("name", "recordCreator")
            A.add(creator, "value", v.ARCHIVE_CREATOR)
            for name, value in (
                ("systemType", "Noark 5"),
                ("systemName", "Caseflow"),
                ("archive", facts.archive),
            ):
                A.add(A.add(context, "additionalElement", name=name), "value", value)
            content = A.add(A.add(reference, "content"), "additionalElements")
            period = _props(A.add(content, "additionalElement", name="archivalPeriod"))
            _prop(period, "startDate", facts.start)
            _prop(period, "endDate", facts.end)
            for child in head:
                xf.write(child)
            extract = v.text("Noark 5 archive extract")  # the dataObject Arkade reads
            with xf.element(A.q("dataObjects")), xf.element(A.q("dataObject"), name=extract):
                _write_info(xf, facts, documents)
                with xf.element(A.q("dataObjects")):
                    for name in SCHEMAS:
                        xf.write(xml_object(directory, name, facts.counts.get(name, {})))
                    if documents.count:
                        _write_documents(xf, documents)
    return path


def _write_info(xf: Any, facts: PackageFacts, documents: Documents) -> None:
    props = A.root("properties")
    info = _props(_prop(props, "info"))
    kind = _prop(info, "type", "Noark 5")
    _prop(_props(kind), "version", "5.0")
    more = _props(_prop(info, "additionalInfo"))
    _prop(more, "inneholderSkjermetInformasjon", str(facts.screened).lower(), "boolean")
    _prop(more, "omfatterDokumenterSomErKassert", "false", "boolean")
    _prop(more, "inneholderDokumenterSomSkalKasseres", "false", "boolean")
    _prop(more, "inneholderVirksomhetsspesifikkeMetadata", "false", "boolean")
    _prop(more, "antallDokumentfiler", documents.count, "integer")
    xf.write(props)


def _write_documents(xf: Any, documents: Documents) -> None:
    """The dataObject ``DOKUMENT``: every document file with its SHA-256."""
    with xf.element(A.q("dataObject"), name="DOKUMENT"), xf.element(A.q("dataObjects")):
        for file_path, sha, _size in documents.entries():
            o = A.root("dataObject")
            o.set("name", file_path)
            _file(_props(o), file_path, sha, fmt=file_path.rsplit(".", 1)[-1].upper())
            xf.write(o)
