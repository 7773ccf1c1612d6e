"""The numbered check: a sentence about another numbered thing is not evidence (synthetic cases)."""

from qa.checks import EVIDENCE_FIT, Verdict
from qa.checks.numbered import NUMBERED_CHECK, numbered

Q = "When did the sixth season of Harbor Lights premiere?"


def test_numbered_reads_ordinals_numbered_nouns_names_and_quarters() -> None:
    assert numbered("The ninth and final season; the 2nd round; Season 4") == {"season": {9, 4}, "round": {2}}
    assert numbered("the 81st annual Silver Reel Awards") == {"silver": {81}}
    assert numbered("Skyforge Legends 2 and the Orbit 7 phone") == {"legend": {2}, "orbit": {7}}
    assert numbered("Marlow Motors' Q3 figures and its H1 results") == {"quarter": {3}, "half": {1}}


def test_dates_scores_figures_and_times_attach_no_number() -> None:
    for text in ("Harbor Lights premiered on March 20", "On 13 July the Rovers won 3-1", "Rovers 2, Town 1.5",
                 "Harbor Lights sold 1,200 copies", "At 5 pm on Sunday", "Harbor Lights premiered on Friday"):
        assert numbered(text) == {}, text


def test_another_number_on_the_same_word_fails() -> None:
    assert NUMBERED_CHECK.verdict(Q, "The fourth season of Harbor Lights premieres Nov. 15.", "") == Verdict(
        "numbered", False, "other_number", "it is about season 4, not 6")
    q = "How many cars did Marlow Motors deliver in the second quarter?"
    assert not NUMBERED_CHECK.verdict(q, "Marlow Motors' Q1 deliveries stood at 42,875 cars.", "").ok


def test_the_same_number_or_none_fits() -> None:
    assert NUMBERED_CHECK.verdict(Q, "Season 6 of Harbor Lights premiered on March 3, 2029.", "").ok
    assert NUMBERED_CHECK.verdict(Q, "Harbor Lights premiered on March 3, 2029.", "").ok
    assert NUMBERED_CHECK.verdict(Q, "Harbor Lights reached round 4 of the awards.", "").ok  # another word


def test_it_applies_only_to_a_question_numbering_or_naming_something_and_runs_as_evidence_fit() -> None:
    assert NUMBERED_CHECK.applies(Q)
    assert NUMBERED_CHECK.applies("When did Harbor Lights premiere in 2029?")  # a name a sequel could share
    assert not NUMBERED_CHECK.applies("when did the bridge reopen in 2029?")
    assert NUMBERED_CHECK in EVIDENCE_FIT


def test_a_number_after_a_name_makes_another_thing_than_the_name_alone() -> None:
    q = "When was Skyforge Legends released?"
    assert NUMBERED_CHECK.verdict(q, "Skyforge Legends 2 is likely to be released in spring.", "") == Verdict(
        "numbered", False, "numbered_name", "it is about legend 2, not legend alone")
    assert NUMBERED_CHECK.verdict(q, "Skyforge Legends was released on May 2.", "").ok
    assert NUMBERED_CHECK.verdict(q, "Skyforge Legends sold 3 million copies.", "").ok  # a count, not a name
    assert NUMBERED_CHECK.verdict("Who runs Marlow Motors?", "She joined Marlow Motors 10 years ago.", "").ok
