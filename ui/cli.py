"""The `citewire` command: ingest, status, ask, chat, eval, serve, slack, feedback, doctor, settings.

User errors (`index.errors.UserError`: bad path, option or setting, empty question, unreachable server, corrupt
index) print one line starting with `error:` and exit with the error's code (2 for a bad option or setting, 1
for the rest); they never print a traceback. `main` maps them, once.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from index.errors import UserError
from index.ingest import ACCEPTED_SUFFIXES
from index.settings import Settings, as_toml

log = logging.getLogger("citewire")


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: options may come before or after the subcommand without one erasing the other
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--data-dir", type=Path, help="index directory (env CITEWIRE_DATA_DIR)")
    common.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000 (env CITEWIRE_CHROMA_URL)")
    common.add_argument("--llm", help="embedded | none | openai | PATH.gguf (env CITEWIRE_LLM)")
    common.add_argument("--llm-url", help="OpenAI-compatible server base URL (env CITEWIRE_LLM_URL)")
    common.add_argument("--llm-model", help="model name to ask the server for (env CITEWIRE_LLM_MODEL)")
    common.add_argument("-v", "--verbose", action="count",
                        help="log what happens (-vv: debug); overrides log_level (env CITEWIRE_LOG_LEVEL)")

    p = argparse.ArgumentParser(prog="citewire", parents=[common],
                                description="Ask questions of news articles; answers cite the article and sentence.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", parents=[common], help="index files and folders (default: corpus/)")
    s.add_argument("paths", nargs="*", type=Path, help=f"files or folders; reads {' '.join(ACCEPTED_SUFFIXES)}")
    s.add_argument("--prune", action="store_true", help="remove indexed articles whose files are gone")
    s.add_argument("--wait", action="store_true", help="wait for another running ingest instead of failing")

    s = sub.add_parser("status", parents=[common], help="what is indexed")
    s.add_argument("--json", action="store_true")

    for name, helptext in (("ask", "answer one question"), ("chat", "a terminal chat with follow-ups")):
        s = sub.add_parser(name, parents=[common], help=helptext)
        if name == "ask":
            s.add_argument("question")
            s.add_argument("--json", action="store_true")
        s.add_argument("--top-k", type=int)
        s.add_argument("--since", help="only articles published on/after YYYY-MM-DD")
        s.add_argument("--until", help="only articles published on/before YYYY-MM-DD")
        s.add_argument("--source", action="append", help="only this outlet (repeatable)")

    s = sub.add_parser("eval", parents=[common], help="score answers against a JSONL file of questions")
    s.add_argument("file", type=Path)
    s.add_argument("--json", action="store_true")
    s.add_argument("--out", type=Path, help="write the full report as JSON here")
    s.add_argument("--min-accuracy", type=float, help="exit 3 when accuracy is below this")
    s.add_argument("--limit", type=int, help="only the first N items")
    s.add_argument("--ablate", action="append", metavar="CHECK",
                   help="also run with this check off and print what every figure changes (repeatable; "
                        "names in qa/checks/)")
    s.add_argument("--split", choices=["tune", "test", "all"], default="all",
                   help="items by a stable hash of their id: fit on tune, report test (default: all)")

    s = sub.add_parser("serve", parents=[common], help="the web chat and JSON API")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7860)
    s.add_argument("--share", action="store_true", help="also open a public Gradio share link")
    s.add_argument("--auth", help="user:password for basic auth (env CITEWIRE_AUTH)")

    s = sub.add_parser("slack", parents=[common], help="the Slack bot (Socket Mode, or --http)")
    s.add_argument("--http", action="store_true", help="serve the Events API over HTTP instead of Socket Mode")
    s.add_argument("--port", type=int, default=3000)
    s.add_argument("--host", default="127.0.0.1")

    sub.add_parser("doctor", parents=[common], help="check the CPU, models, index and servers; exit 1 on a failure")
    sub.add_parser("settings", parents=[common],
                   help="print the settings in effect by group, as citewire.toml sections (secrets hidden)")

    s = sub.add_parser("feedback", parents=[common], help="answer feedback from the web UI and Slack")
    s.add_argument("action", choices=["export"])
    s.add_argument("--out", type=Path, help="file to write (default: stdout)")
    return p


def settings_from(args: argparse.Namespace) -> Settings:
    names = ("data_dir", "chroma_url", "llm", "llm_url", "llm_model")
    return Settings.load({name: getattr(args, name, None) for name in names})


def log_level(settings: Settings, verbose: int) -> int:
    """-v forces INFO, -vv DEBUG; otherwise the log_level setting (default WARNING)."""
    if verbose:
        return logging.DEBUG if verbose > 1 else min(logging.INFO, settings.log_level_number)
    return settings.log_level_number


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        settings = settings_from(args)
        level = log_level(settings, getattr(args, "verbose", 0) or 0)
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger().setLevel(level)  # also when a handler was set up before (basicConfig does nothing then)
        return int(COMMANDS[args.command](args, settings) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except UserError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return exc.exit_code


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from index.ingest import ingest

    paths = args.paths or [Path("corpus")]
    summary = ingest(paths, settings, prune=args.prune, progress=sys.stderr.isatty() or True, wait_for_lock=args.wait)
    for err in summary.errors:
        print(f"warning: {err}", file=sys.stderr)
    print(summary.line())
    if summary.errors and not (summary.added or summary.updated or summary.unchanged):
        print(f"error: no article could be read ({len(summary.errors)} problem(s) above); nothing was indexed",
              file=sys.stderr)
        return 1
    return 0


def status_dict(settings: Settings) -> dict[str, Any]:
    from index.store import Store

    store = Store(settings)
    articles, chunks = store.counts()
    return {
        "articles": articles, "chunks": chunks, "data_dir": str(settings.data_dir),
        "chroma": settings.chroma_url or str(settings.chroma_path),
        "embedding_model": store.meta("embedding_model") or settings.embedding_model,
        "llm": settings.llm_label, "last_ingest": store.meta("last_ingest"),
        "sources": store.sources(),
    }


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    info = status_dict(settings)
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        for key, value in info.items():
            print(f"{key:16} {', '.join(value) if isinstance(value, list) else value}")
    return 0


def _ask_options(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """--top-k, --since, --until, --source checked as the web API checks them (qa.options); outlets against the index."""
    from qa import get_engine
    from qa.options import ask_options

    return ask_options(top_k=args.top_k, since=args.since, until=args.until, sources=args.source,
                       known_sources=lambda: get_engine(settings).store.sources(),
                       since_name="--since", until_name="--until")


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from qa import Answer, ask_stream
    from ui.render import render_text

    answer: Answer | None = None
    streamed = False
    for event in ask_stream(args.question, settings=settings, **_ask_options(args, settings)):
        if isinstance(event, Answer):
            answer = event
        elif isinstance(event, str) and not args.json and sys.stdout.isatty():
            print(event, end="", flush=True)
            streamed = True
    assert answer is not None
    if args.json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        if streamed:
            print("\r\033[K", end="")
        print(render_text(answer))
    return 0


class Progress:
    """One status line on stderr while an answer is worked out: rewritten in place on a terminal, else one
    line per step (so a log or a pipe shows the steps too)."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = ""

    def show(self, text: str) -> None:
        if text == self.shown:
            return
        self.shown = text
        if self.tty:
            print(f"\r\033[K{text}", end="", file=self.stream, flush=True)
        else:
            print(text, file=self.stream, flush=True)

    def clear(self) -> None:
        if self.tty and self.shown:
            print("\r\033[K", end="", file=self.stream, flush=True)
        self.shown = ""


def answer_with_progress(question: str, history: list[dict[str, str]], settings: Settings,
                         options: dict[str, Any], progress: Progress) -> Any:
    """ask_stream with a status line: searching, found N passages / writing, checking; returns the Answer."""
    from qa import Answer, Evidence, ask_stream

    answer = None
    words = 0
    progress.show("searching the articles\u2026")
    try:
        for event in ask_stream(question, history, settings=settings, **options):
            if isinstance(event, Answer):
                answer = event
            elif isinstance(event, Evidence):
                n = len(event.citations)
                progress.show(f"found {n} passage{'s' * (n != 1)}; writing the answer\u2026" if event.answerable
                              else "nothing close enough in the articles; checking\u2026")
            elif isinstance(event, str):
                words += len(event.split())
                progress.show(f"writing the answer ({words} words), then checking each claim\u2026" if progress.tty
                              else "writing the answer, then checking each claim against the sources\u2026")
    finally:
        progress.clear()
    assert answer is not None
    return answer


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from ui.render import render_text

    history: list[dict[str, str]] = []
    progress = Progress()
    print("citewire chat: ask about the articles; an empty line or Ctrl-D quits.")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        try:
            answer = answer_with_progress(question, history, settings, _ask_options(args, settings), progress)
        except UserError as exc:
            print(f"error: {exc.message}")
            continue
        print(render_text(answer))
        if answer.debug.get("query") and answer.debug["query"] != question:
            print(f"(understood as: {answer.debug['query']})")
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from qa.evaluate import evaluate, print_table

    if not args.file.is_file():
        raise _input_error(f"no such file: {args.file}; give a JSONL file of questions")
    if args.ablate:
        from qa.checks import CHECKS, unknown_checks
        from qa.evaluate import ablate, print_ablation
        from qa.options import OptionError

        bad = unknown_checks(args.ablate)
        if bad:
            raise OptionError(f"unknown check {bad[0]!r}; the checks are: {', '.join(CHECKS)}")
        reports = ablate(args.file, settings, args.ablate, limit=args.limit, split=args.split)
        if args.out:
            args.out.write_text(json.dumps(reports, indent=2, ensure_ascii=False))
        print_ablation(reports)
        return 0
    report = evaluate(args.file, settings, limit=args.limit, split=args.split)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_table(report)
    if args.min_accuracy is not None and report["accuracy"] < args.min_accuracy:
        return 3
    return 0


def _input_error(msg: str) -> Exception:
    from index.ingest import IngestError

    return IngestError(msg)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from ui.web import serve

    serve(settings, host=args.host, port=args.port, share=args.share, auth=args.auth or os.environ.get("CITEWIRE_AUTH"))
    return 0


def cmd_slack(args: argparse.Namespace, settings: Settings) -> int:
    from ui.slack.app import run

    return int(run(settings, http=args.http, host=args.host, port=args.port) or 0)


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from ui.feedback import FeedbackStore

    store = FeedbackStore(settings.data_dir)
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    n = store.export_jsonl(out)
    if args.out:
        out.close()
    print(f"{n} feedback record(s) exported", file=sys.stderr)
    return 0


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    from ui.doctor import run_checks

    checks = run_checks(settings)
    for c in checks:
        print(c.line())
    return 0 if all(c.ok for c in checks) else 1


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    print(as_toml(settings), end="")
    return 0


COMMANDS = {
    "ingest": cmd_ingest, "status": cmd_status, "ask": cmd_ask, "chat": cmd_chat, "eval": cmd_eval,
    "serve": cmd_serve, "slack": cmd_slack, "feedback": cmd_feedback, "doctor": cmd_doctor,
    "settings": cmd_settings,
}

if __name__ == "__main__":
    sys.exit(main())
