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
