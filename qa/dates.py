"""Relative dates in articles, resolved against the article's published date; time words in questions."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from index.lexicon import FUTURE, MONTH_RE, MONTHS, PAST, WEEKDAYS


@dataclass(frozen=True)
class ResolvedDate:
    start: int  # span of the phrase in the text
    end: int
    phrase: str
    value: str  # e.g. "25 July 2018", "2019", "July 2018"


def fmt(d: dt.date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def parse_iso(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def resolve_relative_dates(text: str, published: str) -> list[ResolvedDate]:
    """Find 'on Wednesday', 'next year', 'July 27', 'last month'... in `text` and give their absolute value."""
    pub = parse_iso(published)
    if pub is None:
        return _month_days(text, None)  # "released on September 20th" after "At its fall 2019 event"
    out: list[ResolvedDate] = []
    for m in re.finditer(r"\b(?:on |last |next |this )?(" + "|".join(WEEKDAYS) + r")\b", text, re.I):
        if re.match(r",? (?:(?:" + MONTH_RE + r")\.? \d|\d{1,2}(?:st|nd|rd|th)? (?:" + MONTH_RE + r"))", text[m.end():], re.I):
            continue  # "Sunday, November 17": the date that follows says which Sunday
        wd = WEEKDAYS[m.group(1).lower()]
        phrase = m.group(0).lower()
        if phrase.startswith("next ") or (not phrase.startswith("last ") and _is_future(text, m.start(), m.end())):
            delta = (wd - pub.weekday()) % 7 or 7
            day = pub + dt.timedelta(days=delta)
        else:
            day = pub - dt.timedelta(days=(pub.weekday() - wd) % 7)
            if phrase.startswith("last ") and day == pub:
                day -= dt.timedelta(days=7)
        out.append(ResolvedDate(m.start(), m.end(), m.group(0), fmt(day)))
    out += _month_days(text, pub)
    simple = {
        r"\bearly next year\b": f"early {pub.year + 1}",  # before "next year": the longer phrase is the date
        r"\bnext year\b": str(pub.year + 1),
        r"\bthis year\b": str(pub.year),
        r"\blast year\b": str(pub.year - 1),
        r"\b(?:after|before) the first of the year\b": f"1 January {pub.year + 1}",
        r"\b(?:earlier |later )?this month\b": f"{calendar.month_name[pub.month]} {pub.year}",
        r"\blast month\b": _month_offset(pub, -1),
        r"\bnext month\b": _month_offset(pub, 1),
        r"\blast week\b": f"the week of {fmt(pub - dt.timedelta(days=7 + pub.weekday()))}",
        r"\bnext week\b": f"the week of {fmt(pub + dt.timedelta(days=7 - pub.weekday()))}",
        r"\byesterday\b": fmt(pub - dt.timedelta(days=1)),
        r"\btoday\b": fmt(pub),
        r"\btomorrow\b": fmt(pub + dt.timedelta(days=1)),
    }
    for pattern, value in simple.items():
        for m in re.finditer(pattern, text, re.I):
            if not any(r.start < m.end() and m.start() < r.end for r in out):  # a phrase is resolved once
                out.append(ResolvedDate(m.start(), m.end(), m.group(0), value))
    return sorted(out, key=lambda r: r.start)


_MD = r"\b(" + MONTH_RE + r")\.? (\d{1,2})(?:st|nd|rd|th)?\b"  # "July 21st"
_DM = r"\b(\d{1,2})(?:st|nd|rd|th)? (?:of )?(" + MONTH_RE + r")\b\.?"  # "21st of July"
_MONTH_DAY = re.compile(_MD + r"(?!,? \d{4})", re.I)  # without a year
_DAY_MONTH = re.compile(_DM + r"(?!,? \d{4})", re.I)
YEAR = re.compile(r"(?<![\d,.$])\b(1[89]\d\d|20\d\d)\b(?![,.]\d)")  # a year, not part of a larger figure


def _may_verb(m: re.Match[str]) -> bool:
    """'may 5' is a verb and a number, not the 5th of May."""
    return m.group(0).lower().startswith("may ") and not m.group(0)[0].isupper()


def _month_days(text: str, pub: dt.date | None) -> list[ResolvedDate]:
    """'July 27' / '21st July' without a year: the year from the published date, else from a year named before it."""
    out = []
    found = [(m, MONTHS[m.group(1).lower()], int(m.group(2))) for m in _MONTH_DAY.finditer(text)]
    found += [(m, MONTHS[m.group(2).lower()], int(m.group(1))) for m in _DAY_MONTH.finditer(text)]
    for m, month, day_n in found:
        if _may_verb(m):
            continue
        earlier = YEAR.findall(text[:m.start()])
        try:
            if pub is not None:
                day = dt.date(pub.year, month, day_n)
                if (day - pub).days > 180:
                    day = day.replace(year=pub.year - 1)
            elif earlier:
                day = dt.date(int(earlier[-1]), month, day_n)
            else:
                continue
        except ValueError:
            continue
        out.append(ResolvedDate(m.start(), m.end(), m.group(0), fmt(day)))
    return out




def _is_future(text: str, start: int, end: int) -> bool:
    """Tense of the clause around a weekday: a future marker just before it, or after it before any past verb."""
    before = text[max(0, start - 70):start]
    fut_before = list(FUTURE.finditer(before))
    if fut_before and not PAST.search(before[fut_before[-1].end():]):
        return True
    after = text[end:end + 70]
    fut, past = FUTURE.search(after), PAST.search(after)
    return bool(fut and (past is None or fut.start() < past.start()))


def _month_offset(d: dt.date, months: int) -> str:
    index = d.year * 12 + d.month - 1 + months
    return f"{calendar.month_name[index % 12 + 1]} {index // 12}"


def annotate(text: str, published: str) -> tuple[str, list[str]]:
    """`text` with each relative date followed by its value in brackets, e.g. 'on Wednesday [25 July 2018]'."""
    resolved = resolve_relative_dates(text, published)
    parts, last = [], 0
    for r in resolved:
        parts.append(text[last:r.end])
        parts.append(f" [{r.value}]")
        last = r.end
    parts.append(text[last:])
    return "".join(parts), [f"{r.phrase} = {r.value}" for r in resolved]


@dataclass(frozen=True)
class TimeHint:
    since: str | None = None
    until: str | None = None
    prefer_recent: bool = False


def question_time_hint(question: str) -> TimeHint:
    """Read 'in August 2018', 'in 2019', 'latest', 'most recent' from a question."""
    recent = bool(re.search(r"\b(latest|most recent|newest|recently|last time|current(ly)?)\b", question, re.I))
    m = re.search(r"\b(?:in|during) (" + MONTH_RE + r")\.? (\d{4})\b", question, re.I)
    if m:
        month, year = MONTHS[m.group(1).lower()], int(m.group(2))
        last = calendar.monthrange(year, month)[1]
        return TimeHint(f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}", recent)
    m = re.search(r"\b(?:in|during) (\d{4})\b", question)
    if m:
        return TimeHint(f"{m.group(1)}-01-01", f"{m.group(1)}-12-31", recent)
    return TimeHint(prefer_recent=recent)


_ANY_MONTH_DAY = re.compile(_MD + r"(?:,? (\d{4}))?", re.I)  # with or without a year
_ANY_DAY_MONTH = re.compile(_DM + r"(?:,? (\d{4}))?", re.I)
_MONTH_YEAR = re.compile(r"\b(" + MONTH_RE + r")\.?,? (?:of )?(\d{4})\b", re.I)


def without_dates(text: str) -> str:
    """The text with its calendar dates ("July 21, 2019", "21st of July", "March 2019") blanked out: what is left
    of its figures are amounts, years and ordinals."""
    for pattern in (_ANY_MONTH_DAY, _ANY_DAY_MONTH, _MONTH_YEAR):
        text = pattern.sub(lambda m: m.group(0) if _may_verb(m) else " ", text)
    return text


def dates_in_full(text: str) -> set[str]:
    """The dates a text writes out with day, month and year ("November 17, 2019", "17 Nov 2019"), as ISO
    strings: a date a reader can check in that text alone, not one whose year comes from its publication date."""
    out = set()
    for m in _ANY_MONTH_DAY.finditer(text):
        if m.group(3) and not _may_verb(m):
            out.add(f"{m.group(3)}-{MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}")
    out |= {f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
            for m in _ANY_DAY_MONTH.finditer(text) if m.group(3)}
    return out


def answer_date(text: str) -> tuple[str, set[str]]:
    """The first, most specific date a text gives ("11-17" for a day, "2020-06" for a month, "2020" for a year),
    and every date key of those kinds it holds: to tell whether two sentences give the same date as an answer."""
    days = []
    for m in _ANY_MONTH_DAY.finditer(text):
        if not _may_verb(m):
            days.append((m.start(), f"{MONTHS[m.group(1).lower()]}-{int(m.group(2))}"))
    days += [(m.start(), f"{MONTHS[m.group(2).lower()]}-{int(m.group(1))}") for m in _ANY_DAY_MONTH.finditer(text)]
    months = [(m.start(), f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}") for m in _MONTH_YEAR.finditer(text)]
    years = [(m.start(), m.group(1)) for m in YEAR.finditer(text)]
    keys = {k for _, k in days + months + years}
    for level in (days, months, years):
        if level:
            return min(level)[1], keys
    return "", keys
