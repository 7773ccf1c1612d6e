"""Which articles a timeline lists (`qa.timeline`): synthetic sentences, no index."""

from __future__ import annotations

from index.store import ArticleRecord
from qa.evidence import EvidenceItem
from qa.retrieve import Passage
from qa.timeline import timeline_items


def _item(article_id: str, published: str, text: str, score: float, conflict: str = "") -> EvidenceItem:
    article = ArticleRecord(article_id, "h", f"Title {article_id}", "Daily Planet", "", published, False, "", 1)
    item = EvidenceItem(Passage("c", article, text, 0, len(text), 0.0, 0.0), 0, len(text), text, text, text)
    item.score, item.conflict = score, conflict
    return item


def test_one_sentence_per_article_that_reaches_the_threshold_oldest_first() -> None:
    ranked = [  # best rank first, as `EvidenceSet.ranked`
        _item("a3", "2023-11-20", "The jury heard from Park on Monday.", 0.40),
        _item("a1", "2023-11-01", "The trial of Lena Park opened in Riverton.", 0.80),
        _item("a3", "2023-11-20", "Park's lawyer spoke to reporters.", 0.70),  # a3 is listed once, by its first
        _item("a2", "2023-11-08", "Witnesses described the harbour deal.", 0.20),  # under the threshold
        _item("a4", "", "Park's trial resumes.", 0.50),  # undated: last
        _item("a5", "2023-11-02", "The 2019 trial of Lena Park ended.", 0.90, conflict="another year"),
    ]
    listed = timeline_items(ranked, threshold=0.35)
    assert [e.passage.article.id for e in listed] == ["a1", "a3", "a4"]
    assert listed[1].text == "The jury heard from Park on Monday."
    # at the answer gate's stricter threshold, the turns of the story that only name it drop out
    assert [e.passage.article.id for e in timeline_items(ranked, threshold=0.58)] == ["a1", "a3"]
