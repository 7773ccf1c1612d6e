"""Which yes/no signal separates gold yes from gold no on MultiHop questions? (AUC per signal, one split)

    python -m bench.yes_no_signals [--split tune|test]

For every Yes/No multi-part question whose parts are all found, it scores: `whole` (the engine's decision
today: the LLM's P(yes) to the whole question over one sentence per part), `min_part` / `mean_part` (P(yes)
to each part's own sub-question over its own sentence), and `wide` (the whole question over the top three
sentences of each part). Prints the AUC of each against the gold answer.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

from bench.calibrate import _gold_yes
from bench.eval_all import ROOT, SHARED
from index.settings import Settings
from qa.engine import get_engine, prompt
from qa.evaluate import load_items, split_of
from qa.multi import gather, yes_no_messages
from qa.plan import make_plan
from qa.retrieve import Filters

FILES = [SHARED / "multihop" / "dev.jsonl", ROOT / "eval" / "multihop_own.jsonl"]
log = logging.getLogger("bench.yes_no_signals")


def auc(rows: list[dict[str, Any]], key: str) -> float | None:
    pos = [r[key] for r in rows if r["gold"]]
    neg = [r[key] for r in rows if not r["gold"]]
    if not pos or not neg:
        return None
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", type=Path, default=ROOT / "eval-data")
    p.add_argument("--split", default="tune", choices=["tune", "test"])
    args = p.parse_args()
    settings = Settings.load({"data_dir": args.root / "mh"})
    engine = get_engine(settings)
    system, user = prompt("yes_no_system"), prompt("yes_no_user")
    rows: list[dict[str, Any]] = []
    for path in FILES:
        for item in load_items(path):
            gold = _gold_yes(item)
            if split_of(item["id"]) != args.split or gold is None:
                continue
            plan = make_plan(item["question"], engine.store.sources())
            if not plan.multi or plan.kind not in ("yes_no", "temporal"):
                continue
            parts = gather(plan, engine.store, engine.embedder, settings, Filters())
            if not all(pe.found for pe in parts):
                continue
            p_yes = engine.llm.yes_probability
            per = [p_yes(yes_no_messages(pe.part.text.strip(" ?,") + "?", [pe], system, user)) for pe in parts]
            wide = "\n".join(f"({pe.items[0].passage.article.source}) " + " ".join(e.text for e in pe.items[:3])
                             for pe in parts)
            msgs = yes_no_messages(plan.question, parts, system, user)
            msgs[-1]["content"] = user.format(sources=wide, question=plan.question)
            rows.append({"id": item["id"], "gold": gold, "min_part": min(per), "mean_part": sum(per) / len(per),
                         "whole": p_yes(yes_no_messages(plan.question, parts, system, user)),
                         "wide": p_yes(msgs)})
            log.info(json.dumps(rows[-1]))
    print(f"{args.split}: {len(rows)} questions, {sum(r['gold'] for r in rows)} gold yes")
    for key in ("whole", "min_part", "mean_part", "wide"):
        print(f"{key:10} AUC {auc(rows, key)}")


if __name__ == "__main__":
    main()
