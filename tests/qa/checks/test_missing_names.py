"""The missing-names check: a question naming something no indexed article mentions is refused
(synthetic names)."""

from index.settings import Settings
from qa.checks import Verdict
from qa.checks.missing_names import MISSING_NAMES_CHECK, missing_names


def test_missing_names_are_those_no_indexed_word_matches() -> None:
    known = {"bridge", "jane", "doe", "acme"}
    q = "Considering the articles by Zorblat Weekly and the Daily Planet on Jane Doe, which bridge did Acme build?"
    assert missing_names(q, known.__contains__, ["Daily Planet"]) == ["Zorblat Weekly"]
    # an outlet's own name is never missing; one word of a name found keeps it
    assert missing_names("What did the Zorblat Weekly say about Jane Quux?", known.__contains__, ["Zorblat Weekly"]) == []


def test_more_missing_names_than_allowed_refuse() -> None:
    s = Settings(max_missing_names=0)
    assert MISSING_NAMES_CHECK.verdict(["Zorblat Weekly"], s) == Verdict(
        "missing_names", False, "name_missing", "no article mentions Zorblat Weekly")
    assert MISSING_NAMES_CHECK.verdict(["A B", "C D", "E F", "G H"], s).detail == "no article mentions A B, C D, E F"
    assert MISSING_NAMES_CHECK.verdict([], s).ok
    assert MISSING_NAMES_CHECK.verdict(["Zorblat Weekly"], Settings(max_missing_names=1)).ok


def test_it_applies_only_to_a_question_naming_something_after_its_first_word() -> None:
    assert MISSING_NAMES_CHECK.applies("What did Jane Doe build?")
    assert not MISSING_NAMES_CHECK.applies("Which bridge was closed for repairs?")


def test_a_yes_no_question_is_a_verdict_not_refused_for_a_name_no_article_holds() -> None:
    assert MISSING_NAMES_CHECK.applies("Which company did the Daily Planet say sponsors Zorblat Weekly?")
    assert not MISSING_NAMES_CHECK.applies("Does the Daily Planet article say Zorblat Weekly closed, while the "
                                           "Metro Gazette reports it reopened?")
    assert not MISSING_NAMES_CHECK.applies("After the Daily Planet report of May 2, 2023, did the Metro Gazette's "
                                           "May 9, 2023 report say Zorblat Weekly had reopened?")
