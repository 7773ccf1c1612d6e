"""Slack message text -> plain questions, and a thread (conversations.replies) -> chat history for `ask_stream`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ui.slack.blocks import CONTINUED, PLACEHOLDER, USAGE, unescape

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>")  # <!here>, <!subteam^S1|@team>
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_IGNORED_SUBTYPES = {"bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave",
                     "group_join", "group_leave", "channel_topic", "channel_purpose", "pinned_item"}
_ERROR_PREFIX = "Sorry, I couldn't answer that"


def clean_text(text: str) -> str:
    """A Slack message's text as plain words: mentions removed, links as their labels, entities unescaped."""
    text = _MENTION.sub(" ", text or "")
    text = _SPECIAL.sub(lambda m: m.group(2) or "", text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}" if m.group(1) else "", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return " ".join(unescape(text).split())


def mentions(text: str, user_id: str | None) -> bool:
    return bool(user_id) and any(m.group(1) == user_id for m in _MENTION.finditer(text or ""))


def is_from_bot(message: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> bool:
    return bool((bot_user_id and message.get("user") == bot_user_id) or (bot_id and message.get("bot_id") == bot_id))


def _ts(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def thread_history(messages: Iterable[dict[str, Any]], *, bot_user_id: str | None, bot_id: str | None,
                   before_ts: str, max_messages: int = 12) -> list[dict[str, str]]:
    """The thread before `before_ts` as [{"role": "user"|"assistant", "content"}], oldest first.

    The bot's own answers are the assistant turns (their plain `text`); people's messages are user turns;
    other bots, system messages, the bot's placeholders, continuations and error notes are left out.
    """
    out: list[dict[str, str]] = []
    limit = _ts(before_ts)
    for m in sorted(messages, key=lambda m: _ts(m.get("ts"))):
        if _ts(m.get("ts")) >= limit:
            continue
        if is_from_bot(m, bot_user_id, bot_id):
            text = unescape(m.get("text") or "").strip()
            if not text or text.startswith((PLACEHOLDER, CONTINUED, _ERROR_PREFIX, USAGE[:30])):
                continue
            out.append({"role": "assistant", "content": text})
        elif m.get("bot_id") or m.get("subtype") in _IGNORED_SUBTYPES:
            continue
        else:
            text = clean_text(m.get("text") or "")
            if text:
                out.append({"role": "user", "content": text})
    return out[-max_messages:]
