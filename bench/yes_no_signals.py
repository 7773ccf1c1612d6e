"""Which yes/no signal separates gold yes from gold no on MultiHop questions? (AUC per signal, one split)

    python -m bench.yes_no_signals [--split tune|test]

For every Yes/No multi-part question whose parts are all found, it scores: `engine` (the engine's decision:
`qa.multi.YesNo.p_yes`, the mean of `whole` and `min_part`), `whole` (the whole question over each part's best
sentences), `one_sentence` (the earlier prompt: the whole question over one sentence per part, with outlet, date
and title), `min_part` / `mean_part` (P(yes) to each part's own sub-question over its own sentences). Prints
the AUC of each against the gold answer, for all questions and by group (comparison, temporal, choice), and
writes the rows to bench/results/yes_no_signals-<split>.json. Tune, 76 questions (2026-12-03): whole 0.74,
min part 0.73, mean part 0.72, their mean (engine) 0.76.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bench.calibrate import _gold_yes
from bench.common import auc, split_args
from bench.eval_all import ROOT, SHARED
from index.settings import Settings
from qa.engine import get_engine, prompt
from qa.evaluate import load_items, split_of
from qa.multi import PartEvidence, choice_options, decide_yes_no, gather
from qa.plan import make_plan
from qa.retrieve import Filters

FILES = [SHARED / "multihop" / "dev.jsonl", ROOT / "eval" / "multihop_own.jsonl"]
log = logging.getLogger("bench.yes_no_signals")


def _one_sentence(question: str, parts: list[PartEvidence], system: str, user: str) -> list[dict[str, str]]:
    """The earlier prompt, as a baseline: one best sentence per part, with its outlet, date and title."""
    lines = [f"[{i}] ({pe.items[0].passage.article.source}, {pe.items[0].passage.article.published or 'undated'}) "
             f"{pe.items[0].passage.article.title}: {pe.items[0].text}" for i, pe in enumerate(parts, 1) if pe.found]
    return [{"role": "system", "content": system},
            {"role": "user", "content": user.format(sources="\n".join(lines), question=question)}]


def main() -> None:
    args = split_args(__doc__)
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
            signals = decide_yes_no(plan.question, parts, p_yes, system, user)
            per = signals.parts
            rows.append({"id": item["id"], "gold": gold, "kind": plan.kind,
                         "choice": choice_options(plan.question) is not None, "min_part": min(per),
                         "mean_part": sum(per) / len(per),
                         "one_sentence": p_yes(_one_sentence(plan.question, parts, system, user)),
                         "whole": signals.whole, "engine": signals.p_yes})
            log.info(json.dumps(rows[-1]))
    out = ROOT / "bench" / "results" / f"yes_no_signals-{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=1))
    print(f"{args.split}: {len(rows)} questions, {sum(r['gold'] for r in rows)} gold yes")
    groups = {"all": rows, "yes_no": [r for r in rows if r["kind"] == "yes_no" and not r["choice"]],
              "temporal": [r for r in rows if r["kind"] == "temporal" and not r["choice"]],
              "choice": [r for r in rows if r["choice"]]}
    for name, group in groups.items():
        print(f"{name}: {len(group)} questions, {sum(r['gold'] for r in group)} gold yes")
        for key in ("engine", "whole", "one_sentence", "min_part", "mean_part"):
            pos, neg = [r[key] for r in group if r["gold"]], [r[key] for r in group if not r["gold"]]
            print(f"  {key:10} AUC {auc(pos, neg)}")


if __name__ == "__main__":
    main()
