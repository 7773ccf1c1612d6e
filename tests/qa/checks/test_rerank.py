"""The rerank check: the evidence ordered by its score plus the LLM's P(yes) that a sentence answers the question."""

import dataclasses

from conftest import EchoLLM

from index.settings import Settings
from qa.checks import CHECKS, REGISTRY
from qa.checks.rerank import RERANK_CHECK


def test_a_sentence_the_llm_says_answers_moves_above_one_that_only_looks_like_the_question() -> None:
    items = ["The 2031 Harbor Regatta remains the clearest ...", "Mara Quint won the regatta by two lengths."]
    ordered = RERANK_CHECK.order(items, [0.70, 0.55], [0.10, 0.90], weight=1.0)
    assert ordered == items[::-1]


def test_the_weight_sets_how_far_the_probability_can_move_a_sentence() -> None:
    items = ["close in words", "answers it"]
    assert RERANK_CHECK.order(items, [0.70, 0.55], [0.10, 0.90], weight=0.1) == items  # 0.71 vs 0.64
    assert RERANK_CHECK.order(items, [0.70, 0.55], [0.10, 0.90], weight=0.0) == items  # scores alone
    assert RERANK_CHECK.combined(0.5, 0.8, 1.0) == 0.5 + 0.8


def test_ties_keep_the_evidence_order() -> None:
    items = ["a", "b", "c"]
    assert RERANK_CHECK.order(items, [0.5, 0.5, 0.5], [0.3, 0.3, 0.3], weight=1.0) == items


def test_it_is_registered_with_its_settings() -> None:
    assert "rerank" in CHECKS and RERANK_CHECK in REGISTRY
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert set(RERANK_CHECK.settings) == {"rerank_weight", "rerank_candidates"} <= fields
    assert Settings().rerank_candidates == 0  # off by default: see the README (it cost the Bolton answer)


def _picky(word: str) -> EchoLLM:
    """P(yes) 0.95 to a check prompt holding `word`, 0.05 otherwise."""
    return EchoLLM(lambda prompt: 0.95 if word in prompt else 0.05)


def test_the_engine_drafts_from_the_reranked_evidence_and_records_it(seed_index_nollm) -> None:
    from qa.engine import Engine

    q = "What did Putin say about telephone calls between Moscow and Washington?"
    on = seed_index_nollm.with_overrides(rerank_candidates=6)
    plain = Engine(on)
    plain._llm = _picky("\x00")  # no sentence gets a yes: the evidence order is the score's
    base = plain.ask(q)
    order = [row["text"] for row in base.debug["rerank"]]
    assert len(order) == 6
    last = order[-1]
    word = next(w for w in last.split() if len(w) > 6 and all(w not in t for t in order[:-1]))
    picky = Engine(on)
    picky._llm = _picky(word)
    answer = picky.ask(q)
    assert answer.debug["rerank"][0]["text"] == last and answer.debug["rerank"][0]["p_yes"] == 0.95
    assert answer.debug["drafts"][0].startswith(last.split()[0])
    off = Engine(on.with_overrides(disabled_checks=("rerank",)))
    off._llm = _picky(word)
    assert "rerank" not in off.ask(q).debug
