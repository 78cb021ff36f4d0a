"""Full-text search of the cases (``rm_search``): titles, summaries, references, board
numbers ("Sak 62/26", from the case's numbering at its meeting) and the text of the case
documents (the saksframlegg of each ``Drafted`` revision, and every uploaded document's
newest version).

One row per case in ``rm_search``, and each document's text in ``rm_search_docs`` (so a
new version replaces its document's text and the row is put together again). The index:

- **SQLite**: an FTS5 table ``rm_search_fts`` (``unicode61`` tokenizer, case folded,
  diacritics *kept*: å, æ and ø are letters of their own in Norwegian, "år" is not "ar"),
  rewritten per changed case at the end of each batch; ranked by ``bm25`` (reference,
  title and board numbers weigh most, then the summary, then the documents); no stemming,
  so a word matches as a prefix ("samferd" finds "samferdselen").
- **PostgreSQL**: a generated ``tsvector`` column (``norwegian`` configuration: stemmed,
  weights A reference/title/numbers, B summary, C documents) with a GIN index, queried
  with ``websearch_to_tsquery('norwegian', …)``, ranked by ``ts_rank_cd``, snippets by
  ``ts_headline``.

The query joins the case list's own table (``rm_cases``) and applies its filters with the
case list's own ``WHERE`` (:func:`caseflow.readmodels.case_list._where`), so a search never
shows a case the reader may not see in the list (``CaseFilter.visible``), and counts and
pages the same way. Snippets come back as (text, is-a-match) segments: the caller escapes
the text and marks the matches (``<mark>``), nothing here writes HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from caseflow.domain.case import Case, Submission
from caseflow.readmodels import case_list
from caseflow.readmodels.api import (
    CaseFilter,
    CaseRow,
    Marked,
    Page,
    ReadModelStopped,
    SearchHit,
)
from caseflow.readmodels.base import ReadModelProjection, hexid, on
from caseflow.readmodels.sql import (
    PostgresReadModelView,
    SQLiteReadModelView,
    TableSchema,
    Tx,
    register_view_class,
)

if TYPE_CHECKING:
    from caseflow.readmodels.service import ReadModelService

PREFIX = "rm_search"

SCHEMA = TableSchema(
    tables=(
        (
            "",
            "case_id TEXT PRIMARY KEY, reference TEXT NOT NULL, title TEXT NOT NULL, "
            "summary TEXT NOT NULL, numbers TEXT NOT NULL, documents TEXT NOT NULL",
        ),
        (
            "docs",
            "case_id TEXT NOT NULL, document_id TEXT NOT NULL, title TEXT NOT NULL, "
            "body TEXT NOT NULL, PRIMARY KEY (case_id, document_id)",
        ),
    ),
)

#: The documents' text a row indexes at most (PostgreSQL's tsvector holds at most 1 MB).
MAX_DOCUMENTS = 250_000
#: Match markers inside snippets (control characters: no input text carries them).
START, STOP = "\x02", "\x03"
_DRAFT = "saksframlegg"  # the document id of the case's own drafted text

_TSV = (
    "setweight(to_tsvector('norwegian', reference || ' ' || title || ' ' || numbers), 'A') || "
    "setweight(to_tsvector('norwegian', summary), 'B') || "
    f"setweight(to_tsvector('norwegian', left(documents, {MAX_DOCUMENTS})), 'C')"
)


class SQLiteSearchView(SQLiteReadModelView):
    """The search tables on SQLite, with the FTS5 table ``<prefix>_fts`` (its rowid is
    the row's rowid in ``<prefix>``; renamed and dropped with the others)."""

    schema = SCHEMA
    live_prefix = PREFIX

    def names_for(self, prefix: str) -> dict[str, str]:
        return {**super().names_for(prefix), "t_fts": self.physical(f"{prefix}_fts")}

    def table_ddl(self, prefix: str) -> list[str]:
        return [
            *super().table_ddl(prefix),
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.physical(f'{prefix}_fts')} USING fts5("
            "case_id UNINDEXED, reference, title, numbers, summary, documents, "
            "tokenize = 'unicode61 remove_diacritics 0')",
        ]


class PostgresSearchView(PostgresReadModelView):
    """The search tables on PostgreSQL: a generated ``tsv`` column and its GIN index."""

    schema = SCHEMA
    live_prefix = PREFIX

    def table_ddl(self, prefix: str) -> list[str]:
        statements = super().table_ddl(prefix)
        statements[0] = statements[0][:-1] + f", tsv tsvector GENERATED ALWAYS AS ({_TSV}) STORED)"
        return statements

    def index_ddl(self, prefix: str) -> list[str]:
        return [
            *super().index_ddl(prefix),
            f"CREATE INDEX IF NOT EXISTS {self._index_name(prefix, 'tsv')} "
            f"ON {self.physical(prefix)} USING GIN (tsv)",
        ]


register_view_class("sqlite", PREFIX, SQLiteSearchView)
register_view_class("postgres", PREFIX, PostgresSearchView)


# -- the documents' text -----------------------------------------------------------------

#: Reads a stored file's bytes by SHA-256 (set by the read-model service from the
#: application's attachment store); None: documents are indexed by their title only.
_files: Callable[[str], bytes] | None = None


def use_document_files(get: Callable[[str], bytes] | None) -> None:
    """Where the index reads the bytes of case documents (every projection of this
    process: the service's, a rebuild's and ``caseflow project``'s runners)."""
    global _files
    _files = get


def document_text_of(event: Any) -> str:
    """The text of the file a ``DocumentAdded``/``DocumentVersionAdded`` event records
    (``caseflow.persistence.document_text``); "" when the file or its text is missing."""
    if _files is None:
        return ""
    try:
        data = _files(event.sha256)
        from caseflow.persistence.document_text import document_text
    except Exception:  # a missing file has no text; it never stops the index
        return ""
    return document_text(str(event.media_type), data)


def _events(*names: str) -> tuple[type, ...]:
    """Case event classes by name, those that exist (documents are a newer event)."""
    return tuple(c for c in (getattr(Case, n, None) for n in names) if isinstance(c, type))


# -- the projection ----------------------------------------------------------------------


class SearchProjection(ReadModelProjection):
    """The search index (``rm_search``); a changed case's row and index entry are put
    together once per batch, in :meth:`finish`."""

    name = PREFIX
    short = "search"
    schema = SCHEMA

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self._changed: set[str] = set()
        self._documents: set[str] = set()

    def begin(self, tx: Tx) -> None:
        self._changed, self._documents = set(), set()

    @on(Case.Proposed)
    def _proposed(self, tx: Tx, e: Any, position: int) -> None:
        case_id = hexid(e.originator_id) or ""
        tx.execute(
            "INSERT INTO {t} (case_id, reference, title, summary, numbers, documents) "
            "VALUES (?, ?, ?, ?, '', '') ON CONFLICT (case_id) DO NOTHING",
            (case_id, e.reference, e.title, e.summary),
        )
        self._changed.add(case_id)

    @on(*_events("SubmittedToBoard", "NumberGiven"))
    def _numbered(self, tx: Tx, e: Any, position: int) -> None:
        label = Submission(e.meeting_id, e.number, e.year).label
        if label is None:
            return
        case_id = hexid(e.originator_id) or ""
        numbers = str(tx.scalar("SELECT numbers FROM {t} WHERE case_id = ?", (case_id,)) or "")
        if label not in numbers.split(" · "):  # a postponed case keeps its earlier number
            joined = f"{numbers} · {label}" if numbers else label
            tx.execute("UPDATE {t} SET numbers = ? WHERE case_id = ?", (joined, case_id))
            self._changed.add(case_id)

    @on(Case.Drafted)
    def _drafted(self, tx: Tx, e: Any, position: int) -> None:
        parts = (e.background, e.assessment, e.proposed_resolution, e.political_involvement)
        self._put_document(tx, e, _DRAFT, "", "\n".join(p for p in parts if p))

    @on(*_events("DocumentAdded"))
    def _document_added(self, tx: Tx, e: Any, position: int) -> None:
        self._put_document(tx, e, hexid(e.document_id) or "", e.title, document_text_of(e))

    @on(*_events("DocumentVersionAdded"))
    def _document_version(self, tx: Tx, e: Any, position: int) -> None:
        case_id, document_id = hexid(e.originator_id), hexid(e.document_id)
        tx.execute(
            "UPDATE {t_docs} SET body = ? WHERE case_id = ? AND document_id = ?",
            (document_text_of(e), case_id, document_id),
        )
        self._documents.add(case_id or "")

    def _put_document(self, tx: Tx, e: Any, document_id: str, title: str, body: str) -> None:
        case_id = hexid(e.originator_id) or ""
        tx.execute(
            "INSERT INTO {t_docs} (case_id, document_id, title, body) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (case_id, document_id) DO UPDATE SET body = excluded.body",
            (case_id, document_id, title, body),
        )
        self._documents.add(case_id)

    def finish(self, tx: Tx) -> None:
        """The changed cases' document text and (SQLite) index entries: a few statements
        for the whole batch, not a few per case."""
        documents = sorted(self._documents)
        if documents:
            texts: dict[str, list[str]] = {case_id: [] for case_id in documents}
            for case_id, t, b in tx.all(
                "SELECT case_id, title, body FROM {t_docs} "
                f"WHERE {_among(tx, 'case_id')} ORDER BY case_id, document_id",
                (_ids(tx, documents),),
            ):
                texts[case_id].append(f"{t}\n{b}" if t else str(b))
            tx.executemany(
                "UPDATE {t} SET documents = ? WHERE case_id = ?",
                [("\n".join(parts)[:MAX_DOCUMENTS], c) for c, parts in texts.items()],
            )
        if tx.dialect == "sqlite":  # PostgreSQL's tsv column follows by itself
            changed = sorted(self._changed | self._documents)
            if changed:
                _reindex(tx, changed)
        self._changed, self._documents = set(), set()


def _among(tx: Tx, column: str) -> str:
    """``column`` is one of a list given as one parameter (:func:`_ids`)."""
    if tx.dialect == "sqlite":
        return f"{column} IN (SELECT value FROM json_each(?))"
    return f"{column} = ANY(?)"


def _ids(tx: Tx, ids: Sequence[str]) -> Any:
    return json.dumps(list(ids)) if tx.dialect == "sqlite" else list(ids)


def _reindex(tx: Tx, case_ids: Sequence[str]) -> None:
    """The FTS5 entries of ``case_ids`` put together again from their rows."""
    ids = (_ids(tx, case_ids),)
    tx.execute(
        f"DELETE FROM {{t_fts}} WHERE rowid IN (SELECT rowid FROM {{t}} "
        f"WHERE {_among(tx, 'case_id')})",
        ids,
    )
    tx.execute(
        "INSERT INTO {t_fts} (rowid, case_id, reference, title, numbers, summary, documents) "
        "SELECT rowid, case_id, reference, title, numbers, summary, documents "
        f"FROM {{t}} WHERE {_among(tx, 'case_id')}",
        ids,
    )


# -- queries -------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def fts_query(q: str | None) -> str | None:
    """The FTS5 query for what a person typed: each whitespace-separated part a phrase of
    its words ("62/26" → ``"62 26"``; "Sak 62/26" → ``"Sak 62 26"``, the board number's
    label as one phrase), all parts required, a part that does not end in a number also
    as a prefix (no stemming on SQLite). None when nothing is left."""
    chunks = [w for w in (_WORD.findall(c.replace("_", " ")) for c in (q or "").split()) if w]
    parts = []
    for i, words in enumerate(chunks):
        if words[-1].lower() == "sak" and i + 1 < len(chunks) and chunks[i + 1][0].isdigit():
            chunks[i + 1] = [*words, *chunks[i + 1]]  # "Sak 62/26": one phrase, "sak 62 26"
            continue
        phrase = '"' + " ".join(words) + '"'
        parts.append(phrase if words[-1].isdigit() else phrase + " *")
    return " ".join(parts) or None


def marked(text: str | None) -> Marked:
    """A snippet with START/STOP markers as (text, is-a-match) segments."""
    segments: list[tuple[str, bool]] = []
    for i, part in enumerate(re.split(f"[{START}{STOP}]", text or "")):
        if part:
            segments.append((part, i % 2 == 1))
    return tuple(segments)


def _has_match(segments: Marked) -> bool:
    return any(hit for _, hit in segments)


def _match_sql(tx: Tx, q: str) -> tuple[str, list[Any]] | None:
    """A sub-query of (case_id, rank) for ``q`` (lower rank first), or None."""
    if tx.dialect == "sqlite":
        match = fts_query(q)
        if match is None:
            return None
        return (
            "SELECT case_id, bm25({s_fts}, 0, 10.0, 10.0, 10.0, 3.0, 1.0) AS rank "
            "FROM {s_fts} WHERE {s_fts} MATCH ?",
            [match],
        )
    if not _WORD.search(q):
        return None
    return (
        f"SELECT case_id, -ts_rank_cd(tsv, {_TSQUERY}, 32) AS rank FROM {{s}} "
        f"WHERE tsv @@ {_TSQUERY}",
        [*pg_query(q), *pg_query(q)],
    )


#: What a person typed as a PostgreSQL query: the web-search syntax (stemmed words,
#: "quoted phrases", -not) or every word as a prefix ("oslofj" finds "Oslofjorden").
_TSQUERY = "(websearch_to_tsquery('norwegian', ?) || to_tsquery('norwegian', ?))"


def pg_query(q: str) -> list[str]:
    """The parameters of :data:`_TSQUERY` (the prefixes made of word characters only)."""
    words = _WORD.findall(q.replace("_", " "))
    return [q, " & ".join(f"{w}:*" for w in words)]


def query_search(tx: Tx, f: CaseFilter, ranked: bool = True) -> Page[SearchHit]:
    """The cases matching ``f.q`` and the case list's other filters (``f.visible``
    first), ranked (or in ``f.sort`` order), a page at a time, with snippets."""
    per_page = max(1, min(int(f.per_page), 1000))
    page = max(1, int(f.page))
    match = _match_sql(tx, (f.q or "").strip())
    if match is None:
        return Page([], 0, page, per_page)
    sub, sub_params = match
    where, params = case_list._where(replace(f, q=None))
    source = f"{case_list._FROM} JOIN ({sub}) m ON m.case_id = c.id{where}"
    total = int(tx.scalar(f"SELECT COUNT(*) {source}", [*sub_params, *params]) or 0)
    order = " ORDER BY m.rank, c.reference" if ranked else case_list._order(f.sort)
    rows = tx.all(
        f"SELECT {case_list._COLUMNS} {source}{order} LIMIT ? OFFSET ?",
        [*sub_params, *params, per_page, (page - 1) * per_page],
    )
    invited = case_list._invited(tx, [r[0] for r in rows])
    cases = [case_list._row(r, invited.get(r[0], frozenset())) for r in rows]
    snippets = _snippets(tx, (f.q or "").strip(), [c.id.hex for c in cases])
    hits = [SearchHit(c, *snippets.get(c.id.hex, (((c.title, False),), (), ""))) for c in cases]
    return Page(hits, total, page, per_page)


def _snippets(tx: Tx, q: str, case_ids: Sequence[str]) -> dict[str, tuple[Marked, Marked, str]]:
    """Per case: its title with the matches marked, the best snippet and where it is
    from (``summary``, ``documents`` or ``numbers``)."""
    if not case_ids:
        return {}
    marks = ", ".join("?" for _ in case_ids)
    if tx.dialect == "sqlite":
        rows = tx.all(
            "SELECT case_id, highlight({s_fts}, 2, char(2), char(3)), "
            "snippet({s_fts}, 4, char(2), char(3), '…', 24), "
            "snippet({s_fts}, 5, char(2), char(3), '…', 24), "
            "highlight({s_fts}, 3, char(2), char(3)) "
            f"FROM {{s_fts}} WHERE {{s_fts}} MATCH ? AND case_id IN ({marks})",
            [fts_query(q), *case_ids],
        )
    else:
        options = "StartSel=\x02, StopSel=\x03, MaxWords=35, MinWords=15, MaxFragments=2"
        whole = "StartSel=\x02, StopSel=\x03, HighlightAll=true"
        rows = tx.all(
            "SELECT case_id, ts_headline('norwegian', title, q, ?), "
            "ts_headline('norwegian', summary, q, ?), "
            f"ts_headline('norwegian', left(documents, {MAX_DOCUMENTS}), q, ?), "
            "ts_headline('norwegian', numbers, q, ?) "
            f"FROM {{s}}, (SELECT {_TSQUERY} AS q) AS asked WHERE case_id IN ({marks})",
            [whole, options, options, whole, *pg_query(q), *case_ids],
        )
    found: dict[str, tuple[Marked, Marked, str]] = {}
    order = ("summary", "documents", "numbers")
    if any(c.isdigit() for c in q):  # a board number asked for: show it first
        order = ("numbers", "summary", "documents")
    for case_id, title, summary, documents, numbers in rows:
        parts = {"summary": marked(summary), "documents": marked(documents)}
        parts["numbers"] = marked(numbers)
        where = next((k for k in order if _has_match(parts[k])), "summary")
        found[case_id] = (marked(title), parts[where], where)
    return found


def run_search(service: ReadModelService, f: CaseFilter, ranked: bool = True) -> Page[SearchHit]:
    """Search in one read transaction over the case list's tables and the index's."""
    for short in ("cases", "search"):
        stop = service.stopped.get(short)
        if stop is not None:
            raise ReadModelStopped(stop)
    cases_view = service.projections["cases"].view
    index = service.projections["search"].view.names
    ours = {"s" + k[1:]: v for k, v in index.items() if k == "t" or k.startswith("t_")}
    names = {**cases_view.names, **ours}  # {s}, {s_docs}, {s_fts} beside the list's
    with cases_view.reading() as tx:
        return query_search(tx.with_names(names), f, ranked)


def index_current(service: ReadModelService) -> bool:
    """Whether the index has read as far as the case list (so a ``q`` of the list may be
    answered from it: never older than the list itself; else the list's own text)."""
    name = service.app.name
    views = {s: service.projections[s].view for s in ("cases", "search")}
    if "search" in service.stopped:
        return False
    return views["search"].position(name) >= views["cases"].position(name)


def case_page(found: Page[SearchHit]) -> Page[CaseRow]:
    """The hits as the case list's rows (the list's ``q``)."""
    return Page([h.case for h in found.items], found.total, found.page, found.per_page)
