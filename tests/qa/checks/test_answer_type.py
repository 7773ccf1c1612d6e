"""The answer-type check: the kept claims must hold the kind of answer asked for (synthetic cases)."""

import numpy as np

from index.store import ArticleRecord
from qa.checks import Verdict
from qa.checks.answer_type import ANSWER_TYPE_CHECK
from qa.cite import verify
from qa.evidence import EvidenceItem, sentences
from qa.retrieve import Passage
from qa.text import asked_type, new_names

WHO = "Who chaired the Quillmark summit?"


class _SameVector:
    """An embedder for which every text means the same: the support test then rests on words alone."""

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.full((len(texts), 4), 0.5)


def _item(question: str, text: str) -> EvidenceItem:
    article = ArticleRecord("a1", "h", "Quillmark summit", "Test", "", "2031-05-01", False, "", 1)
    [item] = sentences(question, [Passage("a1:0", article, text, 0, len(text), 0.0, 0.0)])
    return item


def test_a_who_answer_without_a_new_name_is_not_an_answer() -> None:
    assert ANSWER_TYPE_CHECK.verdict(WHO, ["The Quillmark summit was chaired by the host city's mayor."]) == Verdict(
        "answer_type", False, "not_an_answer", "no name in it")
    assert ANSWER_TYPE_CHECK.verdict(WHO, ["Ilse Marr chaired the Quillmark summit."]).ok
    # judged together: one claim with a name is enough for all
    assert ANSWER_TYPE_CHECK.verdict(WHO, ["The summit ran late.", "Ilse Marr chaired it."]).ok
    assert ANSWER_TYPE_CHECK.verdict(WHO, []).ok  # nothing kept, nothing to judge


def test_a_when_answer_must_be_finer_than_a_bare_year_unless_the_year_is_asked() -> None:
    when = "When did the Quillmark bridge open?"
    assert ANSWER_TYPE_CHECK.verdict(when, ["The Quillmark bridge opened in 2031."]) == Verdict(
        "answer_type", False, "not_an_answer", "no time in it")
    assert ANSWER_TYPE_CHECK.verdict(when, ["The Quillmark bridge opened on 4 May 2031."]).ok
    assert ANSWER_TYPE_CHECK.verdict("In what year did the Quillmark bridge open?", ["It opened in 2031."]).ok


def test_it_applies_only_to_a_question_asking_for_a_kind_of_value() -> None:
    assert ANSWER_TYPE_CHECK.applies(WHO)
    why = "Why did the Harbor Council delay the vote?"
    assert not ANSWER_TYPE_CHECK.applies(why)
    assert ANSWER_TYPE_CHECK.verdict(why, ["The council delayed it."]).ok


def test_the_asked_for_kind_may_be_part_of_the_answer_name() -> None:
    q = "Which institution is the economist Ada Vell with?"
    assert asked_type(q) == {"institution"}
    assert new_names("Ada Vell is an economist at the Quarrow Institution.", q) == ["Quarrow Institution."]
    assert new_names("John Bolton met John Bolton.", "Who did Bolton meet in Moscow?") == []


def test_verify_drops_supported_claims_that_are_no_answer_and_keeps_the_verdict() -> None:
    item = _item(WHO, "The Quillmark summit was chaired by the host city's mayor on Monday.")
    out = verify("The Quillmark summit was chaired by the host city's mayor [1].", WHO, [item], _SameVector())
    assert out.claims == []
    assert out.dropped == [{"claim": "The Quillmark summit was chaired by the host city's mayor.",
                            "code": "not_an_answer", "reason": "no name in it"}]
    assert out.verdicts == [{"check": "answer_type", "ok": False, "code": "not_an_answer", "detail": "no name in it",
                             "claim": "The Quillmark summit was chaired by the host city's mayor."}]
    # switched off (`answer_type=False`), the supported claim is kept
    kept = verify("The Quillmark summit was chaired by the host city's mayor [1].", WHO, [item], _SameVector(), False)
    assert kept.claims and not kept.verdicts
    named = _item(WHO, "Mayor Ilse Marr chaired the Quillmark summit on Monday.")
    out = verify("Ilse Marr chaired the Quillmark summit [1].", WHO, [named], _SameVector())
    assert out.claims == [("Ilse Marr chaired the Quillmark summit.", [1])] and not out.verdicts


def test_a_single_capitalised_word_of_a_headline_names_no_one() -> None:
    q = "Who will succeed Ada Vell as head of Quarrow?"
    assert new_names("Ada Vell's Run as Quarrow Head Could End as Early as 2031.", q) == []
    assert new_names("Tomas Reyes Named to Succeed Ada Vell", q) == ["Tomas Reyes Named"]  # two words: a name
    assert new_names("The board said Early would take over.", q) == ["Early"]  # a sentence: capitals mark names
    assert new_names("Tomas Reyes met Lina Ovo in Quarrow.", q) == ["Tomas Reyes", "Lina Ovo"]
