"""The open reader check: an answer to an open question must be cited to a sentence that, read alone, answers it."""

from conftest import EchoLLM

from qa.checks import CHECKS
from qa.checks.open_reader import OPEN_READER_CHECK
from qa.checks.reader import READER_CHECK

OPEN = "What did Putin say about telephone calls between Moscow and Washington?"


def test_it_is_a_named_check_for_the_questions_the_reader_check_leaves() -> None:
    assert "open_reader" in CHECKS
    for q in ("What did the mayor say about the Quillmark bridge?", "How did the council describe the vote?",
              "Why was the Quillmark bridge closed?"):
        assert OPEN_READER_CHECK.applies(q) and not READER_CHECK.applies(q)
    for q in ("Who won the Quillmark prize in 2031?", "When will the Quillmark bridge open?",
              "How many people crossed the bridge?"):
        assert not OPEN_READER_CHECK.applies(q) and READER_CHECK.applies(q)


def test_any_reading_but_none_answers() -> None:
    for reading in ("home court advantage", "6-4, 6-4", "Insufficient.", "It would reopen next year"):
        assert OPEN_READER_CHECK.answers(reading)
    for reading in ("none", "None.", "I don't know", "not stated", "", "  "):
        assert not OPEN_READER_CHECK.answers(reading)


def test_a_claim_whose_cited_sentence_answers_nothing_is_dropped(seed_index_nollm) -> None:
    from qa.engine import Engine

    base = seed_index_nollm.with_overrides(min_question_coverage=0.0)
    reads = Engine(base)
    reads._llm = EchoLLM(lambda prompt: 0.99)  # the cited sentence, read alone, gives itself: it answers
    answer = reads.ask(OPEN)
    assert answer.mode == "llm"
    rows = [r for r in answer.debug["checks"] if r["check"] == "open_reader"]
    assert len(rows) == 1 and rows[0]["yes"]  # only the cited sentence is read
    assert not any(r["check"] == "reader" for r in answer.debug["checks"])  # the value reader does not apply

    blind = Engine(base)
    blind._llm = EchoLLM(lambda prompt: 0.99, read=lambda sentence: "none")
    answer = blind.ask(OPEN)
    assert answer.mode != "llm"  # the cited sentence answers nothing: the claim is dropped
    assert any(d["code"] == "unanswered" for d in answer.dropped_claims)
    rows = [r for r in answer.debug["checks"] if r["check"] == "open_reader"]
    assert rows and not any(r["yes"] for r in rows)
    asked = [p for p in blind._llm.prompts if p.startswith("Sentence: ")]
    assert len(asked) == len({(r["article_id"], r["text"]) for r in rows})  # each sentence read once

    off = Engine(base.with_overrides(disabled_checks=("open_reader",)))
    off._llm = EchoLLM(lambda prompt: 0.99, read=lambda sentence: "none")
    answer = off.ask(OPEN)
    assert answer.mode == "llm" and not any(r["check"] == "open_reader" for r in answer.debug["checks"])
