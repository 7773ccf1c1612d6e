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
