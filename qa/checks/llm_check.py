"""A claim's citation is kept only when the LLM, shown the cited sentence alone, says it says the claim.

The decision is not the word the model samples but its calibrated probability, P(yes) / (P(yes) + P(no)) of
the first token, against a threshold fitted on labelled checks (`check_threshold`).
With no claim (a sentence to be quoted), the question is asked instead: does the sentence answer it?
"""

from __future__ import annotations

from index.settings import Settings
from qa.answer import Dropped
from qa.checks.base import Verdict


class LLMCheck:
    name = "llm_check"
    description = "the LLM's calibrated P(yes) that the cited sentence says the claim"
    settings: tuple[str, ...] = ("llm_check", "check_threshold")

    def applies(self, question: str) -> bool:
        return True  # every claim and every quoted sentence is checked (when an LLM is loaded)

    def verdict(self, p_yes: float, settings: Settings) -> Verdict:
        """Does the LLM's `p_yes` reach `check_threshold`?"""
        needed = settings.check_threshold
        if p_yes >= needed:
            return Verdict(self.name, True)
        return Verdict(self.name, False, Dropped.CHECK_FAILED.value, f"P(yes) {p_yes:.3f} is under {needed}")


LLM_CHECK = LLMCheck()
