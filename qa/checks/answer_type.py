"""An answer must hold the kind of answer asked for: a name for "who", a date for "when", a figure for
"how many", a place for "where".

A claim can be supported by its source and still not answer the question ("The minister spoke at the
summit" for "Who chaired the summit?"). The claims kept for an answer are judged together: if none holds a
value of the asked-for kind that the question does not already give, none of them is an answer. A name must
share no word with the question's own names (not its subject); a "when" answer must be finer than a bare
year unless the question asks for the year; a "how many / how much" answer must give an amount, not only a
date, an ordinal or a bare year ("21st Century Fox ... on March 20, 2019" is no price; `qa.text.has_type`).
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.answer import Dropped
from qa.checks.base import Verdict
from qa.text import expected_type, has_type


class AnswerTypeCheck:
    name = "answer_type"
    description = ("the kept claims hold the kind of answer asked for (a name for who, a date for when); a name "
                   "must share no word with the question's own names (not its subject)")
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        """Only a question asking for a value (who, when, where, how many) has a kind of answer."""
        return expected_type(question) is not None

    def verdict(self, question: str, claims: Sequence[str]) -> Verdict:
        """Do the kept `claims` (their text) hold the asked-for kind between them? (No claims: nothing to judge.)"""
        kind = expected_type(question)
        if not claims or any(has_type(text, kind, question) for text in claims):
            return Verdict(self.name, True)
        return Verdict(self.name, False, Dropped.NOT_AN_ANSWER.value, f"no {kind} in it")


ANSWER_TYPE_CHECK = AnswerTypeCheck()
