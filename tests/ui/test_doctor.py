"""`citewire doctor`: one line per check, exit 0 when all pass, 1 (with the failing line) when one does not."""

from __future__ import annotations

from pathlib import Path

from ui.cli import main


def test_doctor_passes_on_a_working_install_and_index(seed_index, capsys) -> None:
    assert main(["--data-dir", str(seed_index.data_dir), "doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[1] for line in lines]
    assert names == ["cpu", "llm", "embedding", "index"] and all(line.startswith("ok") for line in lines)
    assert "sha256 ok" in lines[1] and "5 articles" in lines[3]


def test_doctor_names_what_fails(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path / "empty"), "--llm", "none", "--llm-url", "http://127.0.0.1:9",
                 "doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL index" in out and "citewire ingest" in out
    assert "FAIL llm server http://127.0.0.1:9 unreachable" in out
