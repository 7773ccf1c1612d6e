"""Ingest throughput vs raw embedding, incremental re-ingest, and ingest memory.

    .venv/bin/python -m bench.ingest [--chunks 2000] [--threads 1] [--rounds 2]

In one process, on the same chunk texts: (A) the raw baseline `get_embedder(...).encode(texts)` (the model's own
batching at settings.embed_batch_size) and (B) the full `index.ingest.ingest` pipeline from JSONL files (load, hash
diff, clean, chunk, embed, Chroma + SQLite writes). The corpus is split into parts of --part articles (one file
each); every part is embedded raw and ingested back to back, in alternating order, so that drift in the load of a
shared machine hits both sides alike; --rounds repeats this into fresh data dirs. The ratio is of the sums.
Then: re-ingest of the unchanged corpus (3 runs), and one changed article.
RSS is taken after each part of the first round: if it stays flat as the index grows, ingest memory does not
grow with corpus size.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import (
    RssSampler,
    apply_threads,
    bench_settings,
    load_average,
    machine,
    prepared_chunks,
    real_articles,
    replicate,
    rss_mb,
    save,
    table,
    verdict,
    write_jsonl,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n")[0])
    ap.add_argument("--chunks", type=int, default=2000, help="replicate the real corpus to about this many chunks")
    ap.add_argument("--rounds", type=int, default=2, help="rounds over the whole corpus")
    ap.add_argument("--part", type=int, default=250, help="articles per JSONL file = per raw/ingest step")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data dirs")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's, 2 here)")
    args = ap.parse_args(argv)
    overrides = apply_threads(args.threads)

    from index.embed import get_embedder
    from index.ingest import ingest
    from index.store import Store

    info = machine()
    info["threads"] = args.threads or "default"
    work = Path(tempfile.mkdtemp(prefix="citewire-bench-ingest-"))
    settings = bench_settings(work / "data", **overrides)
    real = real_articles()
    per_copy = sum(len(prepared_chunks(a, settings)[1]) for a in real)
    copies = max(1, round(args.chunks / per_copy))
    articles = replicate(real, copies)
    files = write_jsonl(articles, work / "corpus", per_file=args.part)
    texts = [c.embedding_text(a) for a in articles for c in prepared_chunks(a, settings)[1]]
    n_chars = sum(len(t) for t in texts)
    print(f"corpus: {len(articles)} articles ({len(real)} real x {copies}), {len(texts)} chunks, "
          f"{n_chars / len(texts):.0f} chars/chunk, {len(files)} JSONL files; batch size {settings.embed_batch_size}",
          file=sys.stderr)

    rss_start = rss_mb()
    embedder = get_embedder(settings.embedding_model, settings.embed_batch_size)
    embedder.encode(texts[:64])  # load + warm up; shared with the pipeline (same cached embedder)
    rss_model = rss_mb()

    # Rounds over the corpus part by part (one JSONL file each), each part embedded raw and ingested (incrementally,
    # into the round's data dir) back to back, the order alternating: drift in the load of a shared machine then
    # hits both sides alike. The ratio is of the sums.
    part_texts = [[c.embedding_text(a) for a in articles[i:i + args.part] for c in prepared_chunks(a, settings)[1]]
                  for i in range(0, len(articles), args.part)]
    bases: list[float] = []
    pipes: list[float] = []
    by_size: list[dict[str, float]] = []
    peak = 0.0
    for r in range(args.rounds):
        settings = bench_settings(work / f"data{r}", **overrides)
        raw_r = ing_r = 0.0
        with RssSampler() as sampler:
            for i, (path, ptexts) in enumerate(zip(files, part_texts, strict=True)):
                for step in ("raw", "ingest") if (r + i) % 2 == 0 else ("ingest", "raw"):
                    if step == "raw":
                        t = time.perf_counter()
                        embedder.encode(ptexts)
                        raw_r += time.perf_counter() - t
                    else:
                        summary = ingest([path], settings, progress=False)
                        assert summary.chunks == len(ptexts), summary.line()
                        ing_r += summary.seconds
                if r == 0:
                    by_size.append({"articles": min((i + 1) * args.part, len(articles)), "rss_mb": round(rss_mb(), 1)})
        peak = max(peak, sampler.peak)
        bases.append(raw_r)
        pipes.append(ing_r)
        print(f"  round {r + 1}: raw encode {raw_r:.1f}s, ingest {ing_r:.1f}s ({raw_r / ing_r:.0%})", file=sys.stderr)
    base, pipe = sum(bases) / len(bases), sum(pipes) / len(pipes)

    # incremental: unchanged corpus, three times
    reruns = []
    for _ in range(3):
        s = ingest(files, settings, progress=False)
        assert s.chunks == 0 and s.unchanged == len(articles), s.line()
        reruns.append(s.seconds)
    rerun = statistics.median(reruns)

    # one changed article: the longest real one, in the first file
    store = Store(settings)
    before = dict(store.db.execute("SELECT id, article_id FROM chunks"))
    store.close()
    target = max(real, key=lambda a: len(a.text))
    changed = replace(target, text=target.text + "\n\nA correction was appended to this article on a later day.")
    first = [changed if a.id == target.id else a for a in articles]
    write_jsonl(first, work / "corpus", per_file=args.part)
    s_changed = ingest(files, settings, progress=False)
    store = Store(settings)
    after = dict(store.db.execute("SELECT id, article_id FROM chunks"))
    n_target = store.article(target.id).n_chunks  # type: ignore[union-attr]
    in_chroma = store.collection.count()
    store.close()
    others_same = {k for k, v in before.items() if v != target.id} == {k for k, v in after.items() if v != target.id}
    only_its_chunks = s_changed.updated == 1 and s_changed.chunks == n_target and others_same and in_chroma == len(after)

    ratio = (len(texts) / pipe) / (len(texts) / base)
    growth = (by_size[-1]["rss_mb"] - by_size[0]["rss_mb"]) if len(by_size) >= 2 else 0.0
    result: dict[str, Any] = {
        "machine": info,
        "corpus": {"articles": len(articles), "real_articles": len(real), "copies": copies, "chunks": len(texts),
                   "chars_per_chunk": round(n_chars / len(texts)), "files": len(files),
                   "embed_batch_size": settings.embed_batch_size},
        "rounds": args.rounds,
        "baseline_encode_s": [round(x, 2) for x in bases],
        "ingest_runs_s": [round(x, 2) for x in pipes],
        "ratio_per_round": [round(b / p, 3) for b, p in zip(bases, pipes, strict=True)],
        "baseline_chunks_per_s": round(len(texts) / base, 2),
        "ingest_s": round(pipe, 2),
        "ingest_articles_per_s": round(len(articles) / pipe, 2),
        "ingest_chunks_per_s": round(len(texts) / pipe, 2),
        "ratio_vs_raw_encode": round(ratio, 3),
        "reingest_unchanged_s": [round(x, 3) for x in reruns],
        "reingest_pct_of_full": round(100 * rerun / pipe, 2),
        "changed_one_article": {"updated": s_changed.updated, "chunks_embedded": s_changed.chunks,
                                "article_chunks": n_target, "other_chunks_untouched": others_same,
                                "chroma_count_matches_manifest": in_chroma == len(after),
                                "seconds": round(s_changed.seconds, 2)},
        "rss_mb": {"start": round(rss_start, 1), "model_loaded": round(rss_model, 1),
                   "peak_during_ingest": round(peak, 1), "after_each_part": by_size,
                   "growth_first_to_last_part": round(growth, 1)},
        "targets": {"ratio_vs_raw_encode>=0.90": ratio >= 0.90, "reingest_pct<=2": 100 * rerun / pipe <= 2,
                    "change_reembeds_only_its_chunks": only_its_chunks},
    }

    rows = [
        [f"raw encode (baseline, mean of {len(bases)})", f"{base:.1f}", "", f"{len(texts) / base:.1f}",
         "per round: " + ", ".join(f"{b / p:.0%}" for b, p in zip(bases, pipes, strict=True)), ""],
        [f"ingest pipeline (mean of {len(pipes)})", f"{pipe:.1f}", f"{len(articles) / pipe:.1f}", f"{len(texts) / pipe:.1f}",
         f"{ratio:.0%} of raw (target >= 90%)", verdict(ratio >= 0.90)],
        ["re-ingest, unchanged (median of 3)", f"{rerun:.2f}", "", "",
         f"{100 * rerun / pipe:.2f}% of full (target <= 2%)", verdict(100 * rerun / pipe <= 2)],
        ["one article changed", f"{s_changed.seconds:.2f}", "", "",
         f"{s_changed.chunks} chunks re-embedded (article has {n_target})", verdict(only_its_chunks)],
    ]
    print(f"\ningest: {len(articles)} articles, {len(texts)} chunks ({n_chars / len(texts):.0f} chars/chunk), "
          f"batch {settings.embed_batch_size}, {info['cpus']} CPUs, threads {info['threads']}, load {info['load_average_start']} -> {load_average()}")
    print(table(rows, ["run", "seconds", "articles/s", "chunks/s", "vs target", ""]))
    print()
    mem_rows = [["start (imports)", f"{rss_start:.0f}"], ["embedding model loaded", f"{rss_model:.0f}"]]
    mem_rows += [[f"after ingesting {q['articles']} articles", f"{q['rss_mb']:.0f}"] for q in by_size]
    mem_rows += [["peak during ingest", f"{peak:.0f}"]]
    print(table(mem_rows, ["ingest process", "RSS MB"]))
    save("ingest" + (f"-threads{args.threads}" if args.threads else ""), result)
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result["targets"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
