"""The `Answer` and `Citation` records every interface renders, and the errors `ask` raises for bad input."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

from index.errors import UserError

Mode = Literal["llm", "extractive", "refused"]  # phrased by the LLM and verified / quoted / refused


class Refusal(StrEnum):
    """Why an answer is a refusal; renderers word it, nothing parses the answer text for it."""

    NO_EVIDENCE = "no_evidence"  # no passage close enough to the question
    NOT_FOUND = "not_found"  # the LLM found no answer in the passages
    UNSUPPORTED = "unsupported"  # what was drafted is not supported by the cited sources
    PART_MISSING = "part_missing"  # a report the question joins is not among the articles
    NAME_MISSING = "name_missing"  # the question names something no article mentions
    NO_COMMON_NAME = "no_common_name"  # the reports do not point to one name


class Dropped(StrEnum):
    """Why a drafted claim was removed."""

    UNSUPPORTED = "unsupported"  # its cited sentences do not say it (words, names, numbers)
    NOT_AN_ANSWER = "not_an_answer"  # supported, but not the kind of answer asked for
    OFF_POINT = "off_point"  # its sources hold too little of what the question asks (question_coverage)
    CHECK_FAILED = "check_failed"  # the LLM, asked whether the cited sentence says it, said no
    UNLIKELY = "unlikely"  # the claim acceptance model, weighing every check at once, gives it too low a chance
    UNREAD = "unread"  # no evidence sentence, read alone with the question, gives its answer (reader)
    UNANSWERED = "unanswered"  # an open question's claim: its cited sentences, read alone, answer nothing (open_reader)



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
    page: int | None = None  # PDF (and laid-out Word) sources: the page the quote starts on

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TimelineEntry:
    """One dated line of a timeline answer: what one article reported, cited as [n]."""

    n: int
    published: str
    source: str
    text: str
    newest: bool = False

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
    dropped_claims: list[dict[str, str]] = field(default_factory=list)  # {"claim", "code" (a Dropped), "reason"}
    mode: Mode = "llm"
    timings: dict[str, float] = field(default_factory=dict)
    debug: dict[str, Any] = field(default_factory=dict)
    refusal: Refusal | None = None  # set when refused
    refusal_detail: str = ""  # e.g. which part of the question the articles do not cover
    notes: list[str] = field(default_factory=list)  # e.g. which cited source is the newest
    timeline: list[TimelineEntry] = field(default_factory=list)  # "how did X develop?": oldest first

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "closest": [c.to_dict() for c in self.closest],
            "dropped_claims": list(self.dropped_claims),
            "refusal": self.refusal.value if self.refusal else None,
            "refusal_detail": self.refusal_detail,
            "notes": list(self.notes),
            "timeline": [t.to_dict() for t in self.timeline],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "debug": self.debug,
        }


REFUSAL_PREFIX = "The articles don't say."
