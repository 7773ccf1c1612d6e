"""A sentence about another numbered thing than the question's is not evidence for it.

"The Season 10 premiere" does not answer "When did the first season premiere?": where the question and the
sentence both attach a number to the same noun ("first season", "season 10", "3rd round"), the numbers must
share one.
"""

from __future__ import annotations

import re

from qa.checks.base import Verdict
from qa.text import stem

ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), start=1)}
_ORDINAL_NOUN = re.compile(r"\b(" + "|".join(ORDINALS) + r"|\d{1,3}(?:st|nd|rd|th))(?:\s+and\s+(?:final|last))?\s+([a-z]{3,})\b", re.I)
_NOUN_NUMBER = re.compile(r"\b(season|series|episode|edition|round|stage|game|part|volume|chapter|term|phase)\s+(\d{1,3})\b", re.I)


def numbered(text: str) -> dict[str, set[int]]:
    """Nouns with a number attached: 'first season' / '3rd round' / 'Season 10' -> {'season': {1, 10}, ...}."""
    out: dict[str, set[int]] = {}
    for m in _ORDINAL_NOUN.finditer(text):
        word = m.group(1).lower()
        n = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        out.setdefault(stem(m.group(2)), set()).add(n)
    for m in _NOUN_NUMBER.finditer(text):
        out.setdefault(stem(m.group(1)), set()).add(int(m.group(2)))
    return out


class NumberedCheck:
    name = "numbered"
    description = "the sentence is about another numbered thing ('season 10' for 'the first season')"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        """Only a question that numbers something ("the first season") can be answered about another one."""
        return bool(numbered(question))

    def verdict(self, question: str, evidence_text: str, published: str) -> Verdict:
        e_numbered = numbered(evidence_text)
        for noun, wanted in numbered(question).items():
            have = e_numbered.get(noun)
            if have and not have & wanted:
                return Verdict(self.name, False, "other_number", f"it is about {noun} {min(have)}, not {min(wanted)}")
        return Verdict(self.name, True)


NUMBERED_CHECK = NumberedCheck()
