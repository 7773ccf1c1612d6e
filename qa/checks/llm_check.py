"""A claim's citation is kept only when the LLM, shown the cited sentence alone, says it says the claim.

The decision is not the word the model samples but its calibrated probability, P(yes) / (P(yes) + P(no)) of
the first token, against a threshold fitted on labelled checks (`check_threshold`); a claim whose answer
value two or more articles give (the `agreement` check) is held to its own, lower `check_threshold_agreed`.
With no claim (a sentence to be quoted), the question is asked instead: does the sentence answer it? That is
another prompt, whose P(yes) falls in another range, so it has its own fitted threshold (`quote_threshold`):
every prompt is calibrated on its own labelled rows.
"""

from __future__ import annotations

from index.settings import Settings
from qa.answer import Dropped
from qa.checks.base import Verdict


def threshold(settings: Settings, agreed: bool, quote: bool = False) -> float:
    """The P(yes) a check must reach: `quote_threshold` for a sentence to be quoted (no claim),
    `check_threshold_agreed` for an agreed claim, else `check_threshold`."""
    if quote:
        return settings.quote_threshold
    return settings.check_threshold_agreed if agreed else settings.check_threshold


class LLMCheck:
    name = "llm_check"
    description = "the LLM's calibrated P(yes) that the cited sentence says the claim"
    settings: tuple[str, ...] = ("llm_check", "check_threshold", "check_threshold_agreed", "quote_threshold")

    def applies(self, question: str) -> bool:
        return True  # every claim and every quoted sentence is checked (when an LLM is loaded)

    def verdict(self, p_yes: float, settings: Settings, agreed: bool = False, quote: bool = False) -> Verdict:
        """Does the LLM's `p_yes` reach the threshold (the agreed one when `agreed`, the quote one when `quote`)?"""
        needed = threshold(settings, agreed, quote)
        if p_yes >= needed:
            return Verdict(self.name, True)
        return Verdict(self.name, False, Dropped.CHECK_FAILED.value, f"P(yes) {p_yes:.3f} is under {needed}")


LLM_CHECK = LLMCheck()
