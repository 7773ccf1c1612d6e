"""Rank the evidence by whether it answers the question, not only by how much it looks like it.

Embedding similarity and word overlap put first a sentence that repeats the question's words ("The 2017
French presidential election remains ...", "Maxwell Award Recipients."), while the sentence that gives the
answer may say it in other words. Before the draft, each of the top `rerank_candidates` sentences is put to
the LLM alone ("Does the sentence answer the question?", the calibrated P(yes) of the quote check), and the
evidence is re-ordered by `score + rerank_weight * P(yes)`: the model's probability ranks, it does not decide.
`rerank_weight` is fitted on labelled sentences by `python -m bench.rerank fit`. Off by default
(`rerank_candidates = 0`): it ranks better but, end to end, lets near misses through as often as it finds
answers (README, Quality).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class RerankCheck:
    name = "rerank"
    description = ("the evidence re-ordered by score + rerank_weight * the LLM's P(yes) that the sentence answers "
                   "the question, over the top rerank_candidates sentences")
    settings: tuple[str, ...] = ("rerank_weight", "rerank_candidates")

    def applies(self, question: str) -> bool:
        return True  # every single-fact question with an LLM loaded

    @staticmethod
    def combined(score: float, p_yes: float, weight: float) -> float:
        """The rank key of one sentence: its evidence score plus `weight` times the LLM's P(yes)."""
        return score + weight * p_yes

    def order(self, items: Sequence[T], scores: Sequence[float], p_yes: Sequence[float], weight: float) -> list[T]:
        """`items` best first by the combined key (a stable sort: ties keep the evidence order)."""
        keyed = sorted(range(len(items)), key=lambda i: -self.combined(scores[i], p_yes[i], weight))
        return [items[i] for i in keyed]


RERANK_CHECK = RerankCheck()
