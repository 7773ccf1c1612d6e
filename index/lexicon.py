"""The word lists and patterns the answer engine and the index share: one place to read and change them."""

from __future__ import annotations

import calendar
import re

# ---- stop words ---------------------------------------------------------------------------------
# content words (qa.text): what is left carries a sentence's meaning
STOPWORDS = frozenset("""
a an the and or but if then than that this these those there here of in on at to for from by with about
as into over after before between during through under up down out off is are was were be been being am
do does did done doing have has had having will would shall should can could may might must not no nor
so too very just also only own same such both each few more most other some any all what which who whom
whose when where why how it its he him his she her they them their we us our you your i me my said says
say tell told according also new one two
""".split())

# keyword search (index.store's FTS query): the classic English list, so a question's own words are searched
SEARCH_STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both but by
can could did do does doing down during each few for from further had has have having he her here hers herself him
himself his how if in into is it its itself me more most my myself no nor not of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom why will with would
you your yours yourself yourselves""".split())

# ---- calendar -----------------------------------------------------------------------------------
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
TIME_WORDS = ("january february march april may june july august september october november december "
                "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
                "saturday sunday today yesterday tomorrow week month year spring summer autumn fall winter").split()
# A time answer finer than a bare year: "when" asks for a day, a month or a part of a year (a bare "in 2020"
# does not say when, unless the question asks for the year itself).
PART_OF_YEAR = re.compile(r"\b(?:(?:first|end|start|beginning|middle|turn|rest) of (?:the|this|next|last) year"
                          r"|(?:early|late|mid|later|earlier)[- ](?:next |this |last )?year)\b", re.I)
YEAR_TOKEN = re.compile(r"(?:1[89]|20)\d\d")
ASKS_YEAR = re.compile(r"\b(?:what|which) year\b|\byear (?:did|was|were|will|does|is)\b", re.I)


ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), start=1)}
CARDINALS = {w: i for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split(), start=1)}
NUMBER_WORDS = {**CARDINALS, **ORDINALS}  # a number spelled out: 'eleventh' and 'eleven' -> 11


# ---- tense ---------------------------------------------------------------------------------------
# a clause that looks ahead ("will be released", "is due") or reports something done ("said", "won")
FUTURE = re.compile(r"\b(will|would|shall|going to|plans? to|planned|is due|are due|expected|next|upcoming|scheduled)\b", re.I)
PAST = re.compile(r"\b(said|told|announced|confirmed|met|was|were|had|did|added|stated|\w+ed)\b", re.I)

# still to come (qa.consistency): a question asking about a done event, a sentence only looking ahead
ASKS_AHEAD = re.compile(r"\b(will|would|shall|going to|plans?|planned|expected|scheduled|due|upcoming|next|might|could|may|should|can|does|do|is|are)\b", re.I)
ASKS_DONE = re.compile(r"\b(did|was|were|had|won|met|took|held|began|beat|lost|became|[a-z]{3,}ed)\b")
AHEAD = re.compile(r"\b(will|would|shall|going to|expected to|scheduled to|set to|due to|plans? to|planned|upcoming|is to|are to)\b", re.I)
AHEAD_PHRASE = re.compile(r"\b(?:will|would|shall|to)\s+(?:not\s+)?(?:be\s+|have\s+)?[a-z]+|\b(?:expected|scheduled|planned|set|due)\b"
                           r"|\b(?:is|are|was|were)\s+(?:(?:still|also)\s+)?(?:possible|likely|unlikely)\b")
# nouns of a figure a question may ask for ("what was the final score", "what total quarterly revenue")
FIGURE_NOUNS = "score|revenue|price|cost|amount|total|figure|percentage|margin|tally|salary|fee|sum"
PAST_IRREGULAR = "was|were|had|won|met|took|held|began|beat|lost|became|gave|made|came|went"  # past of common verbs
DONE = re.compile(r"\b(" + PAST_IRREGULAR + r"|[a-z]{3,}ed"
                   r"|wins|beats|takes|claims|clinches|secures|defeats|leads|tops|names)\b")  # headlines: "X wins Y"

# ---- citation markers ----------------------------------------------------------------------------
MARKER = re.compile(r"\[\d{1,2}\]")  # "[3]": a citation in an answer
MARKERS = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")  # "[1]" or "[1, 2]"
MARKER_LIST = re.compile(r"\[\d{1,2}\](?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)\[\d{1,2}\])+")  # "[1], [2], and [3]"
BRACKETED = re.compile(r"\[[^\]]*\]")  # a marker or a resolved date "[25 July 2018]"
ADDED = re.compile(r"\[(?!\d{1,2}\])([^\]]+)\]")  # a resolved date the engine wrote in, not a marker
