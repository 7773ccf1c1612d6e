"""The named checks of the answer engine: one module per check, one registry, so each can be switched off
and measured.

Every check that can keep a sentence from being evidence, or a claim from being kept, is an object here with
a `name`, a `description`, the `settings` fields it reads (its thresholds) and `applies(question)`; each
decides with a `Verdict` (check name, ok, a reason code, a detail). `REGISTRY` holds them in the order the
engine meets them: the evidence-fit checks on every candidate sentence (`EVIDENCE_FIT`, run by
`qa.consistency.conflict`; the first that fails is the sentence's conflict), then the claim checks (answer
type in `qa.cite.verify`; the LLM check with agreement and relevance, the reader checks (values; open questions), and
question coverage, in `qa.engine`: coverage is applied to a quoted sentence before its LLM check and to a draft's kept
claims after theirs), corroboration,
and for questions across reports `missing_names`. `Settings.disabled_checks` switches checks off (for
`citewire eval --ablate NAME`, which reports what each is worth on the eval sets); the engine and its helpers
ask `enabled(settings, name)` where they apply it. With `Settings.claim_accept_model` on (off by default), the
support test of `qa.cite`, `llm_check`, `agreement` and `relevance` do not veto a drafted claim one by one:
they are features of the claim acceptance model (`qa/accept.py`), one fitted P(right) per cited sentence.
"""

from __future__ import annotations

from index.settings import Settings
from qa.checks.agreement import AGREEMENT_CHECK
from qa.checks.answer_type import ANSWER_TYPE_CHECK
from qa.checks.base import Check, EvidenceCheck, Verdict
from qa.checks.corroborate import CORROBORATE_CHECK
from qa.checks.former_role import FORMER_ROLE_CHECK
from qa.checks.llm_check import LLM_CHECK
from qa.checks.missing_names import MISSING_NAMES_CHECK
from qa.checks.numbered import NUMBERED_CHECK
from qa.checks.open_reader import OPEN_READER_CHECK
from qa.checks.question_coverage import QUESTION_COVERAGE_CHECK
from qa.checks.reader import READER_CHECK
from qa.checks.relevance import RELEVANCE_CHECK
from qa.checks.rerank import RERANK_CHECK
from qa.checks.spelling import SPELLING_CHECK
from qa.checks.still_to_come import STILL_TO_COME_CHECK
from qa.checks.year import YEAR_CHECK

__all__ = ["CHECKS", "EVIDENCE_FIT", "REGISTRY", "Check", "EvidenceCheck", "Verdict", "enabled", "unknown_checks"]

# evidence fit (qa/consistency.py): a sentence that conflicts with the question is not evidence for it
EVIDENCE_FIT: tuple[EvidenceCheck, ...] = (YEAR_CHECK, NUMBERED_CHECK, STILL_TO_COME_CHECK, FORMER_ROLE_CHECK)

REGISTRY: tuple[Check, ...] = (
    *EVIDENCE_FIT,
    # the evidence ranked by the LLM's P(yes) that each sentence answers the question (qa/engine.py)
    RERANK_CHECK,
    # claim checks (qa/cite.py, qa/engine.py)
    ANSWER_TYPE_CHECK,
    QUESTION_COVERAGE_CHECK,
    LLM_CHECK,
    AGREEMENT_CHECK,
    RELEVANCE_CHECK,
    READER_CHECK,
    OPEN_READER_CHECK,
    CORROBORATE_CHECK,
    # questions across reports (qa/multi.py)
    MISSING_NAMES_CHECK,
    SPELLING_CHECK,
)

CHECKS: dict[str, str] = {c.name: c.description for c in REGISTRY}


def enabled(settings: Settings, name: str) -> bool:
    """Is check `name` on? (Unknown names are a programming error.)"""
    assert name in CHECKS, name
    return name not in settings.disabled_checks


def unknown_checks(names: list[str]) -> list[str]:
    """The names that are not checks (a typo in `--ablate`)."""
    return [n for n in names if n not in CHECKS]
