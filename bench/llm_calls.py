"""Where an answer's LLM time goes: every LLM call of each answer, by prompt kind (draft, claim check, relevance,
reader, ...), with its count, prompt tokens and seconds.

    .venv/bin/python -m bench.llm_calls [--data-dir eval-data/seeds] [--questions FILE ...] [--n 12]

The calls are timed around the real embedded LLM (nothing is skipped or cached differently); a prompt's kind is
the `qa/prompts/<kind>_system.txt` its system message is. The questions are the first `--n` answerable ones of
the files given (default: the bench's own question list, as `bench.query` asks them).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import ROOT, bench_settings, load_average, machine, questions, save, table

log = logging.getLogger("bench.llm_calls")

PROMPTS = ROOT / "qa" / "prompts"


class TimedLLM:
    """The engine's LLM with every call recorded as (kind, prompt tokens, seconds)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: list[tuple[str, int, float]] = []
        self.kinds = {p.read_text(encoding="utf-8").strip(): p.name.removesuffix("_system.txt")
                      for p in PROMPTS.glob("*_system.txt")}

    def _kind_and_tokens(self, messages: list[dict[str, str]]) -> tuple[str, int]:
        system = next((m["content"].strip() for m in messages if m["role"] == "system"), "")
        text = "\n".join(m["content"] for m in messages)
        llama = getattr(self.inner, "_llama", None)
        tokens = len(llama.tokenize(text.encode(), add_bos=False, special=False)) if llama else len(text.split())
        return self.kinds.get(system, "other"), tokens

    def stream(self, messages: list[dict[str, str]], max_tokens: int, stop: list[str] | None = None) -> Iterator[str]:
        kind, tokens = self._kind_and_tokens(messages)
        t = time.perf_counter()
        yield from self.inner.stream(messages, max_tokens, stop)
        self.calls.append((kind, tokens, time.perf_counter() - t))

    def yes_probability(self, messages: list[dict[str, str]]) -> float:
        kind, tokens = self._kind_and_tokens(messages)
        t = time.perf_counter()
        p = float(self.inner.yes_probability(messages))
        self.calls.append((kind, tokens, time.perf_counter() - t))
        return p


def read_questions(files: list[Path], n: int) -> list[str]:
    out: list[str] = []
    for f in files:
        rows = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        out += [r["question"] for r in rows if r.get("answerable", True)]
    return out[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT / "eval-data" / "seeds")
    ap.add_argument("--questions", type=Path, nargs="*", default=[])
    ap.add_argument("--n", type=int, default=12)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from qa.engine import Engine

    qs = read_questions(args.questions, args.n) if args.questions else questions(answerable_only=True)[:args.n]
    engine = Engine(bench_settings(args.data_dir))
    timed = TimedLLM(engine.llm)
    engine._llm = timed  # the engine's cached LLM, wrapped
    engine.ask(qs[0])  # warm-up
    per_question: list[dict[str, Any]] = []
    for i, q in enumerate(qs, start=1):
        timed.calls.clear()
        t = time.perf_counter()
        answer = engine.ask(q)
        total = time.perf_counter() - t
        per_question.append({"question": q, "total_s": total, "mode": answer.mode, "calls": list(timed.calls)})
        log.info("%d/%d %.1f s, %d LLM calls: %s", i, len(qs), total, len(timed.calls), q[:70])
    kinds: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in per_question:
        for kind, tokens, secs in row["calls"]:
            kinds[kind].append((tokens, secs))
    llm_total = sum(s for rows in kinds.values() for _, s in rows)
    n = len(per_question)
    rows = [[kind, f"{len(v) / n:.2f}", round(statistics.mean(t for t, _ in v)),
             f"{statistics.mean(s for _, s in v):.2f}", f"{sum(s for _, s in v) / n:.2f}",
             f"{100 * sum(s for _, s in v) / llm_total:.0f}%"]
            for kind, v in sorted(kinds.items(), key=lambda kv: -sum(s for _, s in kv[1]))]
    totals = [r["total_s"] for r in per_question]
    print(f"\nLLM calls per answer, {n} questions ({machine()['cpus']} CPUs, load {load_average()}): "
          f"answer p50 {statistics.median(totals):.2f} s, mean {statistics.mean(totals):.2f} s; "
          f"LLM {llm_total / n:.2f} s of it per answer")
    print(table(rows, ["prompt kind", "calls / answer", "prompt tokens", "s / call", "s / answer", "share"]))
    save("llm_calls", {"machine": machine(), "questions": n, "answers": [
        {**r, "calls": [{"kind": k, "tokens": t, "s": round(s, 3)} for k, t, s in r["calls"]]} for r in per_question]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
