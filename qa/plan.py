"""Read a question for its parts: what it asks for, the outlets and dates it names, and the reports it joins.

A question such as "Does the TechCrunch article suggest X, while The Verge reports Y?" needs one piece of
evidence per named report; no single sentence answers it. The plan finds the outlets the question names
(matched against the outlets in the index, with their short forms: "CNBC" for "Cnbc | World Business News
Leader"), the dates it names ("published on November 1, 2023", "after October 22"), and gives one `Part`
per report: the words around the outlet's mention (what that report is said to say) and its filters.
Questions that name fewer than two reports stay single-fact and take the ordinary pipeline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from index.lexicon import FIGURE_NOUNS, MONTH_RE, MONTHS, PAST_IRREGULAR
from qa.text import content_words, expected_type

Kind = Literal["yes_no", "name", "temporal", "timeline", "fact"]

_YES_NO_START = re.compile(r"^(?:\W*)(?:does|do|did|is|are|was|were|has|have|had|can|could|would|will|should)\b", re.I)
_AUX_AFTER_COMMA = re.compile(r",\s*(?:does|do|did|is|are|was|were|has|have|had)\s+(?:the\s+)?['\"‘“]?[A-Z]", re.I)
_NAME_ASK = re.compile(r"\b(?:which|who|whom|what)\b", re.I)
# a question word that opens a clause ("Which company ...", "..., which star ...", "..., in what year ..."),
# not one inside a phrase of the framing ("the report on what to expect") nor a relative pronoun after a comma,
# followed by its verb, regular or irregular ("the report, which refers to ...", "..., which said ...")
_CLAUSE_NAME_ASK = re.compile(r"^\W*(?:in\s+)?(?:which|who|whom|what)\b|[,;:.?]\s+(?:in\s+)?(?:which|who|whom|what)\b"
                              r"(?!\s+(?:is|are|has|have|said|told|wrote|found|" + PAST_IRREGULAR + r"|\w+ed|\w+s)\b)"
                              # "..., by how many points did ...?": a figure asked after the framing, a preposition
                              # before it or not
                              r"|[,;:]\s+(?:(?:in|on|at|by|for|from|to|with|over)\s+)?how\s+(?:many|much|long|far|old)\b",
                              re.I)
# "the report ..., in which Netanyahu said ...": a preposition and which/whom that a subject follows (a name, a
# pronoun, a determiner) open a relative clause; an asking one is followed by its noun ("in which year")
_RELATIVE = re.compile(r"[,;:]\s+(?:in|of|on|at|by|for|from|with|to|under|during|through)\s+(?:which|whom)\s+"
                       r"(?:(?-i:[A-Z])|(?:the|a|an|he|she|it|they|we|his|her|its|their)\b)", re.I)
_ORDER_WORDS = re.compile(r"\b(?:before|after|earlier|later|prior|subsequent|consisten\w*|inconsisten\w*|change[ds]?|"
                          r"between the|first|latest|newest|oldest|then)\b", re.I)
_DATE = re.compile(r"\b(" + MONTH_RE + r")\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b", re.I)
_BEFORE_AFTER = re.compile(r"\b(before|after|prior to|since|by|until)\s+$", re.I)
_ANOTHER = re.compile(r"\b(?:another|other|second|same source|both)\b", re.I)


@dataclass
class Part:
    """One report the question refers to: the outlets it may come from, what it is said to say, its dates."""

    text: str  # the words of the question around the outlet's mention
    outlets: list[str] = field(default_factory=list)  # index outlet names; empty: any outlet
    mention: str = ""  # as written in the question
    since: str | None = None
    until: str | None = None
    distinct: bool = False  # "another TechCrunch article": not the article an earlier part took


@dataclass
class Plan:
    question: str
    kind: Kind
    parts: list[Part] = field(default_factory=list)
    named_outlets: list[str] = field(default_factory=list)
    focus: str = ""  # a single-fact question naming one outlet, without the outlet's name (which is a filter)

    @property
    def multi(self) -> bool:
        """Answered part by part (a question naming two reports, or long enough to join several)."""
        return bool(self.parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def outlet_aliases(outlet: str) -> list[str]:
    """The ways a question may name an outlet: its full name, its head before ' | ', ' - ' or ':' ("Cnbc"),
    and that head without a leading 'The' or a trailing 'News' when what is left is a name ("BBC", "Fox")."""
    head = re.split(r"\s+[|:-]\s+|:\s+", outlet)[0].strip()
    out = [outlet, head]
    words = head.split()
    if len(words) >= 2 and words[-1].lower() == "news" and words[0].isupper():
        out.append(" ".join(words[:-1]))
    if len(words) >= 3 and words[0].lower() == "the":
        out.append(" ".join(words[1:]))
    return list(dict.fromkeys(a for a in out if len(a) >= 3))


def find_outlets(question: str, outlets: Sequence[str]) -> list[tuple[int, int, list[str]]]:
    """Mentions of known outlets: (start, end, outlet names it may mean), longest match first, in order.

    A short form shared by several outlets ("FOX News" for "FOX News - Health" and "FOX News - Lifestyle")
    means any of them. A mention must be written as a name ("The Age", "CNBC"; not "the age of").
    """
    by_alias: dict[str, list[str]] = {}
    for o in outlets:
        for a in outlet_aliases(o):
            by_alias.setdefault(a.lower(), []).append(o)
    spans: list[tuple[int, int, list[str]]] = []
    taken = [False] * len(question)
    for alias in sorted(by_alias, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", question, re.I):
            if any(taken[m.start():m.end()]) or not _capitalised(m.group()):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            spans.append((m.start(), m.end(), sorted(set(by_alias[alias]))))
    return sorted(spans)


def _capitalised(text: str) -> bool:
    """An outlet's name as written in a question: its words other than 'the', 'of', 'and' start upper case
    (a domain's ending does not count as a word: "CBSSports.com")."""
    words = [w for w in re.findall(r"(?<![\w.])[^\W\d_][\w'’]*", text) if w.lower() not in ("the", "of", "and", "for")]
    return bool(words) and all(w[0].isupper() for w in words)


_TIMELINE = re.compile(r"^\W*(?:how (?:did|has|have|does|do) .{3,}? (?:develop|evolve|unfold|change|progress|move)\w*|"
                       r"what (?:has )?changed between|(?:give|show|make)(?: me)? a timeline|timeline (?:of|for)|"
                       r".*\bfrom the (?:first|earliest) to the (?:latest|newest|most recent) report)", re.I)


_TIMELINE_FRAME = re.compile(r"^\W*(?:how (?:did|has|have|does|do)\s+|what (?:has )?changed between the (?:first|earliest) "
                             r"and the (?:latest|newest|most recent) reports? (?:on|about|of)\s+|(?:give|show|make)"
                             r"(?: me)? a timeline (?:of|for)\s+|timeline (?:of|for)\s+)|\s+(?:develop|evolve|unfold|"
                             r"change|progress|move)\w*(?=\W*$)", re.I)


def timeline_topic(question: str) -> str:
    """What a timeline question is about, without its framing: "How did the bridge repairs develop?" ->
    "the bridge repairs"."""
    topic = _TIMELINE_FRAME.sub(" ", question).strip(" ?.")
    return topic if len(content_words(topic)) >= 1 else question


def question_kind(question: str) -> Kind:
    """timeline for "how did X develop?" / "what changed between the first and the latest report?"; yes_no when the main clause is a question to be answered yes or no ("Does ...", "After the report by X,
    did ..."), temporal when it also hinges on report dates or order; name for which/who/what; else fact."""
    if _TIMELINE.search(question):
        return "timeline"
    relative = {m.start() for m in _RELATIVE.finditer(question)}
    wh = next((m for m in _CLAUSE_NAME_ASK.finditer(question) if m.start() not in relative), None)
    aux = _YES_NO_START.search(question) or _AUX_AFTER_COMMA.search(question)
    if aux and not (wh and wh.start() < aux.start()):
        return "temporal" if _DATE.search(question) and _ORDER_WORDS.search(question) else "yes_no"
    if _NAME_ASK.search(question):
        return "name"
    return "fact"


def _dates(text: str) -> tuple[str | None, str | None]:
    """The published-date filter a part's words give: "on November 1, 2023" that day (with a day either side,
    for time zones), "after November 6, 2023" from the next day on, "before ..." up to the day before."""
    m = _DATE.search(text)
    return _date_filter(text, m) if m else (None, None)


def _date_filter(text: str, m: re.Match[str]) -> tuple[str | None, str | None]:
    """The published-date filter of one date named in `text` (see `_dates`)."""
    try:
        day = dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    except ValueError:
        return None, None
    rel = _BEFORE_AFTER.search(text[: m.start()])
    word = rel.group(1).lower() if rel else ""
    if word in ("after", "since"):
        return (day + dt.timedelta(days=1)).isoformat(), None
    if word in ("before", "prior to", "by", "until"):
        return None, (day - dt.timedelta(days=1)).isoformat()
    if "other than" in text[max(0, m.start() - 20): m.start()].lower():
        return None, None
    return (day - dt.timedelta(days=1)).isoformat(), (day + dt.timedelta(days=1)).isoformat()


def report_days(question: str) -> list[tuple[str, str, str]]:
    """Each report the question names by its day ("its November 6, 2023, article", not "after November 6"):
    (since, until) a day either side, and the date as written."""
    out = []
    for m in _DATE.finditer(question):
        since, until = _date_filter(question, m)
        if since and until:
            out.append((since, until, m.group(0)))
    return out


MULTI_MIN_WORDS = 25  # a question this long joins several descriptions (single-fact sets: <= 15 words; multi: >= 30)
_CLAUSE = re.compile(r",\s*(?=(?:and|while|but|who|which|whose|is|was|has|had|as well as|also|according|as reported|"
                     r"as per|before|after|or)\b)|\s+while\s+|;\s*", re.I)
# between two reports, also the comma before the later one's asking verb: "After report A, which said X, did B ...?"
_REPORT_CUT = re.compile(_CLAUSE.pattern + r"|,\s*(?=(?:are|were|do|does|did|have)\b)", re.I)


def make_plan(question: str, outlets: Sequence[str]) -> Plan:
    """The plan for `question` given the outlets in the index: parts when it names two reports or more, or
    when it is long enough to join several descriptions (then one part per clause)."""
    kind = question_kind(question)
    mentions = find_outlets(question, outlets)
    plan = Plan(question, kind, named_outlets=sorted({o for _, _, os in mentions for o in os}))
    joins = len(mentions) >= 2 or len(question.split()) >= MULTI_MIN_WORDS
    asked = _asked(question) if joins and mentions and kind in ("name", "fact") else ""
    if asked:
        # "According to X's report and Y's, how many hostages ...?": one fact (a date, a figure), asked of the
        # named reports; the single-fact pipeline can check it and refuse, which a name vote cannot
        plan.kind, plan.focus = "fact", asked
        return plan
    if len(mentions) >= 2:
        plan.parts = _parts_by_outlet(question, mentions)
    elif len(question.split()) >= MULTI_MIN_WORDS:
        parts = _parts_by_clause(question, mentions)
        # one clause and no report named: one fact asked at length, which the single-fact pipeline checks
        plan.parts = parts if len(parts) > 1 or mentions else []
    elif mentions:
        plan.focus = _without_mention(question, mentions[0][0], mentions[0][1])
    plan.parts = _reports_in_frame(question, plan.parts)
    return plan


_BETWEEN = re.compile(r"^\W*between\b", re.I)


def _reports_in_frame(question: str, parts: list[Part]) -> list[Part]:
    """"Between report A and report B, was there a change in X?" names its reports in the framing; the asking
    clause after it ("was there ...", "was the reporting consistent ...") says how they relate, and is no report
    of its own (its words are in the whole question the verdict reads). Its parts go, when two remain."""
    asks = list(_AUX_AFTER_COMMA.finditer(question)) if _BETWEEN.match(question) else []
    if not asks:
        return parts
    framed = [p for p in parts if 0 <= question.find(p.text) < asks[-1].start()]
    return framed if len(framed) >= 2 else parts


_LEAD = r"(?:(?:and|but) )?"  # what may open a wh-clause before its preposition and question word
_PREP = r"(?:in |on |at |by )"
_ASKED = re.compile(r"(?:^|[,;:]\s+)" + _LEAD + r"(?=" + _PREP + r"?(?:how|what|which|when|who|whom)\b)", re.I)
_CLAUSE_OPENING = re.compile(r"^" + _LEAD + _PREP, re.I)
_VALUE_ASK = re.compile(r"^what (?:(?:was|is|were|are) )?(?:the )?(?:[\w-]+ ){0,2}(?:" + FIGURE_NOUNS + r")s?\b",
                        re.I)


def asks_value(clause: str) -> bool:
    """Does a wh-clause ask for a date or a figure ("in how many games", "on what date", "what was the final
    score"), not a name?"""
    clause = _CLAUSE_OPENING.sub("", clause.strip())
    return expected_type(clause) in ("time", "number") or bool(_VALUE_ASK.match(clause))


def _asked(question: str) -> str:
    """The question's wh-clauses, from the first, when one of them asks for a date or a figure ("..., which
    team won the final, and in how many games?"); else ""."""
    starts = [m.end() for m in _ASKED.finditer(question)]
    if not any(asks_value(question[s:]) for s in starts):
        return ""
    return question[starts[0]:]


_REPORT_NOUN = r"(?:report|article|story|piece|coverage|interview|account)s?"


def _without_mention(question: str, start: int, end: int) -> str:
    """The question with its one named outlet taken out ("Where ..., according to the Euronews report?" ->
    "Where ...?"): the outlet becomes a filter, and its name is not a word the evidence must hold."""
    before = re.search(r"(?:,?\s*(?:according to|as reported by|reported by|in|by|from|per)\s+)?(?:the\s+|an?\s+)?$",
                       question[:start], re.I)
    after = re.match(r"(?:'s)?\s*" + _REPORT_NOUN + r"\b", question[end:], re.I)
    lo = before.start() if before else start
    hi = end + (after.end() if after else 0)
    focus = " ".join((question[:lo] + " " + question[hi:]).split()).replace(" ?", "?").replace(" ,", ",")
    return focus if len(content_words(focus)) >= 2 else question


def _parts_by_outlet(question: str, mentions: list[tuple[int, int, list[str]]]) -> list[Part]:
    """One part per mention. The words between two mentions are split at a clause boundary (", while",
    ", and who", ", is"): before it they describe the earlier report ("the Fortune article claims X"), after it
    the later one ("... as mentioned by The Verge"). With no boundary, both parts get the words between."""
    lo = [0] * len(mentions)
    hi = [len(question)] * len(mentions)
    for i in range(len(mentions) - 1):
        gap_start, gap_end = mentions[i][1], mentions[i + 1][0]
        cuts = list(_REPORT_CUT.finditer(question, gap_start, gap_end))
        if cuts:
            hi[i], lo[i + 1] = cuts[-1].start(), cuts[-1].end()
        else:
            hi[i], lo[i + 1] = gap_end, gap_start
    parts: list[Part] = []
    seen: set[tuple[str, ...]] = set()
    for i, (start, end, names) in enumerate(mentions):
        text = question[lo[i]:hi[i]].strip(" ,;?")
        since, until = _dates(question[start:hi[i]])
        key = tuple(names)
        distinct = key in seen or bool(_ANOTHER.search(question[max(0, start - 25):start]))
        seen.add(key)
        parts.append(Part(text=text, outlets=names, mention=question[start:end], since=since, until=until,
                          distinct=distinct))
    return parts


def clauses(question: str) -> list[str]:
    """The question's clauses with enough words of their own (4 content words) to describe a report."""
    return [c for c in (c.strip(" ,;?") for c in _CLAUSE.split(question)) if len(content_words(c)) >= 4]


def _parts_by_clause(question: str, mentions: list[tuple[int, int, list[str]]]) -> list[Part]:
    """One part per clause with enough words of its own; the one outlet named (if any) filters them all."""
    names = mentions[0][2] if mentions else []
    mention = question[mentions[0][0]:mentions[0][1]] if mentions else ""
    parts = [Part(text=c, outlets=list(names), mention=mention, since=_dates(c)[0], until=_dates(c)[1])
             for c in clauses(question)]
    return parts or [Part(text=question, outlets=list(names), mention=mention)]


def part_words(part: Part) -> list[str]:
    """The content words of a part other than its outlet's name."""
    outlet_words = {w.lower() for o in part.outlets for w in content_words(o)}
    return [w for w in content_words(part.text) if w.lower() not in outlet_words]
