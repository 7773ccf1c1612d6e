"""`bench.compare --change`: settings overrides typed as their fields, and a clear error for a wrong name."""

from __future__ import annotations

import pytest

from bench.compare import parse_change


def test_change_values_take_their_settings_types() -> None:
    assert parse_change("top_k=5,evidence_rank_model=false,check_threshold=0.7,llm=none") == {
        "top_k": 5, "evidence_rank_model": False, "check_threshold": 0.7, "llm": "none"}


def test_an_unknown_setting_is_named_in_the_error() -> None:
    with pytest.raises(SystemExit, match="no setting named 'topk'"):
        parse_change("topk=5")
