"""Pick the supporting sentences inside the retrieved passages, and decide whether the question is answerable."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

import numpy as np

from index.chunks import split_sentences
from index.embed import Embedder
from qa.consistency import conflict
from qa.dates import annotate, parse_iso
from qa.retrieve import Passage
from qa.text import covers, expected_type, has_type, stems

_DANGLING = re.compile(r"^(he|she|they|it|this|that|these|those|his|her|their|its|the (?:president|official|minister|spokesman|spokeswoman|kremlin|agency))\b", re.I)
_WORDS = re.compile(r"\w+")
SIM_WEIGHT = 0.55
TYPE_PENALTY = 0.1  # a sentence without the kind of answer asked for (a name for "who", a date for "when")
CONFLICT_PENALTY = 0.2  # a sentence about another year or another numbered thing than the question's
SHORT_WORDS = 4  # a fragment of fewer words ("Forbes.", "This will ...") cannot state an answer and its subject
SHORT_PENALTY = TYPE_PENALTY  # scored like a sentence without the kind of answer asked for


@dataclass
class EvidenceItem:
    passage: Passage
    start: int  # span of the sentence in the cleaned article
    end: int
    text: str
    context: str  # the text the LLM sees: previous sentence too when this one starts with a pronoun
    annotated: str  # context with relative dates resolved, e.g. "on Wednesday [25 July 2018]"
    resolved: list[str] = field(default_factory=list)
    sim: float = 0.0  # cosine(question, sentence)
    coverage: float = 0.0  # share of the question's content words found in the sentence (+ its title)
    score: float = 0.0
    typed: bool = True  # holds the kind of answer the question asks for
    vector: np.ndarray | None = None  # embedding of `context`, reused by the verifier
    article_words: set[str] = field(default_factory=set)  # stems of the whole article (names said once, then "he")
    conflict: str = ""  # why the sentence cannot answer the question (another year, "season 10" for "first season")
    before: str = ""  # the two sentences before it in the chunk: what "the conference" or "the meeting" refers to


@dataclass
class EvidenceSet:
    items: list[EvidenceItem]
    best_score: float
    strong: bool  # one sentence holds every content word of the question and is close in meaning
    plausible: bool  # worth asking the LLM
    reserve: list[EvidenceItem] = field(default_factory=list)  # best sentences of other articles, for corroboration

    @property
    def best(self) -> EvidenceItem | None:
        return self.items[0] if self.items else None


def sentences(question: str, passages: list[Passage], skip: Container[str] = ()) -> list[EvidenceItem]:
    """Every sentence of the passages (once), with its dates resolved and what the question needs checked; unscored."""
    kind = expected_type(question)
    candidates: dict[tuple[str, int], EvidenceItem] = {}
    for p in passages:
        spans = split_sentences(p.text, offset=p.start)
        for i, span in enumerate(spans):
            key = (p.article.id, span.start)
            if key in candidates:
                continue
            text = p.text[span.start - p.start: span.end - p.start]
            context = text
            if i > 0 and _DANGLING.match(text):
                prev = spans[i - 1]
                context = p.text[prev.start - p.start: span.end - p.start]
            annotated, resolved = annotate(context, p.article.published)
            item = EvidenceItem(p, span.start, span.end, text, context, annotated, resolved)
            item.typed = has_type(text, kind, question)
            item.before = p.text[spans[max(0, i - 2)].start - p.start: span.start - p.start] if i else ""
            item.conflict = conflict(question, annotated, p.article.published, skip)
            candidates[key] = item
    return list(candidates.values())


def select_evidence(question: str, qvec: np.ndarray, passages: list[Passage], embedder: Embedder,
                    n: int, threshold: float, margin: float = 1.0, skip: Container[str] = ()) -> EvidenceSet:
    """Score every sentence of the passages against the question; keep the best `n` (2 per article at most)
    that score within `margin` of the best (weak extras only lengthen the prompt and distract a small model)."""
    q_stems = stems(question)
    items = sentences(question, passages, skip)
    if not items:
        return EvidenceSet([], 0.0, False, False)
    vectors = embedder.encode([it.context for it in items])
    for it, v in zip(items, vectors, strict=True):
        it.vector = v
        it.sim = float(np.dot(qvec, v))
        found = covers(q_stems, stems(it.context) | stems(it.passage.article.title))
        it.coverage = len(found) / len(q_stems) if q_stems else 0.0
        it.score = SIM_WEIGHT * it.sim + (1 - SIM_WEIGHT) * it.coverage
        if not it.typed:
            it.score -= TYPE_PENALTY
        if it.conflict:
            it.score -= CONFLICT_PENALTY
        if len(_WORDS.findall(it.text)) < SHORT_WORDS:
            it.score -= SHORT_PENALTY
    items.sort(key=lambda it: it.score, reverse=True)
    chosen: list[EvidenceItem] = []
    per_article: dict[str, int] = {}
    said: set[str] = set()
    for it in items:
        if per_article.get(it.passage.article.id, 0) >= 2:
            continue
        same = " ".join(_WORDS.findall(it.text.lower()))
        if same in said:  # the same words from another article (syndicated copy) add nothing
            continue
        said.add(same)
        chosen.append(it)
        per_article[it.passage.article.id] = per_article.get(it.passage.article.id, 0) + 1
        if len(chosen) == n:
            break
    chosen = [it for it in chosen if it.score >= chosen[0].score - margin]
    seen = {it.passage.article.id for it in chosen}
    reserve: list[EvidenceItem] = []
    for it in items:
        if it.passage.article.id not in seen and not it.conflict and len(reserve) < n + 2:
            reserve.append(it)
            seen.add(it.passage.article.id)
    best = chosen[0]
    strong = best.typed and not best.conflict and ((best.coverage >= 0.99 and best.sim >= 0.45) or (best.coverage >= 0.85 and best.sim >= 0.6))
    return EvidenceSet(chosen, best.score, strong, best.score >= threshold or strong, reserve)


def newest_first_note(items: list[EvidenceItem]) -> str:
    """When cited articles were published on different dates, say which is newer (sources can disagree over time)."""
    dated = sorted({(it.passage.article.published, it.passage.article.title) for it in items if it.passage.article.published},
                   reverse=True)
    if len(dated) < 2:
        return ""
    newest = parse_iso(dated[0][0])
    return f"The newest of these sources was published {newest:%-d %B %Y}." if newest else ""
