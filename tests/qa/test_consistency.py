"""Evidence that does not fit the question's year, numbered thing or title (no models needed)."""

import pytest

from index.chunks import split_sentences
from qa.consistency import conflict, numbered, still_to_come, titles
from qa.dates import annotate


def test_sentence_about_another_year() -> None:
    q = "Who won the women's singles Wimbledon in 2018?"
    assert "2022" in conflict(q, "Elena Rybakina won the final on Saturday [9 July 2022]", "2022-07-09")
    assert conflict(q, "Angelique Kerber has won the 2018 Wimbledon women's singles", "") == ""
    # no year in the sentence: its article's year decides, within a year either side of the event
    assert conflict(q, "Kerber beat Williams in the final", "2018-07-15") == ""
    assert conflict(q, "Kerber beat Williams in the final", "2019-01-02") == ""
    assert "published in 2022" in conflict(q, "Rybakina beat Jabeur in the final", "2022-07-10")
    assert conflict("Who won Wimbledon?", "Rybakina won on Saturday [9 July 2022]", "2022-07-09") == ""


def test_numbered_things() -> None:
    assert numbered("The tenth and final season; the 3rd round; Season 2") == {"season": {10, 2}, "round": {3}}
    q = "When will the first season of The Blacklist premiere?"
    assert "season 10" in conflict(q, "The Blacklist returns with the Season 10 premiere on Sunday", "")
    assert conflict(q, "The first season of The Blacklist premiered on NBC on September 23, 2013.", "") == ""
    assert conflict(q, "The Blacklist premiered on NBC on September 23, 2013.", "") == ""


def test_longer_title_is_another_work() -> None:
    q = "When was The Legend of Zelda: Ocarina of Time released?"
    assert titles(q) == ["The Legend of Zelda: Ocarina of Time"]
    assert "Re-Arranged" in conflict(q, "The Legend of Zelda: Ocarina of Time Re-Arranged Album was released in 1999", "")
    assert conflict(q, "The Legend of Zelda: Ocarina of Time is a Nintendo 64 game released in 1998", "") == ""
    assert titles("When did Trump propose a White House summit to Putin?") == []


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


@pytest.mark.parametrize(("question", "sentence", "ahead"), [
    ("What did the G20 leaders agree on at the Buenos Aires summit?",
     "Putin and Trump are also expected to attend the two-day G20 summit in Buenos Aires, which starts on November 30.", True),
    ("Who was awarded the 2018 Nobel Prize in Literature?",
     "There's a notable risk that no Nobel Prize in literature will be awarded this year.", True),
    ("Where did Putin and Trump meet on July 16?", "Putin and Trump will meet in Helsinki on July 16.", True),
    # "when" questions take the scheduled date
    ("When was Splatoon 2 released?", "Splatoon 2 will be released on July 21.", False),
    ("What did Putin and Trump agree at their meeting in Singapore?",
     "Peskov said that talks between the two leaders were possible at upcoming events in Singapore.", True),
    # the question is about the reporting itself, done: "published"
    ("Which newspaper published the interview in which Peskov discussed possible talks?",
     "Peskov said in an interview published on August 31 in the newspaper Izvestia that talks between the two "
     "leaders were possible at upcoming international events.", False),
    ("Who was awarded the 2018 Nobel Prize in Literature?", "The Nobel Prize in Literature 2018 was awarded to Olga Tokarczuk.", False),
    ("Who won the World Cup Final in 2018?", "Reports said that France won the 2018 final and will play again next summer.", False),
    # what someone said about the future answers a question about what they said
    ("What did Trump say about meeting Putin?", "Trump said he would meet Putin next year.", False),
    ("When did Bolton say the meeting would happen?", "Bolton said it will be after the first of the year.", False),
    # a look ahead that also reports something done
    ("Who won the World Cup Final in 2018?",
     "France will take on Argentina in the final in a bid to retain the title it won four years ago.", False),
    ("Who won Best Director at the 93rd Academy Awards?",
     "Chloe Zhao wins Best Director and will direct the next Marvel film.", False),
    ("When does the iPhone 11 release?", "The iPhone 11 will be released on September 20.", False),
])
def test_a_look_ahead_does_not_answer_what_happened(question, sentence, ahead) -> None:
    assert still_to_come(question, sentence) is ahead
    assert bool(conflict(question, sentence, "")) is ahead


def test_a_switched_off_check_lets_the_sentence_through() -> None:
    q = "Who won the title in 2018?"
    s = "Smith won the title in 2021."
    assert conflict(q, s, "2021-07-01")
    assert conflict(q, s, "2021-07-01", skip={"year"}) == ""
