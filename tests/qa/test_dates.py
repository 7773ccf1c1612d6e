"""Relative dates resolved against the published date; time words in questions."""

from qa.dates import annotate, question_time_hint, resolve_relative_dates


def test_on_wednesday_in_article_001_is_25_july_2018(seed_index) -> None:
    from index.store import Store

    store = Store(seed_index)
    article = store.article("001_4ee1d4d0f171337c")
    assert article is not None and article.published == "2018-07-27"
    text = store.article_text(article.id)
    sentence = next(s for s in text.split("\n") if s.startswith("On Wednesday"))
    resolved = resolve_relative_dates(sentence, article.published)
    assert resolved[0].phrase == "On Wednesday" and resolved[0].value == "25 July 2018"


def test_tense_decides_direction() -> None:
    assert annotate("Ushakov said they would announce the place on Thursday.", "2018-06-27")[0].endswith(
        "on Thursday [28 June 2018].")
    assert "[22 June 2018]" in annotate("Bolton told the ambassador on Friday that ties were poor.", "2018-06-27")[0]


def test_years_months_and_undated_days() -> None:
    text, notes = annotate("It will be after the first of the year; he called last month; on July 16 they met; next year too.", "2018-07-27")
    assert "[1 January 2019]" in text and "[June 2018]" in text and "July 16 [16 July 2018]" in text and "next year [2019]" in text
    assert len(notes) == 4
    assert annotate("no dates here", "") == ("no dates here", [])


def test_question_time_hints() -> None:
    h = question_time_hint("What did Putin say in August 2018?")
    assert (h.since, h.until) == ("2018-08-01", "2018-08-31")
    assert question_time_hint("What is the latest on the summit?").prefer_recent
    assert question_time_hint("Who met in 2019?").since == "2019-01-01"
    assert question_time_hint("Who met Bolton?") .since is None


def test_a_phrase_inside_a_longer_one_is_resolved_once() -> None:
    # "early next year" holds "next year": one date, the longer phrase's, whichever pattern is tried first
    text, notes = annotate("Putin could visit Washington early next year, and Trump this year.", "2018-07-19")
    assert text == "Putin could visit Washington early next year [early 2019], and Trump this year [2018]."
    assert notes == ["early next year = early 2019", "this year = 2018"]
