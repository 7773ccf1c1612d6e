"""`python -m bench.calibrate collect`: eval report rows in, labelled rows per setting out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.calibrate import collect

QUESTIONS = [
    {"id": "c1", "question": "Was the Daily Planet report of November 1, 2023 on the bridge repairs consistent or "
                             "inconsistent with the later Metro Gazette report?",
     "answerable": True, "answer": "Consistent", "must_contain": [["Consistent"]], "sources": ["a"]},
    {"id": "y1", "question": "Did the Metro Gazette report that the bridge repairs were delayed?",
     "answerable": True, "answer": "No", "must_contain": [["No"]], "sources": ["b"]},
]


def _report(tmp_path: Path, p_yes: float) -> Path:
    rows = [{"id": q["id"], "question": q["question"], "p_yes": p_yes, "refused": False, "correct": True}
            for q in QUESTIONS]
    path = tmp_path / "report.json"
    path.write_text(json.dumps({"items": rows}))
    return path


def test_yes_no_rows_by_kind_and_recollect_replaces_every_row_of_an_item(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    out = tmp_path / "labels.jsonl"
    # a stale row of an item under a setting it no longer gives, and a row of another item that must stay
    out.write_text(json.dumps({"setting": "yes_no_threshold", "id": "c1", "split": "tune", "value": 0.1, "label": True})
                   + "\n" + json.dumps({"setting": "refusal_threshold", "id": "z9", "split": "test", "value": 0.5,
                                        "label": False}) + "\n")
    assert collect(_report(tmp_path, 0.6), questions, out) == 2
    rows = {(r["setting"], r["id"]): r for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {("temporal_threshold", "c1"), ("yes_no_threshold", "y1"), ("refusal_threshold", "z9")}
    assert rows[("temporal_threshold", "c1")]["label"] is True  # gold is the first option
    assert rows[("yes_no_threshold", "y1")]["label"] is False and rows[("yes_no_threshold", "y1")]["value"] == 0.6


def test_the_committed_evidence_rank_weights_are_what_fit_gives_from_the_committed_rows(tmp_path: Path) -> None:
    from bench.evidence_rank import LABELS, fit
    from qa.evidence import RANK_FEATURES, rank_weights

    fitted = fit(LABELS, tmp_path / "weights.json")
    committed = rank_weights()
    assert set(committed) == set(RANK_FEATURES) | {"bias"}
    assert fitted == pytest.approx(committed, abs=1e-3)
