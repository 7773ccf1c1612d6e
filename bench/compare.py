"""A paired run: the same questions with the default settings and with some settings changed.

    python -m bench.compare --change top_k=5,evidence_rank_model=false [--sets rgb_own,...] [--split test]
    python -m bench.compare --change disabled_checks=open_reader+reader ...    # a list setting: "+" between
    python -m bench.compare --base-from DIR --only @ids.txt --sets rgb_own     # a code change, prefiltered

Every question of the split is asked twice (the models load once; `--base-from DIR` reuses the `base` rows
of an earlier run of the same code and defaults instead of asking again); per set it prints the items right in each
run, how many the change won and lost, and wrong-but-cited. This is how a new mechanism earns its default: it
must win more than it loses on `test` (the README's "Measured and not kept" lists the ones that did not).

A change of code, not of settings: run the earlier code's rows into DIR first (a compare file's `base`, or an
eval report as it is, every split: the run's questions are taken from it; named compare-<set>.json), then, on the
new code, `--base-from DIR` with no `--change`.
`--only` (ids, comma-separated, or @FILE with one per line or comma-separated) asks again only the questions a
prefilter says the change can alter; every other row of the second run is the base row.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import fields
from pathlib import Path
from typing import Any

from bench.common import only_ids
from bench.eval_all import CORPORA, ROOT, SETS
from index.ingest import ingest
from index.settings import Settings
from qa.engine import Engine
from qa.evaluate import evaluate, in_split, load_items

log = logging.getLogger("bench.compare")


def parse_change(text: str) -> dict[str, Any]:
    """`name=value,...` as Settings overrides, each value of its field's type."""
    types = {f.name: f.type for f in fields(Settings)}
    out: dict[str, Any] = {}
    for part in filter(None, text.split(",")):
        name, _, value = part.partition("=")
        kind = types.get(name.strip())
        if kind is None:
            raise SystemExit(f"error: no setting named {name.strip()!r}; see `citewire settings`")
        v = value.strip()
        out[name.strip()] = (tuple(filter(None, v.split("+"))) if "tuple" in str(kind)  # disabled_checks=a+b
                             else v.lower() in ("1", "true", "yes", "on") if "bool" in str(kind)
                             else int(v) if "int" in str(kind) else float(v) if "float" in str(kind) else v)
    return out


def reused(path: Path, ids: list[str]) -> list[dict[str, Any]]:
    """The `base` rows of an earlier paired run (or the `items` of an eval report), for the same questions in the
    same order."""
    data = json.loads(path.read_text())
    rows = data["base"] if "base" in data else data["items"]
    if "base" not in data:  # an eval report holds every split: the run's questions, in the run's order
        by_id = {r["id"]: r for r in rows}
        rows = [by_id[i] for i in ids if i in by_id]
    if [r["id"] for r in rows] != ids:
        raise SystemExit(f"error: {path} holds other questions than this run; run without --base-from")
    log.info("base rows reused from %s", path)
    return list(rows)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", type=Path, default=ROOT / "eval-data")
    p.add_argument("--sets", default="seeds_own,rgb_own,rgb_own_neg")
    p.add_argument("--change", default="", help="settings of the second run, name=value,...; none: the current "
                   "code and defaults, against --base-from rows of earlier code")
    p.add_argument("--only", help="ids (comma-separated, or @FILE) asked again in the second run; the other rows are "
                   "the base rows (needs --base-from)")
    p.add_argument("--split", default="test", choices=["tune", "test", "all"])
    p.add_argument("--base-from", type=Path, help="a folder of earlier compare-<set>.json files whose `base` rows "
                   "ran the same code and settings: reused instead of asking every question again")
    args = p.parse_args()
    if not args.base_from and (args.only or not args.change):
        raise SystemExit("error: --only and a run without --change compare against earlier rows: give --base-from DIR")
    change = parse_change(args.change)
    only = only_ids(args.only) if args.only else None
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"change: {args.change} (split {args.split})",
             f"{'set':14} {'n':>4} {'right':>6} {'changed':>8} {'won':>4} {'lost':>5} {'wrong-cited':>12}"]
    for name in args.sets.split(","):
        corpus, questions = SETS[name]
        settings = Settings.load({"data_dir": args.root / corpus})
        ingest([CORPORA[corpus]], settings, progress=False)
        base = Engine(settings)
        other = Engine(settings.with_overrides(**change))
        other.share_models(base)
        log.info("comparing on %s (%s)", name, args.split)
        ids = [str(i["id"]) for i in in_split(load_items(questions), args.split)]
        a = reused(args.base_from / f"compare-{name}.json", ids) if args.base_from else None
        keep = {r["id"]: r for r in a if r["id"] not in only} if a is not None and only is not None else None
        b = evaluate(questions, other.settings, split=args.split, engine=other, reuse=keep)["items"]
        if a is None:
            a = evaluate(questions, settings, split=args.split, engine=base)["items"]
        (out / f"compare-{name}.json").write_text(json.dumps({"change": change, "base": a, "changed": b},
                                                             indent=1, ensure_ascii=False))
        won = sum(1 for x, y in zip(a, b, strict=True) if y["correct"] and not x["correct"])
        lost = sum(1 for x, y in zip(a, b, strict=True) if x["correct"] and not y["correct"])
        wrong = f"{sum(r['wrong_cited'] for r in a)} -> {sum(r['wrong_cited'] for r in b)}"
        lines.append(f"{name:14} {len(a):4d} {sum(r['correct'] for r in a):6d} {sum(r['correct'] for r in b):8d} "
                     f"{won:4d} {lost:5d} {wrong:>12}")
        print(lines[-1], flush=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
