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


def test_a_quoted_sentence_check_is_a_row_of_its_own_setting_and_settings_limits_what_is_replaced(
        tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    item = {"id": "f1", "question": "Who directed the film?", "answerable": True, "must_contain": [["Kurzel"]],
            "sources": ["a"]}
    questions.write_text(json.dumps(item) + "\n")
    checks = [{"check": "llm_check", "article_id": "a", "text": "Directed by Justin Kurzel.", "claim": "",
               "p_yes": 0.7, "agree": 0, "yes": False},
              {"check": "llm_check", "article_id": "b", "text": "Directed by Justin Kurzel.",
               "claim": "Justin Kurzel directed the film.", "p_yes": 0.9, "agree": 0, "yes": True}]
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"items": [{"id": "f1", "question": item["question"], "refused": True,
                                             "correct": False, "checks": checks}]}))
    out = tmp_path / "labels.jsonl"
    old = {"setting": "check_threshold", "id": "f1#0", "split": "tune", "value": 0.5, "label": False}
    out.write_text(json.dumps(old) + "\n")
    assert collect(report, questions, out, settings={"quote_threshold"}) == 1
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert old in rows  # another setting's row of the same item stays
    quote = next(r for r in rows if r["setting"] == "quote_threshold")
    assert quote["value"] == 0.7 and quote["label"] is True  # the gold answer, from a gold source
    collect(report, questions, out)  # every setting: the item's rows are replaced
    by_setting = {r["setting"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert by_setting["check_threshold"]["value"] == 0.9 and by_setting["check_threshold"]["label"] is False  # source b
    assert by_setting["quote_threshold"]["value"] == 0.7


def test_the_committed_evidence_rank_weights_are_what_fit_gives_from_the_committed_rows(tmp_path: Path) -> None:
    from bench.evidence_rank import LABELS, fit
    from qa.evidence import RANK_FEATURES, rank_weights

    fitted = fit(LABELS, tmp_path / "weights.json")
    committed = rank_weights()
    assert set(committed) == set(RANK_FEATURES) | {"bias"}
    assert fitted == pytest.approx(committed, abs=1e-3)
