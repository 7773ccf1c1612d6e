"""A sentence about another numbered thing than the question's is not evidence for it.

Where the question and a sentence both attach a number to the same word, the numbers must share one: "the
fourth season" does not answer a question about "the sixth season", nor "Q1 2023 deliveries" one about "the
second quarter", nor "the 76th Golden Globes" one about "the 77th", nor "Pixel 7" one about "Pixel 6". A
number is attached as an ordinal before the word ("sixth season", "77th annual Golden Globes"), as a number
after a numbered noun or a capitalised name ("Season 10", "Chronicles 2"), or as a quarter or half ("Q1",
"H2"). Years are the year check's; dates, scores and figures ("March 20", "3-1", "1,200") attach nothing.
A number after a name is part of the name: "Skyforge 2" (a sequel, a model) is not the "Skyforge" a question
names without one.
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
_NOUN_STEMS = frozenset(stem(w) for w in _NOUNS.split())
# a word, then a number of 1-3 digits that is not part of a date, a score, a figure or a time
_WORD_NUMBER = re.compile(r"\b([A-Za-z]*[A-Z][A-Za-z]*|" + _NOUNS.replace(" ", "|") + r")\s+(\d{1,3})"
                          r"(?![\w,.:%\-–/]|\s*(?:st|nd|rd|th)\b|\s+(?:" + "|".join(MONTHS) + r")\b)"
                          r"(?:(?=\s+([a-z]+)))?")  # the next word, when lower case: what the number may count
# "Apple 10 years ago", "Wimbledon 3 times": the number counts something, it is not part of the name
_COUNTED = frozenset("years months weeks days hours minutes times goals points titles games matches wins races "
                     "people players votes copies units percent million billion".split())
_QUARTER = re.compile(r"\b([QH])([1-4])\b")
_PERIODS = {"q": "quarter", "h": "half"}


def numbered(text: str) -> dict[str, set[int]]:
    """Words with a number attached: 'sixth season' / 'Season 10' / 'Q1' -> {'season': {6, 10}, 'quarter': {1}}."""
    out: dict[str, set[int]] = {}
    for m in _ORDINAL_WORD.finditer(text):
        word = m.group(1).lower()
        out.setdefault(stem(m.group(2)), set()).add(ORDINALS.get(word) or int(word[:-2]))
    for word, n in _name_numbers(text):
        out.setdefault(word, set()).add(n)
    for m in _QUARTER.finditer(text):
        out.setdefault(_PERIODS[m.group(1).lower()], set()).add(int(m.group(2)))
    return out


def _name_numbers(text: str) -> list[tuple[str, int]]:
    """(stem, number) for every word followed by a number of its own: 'Season 10', 'Chronicles 2'."""
    out = []
    for m in _WORD_NUMBER.finditer(text):
        word = m.group(1).lower()
        counts = m.group(3) in _COUNTED
        if not counts and word not in STOPWORDS and word not in MONTHS and word not in WEEKDAYS and len(word) >= 3:
            out.append((stem(word), int(m.group(2))))  # "Apple 10 years ago" counts years: no number attached
    return out


def _names(text: str) -> set[str]:
    """Stems of the capitalised words after a text's first word: the names it uses."""
    return {stem(w) for w in re.findall(r"(?<=\s)[A-Z][A-Za-z'’]*", text) if w.lower() not in STOPWORDS}


class NumberedCheck:
    name = "numbered"
    description = "the sentence is about another numbered thing ('the fourth season' for 'the sixth season')"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        """Only a question that numbers something, or names something a sequel could share, can fail."""
        return bool(numbered(question) or _names(question))

    def verdict(self, question: str, evidence_text: str, published: str) -> Verdict:
        asked, have_all = numbered(question), numbered(evidence_text)
        for word, wanted in asked.items():
            have = have_all.get(word)
            if have and not have & wanted:
                return Verdict(self.name, False, "other_number", f"it is about {word} {min(have)}, not {min(wanted)}")
        plain = _names(question) - set(asked) - _NOUN_STEMS
        for word, n in _name_numbers(evidence_text):
            if word in plain:
                return Verdict(self.name, False, "numbered_name", f"it is about {word} {n}, not {word} alone")
        return Verdict(self.name, True)


NUMBERED_CHECK = NumberedCheck()
