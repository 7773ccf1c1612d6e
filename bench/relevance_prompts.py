"""Does another wording of the relevance check separate answers to the question from neighbouring facts better?

    python -m bench.relevance_prompts [--split tune|test]

The relevance check (qa/checks/relevance.py) asks the LLM whether a claim its source says answers the question
asked. This re-asks every relevance check recorded in the single-fact eval reports (bench/results/eval-{seeds,
rgb}_*.json, written by `python -m bench.eval_all`; one row per distinct question and claim) under each wording,
and prints per wording the AUC of its P(yes) against the label `bench.calibrate` gives the row (the claim gives
the question's gold answer), the best accuracy over thresholds, and the accuracy at `relevance_threshold`.
`current` is the engine's prompt (qa/prompts/answers_*.txt); the others are candidates. The few-shot examples
are made up (no eval question or article): one per general class of neighbouring fact.

2026-12-05 (this 2-core machine, the reports of 2026-12-04/05), tune, 103 rows (76 true): AUC current 0.813,
focus 0.781, shots 0.753, focus+shots 0.755; best accuracy current 0.835 (at 0.5), focus 0.835, shots and
focus+shots 0.806; at relevance_threshold 0.4: 0.825 / 0.806 / 0.767 / 0.757. Spelling out the classes of
neighbouring fact, or showing examples of them, makes the 1.5B model's P(yes) worse at ranking, so the engine's
prompt stays and `test` was not run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from bench.claim_prompts import accuracy, recorded_checks
from bench.common import auc, split_args
from bench.eval_all import ROOT
from index.settings import Settings
from qa.engine import get_engine, prompt
from qa.evaluate import matches
from qa.llm import Messages

log = logging.getLogger("bench.relevance_prompts")

FOCUS_SYSTEM = (
    "You check whether an answer gives exactly what the question asks for. A related fact is not an answer: "
    "another role (the runner-up is not the winner, a former head is not the current head, the winner is not "
    "the one who was beaten), another award or category, another year or edition, another measure (all medals "
    "are not gold medals, a price range is not the launch price), or something announced but not done. "
    "Reply with one word: yes or no.")

# made-up question/answer pairs, one per general class (the same classes as FOCUS_SYSTEM), yes and no mixed
SHOTS: list[tuple[str, str, str]] = [
    ("Who won the 2011 Lakeside Marathon?", "Jane Roe finished second in the 2011 Lakeside Marathon.", "no"),
    ("When did the Harbor Bridge open?", "The Harbor Bridge opened to traffic on 3 June 2016.", "yes"),
    ("How many gold medals did Chile win at the 2009 Games?", "Chile won 14 medals at the 2009 Games.", "no"),
    ("Who is the chief executive of Acme Bank?", "The board of Acme Bank meets four times a year.", "no"),
    ("Which album won Album of the Year at the 2010 Sound Awards?",
     "Blue Roads won Best Rock Album at the 2010 Sound Awards.", "no"),
    ("Who won the 2011 Lakeside Marathon?", "Tom Park won the Lakeside Marathon for the third time in 2011.", "yes"),
    ("Who did Ana Diaz beat in the 2014 Coast Open final?", "Ana Diaz won the 2014 Coast Open final.", "no"),
    ("Who is the chief executive of Zeta Corp?", "Tom Li, the former chief executive of Zeta Corp, retired in 2012.",
     "no"),
    ("How many gold medals did Chile win at the 2009 Games?", "Chile took 5 golds at the 2009 Games.", "yes"),
    ("When was the Nova X3 phone released?", "The Nova X3 will be revealed at an event next month.", "no"),
]


def _shots() -> Messages:
    turns: Messages = []
    for q, a, reply in SHOTS:
        turns += [{"role": "user", "content": prompt("answers_user").format(question=q, claim=a)},
                  {"role": "assistant", "content": reply}]
    return turns


Variant = Callable[[str, str], Messages]  # (question, claim) -> messages


def _variant(system: str, shots: bool) -> Variant:
    """The engine's user message for (question, claim) after `system` and, with `shots`, the worked examples."""
    before: Messages = [{"role": "system", "content": system}, *(_shots() if shots else [])]
    return lambda q, c: [*before, {"role": "user", "content": prompt("answers_user").format(question=q, claim=c)}]


VARIANTS: dict[str, Variant] = {
    "current": _variant(prompt("answers_system"), shots=False),
    "focus": _variant(FOCUS_SYSTEM, shots=False),
    "shots": _variant(prompt("answers_system"), shots=True),
    "focus+shots": _variant(FOCUS_SYSTEM, shots=True),
}


def labelled_relevance(split: str) -> list[tuple[str, str, str, bool]]:
    """(corpus, question, claim, label) for every distinct relevance check of the split's single-fact items."""
    rows, seen = [], set()
    for corpus, question, item, c in recorded_checks(split):
        if c.get("p_rel") is not None and (question, c["claim"]) not in seen:
            seen.add((question, c["claim"]))
            good = bool(item.get("answerable", True)) and matches(c["claim"], item.get("must_contain") or [])
            rows.append((corpus, question, c["claim"], good))
    return rows


def main() -> None:
    args = split_args(__doc__)
    rows = labelled_relevance(args.split)
    log.info("%d relevance checks (%d labelled true) on %s", len(rows), sum(r[3] for r in rows), args.split)
    engine = get_engine(Settings.load({"data_dir": args.root / "rgb"}))  # the prompt needs no index
    scores: dict[str, list[tuple[float, bool]]] = {k: [] for k in VARIANTS}
    for n, (_, question, claim, good) in enumerate(rows, 1):
        for name, variant in VARIANTS.items():
            scores[name].append((engine.llm.yes_probability(variant(question, claim)), good))
        if n % 20 == 0:
            log.info("%d/%d rows", n, len(rows))
    current = Settings.load(config_file=Path("/nonexistent")).relevance_threshold
    thresholds = [round(0.10 + 0.02 * i, 2) for i in range(41)]
    for name, s in scores.items():
        best = max(thresholds, key=lambda t: accuracy(s, t))
        print(f"{name:12} AUC {auc([v for v, g in s if g], [v for v, g in s if not g]) or 0.0:.3f}  "
              f"best accuracy {accuracy(s, best):.3f} at {best}  at relevance_threshold {current}: "
              f"{accuracy(s, current):.3f}  (n={len(s)})")
    out = ROOT / "bench" / "results" / f"relevance-prompts-{args.split}.json"
    out.write_text(json.dumps({k: [[round(v, 3), g] for v, g in s] for k, s in scores.items()}))


if __name__ == "__main__":
    main()
