"""bench.timeline: the figures and the threshold fit over labelled timeline rows (synthetic rows, no index)."""

from __future__ import annotations


def test_figures_and_the_fit_read_precision_and_recall_of_every_on_topic_article() -> None:
    from bench.timeline import figures, fit

    rows = [{"topic": "t1", "score": 0.7, "on_topic": True}, {"topic": "t1", "score": 0.4, "on_topic": True},
            {"topic": "t1", "score": 0.3, "on_topic": False}, {"topic": "t1", "gold": 3}]  # one never retrieved
    at = figures(rows, 0.35)
    assert (at["listed"], at["right"], round(at["precision"], 2), round(at["recall"], 2)) == (2, 2, 1.0, 0.67)
    assert figures(rows, 0.6)["recall"] == 1 / 3
    assert fit(rows) == 0.40  # best F1 from 0.35 to 0.40; the higher threshold of a tie
