"""Fit the evidence gate's thresholds on what the rest of the engine makes of the questions it lets through.

    python -m bench.gate ids --floor 0.4 --out gated.txt       # the questions the gate refuses now, score >= floor
    python -m bench.compare --base-from DIR --only @gated.txt --split all --sets ... \\
        --change refusal_threshold=0.4,refusal_threshold_long=0.4   # ask them with the gate open (DIR: eval reports)
    python -m bench.gate collect --forced bench/results --floor 0.4  # reports + those answers -> labelled rows
    python -m bench.gate fit                                        # per article kind: threshold, tune and test

The gate (`qa.evidence.select_evidence`) refuses before the LLM when no sentence scores `refusal_threshold`
(`refusal_threshold_long` when the best sentence is from a long article: `qa.evidence.gate_long`). Whether a
question is answerable is not the label that matters: behind the gate the LLM's draft and the checks refuse
many answer-free questions themselves. So each question is labelled with both outcomes: right if refused
(it has no answer) and right if let through (the eval report's verdict for a question the gate passes now;
for one it refuses, the verdict of the run above with the gate open). `fit` picks, per kind, the threshold
with the most tune questions right (ties: the current value), from the floor up, and prints tune and test.

Rows go to bench/calibration/gate.jsonl, one per single-fact question of every eval report in
bench/results (`eval-<set>.json`), replacing the earlier rows of the same sets. A report written before the
engine recorded its gate (`debug["gate"]`) gives the first evidence sentence's score and article instead.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from bench.eval_all import ROOT, SETS
from index.settings import Settings
from index.store import Store
from qa.engine import NO_EVIDENCE_DETAIL
from qa.evaluate import split_of

log = logging.getLogger("bench.gate")
LABELS = ROOT / "bench" / "calibration" / "gate.jsonl"
RESULTS = ROOT / "bench" / "results"
GATE_REFUSAL = NO_EVIDENCE_DETAIL
GRID = [round(0.30 + 0.02 * i, 2) for i in range(21)]


LEGACY_THRESHOLD = 0.58  # the one gate threshold of the reports written before the engine recorded its gate


def gate_of(row: dict[str, Any], store: Store | None) -> tuple[float, bool, bool, bool] | None:
    """(score, long article, let through, on a strong sentence: under the threshold it ran with) of a report
    row; None for a question with no gate (one across reports)."""
    if "gate" in row:
        g = row["gate"]
        return g["score"], g["long"], g["plausible"], g["plausible"] and g["score"] < g["threshold"]
    if row.get("best_evidence") is None or not row.get("evidence"):
        return None
    article = store.article(row["evidence"][0]["article_id"]) if store is not None else None
    through = row.get("refusal_reason") != GATE_REFUSAL
    return (row["best_evidence"], bool(article and article.n_chunks > 1), through,
            through and row["best_evidence"] < LEGACY_THRESHOLD)


def gated(report: dict[str, Any], floor: float) -> list[str]:
    """The ids of the questions the gate refused in a report whose score reaches `floor`."""
    out = []
    for r in report["items"]:
        g = gate_of(r, None)
        if g is not None and not g[2] and g[0] >= floor:
            out.append(r["id"])
    return out


def rows_of(name: str, report: dict[str, Any], forced: dict[str, dict[str, Any]], store: Store,
            floor: float) -> list[dict[str, Any]]:
    """The labelled rows of one set: each question's gate and its outcome refused and let through."""
    rows = []
    unknown = 0
    for r in report["items"]:
        if r.get("missing_names"):
            continue  # refused before the gate
        g = gate_of(r, store)
        if g is None:
            continue
        score, long, through, strong = g
        if through:
            passed: bool | None = bool(r["correct"])
        elif score >= floor:
            if r["id"] not in forced:
                unknown += 1
                continue
            passed = bool(forced[r["id"]]["correct"])
        else:
            passed = None  # under every candidate threshold: refused whatever the fit
        rows.append({"set": name, "id": r["id"], "split": split_of(r["id"]), "score": score, "long": long,
                     "through": through, "strong": strong, "refused_right": not r["answerable"], "passed_right": passed})
    if unknown:
        log.warning("%s: %d questions the gate refused at %s or more have no answer with the gate open "
                    "(run bench.compare as the docstring says)", name, unknown, floor)
    return rows


def collect(forced_dirs: list[Path], floor: float, out: Path = LABELS) -> int:
    """Label every eval report's single-fact questions; the answers with the gate open come from the
    `compare-<set>.json` files in `forced_dirs` (their `changed` rows)."""
    old = [json.loads(line) for line in out.read_text().splitlines() if line.strip()] if out.is_file() else []
    new: list[dict[str, Any]] = []
    for name, (corpus, _) in SETS.items():
        path = RESULTS / f"eval-{name}.json"
        if not path.is_file() or name == "seeds_probe":
            continue
        report = json.loads(path.read_text())
        refused = set(gated(report, floor))
        forced: dict[str, dict[str, Any]] = {}
        for d in forced_dirs:
            f = d / f"compare-{name}.json"
            if f.is_file():
                forced |= {r["id"]: r for r in json.loads(f.read_text())["changed"] if r["id"] in refused
                           and r.get("refusal_reason") != GATE_REFUSAL}
        store = Store(Settings.load({"data_dir": ROOT / "eval-data" / corpus}, config_file=Path("/nonexistent")))
        new += rows_of(name, report, forced, store, floor)
    sets = {r["set"] for r in new}
    rows = [r for r in old if r["set"] not in sets] + new
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return len(new)


def right_at(rows: list[dict[str, Any]], threshold: float) -> int:
    """Questions right with the gate at `threshold` (one let through on a strong sentence, `select_evidence`,
    passes at any threshold)."""
    return sum(r["passed_right"] if r["strong"] or r["score"] >= threshold else r["refused_right"] for r in rows)


def fit(labels: Path = LABELS) -> dict[str, float]:
    rows = [json.loads(line) for line in labels.read_text().splitlines() if line.strip()]
    defaults = Settings.load(config_file=Path("/nonexistent"))
    # no answer with the gate open under the floor of the collect: the fit goes no lower
    floor = max((r["score"] for r in rows if r["passed_right"] is None), default=0.0)
    fitted = {}
    for setting, long in (("refusal_threshold", False), ("refusal_threshold_long", True)):
        current = float(getattr(defaults, setting))
        kind = [r for r in rows if r["long"] == long]
        tune, test = ([r for r in kind if r["split"] == split] for split in ("tune", "test"))
        grid = [v for v in GRID if v > floor]
        best = max(grid, key=lambda v: (right_at(tune, v), -abs(v - current)))
        fitted[setting] = best
        print(f"{setting:24} fitted {best:<5} tune {right_at(tune, best)}/{len(tune)} (at {current}: "
              f"{right_at(tune, current)})  test {right_at(test, best)}/{len(test)} (at {current}: {right_at(test, current)})")
    counts = Counter((r["long"], r["split"]) for r in rows)
    log.info("rows: %s", dict(counts))
    return fitted


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("ids", help="list the questions the gate refuses now whose score reaches --floor")
    i.add_argument("--floor", type=float, default=0.4)
    i.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("collect", help="eval reports + answers with the gate open -> bench/calibration/gate.jsonl")
    c.add_argument("--forced", type=Path, nargs="+", default=[RESULTS], help="folders of compare-<set>.json")
    c.add_argument("--floor", type=float, default=0.4)
    sub.add_parser("fit")
    args = p.parse_args()
    if args.cmd == "ids":
        ids = [i for name in SETS if (RESULTS / f"eval-{name}.json").is_file() and name != "seeds_probe"
               for i in gated(json.loads((RESULTS / f"eval-{name}.json").read_text()), args.floor)]
        args.out.write_text("".join(i + "\n" for i in ids))
        log.info("%d questions -> %s", len(ids), args.out)
    elif args.cmd == "collect":
        log.info("%d labelled questions -> %s", collect(args.forced, args.floor), LABELS)
    else:
        fit()


if __name__ == "__main__":
    main()
