"""Settings from defaults, citewire.toml and CITEWIRE_* env vars: typed values, one-line errors."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from index.errors import UserError
from index.settings import ConfigError, Settings

NO_FILE = Path("/nonexistent")


@pytest.mark.parametrize("word, expected", [
    ("false", False), ("False", False), ("0", False), ("no", False), ("off", False), (" OFF ", False),
    ("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True),
])
def test_env_booleans_are_coerced(monkeypatch: pytest.MonkeyPatch, word: str, expected: bool) -> None:
    monkeypatch.setenv("CITEWIRE_LLM_CHECK", word)
    assert Settings.load(config_file=NO_FILE).llm_check is expected


@pytest.mark.parametrize("word", ["maybe", "2", "yess", "-1"])
def test_a_bad_boolean_is_a_one_line_config_error(monkeypatch: pytest.MonkeyPatch, word: str) -> None:
    monkeypatch.setenv("CITEWIRE_LLM_CHECK", word)
    with pytest.raises(ConfigError) as err:
        Settings.load(config_file=NO_FILE)
    message = str(err.value)
    assert "llm_check" in message and word in message and "true" in message and "false" in message
    assert "\n" not in message


def test_toml_values_are_typed(tmp_path: Path) -> None:
    toml = tmp_path / "citewire.toml"
    toml.write_text('llm_check = false\ntop_k = 7\nrefusal_threshold = 0.5\nlog_level = "info"\n'
                    'data_dir = "~/somewhere"\n')
    s = Settings.load(config_file=toml)
    assert s.llm_check is False and s.top_k == 7 and s.refusal_threshold == 0.5
    assert s.log_level == "INFO" and s.log_level_number == logging.INFO
    assert s.data_dir == Path("~/somewhere").expanduser()
    toml.write_text('llm_check = "no"\n')
    assert Settings.load(config_file=toml).llm_check is False


@pytest.mark.parametrize("text, needle", [
    ('top_k = "many"\n', "top_k"),
    ("top_k = 2.5\n", "top_k"),
    ("llm_check = 3\n", "llm_check"),
    ('log_level = "chatty"\n', "log_level"),
    ("llm_url = [1, 2]\n", "llm_url"),
    ("top_k = \n", "not valid TOML"),
])
def test_bad_toml_values_are_one_line_errors(tmp_path: Path, text: str, needle: str) -> None:
    toml = tmp_path / "citewire.toml"
    toml.write_text(text)
    with pytest.raises(ConfigError) as err:
        Settings.load(config_file=toml)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_env_wins_over_toml_and_overrides_win_over_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "citewire.toml"
    toml.write_text("top_k = 7\nllm_check = true\n")
    monkeypatch.setenv("CITEWIRE_TOP_K", "9")
    monkeypatch.setenv("CITEWIRE_LLM_CHECK", "off")
    s = Settings.load(config_file=toml)
    assert s.top_k == 9 and s.llm_check is False
    assert Settings.load({"top_k": 3}, config_file=toml).top_k == 3


def test_config_error_is_a_user_error() -> None:
    err = ConfigError("setting x is bad")
    assert isinstance(err, UserError) and err.exit_code == 2 and err.message == "setting x is bad"


def test_log_level_is_read_by_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.cli import log_level

    monkeypatch.setenv("CITEWIRE_LOG_LEVEL", "error")
    s = Settings.load(config_file=NO_FILE)
    assert log_level(s, 0) == logging.ERROR
    assert log_level(s, 1) == logging.INFO and log_level(s, 2) == logging.DEBUG  # -v, -vv still win
    assert log_level(Settings.load({"log_level": "debug"}, config_file=NO_FILE), 1) == logging.DEBUG


# ---- groups: [section]s in citewire.toml, CITEWIRE_<GROUP>__<KEY>, `citewire settings` ---------------------
def test_every_field_is_in_exactly_one_group() -> None:
    from dataclasses import fields

    from index.settings import GROUPS

    listed = [name for names in GROUPS.values() for name in names]
    assert sorted(listed) == sorted(f.name for f in fields(Settings))  # each field once, no stale names
    grouped = Settings.load(config_file=NO_FILE).grouped()
    assert list(grouped) == list(GROUPS)
    assert sorted(n for values in grouped.values() for n in values) == sorted(listed)


def test_check_settings_are_in_the_checks_group() -> None:
    from index.settings import group_of
    from qa.checks import REGISTRY

    assert {group_of(name) for check in REGISTRY for name in check.settings} == {"checks"}


def test_sections_map_to_fields_and_flat_keys_still_work(tmp_path: Path) -> None:
    toml = tmp_path / "citewire.toml"
    toml.write_text('top_k = 7\nllm_model = "qwen"\n\n[llm]\nurl = "http://127.0.0.1:8080"\nmax_tokens = 200\n'
                    'llm = "openai"\nllm_retries = 4\n\n[checks]\ncheck_threshold = 0.8\n\n[log]\nlevel = "debug"\n')
    s = Settings.load(config_file=toml)
    assert s.llm_url == "http://127.0.0.1:8080" and s.llm_max_tokens == 200 and s.llm == "openai"
    assert s.llm_retries == 4 and s.check_threshold == 0.8 and s.log_level == "DEBUG"
    assert s.top_k == 7 and s.llm_model == "qwen"
    grouped = s.grouped()
    assert grouped["llm"]["llm_url"] == "http://127.0.0.1:8080" and grouped["checks"]["check_threshold"] == 0.8


@pytest.mark.parametrize("text, needles", [
    ('[lm]\nurl = "x"\n', ["[lm]", "url", "storage, embedding", "llm"]),
    ('[llm]\nurll = "x"\n', ["[llm]", "urll", "url, model, api_key", "max_tokens"]),
    ("[checks]\ntop_k = 3\n", ["[checks]", "top_k", "check_threshold"]),
    ("top_k = 3\n[retrieval]\ntop_k = 4\n", ["top_k", "twice"]),
    ('[llm]\nmax_tokens = "lots"\n', ["llm_max_tokens", "'lots'", "whole number"]),
])
def test_a_bad_section_or_key_is_a_one_line_error(tmp_path: Path, text: str, needles: list[str]) -> None:
    toml = tmp_path / "citewire.toml"
    toml.write_text(text)
    with pytest.raises(ConfigError) as err:
        Settings.load(config_file=toml)
    message = str(err.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message, (needle, message)
    if "twice" not in message and "lots" not in message:
        assert str(toml) in message


def test_double_underscore_env_vars_name_a_group_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "citewire.toml"
    toml.write_text("[llm]\nmax_tokens = 200\n")
    monkeypatch.setenv("CITEWIRE_LLM__MAX_TOKENS", "300")
    monkeypatch.setenv("CITEWIRE_CHECKS__CHECK_THRESHOLD", "0.9")
    s = Settings.load(config_file=toml)
    assert s.llm_max_tokens == 300 and s.check_threshold == 0.9  # env wins over the file, as flat vars do
    monkeypatch.setenv("CITEWIRE_LLM_MAX_TOKENS", "400")
    with pytest.raises(ConfigError, match="CITEWIRE_LLM_MAX_TOKENS and CITEWIRE_LLM__MAX_TOKENS"):
        Settings.load(config_file=toml)
    monkeypatch.delenv("CITEWIRE_LLM_MAX_TOKENS")
    monkeypatch.setenv("CITEWIRE_LLM__TOKENS", "5")
    with pytest.raises(ConfigError) as err:
        Settings.load(config_file=toml)
    assert "CITEWIRE_LLM__TOKENS" in str(err.value) and "max_tokens" in str(err.value) and "\n" not in str(err.value)


def test_as_toml_is_a_citewire_toml_that_loads_back_with_secrets_hidden(tmp_path: Path) -> None:
    from index.settings import as_toml

    s = Settings.load({"llm_api_key": "sk-very-secret", "llm_url": "http://h:1", "disabled_checks": "year,title",
                       "data_dir": tmp_path}, config_file=NO_FILE)
    text = as_toml(s)
    assert "sk-very-secret" not in text and 'api_key = "****"' in text
    assert "max_tokens = 120" in text  # "tokens" is not a secret word
    toml = tmp_path / "citewire.toml"
    toml.write_text(text.replace('"****"', '"sk-very-secret"'))
    assert Settings.load(config_file=toml) == s

