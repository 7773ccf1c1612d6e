"""The relevance check: a claim its source says must also answer the question asked."""

from conftest import EchoLLM

from qa.checks import CHECKS
from qa.checks.relevance import RELEVANCE_CHECK


def _asks_answers(prompt: str) -> bool:
    """Is this the relevance prompt (the `answers_*` one: does the claim answer the question)?"""
    return prompt.rstrip().endswith("Does the answer answer this question?")


def _llm(relevant: bool) -> EchoLLM:
    """Says "yes" to every check except, when `relevant` is False, the relevance one."""
    return EchoLLM(lambda prompt: 0.1 if _asks_answers(prompt) and not relevant else 0.99)


def test_it_is_a_named_check_with_its_threshold() -> None:
    assert "relevance" in CHECKS
    assert RELEVANCE_CHECK.settings == ("llm_check", "relevance_threshold")


def test_a_true_claim_that_does_not_answer_is_dropped(seed_index_nollm) -> None:
    from qa.engine import Engine

    q = "What conditions does Putin set before going to Washington to meet Trump?"
    base = seed_index_nollm.with_overrides(min_question_coverage=0.0)
    engine = Engine(base)
    engine._llm = _llm(relevant=True)
    answer = engine.ask(q)
    assert answer.mode == "llm" and any(map(_asks_answers, engine._llm.prompts))
    llm_rows = [row for row in answer.debug["checks"] if row["check"] == "llm_check"]
    assert all(row["p_rel"] == 0.99 for row in llm_rows if row["claim"] and row["p_yes"] >= 0.78)

    off = Engine(base)
    off._llm = _llm(relevant=False)
    answer = off.ask(q)
    assert answer.mode != "llm"  # the drafted claim is dropped; at most the sentence is quoted
    assert any(row["p_rel"] == 0.1 and not row["yes"] for row in answer.debug["checks"] if row["check"] == "llm_check")

    ablated = Engine(base.with_overrides(disabled_checks=("relevance",)))
    ablated._llm = _llm(relevant=False)
    answer = ablated.ask(q)
    assert answer.mode == "llm" and not any(map(_asks_answers, ablated._llm.prompts))
