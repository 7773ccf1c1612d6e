"""Does another wording of the LLM claim check separate true claims from wrong ones better? (AUC, one split)

    python -m bench.claim_prompts [--split tune|test] [--variants current,answers]

Re-asks every claim check recorded in the single-fact eval reports (bench/results/eval-{seeds,rgb}_*.json,
written by `python -m bench.eval_all`) under each prompt variant, and prints per variant the AUC of its
P(yes) against the label `bench.calibrate` gives the row (the claim gives the gold answer from a gold source),
the best accuracy over thresholds and the accuracy at the current `check_threshold`. `current` is the
engine's prompt (qa/prompts/claim_*.txt); the others are candidates.

2026-12-03 (this 2-core machine, reports of that day): tune, 94 rows: AUC current 0.636, question 0.704,
dated 0.617, strict 0.605; test, 65 rows: current 0.677, question 0.657, dated 0.679, strict 0.676. The gain
of `question` on tune does not carry over to test, and none beats the engine's prompt there, so it stays.

2026-12-03 (fourth session), same rows: `tense` (will be / was count as the same) AUC tune 0.691, test 0.684;
the mean of two wordings' P(yes), `current+question`, tune 0.737, test 0.727 (current 0.645 / 0.677), but its
best accuracy on test is the current prompt's (0.723) and at `check_threshold` it is level (0.708): a better
ranking that does not change decisions at a threshold, so the engine asks one wording, at half the calls.

2026-12-07 (fifteenth session; from now on the agreed rows, held to their own threshold, are left out): the
quote check's prompt, `answers` ("does the sentence answer the question?", the claim's wording aside). Tune,
241 rows: AUC current 0.633, answers 0.799, min(current,answers) 0.792; at the tune-best 0.44 `answers` passes
156 right / 40 wrong claims against the current prompt's 138 / 54 at 0.78. Test, 152 rows: AUC 0.535, 0.707,
0.694; at 0.44, 96 / 33 against 94 / 36 (re-run with `--variants current,answers`: 0.546, 0.707, 0.693).

2026-12-07 (sixteenth session): min(current,answers) at 0.44 built and run end to end on fresh runs of rgb_own
and rgb_own_neg (docs/quality-log.md): tune +15 -7 questions, test +3 -6; on the fresh test rows the check-level
gain is gone too (right/wrong passed 59/34 -> 61/39). Not kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.calibrate import check_label
from bench.common import auc, split_args
from bench.eval_all import ROOT, SETS
from index.settings import Settings
from index.store import ArticleRecord
from qa.checks.agreement import AGREED
from qa.dates import annotate
from qa.engine import Engine, get_engine, prompt
from qa.evaluate import load_items

log = logging.getLogger("bench.claim_prompts")
Variant = Callable[[ArticleRecord, str, str, str], str]  # (article, sentence, claim, question) -> user message
# a variant asked with another system prompt than the claim check's
SYSTEMS = {"answers": "check_system"}

VARIANTS: dict[str, Variant] = {
    "current": lambda a, s, c, q: prompt("claim_user").format(sentence=annotate(s, a.published)[0], claim=c),
    "question": lambda a, s, c, q: (f"Question: {q}\nSource: {annotate(s, a.published)[0]}\nAnswer: {c}\n"
                                    "Does the source say this answer to the question?"),
    "dated": lambda a, s, c, q: prompt("claim_user").format(
        sentence=f"({a.source or 'article'}, published {a.published or 'undated'}; headline: {a.title}) "
                 + annotate(s, a.published)[0], claim=c),
    "tense": lambda a, s, c, q: (f"Source: {annotate(s, a.published)[0]}\nClaim: {c}\n"
                                 "The source may have been written before or after the event. Leaving tense aside "
                                 "(\"will be\" and \"was\" count as the same), does the source state the claim?"),
    "strict": lambda a, s, c, q: (f"Source: {annotate(s, a.published)[0]}\nClaim: {c}\n"
                                  "Does the source state every detail of the claim (who, what, when, which one)?"),
    # the quote check's prompt: does the cited sentence answer the question? (the claim's wording aside)
    "answers": lambda a, s, c, q: prompt("check_user").format(question=q, sentence=annotate(s, a.published)[0]),
}


def recorded_checks(split: str) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(corpus, question, eval item, recorded claim check) for every claim check of the split's single-fact
    items in the eval reports (bench/results/eval-*.json)."""
    for name, (corpus, questions) in SETS.items():
        report = ROOT / "bench" / "results" / f"eval-{name}.json"
        if corpus not in ("seeds", "rgb") or not report.is_file():
            continue
        items = {i["id"]: i for i in load_items(Path(questions))}
        for r in json.loads(report.read_text())["items"]:
            item = items.get(r["id"])
            if item is None or r["split"] != split:
                continue
            for c in r.get("checks") or []:
                if c.get("claim") and c.get("check", "llm_check") == "llm_check":
                    yield corpus, r["question"], item, c


def labelled_checks(split: str) -> list[tuple[str, str, dict[str, Any], bool]]:
    """(corpus, question, recorded check, label) for every claim check of the split's single-fact items."""
    return [(corpus, question, c, check_label(item, c["claim"], c.get("article_id")))
            for corpus, question, item, c in recorded_checks(split)]


def accuracy(scores: list[tuple[float, bool]], threshold: float) -> float:
    return sum((s >= threshold) == good for s, good in scores) / max(1, len(scores))


def main() -> None:
    args = split_args(__doc__, list(VARIANTS))
    asked = [v for v in args.variants.split(",") if v in VARIANTS]
    # an agreed claim is held to its own threshold (check_threshold_agreed): only the others are compared
    rows = [r for r in labelled_checks(args.split) if r[2].get("agree", 0) < AGREED]
    log.info("%d claim checks (%d labelled true) on %s", len(rows), sum(r[3] for r in rows), args.split)
    engines: dict[str, Engine] = {}
    scores: dict[str, list[tuple[float, bool]]] = {k: [] for k in asked}
    for corpus, question, check, good in rows:
        if corpus not in engines:
            engines[corpus] = get_engine(Settings.load({"data_dir": args.root / corpus}))
        engine = engines[corpus]
        article = engine.store.article(check["article_id"])
        if article is None:
            continue
        for name in asked:
            user = VARIANTS[name](article, check["text"], check["claim"], question)
            system = prompt(SYSTEMS.get(name, "claim_system"))
            scores[name].append((engine.llm.yes_probability(
                [{"role": "system", "content": system}, {"role": "user", "content": user}]), good))
    for a, b in (("current", "tense"), ("current", "question")):  # the mean of two wordings' P(yes)
        if a in scores and b in scores:
            scores[f"{a}+{b}"] = [((x + y) / 2, g) for (x, g), (y, _) in zip(scores[a], scores[b], strict=True)]
    if "current" in scores and "answers" in scores:  # both must pass: the claim prompt kept as a veto
        scores["min(current,answers)"] = [(min(x, y), g) for (x, g), (y, _) in
                                          zip(scores["current"], scores["answers"], strict=True)]
    current = Settings.load(config_file=Path("/nonexistent")).check_threshold
    thresholds = [round(0.30 + 0.02 * i, 2) for i in range(35)]
    for name, s in scores.items():
        best = max(thresholds, key=lambda t: accuracy(s, t))
        print(f"{name:20} AUC {auc([v for v, g in s if g], [v for v, g in s if not g]) or 0.0:.3f}  best accuracy {accuracy(s, best):.3f} at {best}  "
              f"at check_threshold {current}: {accuracy(s, current):.3f}  (n={len(s)})")


if __name__ == "__main__":
    main()
