"""The still-to-come check: a sentence only looking ahead to an event does not say what happened at it
(synthetic cases)."""

import pytest

from qa.checks import Verdict
from qa.checks.still_to_come import STILL_TO_COME_CHECK, still_to_come


@pytest.mark.parametrize(("question", "sentence", "ahead"), [
    ("What did the Nordmark ministers agree on at the Calder summit?",
     "The Nordmark ministers are also expected to attend the two-day Calder summit, which starts on March 3.", True),
    ("Who was awarded the 2031 Fennick Prize for poetry?",
     "There is a risk that no Fennick Prize for poetry will be awarded this year.", True),
    ("Where did Ortega and Lind meet on June 4?", "Ortega and Lind will meet in Tarrow on June 4.", True),
    ("What did Ortega and Lind agree at their meeting in Tarrow?",
     "Aide Mela Voss said that talks between the two leaders were possible at upcoming events in Tarrow.", True),
    # "when" questions take the scheduled date
    ("When was Glimmerfall released?", "Glimmerfall will be released on June 9.", False),
    ("When does the Pellfone 7 release?", "The Pellfone 7 will be released on May 20.", False),
    # the sentence also reports something done: "published", "won", "wins"
    ("Which newspaper published the interview in which Voss discussed possible talks?",
     "Voss said in an interview published on May 2 in the newspaper Dalby Post that talks between the two "
     "leaders were possible at upcoming events.", False),
    ("Who won the Calder Cup final in 2031?", "Reports said that Tarrow won the 2031 final and will play again next summer.", False),
    ("Who won the Calder Cup final in 2031?",
     "Tarrow will take on Dalby in the final in a bid to retain the cup it won four years ago.", False),
    ("Who won Best Score at the 40th Lumen Awards?", "Ida Crane wins Best Score and will write the next Lumen gala theme.", False),
    ("Who was awarded the 2031 Fennick Prize for poetry?", "The Fennick Prize for poetry 2031 was awarded to Ilse Marr.", False),
    # what someone said about the future answers a question about what they said
    ("What did Ortega say about meeting Lind?", "Ortega said she would meet Lind next year.", False),
    ("When did Voss say the vote would happen?", "Voss said it will be after the first of the year.", False),
])
def test_a_look_ahead_does_not_answer_what_happened(question: str, sentence: str, ahead: bool) -> None:
    assert still_to_come(question, sentence) is ahead
    verdict = STILL_TO_COME_CHECK.verdict(question, sentence, "")
    assert verdict == (Verdict("still_to_come", False, "still_to_come", "it speaks of this as still to come") if ahead
                       else Verdict("still_to_come", True))


def test_it_applies_to_questions_about_something_done_only() -> None:
    assert STILL_TO_COME_CHECK.applies("What did the ministers agree at the Calder summit?")
    assert not STILL_TO_COME_CHECK.applies("When was Glimmerfall released?")  # when: the scheduled date answers
    assert not STILL_TO_COME_CHECK.applies("What did Ortega say about the treaty?")  # what was said
    assert not STILL_TO_COME_CHECK.applies("What will the ministers discuss at the summit?")  # asks ahead itself
