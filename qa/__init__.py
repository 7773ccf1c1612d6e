"""Question answering over the index: `ask()` and `ask_stream()` are the entry points every interface uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from index.settings import Settings
from qa.answer import Answer, Citation, Evidence, QuestionError
from qa.engine import Engine, History, get_engine

__all__ = ["Answer", "Citation", "Engine", "Evidence", "QuestionError", "ask", "ask_stream", "get_engine"]


def ask(question: str, history: History | None = None, *, settings: Settings | None = None, **options: Any) -> Answer:
    """Answer `question` from the indexed articles, with verified citations or a refusal.

    options: top_k, since, until (ISO dates), sources (outlet names).
    """
    return get_engine(settings).ask(question, history, **options)


def ask_stream(question: str, history: History | None = None, *, settings: Settings | None = None,
               **options: Any) -> Iterator[str | Evidence | Answer]:
    """Like `ask`, streamed: an `Evidence` first, then the LLM's text pieces, then the final `Answer`."""
    return get_engine(settings).ask_stream(question, history, **options)
