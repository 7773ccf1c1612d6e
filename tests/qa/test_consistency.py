"""Evidence fit: the checks of qa/checks/ (year, still_to_come; each tested in its own file
under tests/qa/checks/) run in their declared order, and what the dates and sentences they read look like
(no models needed)."""

from index.chunks import split_sentences
from qa.checks import EVIDENCE_FIT, Verdict
from qa.consistency import conflict, misfit
from qa.dates import annotate


def test_month_day_takes_its_year_from_the_sentence_or_the_article() -> None:
    text, resolved = annotate("At its fall 2019 event, Apple said the iPhone 11 was released on September 20th.", "")
    assert resolved == ["September 20th = 20 September 2019"]
    _, resolved = annotate("Splatoon 2 is coming to Switch on 21st July, Nintendo said.", "2017-04-13")
    assert resolved == ["21st July = 21 July 2017"]
    # "Sunday, November 17" is one date, not "last Sunday" plus a date
    _, resolved = annotate("The Crown season 3 premieres Sunday, November 17 on Netflix.", "2019-08-01")
    assert resolved == ["November 17 = 17 November 2019"]


def test_elision_separates_snippet_fragments() -> None:
    text = "Jul 9, 2022 ... Elena Rybakina won the final on Saturday ... since 2018, was the youngest finalist"
    assert [text[s.start:s.end] for s in split_sentences(text)] == [
        "Jul 9, 2022 ...", "Elena Rybakina won the final on Saturday ...", "since 2018, was the youngest finalist"]


def test_a_switched_off_check_lets_the_sentence_through() -> None:
    q = "Who won the title in 2018?"
    s = "Smith won the title in 2021."
    assert conflict(q, s, "2021-07-01")
    assert conflict(q, s, "2021-07-01", skip={"year"}) == ""


def test_the_checks_run_in_their_declared_order_and_the_first_failure_says_why() -> None:
    assert [c.name for c in EVIDENCE_FIT] == ["year", "numbered", "still_to_come", "former_role"]
    q = "Who won the Quillmark race in 2031?"
    s = "The winner of the Quillmark race will be announced in 2034."
    assert misfit(q, s, "") == Verdict("year", False, "other_year", "it is about 2034, not 2031")
    second = misfit(q, s, "", skip={"year"})
    assert second is not None and second.check == "still_to_come"
    assert misfit(q, s, "", skip={"year", "still_to_come"}) is None
    assert misfit(q, "Ona Brask won the Quillmark race in 2031.", "") is None
