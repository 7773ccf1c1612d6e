"""Does an evidence sentence fit the question's year and numbered thing?

Lexical overlap cannot tell "Rybakina won Wimbledon on Saturday" (an article of July 2022) from an answer to
"Who won Wimbledon in 2018?", nor "the Season 10 premiere" from one to "When did the first season premiere?".
Both are conflicts of a small, checkable kind: the year the sentence is about (its own years, its resolved
relative dates, else its article's published year) and the number attached to a noun ("first season",
"season 10"). A sentence that conflicts with the question on either is not evidence for it.
"""

from __future__ import annotations

import re
from collections.abc import Container

from index.lexicon import AHEAD, AHEAD_PHRASE, ASKS_AHEAD, ASKS_DONE, DONE
from qa.dates import YEAR
from qa.text import expected_type, stem

ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), start=1)}
_ORDINAL_NOUN = re.compile(r"\b(" + "|".join(ORDINALS) + r"|\d{1,3}(?:st|nd|rd|th))(?:\s+and\s+(?:final|last))?\s+([a-z]{3,})\b", re.I)
_NOUN_NUMBER = re.compile(r"\b(season|series|episode|edition|round|stage|game|part|volume|chapter|term|phase)\s+(\d{1,3})\b", re.I)


def years(text: str) -> set[int]:
    """Four-digit years (1800-2099) in `text`, not parts of larger figures."""
    return {int(y) for y in YEAR.findall(text)}


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


_TOKEN = re.compile(r"[\w'’!-]+|:")
_JOINERS = {"of", "the", "and", "de", "a", ":"}


def titles(question: str) -> list[str]:
    """Multi-word names of works or events in the question ('The Legend of Zelda: Ocarina of Time'):
    runs of capitalised words (with 'of', 'the', ':' inside) holding at least three capitalised words."""
    out: list[str] = []
    run: list[str] = []
    for tok in _TOKEN.findall(question) + ["."]:
        if tok[0].isupper() or tok[0].isdigit() or (run and tok.lower() in _JOINERS):
            run.append(tok)
            continue
        while run and run[-1].lower() in _JOINERS:
            run.pop()
        if sum(t[0].isupper() for t in run) >= 3:
            out.append(" ".join(run).replace(" :", ":"))
        run = []
    return out


def longer_title(question: str, evidence: str) -> str:
    """'X Re-Arranged Album' or 'X 3D' in the evidence where the question asks about X: another work."""
    for title in titles(question):
        pattern = r"\s*".join(re.escape(t) for t in title.split()) + r"\s+([A-Z0-9][\w'’-]*)"
        for m in re.finditer(pattern, evidence, re.I):
            if m.group(1)[0].isupper() or m.group(1)[0].isdigit():
                return f"{title} {m.group(1)}"
    return ""


_SPEECH = r"say|says|said|tell|told|announce[sd]?|report(?:s|ed)?|claim(?:s|ed)?|propose[sd]?|suggest(?:s|ed)?|promise[sd]?|warn(?:s|ed)?|call(?:s|ed)?|describe[sd]?|mention(?:s|ed)?|confirm(?:s|ed)?|den(?:y|ies|ied)|add(?:s|ed)?|state[sd]?|write|wrote"
_SPEECH_RE = re.compile(r"\b(" + _SPEECH + r")\b", re.I)


def still_to_come(question: str, evidence: str) -> bool:
    """A question about something done ("What did the leaders agree at the summit?") against a sentence that
    only looks ahead to it ("are expected to attend the summit"): the event had not happened when written.
    Questions about what someone said are left alone: "Trump said he would meet Putin" answers them. So are
    "when" questions: the date an event was scheduled for ("will be released on July 21") is what a reader
    asking when it happened usually wants, and the answer keeps the source's wording."""
    if _SPEECH_RE.search(question) or ASKS_AHEAD.search(question) or expected_type(question) == "time":
        return False
    if not ASKS_DONE.search(question) or not AHEAD.search(evidence):
        return False
    rest = _SPEECH_RE.sub(" ", AHEAD_PHRASE.sub(" ", evidence))
    return not DONE.search(rest)


def conflict(question: str, evidence: str, published: str, skip: Container[str] = ()) -> str:
    """Why `evidence` (with relative dates resolved) cannot answer `question`, or '' when it fits.
    `skip`: names of checks (qa/checks.py: year, numbered, title, still_to_come) switched off."""
    q_years = years(question) if "year" not in skip else set()
    if q_years:
        e_years = years(evidence)
        if e_years and not e_years & q_years:
            return f"it is about {max(e_years)}, not {max(q_years)}"
        if not e_years and published[:4].isdigit():
            pub = int(published[:4])
            # reporting runs ahead of and behind the event ("the 2021 Super Bowl" is news in 2020 and 2022)
            if not any(abs(pub - y) <= 1 for y in q_years):
                return f"it was published in {pub}, not around {max(q_years)}"
    e_numbered = numbered(evidence)
    for noun, wanted in (numbered(question).items() if "numbered" not in skip else ()):
        have = e_numbered.get(noun)
        if have and not have & wanted:
            return f"it is about {noun} {min(have)}, not {min(wanted)}"
    other = longer_title(question, evidence) if "title" not in skip else ""
    if other:
        return f"it is about {other}"
    if "still_to_come" not in skip and still_to_come(question, evidence):
        return "it speaks of this as still to come"
    return ""
