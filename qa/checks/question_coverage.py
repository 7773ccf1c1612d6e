"""An answer's best cited sentence must hold enough of what the question asks.

A claim can be true to its source and the source be about a neighbouring question: "unveiled" does not
answer "released", a sentence about the launch does not answer one about the sales. The share of the
question's content words in the best cited sentence (its `coverage`) must reach `min_question_coverage`,
both for a drafted answer's claims and for a sentence quoted as the answer.
"""

from __future__ import annotations

from qa.answer import Dropped
from qa.checks.base import Verdict

DETAIL = "its sources hold too little of what the question asks"


class QuestionCoverageCheck:
    name = "question_coverage"
    description = ("the answer's cited sentences hold at least min_question_coverage of the question's words "
                   "(its predicate too: 'unveiled' does not answer 'released')")
    settings: tuple[str, ...] = ("min_question_coverage",)

    def applies(self, question: str) -> bool:
        return True  # every question has words an answer's source must hold

    def verdict(self, coverage: float, min_coverage: float) -> Verdict:
        """Does the best cited sentence's `coverage` (0..1) of the question reach `min_coverage`?"""
        if coverage >= min_coverage:
            return Verdict(self.name, True)
        return Verdict(self.name, False, Dropped.OFF_POINT.value, DETAIL)


QUESTION_COVERAGE_CHECK = QuestionCoverageCheck()
