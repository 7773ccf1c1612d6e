"""The former-role check: a sentence that names a role only as someone's former one does not say who holds it
now (synthetic cases)."""

import pytest

from qa.checks import Verdict
from qa.checks.former_role import FORMER_ROLE_CHECK, asked_role, only_former


@pytest.mark.parametrize(("question", "role"), [
    ("Who is the CEO of Pellcorp?", "CEO"),
    ("Who's the current chair of the Tarrow city council?", "chair"),
    ("Who is the lead actress in Glimmerfall?", "actress"),
    ("Who was the CEO of Pellcorp when the merger closed?", ""),  # the past: a former holder may be the answer
    ("Who won the Calder Cup in 2031?", ""),
])
def test_the_role_is_read_from_a_present_tense_question(question: str, role: str) -> None:
    assert asked_role(question) == role
    assert FORMER_ROLE_CHECK.applies(question) is bool(role)


@pytest.mark.parametrize(("sentence", "former"), [
    ("Ida Crane, former CEO of Pellcorp and an adviser to its board, spoke on Monday.", True),
    ("Former Pellcorp CEO Ida Crane joined the board of Dalby Mills.", True),
    ("Ex-CEO Ida Crane was in the audience.", True),
    ("The outgoing CEO, Ida Crane, thanked the staff.", True),
    # the role named without such a word too: the sentence may say who holds it now
    ("Tom Voss, who became CEO in May, replaced former CEO Ida Crane.", False),
    ("Ida Crane is the CEO of Pellcorp.", False),
    ("Ida Crane formerly ran the Pellcorp design team.", False),  # the role is not named
    ("Then-CEO Ida Crane signed the deal.", True),
    ("Ida Crane then became CEO of Pellcorp.", False),  # "then" names the next step, not a past holder
])
def test_a_role_named_only_as_a_former_one_does_not_say_who_holds_it(sentence: str, former: bool) -> None:
    assert only_former("CEO", sentence) is former
    verdict = FORMER_ROLE_CHECK.verdict("Who is the CEO of Pellcorp?", sentence, "")
    assert verdict == (Verdict("former_role", False, "former_role", "it names a former CEO, not the present one")
                       if former else Verdict("former_role", True))
    # a question about the past is not judged
    assert FORMER_ROLE_CHECK.verdict("Who was the CEO of Pellcorp in 2019?", sentence, "").ok
