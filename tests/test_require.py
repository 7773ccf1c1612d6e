"""`require`: a missing optional part (Chromium, RGB corpus, `chroma` CLI, server extra) skips locally, fails in CI."""

from __future__ import annotations

import pytest
from conftest import in_ci, missing, require


@pytest.mark.parametrize("value", ["true", "1", "yes", "True"])
def test_missing_part_fails_under_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match="chromium is missing.*CI is set"):
        require(False, "chromium is missing")
    with pytest.raises(pytest.fail.Exception):
        missing("the RGB corpus is not there")


@pytest.mark.parametrize("value", [None, "", "0", "false"])
def test_missing_part_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match="chromium is missing"):
        require(False, "chromium is missing")


def test_present_part_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require(True, "never shown")
