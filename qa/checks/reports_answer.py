"""A question across reports that asks for a value (a name, figure, date, result) must be answered by them.

Finding a report for every part is not enough: the reports can be about the right story and still not state
what is asked (a verdict not yet reached, a price not given). The LLM's calibrated P(yes) that the parts'
best sentences state the answer must reach `reports_answer_threshold` (fitted on the tune split by
`python -m bench.calibrate`). Yes/no questions are decided by `yes_no_threshold` instead.
"""

from __future__ import annotations

from index.settings import Settings
from qa.answer import Refusal
from qa.checks.base import Verdict


class ReportsAnswerCheck:
    name = "reports_answer"
    description = ("questions across reports asking for a value: the LLM's calibrated P(yes) that the parts' "
                   "best sentences state the answer")
    settings: tuple[str, ...] = ("llm_check", "reports_answer_threshold")

    def applies(self, question: str) -> bool:
        return True  # the engine asks it of multi-part questions whose plan asks for a name or a fact

    def verdict(self, p_yes: float, settings: Settings) -> Verdict:
        """Do the reports state the answer, by the LLM's P(yes) `p_yes`?"""
        if p_yes >= settings.reports_answer_threshold:
            return Verdict(self.name, True)
        return Verdict(self.name, False, Refusal.NOT_ANSWERED.value,
                       f"the reports found do not state what the question asks for (P={p_yes:.2f})")


REPORTS_ANSWER_CHECK = ReportsAnswerCheck()
