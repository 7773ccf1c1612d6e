"""A question that hinges on how a name is spelled is answered only with a name the reports show so spelled.

"Which judge, whose first name starts with the letter J, ...?" constrains the answer by its letters: of the
names the reports point to, only one that starts so can answer it. "Which single letter ...", "... starts with
the same letter as the galaxy we live in", "the first letter of the alphabet" make the answer a riddle about
letters that no report states: any answer would rest on the model's own knowledge, not on a cited sentence,
so the question is refused. (MultiHop dev: 7 of its 14 null questions hinge on letters, none of its 86
answerable ones.) Applied where a name is voted from the reports (`qa.multi.candidates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from qa.answer import Refusal
from qa.checks.base import Verdict

# "whose (first) name / surname starts with the letter K", "a name beginning with 'T'"
_LETTER = re.compile(r"\b(first name|surname|last name|family name|name)\s+(?:that\s+|which\s+)?"
                     r"(?:starts|starting|begins|beginning|start|begin)\s+with\s+(?:the\s+letter\s+|an?\s+)?"
                     r"['\"“‘]?([a-z])\b(?!['’]\w)", re.I)
# a riddle about letters that no report can settle: a letter as the answer, or one defined by something else
_RIDDLE = re.compile(r"\bsingle letter\b|\bsame letter\b|\b(?:first|last|initial) letter of\b|"
                     r"\bletter of the\b[\w\s]{0,20}\balphabet\b|\bphonetic alphabet\b", re.I)


@dataclass(frozen=True)
class Spelled:
    """A letter the answer's name must start with: `part` is "first" (the first word of a full name), "last" (its
    last word), or "any" word of any name."""

    part: Literal["first", "last", "any"]
    letter: str

    def fits(self, name: str) -> bool:
        words = name.split()
        if len(words) < (1 if self.part == "any" else 2):  # only a full name has a first name and a surname
            return False
        chosen = words[:1] if self.part == "first" else words[-1:] if self.part == "last" else words
        return any(w[0].lower() == self.letter.lower() for w in chosen)


def spelled(question: str) -> Spelled | None:
    """The explicit letter constraint a question puts on its answer's name, if any."""
    m = _LETTER.search(question)
    if not m:
        return None
    kind = m.group(1).lower()
    return Spelled("first" if kind == "first name" else "any" if kind == "name" else "last", m.group(2))


def riddle(question: str) -> bool:
    """Does the answer hinge on letters that no report can state ("which single letter", "the same letter as")?"""
    return bool(_RIDDLE.search(question))


class SpellingCheck:
    name = "spelling"
    description = "a question hinging on a name's letters: the voted name must start so; a letter riddle is refused"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        return riddle(question) or spelled(question) is not None

    def verdict(self, question: str, names: list[str]) -> tuple[Verdict, list[str]]:
        """The names (best first) that fit the question's spelling, and whether any is left to answer with."""
        if riddle(question):
            return Verdict(self.name, False, Refusal.NO_COMMON_NAME.value,
                           "the answer hinges on letters of a name, which no report states"), []
        rule = spelled(question)
        kept = [n for n in names if rule is None or rule.fits(n)]
        if rule is not None and not kept:
            return Verdict(self.name, False, Refusal.NO_COMMON_NAME.value,
                           f"no name the reports point to starts with “{rule.letter.upper()}”"), []
        return Verdict(self.name, True), kept


SPELLING_CHECK = SpellingCheck()
