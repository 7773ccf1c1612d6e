"""Pure HTML renderings for the web chat: an `Answer` -> chat message and source cards; no server needed.

Everything that comes from an article (titles, outlets, quotes, urls) or from the LLM is untrusted and is
escaped here; only the markup this module writes itself is live HTML. Ids tie the two halves together: the
marker `[n]` of answer `key` links to the card `cw-{key}-s{n}` in the sources panel, and a refusal's
closest matches are `cw-{key}-c{n}` (they are not citations, so nothing in the text links to them).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlparse

from qa.answer import Answer, Citation, Evidence
from ui import export

REFUSAL_TITLE = "The articles don't say"
_CITE = re.compile(r"\[(\d{1,3})\]")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
# characters Markdown, KaTeX or Gradio's chat renderer could act on, written as entities so they stay text
_INERT = {"$": "&#36;", "*": "&#42;", "_": "&#95;", "`": "&#96;", "~": "&#126;", "\\": "&#92;", "|": "&#124;"}


def esc(text: object) -> str:
    """HTML-escape untrusted text (quotes too), and neutralise Markdown/LaTeX characters."""
    out = html.escape("" if text is None else str(text), quote=True)
    return "".join(_INERT.get(ch, ch) for ch in out)


def safe_key(key: str) -> str:
    return _KEY_UNSAFE.sub("-", key) or "a"


def card_id(key: str, n: int, closest: bool = False) -> str:
    return f"cw-{safe_key(key)}-{'c' if closest else 's'}{int(n)}"


def group_id(key: str) -> str:
    return f"cw-{safe_key(key)}"


def safe_url(url: str) -> str:
    """The url when it is a plain http(s) link, else '' (no javascript:, data: or relative links)."""
    url = (url or "").strip()
    try:
        parsed = urlparse(url)
    except ValueError:
        return ""
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc and not any(c in url for c in "\"'<> \n\t"):
        return url
    return ""


def nice_date(iso: str, estimated: bool = False) -> str:
    """'2018-07-27' -> '27 Jul 2018' ('(estimated)' appended when the date was inferred)."""
    if not iso:
        return "undated"
    try:
        text = dt.date.fromisoformat(iso).strftime("%-d %b %Y")
    except ValueError:
        text = iso
    return f"{text} (estimated)" if estimated else text


def _one_line(markup: str) -> str:
    """Chat messages are Markdown: an HTML block with no blank line inside is passed through untouched."""
    return re.sub(r"\s*\n\s*", " ", markup).strip()


# ---- the answer, as a chat message ---------------------------------------------------------------
def _linked_text(text: str, key: str, numbers: set[int]) -> str:
    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in numbers:
            return m.group(0)
        target = card_id(key, n)
        return (f'<a class="cw-cite" href="#{target}" data-cw-card="{target}" '
                f'title="Show source {n}">[{n}]</a>')

    return _CITE.sub(link, esc(text))


DROPPED_LABELS = {"unsupported": "unsupported", "not_an_answer": "not an answer", "off_point": "off point",
                  "check_failed": "failed the check", "unlikely": "unlikely", "unread": "not what its source answers",
                  "unanswered": "its source does not answer the question"}  # one per `qa.answer.Dropped`


def refusal_text(answer: Answer) -> str:
    """Why there is no answer, from the answer's refusal code and detail, and the closest passage."""
    if export.refusal_reason(answer):
        return export.refusal_reason(answer)
    if answer.closest:
        c = answer.closest[0]
        return f"The closest they come: {c.source or c.title} ({c.published or 'undated'}) reports \u201c{c.quote}\u201d"
    return ""


def dropped_html(dropped: Sequence[dict[str, str]]) -> str:
    """'1 claim removed: unsupported', expandable to the claims and why each was removed."""
    if not dropped:
        return ""
    n = len(dropped)
    reasons = sorted({DROPPED_LABELS.get(d.get("code", ""), "unsupported") for d in dropped})
    items = "".join(
        f'<li><q>{esc(d.get("claim", ""))}</q> <span class="cw-reason">{esc(d.get("reason", ""))}</span></li>'
        for d in dropped
    )
    return (f'<details class="cw-dropped"><summary>{n} claim{"s" if n != 1 else ""} removed: '
            f'{esc(", ".join(reasons))}</summary><ul>{items}</ul></details>')


def understood_html(answer: Answer) -> str:
    """A follow-up rewritten into a standalone question ('Why?' -> 'Why was the meeting delayed?') says so."""
    query = str((answer.debug or {}).get("query") or "")
    if not query or " ".join(query.lower().split()) == " ".join(answer.question.lower().split()):
        return ""
    return f'<p class="cw-note cw-understood">Understood as: {esc(query)}</p>'


def extractive_note(answer: Answer) -> str:
    """Why a quoted (extractive) answer is a quote: the LLM's phrasing failed the checks, or no LLM was asked
    (`--llm none`: nothing was phrased, so nothing 'could not be verified')."""
    if answer.mode != "extractive":
        return ""
    if (answer.debug or {}).get("drafts"):
        return "Quoted from the sources (the phrased answer could not be verified)."
    return "Quoted from the sources."


def _attr_text(text: str) -> str:
    """Text for a data-* attribute that keeps its newlines (the message itself must stay on one line)."""
    return esc(text).replace("\n", "&#10;")


def actions_html(key: str) -> str:
    """The bar under an answer: feedback for this answer, copy as Markdown or plain text (with references)."""
    # Gradio's chat sanitiser drops data-* attributes: the answer's key travels in a class, and the texts to
    # copy sit on the answer's group in the sources panel (see group_html)
    gid = safe_key(key)
    return (f'<div class="cw-actions cw-key-{gid}">'
            '<button type="button" class="cw-act cw-rate-up">Helpful</button>'
            '<button type="button" class="cw-act cw-rate-down">Not\u00a0helpful</button>'
            '<button type="button" class="cw-act cw-copy-md">Copy Markdown</button>'
            '<button type="button" class="cw-act cw-copy-plain">Copy text</button>'
            '<span class="cw-act-status" role="status"></span></div>')


def filtered_refusal_html(answer: Answer, key: str, filters: dict[str, Any] | None) -> str:
    """A refusal under outlet/date filters says what was searched, with one click to search everything."""
    scope = export.filters_text(filters)
    if not answer.refused or not scope:
        return ""
    return (f'<p class="cw-filtered">Nothing within: {esc(scope)}. '
            f'<button type="button" class="cw-act cw-retry cw-key-{safe_key(key)}">Search all articles</button></p>')


def answer_html(answer: Answer, key: str, filters: dict[str, Any] | None = None) -> str:
    """The chat message for a finished answer: text with clickable [n], or the refusal style; then its actions."""
    gid = safe_key(key)
    understood = understood_html(answer)
    actions = actions_html(key)
    if answer.refused:
        body = f'<p class="cw-refusal-detail">{esc(refusal_text(answer))}</p>'

        note = ('<p class="cw-note">The passages beside the chat are the closest matches, not an answer.</p>'
                if answer.closest else "")
        markup = (f'<div class="cw-answer cw-refused cw-key-{gid}" data-cw-answer="{gid}">'
                  f'<p class="cw-refusal-title">{REFUSAL_TITLE}</p>{filtered_refusal_html(answer, key, filters)}'
                  f'{body}{note}{understood}{dropped_html(answer.dropped_claims)}{actions}</div>')
        return _one_line(markup)
    numbers = {c.n for c in answer.citations}
    mode = f'<p class="cw-note">{esc(extractive_note(answer))}</p>' if extractive_note(answer) else ""
    body = timeline_html(answer, key, numbers) if answer.timeline else \
        f'<p class="cw-text">{_linked_text(answer.answer, key, numbers)}</p>'
    markup = (f'<div class="cw-answer cw-key-{gid}" data-cw-answer="{gid}">'
              f'{body}{mode}{understood}{dropped_html(answer.dropped_claims)}{actions}</div>')
    return _one_line(markup)


def timeline_html(answer: Answer, key: str, numbers: set[int]) -> str:
    """A timeline answer as a dated list, oldest first, the newest marked."""
    items = "".join(
        f'<li class="cw-tl{" cw-tl-newest" if t.newest else ""}"><time>{esc(t.published)}</time> '
        f'<span class="cw-tl-source">{esc(t.source)}</span>: '
        f'{_linked_text(chr(0x201c) + t.text + chr(0x201d) + f" [{t.n}]", key, numbers)}'
        f'{" <em>(newest)</em>" if t.newest else ""}</li>' for t in answer.timeline)
    return f'<p class="cw-text">Timeline of the reports, oldest first:</p><ol class="cw-timeline">{items}</ol>'


def draft_html(draft: str, found: int | None = None) -> str:
    """The message while the answer streams in (it is replaced by `answer_html` once verified)."""
    if not draft:
        status = f"Found {found} passage{'s' if found != 1 else ''}; writing the answer\u2026" if found else "Searching the articles\u2026"
        return _one_line(f'<div class="cw-answer cw-pending"><p class="cw-note">{esc(status)}</p></div>')
    return _one_line(f'<div class="cw-answer cw-draft"><p class="cw-text">{esc(draft)}<span class="cw-cursor">\u258d</span></p>'
                     '<p class="cw-note">Checking every claim against the sources\u2026</p></div>')


def stopped_html(draft: str) -> str:
    """An answer stopped by the user: what was drafted, marked as unchecked (never a frozen draft)."""
    text = f'<p class="cw-text">{esc(draft.strip())}</p>' if draft.strip() else ""
    note = ("Stopped. This draft was not checked against the sources." if draft.strip()
            else "Stopped before an answer was written.")
    return _one_line(f'<div class="cw-answer cw-stopped">{text}<p class="cw-note">{esc(note)}</p></div>')


def error_html(message: str) -> str:
    return _one_line(f'<div class="cw-answer cw-error" role="alert"><p><strong>Could not answer:</strong> {esc(message)}</p></div>')


def info_html(message: str) -> str:
    return _one_line(f'<div class="cw-answer cw-info"><p>{esc(message)}</p></div>')


# ---- the sources panel -------------------------------------------------------------------------
def quote_html(c: Citation) -> str:
    before = f'<span class="cw-ctx">{esc(c.context_before)}</span> ' if c.context_before else ""
    after = f' <span class="cw-ctx">{esc(c.context_after)}</span>' if c.context_after else ""
    return f'<blockquote class="cw-quote">{before}<mark class="cw-hl">{esc(c.quote)}</mark>{after}</blockquote>'


def card_html(c: Citation, key: str, closest: bool = False) -> str:
    url = safe_url(c.url)
    title = esc(c.title or c.article_id)
    heading = (f'<button type="button" class="cw-title cw-read" data-cw-read="{esc(c.article_id)}" '
               f'data-start="{int(c.start)}" data-end="{int(c.end)}" title="Read the whole article">{title}</button>')
    badge = f'<span class="cw-n">{"~" if closest else ""}{int(c.n)}</span>'
    date = f'<time datetime="{esc(c.published)}">{esc(nice_date(c.published, c.published_estimated))}</time>'
    link = (f' \u00b7 <a class="cw-ext" href="{esc(url)}" target="_blank" rel="noopener noreferrer">original \u2197</a>'
            if url else "")
    meta = f'<span class="cw-outlet">{esc(c.source or "unknown outlet")}</span> \u00b7 {date}{link}'
    dates = (f'<p class="cw-resolved">Dates: {esc("; ".join(c.resolved_dates))}</p>' if c.resolved_dates else "")
    cls = "cw-card cw-closest" if closest else "cw-card"
    return (f'<article class="{cls}" id="{card_id(key, c.n, closest)}" data-n="{int(c.n)}">'
            f'<header>{badge}{heading}</header><p class="cw-meta">{meta}</p>{quote_html(c)}{dates}'
            f'<p class="cw-id">{esc(c.article_id)}</p></article>')


def group_html(answer: Answer, key: str, active: bool = True, filters: dict[str, Any] | None = None) -> str:
    """All the cards of one answer; the panel shows one group at a time."""
    if answer.refused:
        head = (f'<p class="cw-group-head cw-refused-head">{REFUSAL_TITLE} \u2014 closest matches (not citations)</p>'
                if answer.closest else f'<p class="cw-group-head cw-refused-head">{REFUSAL_TITLE}; nothing close was found.</p>')
        cards = "".join(card_html(c, key, closest=True) for c in answer.closest)
    else:
        n = len(answer.citations)
        head = f'<p class="cw-group-head">{n} source{"s" if n != 1 else ""}</p>'
        cards = "".join(card_html(c, key) for c in answer.citations)
    question = f'<p class="cw-group-q">{esc(answer.question)}</p>' if answer.question else ""
    back = f'<button type="button" class="cw-back" data-cw-back="{safe_key(key)}">\u2191 Back to the answer</button>'
    md = _attr_text(export.answer_markdown(answer, filters))
    plain = _attr_text(export.answer_plain(answer, filters))
    return (f'<section class="cw-group" id="{group_id(key)}" data-active="{"true" if active else "false"}" '
            f'data-cw-md="{md}" data-cw-plain="{plain}">{back}{question}{head}{cards}</section>')


def sources_html(answers: Sequence[tuple[str, Answer]], active: str | None = None) -> str:
    """The sources panel for a conversation: every answer's cards, the `active` (default: last) one shown."""
    if not answers:
        return _one_line('<div class="cw-sources cw-empty"><p class="cw-note">Sources appear here: each answer\'s '
                         'cited sentences, highlighted in their article.</p></div>')
    active = active if active is not None else answers[-1][0]
    groups = "".join(group_html(a, key, key == active) for key, a in reversed(answers))
    return _one_line(f'<div class="cw-sources">{groups}</div>')


def evidence_html(evidence: Evidence, key: str, previous: Sequence[tuple[str, Answer]] = ()) -> str:
    """While the answer is written: the passages found, marked as not yet verified."""
    cards = "".join(card_html(c, f"{key}-pre", closest=True) for c in evidence.citations)
    head = (f'<p class="cw-group-head">Checking {len(evidence.citations)} passage(s)\u2026</p>'
            if evidence.citations else '<p class="cw-group-head">No passages found.</p>')
    current = f'<section class="cw-group cw-pending" id="{group_id(key)}-pre" data-active="true">{head}{cards}</section>'
    older = "".join(group_html(a, k, False) for k, a in reversed(previous))
    return _one_line(f'<div class="cw-sources">{current}{older}</div>')


# ---- the Articles tab and the empty chat --------------------------------------------------------
ARTICLE_COLUMNS = ["Title", "Outlet", "Published", "Chunks", "ID"]


def article_rows(records: Iterable[Any], query: str = "") -> list[list[Any]]:
    """Rows for the articles table (plain values: the table escapes them), filtered by a title search."""
    words = query.lower().split()
    rows = []
    for r in records:
        title = r.title or r.id
        if words and not all(w in f"{title} {r.id}".lower() for w in words):
            continue
        date = f"{r.published}{' (est.)' if r.published_estimated else ''}" if r.published else ""
        rows.append([title, r.source, date, int(r.n_chunks), r.id])
    return rows


def upload_hint(suffixes: Sequence[str]) -> str:
    """The line beside the upload picker (Markdown): the file types it accepts, and the front matter it reads."""
    return (f"Accepted: {' '.join(esc(s) for s in suffixes)}. Markdown and text files may start with front matter "
            "(title, source, published, url).")


def example_questions(titles: Iterable[str], limit: int = 4) -> list[str]:
    """Questions for the empty chat, made from article titles (short ones first, one per distinct title)."""
    seen: set[str] = set()
    picked: list[str] = []
    for title in sorted((t.strip() for t in titles if t and t.strip()), key=lambda t: (len(t) > 90, len(t))):
        norm = " ".join(title.lower().split())
        if norm in seen or len(title) < 8:
            continue
        seen.add(norm)
        picked.append(f"What do the articles say about \u201c{title.rstrip('.?!')}\u201d?")
        if len(picked) >= limit:
            break
    return picked


# ---- the article reader ---------------------------------------------------------------------------
def article_html(record: Any, text: str, start: int = 0, end: int = 0) -> str:
    """The whole cleaned article with its metadata; the span [start, end) (the cited sentence) highlighted."""
    url = safe_url(getattr(record, "url", "") or "")
    link = (f'<a class="cw-ext" href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(url)}</a>'
            if url else '<span class="cw-none">no url</span>')
    published = getattr(record, "published", "") or ""
    date = esc(nice_date(published, bool(getattr(record, "published_estimated", False))))
    estimated = (' <span class="cw-est" title="the date was inferred, not given by the article">estimated</span>'
                 if published and getattr(record, "published_estimated", False) else "")
    meta = (f'<dl class="cw-reader-meta"><dt>Outlet</dt><dd>{esc(getattr(record, "source", "") or "unknown outlet")}</dd>'
            f'<dt>Published</dt><dd><time datetime="{esc(published)}">{date}</time>{estimated}</dd>'
            f'<dt>Link</dt><dd>{link}</dd><dt>ID</dt><dd class="cw-id">{esc(record.id)}</dd></dl>')
    start, end = max(0, int(start)), min(len(text), int(end))
    if 0 <= start < end:
        body = f'{esc(text[:start])}<mark class="cw-hl" id="cw-reader-hl">{esc(text[start:end])}</mark>{esc(text[end:])}'
    else:
        body = esc(text)
    return (f'<article class="cw-reader-article"><h2 class="cw-reader-title">{esc(record.title or record.id)}</h2>'
            f'{meta}<div class="cw-reader-text">{body}</div></article>')


# ---- filter chips, the input counter, saved conversations -------------------------------------------
def chips_html(sources: Sequence[str] | None, since: str | None, until: str | None) -> str:
    """The active filters as chips beside the question box ('All articles' when none)."""
    chips = [f'<span class="cw-chip" data-cw-chip="source">{esc(s)}</span>' for s in sources or []]
    if since:
        chips.append(f'<span class="cw-chip" data-cw-chip="since">since {esc(since)}</span>')
    if until:
        chips.append(f'<span class="cw-chip" data-cw-chip="until">until {esc(until)}</span>')
    if not chips:
        return _one_line('<div class="cw-chips cw-chips-none"><span class="cw-chip-label">Searching all articles</span></div>')
    return _one_line(f'<div class="cw-chips"><span class="cw-chip-label">Only:</span>{"".join(chips)}</div>')


def counter_html(limit: int) -> str:
    """The question box's length counter (kept up to date by web.js as the user types)."""
    return (f'<div class="cw-counter" id="cw-counter-text" data-max="{int(limit)}" aria-live="polite">'
            f'0 / {int(limit)}</div><div class="cw-input-note cw-note-busy" id="cw-busy-note" role="status"></div>')


def note_html(message: str, kind: str = "info") -> str:
    """A one-line note under the question box (busy, empty or too long question); '' clears it."""
    if not message:
        return '<div class="cw-input-note"></div>'
    return f'<div class="cw-input-note cw-note-{esc(kind)}" role="status">{esc(message)}</div>'


def conversation_bar_html(conversation_id: str) -> str:
    """Under the chat: a link that reopens this conversation and its exports (nothing before the first answer)."""
    if not conversation_id:
        return '<div class="cw-conv-bar" data-cw-conv=""></div>'
    cid = esc(safe_key(conversation_id))
    return (f'<div class="cw-conv-bar" data-cw-conv="{cid}">'
            f'<a class="cw-conv-link" href="?c={cid}">Link to this conversation</a>'
            f'<button type="button" class="cw-act" data-cw-copy-link="{cid}">Copy link</button>'
            f'<a class="cw-act" href="api/conversations/{cid}.md" download="citewire-{cid}.md">Export Markdown</a>'
            f'<a class="cw-act" href="api/conversations/{cid}.json" download="citewire-{cid}.json">Export JSON</a></div>')


def conversations_html(items: Sequence[Any]) -> str:
    """The saved conversations, newest first, each a link that reopens it."""
    if not items:
        return '<p class="cw-note">No saved conversations yet: every conversation is saved after its first answer.</p>'
    rows = "".join(
        f'<li class="cw-conv" data-cw-conv-id="{esc(safe_key(c.id))}"><a href="?c={esc(safe_key(c.id))}">{esc(c.title)}</a> '
        f'<span class="cw-conv-meta">{int(c.n_turns)} question{"s" if c.n_turns != 1 else ""} \u00b7 '
        f'{esc(_when(c.updated))}</span></li>' for c in items)
    return f'<ul class="cw-conv-list">{rows}</ul>'


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%-d %b %Y %H:%M")
