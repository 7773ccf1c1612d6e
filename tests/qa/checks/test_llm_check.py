"""The LLM check's decision: the calibrated P(yes) against check_threshold, check_threshold_agreed for a
claim that 2+ articles agree on, or quote_threshold for a sentence to be quoted (another prompt)."""

from index.settings import Settings
from qa.checks.llm_check import LLM_CHECK, threshold

S = Settings(check_threshold=0.8, check_threshold_agreed=0.5, quote_threshold=0.65)


def test_p_yes_under_the_threshold_fails() -> None:
    verdict = LLM_CHECK.verdict(0.6, S)
    assert not verdict.ok
    assert (verdict.check, verdict.code, verdict.detail) == ("llm_check", "check_failed", "P(yes) 0.600 is under 0.8")


def test_p_yes_reaching_the_threshold_passes() -> None:
    assert LLM_CHECK.verdict(0.8, S).ok
    assert LLM_CHECK.verdict(0.99, S).ok


def test_an_agreed_claim_is_held_to_the_agreed_threshold() -> None:
    assert threshold(S, agreed=True) == 0.5 and threshold(S, agreed=False) == 0.8
    assert LLM_CHECK.verdict(0.6, S, agreed=True).ok
    assert not LLM_CHECK.verdict(0.45, S, agreed=True).ok


def test_a_sentence_to_quote_is_held_to_the_quote_threshold_whatever_the_claim_thresholds() -> None:
    assert threshold(S, agreed=False, quote=True) == 0.65
    assert LLM_CHECK.verdict(0.7, S, quote=True).ok and not LLM_CHECK.verdict(0.7, S).ok
    verdict = LLM_CHECK.verdict(0.6, S, agreed=True, quote=True)  # agreement is of claims; a quote has none
    assert not verdict.ok and verdict.detail == "P(yes) 0.600 is under 0.65"


def test_it_reads_its_settings_fields() -> None:
    assert LLM_CHECK.settings == ("llm_check", "check_threshold", "check_threshold_agreed", "quote_threshold")
    assert not LLM_CHECK.verdict(0.6, Settings(check_threshold=0.7)).ok
    assert LLM_CHECK.verdict(0.6, Settings(check_threshold=0.55)).ok
