"""Quotations in an answer stay the source's words: what is inside quotation marks is in the cited sentence
as written, and what citewire adds (a resolved date) goes after the closing mark, in brackets."""

from __future__ import annotations

import difflib
import re

from index.lexicon import ADDED

_ADDED = re.compile(r"\s*" + ADDED.pattern)  # a resolved date the engine wrote into the text
_QUOTE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")  # noqa: RUF001


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included."""
    return [m.span() for m in _QUOTE.finditer(text)]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[‘’]", "'", text).split()).lower()  # noqa: RUF001


def _word(word: str) -> str:
    return re.sub(r"[^\w']", "", _norm(word))


def insert_after(text: str, at: int, addition: str) -> str:
    """Insert ` (addition)` at `at`, or after the closing mark of the quotation `at` falls inside."""
    for start, end in spans(text):
        if start < at < end:
            at = end
            break
    return f"{text[:at]} ({addition}){text[at:]}"


NEAR = 0.85  # share of a quotation's words found in order in a source span: the model's slip, not a paraphrase


def source_span(quote: str, source: str) -> str | None:
    """The source's own words for a quotation the model copied with a slip ("agreed that it" for "agreed it"):
    the span of `source` that holds at least NEAR of the quotation's words in order, as the source writes it."""
    q = [_word(w) for w in quote.split()]
    words = list(re.finditer(r"\S+", source))
    s = [_word(w.group()) for w in words]
    blocks = [b for b in difflib.SequenceMatcher(None, q, s, autojunk=False).get_matching_blocks() if b.size]
    if not q or not blocks or sum(b.size for b in blocks) < NEAR * len(q):
        return None
    first, last = blocks[0].b, blocks[-1].b + blocks[-1].size - 1
    if last - first + 1 > len(q) / NEAR:
        return None
    return source[words[first].start():words[last].end()].strip("\"“”,;:")  # noqa: RUF001


def faithful(text: str, sources: list[str]) -> str:
    """Keep the source's words inside quotation marks: a resolved date the model copied into a quote moves
    after it, a quotation with a slip gets the source's own words back, and one no cited source holds (the
    model's paraphrase) loses its marks."""
    if not _QUOTE.search(text):
        return text  # most claims quote nothing: no work on the sources
    said = [_norm(s) for s in sources]
    out, last = [], 0
    for m in _QUOTE.finditer(text):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        added = "".join(f" ({a.group(1)})" for a in _ADDED.finditer(inner))
        plain = _ADDED.sub("", inner)
        if any(_norm(plain) in s for s in said):
            quoted = m.group()[0] + plain + m.group()[-1] + added
        elif span := next((sp for src in sources if (sp := source_span(plain, src))), None):
            quoted = m.group()[0] + span + m.group()[-1] + added
        else:  # unquoted: an added date goes before the closing full stop
            body = plain.rstrip(".!?,;")
            quoted = body + added + plain[len(body):]
        out += [text[last:m.start()], quoted]
        last = m.end()
    out.append(text[last:])
    return "".join(out)
