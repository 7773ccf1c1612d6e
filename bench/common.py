"""Shared helpers for the benchmarks: the real news corpus, replication, scaled indexes, RSS, tables, results."""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from index.articles import Article, LoadError, iter_file  # noqa: E402
from index.chunks import Chunk, chunk_article  # noqa: E402
from index.clean import clean_text  # noqa: E402
from index.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
RGB_CORPUS = SHARED / "eval" / "rgb" / "corpus.jsonl"
SEED_QUESTIONS = SHARED / "eval" / "seeds_dev.jsonl"
RGB_QUESTIONS = SHARED / "eval" / "rgb" / "dev.jsonl"
WORK = Path(os.environ.get("CITEWIRE_BENCH_DIR", Path(tempfile.gettempdir()) / "citewire-bench"))


# ---- settings and corpus ------------------------------------------------------------------------
def bench_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a benchmark run: its own data dir, no citewire.toml; CITEWIRE_* env vars still apply."""
    return Settings.load({"data_dir": data_dir, **overrides}, config_file=Path("/nonexistent"))


def real_articles() -> list[Article]:
    """The seed corpus (long news articles) and the RGB corpus (969 news snippets), as loaded by citewire."""
    files = sorted(CORPUS.glob("*.md")) + ([RGB_CORPUS] if RGB_CORPUS.is_file() else [])
    out = []
    for path in files:
        for item in iter_file(path):
            if not isinstance(item, LoadError) and item.text.strip():
                out.append(item)
    return out


def replicate(articles: Sequence[Article], copies: int) -> list[Article]:
    """`copies` copies of the articles; copy 0 keeps the ids, copy k gets ids ending in -r{k}."""
    return [a if k == 0 else replace(a, id=f"{a.id}-r{k:03d}") for k in range(copies) for a in articles]


def prepared_chunks(article: Article, settings: Settings) -> tuple[str, list[Chunk]]:
    cleaned = clean_text(article.text, article.title)
    return cleaned, chunk_article(article, cleaned, settings.chunk_chars, settings.chunk_overlap_sentences)


def write_jsonl(articles: Iterable[Article], folder: Path, per_file: int = 500) -> list[Path]:
    """Write articles as JSONL files (what `citewire ingest` reads), `per_file` records each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    fh = None
    for i, a in enumerate(articles):
        if i % per_file == 0:
            if fh:
                fh.close()
            paths.append(folder / f"part-{len(paths):04d}.jsonl")
            fh = paths[-1].open("w", encoding="utf-8")
        assert fh is not None
        fh.write(json.dumps({"id": a.id, "title": a.title, "source": a.source, "url": a.url,
                            "published": a.published, "published_estimated": a.published_estimated,
                            "body": a.text}, ensure_ascii=False) + "\n")
    if fh:
        fh.close()
    return paths


def questions(limit_seed: int = 8, limit_rgb: int = 20, answerable_only: bool = False) -> list[str]:
    out = []
    for path, limit in ((SEED_QUESTIONS, limit_seed), (RGB_QUESTIONS, limit_rgb)):
        if path.is_file():
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            out += [r["question"] for r in rows if r.get("answerable", True) or not answerable_only][:limit]
    return out


# ---- a scaled index without re-embedding -----------------------------------------------------------
def base_vectors(settings: Settings, articles: Sequence[Article]) -> dict[str, Any]:
    """Embed every real chunk once (cached on disk): {chunk id: vector}."""
    import numpy as np

    from index.embed import get_embedder

    cache = WORK / f"base-vectors-{settings.embedding_model.replace('/', '_')}-{settings.chunk_chars}.npz"
    pairs = [(a, c) for a in articles for c in prepared_chunks(a, settings)[1]]
    ids = [c.id for _, c in pairs]
    if cache.is_file():
        data = np.load(cache, allow_pickle=False)
        if list(data["ids"]) == ids:
            return dict(zip(ids, data["vectors"], strict=True))
    embedder = get_embedder(settings.embedding_model, settings.embed_batch_size)
    t = time.perf_counter()
    vectors = embedder.encode([c.embedding_text(a) for a, c in pairs])
    print(f"embedded {len(ids)} unique chunks once in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, ids=np.array(ids), vectors=vectors)
    return dict(zip(ids, vectors, strict=True))


def build_scaled_index(data_dir: Path, target_chunks: int, noise: float = 0.02, seed: int = 0) -> dict[str, Any]:
    """An index of ~target_chunks chunks: the real corpus replicated under new ids, written through Store.

    Copies reuse the real chunks' vectors plus a little Gaussian noise (re-normalised), so they are distinct
    points for HNSW without embedding each copy; the manifest, keyword index and Chroma metadata are exactly what
    an ingest of the same articles would write. Returns what was built.
    """
    import numpy as np

    from index.store import Store

    settings = bench_settings(data_dir)
    articles = real_articles()
    vectors = base_vectors(settings, articles)
    prepared = [(a, *prepared_chunks(a, settings)) for a in articles]
    prepared = [p for p in prepared if p[2]]  # a snippet that cleans to nothing has no chunks
    per_copy = sum(len(cs) for _, _, cs in prepared)
    copies = max(1, round(target_chunks / per_copy))
    rng = np.random.default_rng(seed)
    store = Store(settings, create=True)
    store.set_meta("embedding_model", settings.embedding_model)
    t0 = time.perf_counter()
    written = 0
    batch: list[tuple[Article, str, list[Chunk], Any]] = []
    batch_n = 0
    for k in range(copies):
        for art, cleaned, chunks in prepared:
            copy = art if k == 0 else replace(art, id=f"{art.id}-r{k:03d}")
            new_chunks = [replace(c, id=f"{copy.id}:{copy.content_hash}:{c.index}", article_id=copy.id) for c in chunks]
            vecs = np.stack([vectors[c.id] for c in chunks])
            if k:
                vecs = vecs + rng.normal(0.0, noise / np.sqrt(vecs.shape[1]), vecs.shape).astype(np.float32)
                vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            batch.append((copy, cleaned, new_chunks, vecs))
            batch_n += len(new_chunks)
            if batch_n >= 2000:
                store.replace_articles(batch)
                written += batch_n
                batch, batch_n = [], 0
                print(f"\r  {data_dir.name}: {written} chunks written", end="", file=sys.stderr, flush=True)
    if batch:
        store.replace_articles(batch)
        written += batch_n
    n_articles, n_chunks = store.counts()
    store.set_meta("last_ingest", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    store.close()
    seconds = time.perf_counter() - t0
    print(f"\r  {data_dir.name}: {n_chunks} chunks in {n_articles} articles written in {seconds:.0f}s", file=sys.stderr)
    return {"articles": n_articles, "chunks": n_chunks, "copies": copies, "unique_chunks": per_copy,
            "build_s": round(seconds, 1)}


def ensure_scaled_index(target_chunks: int, rebuild: bool = False) -> Path:
    """The cached scaled index of ~target_chunks (built in a child process, so the caller's RSS stays clean)."""
    data_dir = WORK / f"index-{target_chunks // 1000}k"
    done = data_dir / "bench-built.json"
    if rebuild or not done.is_file():
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
        print(f"building the {target_chunks // 1000}k-chunk index in {data_dir} (once; cached) ...", file=sys.stderr)
        code = ("import json,sys; from pathlib import Path; from bench.common import build_scaled_index; "
                f"info = build_scaled_index(Path({str(data_dir)!r}), {target_chunks}); "
                f"Path({str(done)!r}).write_text(json.dumps(info))")
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return data_dir


def scaled_index_info(data_dir: Path) -> dict[str, Any]:
    path = data_dir / "bench-built.json"
    return json.loads(path.read_text()) if path.is_file() else {}


# ---- threads -------------------------------------------------------------------------------------------
def apply_threads(n: int | None) -> dict[str, Any]:
    """Use n CPU threads for torch (embeddings) and llama.cpp (returned as settings overrides); None: defaults.

    On a 2-core machine that other processes also load, 2 threads can be many times slower than 1: a parallel
    region waits for its descheduled second thread (see bench/README.md)."""
    if not n:
        return {}
    import torch

    torch.set_num_threads(n)
    return {"llm_threads": n}


# ---- measuring ---------------------------------------------------------------------------------------
def rss_mb() -> float:
    """This process's resident set size now, in MB (from /proc: psutil is not a dependency)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import psutil  # not Linux

    return float(psutil.Process().memory_info().rss) / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """Samples this process's RSS every `interval` seconds in a thread; `.peak` in MB."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self.peak = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100) of a non-empty sequence."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * p / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict[str, Any]:
    """What the figures were measured on (they depend on it, and on what else was running)."""
    import chromadb
    import torch

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "torch_threads": torch.get_num_threads(),
            "python": platform.python_version(), "torch": torch.__version__, "chromadb": chromadb.__version__,
            "commit": commit, "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "load_average_start": load_average()}


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain-text (Markdown-compatible) table."""
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells[1:]]
    return "\n".join(lines)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}" if abs(v) < 10 else f"{v:,.1f}"
    return str(v)


def save(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"benchmark": name, **data}
    data.setdefault("machine", {})["load_average_end"] = load_average()
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=_json_default) + "\n")
    print(f"\nwrote {path.relative_to(ROOT)}")
    return path


def _json_default(o: Any) -> Any:
    if hasattr(o, "tolist"):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    return str(o)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def auc(pos: Sequence[float], neg: Sequence[float]) -> float | None:
    """The chance that a positive scores above a negative (ties count half); None without both."""
    if not pos or not neg:
        return None
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def only_ids(text: str) -> set[str]:
    """`--only`: ids comma-separated, or @FILE holding them (one per line or comma-separated)."""
    if text.startswith("@"):
        text = Path(text[1:]).read_text()
    return {i.strip() for i in text.replace("\n", ",").split(",") if i.strip()}


def split_args(doc: str | None, variants: Sequence[str] = ()) -> argparse.Namespace:
    """Log to the console; parse the --root (eval data dirs) and --split options of the eval-split benchmarks
    (and --variants, comma-separated, when the benchmark has `variants` to choose from)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--root", type=Path, default=ROOT / "eval-data")
    p.add_argument("--split", default="tune", choices=["tune", "test"])
    if variants:
        p.add_argument("--variants", default=",".join(variants), help="comma-separated, of: " + ", ".join(variants))
    return p.parse_args()


def collect_or_fit(doc: str | None, collect: Callable[[Path, Path | None], int], fit: Callable[[], object]) -> None:
    """The command line of a fitted setting's benchmark: `collect REPORT... [--items FILE]` adds the labelled rows
    of eval reports (`collect(report, items)` returns how many), `fit` refits from the committed rows."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("reports", type=Path, nargs="+", help="eval reports (citewire eval --out, bench.eval_all)")
    c.add_argument("--items", type=Path, help="the questions file, for a report that does not name it")
    c.add_argument("--settings", help="comma-separated: collect (and replace) only these settings' rows")
    sub.add_parser("fit")
    args = p.parse_args()
    if args.cmd == "collect":
        only = {"settings": set(args.settings.split(","))} if args.settings else {}
        if only and "settings" not in inspect.signature(collect).parameters:
            p.error("--settings: this benchmark labels one setting; leave it out")
        for report in args.reports:
            logging.getLogger("bench").info("%d labelled rows from %s", collect(report, args.items, **only), report)
    else:
        fit()
