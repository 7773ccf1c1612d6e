"""Incremental ingest into a real Chroma with the real embedding model."""

import re
from pathlib import Path

import pytest
from conftest import make_settings

from index.ingest import IngestError, IngestLock, ingest
from index.store import Store


def chroma_ids(store: Store) -> set[str]:
    return set(store.collection.get(include=[])["ids"])


def manifest_ids(store: Store) -> set[str]:
    return {r[0] for r in store.db.execute("SELECT id FROM chunks")}


def test_ingest_is_idempotent_and_incremental(corpus_copy: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    first = ingest([corpus_copy], settings, progress=False)
    assert (first.added, first.updated, first.unchanged, first.removed) == (5, 0, 0, 0)
    store = Store(settings)
    before = chroma_ids(store)
    assert before == manifest_ids(store) and len(before) == first.chunks

    again = ingest([corpus_copy], settings, progress=False)
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, 5, 0)
    assert chroma_ids(store) == before

    # change one article: only its chunks are replaced
    target = corpus_copy / "003_0a1f54b097591886.md"
    target.write_text(target.read_text().replace("on Thursday", "on Friday"))
    changed = ingest([corpus_copy], settings, progress=False)
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 4)
    after = chroma_ids(store)
    assert {i for i in before if not i.startswith("003_")} == {i for i in after if not i.startswith("003_")}
    assert {i for i in before if i.startswith("003_")}.isdisjoint(i for i in after if i.startswith("003_"))
    assert changed.chunks == len([i for i in after if i.startswith("003_")])
    assert after == manifest_ids(store)

    # a removed file is dropped only with --prune
    (corpus_copy / "002_469aac782fe9b1f8.md").unlink()
    kept = ingest([corpus_copy], settings, progress=False)
    assert kept.removed == 0 and any(i.startswith("002_") for i in chroma_ids(store))
    pruned = ingest([corpus_copy], settings, prune=True, progress=False)
    assert pruned.removed == 1
    assert not any(i.startswith("002_") for i in chroma_ids(store))
    assert store.counts()[0] == 4 and chroma_ids(store) == manifest_ids(store)


def test_chunks_carry_metadata_and_no_boilerplate(seed_index) -> None:
    store = Store(seed_index)
    got = store.collection.get(include=["metadatas", "documents"])
    assert len(got["ids"]) == store.counts()[1] > 10
    for meta, doc in zip(got["metadatas"], got["documents"], strict=True):
        assert meta["article_id"] and meta["title"] and meta["source"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["published"])
        text = store.article_text(meta["article_id"])
        assert text[meta["start"]:meta["end"]] == doc  # the span quotes the cleaned article exactly
        for scrap in ("Share this article", "ADVERTISEMENT", "Latest News", "Copy/paste", "You might also like"):
            assert scrap not in doc


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file or folder: .*nope"):
        ingest([tmp_path / "nope"], make_settings(tmp_path / "d"), progress=False)


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.md").write_text("---\ntitle: Good\n---\nA good article about the Helsinki summit.")
    (src / "bad.md").write_text("---\ntitle: [oops\n---\nBody")
    (src / "notes.pdf").write_bytes(b"%PDF")
    (src / "empty.txt").write_text("")
    summary = ingest([src], make_settings(tmp_path / "d"), progress=False)
    assert summary.added == 1
    assert len(summary.errors) == 3
    assert any("bad.md:" in e and "front matter" in e for e in summary.errors)
    assert any("notes.pdf" in e and "not a readable PDF" in e for e in summary.errors)
    assert any("empty.txt" in e and "no text" in e for e in summary.errors)


def test_a_second_ingest_is_refused_while_one_runs(tmp_path: Path, corpus_copy: Path) -> None:
    settings = make_settings(tmp_path / "d")
    with IngestLock(settings.data_dir), pytest.raises(IngestError, match="another ingest is running"):
        ingest([corpus_copy], settings, progress=False)
