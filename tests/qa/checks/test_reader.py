"""The reader check: a drafted answer must be what some evidence sentence, read alone, answers."""

from conftest import EchoLLM

from qa.checks import CHECKS
from qa.checks.reader import READER_CHECK, reading_words

WHEN = "When were Moscow and Washington expected to announce the time and place of the summit?"


def test_it_is_a_named_check_for_questions_that_ask_for_a_value() -> None:
    assert "reader" in CHECKS
    assert READER_CHECK.applies("Who won the Quillmark prize in 2031?")
    assert READER_CHECK.applies("When will the Quillmark bridge open?")
    assert not READER_CHECK.applies("What did the mayor say about the Quillmark bridge?")


def test_a_reading_agrees_when_the_claim_says_every_word_of_it() -> None:
    claim = "Renée Zellweger won the Quillmark prize on January 5, 2031 [1]."
    assert READER_CHECK.agrees("Renee Zellweger", claim)  # accents aside
    assert READER_CHECK.agrees("5 January 2031.", claim)  # the order of a date's words aside
    assert not READER_CHECK.agrees("Ilse Marr", claim)  # another name
    assert not READER_CHECK.agrees("Renée Zellweger and Ilse Marr", claim)  # a word the claim does not say
    assert not READER_CHECK.agrees("January 2030", claim)  # another year


def test_a_reading_of_none_gives_no_value() -> None:
    for reply in ("none", "None.", "I don't know", "not stated", "", "  "):
        assert reading_words(reply) == set()
        assert not READER_CHECK.agrees(reply, "none of them said it")


def test_a_claim_no_sentence_reads_as_is_dropped(seed_index_nollm) -> None:
    from qa.engine import Engine

    base = seed_index_nollm.with_overrides(min_question_coverage=0.0)
    reads = Engine(base)
    reads._llm = EchoLLM(lambda prompt: 0.99)  # every sentence, read alone, gives itself: the claim agrees
    answer = reads.ask(WHEN)
    assert answer.mode == "llm"
    rows = [r for r in answer.debug["checks"] if r["check"] == "reader"]
    assert rows and rows[0]["yes"]  # the cited sentence is read first, and agrees: no more are read
    assert len(rows) == 1

    blind = Engine(base)
    blind._llm = EchoLLM(lambda prompt: 0.99, read=lambda sentence: "none")
    answer = blind.ask(WHEN)
    assert answer.mode != "llm"  # no sentence gives the drafted answer: it is dropped
    rows = [r for r in answer.debug["checks"] if r["check"] == "reader"]
    assert rows and not any(r["yes"] for r in rows)
    read = {(r["article_id"], r["text"]) for r in rows}
    assert len(read) == len(answer.debug["evidence"]) > 1  # every evidence sentence was read
    asked = [p for p in blind._llm.prompts if p.startswith("Sentence: ")]
    assert len(asked) == len(read)  # once each: a second draft's check reuses the readings
    assert any(d["code"] == "unread" for d in answer.dropped_claims)

    off = Engine(base.with_overrides(disabled_checks=("reader",)))
    off._llm = EchoLLM(lambda prompt: 0.99, read=lambda sentence: "none")
    answer = off.ask(WHEN)
    assert answer.mode == "llm" and not any(r["check"] == "reader" for r in answer.debug["checks"])
