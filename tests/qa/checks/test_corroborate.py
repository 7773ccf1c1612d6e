"""The corroborate check: how many citations of other articles to add per claim, and the search for them
(synthetic sentences; an embedder for which every text means the same, so the support test rests on words)."""

import numpy as np

from index.settings import Settings
from index.store import ArticleRecord
from qa.checks.corroborate import CORROBORATE_CHECK
from qa.cite import corroborate
from qa.evidence import EvidenceItem, sentences
from qa.retrieve import Passage

Q = "What did the Harbor Council decide about the ferry?"
CLAIM = "The Harbor Council voted to close the night ferry in winter."


class _SameVector:
    def encode(self, texts: list[str]) -> np.ndarray:
        return np.full((len(texts), 4), 0.5)


def _item(text: str, article_id: str, question: str = Q, published: str = "2031-05-01") -> EvidenceItem:
    article = ArticleRecord(article_id, "h", "Harbor Council", "Test", "", published, False, "", 1)
    [item] = sentences(question, [Passage(f"{article_id}:0", article, text, 0, len(text), 0.0, 0.0)])
    return item


def test_extra_citations_come_from_the_setting_and_none_when_switched_off() -> None:
    assert CORROBORATE_CHECK.extra_citations(Settings(corroborating_citations=2)) == 2
    assert CORROBORATE_CHECK.extra_citations(Settings()) == Settings().corroborating_citations
    assert CORROBORATE_CHECK.extra_citations(Settings(corroborating_citations=2, disabled_checks=("corroborate",))) == 0
    assert CORROBORATE_CHECK.settings == ("corroborating_citations",)


def test_a_second_article_saying_the_same_is_cited_one_of_the_same_article_is_not() -> None:
    pool = [_item("The Harbor Council voted on Tuesday to close the night ferry in winter.", "a1"),
            _item("Members of the Harbor Council voted to close the night ferry in winter.", "a1"),
            _item("The Harbor Council has voted to close the night ferry during winter.", "a2"),
            _item("Ferry tickets will cost more from June, the operator said.", "a3")]
    extra = CORROBORATE_CHECK.extra_citations(Settings(corroborating_citations=1))
    assert corroborate([(CLAIM, [1])], Q, pool, _SameVector(), extra) == [(CLAIM, [1, 3])]
    off = CORROBORATE_CHECK.extra_citations(Settings(disabled_checks=("corroborate",)))
    assert corroborate([(CLAIM, [1])], Q, pool, _SameVector(), off) == [(CLAIM, [1])]


WHEN = "When will the Harbor Council reopen the night ferry?"
REOPEN = "The Harbor Council will reopen the night ferry on May 3 [3 May 2031]."


def _dated(text: str, article_id: str) -> EvidenceItem:
    return _item(text, article_id, WHEN, "2031-04-20")


def test_a_date_left_without_its_year_is_corroborated_where_it_is_written_in_full() -> None:
    """The cited sentence's year comes from its publication date: the second citation is the sentence that
    writes the whole date, though another says the same earlier in the evidence."""
    pool = [_dated("The Harbor Council will reopen the night ferry on May 3.", "a1"),
            _dated("The Harbor Council said the night ferry will reopen on May 3.", "a2"),
            _dated("The Harbor Council will reopen the night ferry on May 3, 2031.", "a3")]
    assert corroborate([(REOPEN, [1])], WHEN, pool, _SameVector(), 1) == [(REOPEN, [1, 3])]
    # a cited sentence that writes the date in full already: the first other source that supports it
    full = [_dated("The Harbor Council will reopen the night ferry on 3 May 2031.", "a1"), *pool[1:]]
    assert corroborate([(REOPEN, [1])], WHEN, full, _SameVector(), 1) == [(REOPEN, [1, 2])]
    # another date written in full is no reason to prefer a sentence
    other_day = [*pool[:2], _dated("The Harbor Council will reopen the night ferry on May 3, 2030.", "a3")]
    assert corroborate([(REOPEN, [1])], WHEN, other_day, _SameVector(), 1) == [(REOPEN, [1, 2])]


def test_dates_in_full_need_day_month_and_year() -> None:
    from qa.dates import dates_in_full

    assert dates_in_full("It premiered on November 17, 2019, and on 3rd May 2020.") == {"2019-11-17", "2020-05-03"}
    assert dates_in_full("It premieres Sunday, November 17 on Netflix, in May 2020.") == set()
    assert dates_in_full("Fans may 5 2019 times ...") == set()
