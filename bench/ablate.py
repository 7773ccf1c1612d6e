"""What each named check is worth: the eval sets' `test` split with all checks on, then with one check off.

    python -m bench.ablate [--checks year,llm_check,...] [--sets seeds_own,rgb_own,...] [--split test]

Prints one row per run: the items answered right (all sets together) and wrong-but-cited, and the change
against all checks on. A check whose removal does not lower the score is a candidate for deletion.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from bench.eval_all import CORPORA, ROOT, SETS
from index.ingest import ingest
from index.settings import Settings
from qa.checks import CHECKS
from qa.evaluate import ablate

log = logging.getLogger("bench.ablate")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", type=Path, default=ROOT / "eval-data")
    p.add_argument("--sets", default="seeds_own,rgb_own,rgb_dev_neg,multihop_dev")
    p.add_argument("--checks", default=",".join(CHECKS))
    p.add_argument("--split", default="test", choices=["tune", "test", "all"])
    args = p.parse_args()
    checks = args.checks.split(",")
    totals: dict[str, list[int]] = {}
    for name in args.sets.split(","):
        corpus, questions = SETS[name]
        settings = Settings.load({"data_dir": args.root / corpus})
        ingest([CORPORA[corpus]], settings, progress=False)
        log.info("ablating on %s (%s)", name, args.split)
        for run, rep in ablate(questions, settings, checks, split=args.split).items():
            t = totals.setdefault(run, [0, 0, 0])
            t[0] += sum(r["correct"] for r in rep["items"])
            t[1] += sum(r["wrong_cited"] for r in rep["items"])
            t[2] += len(rep["items"])
    base = totals["all checks"]
    print(f"{'run':28} {'right':>8} {'change':>7} {'wrong-but-cited':>16} {'n':>5}")
    for run, (right, wrong, n) in totals.items():
        print(f"{run:28} {right:8d} {right - base[0]:+7d} {wrong:16d} {n:5d}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ablation.json").write_text(json.dumps(totals, indent=1))


if __name__ == "__main__":
    main()
