"""Small word-level helpers shared by evidence selection and citation checking."""

from __future__ import annotations

import re
import unicodedata

from index.lexicon import (
    ASKS_YEAR,
    BRACKETED,
    MARKER,
    MONTHS,
    NUMBER_WORDS,
    PART_OF_YEAR,
    STOPWORDS,
    TIME_WORDS,
    WEEKDAYS,
    YEAR_TOKEN,
)
from qa.dates import without_dates

# a word starts with a letter of any script ("Götze", "Estádio" are one word each, not "G" + "tze")
_WORD = re.compile(r"[^\W\d_][\w'’]*|\d+(?:[.,]\d+)*")


def unaccented(text: str) -> str:
    """The text without accents: "Chloé" and "Chloe", "Plíšková" and "Pliskova" are one name to every check."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'readmitted'/'readmit', 'meetings'/'meeting'."""
    w = word.lower().replace("’", "'").strip("'-")
    if not w.isascii():  # most words are: skip the Unicode normalisation on this hot path
        w = unaccented(w)
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ational", "ations", "ation", "ments", "ment", "ingly", "ings", "ing", "edly", "ies", "ied",
                   "ed", "es", "ly", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= (4 if suffix == "ly" else 3):  # "reply" is no adverb
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w[-1] == "y" and w[-2] not in "aeiouy":
        w = w[:-1]  # a final y after a consonant goes as -ies and -ied do: ally / allies, delivery / delivered
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # admitt -> admit
    if len(w.rstrip("e")) >= 3:
        w = w.rstrip("e")  # globe / glob(es), vote / vot(es), release / releas(ed): one stem whichever suffix went
    return w


def content_words(text: str) -> list[str]:
    """Words that carry meaning (no stopwords, no [n] markers), in order, original case."""
    text = MARKER.sub(" ", text)
    return [w for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 1]


def stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|the|and|for)\s+)?[A-Z][a-z]+)+")


def acronyms(text: str) -> set[str]:
    """The initials of each run of capitalised words ("European Union" -> "eu", "International Olympic
    Committee" -> "ioc"): a source that spells a name out says the acronym a question uses for it."""
    out: set[str] = set()
    for m in _CAPITALISED_RUN.finditer(text):
        # "and" may join two names or be part of one ("Food and Drug Administration"): every reading
        pieces = ["".join(w[0] for w in piece.split() if w[0].isupper()).lower() for piece in m.group().split(" and ")]
        out.update(initials for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)
                   if len(initials := "".join(pieces[i:j])) >= 2)
    return out


def source_words(text: str) -> set[str]:
    """What a source's text says, for matching a question's words against it: its stems and its acronyms."""
    return stems(text) | acronyms(text)


def key_terms(text: str) -> set[str]:
    """Numbers and capitalised names (not sentence-initial): facts a supporting source must contain."""
    out: set[str] = set()
    for i, m in enumerate(_WORD.finditer(MARKER.sub(" ", text))):
        w = m.group()
        if w[0].isdigit():
            out.add(w.replace(",", ""))
        elif w[0].isupper() and i > 0 and w.lower() not in STOPWORDS and len(w) > 1:
            out.add(stem(w))
    return out


_NAME_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:(?:de|da|di|van|von|der|del|le|la|bin|al)\s+)?[A-Z][\w'’.-]*)*")  # noqa: RUF001


def answer_name(claim: str, question: str) -> set[str]:
    """The stems of the first name in `claim` that the question does not hold ('Tadej Pogačar' in 'Slovenia's
    ...'): what a second source must also say to give the same answer to a who/which/where question."""
    q = stems(question)
    for m in _NAME_RUN.finditer(BRACKETED.sub(" ", claim)):
        # "Slovenia's Tadej Pogačar": the name after a possessive is the one meant
        for part in reversed(re.split(r"['’]s\b", m.group())):
            new = stems(part) - q
            if new:
                return new
    return set()


def numbers(text: str) -> set[str]:
    """The figures in a text as key_terms writes them ('10,300' -> '10300', '3.5'), their digit runs, and the
    numbers it spells out ('eleventh season', 'number one': '11', '1')."""
    whole = {n.replace(",", "") for n in _WORD.findall(text) if n[0].isdigit()}
    spelled = {str(NUMBER_WORDS[w]) for w in _WORD.findall(text.lower()) if w in NUMBER_WORDS}
    return whole | set(re.findall(r"\d+", text)) | spelled


def covers(needles: set[str], haystack: set[str]) -> set[str]:
    """The needles found in haystack, allowing a shared prefix of 5+ letters ('industrialised'/'industrial')."""
    found = needles & haystack
    for n in needles - found:
        if len(n) >= 5 and any(h[:5] == n[:5] and (h.startswith(n) or n.startswith(h)) for h in haystack if len(h) >= 5):
            found.add(n)
    return found


_PLACE_NOUNS = frozenset("country countries city capital town village venue stadium arena embassy island region "
                         "border abroad overseas".split())


def expected_type(question: str) -> str | None:
    """What kind of answer the question asks for: 'person_or_thing' (who/which), 'time', 'place', 'number'."""
    q = question.lower().strip()
    if re.match(r"^(when|what (year|date|day|time|month))\b", q) or re.search(r"\b(release date|what year|which year)\b", q):
        return "time"
    if re.match(r"^(how (many|much|old|long|far))\b", q):
        return "number"
    if re.match(r"^(where|which (city|country|state|town|venue|stadium|place|region))\b", q):
        return "place"
    if re.match(r"^(who|whom|whose|which \w+)\b", q):  # "which newspaper", "which director": a name
        return "name"
    return None


def has_type(text: str, kind: str | None, question: str) -> bool:
    """Does `text` contain an answer of that kind that the question itself does not already contain?"""
    if kind is None:
        return True
    q_words = {w.lower() for w in _WORD.findall(question)}
    words = [w for w in _WORD.findall(MARKER.sub(" ", text))]
    new = [w for w in words if w.lower() not in q_words]
    if kind == "time":
        return any(w[0].isdigit() or w.lower() in TIME_WORDS for w in new) and (
            ASKS_YEAR.search(question) is not None or finer_than_year(new, text))
    if kind == "number":
        return bool(amounts(text, question)) or bool(re.search(
            r"\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|billion)\b", text, re.I))
    # name / place: a capitalised word the question does not have (sentence-initial words count too)
    if kind == "place" and any(w.lower() in _PLACE_NOUNS for w in new):
        return True  # "in a third country", "at the stadium"
    if kind == "name":
        return bool(new_names(text, question))
    return any(w[0].isupper() and w.lower() not in STOPWORDS for w in new)


# a figure, with a unit glued on or not ("$3bn", "68%"), but not an ordinal ("21st") or part of a code ("Q1")
_FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?!\d|(?:st|nd|rd|th)\b)")
_ASKS_SPAN = re.compile(r"^\s*how (?:long|old)\b", re.I)


def amounts(text: str, question: str) -> list[str]:
    """The figures `text` gives that can answer a how many / how much question and that the question does not
    hold already: not part of a calendar date, not an ordinal ("21st Century Fox"), and not a bare year unless
    the question asks how long or how old (a span of years answers those)."""
    asked = numbers(question)
    years_count = bool(_ASKS_SPAN.match(question))
    out = []
    for figure in _FIGURE.findall(without_dates(MARKER.sub(" ", text))):
        plain = figure.replace(",", "")
        if plain not in asked and (years_count or not YEAR_TOKEN.fullmatch(plain)):
            out.append(figure)
    return out


def finer_than_year(words: list[str], text: str) -> bool:
    """Do these words date something more precisely than a year: a day or month number, a month, a weekday,
    a season, a relative day ("yesterday", "next week") or a part of a year ("early next year")?"""
    return bool(PART_OF_YEAR.search(text)) or any(
        (w[0].isdigit() and not YEAR_TOKEN.fullmatch(w)) or (w.lower() in TIME_WORDS and w.lower() != "year")
        for w in words)


_ASKED_TYPE = re.compile(r"\b(?:which|what|whose)\s+((?:[A-Za-z][\w'’-]*\s+){0,3}?[A-Za-z][\w'’-]*)"  # noqa: RUF001
                         r"(?=\s+(?:is|are|was|were|did|does|do|has|had|have|will|would|can|could|might|may|"
                         r"should|said|says)\b)", re.I)


def asked_type(question: str) -> set[str]:
    """The stems of the kind of thing a which/what question asks for ('Which institution is ...' ->
    {'institution'}; the phrase's last word): a word the answer's own name may share with the question ('the Brookings Institution')."""
    m = _ASKED_TYPE.search(question)
    return {stem(m.group(1).split()[-1])} if m else set()


def new_names(text: str, question: str) -> list[str]:
    """The names in `text` that share no word with the question: the one asked for fills another role than
    the question's own people ("Who did Bolton meet?" is not answered by "the adviser John Bolton"). Words
    naming the kind of thing asked for ("which institution") do not count as shared."""
    q = stems(question) - asked_type(question)
    headline = headline_case(text)
    out = []
    for m in _NAME_RUN.finditer(BRACKETED.sub(" ", text)):
        words = [w for w in content_words(m.group()) if w.lower() not in STOPWORDS]
        if headline and len(words) < 2:
            continue  # in a headline every word is capitalised: one word alone ("Could End as Early") names no one
        if all(w.lower() in MONTHS or w.lower() in WEEKDAYS for w in words):
            continue  # a day or a month ("on Saturday", "in July") dates something; it names no one
        if words and not {stem(w) for w in words} & q:
            out.append(m.group())
    return out


def headline_case(text: str) -> bool:
    """Is `text` written in headline case: 4+ words of 3+ letters besides stopwords, every one capitalised (a
    sentence has its verbs in lower case: "Ada Vell met Tomas Reyes" is not a headline)?"""
    words = [w for w in _WORD.findall(text) if w[0].isalpha() and len(w) >= 3 and w.lower() not in STOPWORDS]
    return len(words) >= 4 and all(w[0].isupper() for w in words)

