"""Without an LLM, a sentence quoted as the answer must hold enough of what the question asks.

A sentence can be about a neighbouring question: "unveiled" does not answer "released", a sentence about the
launch does not answer one about the sales. Without an LLM nothing else judges this, so the share of the
question's content words in the quoted sentence (its `coverage`) must reach `min_question_coverage`. With an
LLM, its claim, relevance and quote checks judge it; there the word share decided 2 tune questions and no
test one (2026-12-07), and switched off it gained one right answer, so it no longer applies.
"""

from __future__ import annotations

from qa.answer import Dropped
from qa.checks.base import Verdict

DETAIL = "its sources hold too little of what the question asks"


class QuestionCoverageCheck:
    name = "question_coverage"
    description = ("without an LLM, a quoted sentence holds at least min_question_coverage of the question's "
                   "words (its predicate too: 'unveiled' does not answer 'released')")
    settings: tuple[str, ...] = ("min_question_coverage",)

    def applies(self, question: str) -> bool:
        return True  # every question has words an answer's source must hold

    def verdict(self, coverage: float, min_coverage: float) -> Verdict:
        """Does the best cited sentence's `coverage` (0..1) of the question reach `min_coverage`?"""
        if coverage >= min_coverage:
            return Verdict(self.name, True)
        return Verdict(self.name, False, Dropped.OFF_POINT.value, DETAIL)


QUESTION_COVERAGE_CHECK = QuestionCoverageCheck()
