"""Fit the claim acceptance model (qa/accept.py, `ACCEPT_FEATURES`) on the drafted claims of the tune split.

    python -m bench.claim_accept collect rgb_own=REPORT seeds_own=REPORT ...   # replay drafts -> rows
    python -m bench.claim_accept fit                                           # rows (tune) -> qa/claim_accept.json

`collect` reads eval reports (`citewire eval --out`, `bench.eval_all`, or a `bench.compare` file, whose `base`
rows are used) of single-fact sets, and replays each recorded draft through the engine's own verify stage
over the same evidence (retrieval is deterministic; the drafts are the LLM's, so no draft is generated
again): every (claim, cited sentence) pair the model would weigh gets its features, the LLM's two P(yes)
included, and a label (the claim holds the gold answer, `qa.evaluate.matches`, and its sentence's article is
one the question expects; 0 for every claim of an unanswerable question). Rows go to
bench/calibration/claim_accept.jsonl with the claim's wording hashed, replacing earlier rows of the same items.

`fit` fits a logistic regression (scikit-learn's L2, C=1) on the tune rows, then the threshold that answers
the most tune questions right when each question is replayed (the first draft with a claim at or over the
threshold is the answer; no such draft: refused), and prints that figure beside the recorded rule-by-rule
outcome for tune and test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.eval_all import ROOT, SETS
from index.settings import Settings
from qa.accept import ACCEPT_FEATURES, ACCEPT_MODEL, AcceptModel
from qa.checks import enabled
from qa.cite import verify
from qa.engine import Engine, _Judge, focused
from qa.evaluate import load_items, matches, split_of
from qa.plan import make_plan
from qa.retrieve import Filters

log = logging.getLogger("bench.claim_accept")
LABELS = ROOT / "bench" / "calibration" / "claim_accept.jsonl"
NEUTRAL = AcceptModel({f: 0.0 for f in ACCEPT_FEATURES}, 2.0)  # weighs every candidate, keeps none


def replay(engine: Engine, item: dict[str, Any], drafts: list[str]) -> list[dict[str, Any]]:
    """The weighed (claim, sentence) pairs of each recorded draft of one question, labelled."""
    question = item["question"]
    plan = make_plan(question, engine.store.sources())
    if plan.multi or plan.kind == "timeline":
        return []
    query, filters = focused(question, plan, Filters())
    _, evidence = engine.evidence(query, filters)
    if not evidence.items:
        return []
    expected = set(item.get("sources") or [])
    typed = [e for e in evidence.items if e.typed][:1] or evidence.items[:1]
    rows = []
    for attempt, (draft, shown) in enumerate(zip(drafts, (evidence.items, typed), strict=False)):
        debug: dict[str, Any] = {}
        judge = _Judge(engine, query, evidence, debug)
        verify(draft, query, shown, engine.embedder, enabled(engine.settings, "answer_type"), judge.weigher(shown))
        for c in (c for c in debug.get("checks", []) if c["check"] == "claim_accept"):
            right = bool(item.get("answerable", True) and matches(c["claim"], item["must_contain"])
                         and (not expected or c["article_id"] in expected))
            rows.append({"attempt": attempt, "claim": _key(c["claim"]), "article_id": c["article_id"],
                         "features": [c["features"][f] for f in ACCEPT_FEATURES], "label": int(right)})
    return rows


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def collect(pairs: list[str], root: Path, out: Path = LABELS) -> int:
    """Replay the reports named `set=path`; rows of the same (set, id) already in `out` are replaced."""
    old = [json.loads(line) for line in out.read_text().splitlines() if line.strip()] if out.exists() else []
    new: list[dict[str, Any]] = []
    for pair in pairs:
        name, _, path = pair.partition("=")
        corpus, questions = SETS[name]
        report = json.loads(Path(path).read_text())
        recorded = report.get("items") or report["base"]
        items = {i["id"]: i for i in load_items(questions)}
        engine = Engine(Settings.load({"data_dir": root / corpus}))
        engine.accept_model = NEUTRAL
        for n, r in enumerate(recorded, 1):
            if r["id"] in items and r.get("drafts"):
                new.append({"set": name, "id": r["id"], "split": split_of(r["id"]),
                            "rules_right": bool(r["correct"]), "answerable": bool(items[r["id"]].get("answerable", True)),
                            "pairs": replay(engine, items[r["id"]], r["drafts"])})
            if n % 20 == 0:
                log.info("%s: %d of %d questions replayed", name, n, len(recorded))
        done = {(r["set"], r["id"]) for r in new}  # written after each report: a long replay can be stopped
        rows = [r for r in old if (r["set"], r["id"]) not in done] + new
        out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return len(new)


def simulate(rows: list[dict[str, Any]], model: AcceptModel) -> tuple[int, int]:
    """(questions right, questions answered wrongly) when each question's drafts are kept by `model`."""
    right = wrong = 0
    for r in rows:
        by_attempt: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for p in r["pairs"]:
            by_attempt[p["attempt"]].append(p)
        kept: list[dict[str, Any]] = []
        for attempt in sorted(by_attempt):
            kept = [p for p in by_attempt[attempt]
                    if model.probability(dict(zip(ACCEPT_FEATURES, p["features"], strict=True))) >= model.threshold]
            if kept:
                break
        if kept:
            ok = any(p["label"] for p in kept)
            right += ok
            wrong += not ok
        else:
            right += not r["answerable"]
    return right, wrong


def fit(labels: Path = LABELS, out: Path = ACCEPT_MODEL) -> AcceptModel:
    from sklearn.linear_model import LogisticRegression

    rows = [json.loads(line) for line in labels.read_text().splitlines() if line.strip()]
    tune = [r for r in rows if r["split"] == "tune"]
    pairs = [p for r in tune for p in r["pairs"]]
    lr = LogisticRegression(C=1.0, max_iter=5000).fit([p["features"] for p in pairs], [p["label"] for p in pairs])
    weights = {f: round(float(w), 4) for f, w in zip(ACCEPT_FEATURES, lr.coef_[0], strict=True)}
    weights["bias"] = round(float(lr.intercept_[0]), 4)
    # the threshold: most tune questions right; among equals, the highest (fewer wrong answers)
    grid = [t / 100 for t in range(5, 96)]
    best = max(grid, key=lambda t: (simulate(tune, AcceptModel(weights, t))[0], t))
    model = AcceptModel(weights, best)
    out.write_text(json.dumps({"fitted_by": "python -m bench.claim_accept fit", "threshold": best,
                               "weights": weights}, indent=1) + "\n")
    print(f"weights: {weights}\nthreshold: {best} ({len(pairs)} tune pairs, {sum(p['label'] for p in pairs)} right)")
    print("| split | questions | right, rules (recorded) | right, model (replayed) | answered wrong, model |")
    print("|---|---|---|---|---|")
    for split in ("tune", "test"):
        part = [r for r in rows if r["split"] == split]
        right, wrong = simulate(part, model)
        print(f"| {split} | {len(part)} | {sum(r['rules_right'] for r in part)} | {right} | {wrong} |")
    return model


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("reports", nargs="+", help="set=report.json, e.g. rgb_own=bench/results/compare-rgb_own.json")
    c.add_argument("--root", type=Path, default=ROOT / "eval-data", help="where bench.eval_all ingested the corpora")
    sub.add_parser("fit")
    args = p.parse_args()
    if args.cmd == "collect":
        log.info("%d questions replayed -> %s", collect(args.reports, args.root), LABELS)
    else:
        fit()


if __name__ == "__main__":
    main()
