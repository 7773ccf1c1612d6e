"""The numbered check: 'season 6' does not answer a question about 'the first season' (synthetic cases)."""

from qa.checks import Verdict
from qa.checks.numbered import NUMBERED_CHECK, numbered

Q = "When did the first season of Harbor Lights premiere?"


def test_numbered_reads_ordinals_and_nouns_with_numbers() -> None:
    assert numbered("The ninth and final season; the 2nd round; Season 4") == {"season": {9, 4}, "round": {2}}
    assert numbered("Harbor Lights premiered on Friday") == {}


def test_another_number_on_the_same_noun_fails() -> None:
    assert NUMBERED_CHECK.verdict(Q, "Harbor Lights returns with the Season 6 premiere on Friday", "") == Verdict(
        "numbered", False, "other_number", "it is about season 6, not 1")


def test_the_same_number_or_none_fits() -> None:
    assert NUMBERED_CHECK.verdict(Q, "The first season of Harbor Lights premiered on March 3, 2029.", "").ok
    assert NUMBERED_CHECK.verdict(Q, "Season 1 of Harbor Lights premiered on March 3, 2029.", "").ok
    assert NUMBERED_CHECK.verdict(Q, "Harbor Lights premiered on March 3, 2029.", "").ok
    assert NUMBERED_CHECK.verdict(Q, "Harbor Lights reached round 6 of the awards.", "").ok  # another noun


def test_it_applies_only_to_a_question_numbering_something() -> None:
    assert NUMBERED_CHECK.applies(Q)
    assert not NUMBERED_CHECK.applies("When did Harbor Lights premiere?")
