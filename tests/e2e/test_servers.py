"""Server modes, for real: a `chroma run` server behind --chroma-url and a llama.cpp OpenAI-compatible server behind
--llm-url, driven through the `citewire` CLI in subprocesses; plus what happens when either goes away."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import BOLTON_SOURCES, CORPUS, ROOT, SHARED, free_port, make_settings, missing, require

pytestmark = pytest.mark.e2e

BOLTON_Q = "When did Bolton say the meeting would happen?"
RGB_CORPUS = SHARED / "eval" / "rgb" / "corpus.jsonl"
CLI_TIMEOUT = 300  # seconds; a hung command fails the test instead of hanging the suite


# ---- helpers ------------------------------------------------------------------------------------------
def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITEWIRE_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               CITEWIRE_CONFIG="/nonexistent", **extra)
    return env


def citewire(*args: str, timeout: float = CLI_TIMEOUT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=ROOT, env=cli_env(**env),
                          capture_output=True, text=True, timeout=timeout)


class Background:
    """`citewire ...` running in the background, its output going to temp files (a full pipe would block it)."""

    def __init__(self, *args: str, **env: str) -> None:
        self.out, self.err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "ui.cli", *args], cwd=ROOT, env=cli_env(**env),
                                     stdout=self.out, stderr=self.err, stdin=subprocess.DEVNULL)

    def running(self) -> bool:
        return self.proc.poll() is None

    def wait(self, timeout: float) -> subprocess.CompletedProcess[str]:
        try:
            rc = self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        return subprocess.CompletedProcess(self.proc.args, rc, self._read(self.out), self._read(self.err))

    def kill(self) -> subprocess.CompletedProcess[str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        return self.wait(30)

    @staticmethod
    def _read(fh: Any) -> str:
        fh.seek(0)
        return fh.read().decode("utf-8", errors="replace")


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.replace("\r", "\n").splitlines() if ln.startswith("error:")]


def assert_clean_error(proc: subprocess.CompletedProcess[str], *must: str) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stdout[-2000:], proc.stderr[-4000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-4000:]
    errors = error_lines(proc.stderr)
    assert len(errors) == 1, proc.stderr[-4000:]
    for text in must:
        assert text in errors[0], errors[0]
    return errors[0]


def manifest_chunks(data_dir: Path) -> tuple[set[str], dict[str, int], dict[str, int]]:
    """(live chunk ids, article id -> n_chunks, article id -> chunk rows) from the SQLite manifest."""
    with closing(sqlite3.connect(data_dir / "citewire.sqlite")) as db:
        ids = {r[0] for r in db.execute("SELECT id FROM chunks")}
        n = dict(db.execute("SELECT id, n_chunks FROM articles"))
        rows = dict(db.execute("SELECT article_id, count(*) FROM chunks GROUP BY article_id"))
        pending = db.execute("SELECT count(*) FROM pending").fetchone()[0]
        stale = db.execute("SELECT count(*) FROM stale").fetchone()[0]
    assert pending == 0 and stale == 0, (pending, stale)
    return ids, n, rows


def chroma_ids(url: str, collection: str = "citewire") -> list[str]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = int(url.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_collection(collection)
    out: list[str] = []
    offset = 0
    while True:
        page = col.get(include=[], limit=1000, offset=offset)["ids"]
        out += page
        if len(page) < 1000:
            return out
        offset += len(page)


def assert_consistent(data_dir: Path, ids_in_chroma: list[str], expected: dict[str, set[str]] | None = None) -> None:
    """Each article's chunks are in Chroma exactly once, and nothing else is (and, given `expected`, exactly the
    chunks the files produce: none missing, none extra)."""
    live, n_chunks, rows = manifest_chunks(data_dir)
    assert len(ids_in_chroma) == len(set(ids_in_chroma)), "duplicate ids in Chroma"
    assert set(ids_in_chroma) == live, (len(set(ids_in_chroma) - live), len(live - set(ids_in_chroma)))
    for art, n in n_chunks.items():
        assert rows.get(art, 0) == n, (art, rows.get(art), n)
    if expected is not None:
        assert set(n_chunks) == set(expected), (set(n_chunks) ^ set(expected))
        want = set().union(*expected.values())
        assert live == want, (len(live - want), len(want - live))


def cited(answer: dict) -> set[str]:
    return {c["article_id"] for c in answer["citations"]}


def assert_bolton_answer(answer: dict) -> None:
    """Answered, citing one of the two articles that report Bolton's statement, with its date (2019)."""
    assert not answer["refused"], answer["answer"]
    assert cited(answer) & BOLTON_SOURCES, cited(answer)
    support = [c for c in answer["citations"] if c["article_id"] in BOLTON_SOURCES]
    text = " ".join([answer["answer"]] + [c["quote"] for c in support]
                    + [d for c in support for d in c["resolved_dates"]]).lower()
    assert "2019" in text or "first of the year" in text, answer["answer"]


def expected_chunks(*paths: Path) -> dict[str, set[str]]:
    """article id -> its chunk ids, computed from the files (load, clean, chunk; no embedding)."""
    from index.articles import Article, discover, iter_file
    from index.chunks import chunk_article
    from index.clean import clean_text
    from index.settings import Settings

    s = Settings()
    out: dict[str, set[str]] = {}
    for path in discover(list(paths)):
        for art in iter_file(path):
            if isinstance(art, Article) and art.text.strip() and art.id not in out:
                out[art.id] = {c.id for c in chunk_article(art, clean_text(art.text, art.title), s.chunk_chars,
                                                           s.chunk_overlap_sentences)}
    return out


def manifest_written(data_dir: Path) -> int:
    """Articles committed to the manifest so far (read-only; 0 before the first commit)."""
    path = data_dir / "citewire.sqlite"
    if not path.is_file():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def rgb_subset(folder: Path, n: int) -> Path:
    require(RGB_CORPUS.is_file(), f"the RGB corpus is not at {RGB_CORPUS}")
    lines = RGB_CORPUS.read_text(encoding="utf-8").splitlines()[:n]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "rgb.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wait_http(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}: {log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    pytest.fail(f"server did not answer {url} within {timeout}s: {log.read_text(errors='replace')[-3000:]}")


class Server:
    """A server subprocess in its own process group, logging to a file; always stopped at the end."""

    def __init__(self, argv: list[str], health: str, log: Path, startup_s: float) -> None:
        self.argv, self.health, self.log, self.startup_s = argv, health, log, startup_s
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        fh = self.log.open("ab")
        self.proc = subprocess.Popen(self.argv, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True, cwd=ROOT)
        fh.close()
        wait_http(self.health, self.proc, self.startup_s, self.log)
        return self

    def kill(self) -> None:
        """SIGKILL: the server vanishes mid-whatever, as in a crash or an OOM kill."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def chroma_binary() -> str:
    for candidate in (Path(sys.executable).parent / "chroma", ROOT / ".venv" / "bin" / "chroma"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    missing("the `chroma` CLI (from the chromadb package) is not installed next to this Python; "
            "`pip install chromadb` provides it")


def chroma_server(tmp_path: Path, name: str = "chroma-server") -> tuple[Server, str, Path]:
    """`chroma run` on a free port, persisting under tmp_path/name (not started yet)."""
    binary = chroma_binary()
    port = free_port()
    path = tmp_path / name
    url = f"http://127.0.0.1:{port}"
    server = Server([binary, "run", "--path", str(path), "--port", str(port), "--host", "127.0.0.1"],
                    f"{url}/api/v2/heartbeat", tmp_path / f"{name}.log", startup_s=60)
    return server, url, path


@pytest.fixture()
def chroma(tmp_path: Path) -> Iterator[tuple[Server, str, Path]]:
    server, url, path = chroma_server(tmp_path)
    try:
        yield server.start(), url, path
    finally:
        server.stop()


# ---- Chroma server --------------------------------------------------------------------------------------
def test_chroma_server_ingest_ask_reingest(chroma: tuple[Server, str, Path], tmp_path: Path) -> None:
    server, url, _ = chroma
    data = tmp_path / "data"

    first = citewire("--data-dir", str(data), "--chroma-url", url, "ingest", str(CORPUS))
    assert first.returncode == 0, first.stderr[-3000:]
    assert "5 added" in first.stdout, first.stdout
    assert not (data / "chroma").exists(), "the vectors went to a local Chroma, not the server"
    assert_consistent(data, chroma_ids(url), expected_chunks(CORPUS))

    asked = citewire("--data-dir", str(data), "--chroma-url", url, "--llm", "none", "ask", BOLTON_Q, "--json")
    assert asked.returncode == 0, asked.stderr[-3000:]
    assert_bolton_answer(json.loads(asked.stdout))

    again = citewire("--data-dir", str(data), "--chroma-url", url, "ingest", str(CORPUS))
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 added, 0 updated, 5 unchanged" in again.stdout and "0 chunks embedded" in again.stdout, again.stdout

    # the same data dir pointed at another (empty) server: a clear error, not silent empty answers or a no-op ingest
    other, other_url, _ = chroma_server(tmp_path, "other-chroma")
    try:
        other.start()
        for command in (["ingest", str(CORPUS)], ["--llm", "none", "ask", BOLTON_Q]):
            wrong = citewire("--data-dir", str(data), "--chroma-url", other_url, *command)
            assert_clean_error(wrong, other_url, "is empty")
    finally:
        other.stop()

    server.stop()
    down = citewire("--data-dir", str(data), "--chroma-url", url, "--llm", "none", "ask", BOLTON_Q)
    assert_clean_error(down, url)


def test_chroma_server_down_is_one_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    t = time.monotonic()
    proc = citewire("--data-dir", str(tmp_path / "data"), "--chroma-url", url, "ingest", str(CORPUS))
    line = assert_clean_error(proc, url)
    assert "chroma" in line.lower()
    assert time.monotonic() - t < 120


def test_chroma_server_going_away_mid_ingest_then_rerun(chroma: tuple[Server, str, Path], tmp_path: Path) -> None:
    server, url, _ = chroma
    data = tmp_path / "data"
    corpus = rgb_subset(tmp_path / "rgb", 400)
    # small batches: many writes, so the server dies between and during them
    expected = expected_chunks(corpus)
    ingest = Background("--data-dir", str(data), "--chroma-url", url, "ingest", str(corpus), CITEWIRE_EMBED_BATCH_SIZE="8")
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and ingest.running() and manifest_written(data) < 32:
        time.sleep(0.2)
    if not ingest.running():
        pytest.fail(f"ingest ended before the server could be killed: {ingest.wait(5)}")
    if manifest_written(data) < 32:
        ingest.kill()
        pytest.fail("ingest wrote nothing within 240 s")
    server.kill()
    t = time.monotonic()
    failed = ingest.wait(180)  # retries with backoff, then gives up: bounded, never a hang
    assert time.monotonic() - t < 120
    assert_clean_error(failed, url)
    assert 0 < manifest_written(data) < len(expected)

    server.start()  # same --path and port: the data it acknowledged is still there
    rerun = citewire("--data-dir", str(data), "--chroma-url", url, "ingest", str(corpus))
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert_consistent(data, chroma_ids(url), expected)

    final = citewire("--data-dir", str(data), "--chroma-url", url, "ingest", str(corpus))
    assert "0 chunks embedded" in final.stdout, final.stdout


# ---- llama.cpp OpenAI-compatible server ------------------------------------------------------------------
@pytest.fixture()
def llm_server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    from qa.llm import LLMError, assemble_embedded_model

    absent = []
    for module in ("llama_cpp.server", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings"):
        try:
            __import__(module)
        except ImportError as exc:
            absent.append(f"{module} ({exc})")
    require(not absent, "llama-cpp-python's server extra is not installed: " + ", ".join(absent)
            + "; `pip install 'llama-cpp-python[server]'`")
    try:
        gguf = assemble_embedded_model(make_settings(tmp_path).cache_dir)
    except LLMError as exc:
        missing(f"the embedded GGUF is unavailable: {exc}")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = Server([sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
                     "--port", str(port), "--n_ctx", "2048", "--n_threads", "1"],
                    f"{url}/v1/models", tmp_path / "llama-server.log", startup_s=180)
    try:
        yield server.start(), url
    finally:
        server.stop()


@pytest.mark.llm
def test_llm_server_answer_then_killed_mid_answer(llm_server: tuple[Server, str], seed_index) -> None:
    from qa import Answer, Evidence, ask_stream
    from qa.llm import LLMError

    server, url = llm_server
    asked = citewire("--data-dir", str(seed_index.data_dir), "--llm-url", url, "ask", BOLTON_Q, "--json")
    assert asked.returncode == 0, asked.stderr[-3000:]
    answer = json.loads(asked.stdout)
    drafts = answer["debug"].get("drafts") or [answer["debug"].get("draft") or ""]
    assert any(d.strip() for d in drafts), "the LLM server wrote nothing"
    assert_bolton_answer(answer)

    # the yes/no check's probability comes from the server's logprobs, calibrated like the embedded model's
    from qa.llm import OpenAICompatible, make_llm

    check = [{"role": "system", "content": "You are a careful fact checker. Reply with one word: yes or no."},
             {"role": "user", "content": "Source: Ramos chaired the women's singles finals at Wimbledon in 2018.\n"
              "Claim: Ramos won the women's singles Wimbledon in 2018.\nIs the claim true according to the source?"}]
    remote = OpenAICompatible(url, "default", None, 120.0, 0).yes_probability(check)
    local = make_llm(seed_index).yes_probability(check)
    assert 0.0 < remote < 1.0 and abs(remote - local) < 0.05, (remote, local)

    # kill the server while it streams: a clear LLMError, promptly, never a hang or a half answer
    settings = seed_index.with_overrides(llm_url=url, llm_timeout_s=120.0)  # a busy 2-core box is slow to start
    events = ask_stream(BOLTON_Q, settings=settings)
    pieces: list[str] = []
    t_kill = None
    with pytest.raises(LLMError) as err:
        for event in events:
            if isinstance(event, Evidence):
                continue
            assert not isinstance(event, Answer), "the answer completed before the server could be killed"
            pieces.append(event)
            if t_kill is None:
                server.kill()
                t_kill = time.monotonic()
    assert t_kill is not None and pieces
    assert time.monotonic() - t_kill < 30
    assert url in str(err.value) and "mid-answer" in str(err.value), err.value

    # and with the server gone, the next question fails fast with the same clear kind of error
    t = time.monotonic()
    with pytest.raises(LLMError) as err2:
        list(ask_stream(BOLTON_Q, settings=settings))
    assert time.monotonic() - t < 30
    assert url in str(err2.value)
    down = citewire("--data-dir", str(seed_index.data_dir), "--llm-url", url, "ask", BOLTON_Q)
    assert_clean_error(down, url)
