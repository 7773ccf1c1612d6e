"""`bench.prefilter`: the questions whose no-LLM signature a change alters."""

from __future__ import annotations

from bench.prefilter import changed


def test_changed_lists_differing_added_and_removed_signatures() -> None:
    before = {"rgb_own/a": {"items": [["x", "s", 0.5, True]]}, "rgb_own/b": {"plausible": True},
              "rgb_own/gone": {"plausible": False}}
    after = {"rgb_own/a": {"items": [["x", "s", 0.6, True]]}, "rgb_own/b": {"plausible": True},
             "rgb_own/new": {"plausible": True}}
    assert changed(before, after) == ["rgb_own/a", "rgb_own/new", "rgb_own/gone"]
    assert changed(after, after) == []


def _check(p_yes: float, yes: bool, claim: str = "It opened in 2019.", **more: object) -> dict[str, object]:
    return {"check": "llm_check", "claim": claim, "p_yes": p_yes, "agree": 0, "yes": yes} | more


def test_check_flips_lists_the_rows_a_check_setting_decides_otherwise() -> None:
    from bench.prefilter import check_flips
    from index.settings import Settings

    rows = [
        {"id": "passes_both", "checks": [_check(0.9, True, p_rel=0.9)]},
        {"id": "under_new", "checks": [_check(0.6, False)]},  # passes at 0.5: its P(rel) was never asked
        {"id": "irrelevant", "checks": [_check(0.6, False, p_rel=0.2)]},  # relevance stops it anyway
        {"id": "stricter", "checks": [_check(0.8, True, p_rel=0.9)]},  # passes at 0.78, not at 0.85
        {"id": "quote", "checks": [_check(0.6, False, claim="")]},  # a quote: its own threshold, unchanged
        {"id": "agreed", "checks": [_check(0.6, True, agree=2, p_rel=0.9)]},  # held to check_threshold_agreed
        {"id": "other_check", "checks": [{"check": "claim_accept", "p_yes": 0.6, "yes": False}]},
    ]
    old = Settings(check_threshold=0.78, check_threshold_agreed=0.48, quote_threshold=0.66, relevance_threshold=0.4)
    assert check_flips(rows, old) == []
    assert check_flips(rows, old.with_overrides(check_threshold=0.5)) == ["under_new"]
    assert check_flips(rows, old.with_overrides(check_threshold=0.85)) == ["stricter"]
