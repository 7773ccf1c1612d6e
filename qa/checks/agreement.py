"""Agreement by value: how many independent articles give the same answer value as a claim.

News questions usually have several reports that state the answer. A value (a name, a date, a figure) that
two or more articles give, each in a sentence about the question, is far less likely to be a misreading than
one a single noisy sentence gives, so the engine lets an agreed claim through its LLM check at its own
threshold (`check_threshold_agreed`, fitted like `check_threshold` by `python -m bench.calibrate fit`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from qa.text import expected_type, unaccented

if TYPE_CHECKING:
    from qa.evidence import EvidenceItem

AGREED = 2  # articles giving the same value for a claim to count as agreed


def agreement(claim: str, question: str, items: Iterable[EvidenceItem]) -> int:
    """The number of distinct articles with a sentence among `items` that gives the claim's answer value to the
    question (`qa.cite.same_answer`: the same date, name or figure, in a sentence about the question)."""
    from qa.cite import same_answer  # here, not above: qa.cite -> qa.evidence -> qa.consistency -> qa.checks

    claim, question = unaccented(claim), unaccented(question)
    articles = {item.passage.article.id for item in items
                if same_answer(claim, question, dataclasses.replace(item, annotated=unaccented(item.annotated)))}
    return len(articles)


class AgreementCheck:
    name = "agreement"
    description = "a claim whose answer value 2+ articles state passes the LLM check at check_threshold_agreed"
    settings: tuple[str, ...] = ("check_threshold_agreed",)

    def applies(self, question: str) -> bool:
        """Only a question asking for a value (a date, name, place or figure) has answer values to agree on."""
        return expected_type(question) is not None

    def agreed(self, articles: int) -> bool:
        """Do `articles` (the count `agreement` gives) make the claim agreed?"""
        return articles >= AGREED


AGREEMENT_CHECK = AgreementCheck()
