"""Which sentences become the evidence: a syndicated copy counts once, and a fragment too short to state an
answer and its subject ranks below a sentence that does (synthetic passages, the real MiniLM embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embed import get_embedder
from index.store import ArticleRecord
from qa.evidence import select_evidence
from qa.retrieve import Passage
from tests.conftest import make_settings

QUESTION = "Who is the chief executive of Acme Robotics?"


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory):
    settings = make_settings(Path(tmp_path_factory.mktemp("ev")))
    return get_embedder(settings.embedding_model)


def _passage(article_id: str, title: str, text: str) -> Passage:
    article = ArticleRecord(article_id, "h", title, "Wire", "", "2023-11-01", False, "", 1)
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
