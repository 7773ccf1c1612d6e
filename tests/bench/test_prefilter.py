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
    return {"check": "llm_check", "claim": claim, "p_yes": p_yes, "agree": 0, "yes": yes, **more}


def test_check_flips_lists_the_rows_a_check_setting_decides_otherwise() -> None:
    from bench.prefilter import check_flips
    from index.settings import Settings

    rows = [
        {"id": "passes_both", "checks": [_check(0.9, True, p_ans=0.9, p_rel=0.9)]},
        {"id": "under_new", "checks": [_check(0.6, False, p_ans=0.7)]},  # passes at 0.5: its P(rel) unknown
        {"id": "vetoed", "checks": [_check(0.9, True, p_ans=0.3, p_rel=0.9)]},  # the answer prompt says no
        {"id": "irrelevant", "checks": [_check(0.6, False, p_ans=0.7, p_rel=0.2)]},  # relevance stops it anyway
        {"id": "quote", "checks": [_check(0.6, False, claim="")]},  # a quote: its own threshold, unchanged
        {"id": "other_check", "checks": [{"check": "claim_accept", "p_yes": 0.6, "yes": False}]},
    ]
    old = Settings(check_threshold=0.78, quote_threshold=0.66, relevance_threshold=0.4)
    assert check_flips(rows, old) == []
    new = old.with_overrides(check_threshold=0.5, claim_check_answers=True)
    assert check_flips(rows, new) == ["under_new", "vetoed"]
