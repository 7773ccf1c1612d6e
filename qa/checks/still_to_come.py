"""A sentence that only looks ahead to an event does not answer a question about what happened at it.

"The ministers are expected to attend the summit" was written before the summit: it cannot say what was
agreed there. Questions about what someone said are exempt ("Ortega said she would sign the treaty" answers
"What did Ortega say about the treaty?"), and so are "when" questions: the date an event was scheduled for is
what a reader asking when it happened usually wants. A sentence that also reports something done ("... the
title it won four years ago") is not only a look ahead.
"""

from __future__ import annotations

import re

from index.lexicon import AHEAD, AHEAD_PHRASE, ASKS_AHEAD, ASKS_DONE, DONE
from qa.checks.base import Verdict
from qa.text import expected_type

_SPEECH = r"say|says|said|tell|told|announce[sd]?|report(?:s|ed)?|claim(?:s|ed)?|propose[sd]?|suggest(?:s|ed)?|promise[sd]?|warn(?:s|ed)?|call(?:s|ed)?|describe[sd]?|mention(?:s|ed)?|confirm(?:s|ed)?|den(?:y|ies|ied)|add(?:s|ed)?|state[sd]?|write|wrote"
_SPEECH_RE = re.compile(r"\b(" + _SPEECH + r")\b", re.I)


def asks_done(question: str) -> bool:
    """Does the question ask about something done, not about what was said, what is to come, or when?"""
    if _SPEECH_RE.search(question) or ASKS_AHEAD.search(question) or expected_type(question) == "time":
        return False
    return bool(ASKS_DONE.search(question))


def still_to_come(question: str, evidence: str) -> bool:
    """A question about something done ("What did the leaders agree at the summit?") against a sentence that
    only looks ahead to it ("are expected to attend the summit"): the event had not happened when written.
    Questions about what someone said are left alone: "Trump said he would meet Putin" answers them. So are
    "when" questions: the date an event was scheduled for ("will be released on July 21") is what a reader
    asking when it happened usually wants, and the answer keeps the source's wording."""
    if not asks_done(question) or not AHEAD.search(evidence):
        return False
    rest = _SPEECH_RE.sub(" ", AHEAD_PHRASE.sub(" ", evidence))
    return not DONE.search(rest)


class StillToComeCheck:
    name = "still_to_come"
    description = "the sentence only looks ahead to an event the question asks about as done"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        return asks_done(question)

    def verdict(self, question: str, evidence_text: str, published: str) -> Verdict:
        if still_to_come(question, evidence_text):
            return Verdict(self.name, False, "still_to_come", "it speaks of this as still to come")
        return Verdict(self.name, True)


STILL_TO_COME_CHECK = StillToComeCheck()
