"""`bench.eval_all --reuse`: which rows of an earlier report a run keeps instead of asking again."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bench.eval_all import reusable


def _write(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items))
    return path


def test_rows_of_unchanged_questions_are_kept_and_the_rest_asked(tmp_path: Path) -> None:
    questions = _write(tmp_path / "q.jsonl", [
        {"id": "a", "question": "Who opened the bridge?"},
        {"id": "b", "question": "When did the ferry resume?"},  # reworded since the report
        {"id": "c", "question": "Where is the depot?"},  # new: no row yet
        {"id": "d", "question": "How long is the tunnel?"},
    ])
    report = tmp_path / "eval-x.json"
    report.write_text(json.dumps({"items": [
        {"id": "a", "question": "Who opened the bridge?", "correct": True},
        {"id": "b", "question": "When did the ferry stop?", "correct": False},
        {"id": "d", "question": "How long is the tunnel?", "correct": True},
        {"id": "gone", "question": "Removed from the file?", "correct": True},
    ]}))
    assert set(reusable(report, questions, set())) == {"a", "d"}
    assert set(reusable(report, questions, {"d"})) == {"a"}  # --only: asked again all the same
    assert reusable(tmp_path / "none.json", questions, set()) == {}  # no earlier run: ask everything


def test_only_without_reuse_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import eval_all

    monkeypatch.setattr(sys, "argv", ["bench.eval_all", "--only", "a"])
    with pytest.raises(SystemExit, match="add --reuse"):
        eval_all.main()


def test_a_run_of_one_split_keeps_the_earlier_rows_of_the_other_in_file_order(tmp_path: Path) -> None:
    from bench.eval_all import with_earlier

    questions = _write(tmp_path / "q.jsonl", [{"id": i, "question": f"Question {i}?"} for i in ("a", "b", "c", "d")])
    earlier = {"a": {"id": "a", "run": "earlier"}, "b": {"id": "b", "run": "earlier"}}
    rows = [{"id": "b", "run": "now"}, {"id": "c", "run": "now"}]  # this split's questions, asked again
    assert with_earlier(rows, earlier, questions) == [
        {"id": "a", "run": "earlier"}, {"id": "b", "run": "now"}, {"id": "c", "run": "now"}]  # d: never asked
