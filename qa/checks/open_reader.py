"""A drafted answer to an open question must be cited to a sentence that, read alone, answers that question.

For a question that asks no single value (what did X say, how did Y describe Z, why), the reader check has no
value to compare. Small models then answer the topic instead of the question: they restate a sentence about
the same people and event ("Putin met Bolton in Moscow" for "what did Putin say the visit gave hope for?"),
which the claim check passes (the sentence says it) and the relevance check lets through (same names, same
event). Reading the cited sentence alone with the question, without the claim, asks the other thing: does
this sentence answer it at all? The LLM replies with the answering words or "none"; a claim is kept when one
of its cited sentences gives a reading. Only the cited sentences are read: another sentence's answer says
nothing about this claim.
"""

from __future__ import annotations

from qa.checks.reader import gives_nothing
from qa.text import expected_type


class OpenReaderCheck:
    name = "open_reader"
    description = ("an answer to an open question (what, how, why) is cited to a sentence that, read alone with "
                   "the question, answers it (the LLM's reading is not \"none\")")
    settings: tuple[str, ...] = ("llm_check",)

    def applies(self, question: str) -> bool:
        """Questions that ask for no single value: the reader check (qa/checks/reader.py) takes the others."""
        return expected_type(question) is None

    def answers(self, reading: str) -> bool:
        """Does the sentence's reading give an answer (any reply but "none"; a score such as "6-4" counts)?"""
        return not gives_nothing(reading)


OPEN_READER_CHECK = OpenReaderCheck()
