"""Pick the supporting sentences inside the retrieved passages, and decide whether the question is answerable."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.chunks import split_sentences
from index.embed import Embedder
from qa.consistency import conflict
from qa.dates import annotate, parse_iso
from qa.retrieve import Passage
from qa.text import covers, expected_type, has_type, source_words, stems

_DANGLING = re.compile(r"^(he|she|they|it|this|that|these|those|his|her|their|its|the (?:president|official|minister|spokesman|spokeswoman|kremlin|agency))\b", re.I)
_WORDS = re.compile(r"\w+")
SIM_WEIGHT = 0.55
TYPE_PENALTY = 0.1  # a sentence without the kind of answer asked for (a name for "who", a date for "when")
CONFLICT_PENALTY = 0.2  # a sentence about another year or another numbered thing than the question's
SHORT_WORDS = 4  # a fragment of fewer words ("Forbes.", "This will ...") cannot state an answer and its subject
SHORT_PENALTY = TYPE_PENALTY  # scored like a sentence without the kind of answer asked for
# Which sentences become the evidence, and in what order: a logistic model over the features below, fitted on
# labelled sentences (does it hold the gold answer?) of the tune split by `python -m bench.evidence_rank fit`.
# The evidence gate (`score`, `refusal_threshold`) is not this model: it keeps its own calibrated formula.
RANK_MODEL = Path(__file__).with_name("evidence_rank.json")
RANK_FEATURES = ("sim", "coverage", "key_coverage", "text_coverage", "typed", "conflict", "short", "passage_rank")


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
    features: dict[str, float] = field(default_factory=dict)  # what the evidence rank model reads (RANK_FEATURES)
    rank: float = 0.0  # the rank model's score: the evidence is the best few by this


@dataclass
class EvidenceSet:
    items: list[EvidenceItem]
    best_score: float
    plausible: bool  # worth asking the LLM: the best score reaches the threshold, or one sentence is strong
    reserve: list[EvidenceItem] = field(default_factory=list)  # best sentences of other articles, for corroboration
    ranked: list[EvidenceItem] = field(default_factory=list)  # every sentence of the passages, best rank first
    best_long: bool = False  # the best-scoring sentence is from a long article (the gate's threshold for those)
    threshold: float = 0.0  # the gate's threshold the best score was held to

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


def rank_weights(path: Path = RANK_MODEL) -> dict[str, float]:
    """The fitted weights of the evidence rank model (one per feature, and `bias`)."""
    return {k: float(v) for k, v in json.loads(path.read_text())["weights"].items()}


_WEIGHTS = rank_weights()


def gate_score(f: Mapping[str, float]) -> float:
    """The evidence gate's score of a sentence from its features: meaning and the question's words, less a
    penalty for lacking the kind of answer asked for, for a conflict and for a fragment (fitted thresholds
    such as `refusal_threshold` are on this scale)."""
    return (SIM_WEIGHT * f["sim"] + (1 - SIM_WEIGHT) * f["coverage"] - TYPE_PENALTY * (1 - f["typed"])
            - CONFLICT_PENALTY * f["conflict"] - SHORT_PENALTY * f["short"])


def gate_long(item: EvidenceItem) -> bool:
    """Is the sentence from a long article (more than one chunk)? Its gate score counts the question's words in
    one sentence, while a long article says its names and topic in the sentences around it; a snippet holds
    its context in itself. So the score means less there, and the gate has a threshold fitted for each kind
    (`refusal_threshold_long`, `refusal_threshold`: python -m bench.gate fit)."""
    return item.passage.article.n_chunks > 1


def score_sentences(question: str, items: list[EvidenceItem], rank_model: bool = True) -> None:
    """Set each sentence's features (`RANK_FEATURES`; `sim` must be set), its gate `score` and its `rank`
    (the rank model's score; without `rank_model`, the gate score: the ranking before the model).

    `key_coverage` weights the question's words by how few of the candidate sentences hold them (inverse
    document frequency over this pool): a word every sentence has ("Olympics") says less about which one
    answers than a rare one ("Tokyo")."""
    q_stems = stems(question)
    said = [source_words(it.context) for it in items]
    # covers() matches each word on its own, so one call per sentence gives both its words and the pool's counts
    found_in = [covers(q_stems, s | stems(it.passage.article.title)) for s, it in zip(said, items, strict=True)]
    df = {w: sum(1 for found in found_in if w in found) for w in q_stems}
    idf = {w: math.log(1 + len(items) / max(1, df[w])) for w in q_stems}
    total = sum(idf.values()) or 1.0
    for it, s, found in zip(items, said, found_in, strict=True):
        it.coverage = len(found) / len(q_stems) if q_stems else 0.0
        it.features = {
            "sim": it.sim, "coverage": it.coverage,
            "key_coverage": sum(idf[w] for w in found) / total,
            "text_coverage": len(covers(q_stems, s)) / len(q_stems) if q_stems else 0.0,
            "typed": float(it.typed), "conflict": float(bool(it.conflict)),
            "short": float(len(_WORDS.findall(it.text)) < SHORT_WORDS),
            "passage_rank": 1.0 / max(1, it.passage.rank),
        }
        it.score = gate_score(it.features)
        it.rank = (_WEIGHTS["bias"] + sum(_WEIGHTS[f] * it.features[f] for f in RANK_FEATURES) if rank_model
                   else it.score)


def choose(ranked: list[tuple[str, str]], n: int) -> list[int]:
    """Indexes of the first `n` of `ranked` (article id, sentence), best first, with at most 2 sentences per
    article and each wording once (the same words from another article, a syndicated copy, add nothing)."""
    chosen: list[int] = []
    per_article: dict[str, int] = {}
    said: set[str] = set()
    for i, (article, text) in enumerate(ranked):
        same = " ".join(_WORDS.findall(text.lower()))
        if per_article.get(article, 0) >= 2 or same in said:
            continue
        said.add(same)
        chosen.append(i)
        per_article[article] = per_article.get(article, 0) + 1
        if len(chosen) == n:
            break
    return chosen


def select_evidence(question: str, qvec: np.ndarray, passages: list[Passage], embedder: Embedder,
                    n: int, threshold: float, margin: float = 1.0, skip: Container[str] = (),
                    rank_model: bool = True, long_threshold: float | None = None) -> EvidenceSet:
    """Score every sentence of the passages against the question; keep the best `n` by the rank model (2 per
    article at most) that score within `margin` of the best (weak extras only lengthen the prompt and distract
    a small model). Whether the question is answerable at all is decided by `score`, the gate's own formula,
    against `threshold`, or `long_threshold` when the best-scoring sentence is from a long article (`gate_long`)."""
    items = sentences(question, passages, skip)
    if not items:
        return EvidenceSet([], 0.0, False)
    vectors = embedder.encode([it.context for it in items])
    for it, v in zip(items, vectors, strict=True):
        it.vector = v
        it.sim = float(np.dot(qvec, v))
    score_sentences(question, items, rank_model)
    gate_item = max(items, key=lambda it: it.score)
    best_score = gate_item.score
    if long_threshold is not None and gate_long(gate_item):
        threshold = long_threshold
    items.sort(key=lambda it: it.rank, reverse=True)
    picked = choose([(it.passage.article.id, it.text) for it in items], n)
    chosen = [items[i] for i in picked]
    chosen = chosen[:1] + [it for it in chosen[1:] if it.score >= best_score - margin]
    seen = {it.passage.article.id for it in chosen}
    reserve: list[EvidenceItem] = []
    for it in items:
        if it.passage.article.id not in seen and not it.conflict and len(reserve) < n + 2:
            reserve.append(it)
            seen.add(it.passage.article.id)
    best = chosen[0]
    # strong: one sentence holds (nearly) every content word of the question and is close in meaning
    strong = best.typed and not best.conflict and ((best.coverage >= 0.99 and best.sim >= 0.45) or (best.coverage >= 0.85 and best.sim >= 0.6))
    return EvidenceSet(chosen, best_score, best_score >= threshold or strong, reserve, items, gate_long(gate_item),
                       threshold)


def newest_first_note(items: list[EvidenceItem]) -> str:
    """When cited articles were published on different dates, say which is newer (sources can disagree over time)."""
    dated = sorted({(it.passage.article.published, it.passage.article.title) for it in items if it.passage.article.published},
                   reverse=True)
    if len(dated) < 2:
        return ""
    newest = parse_iso(dated[0][0])
    return f"The newest of these sources was published {newest:%-d %B %Y}." if newest else ""
