"""Fit `rerank_weight` (qa/checks/rerank.py) on labelled evidence sentences.

    python -m bench.rerank collect bench/results/eval-rgb_own.json [...]   # rows -> bench/calibration/rerank.jsonl
    python -m bench.rerank fit                                              # per weight: top-1 on tune and test

A row is one answerable question's reranked candidates (`Answer.debug["rerank"]`, kept in eval reports):
each sentence's evidence score, the LLM's P(yes) that it answers the question, and its label: does it hold
a gold answer string (`qa.evaluate.matches`)? The fitted weight maximises the share of `tune` questions
whose top-ranked sentence holds the answer, among those where one of the candidates does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.common import collect_or_fit
from qa.checks.rerank import RERANK_CHECK
from qa.evaluate import load_items, matches, split_of

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "calibration" / "rerank.jsonl"
WEIGHTS = [round(0.1 * i, 1) for i in range(31)]


def collect(report_path: Path, items_path: Path | None = None, out: Path = LABELS) -> int:
    """Add the labelled candidates of one eval report (its questions file: `items_path`, or the one the report
    names) to `out`, replacing earlier rows of the same items."""
    report = json.loads(report_path.read_text())
    questions = str(items_path or report["questions"])
    items = {i["id"]: i for i in load_items(ROOT / questions)}
    rows = []
    for r in report["items"]:
        item = items.get(r["id"])
        if item is None or not item.get("answerable", True) or not r.get("rerank"):
            continue
        rows.append({"id": r["id"], "split": split_of(r["id"]), "corpus": corpus_of(questions),
                     "candidates": [{"score": c["score"], "p_yes": c["p_yes"],
                                     "label": matches(c["text"], item["must_contain"])} for c in r["rerank"]]})
    old = [json.loads(line) for line in out.read_text().splitlines()] if out.is_file() else []
    ids = {r["id"] for r in rows}
    out.write_text("".join(json.dumps(r) + "\n" for r in [o for o in old if o["id"] not in ids] + rows))
    return len(rows)


def corpus_of(questions: str) -> str:
    """The corpus a questions file is asked of: 'seeds' (long articles) or 'rgb' (web snippets), by its name."""
    return "rgb" if "rgb" in Path(questions).name or "/rgb/" in questions else "seeds"


def top1(rows: list[dict[str, Any]], weight: float) -> float:
    """The share of questions whose best candidate by score + weight x P(yes) holds the answer."""
    reachable = [r["candidates"] for r in rows if any(c["label"] for c in r["candidates"])]
    hits = sum(RERANK_CHECK.order(cs, [c["score"] for c in cs], [c["p_yes"] for c in cs], weight)[0]["label"]
               for cs in reachable)
    return hits / len(reachable) if reachable else 0.0


def fit(labels: Path = LABELS) -> float:
    """The weight with the best mean top-1 over the corpora on `tune` (each corpus counts alike: snippets
    outnumber long articles); prints tune and test per corpus."""
    rows = [json.loads(line) for line in labels.read_text().splitlines()]
    corpora = sorted({r["corpus"] for r in rows})
    split = {(c, sp): [r for r in rows if r["corpus"] == c and r["split"] == sp]
             for c in corpora for sp in ("tune", "test")}

    def mean_tune(w: float) -> float:
        return sum(top1(split[c, "tune"], w) for c in corpora) / len(corpora)

    best = max(WEIGHTS, key=lambda w: (round(mean_tune(w), 6), -w))  # ties: the smaller weight
    print("questions: " + ", ".join(f"{c} {sp} {len(v)}" for (c, sp), v in split.items()))
    print("| weight | " + " | ".join(f"{c} {sp} top-1" for c in corpora for sp in ("tune", "test")) + " |")
    print("|---" * (1 + 2 * len(corpora)) + "|")
    for w in sorted({0.0, 0.3, 0.5, best, 1.0, 2.0}):
        cells = " | ".join(f"{top1(split[c, sp], w):.3f}" for c in corpora for sp in ("tune", "test"))
        print(f"| {w}{' (fitted)' if w == best else ''} | {cells} |")
    return best


def main() -> None:
    collect_or_fit(__doc__, collect, fit)


if __name__ == "__main__":
    main()
