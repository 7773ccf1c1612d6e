"""End to end with the real index, embedding model and embedded LLM."""

import json

import pytest
from conftest import BOLTON_SOURCES, SHARED

from qa import Answer, Evidence, QuestionError, ask, ask_stream
from qa.engine import get_engine
from qa.evaluate import load_items, matches

BOLTON = "When did Bolton say the meeting would happen?"


def test_bolton_question_is_answered_with_citation(seed_index) -> None:
    answer = ask(BOLTON, settings=seed_index)
    assert not answer.refused
    assert "2019" in answer.answer or "first of the year" in answer.answer.lower()
    assert {c.article_id for c in answer.citations} & BOLTON_SOURCES
    for c in answer.citations:
        assert f"[{c.n}]" in answer.answer
        assert c.quote and c.chunk_id.startswith(c.article_id)
    # the JSON shape every interface relies on
    data = json.loads(json.dumps(answer.to_dict()))
    assert {"answer", "refused", "citations", "timings", "dropped_claims"} <= set(data)
    assert set(data["citations"][0]) >= {"n", "article_id", "title", "source", "published", "url", "quote", "chunk_id"}
    assert data["timings"]["total_s"] > 0


def test_citation_quote_is_exact_text_of_the_cleaned_article(seed_index) -> None:
    from index.store import Store

    answer = ask(BOLTON, settings=seed_index)
    store = Store(seed_index)
    for c in answer.citations:
        assert store.article_text(c.article_id)[c.start:c.end] == c.quote


def test_helsinki_population_is_refused(seed_index) -> None:
    answer = ask("What is the population of Helsinki?", settings=seed_index)
    assert answer.refused and not answer.citations
    assert answer.answer.startswith("The articles don't say.")
    assert answer.closest  # the nearest passages are offered, not claimed


def test_stream_yields_evidence_then_text_then_answer(seed_index) -> None:
    events = list(ask_stream(BOLTON, settings=seed_index))
    assert isinstance(events[0], Evidence) and events[0].citations
    assert isinstance(events[-1], Answer)
    assert any(isinstance(e, str) for e in events[1:-1])


def test_follow_up_is_rewritten_from_history(seed_index) -> None:
    history = [{"role": "user", "content": BOLTON},
               {"role": "assistant", "content": "Bolton said it would be after the first of the year [1]."}]
    answer = ask("Why was it put off?", history, settings=seed_index)
    query = answer.debug["query"]
    assert query != "Why was it put off?"
    assert any(w in query.lower() for w in ("bolton", "meeting", "putin", "trump"))


def test_source_and_date_filters(seed_index_nollm) -> None:
    only = ask("What did Putin say about a meeting with Trump?", settings=seed_index_nollm, sources=["Euronews"])
    assert {c.article_id for c in only.citations + only.closest} <= {"003_0a1f54b097591886"}
    dated = ask("What did Putin say about a meeting with Trump?", settings=seed_index_nollm, since="2018-08-01")
    assert {c.article_id for c in dated.citations + dated.closest} <= {"004_1f43d1d3bfd9e4a5"}


@pytest.mark.parametrize("bad", ["", "   \n"])
def test_empty_question_is_rejected(seed_index_nollm, bad: str) -> None:
    with pytest.raises(QuestionError, match="empty"):
        ask(bad, settings=seed_index_nollm)


def test_seeds_dev_eval(seed_index, capsys) -> None:
    """The dev set as a test: every item is scored and the score is reported; the bar is the issue's target."""
    items = load_items(SHARED / "eval" / "seeds_dev.jsonl")
    right = 0
    for item in items:
        answer = ask(item["question"], settings=seed_index)
        cited = {c.article_id for c in answer.citations}
        if item["answerable"]:
            ok = not answer.refused and matches(answer.answer, item["must_contain"]) and bool(cited & set(item["sources"]))
            assert cited <= set(item["sources"]) or not cited, (item["id"], answer.answer)  # no wrong citations
        else:
            ok = answer.refused and not cited
            assert ok, (item["id"], answer.answer)  # unanswerable questions must be refused
        right += ok
    with capsys.disabled():
        print(f"\nseeds_dev.jsonl: {right}/{len(items)} right")
    assert right >= len(items) - 2


def test_evidence_alone_is_what_the_answer_starts_from(seed_index_nollm) -> None:
    """`Engine.evidence` runs the retrieve and pick-evidence stages only: the sentences `ask_stream` shows first."""
    question = BOLTON
    passages, evidence = get_engine(seed_index_nollm).evidence(question)
    assert passages and evidence.items and evidence.plausible
    assert any("first of the year" in e.text for e in evidence.items)
    shown = next(e for e in ask_stream(question, settings=seed_index_nollm) if isinstance(e, Evidence))
    assert [c.quote for c in shown.citations] == [e.text for e in evidence.items[:len(shown.citations)]]
    assert {e.passage.article.id for e in evidence.items} <= {p.article.id for p in passages}
