"""Is the answer among what the draft sees? Evidence selection measured without the LLM, in seconds.

    python -m bench.evidence_recall [--split tune|test] [--root eval-data]

For every answerable single-fact question of the seeds and rgb sets (already ingested by `python -m
bench.eval_all`), runs the engine's own retrieve and pick-evidence stages and prints the share of questions
whose gold answer (every `must_contain` group) is in the retrieved passages and in the evidence sentences
the draft is given. An answer missing from the evidence is almost never answered right (rgb_own tune, third
session of 2026-12-04: 1 of 12), so this is the first figure to move when changing retrieval or evidence
selection, before an end-to-end run.

2026-12-04 (third session), evidence dedupe and the fragment rule: rgb_own tune 0.80 -> 0.85 (passages 0.93),
test 0.78 -> 0.82 (0.91); rgb_dev, seeds_own, seeds_dev unchanged.

2026-12-05 (fifth session): "in evidence" reads what the draft is shown (`context`: a sentence starting with
"He"/"It" carries the sentence before it), not the sentence alone: rgb_own tune 0.81 -> 0.82. More evidence,
`CITEWIRE_TOP_K=8 CITEWIRE_EVIDENCE_SENTENCES=6`: rgb_own tune 0.82 -> 0.87 (passages 0.89 -> 0.94), test
0.75 -> 0.84 (0.86 -> 0.91), rgb_dev tune 0.85 -> 0.92; end to end it converted to +2 -1 on 168 questions at
+1.2-1.6 s per answer (docs/quality-log.md), so the defaults stay.
"""

from __future__ import annotations

from bench.common import split_args
from bench.eval_all import SETS
from index.settings import Settings
from qa.engine import Engine
from qa.evaluate import in_split, load_items, matches
from qa.plan import make_plan


def main() -> None:
    args = split_args(__doc__)
    engines: dict[str, Engine] = {}
    print("| set | split | n | answer in passages | answer in evidence |\n|---|---|---|---|---|")
    for name, (corpus, questions) in SETS.items():
        if corpus not in ("seeds", "rgb") or not (args.root / corpus).is_dir():
            continue
        engine = engines.setdefault(corpus, Engine(Settings.load({"data_dir": args.root / corpus})))
        n = in_passages = in_evidence = 0
        for item in in_split(load_items(questions), args.split):
            if not item.get("answerable", True) or make_plan(item["question"], engine.store.sources()).multi:
                continue
            passages, evidence = engine.evidence(item["question"])  # the engine's own stages, no LLM
            n += 1
            in_passages += matches(" ".join(p.text for p in passages), item["must_contain"])
            in_evidence += matches(" ".join(e.context for e in evidence.items), item["must_contain"])
        if n:
            print(f"| {name} | {args.split} | {n} | {in_passages / n:.2f} | {in_evidence / n:.2f} |")


if __name__ == "__main__":
    main()
