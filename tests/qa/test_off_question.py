"""Whether a sentence is about what the question asks: the question's years and numbers must be in the sentence
or its headline (a name may be said elsewhere in the article); another year or number in it is a conflict."""

from index.store import ArticleRecord
from qa.cite import off_question
from qa.evidence import EvidenceItem, sentences
from qa.retrieve import Passage


def _item(question: str, passage: str, sentence: str, title: str = "Film notes", n_chunks: int = 1) -> EvidenceItem:
    """The evidence item for `sentence`, one sentence of `passage` (real sentence splitting and date checks)."""
    article = ArticleRecord("a1", "h", title, "Test", "", "", False, "", n_chunks)
    items = sentences(question, [Passage("a1:0", article, passage, 0, len(passage), 0.0, 0.0)])
    [item] = [i for i in items if i.text == sentence]
    return item


Q = "Who directed the 2016 Assassin's Creed movie?"


def test_a_year_must_be_in_the_sentence_or_its_headline() -> None:
    passage = "The Assassin's Creed movie came out in 2016. Justin Kurzel of Australia directed the film."
    assert "2016" in off_question(Q, _item(Q, passage, "Justin Kurzel of Australia directed the film."))
    dated = _item(Q, passage, "Justin Kurzel of Australia directed the film.", title="Assassin's Creed (2016)")
    assert off_question(Q, dated) == ""


def test_another_year_in_the_sentence_stays_a_conflict() -> None:
    passage = "The Assassin's Creed movie came out in 2016. The 2021 Assassin's Creed series was directed by Ana Ruiz."
    why = off_question(Q, _item(Q, passage, "The 2021 Assassin's Creed series was directed by Ana Ruiz.",
                                title="Assassin's Creed: 2016 and after"))
    assert "2021" in why


def test_a_model_number_in_the_title_counts() -> None:
    q = "How much did the Google Pixel 6 cost at launch?"
    passage = "Launched in October 2021; launch price of $599 for the Google phone."
    item = _item(q, passage, passage, title="Google Pixel 6: price and release date")
    assert off_question(q, item) == ""
    assert "6" in off_question(q, _item(q, passage, passage, title="Google phones: price and release date"))


def test_a_claim_may_repeat_the_questions_one_digit_number() -> None:
    """'Chronicles 2' in the claim is the question's own number, not a new figure the source must hold."""
    import numpy as np

    from qa.cite import support

    q = "When was Xenoblade Chronicles 2 released?"
    passage = "Xenoblade Chronicles 2 came out for the Switch. It was released on December 1, 2017 worldwide."
    item = _item(q, passage, "It was released on December 1, 2017 worldwide.", title="Xenoblade Chronicles 2 review")
    same = np.ones(4) / 2.0  # unit vectors: the claim and the sentence as close in meaning as can be
    ok, why = support("Xenoblade Chronicles 2 was released on December 1, 2017 [1].", q, item, same, same)
    assert ok, why
    ok, why = support("Xenoblade Chronicles 3 was released on December 1, 2017 [1].", q, item, same, same)
    assert not ok and "3" in why


def test_a_number_may_be_spelled_out() -> None:
    """'the eleventh season' states season 11 and 'number one' states No. 1 (cardinals and ordinals up to
    twenty, the lexicon the numbered check reads); a different spelled number does not."""
    q = "When did season 11 of the Harbor Show premiere?"
    said = "The eleventh and final season of the Harbor Show premiered on August 22, 2021."
    assert off_question(q, _item(q, said, said)) == ""
    other = "The tenth season of the Harbor Show premiered on August 22, 2020."
    assert "11" in off_question(q, _item(q, other, other))
    q1 = "Which player has the most year-end No. 1 rankings?"
    one = "Lena Park was the player with the most year-end singles number one rankings."
    assert off_question(q1, _item(q1, one, one)) == ""


def test_a_question_name_an_excerpt_never_says_is_judged_on_the_sentence() -> None:
    """A whole article that never names what the question asks about ("TV") is about something else; an
    excerpt of one passage (a search snippet) is too short for its silence to say so, and the sentence rule
    (one of the question's names may be missing) decides."""
    q = "Who created the TV series The Quillmark Files?"
    said = "The Quillmark Files was an American drama series created by Ilse Marr."
    assert off_question(q, _item(q, said, said)) == ""  # an excerpt
    assert "never mentions 'tv'" in off_question(q, _item(q, said, said, n_chunks=2))  # a whole article
    two_missing = "The drama was created by Ilse Marr."
    assert "not about" in off_question(q, _item(q, two_missing, two_missing))  # the sentence rule still holds


def test_an_acronym_the_source_spells_out_is_said() -> None:
    q = "Why did the U.S. and EU impose economic sanctions on Russia?"
    passage = ("He criticised the sanctions. The sanctions were imposed on Russia by the U.S. and European Union "
               "in response to the annexation of Crimea.")
    sentence = "The sanctions were imposed on Russia by the U.S. and European Union in response to the annexation of Crimea."
    assert off_question(q, _item(q, passage, sentence, n_chunks=2)) == ""
    other = passage.replace("European Union", "United Kingdom")
    assert "eu" in off_question(q, _item(q, other, sentence.replace("European Union", "United Kingdom"), n_chunks=2))
