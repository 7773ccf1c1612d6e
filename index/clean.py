"""Remove page boilerplate from scraped article text (pure text in, text out).

The rules are tables so that a new kind of scrap is one line to add (with a test in tests/index/test_clean.py).
"""

from __future__ import annotations

import re

# A whole line matching one of these (case-insensitive, after stripping) is page chrome.
DROP_LINE = [re.compile(p, re.IGNORECASE) for p in (
    r"share this article.*",
    r"advertisement",
    r"advertisement\s*[-–—:]?\s*(scroll|continue).*",
    r"(story continues|continue reading) below.*",
    r"comments?",
    r"copyright( ©)?\s*\S*",
    r"© .{0,80}",
    r"copy/paste the article.*",
    r"copy to clipboard.*",
    r"accessibility links",
    r"breaking news",
    r"skip to (main )?content",
    r"(read|see) (more|also).{0,80}",
    r"sign up .{0,60}newsletter.*",
    r"(to find out more, )?click here\.?",
    r"follow us .{0,60}",
    r"(xs|sm|md|lg|xl|xxl)",
    r"•?\s*\d+x\d+ image",
    r"image|photo|video|close button|print|email|facebook|twitter|whatsapp|linkedin",
    r"by [A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3}",  # byline
    r"(getty( images)?|afp|reuters|epa|ap( photo)?)(/\S+)?",  # a photo credit alone
    r"(photo|image|picture)( credit)?:.*",
)]

# A photo credit glued to the front of a caption ("GETTYWess Mitchell warned ..."): the credit goes, the
# caption stays, since captions state facts the outlet reports like any sentence.
CREDIT_PREFIX = re.compile(r"^(?:GETTY(?: IMAGES)?|Getty Images|AFP|REUTERS|EPA)(?:/\S+)?\s*(?=[A-Z][a-z])")

# A line matching one of these starts the "more stories" tail of a page: it and everything after go.
TAIL_START = [re.compile(p, re.IGNORECASE) for p in (
    r"you might also like.*",
    r"latest news",
    r"related (articles|stories|news|coverage)",
    r"more (from|stories|on this story).*",
    r"most (read|popular|viewed)",
    r"recommended( for you)?",
    r"•?\s*\d+x\d+ image",
)]

_SENTENCE_END = re.compile(r"[.!?:\"'”’)\]]$")


def _is_chrome(line: str) -> bool:
    return any(p.fullmatch(line) for p in DROP_LINE)


def clean_text(text: str, title: str = "", tails: bool = True) -> str:
    """Return the article body without page boilerplate, paragraphs separated by blank lines.

    tails=False keeps what follows a "more stories" line: in a document (PDF, Word) "Latest news" is a heading."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "")
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    kept: list[str] = []
    for i, line in enumerate(lines):
        if tails and any(p.fullmatch(line) for p in TAIL_START):
            break
        line = CREDIT_PREFIX.sub("", line)
        if not line or _is_chrome(line):
            continue
        # Photo captions are repeated verbatim (alt text + caption): drop every copy.
        if line == _neighbour(lines, i, -1) or line == _neighbour(lines, i, +1):
            continue
        # The title repeated as the first line of the body adds nothing to retrieve or cite.
        if not kept and title and line.casefold() == title.strip().casefold():
            continue
        # Short fragments with no sentence punctuation (names under photos, outlet labels) are chrome.
        if len(line.split()) <= 3 and not _SENTENCE_END.search(line):
            continue
        kept.append(line)
    return "\n\n".join(kept)


def _neighbour(lines: list[str], i: int, step: int) -> str | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j]:
            return lines[j]
        j += step
    return None


def clean_pages(pages: tuple[str, ...] | list[str], title: str = "") -> tuple[str, tuple[int, ...]]:
    """Clean each page of a document and join them: (cleaned text, where each page starts in it).

    A page left empty (a scanned image, a blank page) starts where the next one does."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for page in pages:
        cleaned = clean_text(page, "" if parts else title, tails=False)
        if cleaned and parts:
            pos += 2  # the blank line between pages, as between paragraphs
        starts.append(pos)
        if cleaned:
            parts.append(cleaned)
            pos += len(cleaned)
    return "\n\n".join(parts), tuple(starts)
