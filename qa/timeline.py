"""Which articles a timeline lists: one sentence per article about the topic, oldest first.

A timeline ("How did X develop?") should hold every report on the story. The evidence gate
(`refusal_threshold`) asks more of a sentence: that it be close enough to answer a question. Many reports on a
story speak of it only in a sentence about one turn of it ("Wang testified that he heard Bankman-Fried tell
another trader ..."), so a timeline has its own threshold on the same score, `timeline_threshold`, fitted on
labelled topics (`bench/timeline_topics.jsonl`, `python -m bench.timeline`).
"""

from __future__ import annotations

from collections.abc import Iterable

from qa.evidence import EvidenceItem


def timeline_items(ranked: Iterable[EvidenceItem], threshold: float) -> list[EvidenceItem]:
    """One sentence per article, its best-ranked one whose gate score reaches `threshold` and that does not
    conflict with the topic (another year), in published order (undated last)."""
    best: dict[str, EvidenceItem] = {}
    for e in ranked:  # best first: the first fitting sentence of each article
        if not e.conflict and e.score >= threshold and e.passage.article.id not in best:
            best[e.passage.article.id] = e
    return sorted(best.values(), key=lambda e: (e.passage.article.published or "9999", -e.score))
