"""The verifier: wrong citations caught, unsupported numbers dropped, supported claims kept (real embeddings)."""

import pytest

from index.embed import get_embedder
from qa.cite import parse_draft, verify
from qa.engine import get_engine
from qa.evidence import select_evidence
from qa.retrieve import Filters, retrieve

QUESTION = "What was Defense Secretary Jim Mattis considering?"


@pytest.fixture(scope="module")
def evidence(seed_index_nollm):
    engine = get_engine(seed_index_nollm)
    emb = get_embedder(seed_index_nollm.embedding_model)
    qvec = emb.encode([QUESTION])[0]
    passages = retrieve(engine.store, emb, QUESTION, 5, 20, Filters(), qvec)
    ev = select_evidence(QUESTION, qvec, passages, emb, 4, 0.42)
    assert "Mattis" in ev.items[0].text
    return ev.items, emb


def _evidence_for(question: str, settings):
    """The evidence set the engine would pick for `question` on the seed index (top 5 chunks, 4 sentences)."""
    engine = get_engine(settings)
    emb = get_embedder(settings.embedding_model)
    qvec = emb.encode([question])[0]
    return select_evidence(question, qvec, retrieve(engine.store, emb, question, 5, 20, Filters(), qvec), emb, 4, 0.42), emb


def test_parse_draft_markers() -> None:
    claims = parse_draft("Bolton said 2019. [2] Putin agreed [1, 3]. [4]")
    assert [(c.text, c.cited) for c in claims] == [("Bolton said 2019.", [2]), ("Putin agreed.", [1, 3, 4])]


def test_parse_draft_marker_list() -> None:
    # a list of markers written out with commas and "and" leaves no stray punctuation in the claim
    claims = parse_draft("The season will premiere on November 17, according to the sources [1], [2], and [4].")
    assert [(c.text, c.cited) for c in claims] == [
        ("The season will premiere on November 17, according to the sources.", [1, 2, 4])]


def test_supported_claim_is_kept(evidence) -> None:
    items, emb = evidence
    out = verify("Mattis was considering the first talks in years between the defense chiefs of the U.S. and Russia [1].",
                 QUESTION, items, emb)
    assert out.claims and out.claims[0][1] == [1] and not out.dropped


def test_wrong_citation_is_caught_and_reattributed(evidence) -> None:
    items, emb = evidence
    wrong = next(i for i, e in enumerate(items, start=1) if "Mattis" not in e.text)
    out = verify(f"Mattis was considering the first talks in years between the defense chiefs of the U.S. and Russia [{wrong}].",
                 QUESTION, items, emb)
    assert out.claims and out.claims[0][1] == [1]  # moved to the source that says it
    assert out.reattributed == 1


def test_number_absent_from_source_is_dropped(evidence) -> None:
    items, emb = evidence
    out = verify("Mattis was considering 14 rounds of talks between the defense chiefs [1].", QUESTION, items, emb)
    assert not out.claims
    assert "'14' is not in the source" in out.dropped[0]["reason"]


def test_invented_claim_is_dropped(evidence) -> None:
    items, emb = evidence
    out = verify("Mattis was considering buying new aircraft carriers for the Navy [1].", QUESTION, items, emb)
    assert not out.claims and out.dropped


def test_citation_to_a_missing_source_number_is_not_kept(evidence) -> None:
    items, emb = evidence
    out = verify("Mattis was considering the first talks in years between the defense chiefs [9].", QUESTION, items, emb)
    assert all(9 not in nums for _, nums in out.claims)


def test_claim_about_another_year_is_dropped(evidence) -> None:
    """The year check: the Mattis sentence (an article of 2018) cannot answer a question about 2015."""
    items, emb = evidence
    out = verify("Mattis was considering talks between the defense chiefs in 2015 [1].",
                 "What was Jim Mattis considering in 2015?", items, emb)
    assert not out.claims and "2015" in out.dropped[0]["reason"]


def test_llm_check_rejects_a_claim_the_sentence_does_not_make(seed_index, evidence) -> None:
    """Step 7 with the real model: same words, another relation; judged by P(yes) against the setting."""
    items, _ = evidence
    engine = get_engine(seed_index)
    said = engine._p_yes(QUESTION, "Mattis was considering talks between the defense chiefs of the U.S. and Russia.", items[0])
    denied = engine._p_yes(QUESTION, "Mattis has refused any talks between the defense chiefs of the U.S. and Russia.", items[0])
    assert said >= seed_index.check_threshold > denied


def test_corroborating_citation_comes_from_another_article(seed_index_nollm) -> None:
    """Two seed articles quote Bolton's statement: a claim cited to one also gets the other, held to the same checks."""
    from qa.cite import corroborate

    question = "When did Bolton say the next meeting with Putin would take place?"
    ev, emb = _evidence_for(question, seed_index_nollm)
    pool = ev.items + ev.reserve
    first = next(n for n, e in enumerate(pool, start=1) if "Bolton" in e.text and "first of the year" in e.text)
    claim = "Bolton said the next meeting with Putin would take place after the first of the year."
    [(_, nums)] = corroborate([(claim, [first])], question, pool, emb, 1)
    articles = [pool[n - 1].passage.article.id for n in nums]
    assert nums[0] == first and len(nums) == 2 and len(set(articles)) == 2
    assert set(articles) == {"000_a8ef3c9dc11187e2", "001_4ee1d4d0f171337c"}
    # an unsupported claim gets no corroboration either
    [(_, nums)] = corroborate([("Bolton said the meeting would take place in Helsinki in 2025.", [first])], question, pool, emb, 1)
    assert nums == [first]
    # and none is added when the setting is 0
    assert corroborate([(claim, [first])], question, pool, emb, 0) == [(claim, [first])]
