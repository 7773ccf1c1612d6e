"""Agreement by value: distinct articles that give a claim's answer value (synthetic sentences, no eval items)."""

from index.store import ArticleRecord
from qa.checks.agreement import AGREEMENT_CHECK, agreement, unaccented
from qa.evidence import EvidenceItem, sentences
from qa.retrieve import Passage

Q = "Who won the 2030 Zorbland chess open?"


def _item(text: str, article_id: str) -> EvidenceItem:
    article = ArticleRecord(article_id, "h", "Zorbland chess open", "Test", "", "2030-05-01", False, "", 1)
    [item] = sentences(Q, [Passage(f"{article_id}:0", article, text, 0, len(text), 0.0, 0.0)])
    return item


def test_two_articles_giving_the_same_name_agree_and_accents_do_not_matter() -> None:
    items = [_item("Mira Kovačová won the 2030 Zorbland chess open on Sunday.", "a1"),
             _item("The 2030 Zorbland chess open was won by Mira Kovacova, ahead of Ida Brun.", "a2"),
             _item("Ida Brun finished the 2030 Zorbland chess open in second place.", "a3")]
    assert agreement("Mira Kovacova won the 2030 Zorbland chess open [1].", Q, items) == 2


def test_one_article_alone_or_two_sentences_of_one_article_do_not_agree() -> None:
    items = [_item("Ida Brun won the 2030 Zorbland chess open.", "a1"),
             _item("In the 2030 Zorbland chess open, Ida Brun won the last game.", "a1"),
             _item("Mira Kovacova won the 2030 Zorbland chess open.", "a2")]
    assert agreement("Ida Brun won the 2030 Zorbland chess open.", Q, items) == 1


def test_a_claim_without_a_new_value_has_no_agreement() -> None:
    items = [_item("The 2030 Zorbland chess open was won on Sunday.", "a1"),
             _item("The 2030 Zorbland chess open ended on Sunday.", "a2")]
    assert agreement("The 2030 Zorbland chess open was won.", Q, items) == 0


def test_unaccented() -> None:
    assert unaccented("Plíšková Müller") == "Pliskova Muller"


def test_two_articles_make_a_claim_agreed_one_does_not() -> None:
    assert AGREEMENT_CHECK.agreed(2) and AGREEMENT_CHECK.agreed(3)
    assert not AGREEMENT_CHECK.agreed(1) and not AGREEMENT_CHECK.agreed(0)


def test_it_applies_only_to_a_question_asking_for_a_value() -> None:
    assert AGREEMENT_CHECK.applies(Q)
    assert AGREEMENT_CHECK.applies("How many players entered the 2030 Zorbland chess open?")
    assert not AGREEMENT_CHECK.applies("Why was the 2030 Zorbland chess open moved?")
