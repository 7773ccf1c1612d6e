"""The role check: the winner of "A beat B" is A, the loser B; a claim naming the other side fails."""

import pytest

from qa.checks.role import ROLE_CHECK, asked_role, sides


@pytest.mark.parametrize("question, role", [
    ("Who won the 2031 Dalby Open?", "winner"),
    ("Which team won the 2031 Harbour Cup final?", "winner"),
    ("Who was the champion of the 2031 Dalby Open?", "winner"),
    ("Who did Ada Vell beat in the 2031 Dalby Open final?", "loser"),
    ("Which team did Northport defeat in the Harbour Cup final?", "loser"),
    ("Who finished runner-up at the 2031 Dalby Open?", "loser"),
    ("Who finished second in the 2031 Coast Rally?", "loser"),
    ("When was the 2031 Dalby Open final played?", ""),
    ("Who hosted the 2031 Dalby Awards?", ""),
])
def test_asked_role(question: str, role: str) -> None:
    assert asked_role(question) == role


@pytest.mark.parametrize("sentence, winner, loser", [
    ("Ada Vell beat Mira Stone in the final, 6-3, 6-4.", {"ada", "vell"}, {"mira", "ston"}),
    ("Dalby's Ada Vell defeats Mira Stone to win the 2031 title.", {"dalby", "ada", "vell"}, {"mira", "ston"}),
    ("Mira Stone lost to Ada Vell on Saturday in the final.", {"ada", "vell"}, {"mira", "ston"}),
    ("Ada Vell and Mira Stone will meet in the final.", set(), set()),
])
def test_sides(sentence: str, winner: set[str], loser: set[str]) -> None:
    assert sides(sentence) == (winner, loser)


def test_the_loser_is_no_winner() -> None:
    q = "Who won the women's title at the 2031 Dalby Open?"
    source = "Romania's Ada Vell beats Mira Stone to win the 2031 Dalby Open title."
    bad = ROLE_CHECK.verdict(q, "Mira Stone won the women's title at the 2031 Dalby Open.", source)
    assert not bad.ok and bad.code == "other_role"
    assert ROLE_CHECK.verdict(q, "Ada Vell won the women's title at the 2031 Dalby Open.", source).ok


def test_the_winner_is_no_runner_up() -> None:
    q = "Who finished runner-up at the 2031 Dalby Open?"
    source = "Ada Vell defeated Mira Stone in the final of the 2031 Dalby Open."
    assert not ROLE_CHECK.verdict(q, "Ada Vell finished runner-up.", source).ok
    assert ROLE_CHECK.verdict(q, "Mira Stone finished runner-up.", source).ok
    q = "Who did Ada Vell beat in the 2031 Dalby Open final?"
    assert ROLE_CHECK.verdict(q, "Ada Vell beat Mira Stone in the final.", source).ok


def test_a_sentence_without_a_result_passes() -> None:
    q = "Who won the 2031 Dalby Open?"
    assert ROLE_CHECK.verdict(q, "Mira Stone won the 2031 Dalby Open.", "Mira Stone won the 2031 Dalby Open.").ok
