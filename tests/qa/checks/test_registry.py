"""The registry of qa/checks/: every check named once, in the declared order, with real settings fields."""

import dataclasses

import pytest

from index.settings import Settings
from qa.checks import CHECKS, EVIDENCE_FIT, REGISTRY, Verdict, enabled, unknown_checks


def test_names_are_unique_and_checks_lists_them_in_order() -> None:
    names = [c.name for c in REGISTRY]
    assert len(names) == len(set(names))
    assert list(CHECKS) == names
    assert all(CHECKS[c.name] == c.description and c.description for c in REGISTRY)


def test_the_declared_order() -> None:
    names = [c.name for c in REGISTRY]
    assert names[:4] == [c.name for c in EVIDENCE_FIT] == ["year", "numbered", "still_to_come", "former_role"]
    assert names.index("answer_type") < names.index("llm_check") < names.index("agreement") < names.index("corroborate")
    assert names[-2:] == ["missing_names", "spelling"]


def test_every_check_reads_only_settings_fields() -> None:
    fields = {f.name for f in dataclasses.fields(Settings)}
    for check in REGISTRY:
        assert set(check.settings) <= fields, check.name


def test_enabled_and_unknown_checks() -> None:
    s = Settings(disabled_checks=("year",))
    assert not enabled(s, "year") and enabled(s, "still_to_come")
    with pytest.raises(AssertionError):
        enabled(s, "no_such_check")
    assert unknown_checks(["year", "yaer", "llm_check"]) == ["yaer"]


def test_a_verdict_is_frozen_and_reads_as_a_dict() -> None:
    v = Verdict("year", False, "other_year", "it is about 2034, not 2031")
    assert v.as_dict() == {"check": "year", "ok": False, "code": "other_year", "detail": "it is about 2034, not 2031"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.ok = True  # type: ignore[misc]
