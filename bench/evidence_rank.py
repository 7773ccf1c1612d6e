"""Fit the evidence rank model (qa/evidence.py, `RANK_FEATURES`) on labelled sentences of the tune split.

    python -m bench.evidence_rank collect     # every retrieved sentence of the single-fact eval questions -> rows
    python -m bench.evidence_rank fit         # rows (tune) -> qa/evidence_rank.json; recall on tune and test

`collect` runs the engine's own retrieve stage (no LLM) over the answerable single-fact questions of the seeds
and rgb sets (corpora ingested by `python -m bench.eval_all`), and writes one row per question to
bench/calibration/evidence_rank.jsonl: every sentence of the retrieved passages, with its rank features and
its label (does the text the draft is shown hold the gold answer, `qa.evaluate.matches`). `fit` fits a
logistic regression (scikit-learn's default L2, C=1) on the tune rows' sentences and prints, per set and
split, the share of questions whose chosen evidence (`evidence_sentences`, 2 per article at most, each
wording once: `qa.evidence.choose`) holds the answer, under the fitted model and under the gate's `score`.

2026-12-05 (sixth session), `top_k` 8, 4 evidence sentences: rgb tune 0.836 -> 0.861, test 0.798 -> 0.851;
seeds tune 0.875 -> 0.906, test 0.895 -> 0.947 (the gate's score as the ranking -> this model).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from bench.eval_all import ROOT, SETS
from index.settings import Settings
from qa.engine import Engine
from qa.evaluate import load_items, matches, split_of
from qa.evidence import RANK_FEATURES, RANK_MODEL, choose, gate_score
from qa.plan import make_plan

log = logging.getLogger("bench.evidence_rank")
LABELS = ROOT / "bench" / "calibration" / "evidence_rank.jsonl"
SINGLE_FACT = ("seeds_dev", "seeds_own", "rgb_dev", "rgb_own")


def collect(root: Path, out: Path = LABELS) -> int:
    """One row per answerable single-fact question: its retrieved sentences' features and labels."""
    rows: list[dict[str, Any]] = []
    engines: dict[str, Engine] = {}
    for name in SINGLE_FACT:
        corpus, questions = SETS[name]
        engine = engines.setdefault(corpus, Engine(Settings.load({"data_dir": root / corpus, "llm": "none"})))
        for item in load_items(questions):
            if not item.get("answerable", True) or make_plan(item["question"], engine.store.sources()).multi:
                continue
            _, evidence = engine.evidence(item["question"])
            rows.append({"set": name, "id": item["id"], "split": split_of(item["id"]), "sentences": [
                [it.passage.article.id, _wording(it.text), [round(it.features[f], 4) for f in RANK_FEATURES],
                 int(matches(it.context, item["must_contain"]))] for it in evidence.ranked]})
        log.info("%s: %d questions so far", name, len(rows))
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return len(rows)


def _wording(text: str) -> str:
    """A short key of a sentence's words: `choose` counts each wording once, and rows need not carry the text."""
    return hashlib.sha1(" ".join(re.findall(r"\w+", text.lower())).encode()).hexdigest()[:12]


def recall(rows: list[dict[str, Any]], weights: list[float] | None, n: int) -> float:
    """Share of questions whose first `n` chosen sentences (by the weights, or by the gate's score) hold the answer."""
    hits = 0
    for r in rows:
        sents = r["sentences"]
        key = [sum(w * x for w, x in zip(weights, s[2], strict=True)) if weights else s[4] for s in sents]
        order = sorted(range(len(sents)), key=lambda i: key[i], reverse=True)
        picked = choose([(sents[i][0], sents[i][1]) for i in order], n)
        hits += any(sents[order[i]][3] for i in picked)
    return hits / max(1, len(rows))


def fit(labels: Path = LABELS, out: Path = RANK_MODEL) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression

    rows = [json.loads(line) for line in labels.read_text().splitlines() if line.strip()]
    tune = [s for r in rows if r["split"] == "tune" for s in r["sentences"]]
    model = LogisticRegression(C=1.0, max_iter=5000).fit([s[2] for s in tune], [s[3] for s in tune])
    weights = {f: round(float(w), 4) for f, w in zip(RANK_FEATURES, model.coef_[0], strict=True)}
    weights["bias"] = round(float(model.intercept_[0]), 4)
    out.write_text(json.dumps({"fitted_by": "python -m bench.evidence_rank fit", "weights": weights}, indent=1) + "\n")
    n = Settings().evidence_sentences  # the default, whatever a local citewire.toml says
    gate = [row | {"sentences": [s + [gate_score(dict(zip(RANK_FEATURES, s[2], strict=True)))] for s in row["sentences"]]} for row in rows]
    print(f"weights: {weights}\n| sets | split | questions | answer in evidence, gate score | rank model |\n|---|---|---|---|---|")
    for sets in (("rgb_dev", "rgb_own"), ("seeds_dev", "seeds_own")):
        for split in ("tune", "test"):
            part = [r for r in gate if r["set"] in sets and r["split"] == split]
            print(f"| {', '.join(sets)} | {split} | {len(part)} | {recall(part, None, n):.3f} | "
                  f"{recall(part, [weights[f] for f in RANK_FEATURES], n):.3f} |")
    return weights


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cmd", choices=["collect", "fit"])
    p.add_argument("--root", type=Path, default=ROOT / "eval-data", help="where bench.eval_all ingested the corpora")
    args = p.parse_args()
    if args.cmd == "collect":
        log.info("%d questions -> %s", collect(args.root), LABELS)
    else:
        fit()


if __name__ == "__main__":
    main()
