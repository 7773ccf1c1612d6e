"""Word helpers: answer types and the dateline reader."""

import pytest

from index.dateline import dateline
from qa.text import acronyms, expected_type, has_type, key_terms, numbers, stems


@pytest.mark.parametrize("question,kind", [
    ("Who won the 2021 Tour de France?", "name"),
    ("When did Bolton say the meeting would happen?", "time"),
    ("Where will the summit be held?", "place"),
    ("How many people died in the conflict?", "number"),
    ("What was Defense Secretary Jim Mattis considering?", None),
])
def test_expected_type(question: str, kind: str | None) -> None:
    assert expected_type(question) == kind


def test_has_type_needs_something_new() -> None:
    q = "Who won the 2021 Tour de France?"
    assert not has_type("The 2021 Tour de France is in the books, and what a tour it was.", "name", q)
    assert has_type("Tadej Pogacar won the 2021 Tour de France.", "name", q)
    assert has_type("It will be after the first of the year (1 January 2019).", "time", "When is the meeting?")
    assert not has_type("The meeting is important.", "time", "When is the meeting?")


def test_key_terms_are_names_and_numbers() -> None:
    assert key_terms("Bolton met Patrushev on July 27 in Moscow") >= {"patrushev", "27", "moscow"}


def test_accented_names_are_whole_words_with_or_without_accents() -> None:
    # a letter outside ASCII does not split a name ("G" + "tze"), and the accent does not tell two spellings apart
    assert key_terms("The winner was Mario Götze at the Estádio") == key_terms("The winner was Mario Gotze at the Estadio")
    assert stems("Chloé Zhao") == stems("Chloe Zhao") and len(stems("Maracanã")) == 1


@pytest.mark.parametrize("text,iso", [
    ("Sep 10, 2019 ... Apple announced the iPhone 11", "2019-09-10"),
    ("MOSCOW, July 27, 2018 — Putin said", "2018-07-27"),
    ("2018-06-27: Bolton met Putin", "2018-06-27"),
    ("Putin said on July 27, 2018 that he invited Trump", ""),  # a date inside a sentence is an event, not a dateline
    ("3 days ago ... Here's the release date", ""),
])
def test_dateline(text: str, iso: str) -> None:
    assert dateline(text) == iso


@pytest.mark.parametrize(("answer", "ok"), [
    ("The harvest festival was first held in 1987.", False),       # a bare year does not say when
    ("It was last held a year ago (1987).", False),
    ("The harvest festival was first held on 3 May 1987.", True),   # a day
    ("It was first held in May 1987.", True),                        # a month
    ("It is held every Saturday.", True),                            # a weekday
    ("It will return early next year.", True),                       # a part of a year
    ("It returns after the first of the year.", True),
])
def test_a_when_answer_is_finer_than_a_year(answer: str, ok: bool) -> None:
    assert has_type(answer, "time", "When was the harvest festival first held?") is ok


def test_a_bare_year_answers_a_question_asking_for_the_year() -> None:
    assert has_type("The festival was first held in 1987.", "time", "In which year was the festival first held?")
    assert has_type("The festival was first held in 1987.", "time", "What year was the festival first held?")


def test_stems_match_across_a_dropped_e() -> None:
    """'Globe' and 'Globes', 'vote' and 'votes', 'agree' and 'agreed' are one stem whichever suffix went."""
    from qa.text import stem

    for a, b in [("Globe", "Globes"), ("vote", "votes"), ("agree", "agreed"), ("release", "released"),
                 ("game", "games")]:
        assert stem(a) == stem(b), (a, b)
    assert stem("meetings") == stem("meeting") != stem("meat")


def test_stems_match_across_y_and_ies() -> None:
    """'ally' and 'allies', 'delivery' and 'delivered', 'reply' and 'replied' are one stem; an adverb's -ly still
    goes, and a word ending in a vowel and y keeps it."""
    from qa.text import stem

    for a, b in [("ally", "allies"), ("company", "companies"), ("study", "studied"), ("reply", "replied"),
                 ("delivery", "deliveries"), ("deliveries", "delivered"), ("city", "cities")]:
        assert stem(a) == stem(b), (a, b)
    assert stem("recently") == stem("recent")
    assert stem("says") == stem("say") != stem("sa")


def test_numbers_include_spelled_out_ones() -> None:
    assert numbers("The eleventh season had eighteen episodes, not 20.") >= {"11", "18", "20"}
    assert "8" not in numbers("The eighteenth edition.")  # a whole word, not its head


def test_acronyms_are_the_initials_of_spelled_out_names() -> None:
    text = "sanctions imposed by the U.S. and European Union; the Food and Drug Administration and Bank of America"
    found = acronyms(text)
    assert {"eu", "fda"} <= found  # "and" inside one name, "of" skipped
    assert "ba" in found  # "... Administration and Bank of America": each name on its own too
    assert acronyms("the summit in Helsinki") == set()  # one capitalised word is no spelled-out name


@pytest.mark.parametrize(("answer", "ok"), [
    ("The co-op paid $2.5 million for the mill [1].", True),
    ("The co-op paid $3bn for the mill [1].", True),  # a unit glued on
    ("The co-op bought the mill from 19th Street Holdings [1].", False),  # an ordinal is no amount
    ("The co-op bought the mill on March 3, 2015 [1].", False),  # nor a date
    ("The co-op bought the mill in 2015 [1].", False),  # nor a bare year
    ("The co-op bought the mill for three million dollars [1].", True),
])
def test_a_how_much_answer_is_an_amount(answer: str, ok: bool) -> None:
    assert has_type(answer, "number", "How much did the co-op pay for the mill in Dayton?") is ok


def test_a_bare_year_can_answer_how_long_or_how_old() -> None:
    assert has_type("The bridge was built in 1932 [1].", "number", "How old is the bridge?")
    assert not has_type("The talks took place in the week of 3 May 2016 [1].", "number", "How long did the talks last?")


def test_a_day_or_a_month_names_no_one() -> None:
    q = "Who did Ada Vell beat to win the 2022 Lakeside Open?"
    assert not has_type("Ada Vell won the Lakeside Open final on Saturday, July 9 [1].", "name", q)
    assert has_type("Ada Vell beat Mia Stone on Saturday [1].", "name", q)
    assert has_type("Theresa May met Ada Vell [1].", "name", "Who met Ada Vell?")  # a name that holds a month
