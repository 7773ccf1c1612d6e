"""Hybrid retrieval: dense (Chroma) + keyword (BM25 over SQLite FTS5), fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.embed import Embedder
from index.store import ArticleRecord, Store, published_number

RRF_K = 60


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None
    sources: tuple[str, ...] = ()

    def chroma_where(self, known_sources: Sequence[str]) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.since:
            clauses.append({"published_n": {"$gte": published_number(self.since)}})
        if self.until:
            clauses.append({"published_n": {"$lte": published_number(self.until)}})
            clauses.append({"published_n": {"$gt": 0}})
        if self.sources:
            wanted = {s.lower() for s in self.sources}
            clauses.append({"source": {"$in": [s for s in known_sources if s.lower() in wanted] or ["\x00none"]}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.sources)


@dataclass
class Passage:
    chunk_id: str
    article: ArticleRecord
    text: str
    start: int
    end: int
    score: float  # fused (RRF)
    dense: float  # cosine similarity to the query
    rank: int = 0


def retrieve(store: Store, embedder: Embedder, query: str, k: int, candidates: int, filters: Filters,
             query_vector: np.ndarray | None = None, prefer_recent: bool = False,
             prefer_range: tuple[str, str] | None = None) -> list[Passage]:
    """Top-k live chunks for `query`, by RRF of dense and keyword ranks; filters applied to both.

    prefer_recent / prefer_range (published dates, from time words in the question) raise matching chunks
    in the ranking without excluding others: "in 2012" may name the event's year, not the article's.
    """
    vec = query_vector if query_vector is not None else embedder.encode([query])[0]
    where = filters.chroma_where(store.sources()) if filters.active else None
    dense = store.dense_search([float(x) for x in vec], candidates, where)
    allowed = store.article_ids_where(filters.since, filters.until, filters.sources) if filters.active else None
    keyword = store.keyword_search(query, candidates, allowed)
    fused: dict[str, float] = {}
    for hits in (dense, keyword):
        for rank, hit in enumerate(hits):
            fused[hit.chunk_id] = fused.get(hit.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    dense_sim = {h.chunk_id: h.score for h in dense}
    rows = store.chunk_rows(list(fused))  # drops chunks not (or no longer) live in the manifest
    articles = {a.id: a for a in store.articles_by_id({r[0] for r in rows.values()})}
    if prefer_recent and articles:
        newest = sorted({a.published for a in articles.values() if a.published}, reverse=True)
        for cid, row in rows.items():
            pub = articles[row[0]].published
            if pub and newest:
                fused[cid] += 0.5 / (RRF_K + newest.index(pub) + 1)
    if prefer_range:
        for cid, row in rows.items():
            if prefer_range[0] <= articles[row[0]].published <= prefer_range[1]:
                fused[cid] += 0.5 / (RRF_K + 1)
    ranked = sorted(rows, key=lambda c: fused[c], reverse=True)[:k]
    missing = [c for c in ranked if c not in dense_sim]
    if missing:  # keyword-only hits still need a similarity: their stored vectors cost ~2 ms, re-encoding ~40
        stored = store.chunk_vectors(missing)
        unstored = [c for c in missing if c not in stored]
        if unstored:
            stored.update(zip(unstored, embedder.encode([rows[c][3] for c in unstored]), strict=True))
        for cid in missing:
            dense_sim[cid] = float(np.dot(vec, stored[cid]))
    out = []
    for i, cid in enumerate(ranked):
        art_id, start, end, text = rows[cid]
        out.append(Passage(cid, articles[art_id], text, start, end, fused[cid], dense_sim[cid], i + 1))
    return out
