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


@pytest.mark.parametrize("question,needle", [("   ", "empty"), ("x" * 2001, "over the limit of 2000")])
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


def test_own_files_before_any_ingest_are_not_a_foreign_folder(tmp_path: Path, capsys) -> None:
    # the web chat writes its conversations and feedback into a fresh data dir before anything is ingested
    for name in ("conversations.sqlite", "conversations.sqlite-wal", "feedback.sqlite", "ingest.lock"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "uploads").mkdir()
    code, _, err = run(["--data-dir", str(tmp_path), "ask", "Who met?"], capsys)
    assert code == 1
    one_line_error(err, "citewire ingest")


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
    (corpus_copy / "sheet.xlsx").write_bytes(b"PK")
    code, out, err = run(["--data-dir", str(data), "ingest", str(corpus_copy)], capsys)
    assert code == 0 and "5 added" in out and "unsupported file type '.xlsx'" in err
    assert "scan.pdf: not a readable PDF" in err and "Traceback" not in err


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
    assert "could not be verified" not in proc.stdout + proc.stderr  # --llm none: nothing was phrased to verify


# ---- options: checked as the web API checks them (qa.options), one line, exit 2 ---------------------------
@pytest.mark.parametrize("options, needles", [
    (["--since", "07/01/2018"], ["--since", "'07/01/2018'", "YYYY-MM-DD"]),
    (["--until", "2018-13-45"], ["--until", "YYYY-MM-DD"]),
    (["--since", "20180701"], ["YYYY-MM-DD"]),
    (["--since", "2018-08-01", "--until", "2018-07-01"], ["after"]),
    (["--top-k", "0"], ["top_k", "1 to 50"]),
    (["--top-k", "999"], ["top_k", "1 to 50"]),
])
def test_bad_options_are_one_line_errors(seed_index_nollm, capsys, options: list[str], needles: list[str]) -> None:
    code, out, err = run(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "ask", *options,
                          "When did Bolton say the meeting would happen?"], capsys)
    assert code == 2 and not out, (out, err)
    one_line_error(err, *needles)


def test_options_and_api_share_one_check() -> None:
    from qa import options
    from ui import cli, web

    assert web.ask_options is options.ask_options
    assert "ask_options" in cli._ask_options.__code__.co_names


def test_unknown_outlet_names_the_known_ones(seed_index_nollm, capsys) -> None:
    code, _, err = run(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "ask", "--source", "Nowhere Times",
                        "Did Trump invite Putin?"], capsys)
    assert code == 2
    one_line_error(err, "'Nowhere Times'", "known outlets:", "Daily Express", "Euronews", "RFE/RL", "Washington Examiner")


def test_outlets_match_whatever_the_case(seed_index_nollm, capsys) -> None:
    code, out, err = run(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "ask", "--json",
                          "--source", "daily express", "Did Trump invite Putin?"], capsys)
    assert code == 0, err
    answer = json.loads(out)
    assert {c["source"] for c in answer["citations"] or answer["closest"]} == {"Daily Express"}


def test_unknown_outlet_message_lists_at_most_ten() -> None:
    from qa.options import OptionError, parse_sources

    known = [f"Outlet {i:02d}" for i in range(25)]
    with pytest.raises(OptionError) as err:
        parse_sources(["Nope"], known)
    assert "Outlet 09" in err.value.message and "Outlet 10" not in err.value.message and "15 more" in err.value.message


# ---- ingest: each problem once; a run where nothing could be read fails --------------------------------
def test_ingest_reports_each_bad_file_once_and_fails_when_all_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.md").write_text("---\ntitle: [\n---\nbody")
    (bad / "y.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (bad / "z.jsonl").write_text('{"id": "z-1", "title": "Cut o')
    proc = subprocess.run([sys.executable, "-m", "ui.cli", "--data-dir", str(tmp_path / "d"), "ingest", str(bad)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in ("x.md", "y.txt", "z.jsonl"):
        mentions = [ln for ln in proc.stderr.splitlines() if name in ln]
        assert len(mentions) == 1, (name, proc.stderr)
        assert mentions[0].startswith("warning: "), mentions
    assert [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")] == [
        "error: no article could be read (3 problem(s) above); nothing was indexed"]


# ---- chat: progress while it works -----------------------------------------------------------------------
def test_chat_shows_progress_on_stderr(seed_index_nollm, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    questions = iter(["When did Bolton say the meeting would happen?", "x" * 2001])

    def fake_input(prompt: str = "") -> str:
        try:
            return next(questions)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    code, out, err = run(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "chat"], capsys)
    assert code == 0
    assert "searching the articles" in err and "passages; writing the answer" in err, err
    assert "Sources:" in out and "error: the question is 2001 characters" in out


# ---- settings: by group, as citewire.toml sections, secrets hidden; a bad section is one line -------------
def test_settings_prints_every_group(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    from index.settings import GROUPS, Settings

    monkeypatch.setenv("CITEWIRE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("CITEWIRE_LLM_API_KEY", "sk-very-secret")
    code, out, err = run(["--data-dir", str(tmp_path), "--llm-url", "http://127.0.0.1:9", "settings"], capsys)
    assert code == 0 and not err
    assert [ln for ln in out.splitlines() if ln.startswith("[")] == [f"[{g}]" for g in GROUPS]
    assert f'data_dir = "{tmp_path}"' in out and 'url = "http://127.0.0.1:9"' in out and f"top_k = {Settings().top_k}" in out
    assert "sk-very-secret" not in out and 'api_key = "****"' in out
    assert all(" = " in ln for ln in out.splitlines() if ln and not ln.startswith("["))


def test_a_bad_section_in_citewire_toml_is_one_line(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "citewire.toml"
    toml.write_text('[llm]\nurll = "http://127.0.0.1:9"\n')
    monkeypatch.setenv("CITEWIRE_CONFIG", str(toml))
    code, out, err = run(["--data-dir", str(tmp_path), "settings"], capsys)
    assert code == 2 and not out
    one_line_error(err, str(toml), "[llm]", "urll", "its keys: llm, url, model")
