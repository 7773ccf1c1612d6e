"""The one place that talks to Chroma and to the local manifest (SQLite: article hashes + keyword index).

Consistency protocol, so a crash at any point loses nothing and never shows an article twice:
1. the articles about to change are written to `pending` (write-ahead) and committed;
2. their new chunks are upserted into Chroma (ids carry the content hash, so a redo is idempotent);
3. one SQLite transaction swaps the manifest rows, chunk rows and keyword index, records the old chunk ids
   in `stale` and clears `pending`: this is the moment readers see the new version, because readers only
   accept Chroma hits whose chunk id is in the manifest;
4. the stale chunks are deleted from Chroma and `stale` is cleared.
`recover()` finishes steps 2-4 for anything a killed run left behind.
"""

from __future__ import annotations

import json
import logging
import math
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from index.articles import Article, page_at
from index.chunks import Chunk
from index.errors import UserError
from index.lexicon import SEARCH_STOPWORDS
from index.settings import Settings

log = logging.getLogger(__name__)

SCHEMA_VERSION = "2"  # 2: chunks_fts.rowid == chunks.rowid, so deleting an article's keyword rows is a lookup
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, hash TEXT NOT NULL, title TEXT, source TEXT, url TEXT, published TEXT,
    published_estimated INTEGER, path TEXT, n_chunks INTEGER, indexed_at REAL);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, idx INTEGER, start INTEGER, end INTEGER, text TEXT);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, chunk_id UNINDEXED, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS article_text (id TEXT PRIMARY KEY, text TEXT);
CREATE TABLE IF NOT EXISTS pending (article_id TEXT PRIMARY KEY, hash TEXT, chunk_ids TEXT);
CREATE TABLE IF NOT EXISTS stale (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS article_pages (id TEXT PRIMARY KEY, starts TEXT NOT NULL);
"""


class IndexError_(UserError, RuntimeError):
    """The index cannot be used as it is; the message says what to do."""

    exit_code = 1
    http_status = 503


class StoreUnavailable(IndexError_):
    """The Chroma server did not answer."""


@dataclass(frozen=True)
class ArticleRecord:
    id: str
    hash: str
    title: str
    source: str
    url: str
    published: str
    published_estimated: bool
    path: str
    n_chunks: int
    pages: tuple[int, ...] = ()  # documents: where each page starts in the cleaned text (page 1 first)

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) of character `offset` of the cleaned text; None for an article without pages."""
        return page_at(self.pages, offset)


@dataclass(frozen=True)
class Hit:
    chunk_id: str
    score: float


def published_number(iso: str) -> int:
    """YYYY-MM-DD -> YYYYMMDD as an int (Chroma's range filters need numbers); 0 when unknown."""
    return int(iso.replace("-", "")) if iso else 0


class Store:
    """Chroma collection (embedded or server) + SQLite manifest, opened for one data directory."""

    def __init__(self, settings: Settings, create: bool = False) -> None:
        self.settings = settings
        self._vector_store: Any = None
        self.db = self._open_manifest(settings, create)
        self._has_pages = False

    # ---- manifest -------------------------------------------------------------------------------
    @staticmethod
    def _open_manifest(settings: Settings, create: bool) -> sqlite3.Connection:
        data_dir = settings.data_dir
        path = settings.manifest_path
        if not path.exists():
            if not create:
                if data_dir.is_dir() and any(p for p in data_dir.iterdir() if not _own_file(p.name)):
                    raise IndexError_(f"{data_dir} is not a citewire index; pass --data-dir of one, or an empty folder")
                raise IndexError_(f"nothing is indexed in {data_dir} yet; run `citewire ingest` first")
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IndexError_(f"cannot create data directory {data_dir} ({exc.strerror}); choose another with --data-dir") from exc
        try:
            db = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if create:
                db.executescript(_SCHEMA)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if create and row and row[0] == "1":
                _migrate_v1(db)
        except sqlite3.DatabaseError as exc:
            raise IndexError_(
                f"the index at {path} is unreadable or corrupt ({exc}); move it away and run `citewire ingest` again"
            ) from exc
        if not row:
            raise IndexError_(f"{path} is not a citewire index; pass --data-dir of one, or an empty folder")
        return db

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def _pages_sql(self) -> str:
        """The page starts column; an index made before documents had pages has no such table until an ingest."""
        if not self._has_pages:
            self._has_pages = bool(self.db.execute("SELECT 1 FROM sqlite_master WHERE name='article_pages'").fetchone())
        return "(SELECT starts FROM article_pages p WHERE p.id = articles.id)" if self._has_pages else "NULL"

    def article_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, hash FROM articles"))

    def articles(self) -> list[ArticleRecord]:
        rows = self.db.execute(
            "SELECT id, hash, title, source, url, published, published_estimated, path, n_chunks, "
            f"{self._pages_sql} FROM articles ORDER BY published DESC, id"
        )
        return [_record(r) for r in rows]

    def article(self, article_id: str) -> ArticleRecord | None:
        found = self.articles_by_id({article_id})
        return found[0] if found else None

    def articles_by_id(self, ids: set[str]) -> list[ArticleRecord]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT id, hash, title, source, url, published, published_estimated, path, n_chunks, "
            f"{self._pages_sql} FROM articles WHERE id IN ({marks})",
            list(ids),
        )
        return [_record(r) for r in rows]

    def article_text(self, article_id: str) -> str:
        row = self.db.execute("SELECT text FROM article_text WHERE id=?", (article_id,)).fetchone()
        return row[0] if row else ""

    def read_article(self, article_id: str) -> tuple[ArticleRecord, str] | None:
        """An article's record and its whole cleaned text (the text citation spans index into); None if absent."""
        record = self.article(article_id)
        return None if record is None else (record, self.article_text(article_id))

    def counts(self) -> tuple[int, int]:
        a = self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        c = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return int(a), int(c)

    def sources(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT source FROM articles WHERE source != '' ORDER BY source")]

    def chunk_rows(self, chunk_ids: Sequence[str]) -> dict[str, tuple[str, int, int, str]]:
        """chunk id -> (article id, start, end, text) for the ids that are live in the manifest."""
        out: dict[str, tuple[str, int, int, str]] = {}
        for i in range(0, len(chunk_ids), 500):
            part = list(chunk_ids[i:i + 500])
            marks = ",".join("?" * len(part))
            for r in self.db.execute(f"SELECT id, article_id, start, end, text FROM chunks WHERE id IN ({marks})", part):
                out[r[0]] = (r[1], r[2], r[3], r[4])
        return out

    # ---- Chroma -----------------------------------------------------------------------------------
    @property
    def vector_store(self) -> Any:
        """llama-index's ChromaVectorStore over a PersistentClient (default) or an HttpClient (chroma_url)."""
        if self._vector_store is None:
            self._vector_store = self._connect()
        return self._vector_store

    def _connect(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        url = self.settings.chroma_url
        try:
            if url:
                parsed = urlparse(url if "://" in url else f"http://{url}")
                client = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                    ssl=parsed.scheme == "https", settings=chroma_settings,
                )
            else:
                client = chromadb.PersistentClient(path=str(self.settings.chroma_path), settings=chroma_settings)
            collection = client.get_or_create_collection(self.settings.collection, metadata={"hnsw:space": "cosine"})
        except Exception as exc:  # chromadb raises ValueError/ConnectionError/its own types
            if url:
                raise StoreUnavailable(f"cannot reach the Chroma server at {url} ({_short(exc)}); start it with `chroma run` or fix --chroma-url") from exc
            raise IndexError_(f"cannot open the Chroma data in {self.settings.chroma_path} ({_short(exc)}); move it away and re-ingest") from exc
        self._check_not_empty(collection)
        return ChromaVectorStore(chroma_collection=collection)

    def _check_not_empty(self, collection: Any) -> None:
        """A manifest that lists chunks with an empty collection means the vectors are elsewhere (another
        --chroma-url, a server that lost its data): say so, instead of answering from nothing or skipping the
        "unchanged" articles in an ingest."""
        n = self.counts()[1]
        if not n:
            return
        try:
            empty = collection.count() == 0
        except Exception:  # a flaky server: the next call reports it properly
            return
        if empty:
            where = self.settings.chroma_url or str(self.settings.chroma_path)
            raise IndexError_(
                f"the Chroma collection {self.settings.collection!r} at {where} is empty, but the index in "
                f"{self.settings.data_dir} lists {n} chunks: the vectors are in another Chroma or were lost; "
                "point --chroma-url back at them, or ingest into a new --data-dir")

    @property
    def collection(self) -> Any:
        return self.vector_store.client

    def _chroma(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a Chroma call, retrying transient failures of a server with backoff."""
        attempts = 4 if self.settings.chroma_url else 1
        for attempt in range(attempts):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                if attempt == attempts - 1:
                    where = self.settings.chroma_url or str(self.settings.chroma_path)
                    raise StoreUnavailable(f"Chroma at {where} failed during {what} ({_short(exc)}); re-run the command when it is back") from exc
                delay = 0.5 * 2**attempt
                log.warning("Chroma %s failed (%s); retrying in %.1fs", what, _short(exc), delay)
                time.sleep(delay)

    # ---- writes -------------------------------------------------------------------------------
    def replace_articles(self, items: Iterable[tuple[Article, str, list[Chunk], Any]]) -> None:
        """Atomically (for readers) replace each article's chunks: items are (article, cleaned, chunks, vectors)."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        items = list(items)
        if not items:
            return
        with self._tx():
            for art, _, chunks, _ in items:
                self.db.execute("INSERT OR REPLACE INTO pending VALUES (?, ?, ?)",
                                (art.id, art.content_hash, json.dumps([c.id for c in chunks])))
        nodes = []
        for art, _, chunks, vectors in items:
            meta = {
                "article_id": art.id, "title": art.title, "source": art.source, "url": art.url,
                "published": art.published, "published_n": published_number(art.published),
                "content_hash": art.content_hash,
            }
            for chunk, vec in zip(chunks, vectors, strict=True):
                pages = {"page": chunk.page, "last_page": chunk.last_page} if chunk.page is not None else {}
                node = TextNode(id_=chunk.id, text=chunk.text, embedding=[float(x) for x in vec],
                                metadata=meta | {"start": chunk.start, "end": chunk.end} | pages,
                                start_char_idx=chunk.start, end_char_idx=chunk.end)
                node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=art.id)
                nodes.append(node)
        if nodes:
            ids = [n.node_id for n in nodes]
            # delete-then-add makes a redo after a crash idempotent (add alone ignores existing ids)
            self._chroma("write", self.vector_store.delete_nodes, node_ids=ids)
            self._chroma("write", self.vector_store.add, nodes)
        now = time.time()
        with self._tx():
            for art, cleaned, chunks, _ in items:
                old = [r[0] for r in self.db.execute("SELECT id FROM chunks WHERE article_id=?", (art.id,))]
                new_ids = {c.id for c in chunks}
                self.db.executemany("INSERT OR IGNORE INTO stale VALUES (?)", [(i,) for i in old if i not in new_ids])
                self._delete_manifest_rows(art.id)
                self.db.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (art.id, art.content_hash, art.title, art.source, art.url, art.published,
                     int(art.published_estimated), art.path, len(chunks), now))
                self.db.execute("INSERT INTO article_text VALUES (?, ?)", (art.id, cleaned))
                if art.page_starts:
                    self.db.execute("INSERT INTO article_pages VALUES (?, ?)", (art.id, json.dumps(list(art.page_starts))))
                self.db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?)",
                                    [(c.id, art.id, c.index, c.start, c.end, c.text) for c in chunks])
                self.db.executemany("INSERT INTO chunks_fts (rowid, text, chunk_id) SELECT rowid, ?, id FROM chunks WHERE id=?",
                                    [(f"{art.title}\n{c.text}", c.id) for c in chunks])
                self.db.execute("DELETE FROM pending WHERE article_id=?", (art.id,))
        self._purge_stale()

    def remove_articles(self, article_ids: Iterable[str]) -> int:
        ids = list(article_ids)
        with self._tx():
            for art_id in ids:
                self.db.execute("INSERT OR IGNORE INTO stale SELECT id FROM chunks WHERE article_id=?", (art_id,))
                self._delete_manifest_rows(art_id)
        self._purge_stale()
        return len(ids)

    def _delete_manifest_rows(self, art_id: str) -> None:
        # by rowid (FTS5 cannot index chunk_id): a scan of the whole keyword index per article made ingest quadratic
        self.db.execute("DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE article_id=?)", (art_id,))
        self.db.execute("DELETE FROM chunks WHERE article_id=?", (art_id,))
        self.db.execute("DELETE FROM articles WHERE id=?", (art_id,))
        self.db.execute("DELETE FROM article_text WHERE id=?", (art_id,))
        self.db.execute("DELETE FROM article_pages WHERE id=?", (art_id,))

    def _purge_stale(self) -> None:
        stale = [r[0] for r in self.db.execute("SELECT chunk_id FROM stale")]
        for i in range(0, len(stale), 1000):
            part = stale[i:i + 1000]
            self._chroma("delete", self.vector_store.delete_nodes, node_ids=part)
            with self._tx():
                self.db.executemany("DELETE FROM stale WHERE chunk_id=?", [(c,) for c in part])

    def recover(self) -> int:
        """Finish what an interrupted ingest left: drop chunks of unfinished writes and stale ones."""
        pending = list(self.db.execute("SELECT article_id, chunk_ids FROM pending"))
        live = {r[0] for r in self.db.execute("SELECT id FROM chunks WHERE article_id IN (SELECT article_id FROM pending)")}
        orphans = [cid for _, ids in pending for cid in json.loads(ids or "[]") if cid not in live]
        with self._tx():
            self.db.executemany("INSERT OR IGNORE INTO stale VALUES (?)", [(c,) for c in orphans])
            self.db.execute("DELETE FROM pending")
        self._purge_stale()
        if pending:
            log.warning("recovered from an interrupted ingest (%d article(s) were mid-write)", len(pending))
        return len(pending)

    def _tx(self) -> Any:
        return _Transaction(self.db)

    # ---- reads --------------------------------------------------------------------------------
    def dense_search(self, vector: Sequence[float], k: int, where: dict[str, Any] | None) -> list[Hit]:
        """Nearest chunks by cosine similarity (live chunks only)."""
        from llama_index.core.vector_stores.types import VectorStoreQuery

        query = VectorStoreQuery(query_embedding=[float(x) for x in vector], similarity_top_k=k)
        kwargs = {"where": where} if where else {}
        result = self._chroma("query", self.vector_store.query, query, include=["distances", "metadatas", "documents"], **kwargs)
        # ChromaVectorStore reports exp(-distance); with cosine space, distance = 1 - cos.
        return [Hit(cid, 1.0 + math.log(max(sim, 1e-12))) for cid, sim in zip(result.ids, result.similarities, strict=False)]

    def chunk_vectors(self, chunk_ids: Sequence[str]) -> dict[str, Any]:
        """The stored embeddings of these chunks (float32 arrays), fetched from Chroma instead of re-encoding
        their text; ids Chroma does not have are left out."""
        import numpy as np

        if not chunk_ids:
            return {}
        got = self._chroma("get", self.collection.get, ids=list(chunk_ids), include=["embeddings"])
        return {cid: np.asarray(vec, dtype=np.float32) for cid, vec in zip(got["ids"], got["embeddings"], strict=True)}

    def keyword_search(self, query: str, k: int, article_ids: set[str] | None = None) -> list[Hit]:
        """BM25 over chunk texts (SQLite FTS5); scores are positive, larger is better."""
        terms = list(dict.fromkeys(t for t in re.findall(r"\w+", query.lower()) if len(t) > 1))
        # stop words carry ~no BM25 weight but match most rows, and FTS5 scores every match: at 100k chunks
        # "the" alone made this ~10x slower. Kept when the query has nothing else.
        terms = [t for t in terms if t not in SEARCH_STOPWORDS] or terms
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        rows = self.db.execute(
            "SELECT chunk_id, -bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?",
            (match, k * (4 if article_ids is not None else 1)),
        ).fetchall()
        hits = [Hit(r[0], float(r[1])) for r in rows]
        if article_ids is not None:
            hits = [h for h in hits if h.chunk_id.split(":", 1)[0] in article_ids]
        return hits[:k]

    def article_ids_where(self, since: str | None, until: str | None, sources: Sequence[str] | None) -> set[str]:
        sql, args = "SELECT id FROM articles WHERE 1=1", []
        if since:
            sql += " AND published >= ? AND published != ''"
            args.append(since)
        if until:
            sql += " AND published <= ? AND published != ''"
            args.append(until)
        if sources:
            sql += f" AND lower(source) IN ({','.join('?' * len(sources))})"
            args.extend(s.lower() for s in sources)
        return {r[0] for r in self.db.execute(sql, args)}

    def close(self) -> None:
        with closing(self.db):
            pass


def _migrate_v1(db: sqlite3.Connection) -> None:
    """Schema 1 -> 2: rebuild the keyword index with rowids equal to the chunk rows' (same content)."""
    with _Transaction(db):
        db.execute("DELETE FROM chunks_fts")
        db.execute("INSERT INTO chunks_fts (rowid, text, chunk_id) SELECT c.rowid, coalesce(a.title, '') || char(10) || c.text, c.id "
                   "FROM chunks c LEFT JOIN articles a ON a.id = c.article_id")
        db.execute("UPDATE meta SET value='2' WHERE key='schema'")
    log.info("upgraded the manifest's keyword index to schema 2")


def _record(r: Sequence[Any]) -> ArticleRecord:
    pages = tuple(json.loads(r[9])) if len(r) > 9 and r[9] else ()
    return ArticleRecord(r[0], r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "", bool(r[6]), r[7] or "", r[8] or 0, pages)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:160]


def manifest_exists(data_dir: Path) -> bool:
    return (data_dir / "citewire.sqlite").is_file()


# What citewire itself keeps in a data dir besides the index: the interfaces' own stores (conversations,
# feedback, uploads, removed articles) and the ingest lock, written before or without any ingest.
_OWN = ("chroma", "ingest.lock", "conversations.sqlite", "feedback.sqlite", "uploads", "removed")


def _own_file(name: str) -> bool:
    return name.startswith(".") or any(name == n or name.startswith(n + "-") for n in _OWN)
