"""Pure renderings of an `Answer` as Slack Block Kit messages (no Slack calls here).

Slack limits respected: a section's text is at most 3,000 characters, a message at most 50 blocks, a button
value at most 2,000 characters. Everything taken from articles or the LLM is escaped for mrkdwn (`&`, `<`, `>`),
so an article can neither ping `<!channel>` nor forge a link.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:  # only attributes are used: importing qa here would load the engine's dependencies
    from qa.answer import Answer, Citation

Block = dict[str, Any]

SECTION_LIMIT = 3000
MAX_BLOCKS = 50
VALUE_LIMIT = 2000
FALLBACK_LIMIT = 3000
QUOTE_LIMIT = 1200
BLOCK_ID_LIMIT = 255

PLACEHOLDER = "Looking through the articles\u2026"
USAGE = "Ask a question about the articles, e.g. `/citewire When did Bolton say the meeting would happen?`"
CONTINUED = "(continued)"
HELPFUL, NOT_HELPFUL, SHARE = "citewire_helpful", "citewire_not_helpful", "citewire_share"
CITE_BLOCK_PREFIX = "cite:"


def escape(text: str) -> str:
    """Escape the three characters Slack mrkdwn treats as control characters."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return (text or "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def link(url: str, label: str) -> str:
    """`<url|label>` for an http(s) URL; just the (bold) label otherwise."""
    label = escape(label).replace("|", "\u2223") or "untitled"
    url = (url or "").strip()
    if len(url) > 1000 or not re.match(r"^https?://[^\s]+$", url, re.I):
        return f"*{label}*"
    safe = quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")  # percent-encode <, >, | and anything unusual
    return f"<{safe}|{label}>"


def truncate(text: str, limit: int, ellipsis: str = "\u2026") -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ellipsis)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return _no_broken_entity(cut) + ellipsis


def _no_broken_entity(text: str) -> str:
    """Drop a trailing half of an `&amp;`-style entity left by a cut."""
    amp = text.rfind("&")
    if amp != -1 and ";" not in text[amp:] and len(text) - amp < 6:
        return text[:amp]
    return text


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split (already escaped) text into pieces of at most `limit` characters, at sentence or word boundaries."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind("\n"))
        if cut < limit * 0.5:
            cut = window.rfind(" ")
        if cut < limit * 0.5:
            cut = limit - 1
        piece = _no_broken_entity(text[: cut + 1])
        pieces.append(piece.strip())
        text = text[len(piece):].strip()
    if text:
        pieces.append(text)
    return pieces


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}}
    if block_id:
        block["block_id"] = block_id[:BLOCK_ID_LIMIT]
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}]}


def source_line(c: Citation) -> str:
    """`*[n]* <url|Title> · Outlet · 2018-07-27 (estimated) · p. 3` (the page for PDF sources)"""
    title = truncate(" ".join((c.title or c.article_id).split()), 200)
    parts = [f"*[{c.n}]* {link(c.url, title)}", escape(truncate(c.source or "unknown outlet", 100))]
    if c.published:
        parts.append(escape(c.published[:40]) + (" (estimated)" if c.published_estimated else ""))
    if c.page:
        parts.append(f"p. {int(c.page)}")
    return " \u00b7 ".join(parts)


def citation_block(c: Citation, with_quote: bool = True) -> Block:
    text = source_line(c)
    if with_quote and c.quote:
        text += "\n>" + escape(truncate(" ".join(c.quote.split()), QUOTE_LIMIT))
    if c.resolved_dates:
        text += "\n_dates: " + escape("; ".join(c.resolved_dates)) + "_"
    return section(text, f"{CITE_BLOCK_PREFIX}{c.n}:{c.article_id}")


def fallback_text(answer: Answer) -> str:
    """The message's plain `text` (notifications, screen readers, and the thread history the bot reads back)."""
    return truncate(escape(answer.answer), FALLBACK_LIMIT)


def button_value(key: str, answer: Answer, limit: int = VALUE_LIMIT) -> str:
    """What a button carries: the answer's cache key, the question and the cited article ids (<= 2,000 chars)."""
    ids = [c.article_id for c in (answer.citations or answer.closest)][:10]
    question = answer.question
    while True:
        value = json.dumps({"k": key, "q": question, "c": ids}, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= limit or not question:
            return value
        question = question[: max(0, min(len(question) - 20, len(question) * 2 // 3))]


def parse_value(value: str) -> dict[str, Any]:
    try:
        data = json.loads(value or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def actions_block(key: str, answer: Answer, feedback: bool = True, share: bool = False) -> Block | None:
    value = button_value(key, answer)
    elements: list[Block] = []
    if share:
        elements.append({"type": "button", "action_id": SHARE, "style": "primary", "value": value,
                         "text": {"type": "plain_text", "text": "Share in channel"}})
    if feedback:
        elements += [
            {"type": "button", "action_id": HELPFUL, "value": value,
             "text": {"type": "plain_text", "text": "\U0001f44d Helpful", "emoji": True}},
            {"type": "button", "action_id": NOT_HELPFUL, "value": value,
             "text": {"type": "plain_text", "text": "\U0001f44e Not helpful", "emoji": True}},
        ]
    return {"type": "actions", "block_id": "citewire_actions", "elements": elements} if elements else None


def answer_blocks(answer: Answer, *, key: str = "", feedback: bool = True, share: bool = False,
                  asked_by: str | None = None) -> list[Block]:
    """All the blocks of one answer, in order, before splitting into messages of <= 50 blocks."""
    blocks: list[Block] = []
    if asked_by and re.fullmatch(r"[A-Z0-9]+", asked_by):
        blocks.append(context(f"<@{asked_by}> asked: " + escape(truncate(answer.question, 500))))
    if answer.refused:
        blocks.append(section(":no_entry_sign: *No answer in the articles.*"))
    if answer.timeline:
        lines = ["*Timeline of the reports, oldest first*"] + [
            f"\u2022 `{escape(t.published)}` {escape(t.source)}: \u201c{escape(truncate(t.text, 400))}\u201d [{t.n}]"
            + (" _(newest)_" if t.newest else "") for t in answer.timeline]
        text = "\n".join(lines)
    else:
        text = escape(answer.answer)
    for piece in split_text(text):
        blocks.append(section(piece, None))
    query = str(answer.debug.get("query") or "")
    if query and query != " ".join(answer.question.split()):
        blocks.append(context("_Understood as: " + escape(truncate(query, 500)) + "_"))
    if answer.dropped_claims:
        n = len(answer.dropped_claims)
        blocks.append(context(f"({n} claim{'s' if n > 1 else ''} removed: unsupported by the sources)"))
    if answer.citations:
        blocks.append({"type": "divider"})
        blocks.append(context("*Sources*"))
        blocks += [citation_block(c) for c in answer.citations]
    elif answer.refused and answer.closest:
        blocks.append({"type": "divider"})
        blocks.append(context("*Closest matches* (not an answer)"))
        blocks += [citation_block(c) for c in answer.closest]
    actions = actions_block(key, answer, feedback=feedback, share=share) if key else None
    if actions:
        blocks.append(actions)
    return blocks


def split_messages(blocks: list[Block], limit: int = MAX_BLOCKS) -> list[list[Block]]:
    """Split blocks into messages of at most `limit` blocks; the actions block stays with the last message."""
    actions = [b for b in blocks if b.get("type") == "actions"]
    rest = [b for b in blocks if b.get("type") != "actions"]
    messages: list[list[Block]] = []
    while rest:
        room = limit if len(rest) + len(actions) > limit else limit - len(actions)
        messages.append(rest[:room])
        rest = rest[room:]
    if not messages:
        messages.append([])
    if actions:
        if len(messages[-1]) + len(actions) > limit:
            messages.append([])
        messages[-1] += actions
    return messages


def answer_messages(answer: Answer, *, key: str = "", feedback: bool = True, share: bool = False,
                    asked_by: str | None = None) -> list[list[Block]]:
    """The answer as one or more Block Kit messages (usually one)."""
    return split_messages(answer_blocks(answer, key=key, feedback=feedback, share=share, asked_by=asked_by))


def progress_blocks(draft: str, note: str) -> list[Block]:
    """The message while the answer streams: the draft so far and what is happening."""
    blocks: list[Block] = []
    if draft.strip():
        text = escape(draft.strip())
        if len(text) > SECTION_LIMIT - 2:
            text = "\u2026" + text[-(SECTION_LIMIT - 3):]
        blocks.append(section(text + " \u258d"))
    blocks.append(context(escape(note)))
    return blocks


def progress_text(draft: str, note: str) -> str:
    return truncate(escape(draft.strip()) or escape(note), FALLBACK_LIMIT)


def error_text(reason: str) -> str:
    return escape(f"Sorry, I couldn't answer that: {reason}")


def thanks_text(rating: int) -> str:
    return "Thanks for the feedback" + (" \u2014 glad it helped." if rating > 0 else "; it helps us improve the answers.")
