"""The named checks of the answer engine: one registry, so each can be switched off and measured.

Every check that can keep a sentence from being evidence, or a claim from being kept, has a name here.
`Settings.disabled_checks` switches checks off (for `citewire eval --ablate NAME`, which reports what each
is worth on the eval sets); the engine and its helpers ask `enabled(settings, name)` where they apply it.
"""

from __future__ import annotations

from index.settings import Settings

CHECKS: dict[str, str] = {
    # evidence fit (qa/consistency.py): a sentence that conflicts with the question is not evidence for it
    "year": "the sentence is about another year than the question (its years, or its article's)",
    "numbered": "the sentence is about another numbered thing ('season 10' for 'the first season')",
    "title": "the sentence is about a longer title, another work ('... 3D' for the original)",
    "still_to_come": "the sentence only looks ahead to an event the question asks about as done",
    # claim checks (qa/cite.py, qa/engine.py)
    "answer_type": "the kept claims hold the kind of answer asked for (a name for who, a date for when); a name "
                   "must share no word with the question's own names (not its subject)",
    "question_coverage": "the answer's cited sentences hold at least min_question_coverage of the question's words "
                         "(its predicate too: 'unveiled' does not answer 'released')",
    "llm_check": "the LLM's calibrated P(yes) that the cited sentence says the claim",
    "agreement": "a claim whose answer value 2+ articles state passes the LLM check at check_threshold_agreed",
    "corroborate": "a second citation from another article that supports the claim or gives its value",
    # questions across reports (qa/multi.py)
    "missing_names": "refuse when the question names something no indexed article mentions",
}


def enabled(settings: Settings, name: str) -> bool:
    """Is check `name` on? (Unknown names are a programming error.)"""
    assert name in CHECKS, name
    return name not in settings.disabled_checks


def unknown_checks(names: list[str]) -> list[str]:
    return [n for n in names if n not in CHECKS]
