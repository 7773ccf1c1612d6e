"""Quotations in an answer stay the source's words: what is inside quotation marks is in the cited sentence
as written, and what citewire adds (a resolved date) goes after the closing mark, in brackets."""

from __future__ import annotations

import re

from index.lexicon import ADDED

_ADDED = re.compile(r"\s*" + ADDED.pattern)  # a resolved date the engine wrote into the text
_QUOTE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")  # noqa: RUF001


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included."""
    return [m.span() for m in _QUOTE.finditer(text)]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[‘’]", "'", text).split()).lower()  # noqa: RUF001


def insert_after(text: str, at: int, addition: str) -> str:
    """Insert ` (addition)` at `at`, or after the closing mark of the quotation `at` falls inside."""
    for start, end in spans(text):
        if start < at < end:
            at = end
            break
    return f"{text[:at]} ({addition}){text[at:]}"


def faithful(text: str, sources: list[str]) -> str:
    """Keep the source's words inside quotation marks: a resolved date the model copied into a quote moves
    after it, and a quotation no cited source holds as written loses its marks (it is the model's paraphrase)."""
    said = [_norm(s) for s in sources]
    out, last = [], 0
    for m in _QUOTE.finditer(text):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        added = [a.group(1) for a in _ADDED.finditer(inner)]
        plain = _ADDED.sub("", inner)
        quoted = m.group()[0] + plain + m.group()[-1]
        if not any(_norm(plain) in s for s in said):
            quoted = plain
        out += [text[last:m.start()], quoted, "".join(f" ({a})" for a in added)]
        last = m.end()
    out.append(text[last:])
    return "".join(out)
