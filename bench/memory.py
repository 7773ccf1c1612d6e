"""Memory over time: one Engine with the embedded LLM answering N questions in a loop on the seed corpus.

    .venv/bin/python -m bench.memory [--n 300] [--threads 1] [--legacy-cache] [--corpus FILE --questions FILE ...]

The questions of ../shared/eval/seeds_dev.jsonl and bench/seeds_probe.jsonl (or of --questions, over --corpus)
are asked in turn, again and again,
as a long-running `citewire serve` or `citewire slack` would be asked all day. RSS is printed every 10 questions
with the prompt cache's state count and real size; the end gives first / after warm-up / last / max RSS and the
growth. `--legacy-cache` puts back the stock `LlamaRAMCache(capacity_bytes=512 MB)` (which does not count the
logits copy each saved state holds), to measure the before. Writes bench/results/memory.json
(memory-legacy.json with --legacy-cache).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import (
    CORPUS,
    ROOT,
    SEED_QUESTIONS,
    WORK,
    apply_threads,
    bench_settings,
    load_average,
    machine,
    peak_rss_mb,
    rss_mb,
    save,
    table,
    verdict,
)

PROBE_QUESTIONS = ROOT / "bench" / "seeds_probe.jsonl"
WARM_UP = 10  # questions before the flatness baseline: the prompt cache and allocator pools fill first
TARGET_GROWTH = 0.10
TARGET_RSS_MB = 4096


def load_questions(paths: list[Path]) -> list[str]:
    out: list[str] = []
    for path in paths:
        if path.is_file():
            out += [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not out:
        sys.exit(f"no questions: none of {', '.join(map(str, paths))} is there")
    return out


def build_index(corpus: Path, data_dir: Path) -> None:
    """The corpus ingested once (re-running ingest on unchanged files embeds nothing)."""
    from index.ingest import ingest

    summary = ingest([corpus], bench_settings(data_dir), progress=False)
    print(f"index of {corpus} in {data_dir}: {summary.line()}", file=sys.stderr)


def cache_info(llm: Any) -> tuple[int, float]:
    """(states, real MB) of the embedded LLM's prompt cache; counts every byte, whichever cache class it is."""
    from qa.llm import state_bytes

    cache = getattr(getattr(llm, "_llama", None), "cache", None)
    states = list(getattr(cache, "cache_state", {}).values())
    return len(states), sum(state_bytes(s) for s in states) / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300, help="questions to answer after the warm-up one (default 300)")
    ap.add_argument("--threads", type=int, help="CPU threads for torch and llama.cpp (default: settings)")
    ap.add_argument("--legacy-cache", action="store_true", help="the stock LlamaRAMCache(512 MB), to measure the before")
    ap.add_argument("--data-dir", type=Path, default=WORK / "memory-seed")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="what to index (default: the seed corpus)")
    ap.add_argument("--questions", type=Path, nargs="+", default=[SEED_QUESTIONS, PROBE_QUESTIONS],
                    help="eval-format files whose questions are asked in turn (default: the seed questions)")
    args = ap.parse_args(argv)

    from qa import get_engine

    overrides = apply_threads(args.threads)
    data_dir = args.data_dir
    build_index(args.corpus, data_dir)
    settings = bench_settings(data_dir, **overrides)
    engine = get_engine(settings)
    t0 = time.perf_counter()
    _ = engine.embedder, engine.llm
    if engine.llm.name == "none":
        sys.exit("the embedded LLM is off (CITEWIRE_LLM=none?); this benchmark measures it")
    if args.legacy_cache:
        from llama_cpp import LlamaRAMCache

        engine.llm._llama.set_cache(LlamaRAMCache(capacity_bytes=512 << 20))  # type: ignore[attr-defined]
    qs = load_questions(args.questions)
    engine.ask(qs[0])  # warm-up answer: the models' first-use allocations are not growth
    rss_loaded = rss_mb()
    print(f"loaded and warmed up in {time.perf_counter() - t0:.1f}s; RSS {rss_loaded:,.0f} MB; "
          f"{len(qs)} questions, cycled; cache: {'stock LlamaRAMCache(512 MB)' if args.legacy_cache else 'counted'}",
          file=sys.stderr)

    series: list[dict[str, Any]] = []
    errors: list[str] = []
    latencies: list[float] = []
    started = time.perf_counter()
    for i, q in enumerate(itertools.islice(itertools.cycle(qs), args.n), start=1):
        t = time.perf_counter()
        try:
            engine.ask(q)
        except Exception as exc:  # counted, not fatal: the point is the memory of a process that keeps going
            errors.append(f"{i}: {type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - t)
        rss = rss_mb()
        states, cache_mb = cache_info(engine.llm)
        series.append({"question": i, "rss_mb": round(rss, 1), "cache_states": states, "cache_mb": round(cache_mb, 1),
                       "elapsed_s": round(time.perf_counter() - started, 1)})
        if i % 10 == 0 or i == args.n:
            print(f"q {i:4d}: RSS {rss:7,.0f} MB  prompt cache {states:2d} states {cache_mb:7,.0f} MB  "
                  f"last 10 mean {sum(latencies[-10:]) / len(latencies[-10:]):5.1f} s", flush=True)

    rss = [p["rss_mb"] for p in series]
    first, last, peak = rss[0], rss[-1], max(rss)
    base = rss[min(WARM_UP, len(rss)) - 1]
    growth = (last - first) / first
    growth_after_warm_up = (last - base) / base
    rows = [["RSS after question 1 (first)", first], [f"RSS after question {min(WARM_UP, len(rss))} (warm)", base],
            ["RSS last", last], ["RSS max", peak], ["growth first -> last", f"{100 * growth:+.1f}%"],
            [f"growth after warm-up (q{min(WARM_UP, len(rss))} -> last)", f"{100 * growth_after_warm_up:+.1f}%"],
            ["prompt cache at the end", f"{series[-1]['cache_states']} states, {series[-1]['cache_mb']:,.0f} MB"],
            ["questions / errors", f"{len(rss)} / {len(errors)}"],
            ["mean seconds per answer", sum(latencies) / len(latencies)]]
    print()
    print(table(rows, ["measure", "value"]))
    flat = abs(growth_after_warm_up) <= TARGET_GROWTH
    small = peak <= TARGET_RSS_MB
    print(f"\nflat within {100 * TARGET_GROWTH:.0f}% after warm-up: {verdict(flat)}; "
          f"under {TARGET_RSS_MB / 1024:.0f} GB: {verdict(small)}")
    for e in errors[:5]:
        print(f"error: {e}", file=sys.stderr)
    save("memory-legacy" if args.legacy_cache else "memory", {
        "n": args.n, "questions": len(qs), "cache": "legacy" if args.legacy_cache else "counted",
        "rss_loaded_mb": round(rss_loaded, 1), "rss_first_mb": first, "rss_warm_mb": base, "rss_last_mb": last,
        "rss_max_mb": peak, "growth": round(growth, 4), "growth_after_warm_up": round(growth_after_warm_up, 4),
        "peak_rss_mb": round(peak_rss_mb(), 1), "errors": errors, "flat": flat, "under_target": small,
        "seconds": round(time.perf_counter() - started, 1), "series": series,
        "machine": {**machine(), "load_average_start": load_average()},
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
