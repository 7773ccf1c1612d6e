"""The embedded LLM's prompt cache counts every byte a saved state holds (issue 14: RSS grew by gigabytes)."""

from __future__ import annotations

import llama_cpp.llama as llama  # a core dependency: installed with citewire, so never a skip
import numpy as np

from qa.llm import prompt_cache, state_bytes

VOCAB = 151_936
N_BATCH = 128


def fake_state(tokens: list[int], kv_bytes: int = 10 << 20) -> llama.LlamaState:
    """What Llama.save_state returns: the llama.cpp state plus an n_batch x vocab copy of the logits buffer."""
    ids = np.zeros(2048, dtype=np.intc)
    ids[:len(tokens)] = tokens
    return llama.LlamaState(input_ids=ids, scores=np.zeros((N_BATCH, VOCAB), dtype=np.single), n_tokens=len(tokens),
                            llama_state=b"", llama_state_size=kv_bytes, seed=0)


def test_the_stock_cache_does_not_count_the_logits_copy() -> None:
    """The cause, pinned: if llama-cpp-python starts counting it, our subclass can go."""
    from llama_cpp import LlamaRAMCache

    stock = LlamaRAMCache(capacity_bytes=512 << 20)
    for i in range(20):
        stock[(i, 1, 2, 3)] = fake_state([i, 1, 2, 3])
    held = sum(state_bytes(s) for s in stock.cache_state.values())
    assert stock.cache_size <= 512 << 20 and held > 1.5 * (1 << 30)  # 20 states "fit" in 512 MB, ~1.7 GB held


def test_states_keep_one_logits_row_and_the_real_size_is_counted() -> None:
    cache = prompt_cache(256 << 20, 16)
    state = fake_state([1, 2, 3])
    cache[(1, 2, 3)] = state
    assert state.scores.shape == (1, VOCAB)
    assert cache.cache_size == state_bytes(state) < 11 << 20
    # what Llama.load_state does with it: broadcast into the first n_tokens rows
    buffer = np.ones((N_BATCH, VOCAB), dtype=np.single)
    buffer[: state.n_tokens, :] = state.scores.copy()
    assert not buffer[:3].any()


def test_eviction_by_real_size_and_by_count() -> None:
    cache = prompt_cache(64 << 20, 16)
    for i in range(10):
        cache[(i, 5, 6)] = fake_state([i, 5, 6], kv_bytes=20 << 20)
    assert cache.cache_size <= 64 << 20 and len(cache.cache_state) == 3
    assert (9, 5, 6) in cache.cache_state and (0, 5, 6) not in cache.cache_state  # oldest out first
    few = prompt_cache(1 << 30, 4)
    for i in range(10):
        few[(i,)] = fake_state([i], kv_bytes=1 << 20)
    assert list(few.cache_state) == [(6,), (7,), (8,), (9,)]
    assert few[(9, 1)].n_tokens == 1  # longest-prefix lookup still works


def test_with_logits_all_the_logits_are_kept() -> None:
    cache = prompt_cache(1 << 30, 4, trim_logits=False)
    state = fake_state([1])
    cache[(1,)] = state
    assert state.scores.shape == (N_BATCH, VOCAB) and cache.cache_size == state_bytes(state)
