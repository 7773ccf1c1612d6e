"""Which sentences become the evidence: a syndicated copy counts once, and a fragment too short to state an
answer and its subject ranks below a sentence that does (synthetic passages, the real MiniLM embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embed import get_embedder
from index.store import ArticleRecord
from qa.evidence import choose, select_evidence
from qa.retrieve import Passage
from tests.conftest import make_settings

QUESTION = "Who is the chief executive of Acme Robotics?"


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory):
    settings = make_settings(Path(tmp_path_factory.mktemp("ev")))
    return get_embedder(settings.embedding_model)


def _passage(article_id: str, title: str, text: str, n_chunks: int = 1) -> Passage:
    article = ArticleRecord(article_id, "h", title, "Wire", "", "2023-11-01", False, "", n_chunks)
    return Passage(f"{article_id}-c", article, text, 0, len(text), 0.0, 0.0)


def _pick(embedder, passages: list[Passage]):
    qvec = embedder.encode([QUESTION])[0]
    return select_evidence(QUESTION, qvec, passages, embedder, 4, 0.3)


def test_the_same_sentence_from_two_articles_is_evidence_once(embedder) -> None:
    copy = "Jane Roe is the chief executive of Acme Robotics."
    ev = _pick(embedder, [_passage("a1", "Acme Robotics news", f"{copy} The firm makes arms for factories."),
                          _passage("a2", "Acme Robotics, syndicated", f"{copy} Shares rose on Monday."),
                          _passage("a3", "Robots", "Acme Robotics hired Max Poe as finance chief in May.")])
    texts = [e.text for e in ev.items]
    assert texts.count(copy) == 1
    assert any("Max Poe" in t for t in texts)  # the slot the copy took goes to another sentence


def test_a_fragment_ranks_below_a_sentence_that_states_the_answer(embedder) -> None:
    # the fragment's headline holds every word of the question, so it would rank first on coverage alone
    ev = _pick(embedder, [_passage("a1", "Acme Robotics chief executive", "Forbes."),
                          _passage("a2", "Robots", "Jane Roe runs Acme Robotics, the robot arm maker.")])
    assert "Jane Roe" in ev.items[0].text


def test_a_rare_question_word_counts_for_more_than_one_every_sentence_has(embedder) -> None:
    # both sentences hold two of the question's four words; "acme robotics" is in one sentence of the pool,
    # "chief executive" in three, so the first says more about which sentence answers (key_coverage)
    ev = _pick(embedder, [_passage("a1", "Boards", "Jane Roe leads Acme Robotics now. The chief executive of a bank "
                                                   "quit. A chief executive of a mine retired."),
                          _passage("a2", "Banks", "The chief executive of a lender spoke on Monday.")])
    features = {e.text: e.features for e in ev.ranked}
    rare = features["Jane Roe leads Acme Robotics now."]
    common = features["The chief executive of a lender spoke on Monday."]
    assert rare["text_coverage"] == common["text_coverage"]
    assert rare["key_coverage"] > common["key_coverage"]


def test_choose_keeps_two_sentences_per_article_and_each_wording_once() -> None:
    ranked = [("a", "One."), ("a", "Two."), ("a", "Three."), ("b", "one"), ("b", "Four!"), ("c", "Five.")]
    assert choose(ranked, 4) == [0, 1, 4, 5]
    assert choose(ranked, 2) == [0, 1]


def test_without_the_rank_model_the_evidence_is_ordered_by_the_gate_score(embedder) -> None:
    passages = [_passage("a1", "Boards", "Jane Roe leads Acme Robotics now. The chief executive of a bank quit."),
                _passage("a2", "Banks", "The chief executive of a lender spoke on Monday.")]
    qvec = embedder.encode([QUESTION])[0]
    model = select_evidence(QUESTION, qvec, passages, embedder, 4, 0.3)
    gate = select_evidence(QUESTION, qvec, passages, embedder, 4, 0.3, rank_model=False)
    assert [e.rank for e in gate.items] == [e.score for e in gate.items]
    assert [e.score for e in gate.items] == sorted((e.score for e in gate.items), reverse=True)
    assert {e.rank for e in model.items}.isdisjoint({e.score for e in model.items})  # the model's own scale
    assert model.best_score == gate.best_score  # the refusal gate reads the same score either way


def test_the_gate_holds_a_long_article_s_best_sentence_to_its_own_threshold(embedder) -> None:
    # the same sentence, from a snippet and from a long article: one score, two thresholds around it
    qvec = embedder.encode([QUESTION])[0]
    text = "The robot maker named a new boss on Monday, its board said."
    snippet, long = _passage("a1", "Robots", text), _passage("a2", "Robots", text, n_chunks=5)
    score = select_evidence(QUESTION, qvec, [snippet], embedder, 4, 0.3).best_score
    high, low = score + 0.05, score - 0.05
    assert not select_evidence(QUESTION, qvec, [snippet], embedder, 4, high, long_threshold=low).plausible
    gated = select_evidence(QUESTION, qvec, [long], embedder, 4, high, long_threshold=low)
    assert gated.plausible and gated.best_long and gated.threshold == low
    assert not select_evidence(QUESTION, qvec, [long], embedder, 4, high).plausible  # no long threshold: the one
