"""The ingest pipeline: discover -> load -> diff by hash -> clean -> chunk -> embed in batches -> write.

Loading/cleaning/chunking run in a producer thread and Chroma/SQLite writes in a writer thread, so that the
embedding model (the physical limit on 2 cores) is never waiting for them.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tqdm import tqdm

from index.articles import SUPPORTED_SUFFIXES, Article, LoadError, discover, iter_file
from index.chunks import Chunk, chunk_article
from index.clean import clean_pages, clean_text
from index.embed import get_embedder
from index.errors import UserError
from index.settings import Settings
from index.store import IndexError_, Store

log = logging.getLogger(__name__)

ACCEPTED_SUFFIXES: tuple[str, ...] = SUPPORTED_SUFFIXES  # what `citewire ingest` and the web upload read


class IngestError(UserError, RuntimeError):
    """The ingest as a whole cannot run (bad path, locked index); the message says what to do."""

    exit_code = 1
    http_status = 409  # in the web app: another ingest holds the lock


@dataclass
class IngestSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0  # chunks embedded and written in this run
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        err = f", {len(self.errors)} error(s)" if self.errors else ""
        return (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.removed} removed; "
                f"{self.chunks} chunks embedded in {self.seconds:.1f}s{err}")


ProgressFn = Callable[[int, int], None]
_DONE = object()


class IngestLock:
    """An exclusive lock on the data directory, so two ingests never interleave their writes."""

    def __init__(self, data_dir: Path, wait: bool = False) -> None:
        self.path = data_dir / "ingest.lock"
        self.wait = wait
        self._fh: Any = None

    def __enter__(self) -> IngestLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("a+")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            self._fh.close()
            raise IngestError(f"another ingest is running on {self.path.parent}; wait for it to finish and run this again") from exc
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(str(os.getpid()))
        self._fh.flush()
        return self

    def __exit__(self, *_: Any) -> None:
        fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()


def ingest(
    paths: list[Path],
    settings: Settings,
    prune: bool = False,
    progress: bool = True,
    on_progress: ProgressFn | None = None,
    wait_for_lock: bool = False,
) -> IngestSummary:
    """Index the articles under `paths` incrementally; see IngestSummary for what it reports."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise IngestError(f"no such file or folder: {', '.join(missing)}; check the path")
    started = time.perf_counter()
    summary = IngestSummary()
    with IngestLock(settings.data_dir, wait=wait_for_lock):
        store = Store(settings, create=True)
        try:
            _check_model(store, settings)
            if settings.chroma_url:  # a server that is down, or lacks this index's vectors, fails before any work
                _ = store.vector_store
            store.recover()
            known = store.article_hashes()
            files = list(discover(paths))
            todo, seen = _plan(files, known, summary)
            if todo:
                _run_pipeline(todo, store, settings, summary, progress, on_progress)
            if prune:
                gone = sorted(set(known) - seen)
                summary.removed = store.remove_articles(gone)
            store.set_meta("last_ingest", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
            store.set_meta("embedding_model", settings.embedding_model)
        finally:
            store.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _check_model(store: Store, settings: Settings) -> None:
    used = store.meta("embedding_model")
    if used and used != settings.embedding_model:
        raise IndexError_(
            f"this index was built with embedding model {used!r}, not {settings.embedding_model!r}; "
            "use that model or a new --data-dir"
        )


def _plan(files: list[Path], known: dict[str, str], summary: IngestSummary) -> tuple[list[tuple[Article, bool]], set[str]]:
    """Load every file once; keep only new or changed articles (the hash diff). Returns (todo, all ids seen)."""
    todo: list[tuple[Article, bool]] = []
    seen: dict[str, str] = {}
    for path in files:
        for item in iter_file(path):
            if isinstance(item, LoadError):
                summary.errors.append(str(item))
                log.debug("%s", item)  # the caller reports summary.errors (the CLI prints each once)
                continue
            if item.id in seen:
                msg = f"{item.path}: article id {item.id!r} also comes from {seen[item.id]}; kept the first, rename one"
                summary.errors.append(msg)
                log.debug("%s", msg)
                continue
            seen[item.id] = item.path
            if not item.text.strip():
                msg = f"{item.path}: article {item.id!r} has no text; skipped"
                summary.errors.append(msg)
                log.debug("%s", msg)
                continue
            old = known.get(item.id)
            if old == item.content_hash:
                summary.unchanged += 1
            else:
                todo.append((item, old is not None))
    return todo, set(seen)


def _prepare(todo: list[tuple[Article, bool]], settings: Settings) -> Iterator[tuple[Article, bool, str, list[Chunk]]]:
    for art, existed in todo:
        if art.pages:
            cleaned, starts = clean_pages(art.pages, art.title)
            art = replace(art, page_starts=starts)
        else:
            cleaned = clean_text(art.text, art.title)
        yield art, existed, cleaned, chunk_article(art, cleaned, settings.chunk_chars, settings.chunk_overlap_sentences)


def _run_pipeline(todo: list[tuple[Article, bool]], store: Store, settings: Settings, summary: IngestSummary,
                  progress: bool, on_progress: ProgressFn | None) -> None:
    embedder = get_embedder(settings.embedding_model, settings.embed_batch_size)
    prepared: queue.Queue[Any] = queue.Queue(maxsize=64)
    to_write: queue.Queue[Any] = queue.Queue(maxsize=4)
    failure: list[BaseException] = []
    stop = threading.Event()

    def producer() -> None:
        try:
            for item in _prepare(todo, settings):
                if stop.is_set():
                    break
                prepared.put(item)
        except BaseException as exc:  # surfaced in the main thread
            failure.append(exc)
        finally:
            prepared.put(_DONE)

    # Embedded Chroma writes hold the GIL (its Rust `add` does not release it) and compete for the cores torch is
    # using, so overlapping them with encoding stalled the encoder more than it saved (~20% on 2 cores). They take
    # turns instead; writes to a Chroma server are network waits and still overlap with encoding.
    turns = threading.Lock() if not settings.chroma_url else contextlib.nullcontext()

    def writer() -> None:
        while (batch := to_write.get()) is not _DONE:
            if failure:
                continue
            try:
                with turns:
                    store.replace_articles(batch)
            except BaseException as exc:
                failure.append(exc)

    threads = [threading.Thread(target=producer, daemon=True), threading.Thread(target=writer, daemon=True)]
    for t in threads:
        t.start()
    bar = tqdm(total=len(todo), unit="article", desc="ingest", disable=not progress, leave=False)
    done = 0
    batch: list[tuple[Article, str, list[Chunk]]] = []
    batch_chunks = 0
    try:
        while True:
            item = prepared.get()
            if item is not _DONE:
                art, existed, cleaned, chunks = item
                if existed:
                    summary.updated += 1
                else:
                    summary.added += 1
                batch.append((art, cleaned, chunks))
                batch_chunks += len(chunks)
            if batch and (item is _DONE or batch_chunks >= settings.embed_batch_size * 4):
                texts = [c.embedding_text(a) for a, _, cs in batch for c in cs]
                with turns:
                    vectors = iter(embedder.encode(texts))
                to_write.put([(a, cl, cs, [next(vectors) for _ in cs]) for a, cl, cs in batch])
                summary.chunks += batch_chunks
                done += len(batch)
                bar.update(len(batch))
                if on_progress:
                    on_progress(done, len(todo))
                batch, batch_chunks = [], 0
            if item is _DONE or failure:
                break
    finally:
        to_write.put(_DONE)
        # when the loop above stopped early (a failed write, Ctrl-C), the producer may be blocked on a full queue:
        # tell it to stop and drain the queue, or joining it would hang forever
        stop.set()
        while threads[0].is_alive():
            try:
                prepared.get(timeout=0.1)
            except queue.Empty:
                pass
        for t in threads:
            t.join()
        bar.close()
    if failure:
        raise failure[0]
