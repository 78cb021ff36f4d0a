"""The crawl (issue 15): one language, no codes, on every page a demo user reaches.

For each demo account of API.md and both languages, the crawl opens the overview, every
page of the menu and one level of links from those pages (cases, meetings, groups,
measures, audit trail, history; at most :data:`MAX_PAGES` per account and language) and
fails, naming the page, on

- a code in visible text: a snake_case value (``invitation_sent``), a role code
  (``kg:member``), a Python repr (``UUID(``, ``[]``, ``{'``, ``['``), a CamelCase event
  type (``NumberIssued``);
- a rule id printed twice (``R19 R19``, ``R19: R19``);
- text of the other language: a visible text node that is the other language's
  translation of a catalog entry (and differs from this language's), or — on bokmål
  pages — an English function word.

One demo store (``caseflow demo``, as ``make run`` loads it) serves every account and
language of the module; the crawl only reads (GET), so they cannot disturb each other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from caseflow.cli import main
from caseflow.demo.organisation import ACCOUNTS, PASSWORD
from caseflow.persistence.attachments import AttachmentStore
from web import create_app

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"

#: Pages per account and language (the menu's and one level of links from them).
MAX_PAGES = 40

#: Links followed from the menu's pages: the places a person reads (not exports, feeds,
#: files or the API).
FOLLOW = re.compile(r"^/(cases|meetings|groups|measures|audit|advice)/[^?]*(\?[^#]*)?$")
NOT_FOLLOWED = re.compile(
    r"\.(csv|json|ics|pdf|atom|xml)(\?|$)|/export|/attachments/|/pack|/files/|/new$|/api/"
)

#: What looks like a code in text a person reads.
CODES = {
    "snake_case value": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    "role code": re.compile(r"\b[a-z]+:[a-z][a-z-]*\b"),
    "UUID repr": re.compile(r"UUID\("),
    "Python repr": re.compile(r"\[\]|\{'|\['|'\]|\(\)"),
    # not a name with a hyphenated suffix in a title ("InterCity-strekningene")
    "CamelCase name": re.compile(r"(?<![\w-])[A-Z][a-z]+(?:[A-Z][a-z]+)+(?![\w-])"),
    "raw UUID": re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"),
}


def _slugs() -> re.Pattern[str]:
    """Region and group slugs (``folloregionen``, ``nedre-romerike``, ``kraft-energi``):
    a page names them by their names."""
    data = json.loads((ROOT / "caseflow" / "data" / "organisation.json").read_text("utf-8"))
    slugs = {r["slug"] for r in data["regions"]} | {g["slug"] for g in data["groups"]}
    words = "|".join(sorted((re.escape(s) for s in slugs), key=len, reverse=True))
    return re.compile(rf"(?<![\w/.-])({words})(?![\w/.-])")


CODES["region or group slug"] = _slugs()

#: A rule id twice in a row: "R19 R19", "R19: R19", "(R15) R15".
TWICE = re.compile(r"\b(R\d{1,2})\b\W{0,3}\1\b")
#: Words that only occur in English text (bokmål pages must not show them).
ENGLISH_WORDS = re.compile(
    r"\b(the|and|is|are|not|with|must|should|before|after|from|which|this|that|there|"
    r"been|has|have|only|when|will|would|cannot|please|yet|none)\b",
    re.IGNORECASE,
)
#: Text that is data, not the interface: file names and e-mail addresses.
DATA = re.compile(r"\S+\.(pdf|docx|odt|txt|png|jpe?g)\b|\S+@\S+", re.IGNORECASE)
#: Brand and names of things that are the same in both languages.
SAME_IN_BOTH = {"Caseflow", "Osloregionen", "Norsk", "English"}


class VisibleText(HTMLParser):
    """The text a person reads: text nodes outside script/style, and the attributes a
    browser shows (title, placeholder, alt, aria-label, a button's value)."""

    HIDDEN = {"script", "style", "template", "noscript"}
    SHOWN_ATTRS = ("title", "placeholder", "alt", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.links: list[str] = []
        self.nav_links: list[str] = []
        self._hidden = 0
        self._nav = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "nav":
            self._nav += 1
        values = dict(attrs)
        for name in self.SHOWN_ATTRS:
            if values.get(name):
                self.nodes.append(str(values[name]))
        href = values.get("href")
        if tag == "a" and href:
            self.links.append(href)
            if self._nav:
                self.nav_links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag == "nav" and self._nav:
            self._nav -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            text = " ".join(data.split())
            if text:
                self.nodes.append(text)


def parse(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def _catalog(lang: str) -> dict[str, str]:
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        cat = read_po(f, locale=lang)
    out: dict[str, str] = {}
    for m in cat:
        if not m.id or isinstance(m.id, tuple):
            continue
        out[m.id] = str(m.string or m.id)
    return out


def foreign_texts() -> dict[str, set[str]]:
    """Per language, the catalog texts of the other language that this one never shows:
    an en page must not show a bokmål translation that differs from every English text,
    and the other way round. Placeholder texts (``%(n)s``) are left out."""
    nb, en = _catalog("nb"), _catalog("en")
    nb_texts = {s for s in nb.values() if "%(" not in s}
    en_texts = {en.get(k, k) for k in nb if "%(" not in en.get(k, k)}
    return {"nb": en_texts - nb_texts - SAME_IN_BOTH, "en": nb_texts - en_texts - SAME_IN_BOTH}


def findings(text_nodes: list[str], lang: str, foreign: set[str]) -> list[str]:
    """What is wrong with a page's visible text in language ``lang``."""
    found: list[str] = []
    for node in text_nodes:
        clean = DATA.sub(" ", node)
        for what, pattern in CODES.items():
            hit = pattern.search(clean)
            if hit:
                found.append(f"{what} {hit.group(0)!r} in {node!r}")
        twice = TWICE.search(node)
        if twice:
            found.append(f"rule id twice {twice.group(0)!r} in {node!r}")
        if node in foreign:
            found.append(f"other language's text {node!r}")
        if lang == "nb":
            english = ENGLISH_WORDS.search(clean)
            if english:
                found.append(f"English word {english.group(0)!r} in {node!r}")
    # a rule id printed twice across elements too: <strong>R19</strong> R19: …
    text = " ".join(text_nodes)
    for twice in TWICE.finditer(text):
        around = text[max(twice.start() - 30, 0) : twice.end() + 30]
        found.append(f"rule id twice {twice.group(0)!r} in …{around}…")
    return sorted(set(found), key=found.index)


@dataclass
class Crawl:
    flask: Flask
    foreign: dict[str, set[str]]
    seen: dict[tuple[str, str], list[str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """`caseflow demo` into one SQLite file, served to every account and language."""
    folder = tmp_path_factory.mktemp("crawl")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    attachments = folder / "attachments"
    result = CliRunner().invoke(
        main,
        ["--database-url", url, "demo", "--if-empty"],
        env={"CASEFLOW_ATTACHMENTS_DIR": str(attachments)},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    flask_app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "crawl-secret",
            "TESTING": True,
            "LANGUAGE": "nb",
            "INSTANCE_PATH": str(folder / "instance"),
        }
    )
    app = flask_app.extensions["caseflow"]
    app.use_attachment_store(AttachmentStore.from_settings(str(attachments)))
    try:
        yield Crawl(flask_app, foreign_texts())
    finally:
        app.close()


def _token(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, "no CSRF token on the login page"
    return found.group(1)


def _login(client: FlaskClient, email: str, lang: str) -> None:
    answer = client.post(
        "/login", data={"csrf_token": _token(client), "email": email, "password": PASSWORD}
    )
    assert answer.status_code in (302, 303), f"login of {email} failed"
    answer = client.post(
        "/language", data={"csrf_token": _token(client), "lang": lang, "next": "/"}
    )
    assert answer.status_code in (302, 303), "switching the language failed"


def _local(href: str) -> str | None:
    href, _ = urldefrag(href)
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def pages_of(client: FlaskClient) -> Iterator[tuple[str, Any]]:
    """The overview, the menu's pages and one level of links from them (bounded)."""
    home = client.get("/")
    assert home.status_code == 200
    yield "/", home
    menu = [u for u in (_local(h) for h in parse(home.get_data(as_text=True)).nav_links) if u]
    menu = [u for u in dict.fromkeys(menu) if u != "/"]
    seen = {"/", *menu}  # the menu's pages are visited as such, not as links of others
    queue: list[str] = []
    for url in menu:
        answer = client.get(url)
        yield url, answer
        for href in parse(answer.get_data(as_text=True)).links:
            link = _local(href)
            if link and link not in seen and FOLLOW.match(link) and not NOT_FOLLOWED.search(link):
                seen.add(link)
                queue.append(link)
    # one level of links, spread over the menu's pages (a few of each kind)
    budget = MAX_PAGES - 1 - len(menu)
    for url in _spread(queue, max(budget, 0)):
        yield url, client.get(url)


#: Path segments that name a kind of page rather than a thing.
WORDS = {"history", "plan", "verify", "steps", "calendar"}


def _kind(url: str) -> str:
    """A link's kind: its path with the names of things left out (``/cases/*/history``,
    ``/groups/*``, ``/meetings/plan/*``)."""
    top, *rest = url.split("?")[0].strip("/").split("/")
    return "/".join([top, *("*" if part not in WORDS else part for part in rest)])


def _spread(urls: list[str], n: int) -> list[str]:
    """At most ``n`` of ``urls``, taking the kinds in turn (a few cases, a few
    meetings, a few histories, … rather than the first forty cases)."""
    kinds: dict[str, list[str]] = {}
    for u in urls:
        kinds.setdefault(_kind(u), []).append(u)
    out: list[str] = []
    while len(out) < n and any(kinds.values()):
        for bucket in kinds.values():
            if bucket and len(out) < n:
                out.append(bucket.pop(0))
    return out


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("email", [a.email for a in ACCOUNTS], ids=lambda e: e.split("@")[0])
def test_pages_show_one_language_and_no_codes(crawl: Crawl, email: str, lang: str) -> None:
    client = crawl.flask.test_client()
    _login(client, email, lang)
    problems: list[str] = []
    visited = []
    for url, answer in pages_of(client):
        visited.append(url)
        if answer.status_code != 200:
            problems.append(f"{url}: status {answer.status_code}")
            continue
        if answer.mimetype != "text/html":
            continue
        page = parse(answer.get_data(as_text=True))
        problems += [f"{url}: {p}" for p in findings(page.nodes, lang, crawl.foreign[lang])]
    assert len(visited) > 3, f"the crawl reached only {visited}"
    assert len(visited) <= MAX_PAGES + 1
    if problems:
        pytest.fail(summary(problems), pytrace=False)


def summary(problems: list[str]) -> str:
    """Each distinct finding once, with how often and where it was first seen."""
    seen: dict[str, list[str]] = {}
    for p in problems:
        url, _, what = p.partition(": ")
        seen.setdefault(what, []).append(url)
    lines = [f"{len(urls)}× {what} (first on {urls[0]})" for what, urls in seen.items()]
    return f"{len(seen)} distinct findings:\n" + "\n".join(sorted(lines))


def test_the_audit_trail_says_every_event_type_in_words(crawl: Crawl) -> None:
    """The auditor's trail filtered by each event type of its filter (the trail's first
    page shows only the newest events): no code in any summary, role or behalf — the
    setup events name regions, roles and bodies too. (The summaries are bokmål in the
    read model; the English trail's labels are crawled above.)"""
    lang = "nb"
    from web.event_labels import type_choices

    client = crawl.flask.test_client()
    _login(client, "revisor@demo.caseflow.no", lang)
    with crawl.flask.test_request_context():
        types = [code for code, _ in type_choices()]
    problems: list[str] = []
    for code in types:
        url = f"/audit?type={code}&per_page=10"
        answer = client.get(url)
        assert answer.status_code == 200, url
        nodes = parse(answer.get_data(as_text=True)).nodes
        problems += [f"{url}: {p}" for p in findings(nodes, lang, crawl.foreign[lang])]
    if problems:
        pytest.fail(summary(problems), pytrace=False)


def test_the_checks_find_what_the_issue_found() -> None:
    """The crawl's checks, on the texts issue 15 found on the pages (so that a check
    that cannot fail is noticed)."""
    foreign = foreign_texts()
    seen = " | ".join(
        findings(
            [
                "invitation_sent",
                "kg:member",
                "[UUID('8bacaf77-4f17-5ab5-aa18-114ef9b1350b')]",
                "[] → ['Utsatt: styret']",
                "NumberIssued NumberIssued",
                "På vegne av folloregionen",
                "R19",
                "R19: saksframlegget må vurdere",
                "the invitation went out without approved KG minutes",
            ],
            "nb",
            foreign["nb"],
        )
    )
    for what in (
        "snake_case value 'invitation_sent'",
        "role code 'kg:member'",
        "UUID repr",
        "Python repr '[]'",
        "CamelCase name 'NumberIssued'",
        "region or group slug 'folloregionen'",
        "rule id twice 'R19 R19'",
        "English word 'the'",
    ):
        assert what in seen, what
    assert findings(["Innspill om InterCity-strekningene", "referat_kg.pdf"], "nb", set()) == []
    assert "other language's text" in " ".join(
        findings(["Fremmet for styret"], "en", foreign["en"])
    )
