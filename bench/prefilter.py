"""Which questions can a code change alter? Snapshot every question's no-LLM stages before and after, and diff.

    python -m bench.prefilter snapshot before.json      # with the old code (git stash, or another checkout)
    python -m bench.prefilter snapshot after.json       # with the change
    python -m bench.prefilter diff before.json after.json --out changed.txt
    python -m bench.eval_all --sets ... --reuse --only @changed.txt   # ask only those again

A snapshot holds, per question of every eval set (ingested by `python -m bench.eval_all`), what the engine
decides before any LLM call: the plan; for a question across reports, each part's chosen sentences and, for
a name question, the whole answer (that path asks no LLM); for a single-fact question, the evidence
sentences with their scores, `plausible` (the gate) and whether each holds the kind of answer asked. A change
to words, plans or evidence that alters none of these cannot alter an answer through them; one that acts
after the draft (a claim check) needs its own prefilter, over the reports' recorded drafts. The diff prints
the changed count per set and split (`test` as counts only) and writes the ids, for `--only`.

    python -m bench.prefilter checks --change check_threshold=0.5 --sets rgb_own --out changed.txt

A change of the LLM check's settings can alter only the questions where some recorded check
(bench/results/eval-<set>.json, `checks` with "check": "llm_check") would get another verdict: those are listed.
A check whose recorded verdict was no and whose relevance P(yes) was therefore never asked counts as changed
when it would now pass.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from bench.compare import parse_change
from bench.eval_all import ROOT, SETS
from index.settings import Settings
from qa.checks import enabled
from qa.checks.agreement import AGREEMENT_CHECK
from qa.checks.llm_check import LLM_CHECK
from qa.checks.relevance import RELEVANCE_CHECK
from qa.engine import Engine, focused
from qa.evaluate import load_items, split_of
from qa.multi import gather
from qa.plan import make_plan
from qa.retrieve import Filters

log = logging.getLogger("bench.prefilter")


def signature(engine: Engine, question: str) -> dict[str, Any]:
    """What the engine decides for `question` before any LLM call (see the module docstring)."""
    plan = make_plan(question, engine.store.sources())
    if plan.multi:
        parts = gather(plan, engine.store, engine.embedder, engine.settings, Filters())
        sig: dict[str, Any] = {"plan": plan.to_dict(),
                               "parts": [[f"{e.passage.article.id}:{e.text}" for e in pe.items] for pe in parts]}
        if plan.kind == "name":
            answer = engine.ask(question)
            sig["answer"], sig["cited"] = answer.answer, [c.article_id for c in answer.citations]
        return sig
    _, evidence = engine.evidence(*focused(question, plan, Filters()))
    return {"plan": plan.to_dict(), "plausible": evidence.plausible,
            "items": [(e.passage.article.id, e.text, round(e.score, 3), e.typed) for e in evidence.items]}


def snapshot(root: Path, sets: list[str]) -> dict[str, dict[str, Any]]:
    """`{"<set>/<id>": signature}` for every question of `sets`, each corpus's engine loaded with no LLM."""
    engines: dict[str, Engine] = {}
    out: dict[str, dict[str, Any]] = {}
    for name in sets:
        corpus, questions = SETS[name]
        engine = engines.setdefault(corpus, Engine(Settings.load({"data_dir": root / corpus, "llm": "none"})))
        items = load_items(questions)
        log.info("%s: %d questions", name, len(items))
        for item in items:
            out[f"{name}/{item['id']}"] = signature(engine, item["question"])
    return out


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The keys whose signature differs, or that only one snapshot has, in `after`'s order then the rest."""
    keys = list(after) + [k for k in before if k not in after]
    return [k for k in keys if before.get(k) != after.get(k)]


def check_flips(rows: list[dict[str, Any]], settings: Settings) -> list[str]:
    """The ids of the eval report rows where a recorded LLM check would decide otherwise under `settings`."""
    out: list[str] = []
    for r in rows:
        for c in r.get("checks") or []:
            if c.get("check", "llm_check") != "llm_check":
                continue
            claim = c.get("claim") or ""
            agreed = bool(claim) and AGREEMENT_CHECK.agreed(c.get("agree", 0)) and enabled(settings, "agreement")
            ok = LLM_CHECK.verdict(c["p_yes"], settings, agreed, quote=not claim).ok
            if ok and claim and c.get("p_rel") is not None:
                ok = RELEVANCE_CHECK.passes(c["p_rel"], settings)
            if ok != c["yes"]:
                out.append(r["id"])
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="write every question's no-LLM signature to a JSON file")
    snap.add_argument("out", type=Path)
    snap.add_argument("--root", type=Path, default=ROOT / "eval-data")
    snap.add_argument("--sets", default=",".join(n for n in SETS if n != "seeds_probe"))
    diff = sub.add_parser("diff", help="list the questions whose signature differs between two snapshots")
    diff.add_argument("before", type=Path)
    diff.add_argument("after", type=Path)
    diff.add_argument("--out", type=Path, help="write the changed ids here, one per line (for --only @FILE)")
    checks = sub.add_parser("checks", help="list the questions whose recorded LLM checks a settings change flips")
    checks.add_argument("--change", required=True, help="settings, name=value,... (as bench.compare's)")
    checks.add_argument("--sets", default="seeds_own,rgb_own,rgb_own_neg")
    checks.add_argument("--out", type=Path, help="write the ids here, one per line (for --only @FILE)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "checks":
        settings = Settings.load(parse_change(args.change), config_file=Path("/nonexistent"))
        reports = [ROOT / "bench" / "results" / f"eval-{name}.json" for name in args.sets.split(",")]
        ids = [i for path in reports if path.is_file()
               for i in check_flips(json.loads(path.read_text())["items"], settings)]
        for split, n in sorted(Counter(split_of(i) for i in ids).items()):
            print(f"{split}: {n}")
        print(f"{len(ids)} questions whose checks flip")
        if args.out:
            args.out.write_text("".join(i + "\n" for i in ids))
        return
    if args.command == "snapshot":
        data = snapshot(args.root, [s.strip() for s in args.sets.split(",") if s.strip()])
        args.out.write_text(json.dumps(data))
        log.info("%d signatures -> %s", len(data), args.out)
        return
    keys = changed(json.loads(args.before.read_text()), json.loads(args.after.read_text()))
    counts = Counter((k.split("/", 1)[0], split_of(k.split("/", 1)[1])) for k in keys)
    for (name, split), n in sorted(counts.items()):
        print(f"{name} {split}: {n}")
    print(f"{len(keys)} questions changed")
    if args.out:
        args.out.write_text("".join(k.split("/", 1)[1] + "\n" for k in keys))


if __name__ == "__main__":
    main()
