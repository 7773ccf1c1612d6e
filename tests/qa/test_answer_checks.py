"""The yes/no check's calibrated threshold and the second-source test (same date / name, other wording)."""

import pytest

from index.store import ArticleRecord
from qa.cite import corroborate, same_answer
from qa.dates import answer_date
from qa.engine import get_engine, prompt_messages
from qa.evidence import EvidenceItem, sentences
from qa.retrieve import Passage
from qa.text import answer_name


def _item(question: str, text: str, published: str = "", article_id: str = "a1") -> EvidenceItem:
    article = ArticleRecord(article_id, "h", text[:60], "Test", "", published, False, "", 1)
    [item] = sentences(question, [Passage(f"{article_id}:0", article, text, 0, len(text), 0.0, 0.0)])
    return item


def test_answer_date_takes_the_first_most_specific_date() -> None:
    assert answer_date("The Crown season 3 premieres on November 17 [17 November 2019] on Netflix.")[0] == "11-17"
    assert answer_date("It was released by Netflix on 17 November 2019.")[0] == "11-17"
    assert answer_date("OpenAI released GPT-3 in June 2020.")[0] == "2020-06"
    assert answer_date("GPT-3 was released in 2020.")[0] == "2020"
    assert answer_date("no date here, people may 5 times say")[0] == ""


def test_answer_name_is_the_first_name_the_question_lacks() -> None:
    assert answer_name("Slovenia's Tadej Pogacar won the 2021 Tour de France.", "Who won the 2021 Tour de France?") == {"tadej", "pogacar"}
    assert answer_name("The city that hosted the Olympic Games in 2012 was London.", "which city hosted the olympic games in 2012?") == {"london"}
    assert answer_name("Tim Cook is the CEO of Apple.", "Who is the CEO of Apple?") == {"tim", "cook"}


def test_same_answer_other_wording() -> None:
    q = "When does season 3 of The Crown premiere?"
    claim = "The Crown season 3 premieres on November 17 [17 November 2019] on Netflix."
    assert same_answer(claim, q, _item(q, "Season 3 of Netflix series The Crown premiered on November 17, 2019."))
    assert not same_answer(claim, q, _item(q, "Season 3 of The Crown premiered on November 18, 2019."))
    assert not same_answer(claim, q, _item(q, "Season 4 of The Crown premiered on November 17, 2019."))  # another season
    q = "Who won the 2021 Tour de France?"
    claim = "Slovenia's Tadej Pogacar won the 2021 Tour de France."
    assert same_answer(claim, q, _item(q, "Tadej Pogacar has won the Tour de France for 2021, his second title."))
    assert not same_answer(claim, q, _item(q, "Tadej Pogacar won the 2020 Tour de France."))  # another year
    # a what/why question's answer is a statement, not a value: no second source by value
    q = "What did Putin say about the calls?"
    assert not same_answer("Putin said the calls were insufficient.", q, _item(q, "Putin said the calls were insufficient."))


@pytest.mark.parametrize(("question", "sentence", "claim", "said"), [
    ("Who won the women's singles Wimbledon in 2018?",
     "Ramos chaired the women's singles finals at the French Open in 2005 and at Wimbledon in 2018.",
     "Ramos won the women's singles Wimbledon in 2018.", False),
    ("Who is the president of the FIFA?",
     "Jeffrey Webb and Jack Warner - the current and former presidents of CONCACAF, the continental confederation under FIFA.",
     "The president of FIFA is Jack Warner.", False),
    ("Who won the women's singles Wimbledon in 2018?",
     "Angelique Kerber has won the 2018 Wimbledon women's singles bracket, beating Serena Williams in the final.",
     "Angelique Kerber won the women's singles Wimbledon in 2018.", True),
    ("Who is the president of the FIFA?", "FIFA president Gianni Infantino said the tournament was the best ever.",
     "Gianni Infantino is the president of FIFA.", True),
])
def test_check_threshold_separates_relations(seed_index, question, sentence, claim, said) -> None:
    """The real model says "yes" to all four; its P(yes) against the calibrated threshold tells them apart."""
    p_yes = get_engine(seed_index)._p_yes(question, claim, _item(question, sentence))
    assert (p_yes >= seed_index.check_threshold) is said, p_yes


def test_second_source_by_value_needs_the_llm_check(seed_index) -> None:
    """A further passage giving the same date in other words is cited too, when the LLM agrees; not otherwise."""
    q = "When does season 3 of The Crown premiere?"
    claim = "The Crown season 3 premieres on November 17 [17 November 2019] on Netflix."
    first = _item(q, "The Crown season 3 premieres Sunday, November 17 on Netflix.", "2019-11-05", "a1")
    other = _item(q, "Season 3 of Netflix series The Crown premiered on November 17, 2019.", "", "a2")
    engine = get_engine(seed_index)
    asked: list[str] = []

    def confirm(text: str, item: EvidenceItem) -> bool:
        asked.append(item.text)
        return engine._p_yes(q, text, item) >= seed_index.check_threshold

    pool = [first]
    [(_, nums)] = corroborate([(claim, [1])], q, pool, engine.embedder, 1, lambda: [other], confirm)
    assert nums == [1, 2] and pool[1] is other and asked == [other.text]
    # without the LLM check (no LLM) the value alone is not enough
    [(_, nums)] = corroborate([(claim, [1])], q, [first], engine.embedder, 1, lambda: [other], None)
    assert nums == [1]


def test_yes_share_from_a_servers_logprobs() -> None:
    """OpenAI-style logprobs: the yes/no share of the first token; without logprobs, the word decides."""
    import math

    from qa.llm import _yes_share

    top = [{"token": "Yes", "logprob": math.log(0.5)}, {"token": " yes", "logprob": math.log(0.2)},
           {"token": "No", "logprob": math.log(0.3)}, {"token": "Maybe", "logprob": math.log(0.01)}]
    choice = {"message": {"content": "Yes"}, "logprobs": {"content": [{"token": "Yes", "top_logprobs": top}]}}
    assert _yes_share(choice) == pytest.approx(0.7)
    assert _yes_share({"message": {"content": "no"}}) == 0.0
    assert _yes_share({"message": {"content": "Yes."}, "logprobs": None}) == 1.0


def test_names_of_the_question_may_be_in_the_sentences_before() -> None:
    """'The conference would take place in a third country' is about the Bolton-in-Moscow summit named just
    before it; a sentence with neither name nearby is not."""
    from qa.cite import off_question

    q = "Where would the summit take place, according to reports after Bolton's talks in Moscow?"
    text = ("Moscow and Washington have agreed to hold a summit. The news came after Putin held talks with John "
            "Bolton. The conference would take place in a third country convenient to both leaders.")
    article = ArticleRecord("a1", "h", "Presidents plan summit", "Test", "", "2018-06-27", False, "", 1)
    items = sentences(q, [Passage("a1:0", article, text, 0, len(text), 0.0, 0.0)])
    assert "third country" in items[2].text and items[2].typed
    assert off_question(q, items[2]) == ""
    alone = _item(q, "The conference would take place in a third country convenient to both leaders.")
    assert "not about" in off_question(q, alone) or "never mentions" in off_question(q, alone)


def test_the_same_prompt_gets_the_same_logits_whatever_was_asked_before(seed_index) -> None:
    """Every prompt is read on from its evaluated system prompt in the same batches: neither a P(yes) nor a
    draft depends on the prompts before it (reusing whatever longer prefix the last prompt shared changed the
    last bits of the logits, enough to flip a near tie between two runs of one question)."""
    llm = get_engine(seed_index).llm
    sentence = "Bolton said the meeting would take place in Helsinki on July 16, after the NATO summit."
    claim = prompt_messages("claim", sentence=sentence, claim="The meeting would take place in Helsinki.")
    other = prompt_messages("claim", sentence=sentence, claim="The meeting would take place in Vienna.")
    draft = prompt_messages("answer", sources=f"[1] (Reuters, 2018-06-28) {sentence}",
                            question="Where would the meeting take place?")
    p_claim, text = llm.yes_probability(claim), "".join(llm.stream(draft, 40))
    p_other = llm.yes_probability(other)  # shares all but the claim with the prompt before
    assert llm.yes_probability(claim) == p_claim and llm.yes_probability(claim) == p_claim
    assert llm.yes_probability(other) == p_other != p_claim
    assert "".join(llm.stream(draft, 40)) == text and "Helsinki" in text
