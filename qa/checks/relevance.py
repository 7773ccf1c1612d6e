"""A claim its source says must also answer the question asked, not a neighbouring one.

The LLM's calibrated P(yes) that the claim answers the question (the same event, role, year and thing),
asked apart from whether its source says it, must reach `relevance_threshold`.
"""

from __future__ import annotations

from index.settings import Settings


class RelevanceCheck:
    name = "relevance"
    description = ("the LLM's calibrated P(yes) that the claim answers the question asked (the same event, role, "
                   "year and thing), apart from whether its source says it")
    settings: tuple[str, ...] = ("llm_check", "relevance_threshold")

    def applies(self, question: str) -> bool:
        return True  # every claim whose source says it

    def passes(self, p_rel: float, settings: Settings) -> bool:
        """Does the LLM's P(yes) that the claim answers the question reach `relevance_threshold`?"""
        return p_rel >= settings.relevance_threshold


RELEVANCE_CHECK = RelevanceCheck()
