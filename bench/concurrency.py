"""Concurrent askers: N = 1, 4, 16 threads calling qa.ask at once (no LLM, and the embedded LLM) on the 10k index.

    .venv/bin/python -m bench.concurrency [--threads 1] [--llm-clients 1 4 16] [--questions 4]

First every question is asked once by a single client (the reference answers, which also warms the models). Then
for each N, N threads start together (a barrier) and ask: without an LLM every thread asks every question; with
the embedded LLM (one llama.cpp context, requests take turns) thread i asks question i mod Q once, so N requests,
with answers capped at --llm-max-tokens (60) to keep N=16 affordable on 2 cores.
Reported: requests/s, latency p50/p95, errors, and answers that differ from the single-client ones (answer text,
refusal, cited chunk ids).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import traceback
from typing import Any

from bench.common import (
    apply_threads,
    bench_settings,
    ensure_scaled_index,
    load_average,
    machine,
    peak_rss_mb,
    percentile,
    questions,
    save,
    table,
    verdict,
)


def key(answer: Any) -> tuple:
    return (answer.refused, answer.answer, tuple(c.chunk_id for c in answer.citations))


def run_clients(n: int, plan: list[list[str]], settings: Any, reference: dict[str, tuple]) -> dict[str, Any]:
    from qa import ask

    latencies: list[float] = []
    errors: list[str] = []
    mismatches: list[dict[str, Any]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n + 1)

    def client(qs: list[str]) -> None:
        barrier.wait()
        for q in qs:
            t = time.perf_counter()
            try:
                answer = ask(q, settings=settings)
            except Exception as exc:  # counted, not fatal: the point is to see them
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc} @ {traceback.format_exc(limit=3)[-400:]}")
                continue
            dt = time.perf_counter() - t
            with lock:
                latencies.append(dt)
                if key(answer) != reference[q]:
                    mismatches.append({"question": q, "got": answer.answer[:200], "mode": answer.mode})

    threads = [threading.Thread(target=client, args=(plan[i],), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    total = sum(len(p) for p in plan)
    return {"clients": n, "requests": total, "completed": len(latencies), "wall_s": round(wall, 2),
            "requests_per_s": round(len(latencies) / wall, 3) if wall else 0.0,
            "p50_ms": round(1000 * percentile(latencies, 50), 1) if latencies else None,
            "p95_ms": round(1000 * percentile(latencies, 95), 1) if latencies else None,
            "errors": len(errors), "error_samples": errors[:3],
            "different_from_single_client": len(mismatches), "mismatch_samples": mismatches[:3]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.concurrency", description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16], help="N for the no-LLM runs")
    ap.add_argument("--llm-clients", type=int, nargs="*", default=[1, 4, 16], help="N for the embedded-LLM runs")
    ap.add_argument("--questions", type=int, default=4)
    ap.add_argument("--size", type=int, default=10_000, help="index size in chunks (a cached bench index)")
    ap.add_argument("--llm-max-tokens", type=int, default=60,
                    help="answer length for the LLM runs (shorter than the default 120 to keep N=16 affordable)")
    ap.add_argument("--threads", type=int, default=None, help="CPU threads for torch and llama.cpp")
    args = ap.parse_args(argv)
    overrides = apply_threads(args.threads)

    info = machine()
    info["threads"] = args.threads or "default"
    data_dir = ensure_scaled_index(args.size)
    qs = questions(answerable_only=True)[: args.questions]
    result: dict[str, Any] = {"machine": info, "index_chunks": args.size, "questions": qs, "runs": {}}
    rows = []
    for mode, ns in (("none", args.clients), ("embedded", args.llm_clients)):
        if not ns:
            continue
        settings = bench_settings(data_dir, llm=mode, llm_max_tokens=args.llm_max_tokens, **overrides)
        from qa import ask

        t = time.perf_counter()
        reference = {q: key(ask(q, settings=settings)) for q in qs}
        print(f"llm={mode}: single-client reference answers in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        runs = []
        for n in ns:
            if mode == "none":
                plan = [qs[i % len(qs):] + qs[: i % len(qs)] for i in range(n)]  # every thread asks all, rotated
            else:
                plan = [[qs[i % len(qs)]] for i in range(n)]  # N requests: they queue for the one llama.cpp context
            r = run_clients(n, plan, settings, reference)
            print(f"  N={n}: {r['completed']}/{r['requests']} in {r['wall_s']}s, p95 {r['p95_ms']} ms, "
                  f"{r['errors']} errors, {r['different_from_single_client']} different", file=sys.stderr)
            runs.append(r)
            ok = r["errors"] == 0 and r["different_from_single_client"] == 0 and r["completed"] == r["requests"]
            rows.append([mode, n, r["requests"], r["wall_s"], r["requests_per_s"], r["p50_ms"], r["p95_ms"],
                         r["errors"], r["different_from_single_client"], verdict(ok)])
        result["runs"][mode] = runs
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(f"\nconcurrency on the {args.size // 1000}k index, {len(qs)} questions, {info['cpus']} CPUs, "
          f"load {info['load_average_start']} -> {load_average()}")
    print(table(rows, ["llm", "N", "requests", "wall s", "req/s", "p50 ms", "p95 ms", "errors", "≠ single", "ok"]))
    result["targets"] = {"no_errors_and_identical": all(r[-1] == "met" for r in rows)}
    save("concurrency" + (f"-threads{args.threads}" if args.threads else ""), result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
