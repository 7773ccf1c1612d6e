"""What every check shares: a `Verdict` (its name, pass or fail, a reason code and a detail) and the `Check`
protocol (a name, a description, the settings it reads, and whether it applies to a question).

A check with one job answers one question about one thing (a sentence, a claim, a question) and says why
when the answer is no; the engine decides what a failing verdict does (a sentence scored down, a claim
dropped, a refusal).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Protocol


@dataclass(frozen=True)
class Verdict:
    """One check's decision: `ok`, or why not (`code`: a stable reason code; `detail`: the words a reader sees)."""

    check: str
    ok: bool
    code: str = ""
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class Check(Protocol):
    """A named check: `citewire eval --ablate NAME` switches it off through `Settings.disabled_checks`."""

    name: str
    description: str
    settings: tuple[str, ...]  # the Settings fields it reads (its thresholds)

    def applies(self, question: str) -> bool:
        """Can this check fail for this question at all? (False: it passes whatever it is shown.)"""
        ...


class EvidenceCheck(Check, Protocol):
    """A check of whether an evidence sentence fits the question (run on every candidate sentence)."""

    def verdict(self, question: str, evidence_text: str, published: str) -> Verdict:
        """Does `evidence_text` (relative dates resolved; its article published on `published`) fit `question`?"""
        ...
