"""Shared fixtures: a temp index of the seed corpus (built once per session), settings, free ports."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
for key in [k for k in os.environ if k.startswith("CITEWIRE_")]:
    del os.environ[key]  # tests must not pick up a developer's settings

from index.ingest import ingest  # noqa: E402
from index.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "test-artifacts"
BOLTON_SOURCES = {"000_a8ef3c9dc11187e2", "001_4ee1d4d0f171337c"}


class EchoLLM:
    """A stand-in LLM for tests of the engine's wiring (not its answers): it drafts its first source's sentence
    word for word, and answers each yes/no prompt with `p_yes(the prompt's last message)`, kept in `prompts`."""

    name = "echo"

    def __init__(self, p_yes: Callable[[str], float], read: Callable[[str], str] | None = None) -> None:
        self.p_yes = p_yes
        self.read = read or (lambda sentence: sentence)  # the reader check's reply: the sentence itself, by default
        self.prompts: list[str] = []

    def stream(self, messages: list[dict[str, str]], max_tokens: int, stop: object = None) -> Iterator[str]:
        lines = messages[-1]["content"].splitlines()
        if lines[0].startswith("Sentence: "):  # the reader check: one sentence read alone
            self.prompts.append(messages[-1]["content"])
            yield self.read(lines[0].removeprefix("Sentence: "))
            return
        first = next(line for line in lines if line.startswith("[1] "))
        yield first.split(") ", 1)[1] + " [1]"

    def yes_probability(self, messages: list[dict[str, str]]) -> float:
        self.prompts.append(messages[-1]["content"])
        return self.p_yes(messages[-1]["content"])


def in_ci() -> bool:
    """CI=true (set by .ci/run, and by most CI services): a test that cannot run must fail, not skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def require(condition: object, reason: str) -> None:
    """Skip the test when `condition` is false (a part of the machine is missing: Chromium, the RGB corpus,
    the `chroma` CLI, llama-cpp-python's server extra), or FAIL it under CI, where a missing part means the
    run did not test what it claims to. Every optional part of the suite goes through here."""
    if condition:
        return
    missing(reason)


def missing(reason: str) -> NoReturn:
    """`require(False, reason)`, for a part found missing by an exception."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so a missing part fails the run instead of skipping it)", pytrace=False)
    pytest.skip(reason)


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a test: its own data dir; the shared model cache (the GGUF is assembled once)."""
    return Settings.load({"data_dir": data_dir, **overrides}, config_file=Path("/nonexistent"))


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The seed corpus ingested once into a temp data dir; settings use the embedded LLM. Do not modify it."""
    data_dir = tmp_path_factory.mktemp("seed-index")
    settings = make_settings(data_dir)
    summary = ingest([CORPUS], settings, progress=False)
    assert summary.added == 5, summary
    return settings


@pytest.fixture(scope="session")
def seed_index_nollm(seed_index: Settings) -> Settings:
    """The same index, answering extractively (no LLM): fast, for tests about retrieval and rendering."""
    return seed_index.with_overrides(llm="none")


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus, for tests that change, add or delete articles."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def port() -> Iterator[int]:
    yield free_port()
