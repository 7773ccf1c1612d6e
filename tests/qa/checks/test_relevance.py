"""The relevance check: a claim its source says must also answer the question asked."""

from qa.checks import CHECKS
from qa.checks.relevance import RELEVANCE_CHECK


class _EchoLLM:
    """Drafts its first source's sentence word for word; says "yes" to every check except, when `relevant` is
    False, the one asking whether the claim answers the question (the `answers_*` prompt)."""

    name = "echo"

    def __init__(self, relevant: bool) -> None:
        self.relevant = relevant
        self.asked: list[str] = []

    def stream(self, messages, max_tokens, stop=None):
        first = next(line for line in messages[-1]["content"].splitlines() if line.startswith("[1] "))
        yield first.split(") ", 1)[1] + " [1]"

    def yes_probability(self, messages) -> float:
        asks_answers = messages[-1]["content"].rstrip().endswith("Does the answer answer this question?")
        self.asked.append("answers" if asks_answers else "other")
        return 0.1 if asks_answers and not self.relevant else 0.99


def test_it_is_a_named_check_with_its_threshold() -> None:
    assert "relevance" in CHECKS
    assert RELEVANCE_CHECK.settings == ("llm_check", "relevance_threshold")


def test_a_true_claim_that_does_not_answer_is_dropped(seed_index_nollm) -> None:
    from qa.engine import Engine

    q = "What conditions does Putin set before going to Washington to meet Trump?"
    base = seed_index_nollm.with_overrides(min_question_coverage=0.0)
    engine = Engine(base)
    engine._llm = _EchoLLM(relevant=True)
    answer = engine.ask(q)
    assert answer.mode == "llm" and "answers" in engine._llm.asked
    assert all(row["p_rel"] == 0.99 for row in answer.debug["checks"] if row["claim"] and row["p_yes"] >= 0.78)

    off = Engine(base)
    off._llm = _EchoLLM(relevant=False)
    answer = off.ask(q)
    assert answer.mode != "llm"  # the drafted claim is dropped; at most the sentence is quoted
    assert any(row["p_rel"] == 0.1 and not row["yes"] for row in answer.debug["checks"])

    ablated = Engine(base.with_overrides(disabled_checks=("relevance",)))
    ablated._llm = _EchoLLM(relevant=False)
    answer = ablated.ask(q)
    assert answer.mode == "llm" and "answers" not in ablated._llm.asked
