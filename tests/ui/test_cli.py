"""The CLI's user errors: one clear line on stderr, a non-zero exit, no traceback, nothing lost."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_settings

from index.store import Store
from ui.cli import main


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, *needles: str) -> None:
    lines = [ln for ln in err.strip().splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for n in needles:
        assert n in lines[0], (n, lines[0])


def test_status_json(seed_index_nollm, capsys) -> None:
    code, out, _ = run(["--data-dir", str(seed_index_nollm.data_dir), "status", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["articles"] == 5 and data["chunks"] > 10
    assert {"data_dir", "embedding_model", "llm", "last_ingest"} <= set(data)


@pytest.mark.parametrize("question,needle", [("   ", "empty"), ("x" * 501, "over the limit")])
def test_bad_questions(seed_index_nollm, capsys, question: str, needle: str) -> None:
    code, _, err = run(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "ask", question], capsys)
    assert code == 1
    one_line_error(err, needle)


def test_ask_before_ingest(tmp_path: Path, capsys) -> None:
    code, _, err = run(["--data-dir", str(tmp_path / "empty"), "ask", "Who met?"], capsys)
    assert code == 1
    one_line_error(err, "citewire ingest")


def test_not_a_citewire_index(tmp_path: Path, capsys) -> None:
    (tmp_path / "stuff.txt").write_text("hello")
    code, _, err = run(["--data-dir", str(tmp_path), "ask", "Who met?"], capsys)
    assert code == 1
    one_line_error(err, "not a citewire index")


def test_corrupt_index(tmp_path: Path, capsys) -> None:
    (tmp_path / "citewire.sqlite").write_bytes(b"this is not sqlite" * 100)
    code, _, err = run(["--data-dir", str(tmp_path), "status"], capsys)
    assert code == 1
    one_line_error(err, "corrupt")


def test_missing_path_and_unsupported_file(tmp_path: Path, capsys, corpus_copy: Path) -> None:
    data = tmp_path / "d"
    code, _, err = run(["--data-dir", str(data), "ingest", str(tmp_path / "nope")], capsys)
    assert code == 1
    one_line_error(err, "no such file or folder")
    (corpus_copy / "scan.pdf").write_bytes(b"%PDF")
    code, out, err = run(["--data-dir", str(data), "ingest", str(corpus_copy)], capsys)
    assert code == 0 and "5 added" in out and "unsupported file type '.pdf'" in err


def test_bad_input_never_loses_the_index(tmp_path: Path, capsys, corpus_copy: Path) -> None:
    settings = make_settings(tmp_path / "d")
    assert main(["--data-dir", str(settings.data_dir), "ingest", str(corpus_copy)]) == 0
    before = Store(settings).counts()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.md").write_text("---\ntitle: [\n---\nbody")
    (bad / "y.txt").write_bytes(b"\xff\xfe\x00\x00")
    main(["--data-dir", str(settings.data_dir), "ingest", str(bad)])
    main(["--data-dir", str(settings.data_dir), "ask", ""])
    capsys.readouterr()
    assert Store(settings).counts() == before


def test_unreachable_llm_server(seed_index_nollm, capsys) -> None:
    code, _, err = run(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "openai", "--llm-url", "http://127.0.0.1:9",
                        "ask", "When did Bolton say the meeting would happen?"], capsys)
    assert code == 1
    one_line_error(err, "http://127.0.0.1:9")


def test_console_script_answers_with_sources(seed_index_nollm) -> None:
    """The installed `citewire` command itself, as a user runs it (extractive answer for speed)."""
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "--data-dir", str(seed_index_nollm.data_dir), "--llm", "none",
                           "ask", "What was Defense Secretary Jim Mattis considering?"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Sources:" in proc.stdout and "[1]" in proc.stdout and "defense chiefs" in proc.stdout
