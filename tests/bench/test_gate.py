"""`bench.gate`: the evidence gate fitted on each question's outcome refused and let through."""

from __future__ import annotations

from typing import Any

from bench.gate import GATE_REFUSAL, gate_of, gated, right_at, rows_of


def _row(qid: str, score: float, plausible: bool, answerable: bool, correct: bool, long: bool = False,
         threshold: float = 0.58) -> dict[str, Any]:
    return {"id": qid, "answerable": answerable, "correct": correct, "best_evidence": score,
            "evidence": [{"article_id": "a", "score": score, "text": "t"}],
            "gate": {"score": score, "long": long, "threshold": threshold, "plausible": plausible},
            "refusal_reason": None if plausible else GATE_REFUSAL}


def test_a_recorded_gate_says_whether_a_question_passed_on_a_strong_sentence() -> None:
    assert gate_of(_row("q", 0.5, True, True, True), None) == (0.5, False, True, True)  # under 0.58, let through
    assert gate_of(_row("q", 0.7, True, True, True), None) == (0.7, False, True, False)
    assert gate_of({"id": "multi", "answerable": True}, None) is None  # across reports: no gate


def test_gated_lists_the_refused_questions_from_the_floor_up() -> None:
    report = {"items": [_row("under", 0.35, False, True, False), _row("band", 0.45, False, True, False),
                        _row("through", 0.7, True, True, True)]}
    assert gated(report, 0.4) == ["band"]


def test_rows_take_the_outcome_with_the_gate_open_from_the_forced_run() -> None:
    report = {"items": [_row("band", 0.45, False, True, False), _row("free", 0.5, False, False, True),
                        _row("under", 0.3, False, False, True), _row("through", 0.7, True, True, True)]}
    forced = {"band": {"correct": True}}  # "free" was not asked again: no row, and a warning
    rows = {r["id"]: r for r in rows_of("set", report, forced, None, 0.4)}  # type: ignore[arg-type]
    assert set(rows) == {"band", "under", "through"}
    assert rows["band"]["passed_right"] is True and rows["band"]["refused_right"] is False
    assert rows["under"]["passed_right"] is None and rows["under"]["refused_right"] is True


def test_right_at_counts_each_question_by_the_outcome_its_threshold_gives() -> None:
    rows = [{"score": 0.45, "strong": False, "passed_right": True, "refused_right": False},  # answerable, answered
            {"score": 0.5, "strong": False, "passed_right": False, "refused_right": True},  # answer-free, answered
            {"score": 0.3, "strong": True, "passed_right": True, "refused_right": False},  # strong: passes anyway
            {"score": 0.35, "strong": False, "passed_right": None, "refused_right": True}]  # under the floor
    assert right_at(rows, 0.58) == 3
    assert right_at(rows, 0.48) == 2
    assert right_at(rows, 0.4) == 3


def test_the_committed_gate_thresholds_are_what_fit_gives_from_the_committed_rows() -> None:
    from pathlib import Path

    from bench.gate import LABELS, fit
    from index.settings import Settings

    defaults = Settings.load(config_file=Path("/nonexistent"))
    assert fit(LABELS) == {"refusal_threshold": defaults.refusal_threshold,
                           "refusal_threshold_long": defaults.refusal_threshold_long}
