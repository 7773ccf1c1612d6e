"""Refit citewire's calibrated settings from committed labelled data (the `tune` split only).

    python -m bench.eval_all                                # every eval set -> bench/results/eval-*.json
    python -m bench.calibrate collect bench/results/eval-*.json   # eval reports -> labelled rows
    python -m bench.calibrate fit                           # labelled rows (tune) -> settings

Labels are read off each eval item's gold answer and sources: `yes_no_threshold` (P(yes) of a yes/no
question, label: gold is yes, or the first of two options), `temporal_threshold` (the same for a question
about reports over time: plan kind temporal), `max_missing_names` (names in no article, label: answerable),
`check_threshold` (P(yes) of each LLM check, label: the checked claim gives the gold answer from a gold source), `check_threshold_agreed` (the same, for
claims whose answer value 2+ articles state: qa/checks/agreement.py), `quote_threshold` (P(yes) that a sentence
to be quoted answers the question, asked when no claim survived, label: the sentence gives the gold answer from a
gold source), `relevance_threshold` (P(yes) that a claim its source says answers the question, label: the claim
gives the gold answer).

`collect` turns an eval report (`citewire eval --out`) into labelled rows in bench/calibration/labels.jsonl:
one row per (setting, item) with the measured value and whether the setting should let it through
(`--settings a,b` collects and replaces only those settings' rows). `fit`
chooses each setting's value by the best accuracy on the tune rows (ties: the value nearest the current
default) and prints it beside the accuracy on tune and on test, so a fitted value that does not carry over to
`test` shows. The fitted values are the defaults in index/settings.py. The evidence gate's thresholds
(`refusal_threshold`, `refusal_threshold_long`) are fitted on each question's outcome instead: bench/gate.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import collect_or_fit
from index.settings import Settings
from qa.checks.agreement import AGREED
from qa.evaluate import load_items, matches, split_of
from qa.multi import choice_options, positive_form
from qa.plan import question_kind

LABELS = Path(__file__).parent / "calibration" / "labels.jsonl"


def _gold_yes(item: dict[str, Any]) -> bool | None:
    """Whether the gold answer is the 'yes' side: yes, or the first option of a choice question."""
    gold = str(item.get("answer", "")).strip(" .").lower()
    if gold in ("yes", "no"):
        # a question asked the positive way round ("inconsistent?" as "consistent?"): its P(yes) is of the other side
        return gold == ("no" if positive_form(item["question"]) else "yes")
    options = choice_options(item["question"])
    if options and gold in (options[0].lower(), options[1].lower()):
        return gold == options[0].lower()
    return None


def check_label(item: dict[str, Any], said: str, article_id: str | None) -> bool:
    """An LLM check is right to pass `said` only when it gives the item's gold answer from a gold source."""
    return bool(item.get("answerable", True)) and matches(said, item.get("must_contain") or []) \
        and article_id in set(item.get("sources") or [])


def collect(report_path: Path, items_path: Path | None = None, out: Path = LABELS,
            settings: set[str] | None = None) -> int:
    """Add the labelled rows of one eval report (its questions file: `items_path`, or the one the report
    names, as `python -m bench.eval_all` writes it) to `out`, replacing earlier rows of the same items; with
    `settings`, only the rows of those settings are added and replaced, and every other row stays as it was."""
    report = json.loads(report_path.read_text())
    items = {i["id"]: i for i in load_items(items_path or Path(__file__).resolve().parent.parent / report["questions"])}
    rows = []
    for r in report["items"]:
        item = items.get(r["id"])
        if item is None:
            continue
        if r.get("p_yes") is not None and (gold := _gold_yes(item)) is not None:
            setting = "temporal_threshold" if question_kind(item["question"]) == "temporal" else "yes_no_threshold"
            rows.append({"setting": setting, "id": r["id"], "split": split_of(r["id"]),
                         "value": r["p_yes"], "label": gold})
        if "missing_names" in r:
            rows.append({"setting": "max_missing_names", "id": r["id"], "split": split_of(r["id"]),
                         "value": len(r["missing_names"]), "label": bool(item.get("answerable", True))})
        answerable = bool(item.get("answerable", True))
        if r.get("coverage") is not None and not r["refused"]:
            # an answer's best cited sentence: enough of the question in it to keep the answer?
            rows.append({"setting": "min_question_coverage", "id": r["id"], "split": split_of(r["id"]),
                         "value": r["coverage"], "label": bool(r["correct"])})
        for k, c in enumerate(r.get("checks") or []):
            if c.get("check", "llm_check") != "llm_check":
                continue  # the claim acceptance model's rows are its own (python -m bench.claim_accept)
            # an LLM check is right to pass a claim (or a quoted sentence) that gives the gold answer from a gold
            # source, and right to stop anything else, including every answer to an unanswerable question
            said = c.get("claim") or c.get("text", "")
            good = check_label(item, said, c.get("article_id"))
            setting = "quote_threshold" if not c.get("claim") else \
                "check_threshold_agreed" if c.get("agree", 0) >= AGREED else "check_threshold"
            rows.append({"setting": setting, "id": f"{r['id']}#{k}", "split": split_of(r["id"]),
                         "value": c["p_yes"], "label": bool(good)})
            if c.get("p_rel") is not None:  # asked only of claims whose source says them: does it answer?
                rows.append({"setting": "relevance_threshold", "id": f"{r['id']}#{k}", "split": split_of(r["id"]),
                             "value": c["p_rel"],
                             "label": answerable and matches(said, item.get("must_contain") or [])})
    kept = [json.loads(line) for line in out.read_text().splitlines()] if out.is_file() else []
    if settings is not None:
        rows = [r for r in rows if r["setting"] in settings]
    # every earlier row of the report's items goes, whatever its setting (of `settings`, when given): a row the
    # item no longer gives is stale
    ids = {r["id"] for r in report["items"] if r["id"] in items}
    kept = [r for r in kept if r["id"].split("#")[0] not in ids or (settings is not None and r["setting"] not in settings)]
    kept += rows
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r) + "\n" for r in sorted(kept, key=lambda r: (r["setting"], r["id"]))))
    return len(rows)


# setting -> (candidate values, does a row with this measured value pass at setting value v?)
RULES: dict[str, tuple[list[float], Callable[[float, float], bool]]] = {
    "yes_no_threshold": ([round(0.30 + 0.02 * i, 2) for i in range(34)], lambda value, v: value >= v),
    "temporal_threshold": ([round(0.30 + 0.02 * i, 2) for i in range(34)], lambda value, v: value >= v),
    "max_missing_names": ([0, 1, 2, 3], lambda value, v: value <= v),
    "min_question_coverage": ([round(0.05 * i, 2) for i in range(17)], lambda value, v: value >= v),
    "check_threshold": ([round(0.40 + 0.02 * i, 2) for i in range(28)], lambda value, v: value >= v),
    "check_threshold_agreed": ([round(0.40 + 0.02 * i, 2) for i in range(28)], lambda value, v: value >= v),
    "quote_threshold": ([round(0.40 + 0.02 * i, 2) for i in range(28)], lambda value, v: value >= v),
    "relevance_threshold": ([round(0.10 + 0.02 * i, 2) for i in range(41)], lambda value, v: value >= v),
}


def _accuracy(rows: list[dict[str, Any]], passes: Callable[[float, float], bool], v: float) -> float:
    return sum(passes(r["value"], v) == r["label"] for r in rows) / len(rows) if rows else 0.0


def fit(labels: Path = LABELS) -> dict[str, float]:
    rows = [json.loads(line) for line in labels.read_text().splitlines() if line.strip()]
    defaults = Settings.load(config_file=Path("/nonexistent"))
    fitted: dict[str, float] = {}
    for setting, (values, passes) in RULES.items():
        tune = [r for r in rows if r["setting"] == setting and r["split"] == "tune"]
        test = [r for r in rows if r["setting"] == setting and r["split"] == "test"]
        if not tune:
            continue
        current = float(getattr(defaults, setting))
        best = max(values, key=lambda v: (_accuracy(tune, passes, v), -abs(v - current)))
        fitted[setting] = best
        print(f"{setting:20} fitted {best:<5} tune accuracy {_accuracy(tune, passes, best):.3f} (n={len(tune)})  "
              f"test {_accuracy(test, passes, best):.3f} (n={len(test)})  current default {current}")
    return fitted


def main() -> None:
    collect_or_fit(__doc__, collect, fit)

if __name__ == "__main__":
    main()
