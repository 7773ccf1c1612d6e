"""A sentence about another numbered thing than the question's is not evidence for it.

Where the question and a sentence both attach a number to the same word, the numbers must share one: "the
fourth season" does not answer a question about "the sixth season", nor "Q1 2023 deliveries" one about "the
second quarter", nor "the 76th Golden Globes" one about "the 77th", nor "Pixel 7" one about "Pixel 6". A
number is attached as an ordinal before the word ("sixth season", "77th annual Golden Globes"), as a number
after a numbered noun or a capitalised name ("Season 10", "Chronicles 2"), or as a quarter or half ("Q1",
"H2"). Years are the year check's; dates, scores and figures ("March 20", "3-1", "1,200") attach nothing.
"""

from __future__ import annotations

import re

from index.lexicon import MONTHS, ORDINALS, STOPWORDS, WEEKDAYS
from qa.checks.base import Verdict
from qa.text import stem

_ORDINAL = r"(?:" + "|".join(ORDINALS) + r"|\d{1,3}(?:st|nd|rd|th))"
_ORDINAL_WORD = re.compile(r"\b(" + _ORDINAL + r")(?:\s+(?:and\s+(?:final|last)|annual|straight|consecutive))?"
                           r"\s+([A-Za-z]{3,})\b", re.I)
_NOUNS = "season series episode edition round stage game part volume chapter term phase week day leg match"
# a word, then a number of 1-3 digits that is not part of a date, a score, a figure or a time
_WORD_NUMBER = re.compile(r"\b([A-Za-z]*[A-Z][A-Za-z]*|" + _NOUNS.replace(" ", "|") + r")\s+(\d{1,3})"
                          r"(?![\d,.:%\-–/]|\s*(?:st|nd|rd|th)\b|\s+(?:" + "|".join(MONTHS) + r")\b)")
_QUARTER = re.compile(r"\b([QH])([1-4])\b")
_HALF_WORDS = {"q": "quarter", "h": "half"}


def numbered(text: str) -> dict[str, set[int]]:
    """Words with a number attached: 'sixth season' / 'Season 10' / 'Q1' -> {'season': {6, 10}, 'quarter': {1}}."""
    out: dict[str, set[int]] = {}
    for m in _ORDINAL_WORD.finditer(text):
        word = m.group(1).lower()
        out.setdefault(stem(m.group(2)), set()).add(ORDINALS.get(word) or int(re.sub(r"\D", "", word)))
    for m in _WORD_NUMBER.finditer(text):
        word = m.group(1).lower()
        if word in STOPWORDS or word in MONTHS or word in WEEKDAYS or len(word) < 3:
            continue
        out.setdefault(stem(word), set()).add(int(m.group(2)))
    for m in _QUARTER.finditer(text):
        out.setdefault(_HALF_WORDS[m.group(1).lower()], set()).add(int(m.group(2)))
    return out


class NumberedCheck:
    name = "numbered"
    description = "the sentence is about another numbered thing ('the fourth season' for 'the sixth season')"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        """Only a question that numbers something can be answered about another one."""
        return bool(numbered(question))

    def verdict(self, question: str, evidence_text: str, published: str) -> Verdict:
        have_all = numbered(evidence_text)
        for word, wanted in numbered(question).items():
            have = have_all.get(word)
            if have and not have & wanted:
                return Verdict(self.name, False, "other_number", f"it is about {word} {min(have)}, not {min(wanted)}")
        return Verdict(self.name, True)


NUMBERED_CHECK = NumberedCheck()
