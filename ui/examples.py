"""Example questions for the empty chat, drawn from what the indexed articles actually report.

A sentence such as "John Bolton told Russia's ambassador on Thursday that ..." becomes "What did John Bolton
tell Russia's ambassador?"; "Dmitry Peskov said in an interview ..." becomes "What did Dmitry Peskov say in an
interview?". Only sentences naming a person (two or more capitalised words) before a reporting verb are used,
one question per article, so every example is a question the index can answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MAX_ARTICLES = 60  # read at most this many articles' texts when the page is built
_TITLES = {"President", "Secretary", "Minister", "Deputy", "Foreign", "Defense", "Defence", "Press", "Prime",
           "Chancellor", "Senator", "Governor", "Mr", "Mrs", "Ms", "Dr", "Spokesman", "Spokeswoman", "Adviser",
           "Chief", "Russian", "U.S.", "US", "Kremlin", "White", "House", "General", "Director", "State"}
_NAME = r"(?P<name>[A-Z][a-z'\u2019-]+(?: [A-Z][a-z'\u2019-]+){1,3})"
_VERB = r"(?P<verb>said|told|confirmed|announced)"
_PATTERN = re.compile(_NAME + r" " + _VERB + r"(?P<rest>[^.!?]{0,160})")
_WHEN = re.compile(r"^ on (?P<when>(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
                   r"(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2})\b")
_OBJECT = re.compile(r"^ (?P<obj>(?:[A-Z][\w'\u2019.-]*|the|a|an|his|her|its|their)(?: [\w'\u2019.-]+){0,3}?)"
                     r"(?= on | that | in |,|$)")
_INTERVIEW = re.compile(r"^ in an interview\b")
_BASE = {"said": "say", "told": "tell", "confirmed": "confirm", "announced": "announce"}


def _person(name: str) -> str:
    """'President Vladimir Putin' -> 'Vladimir Putin'; '' when nothing name-like is left."""
    words = name.split()
    while words and words[0] in _TITLES:
        words.pop(0)
    return " ".join(words) if len(words) >= 2 and not any(w in _TITLES for w in words) else ""


def question_from(sentence: str) -> str:
    """A question that `sentence` answers, or '' when it is not of a form this module knows."""
    for m in _PATTERN.finditer(sentence):
        person = _person(m.group("name"))
        if not person:
            continue
        verb, rest = m.group("verb"), m.group("rest")
        if verb == "told" and (obj := _OBJECT.match(rest)):
            return f"What did {person} tell {obj.group('obj')}?"
        if when := _WHEN.match(rest):
            return f"What did {person} {_BASE[verb]} on {when.group('when')}?"
        if _INTERVIEW.match(rest):
            return f"What did {person} {_BASE[verb]} in an interview?"
    return ""


def questions_from_texts(texts: Iterable[str], limit: int = 4) -> list[str]:
    """At most one question per text, at most `limit`, no two alike."""
    out: list[str] = []
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text or ""):
            q = question_from(sentence)
            if q and q not in out:
                out.append(q)
                break
        if len(out) >= limit:
            break
    return out


def example_questions(store: Any, limit: int = 4) -> list[str]:
    """Questions drawn from the store's articles (newest first); [] for an empty index."""
    records = sorted(store.articles(), key=lambda r: r.published or "", reverse=True)[:MAX_ARTICLES]
    return questions_from_texts((store.article_text(r.id) for r in records), limit)
