"""Does a timeline list the reports on its story? Fit `timeline_threshold` on labelled topics (no LLM).

    python -m bench.timeline [--root eval-data]

`bench/timeline_topics.jsonl` holds "How did X develop?" questions over the MultiHop articles, each with every
article a reader following the story would want listed (`on_topic`, labelled by reading the articles; a helper
session wrote them on 2026-12-07). For each topic it builds the engine's timeline candidates
(`Engine.timeline_evidence`; the MultiHop corpus ingested by `python -m bench.eval_all`) and takes, per
retrieved article, the best gate score of its sentences (`qa.timeline.timeline_items` lists an article when
that reaches `timeline_threshold`). It prints, on the tune topics, the articles listed, precision, recall and
F1 at each threshold, the tune-best (F1, then the higher threshold), and the test topics' figures at the
tune-best and at the current setting and at `refusal_threshold` (the rule before the setting existed).

2026-12-07 (seventeenth session), 12 topics (4 tune / 8 test): tune-best 0.35, F1 0.78 (0.42 at the gate's
0.58); test F1 0.80 (P 0.74, R 0.87) against 0.54 (P 0.88, R 0.38) at 0.58.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

from bench.eval_all import ROOT
from index.settings import Settings
from qa.engine import Engine
from qa.evaluate import split_of
from qa.plan import timeline_topic

TOPICS = ROOT / "bench" / "timeline_topics.jsonl"
GRID = [round(0.20 + 0.05 * i, 2) for i in range(9)] + [0.58]


def article_rows(engine: Engine, topics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per topic and retrieved article: its best gate score (conflicting sentences aside) and whether it is on
    topic; plus one row per topic with its on-topic count (`gold`)."""
    rows: list[dict[str, Any]] = []
    for t in topics:
        evidence = engine.timeline_evidence(timeline_topic(t["question"]))
        best: dict[str, float] = {}
        for e in evidence.ranked:
            if not e.conflict:
                best[e.passage.article.id] = max(best.get(e.passage.article.id, -1.0), e.score)
        on = set(t["on_topic"])
        rows += [{"topic": t["id"], "score": s, "on_topic": a in on} for a, s in best.items()]
        rows.append({"topic": t["id"], "gold": len(on)})
    return rows


def figures(rows: list[dict[str, Any]], threshold: float) -> dict[str, float]:
    """Articles listed at `threshold`, of them on topic, precision, recall (of every on-topic article) and F1."""
    listed = [r for r in rows if "score" in r and r["score"] >= threshold]
    right = sum(r["on_topic"] for r in listed)
    gold = sum(r["gold"] for r in rows if "gold" in r)
    p, rc = right / max(1, len(listed)), right / max(1, gold)
    return {"listed": len(listed), "right": right, "precision": p, "recall": rc,
            "f1": 2 * p * rc / (p + rc) if p + rc else 0.0}


def fit(rows: list[dict[str, Any]]) -> float:
    """The threshold of the grid with the best F1 (ties: the higher one, which lists fewer articles)."""
    return max(GRID, key=lambda th: (round(figures(rows, th)["f1"], 6), th))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", type=Path, default=ROOT / "eval-data")
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    topics = [json.loads(line) for line in TOPICS.read_text().splitlines() if line.strip()]
    settings = Settings.load({"data_dir": args.root / "mh", "llm": "none"})
    rows = article_rows(Engine(settings), topics)
    tune = [r for r in rows if split_of(r["topic"]) == "tune"]
    test = [r for r in rows if split_of(r["topic"]) == "test"]
    line = "| {} | {:.2f} | {listed} | {right} | {precision:.2f} | {recall:.2f} | {f1:.2f} |"
    print("| split | threshold | listed | on topic | precision | recall | F1 |\n|---|---|---|---|---|---|---|")
    for th in GRID:
        print(line.format("tune", th, **figures(tune, th)))
    best = fit(tune)
    for th in sorted({best, settings.timeline_threshold, settings.refusal_threshold}):
        print(line.format("test", th, **figures(test, th)))
    print(f"tune-best timeline_threshold: {best} (setting: {settings.timeline_threshold})")


if __name__ == "__main__":
    main()
