"""The `citewire` command: ingest, status, ask, chat, eval, serve, slack, feedback.

User errors (bad path, empty question, unreachable server, corrupt index) print one line starting with
`error:` and exit 1 or 2; they never print a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from index.settings import ConfigError, Settings

log = logging.getLogger("citewire")


def _user_errors() -> tuple[type[BaseException], ...]:
    from index.embed import ModelError
    from index.ingest import IngestError
    from index.store import IndexError_
    from qa.answer import QuestionError
    from qa.llm import LLMError

    return (ConfigError, IndexError_, IngestError, QuestionError, LLMError, ModelError)


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS: options may come before or after the subcommand without one erasing the other
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--data-dir", type=Path, help="index directory (env CITEWIRE_DATA_DIR)")
    common.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000 (env CITEWIRE_CHROMA_URL)")
    common.add_argument("--llm", help="embedded | none | openai | PATH.gguf (env CITEWIRE_LLM)")
    common.add_argument("--llm-url", help="OpenAI-compatible server base URL (env CITEWIRE_LLM_URL)")
    common.add_argument("--llm-model", help="model name to ask the server for (env CITEWIRE_LLM_MODEL)")
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")

    p = argparse.ArgumentParser(prog="citewire", parents=[common],
                                description="Ask questions of news articles; answers cite the article and sentence.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", parents=[common], help="index files and folders (default: corpus/)")
    s.add_argument("paths", nargs="*", type=Path)
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

    s = sub.add_parser("serve", parents=[common], help="the web chat and JSON API")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7860)
    s.add_argument("--share", action="store_true", help="also open a public Gradio share link")
    s.add_argument("--auth", help="user:password for basic auth (env CITEWIRE_AUTH)")

    s = sub.add_parser("slack", parents=[common], help="the Slack bot (Socket Mode, or --http)")
    s.add_argument("--http", action="store_true", help="serve the Events API over HTTP instead of Socket Mode")
    s.add_argument("--port", type=int, default=3000)
    s.add_argument("--host", default="127.0.0.1")

    s = sub.add_parser("feedback", parents=[common], help="answer feedback from the web UI and Slack")
    s.add_argument("action", choices=["export"])
    s.add_argument("--out", type=Path, help="file to write (default: stdout)")
    return p


def settings_from(args: argparse.Namespace) -> Settings:
    names = ("data_dir", "chroma_url", "llm", "llm_url", "llm_model")
    return Settings.load({name: getattr(args, name, None) for name in names})


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        settings = settings_from(args)
        return int(COMMANDS[args.command](args, settings) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except _user_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ConfigError) else 1


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from index.ingest import ingest

    paths = args.paths or [Path("corpus")]
    summary = ingest(paths, settings, prune=args.prune, progress=sys.stderr.isatty() or True, wait_for_lock=args.wait)
    for err in summary.errors:
        print(f"warning: {err}", file=sys.stderr)
    print(summary.line())
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


def _ask_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"top_k": args.top_k, "since": args.since, "until": args.until, "sources": args.source}


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from qa import Answer, ask_stream
    from ui.render import render_text

    answer: Answer | None = None
    streamed = False
    for event in ask_stream(args.question, settings=settings, **_ask_options(args)):
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


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from qa import ask
    from ui.render import render_text

    history: list[dict[str, str]] = []
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
            answer = ask(question, history, settings=settings, **_ask_options(args))
        except _user_errors() as exc:
            print(f"error: {exc}")
            continue
        print(render_text(answer))
        if answer.debug.get("query") and answer.debug["query"] != question:
            print(f"(understood as: {answer.debug['query']})")
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from qa.evaluate import evaluate, print_table

    if not args.file.is_file():
        raise _input_error(f"no such file: {args.file}; give a JSONL file of questions")
    report = evaluate(args.file, settings, limit=args.limit)
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


COMMANDS = {
    "ingest": cmd_ingest, "status": cmd_status, "ask": cmd_ask, "chat": cmd_chat, "eval": cmd_eval,
    "serve": cmd_serve, "slack": cmd_slack, "feedback": cmd_feedback,
}

if __name__ == "__main__":
    sys.exit(main())
