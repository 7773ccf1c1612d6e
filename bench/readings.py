"""Record whether the reader check reads back each checked claim, for fitting `check_threshold_read`.

    python -m bench.readings collect rgb_own=bench/results/eval-rgb_own.json ...   # reports -> readings rows
    python -m bench.calibrate collect bench/results/eval-*.json && python -m bench.calibrate fit

The engine reads a claim back (qa/checks/reader.py) only once the LLM's claim check has passed it, so an eval
report says nothing of the claims the check stopped, and a threshold under the current one could not be
fitted from it. This replays the reader over every claim the LLM checked in a question that asks for a value:
the question's evidence is rebuilt (retrieval is deterministic; a question whose evidence no longer matches
the report's is skipped), readings the report recorded are reused, and the engine's own `read_back` decides
(cited sentences first, the first agreeing reading ends it). Rows go to bench/calibration/readings.jsonl:
(questions file, item id, claim hash) -> read back or not, replacing earlier rows of the same items;
`bench.calibrate collect` labels the claims read back as `check_threshold_read` rows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from bench.eval_all import ROOT, SETS
from index.settings import Settings
from qa.checks.agreement import AGREED
from qa.checks.reader import READER_CHECK
from qa.engine import Engine, _Judge, focused
from qa.plan import make_plan
from qa.retrieve import Filters

log = logging.getLogger("bench.readings")
READINGS = ROOT / "bench" / "calibration" / "readings.jsonl"


def claim_key(claim: str) -> str:
    """A claim's row key: its wording hashed (the committed rows carry no answer text)."""
    return hashlib.sha1(claim.encode()).hexdigest()[:12]


def checked_claims(row: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The claims an eval report row's LLM checks weighed (agreed ones aside: `check_threshold_agreed` is
    theirs), each with the (article id, sentence) pairs it was checked against."""
    claims: dict[str, list[tuple[str, str]]] = {}
    for c in row.get("checks") or []:
        if c.get("check", "llm_check") == "llm_check" and c.get("claim") and c.get("agree", 0) < AGREED:
            claims.setdefault(c["claim"], []).append((c["article_id"], c["text"]))
    return claims


def replay(engine: Engine, row: dict[str, Any]) -> dict[str, bool] | None:
    """Whether each checked claim of one report row is read back (None: the evidence has changed since)."""
    claims = checked_claims(row)
    if not claims or not READER_CHECK.applies(row["question"]):
        return {}
    plan = make_plan(row["question"], engine.store.sources())
    if plan.multi or plan.kind == "timeline":
        return {}
    query, filters = focused(row["question"], plan, Filters())
    _, evidence = engine.evidence(query, filters)
    shown = [(e.passage.article.id, e.text) for e in evidence.items]
    if shown != [(e["article_id"], e["text"]) for e in row.get("evidence") or []]:
        return None
    judge = _Judge(engine, query, evidence, {})
    recorded = {(c["article_id"], c["text"]): c["reading"] for c in row.get("checks") or [] if c.get("check") == "reader"}
    for e in evidence.items:
        if (e.passage.article.id, e.text) in recorded:
            judge.readings[(e.passage.article.id, e.start)] = recorded[(e.passage.article.id, e.text)]
    return {claim: judge.read_back(claim, [shown.index(p) + 1 for p in pairs if p in shown])
            for claim, pairs in claims.items()}


def collect(pairs: list[str], root: Path, out: Path = READINGS) -> int:
    """Replay the reports named `set=path`; rows of the same (questions file, id) already in `out` are replaced."""
    old = [json.loads(line) for line in out.read_text().splitlines() if line.strip()] if out.exists() else []
    new: list[dict[str, Any]] = []
    for pair in pairs:
        name, _, path = pair.partition("=")
        corpus, _questions = SETS[name]
        report = json.loads(Path(path).read_text())
        engine = Engine(Settings.load({"data_dir": root / corpus}))
        skipped = 0
        for n, r in enumerate(report["items"], 1):
            read = replay(engine, r)
            if read is None:
                skipped += 1
            for claim, ok in (read or {}).items():
                new.append({"questions": report["questions"], "id": r["id"], "claim": claim_key(claim), "read": ok})
            if n % 50 == 0:
                log.info("%s: %d of %d questions replayed", name, n, len(report["items"]))
        if skipped:
            log.warning("%s: %d questions skipped, their evidence differs from the report's (re-run the eval)",
                        name, skipped)
        done = {(r["questions"], r["id"]) for r in new}  # written after each report: a long replay can be stopped
        rows = [r for r in old if (r["questions"], r["id"]) not in done] + new
        out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return len(new)


def load(path: Path = READINGS) -> dict[tuple[str, str, str], bool]:
    """(questions file, item id, claim hash) -> whether the reader check reads the claim back."""
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return {(r["questions"], r["id"], r["claim"]): r["read"] for r in rows}


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("reports", nargs="+", help="set=report.json, e.g. rgb_own=bench/results/eval-rgb_own.json")
    c.add_argument("--root", type=Path, default=ROOT / "eval-data", help="where bench.eval_all ingested the corpora")
    args = p.parse_args()
    log.info("%d claims replayed -> %s", collect(args.reports, args.root), READINGS)


if __name__ == "__main__":
    main()
