"""Every eval set, tune and test side by side: the figures the README's Quality table reports.

    python -m bench.eval_all [--root eval-data] [--sets mh,seeds,...] [--llm none]
    python -m bench.eval_all --sets rgb_own --reuse [--only @ids.txt]    # new questions, or a prefiltered change

Each corpus is ingested once into ROOT/<corpus> (re-runs embed nothing), then each set is evaluated with all
items; rows carry their split, and the table prints the summary of `tune` and of `test` per set. Reports go
to bench/results/eval-<set>.json (the input of `python -m bench.calibrate collect`).

`--reuse` keeps the rows of the set's existing report whose question is unchanged and asks only the rest: the
questions added to a set since its last run (a fresh batch, run once), and those `--only` names (ids
comma-separated, or @FILE) when a code change can alter only them. The report and the table then hold every
item, as a full run of the same code would, without asking the unchanged ones again.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path
from typing import Any

from bench.common import only_ids
from index.ingest import ingest
from index.settings import Settings
from qa.evaluate import evaluate, load_items, report_of

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
CORPORA = {"seeds": ROOT / "corpus", "rgb": SHARED / "rgb" / "corpus.jsonl",
           "rgbneg": SHARED / "rgb" / "corpus_neg.jsonl", "mh": SHARED / "multihop" / "corpus.jsonl"}
SETS = {  # name -> (corpus, questions)
    "seeds_dev": ("seeds", SHARED / "seeds_dev.jsonl"),
    "seeds_own": ("seeds", ROOT / "eval" / "seeds_own.jsonl"),
    "seeds_probe": ("seeds", ROOT / "bench" / "seeds_probe.jsonl"),
    "rgb_dev": ("rgb", SHARED / "rgb" / "dev.jsonl"),
    "rgb_own": ("rgb", ROOT / "eval" / "rgb_own.jsonl"),
    "rgb_dev_neg": ("rgbneg", SHARED / "rgb" / "dev_neg.jsonl"),
    "rgb_own_neg": ("rgbneg", ROOT / "eval" / "rgb_own_neg.jsonl"),
    "multihop_dev": ("mh", SHARED / "multihop" / "dev.jsonl"),
    "multihop_own": ("mh", ROOT / "eval" / "multihop_own.jsonl"),
}
KEYS = ["n", "score", "accuracy", "refusal_rate", "false_refusal_rate", "wrong_cited_rate", "citation_precision",
        "hit_at_5", "evidence_p50_s", "p50_s", "p95_s"]
log = logging.getLogger("bench.eval_all")


def reusable(report: Path, questions: Path, again: set[str]) -> dict[str, dict[str, Any]]:
    """The rows of an earlier report to keep, by id: those whose item is still in `questions` with the same
    question text, except the ids in `again`. No report yet: nothing to keep."""
    if not report.is_file():
        return {}
    asked = {str(i["id"]): i["question"] for i in load_items(questions)}
    rows = json.loads(report.read_text())["items"]
    return {r["id"]: r for r in rows if asked.get(r["id"]) == r.get("question") and r["id"] not in again}


def with_earlier(rows: list[dict[str, Any]], earlier: dict[str, dict[str, Any]],
                 questions: Path) -> list[dict[str, Any]]:
    """This run's rows, and the earlier report's rows of the questions it did not ask (the other split), in the
    questions file's order."""
    new = {r["id"]: r for r in rows}
    ordered = [new.get(str(i["id"])) or earlier.get(str(i["id"])) for i in load_items(questions)]
    return [r for r in ordered if r is not None]


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", type=Path, default=ROOT / "eval-data", help="data dirs, one per corpus")
    p.add_argument("--sets", default=",".join(SETS), help="comma-separated names: " + ", ".join(SETS))
    p.add_argument("--llm", default=None, help="embedded (default) or none")
    p.add_argument("--reuse", action="store_true", help="keep the existing report's rows of unchanged questions")
    p.add_argument("--only", help="with --reuse: ids (comma-separated, or @FILE) asked again all the same")
    p.add_argument("--split", default="all", choices=["tune", "test", "all"],
                   help="ask only this split's questions; the report keeps its rows of the other split")
    args = p.parse_args()
    if args.only and not args.reuse:
        raise SystemExit("error: --only names the questions asked again among reused rows: add --reuse")
    again = only_ids(args.only) if args.only else set()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    lines = ["| set | split | " + " | ".join(KEYS) + " |", "|---" * (len(KEYS) + 2) + "|"]
    for name in args.sets.split(","):
        corpus, questions = SETS[name]
        settings = Settings.load({"data_dir": args.root / corpus, "llm": args.llm})
        ingest([CORPORA[corpus]], settings, progress=False)
        log.info("evaluating %s", name)
        keep = reusable(out / f"eval-{name}.json", questions, again) if args.reuse else None
        report = evaluate(questions, settings, split=args.split, reuse=keep)
        if args.split != "all":  # the other split's rows of the earlier report stay
            report = report_of(with_earlier(report["items"], reusable(out / f"eval-{name}.json", questions, set()),
                                            questions), "all")
        report["questions"] = os.path.relpath(questions, ROOT)  # for bench.calibrate collect
        (out / f"eval-{name}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
        for split in ("tune", "test"):
            part = report["by_split"].get(split)
            if part:
                lines.append(f"| {name} | {split} | " + " | ".join(str(part.get(k)) for k in KEYS) + " |")
        print(lines[-2], lines[-1], sep="\n", flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
