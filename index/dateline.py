"""A publication date read from the start of an article's text, for articles that come without one.

Scraped pages and search snippets often open with their date ("Sep 10, 2019 ... Apple announced ...").
Without a published date, relative dates ("September 20th", "next year") cannot be resolved.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_END = r"(?=\s*(?:\.\.\.|\u2026|[\u2014\u2013|:(-]|\n|$))"  # a dateline is set off from the text
_MDY = re.compile(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2}),? (\d{4})" + _END)
_DMY = re.compile(r"\b(\d{1,2}) ([A-Z][a-z]{2,8})\.? (\d{4})" + _END)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})" + _END)
WINDOW = 40  # only a date at the very start is a dateline; later dates are events


def dateline(text: str) -> str:
    """ISO date of a dateline in the first characters of `text`, or ''."""
    head = text.lstrip()[:WINDOW]
    for pattern, order in ((_MDY, "mdy"), (_DMY, "dmy"), (_ISO, "ymd")):
        m = pattern.search(head)
        if not m:
            continue
        try:
            if order == "mdy":
                month, day, year = _MONTHS.get(m.group(1)[:3].lower()), int(m.group(2)), int(m.group(3))
            elif order == "dmy":
                day, month, year = int(m.group(1)), _MONTHS.get(m.group(2)[:3].lower()), int(m.group(3))
            else:
                year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if month:
                return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return ""
