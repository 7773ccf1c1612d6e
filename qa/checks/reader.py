"""A drafted answer must be what some evidence sentence, read on its own, answers.

The LLM reads each evidence sentence alone with the question and replies with the value it gives (a name, a
date, a place, a figure) or "none"; a claim is kept only when one sentence's reading agrees with it (every word
of the reading is in the claim). Small models compose wrong answers out of several sentences (another year's
winner, a value the sentences only circle) that the claim check, shown the claim beside one sentence, lets
through; a reading of the sentence without the claim does not lean towards the claim. The cited sentences are
read first, and reading stops at the first that agrees, so a supported answer costs one short LLM call.
Only questions that ask for a value (`qa.text.expected_type`) have a reading to compare.
"""

from __future__ import annotations

from qa.text import content_words, expected_type, stem

NONE_REPLIES = ("none", "i don't know", "not ")  # a reading that starts so gives no value


def gives_nothing(reading: str) -> bool:
    """Is the reading empty or a "none" reply (the sentence, read alone, gave no answer)?"""
    text = reading.strip().strip(".").strip()
    return not text or text.lower().startswith(NONE_REPLIES)


def reading_words(reading: str) -> set[str]:
    """The stems of a reading's value words; empty when the sentence gave no value."""
    return set() if gives_nothing(reading) else {stem(w) for w in content_words(reading)}


class ReaderCheck:
    name = "reader"
    description = ("the claim's answer is what some evidence sentence, read alone with the question, answers "
                   "(the LLM's short reading agrees with the claim)")
    settings: tuple[str, ...] = ("llm_check",)

    def applies(self, question: str) -> bool:
        """Only a question asking for a value (who, when, where, how many) has a reading to compare."""
        return expected_type(question) is not None

    def agrees(self, reading: str, claim: str) -> bool:
        """Does the reading give a value, every word of which the claim says?"""
        words = reading_words(reading)
        return bool(words) and words <= {stem(w) for w in content_words(claim)}


READER_CHECK = ReaderCheck()
