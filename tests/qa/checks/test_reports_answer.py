"""The reports-answer check: a name/fact question across reports is refused when the LLM's P(yes) that the
parts' sentences state its answer is under the threshold (synthetic values)."""

from index.settings import Settings
from qa.answer import Refusal
from qa.checks.reports_answer import REPORTS_ANSWER_CHECK
from qa.multi import report_lines
from tests.qa.test_multi import _found


def test_below_the_threshold_is_a_refusal_with_its_code() -> None:
    s = Settings(reports_answer_threshold=0.3)
    v = REPORTS_ANSWER_CHECK.verdict(0.12, s)
    assert not v.ok and v.code == Refusal.NOT_ANSWERED.value and "0.12" in v.detail
    assert REPORTS_ANSWER_CHECK.verdict(0.3, s).ok and REPORTS_ANSWER_CHECK.verdict(0.9, s).ok


def test_the_default_threshold_never_refuses_before_it_is_fitted_above_zero() -> None:
    assert REPORTS_ANSWER_CHECK.verdict(0.0, Settings(reports_answer_threshold=0.0)).ok


def test_the_llm_reads_every_found_part_once() -> None:
    text = report_lines([_found("Daily Planet", "A.", "B."), _found("Metro Gazette", "C.")])
    assert text == "(Daily Planet) A. B.\n(Metro Gazette) C."
