"""The `Answer` and `Citation` records every interface renders, and the errors `ask` raises for bad input."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.errors import UserError


class QuestionError(UserError, ValueError):
    """The question itself cannot be asked (empty, too long); the message says what to do."""

    exit_code = 1
    http_status = 400


@dataclass
class Citation:
    """One numbered source: the article and the exact sentence(s) (character span in the cleaned text)."""

    n: int
    article_id: str
    title: str
    source: str
    published: str
    url: str
    quote: str
    chunk_id: str
    start: int = 0
    end: int = 0
    published_estimated: bool = False
    context_before: str = ""  # a sentence or two around the quote, for highlighting it in context
    context_after: str = ""
    resolved_dates: list[str] = field(default_factory=list)  # e.g. ["Wednesday = 25 July 2018"]
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Evidence:
    """Yielded first by `ask_stream`: the passages found, before the LLM phrases anything."""

    citations: list[Citation]
    answerable: bool


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    closest: list[Citation] = field(default_factory=list)  # refusals: nearest passages, not claimed as support
    dropped_claims: list[dict[str, str]] = field(default_factory=list)  # {"claim", "reason"}
    mode: str = "llm"  # "llm" (phrased by the LLM, verified), "extractive" (quoted), "refused"
    timings: dict[str, float] = field(default_factory=dict)
    debug: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "closest": [c.to_dict() for c in self.closest],
            "dropped_claims": list(self.dropped_claims),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "debug": self.debug,
        }


REFUSAL_PREFIX = "The articles don't say."
