"""The whole invitation pack as a ZIP (``/meetings/<id>/pack.zip``): the pack's PDF (its
HTML page when no PDF can be made), every file of every item in a folder named by the
item (``01 Sak 12-26 Innspill til NTP/saksframlegg.pdf``), the meeting's other files
(the minutes) under ``Vedlegg/``, and ``SHA256SUMS`` — one ``sha256sum`` line per file,
so that ``sha256sum -c SHA256SUMS`` verifies the unpacked pack. A file the store no
longer has (or whose bytes no longer match) is left out and named in ``MANGLER.txt``."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from caseflow.domain.errors import CaseflowError
from caseflow.domain.localtime import to_local
from web.presentation.pack import Pack, PackFile, PackItem

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _clean(name: str, limit: int = 80) -> str:
    """A name safe as one path segment on every system."""
    cleaned = _UNSAFE.sub("-", name).strip(" .-") or "fil"
    return cleaned[:limit].rstrip(" .-") or "fil"


def pack_name(pack: Pack, suffix: str) -> str:
    m = pack.meeting
    return f"innkalling-{to_local(m.starts_at):%Y-%m-%d}-{m.body}{suffix}"


def folder(index: int, item: PackItem) -> str:
    return _clean(f"{index:02d} {item.heading}")


def render(pack: Pack, pdf: bytes | None) -> bytes:
    """The ZIP; see :func:`web.presentation.pack.render_pack_zip`."""
    buffer = io.BytesIO()
    sums: list[str] = []
    missing: list[str] = []
    used: set[str] = set()
    stamp = to_local(pack.generated_at).timetuple()[:6]

    def put(path: str, data: bytes) -> None:
        info = zipfile.ZipInfo(path, date_time=_zip_time(stamp))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  {path}")

    def put_file(directory: str, f: PackFile) -> None:
        path = _unique(f"{directory}/{_clean(f.filename)}", used)
        try:
            data = f.read()
        except CaseflowError:
            missing.append(f"{path} ({f.sha256})")
            return
        put(path, data)

    with zipfile.ZipFile(buffer, "w") as z:
        if pdf is not None:
            put(pack_name(pack, ".pdf"), pdf)
        else:
            from web.presentation.pack_html import render as render_html

            put(pack_name(pack, ".html"), render_html(pack).encode("utf-8"))
        for index, item in enumerate(pack.items, start=1):
            for f in item.files:
                put_file(folder(index, item), f)
        for f in pack.other_files:
            put_file("Vedlegg", f)
        if missing:
            z.writestr("MANGLER.txt", "Filer som mangler i arkivet:\n" + "\n".join(missing) + "\n")
        z.writestr("SHA256SUMS", "\n".join(sums) + "\n")
    return buffer.getvalue()


def _unique(path: str, used: set[str]) -> str:
    stem, dot, ext = path.rpartition(".")
    candidate, n = path, 1
    while candidate in used:
        n += 1
        candidate = f"{stem} ({n}).{ext}" if dot else f"{path} ({n})"
    used.add(candidate)
    return candidate


def _zip_time(stamp: tuple[int, ...]) -> tuple[int, int, int, int, int, int]:
    """A ZIP entry's time (the format starts in 1980)."""
    if stamp[0] < 1980:
        return (1980, 1, 1, 0, 0, 0)
    y, mo, d, h, mi, s = stamp
    return (y, mo, d, h, mi, s)


__all__ = ["folder", "pack_name", "render"]
