"""`citewire doctor`: one line per check of what citewire needs, and an exit code (0 when all pass).

Checks: the CPU against the instruction sets llama.cpp was built with (a build for another CPU dies with
SIGILL on the first real prompt), the embedded GGUF and its sha256, the embedding model loading offline,
the index (manifest against the Chroma collection), and the configured servers answering.
"""

from __future__ import annotations

import hashlib
import platform
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from index.settings import Settings

# llama.cpp's system-info names -> the /proc/cpuinfo flag the CPU must have for them
_CPU_FLAGS = {"AVX": "avx", "AVX2": "avx2", "F16C": "f16c", "FMA": "fma", "BMI2": "bmi2", "AVX512": "avx512f",
              "AVX512_VBMI": "avx512vbmi", "AVX512_VNNI": "avx512_vnni", "AVX512_BF16": "avx512_bf16",
              "AVX_VNNI": "avx_vnni", "AMX_INT8": "amx_int8", "SSE3": "pni", "SSSE3": "ssse3"}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name:10} {self.detail}"


def check_cpu() -> Check:
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
    built = [k for k, v in re.findall(r"(\w+) = (\d)", info) if v == "1" and k in _CPU_FLAGS]
    if platform.machine() != "x86_64":
        return Check("cpu", True, f"{platform.machine()}; llama.cpp built with {', '.join(built) or 'defaults'}")
    flags = set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        m = re.search(r"^flags\s*:\s*(.*)$", cpuinfo.read_text(), re.M)
        flags = set(m.group(1).split()) if m else set()
    missing = [k for k in built if _CPU_FLAGS[k] not in flags]
    if missing:
        return Check("cpu", False, f"llama.cpp was built for {', '.join(missing)}, which this CPU lacks: rebuild "
                                   "with scripts/llama-wheel.sh (rm -rf .venv && make install)")
    return Check("cpu", True, f"llama.cpp built for {', '.join(built)}; this CPU has them all")


def check_model(settings: Settings) -> Check:
    from qa.llm import EMBEDDED_SHA256, assemble_embedded_model

    if settings.llm != "embedded" or settings.llm_url:
        return Check("llm", True, f"not embedded ({settings.llm_label})")
    path = assemble_embedded_model(settings.cache_dir)
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            digest.update(block)
    if digest.hexdigest() != EMBEDDED_SHA256:
        return Check("llm", False, f"{path} is damaged (sha256 mismatch): delete it; it is assembled again")
    return Check("llm", True, f"{path.name} present, sha256 ok")


def check_embedder(settings: Settings) -> Check:
    from index.embed import get_embedder

    vec = get_embedder(settings.embedding_model, settings.embed_batch_size).encode(["doctor"])[0]
    return Check("embedding", True, f"{settings.embedding_model} loads offline ({len(vec)} dimensions)")


def check_index(settings: Settings) -> Check:
    from index.store import Store

    if not settings.manifest_path.is_file():
        return Check("index", False, f"nothing indexed in {settings.data_dir}; run `citewire ingest PATH`")
    store = Store(settings)
    articles, chunks = store.counts()
    vectors = store.collection.count()
    if vectors < chunks:
        return Check("index", False, f"{chunks} chunks in the manifest but {vectors} vectors in the collection: "
                                     "re-run `citewire ingest` (it finishes half-written batches)")
    return Check("index", True, f"{articles} articles, {chunks} chunks, {vectors} vectors in {settings.data_dir}")


def check_servers(settings: Settings) -> list[Check]:
    out = []
    for name, url, path in (("chroma", settings.chroma_url, "/api/v2/heartbeat"), ("llm server", settings.llm_url,
                                                                                 "/v1/models")):
        if not url:
            continue
        try:
            r = httpx.get(url.rstrip("/") + path, timeout=5.0)
            ok = r.status_code < 500 and (name != "chroma" or r.status_code == 200)
            out.append(Check(name, ok, f"{url} answered HTTP {r.status_code}"))
        except httpx.HTTPError as exc:
            out.append(Check(name, False, f"{url} unreachable ({type(exc).__name__}); start it or fix the URL"))
    return out


def run_checks(settings: Settings) -> list[Check]:
    """Every check, each one caught on its own: one failing check does not hide the others."""
    steps: list[tuple[str, Callable[[], Check | list[Check]]]] = [
        ("cpu", check_cpu), ("llm", lambda: check_model(settings)), ("embedding", lambda: check_embedder(settings)),
        ("index", lambda: check_index(settings)), ("servers", lambda: check_servers(settings))]
    out: list[Check] = []
    for name, step in steps:
        try:
            result = step()
        except Exception as exc:
            result = Check(name, False, f"{type(exc).__name__}: {exc}".splitlines()[0][:300])
        out.extend(result if isinstance(result, list) else [result])
    return out
