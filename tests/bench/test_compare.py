"""`bench.compare`: settings overrides typed as their fields, a clear error for a wrong name, and the rows a
prefiltered run (`--only`, `--base-from`) reuses."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bench.compare import parse_change


def test_change_values_take_their_settings_types() -> None:
    assert parse_change("top_k=5,evidence_rank_model=false,check_threshold=0.7,llm=none") == {
        "top_k": 5, "evidence_rank_model": False, "check_threshold": 0.7, "llm": "none"}
    assert parse_change("disabled_checks=open_reader+year") == {"disabled_checks": ("open_reader", "year")}


def test_an_unknown_setting_is_named_in_the_error() -> None:
    with pytest.raises(SystemExit, match="no setting named 'topk'"):
        parse_change("topk=5")


def test_only_reads_ids_from_a_list_or_a_file(tmp_path: Path) -> None:
    from bench.common import only_ids

    assert only_ids("a-1, b-2,,c-3") == {"a-1", "b-2", "c-3"}
    f = tmp_path / "ids.txt"
    f.write_text("a-1\nb-2,c-3\n")
    assert only_ids(f"@{f}") == {"a-1", "b-2", "c-3"}


def test_base_rows_come_from_a_compare_file_in_the_same_order_or_an_eval_report_of_every_split(
        tmp_path: Path) -> None:
    from bench.compare import reused

    rows = [{"id": "q1", "correct": True}, {"id": "q2", "correct": False}]
    compare, report = tmp_path / "compare.json", tmp_path / "report.json"
    compare.write_text(json.dumps({"base": rows, "changed": []}))
    report.write_text(json.dumps({"n": 3, "items": [rows[1], {"id": "q3", "correct": True}, rows[0]]}))
    assert reused(compare, ["q1", "q2"]) == rows == reused(report, ["q1", "q2"])
    with pytest.raises(SystemExit, match="other questions"):
        reused(compare, ["q2", "q1"])
    with pytest.raises(SystemExit, match="other questions"):
        reused(report, ["q1", "q4"])  # a question the report does not hold


def test_a_prefiltered_or_code_change_run_needs_earlier_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import compare

    for argv in (["--only", "q1"], ["--sets", "rgb_own"]):
        monkeypatch.setattr(sys, "argv", ["bench.compare", *argv])
        with pytest.raises(SystemExit, match="give --base-from DIR"):
            compare.main()
