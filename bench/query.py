"""Query latency at 10k and 100k chunks: retrieval alone, ask without an LLM, ask with the embedded LLM; memory.

    .venv/bin/python -m bench.query [--threads 1] [--sizes 100000 10000] [--rebuild]

The indexes are the real corpus (seed articles + RGB news snippets, ~1k chunks) replicated under new ids with
each real chunk embedded once (see bench.common.build_scaled_index); they are built once in a child process and
cached under $CITEWIRE_BENCH_DIR (default /tmp/citewire-bench). Each size is then measured in a fresh child
process, so its RSS is that of a process holding that index and the models, and nothing else.
--threads N runs torch and llama.cpp with N threads (default: their defaults, 2 here).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    apply_threads,
    bench_settings,
    ensure_scaled_index,
    load_average,
    machine,
    peak_rss_mb,
    percentile,
    questions,
    rss_mb,
    save,
    scaled_index_info,
    table,
    verdict,
)


def ms(x: float) -> float:
    return round(1000 * x, 1)


def stats(xs: list[float]) -> dict[str, float]:
    if not xs:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "min_ms": float("nan"), "n": 0}
    return {"p50_ms": ms(percentile(xs, 50)), "p95_ms": ms(percentile(xs, 95)), "min_ms": ms(min(xs)), "n": len(xs)}


class TimingEmbedder:
    """Wraps the embedder to time each encode call retrieve() makes: the query, then (if any) the texts of
    keyword-only hits, whose similarity it computes by re-encoding them."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.dimension = inner.dimension
        self.calls: list[tuple[int, float]] = []

    def encode(self, texts: list[str]) -> Any:
        t = time.perf_counter()
        out = self.inner.encode(texts)
        self.calls.append((len(texts), time.perf_counter() - t))
        return out


def measure(data_dir: Path, threads: int | None, passes: int, llm_questions: int) -> dict[str, Any]:
    """Everything for one index, in this (fresh) process."""
    overrides = apply_threads(threads)
    rss0 = rss_mb()
    from index.embed import get_embedder
    from index.store import Store
    from qa import Answer, Evidence
    from qa.engine import Engine
    from qa.retrieve import Filters, retrieve

    qs = questions()
    settings = bench_settings(data_dir, llm="none", **overrides)
    store = Store(settings)
    embedder = get_embedder(settings.embedding_model, settings.embed_batch_size)
    rss_models = rss_mb()
    k, cand = settings.top_k, settings.candidates
    t = time.perf_counter()
    retrieve(store, embedder, qs[0], k, cand, Filters())
    cold = time.perf_counter() - t
    for q in qs[1:3]:
        retrieve(store, embedder, q, k, cand, Filters())
    enc, dense, kw, full, reenc, fetch, projected = [], [], [], [], [], [], []
    timed = TimingEmbedder(embedder)
    for _ in range(passes):
        for q in qs:
            t0 = time.perf_counter()
            vec = embedder.encode([q])[0]
            t1 = time.perf_counter()
            store.dense_search(vec, cand, None)
            t2 = time.perf_counter()
            store.keyword_search(q, cand)
            t3 = time.perf_counter()
            timed.calls.clear()
            passages = retrieve(store, timed, q, k, cand, Filters())
            t4 = time.perf_counter()
            enc.append(t1 - t0)
            dense.append(t2 - t1)
            kw.append(t3 - t2)
            full.append(t4 - t3)
            # keyword-only hits re-encoded inside retrieve(); what fetching their stored vectors would cost instead
            re_s = sum(dt for _, dt in timed.calls[1:])
            reenc.append(re_s)
            t5 = time.perf_counter()
            store.chunk_vectors([p.chunk_id for p in passages])
            fetch.append(time.perf_counter() - t5)
            projected.append(t4 - t3 - re_s + (fetch[-1] if re_s else 0.0))
    rss_retrieval = rss_mb()
    engine = Engine(settings)  # the whole ask pipeline without an LLM: retrieve, evidence, verify, compose
    engine.ask(qs[0])
    ask_none = []
    for q in qs:
        t = time.perf_counter()
        engine.ask(q)
        ask_none.append(time.perf_counter() - t)
    out: dict[str, Any] = {
        "index": scaled_index_info(data_dir), "chunks": store.counts()[1], "threads": threads or "default",
        "retrieve_cold_first_ms": ms(cold), "retrieve": stats(full), "query_embedding": stats(enc),
        "chroma_dense": stats(dense), "fts5_keyword": stats(kw), "ask_llm_none": stats(ask_none),
        "reencode_keyword_only_hits": stats(reenc), "fetch_stored_vectors_top_k": stats(fetch),
        "retrieve_if_stored_vectors_used": stats(projected),
        "rss_mb": {"imports": round(rss0, 1), "index_opened_and_embedder": round(rss_models, 1),
                   "after_retrieval": round(rss_retrieval, 1)},
    }
    if llm_questions:
        out["ask_embedded_llm"] = ask_with_llm(data_dir, qs, llm_questions, overrides, Engine, Evidence, Answer)
        out["rss_mb"]["with_embedded_llm"] = round(rss_mb(), 1)
    out["rss_mb"]["peak"] = round(peak_rss_mb(), 1)
    return out


def ask_with_llm(data_dir: Path, qs: list[str], n_questions: int, overrides: dict[str, Any],
                 Engine: Any, Evidence: Any, Answer: Any) -> dict[str, Any]:
    engine = Engine(bench_settings(data_dir, **overrides))  # llm = embedded
    t = time.perf_counter()
    _ = engine.llm
    load = time.perf_counter() - t
    engine.ask(qs[0])  # warm-up: first prompt evaluation
    evid, first, total, modes, internal = [], [], [], [], []
    for q in qs[:n_questions]:
        t0 = time.perf_counter()
        t_ev = t_first = None
        answer = None
        for event in engine.ask_stream(q):
            now = time.perf_counter() - t0
            if isinstance(event, Evidence) and t_ev is None:
                t_ev = now
            elif isinstance(event, str) and t_first is None:
                t_first = now
            elif isinstance(event, Answer):
                answer = event
        tt = time.perf_counter() - t0
        evid.append(t_ev if t_ev is not None else tt)
        if t_first is not None:
            first.append(t_first)
        total.append(tt)
        modes.append(answer.mode if answer else "?")
        internal.append(answer.timings if answer else {})
    keys = sorted({k for d in internal for k in d})
    return {"n": len(total), "llm_load_s": round(load, 1), "evidence": stats(evid), "first_token": stats(first),
            "total": stats(total), "modes": dict(sorted({m: modes.count(m) for m in modes}.items())),
            "engine_timings_median_s": {k: round(statistics.median(d[k] for d in internal if k in d), 3) for k in keys}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.query", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 10_000])
    ap.add_argument("--llm-sizes", type=int, nargs="*", default=None,
                    help="sizes to time full asks with the embedded LLM on (default: the largest)")
    ap.add_argument("--llm-questions", type=int, default=6)
    ap.add_argument("--passes", type=int, default=2, help="passes over the question set for retrieval")
    ap.add_argument("--threads", type=int, default=None, help="CPU threads for torch and llama.cpp")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child mode: measure this data dir, print JSON
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.threads, args.passes, args.llm_questions)))
        return 0
    llm_sizes = args.llm_sizes if args.llm_sizes is not None else [max(args.sizes)]

    info = machine()
    info["threads"] = args.threads or "default"
    result: dict[str, Any] = {"machine": info, "questions": len(questions()), "sizes": {}}
    for n in args.sizes:
        data_dir = ensure_scaled_index(n, args.rebuild)
        cmd = [sys.executable, "-m", "bench.query", "--one", str(data_dir), "--passes", str(args.passes),
               "--llm-questions", str(args.llm_questions if n in llm_sizes else 0)]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        print(f"measuring {n // 1000}k ...", file=sys.stderr)
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            print(proc.stderr[-3000:], file=sys.stderr)
            return 1
        result["sizes"][str(n)] = json.loads(proc.stdout.strip().splitlines()[-1])

    rows = []
    for n, e in result["sizes"].items():
        r = e["retrieve"]
        rows.append([f"{int(n) // 1000}k ({e['chunks']:,} chunks)", r["p50_ms"], r["p95_ms"], r["min_ms"],
                     e["query_embedding"]["p50_ms"], e["chroma_dense"]["p50_ms"], e["fts5_keyword"]["p50_ms"],
                     e["reencode_keyword_only_hits"]["p50_ms"], e["retrieve_if_stored_vectors_used"]["p50_ms"],
                     e["retrieve_cold_first_ms"], e["ask_llm_none"]["p50_ms"], e["ask_llm_none"]["p95_ms"],
                     verdict(r["p50_ms"] < 50) if int(n) >= 100_000 else ""])
    print(f"\nquery latency (ms), {result['questions']} questions x {args.passes} passes, {info['cpus']} CPUs, "
          f"threads {info['threads']}, load {info['load_average_start']} -> {load_average()}")
    print(table(rows, ["index", "retrieve p50", "p95", "min", "embed q p50", "chroma p50", "fts5 p50",
                       "re-encode kw hits p50", "with stored vectors p50", "cold 1st", "ask(none) p50", "p95",
                       "p50<50ms @100k"]))
    targets: dict[str, bool] = {}
    for n, e in result["sizes"].items():
        if int(n) >= 100_000:
            targets["retrieve_p50<50ms@100k"] = e["retrieve"]["p50_ms"] < 50
        a = e.get("ask_embedded_llm")
        if not a:
            continue
        print(f"\nask with the embedded LLM at {int(n) // 1000}k ({a['n']} questions; LLM load {a['llm_load_s']} s, "
              f"not counted; modes {a['modes']})")
        lrows = [["time to Evidence", a["evidence"]["p50_ms"], a["evidence"]["p95_ms"], "< 1000 ms",
                  verdict(a["evidence"]["p95_ms"] < 1000)],
                 ["time to first LLM token", a["first_token"]["p50_ms"], a["first_token"]["p95_ms"], "< 3000 ms",
                  verdict(a["first_token"]["p95_ms"] < 3000)],
                 ["total", a["total"]["p50_ms"], a["total"]["p95_ms"], "p50 < 8000 ms",
                  verdict(a["total"]["p50_ms"] < 8000)]]
        print(table(lrows, ["", "p50 ms", "p95 ms", "target", ""]))
        targets[f"evidence<1s@{n}"] = a["evidence"]["p95_ms"] < 1000
        targets[f"first_token<3s@{n}"] = a["first_token"]["p95_ms"] < 3000
        targets[f"total_p50<8s@{n}"] = a["total"]["p50_ms"] < 8000
    mem = []
    for n, e in result["sizes"].items():
        m = e["rss_mb"]
        mem.append([f"{int(n) // 1000}k", m["imports"], m["index_opened_and_embedder"], m["after_retrieval"],
                    m.get("with_embedded_llm", ""), m["peak"]])
    print()
    print(table(mem, ["process holding index", "imports", "+ embedder", "after queries", "+ embedded LLM", "peak"]))
    result["targets"] = targets
    save("query" + (f"-threads{args.threads}" if args.threads else ""), result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
