"""The claim acceptance model: every guard is a feature of one fitted P(right), not a veto (synthetic cases)."""

from pathlib import Path

import numpy as np
import pytest
from conftest import EchoLLM

from index.store import ArticleRecord
from qa.accept import ACCEPT_FEATURES, AcceptModel, claim_features, load_model
from qa.cite import SupportFacts, support_facts, verify
from qa.evidence import EvidenceItem, sentences
from qa.retrieve import Passage

Q = "Who created the TV series The Quillmark Files?"
SENTENCE = "The Quillmark Files was an American drama series created by Ilse Marr."


class _SameVector:
    """An embedder for which every text means the same: support rests on words alone."""

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.full((len(texts), 4), 0.5)


def _item(question: str, text: str, title: str = "Quillmark notes") -> EvidenceItem:
    article = ArticleRecord("a1", "h", title, "Test", "", "2031-05-01", False, "", 2)  # a whole article, not an excerpt
    [item] = sentences(question, [Passage("a1:0", article, text, 0, len(text), 0.0, 0.0)])
    return item


def _facts(claim: str, item: EvidenceItem) -> SupportFacts:
    v = np.full(4, 0.5)
    return support_facts(claim, Q, item, v, v)


def test_a_question_word_the_article_never_says_is_counted_not_a_veto() -> None:
    item = _item(Q, SENTENCE)
    facts = _facts("Ilse Marr created the TV series The Quillmark Files.", item)
    assert "never mentions 'tv'" in facts.reason()  # the rule-by-rule path drops the claim
    f = claim_features(facts, item, p_yes=0.9, p_rel=0.8, agree=2)
    assert set(f) == set(ACCEPT_FEATURES)
    assert f["absent"] == pytest.approx(1 / facts.off.question_keys)
    assert f["missing"] == 0.0 and f["coverage"] == 1.0 and f["agree"] == pytest.approx(2 / 3)


def test_a_name_of_the_claim_the_sentence_does_not_say_is_a_feature() -> None:
    item = _item(Q, SENTENCE)
    facts = _facts("Jon Vale created the TV series The Quillmark Files.", item)
    assert facts.missing and claim_features(facts, item, 0.5, 0.5, 0)["missing"] == 1.0


def test_verify_keeps_what_the_model_accepts_and_says_why_it_drops_the_rest() -> None:
    item = _item(Q, SENTENCE)
    draft = "Ilse Marr created the TV series The Quillmark Files [1]."
    assert verify(draft, Q, [item], _SameVector()).claims == []  # each guard vetoes on its own
    seen: list[SupportFacts] = []

    def accept(claim: str, n: int, facts: SupportFacts) -> tuple[float, float]:
        seen.append(facts)
        return 0.8, 0.5

    out = verify(draft, Q, [item], _SameVector(), weigh=accept)
    assert out.claims == [("Ilse Marr created the TV series The Quillmark Files.", [1])] and len(seen) == 1
    out = verify(draft, Q, [item], _SameVector(), weigh=lambda c, n, f: (0.2, 0.5))
    assert out.claims == [] and out.dropped[0]["code"] == "unlikely"
    assert "P(right) 0.20 is under 0.50" in out.dropped[0]["reason"] and "never mentions" in out.dropped[0]["reason"]


def test_a_claim_that_restates_the_question_is_never_weighed() -> None:
    item = _item(Q, SENTENCE)
    out = verify("The TV series The Quillmark Files was created [1].", Q, [item], _SameVector(),
                 weigh=lambda c, n, f: pytest.fail("weighed a restated question"))
    assert out.claims == [] and out.dropped[0]["code"] == "unsupported"


def test_probability_follows_the_weights() -> None:
    m = AcceptModel({**{f: 0.0 for f in ACCEPT_FEATURES}, "p_yes": 4.0, "missing": -3.0, "bias": -2.0}, 0.5)
    base = {f: 0.0 for f in ACCEPT_FEATURES}
    assert m.probability(base | {"p_yes": 1.0}) > 0.5 > m.probability(base | {"p_yes": 0.2})
    assert m.probability(base | {"p_yes": 1.0, "missing": 1.0}) < m.probability(base | {"p_yes": 1.0})


def test_the_committed_model_is_what_fit_gives_from_the_committed_rows(tmp_path: Path) -> None:
    from bench.claim_accept import LABELS, fit

    fitted = fit(LABELS, tmp_path / "model.json")
    committed = load_model()
    assert set(committed.weights) == set(ACCEPT_FEATURES) | {"bias"}
    assert fitted.weights == pytest.approx(committed.weights, abs=1e-3)
    assert fitted.threshold == committed.threshold
    assert 0.0 < committed.threshold < 1.0


def test_the_engine_weighs_each_claim_when_the_model_is_on(seed_index_nollm) -> None:
    from qa.engine import Engine

    q = "What conditions does Putin set before going to Washington to meet Trump?"
    settings = seed_index_nollm.with_overrides(min_question_coverage=0.0, claim_accept_model=True)
    sure = Engine(settings)
    sure._llm = EchoLLM(lambda prompt: 0.99)
    answer = sure.ask(q)
    rows = [r for r in answer.debug["checks"] if r["check"] == "claim_accept"]
    assert answer.mode == "llm" and rows and rows[0]["yes"] and rows[0]["p_right"] >= sure.accept_model.threshold
    assert set(rows[0]["features"]) == set(ACCEPT_FEATURES) and rows[0]["features"]["p_yes"] == 0.99
    doubtful = Engine(settings)
    doubtful._llm = EchoLLM(lambda prompt: 0.01)
    answer = doubtful.ask(q)
    assert answer.mode != "llm" and any(d["code"] == "unlikely" for d in answer.dropped_claims)
