"""The title check: a longer title than the question's is another work (synthetic cases)."""

from qa.checks import Verdict
from qa.checks.title import TITLE_CHECK, longer_title, titles

Q = "When was The Lantern of Vell: Tides of Amber released?"


def test_titles_are_runs_of_three_or_more_capitalised_words() -> None:
    assert titles(Q) == ["The Lantern of Vell: Tides of Amber"]
    assert titles("When did Ortega offer a Harbor Council seat to Lind?") == []


def test_the_title_followed_by_a_capitalised_word_or_a_number_is_another_work() -> None:
    assert TITLE_CHECK.verdict(Q, "The Lantern of Vell: Tides of Amber Remastered Edition came out in 2033", "") == \
        Verdict("title", False, "longer_title", "it is about The Lantern of Vell: Tides of Amber Remastered")
    assert longer_title(Q, "the lantern of vell: tides of amber 3D sold well") == "The Lantern of Vell: Tides of Amber 3D"


def test_the_title_itself_fits() -> None:
    assert TITLE_CHECK.verdict(Q, "The Lantern of Vell: Tides of Amber is a puzzle game released in 2029", "").ok
    assert TITLE_CHECK.verdict(Q, "The Lantern of Vell: Tides of Amber sold well", "").ok


def test_it_applies_only_to_a_question_naming_a_work() -> None:
    assert TITLE_CHECK.applies(Q)
    assert not TITLE_CHECK.applies("When was the lantern game released?")
