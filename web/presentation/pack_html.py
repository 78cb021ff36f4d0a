"""The invitation pack's HTML page (the template is :mod:`web.presentation.pack_template`):
times in ``CASEFLOW_TIMEZONE``, codes by their Norwegian names, the stylesheet linked
(served under the app's CSP) or inlined (a standalone file, the PDF)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, select_autoescape

from caseflow.domain.localtime import to_local, zone_name
from web.presentation.pack import KIND_NAMES, STATUS_NAMES, TYPE_NAMES, Pack, PackFile
from web.presentation.pack_template import PACK_TEMPLATE

#: The pack's stylesheet (served as ``/static/pack.css``).
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "pack.css"


def local(value: datetime | None, pattern: str = "%d.%m.%Y kl. %H:%M") -> str:
    """A stored (UTC) time as people read it, in ``CASEFLOW_TIMEZONE``."""
    return "" if value is None else to_local(value).strftime(pattern)


def size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{n / 1024:.1f} kB".replace(".", ",") if n >= 1024 else f"{n} B"


_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_env.filters["size"] = size
_env.filters["kind"] = lambda k: KIND_NAMES.get(k, k)
_env.filters["status"] = lambda s: STATUS_NAMES.get(s, s)
_env.filters["filetype"] = lambda t: TYPE_NAMES.get(t, t)
_env.filters["local"] = local
_template = _env.from_string(PACK_TEMPLATE)


def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def render(
    pack: Pack,
    attachment_url: Callable[[str], str] | None = None,
    *,
    css_href: str | None = None,
    document_url: Callable[[PackFile], str] | None = None,
) -> str:
    """The page; see :func:`web.presentation.pack.render_pack_html`."""
    m = pack.meeting
    same_day = m.ends_at is not None and to_local(m.ends_at).date() == to_local(m.starts_at).date()
    return _template.render(
        pack=pack,
        m=m,
        attachment_url=attachment_url,
        document_url=document_url,
        css_href=css_href,
        css=None if css_href else stylesheet(),  # our own file, inlined with |safe
        zone=zone_name(),
        same_day=same_day,
    )
