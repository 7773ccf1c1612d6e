"""The question-coverage check: an answer's best cited sentence must hold enough of the question."""

from conftest import EchoLLM

from index.settings import Settings
from qa.checks import Verdict
from qa.checks.question_coverage import QUESTION_COVERAGE_CHECK


def test_coverage_under_the_minimum_is_off_point() -> None:
    assert QUESTION_COVERAGE_CHECK.verdict(0.25, 0.3) == Verdict(
        "question_coverage", False, "off_point", "its sources hold too little of what the question asks")
    assert not QUESTION_COVERAGE_CHECK.verdict(0.9, 0.95).ok


def test_coverage_reaching_the_minimum_passes() -> None:
    assert QUESTION_COVERAGE_CHECK.verdict(0.3, 0.3) == Verdict("question_coverage", True)
    assert QUESTION_COVERAGE_CHECK.verdict(1.0, 0.3).ok
    assert QUESTION_COVERAGE_CHECK.verdict(0.0, 0.0).ok  # a minimum of 0 lets everything through


def test_its_threshold_is_the_settings_field() -> None:
    assert QUESTION_COVERAGE_CHECK.settings == ("min_question_coverage",)
    s = Settings(min_question_coverage=0.5)
    assert not QUESTION_COVERAGE_CHECK.verdict(0.4, s.min_question_coverage).ok
    assert QUESTION_COVERAGE_CHECK.applies("Why did the Harbor Council delay the vote?")


def test_with_an_llm_word_coverage_drops_no_claim_the_llm_checks_passed(seed_index_nollm) -> None:
    from qa.engine import Engine

    q = "What conditions does Putin set before going to Washington to meet Trump?"
    strict = Engine(seed_index_nollm.with_overrides(min_question_coverage=1.01))  # no sentence holds more than all
    strict._llm = EchoLLM(lambda prompt: 0.99)  # yes to every check
    answer = strict.ask(q)
    assert not answer.refused and answer.mode == "llm" and "verdicts" not in answer.debug
    assert answer.debug["coverage"] < 1.01  # still recorded, for calibration


def test_without_an_llm_a_quote_must_hold_enough_of_the_question(seed_index_nollm) -> None:
    from qa.engine import Engine

    q = "What conditions does Putin set before going to Washington to meet Trump?"
    assert Engine(seed_index_nollm.with_overrides(min_question_coverage=0.0)).ask(q).mode == "extractive"
    answer = Engine(seed_index_nollm.with_overrides(min_question_coverage=1.01)).ask(q)
    assert answer.refused
