"""The year check: a sentence about another year than the question's is not evidence (synthetic cases)."""

from qa.checks import Verdict
from qa.checks.year import YEAR_CHECK, years

Q = "Who won the Quillmark marathon in 2031?"


def test_years_are_four_digit_years_not_parts_of_figures() -> None:
    assert years("In 2031 and 1999, not 12031, 20310 or 2031.5") == {1999, 2031}
    assert years("no year here, only 42 runners") == set()


def test_a_sentence_about_another_year_fails_naming_both() -> None:
    assert YEAR_CHECK.verdict(Q, "Ona Brask won the race on Sunday [14 May 2034]", "2034-05-14") == Verdict(
        "year", False, "other_year", "it is about 2034, not 2031")
    assert YEAR_CHECK.verdict(Q, "Ona Brask has won the 2031 Quillmark marathon", "2034-05-14").ok


def test_an_undated_sentence_takes_its_articles_year_within_one_either_side() -> None:
    s = "Ona Brask crossed the line first"
    assert YEAR_CHECK.verdict(Q, s, "2031-05-14").ok
    assert YEAR_CHECK.verdict(Q, s, "2032-01-03").ok  # reported after the event
    assert YEAR_CHECK.verdict(Q, s, "2030-12-30").ok  # or ahead of it
    assert YEAR_CHECK.verdict(Q, s, "2033-05-14") == Verdict(
        "year", False, "published_other_year", "it was published in 2033, not around 2031")
    assert YEAR_CHECK.verdict(Q, s, "").ok  # no date at all: nothing to go by


def test_it_applies_only_to_a_question_naming_a_year() -> None:
    assert YEAR_CHECK.applies(Q)
    assert not YEAR_CHECK.applies("Who won the Quillmark marathon?")
    assert YEAR_CHECK.verdict("Who won the Quillmark marathon?", "Ona Brask won it in 2034", "2034-05-14").ok
