"""`citewire serve`: the Gradio chat page and the JSON API, one FastAPI app served by uvicorn.

    GET  /               the chat (Gradio): streamed answers, source cards, filters, feedback, Articles tab
    POST /api/ask        {"question", "history", "filters": {"since", "until", "sources"}} -> Answer JSON
    GET  /api/health     {"status": "ok", "articles": N, "chunks": N}
    GET  /api/docs       citewire's own API documentation (ui/static/api.html; /api/openapi.json for machines)

User errors (`index.errors.UserError`) come back as readable messages (chat) or as {"error": ...} with the
error's HTTP status (API: 400 bad request, 503 index or model unavailable); every other 4xx/5xx of /api/* has
the same {"error": ...} shape (404, 405, 413 over MAX_BODY_BYTES, 500). Never a traceback.
The HTML is made by the pure functions of `ui.web_render`, which escape everything an article contains.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import queue
import re
import secrets
import shutil
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from html import escape
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no phoning home, before gradio is imported
import gradio as gr  # noqa: E402  (module level: Gradio and FastAPI read the handlers' type hints from here)
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import HTMLResponse, JSONResponse, Response  # noqa: E402
from starlette.concurrency import run_in_threadpool  # noqa: E402

from index.errors import UserError
from index.ingest import ACCEPTED_SUFFIXES
from index.settings import ConfigError, Settings
from qa.options import ask_options

log = logging.getLogger(__name__)


STATIC = Path(__file__).resolve().parent / "static"
UPLOAD_DIR = "uploads"
TRASH_DIR = "removed"  # uploads removed from the page wait here, so Remove can be undone
SUPPORTED_UPLOADS: tuple[str, ...] = tuple(s.lower() for s in ACCEPTED_SUFFIXES)  # what ingest reads
# system fonts: the page must not fetch anything from the internet
THEME = gr.themes.Soft(font=["system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
                       font_mono=["ui-monospace", "Consolas", "monospace"])
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
MAX_BODY_BYTES = 1 << 20  # POST /api/*: a question, its history and filters fit in far less
API_PREFIX = "/api/"


class RequestError(UserError):
    """A malformed API request; the message says what to send instead."""

    exit_code = 2
    http_status = 400


# ---- inputs --------------------------------------------------------------------------------------
def parse_auth(auth: str | None) -> tuple[str, str] | None:
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ConfigError("--auth (or CITEWIRE_AUTH) must be user:password, both non-empty")
    return user, password


def parse_history(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise RequestError('history must be a list of {"role": "user"|"assistant", "content": "..."}')
    return value


# ---- the app's state and actions (no Gradio here: the API and the page both use it) ---------------
class WebApp:
    """What the page and the API do, for one Settings: ask, list/upload/remove articles, feedback."""

    def __init__(self, settings: Settings) -> None:
        from qa import get_engine

        self.settings = settings
        self.engine = get_engine(settings)
        self._feedback: Any = None
        self._conversations: Any = None
        self._examples: list[str] | None = None
        self._write_lock = threading.Lock()
        self._turns: dict[str, threading.Event] = {}
        self._turns_lock = threading.Lock()
        self._removed: dict[str, Path] = {}  # article id -> the file that puts it back (Undo)

    # -- reading the index (through the engine's Store: the SQLite manifest, never Chroma directly)
    def counts(self) -> tuple[int, int]:
        from index.store import IndexError_

        try:
            return self.engine.store.counts()
        except IndexError_:
            return 0, 0

    def articles(self) -> list[Any]:
        from index.store import IndexError_

        try:
            return self.engine.store.articles()
        except IndexError_:
            return []

    def sources(self) -> list[str]:
        from index.store import IndexError_

        try:
            return self.engine.store.sources()
        except IndexError_:
            return []

    def example_questions(self, limit: int = 4) -> list[str]:
        """Questions for the empty chat, drawn from the indexed articles' sentences (see ui.examples)."""
        from ui.examples import example_questions

        if self._examples is None:
            try:
                self._examples = example_questions(self.engine.store, limit)
            except Exception:  # examples are a nicety; the page must load without them
                log.exception("could not make example questions")
                self._examples = []
        return list(self._examples)

    def health(self) -> dict[str, Any]:
        from index.store import IndexError_

        try:
            articles, chunks = self.engine.store.counts()
        except IndexError_ as exc:
            return {"status": "ok", "articles": 0, "chunks": 0, "warning": str(exc)}
        out: dict[str, Any] = {"status": "ok", "articles": articles, "chunks": chunks}
        if chunks == 0:
            out["warning"] = "nothing is indexed yet; run `citewire ingest` or upload articles"
        return out

    def warm_up(self) -> None:
        """Load the embedding model and the LLM before the first question (each takes seconds)."""
        for what in ("embedder", "llm"):
            try:
                getattr(self.engine, what)
            except Exception as exc:  # a broken model is reported per question; the page still serves
                log.warning("could not load the %s yet: %s", what, exc)

    # -- asking
    def ask_stream(self, question: str, history: Sequence[Any], since: str | None, until: str | None,
                   sources: Sequence[str] | None, cancel: threading.Event | None = None) -> Iterator[Any]:
        from qa import ask_stream

        return ask_stream(question, list(history), settings=self.settings, since=since, until=until,
                          sources=list(sources) if sources else None, cancel=cancel)

    def api_ask(self, body: Any) -> tuple[int, dict[str, Any]]:
        """POST /api/ask: (status code, JSON body)."""
        from qa import ask

        try:
            if not isinstance(body, dict):
                raise RequestError('send a JSON object: {"question": "...", "history": [], "filters": {}}')
            question = body.get("question")
            if question is not None and not isinstance(question, str):
                raise RequestError("question must be a string")
            filters = body.get("filters") or {}
            if not isinstance(filters, dict):
                raise RequestError('filters must be an object: {"since", "until", "sources"}')
            options = ask_options(top_k=body.get("top_k"), since=filters.get("since"), until=filters.get("until"),
                                  sources=filters.get("sources"), known_sources=self.engine.store.sources)
            answer = ask(question or "", parse_history(body.get("history")), settings=self.settings, **options)
        except Exception as exc:
            return api_error(exc, "POST /api/ask")
        return 200, answer.to_dict()

    # -- articles
    @property
    def upload_dir(self) -> Path:
        return self.settings.data_dir / UPLOAD_DIR

    def add_files(self, paths: Sequence[str | Path], on_progress: Any = None) -> list[str]:
        """Copy uploads into the data dir and ingest them; returns readable lines about what happened."""
        from index.ingest import ingest

        self._examples = None

        lines: list[str] = []
        accepted: list[Path] = []
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        for raw in paths:
            src = Path(raw)
            name = _SAFE_NAME.sub("_", src.name).strip("._") or "upload"
            if src.suffix.lower() not in SUPPORTED_UPLOADS:
                lines.append(f"{src.name}: unsupported file type '{src.suffix or '(none)'}'; upload "
                             f"{', '.join(SUPPORTED_UPLOADS)}")
                continue
            dest = self.upload_dir / name
            shutil.copyfile(src, dest)
            accepted.append(dest)
        if not accepted:
            return lines or ["no files given"]
        before = {r.id: r.hash for r in self.articles()}
        with self._write_lock:
            try:
                summary = ingest(accepted, self.settings, progress=False, on_progress=on_progress, wait_for_lock=True)
            except UserError as exc:
                return [*lines, f"could not add the files: {exc.message}"]
        prefix = f"{self.upload_dir}{os.sep}"
        for err in summary.errors:
            lines.append(err.replace(prefix, ""))
        after = self.articles()
        added = [r for r in after if r.id not in before]
        updated = [r for r in after if r.id in before and before[r.id] != r.hash]
        for r in added:
            lines.insert(0, f"added: {r.title} ({r.id}, {r.n_chunks} chunk{'s' if r.n_chunks != 1 else ''})")
        for r in updated:
            lines.insert(0, f"updated: {r.title} ({r.id})")
        if summary.unchanged:
            lines.append(f"{summary.unchanged} article(s) already indexed, unchanged")
        return lines

    def remove(self, article_id: str) -> str:
        from index.ingest import IngestLock

        if not article_id:
            return "choose an article to remove first"
        try:
            record = self.engine.store.article(article_id)
            if record is None:
                return f"no article {article_id!r} in the index (already removed?)"
            with self._write_lock, IngestLock(self.settings.data_dir, wait=True):
                self.engine.store.remove_articles([article_id])
        except UserError as exc:
            return f"could not remove {article_id}: {exc.message}"
        path = Path(record.path) if record.path else None
        if path and path.parent == self.upload_dir and path.is_file():
            # an uploaded copy would otherwise come back with the next ingest of uploads/; kept aside for Undo
            self.trash_dir.mkdir(parents=True, exist_ok=True)
            path = Path(shutil.move(str(path), self.trash_dir / path.name))
        if path:
            self._removed[article_id] = path
        return f"removed: {record.title} ({article_id})"

    def read_article(self, article_id: str, start: int = 0, end: int = 0) -> dict[str, Any] | None:
        """One article for the reader: its metadata, its cleaned text and the reader's HTML (span highlighted)."""
        from ui import web_render as R

        found = self.engine.store.read_article(article_id)
        if found is None:
            return None
        record, text = found
        return {"id": record.id, "title": record.title, "source": record.source, "url": record.url,
                "published": record.published, "published_estimated": record.published_estimated,
                "text": text, "html": R.article_html(record, text, start, end)}

    def undo_remove(self, article_id: str) -> str:
        """Put back an article removed from this page: its file is ingested again."""
        from index.ingest import ingest

        path = self._removed.pop(article_id, None)
        if path is None:
            return f"nothing to undo for {article_id!r}"
        if path.parent == self.trash_dir:
            self.upload_dir.mkdir(parents=True, exist_ok=True)
            path = Path(shutil.move(str(path), self.upload_dir / path.name))
        if not path.is_file():
            return f"cannot undo: the file {path} is gone"
        with self._write_lock:
            try:
                ingest([path], self.settings, progress=False, wait_for_lock=True)
            except UserError as exc:
                return f"could not put {article_id} back: {exc.message}"
        record = self.engine.store.article(article_id)
        return f"restored: {record.title} ({article_id})" if record else f"could not put {article_id} back"

    @property
    def trash_dir(self) -> Path:
        return self.settings.data_dir / TRASH_DIR

    # -- feedback
    def record_feedback(self, rating: int, answer: Any, comment: str = "") -> int:
        return int(self.feedback.record(
            rating=rating, question=answer.question, answer=answer.answer,
            citations=[c.to_dict() for c in (answer.citations or answer.closest)],
            comment=(comment or "").strip(), interface="web"))

    @property
    def feedback(self) -> Any:
        from ui.feedback import FeedbackStore

        if self._feedback is None:
            self._feedback = FeedbackStore(self.settings.data_dir)
        return self._feedback

    # -- one question at a time per browser session; Stop ends the generation
    def start_turn(self, session: str) -> threading.Event | None:
        """Mark `session` as answering; None when it already is (the page blocks sending meanwhile)."""
        with self._turns_lock:
            if session in self._turns:
                return None
            self._turns[session] = event = threading.Event()
            return event

    def turn(self, session: str) -> threading.Event | None:
        with self._turns_lock:
            return self._turns.get(session)

    def stop_turn(self, session: str) -> bool:
        """Ask the running answer of `session` to stop; it closes the engine's stream at its next piece."""
        event = self.turn(session)
        if event is not None:
            event.set()
        return event is not None

    def end_turn(self, session: str) -> None:
        with self._turns_lock:
            self._turns.pop(session, None)

    # -- saved conversations
    @property
    def conversations(self) -> Any:
        from ui.conversations import ConversationStore

        if self._conversations is None:
            self._conversations = ConversationStore(self.settings.data_dir)
        return self._conversations

    def save_conversation(self, conversation_id: str, answers: Sequence[dict[str, Any]]) -> str:
        """Save the conversation's answered turns (with every source); returns its id (new on the first save)."""
        from ui.export import saved_answer

        turns = [{"key": a["key"], "filters": a.get("filters") or {}, "answer": saved_answer(a["answer"])}
                 for a in answers]
        title = answers[0]["answer"].question if answers else ""
        return str(self.conversations.save(conversation_id or None, turns, title=title))

    def load_conversation(self, conversation_id: str) -> tuple[Any, list[dict[str, Any]]] | None:
        """(the Conversation, its answers as the chat keeps them) or None when there is no such conversation."""
        from ui.export import answer_from_dict

        conv = self.conversations.get(conversation_id)
        if conv is None:
            return None
        answers = [{"key": t.get("key") or f"a{i}", "msg": 2 * i - 1, "filters": t.get("filters") or {},
                    "answer": answer_from_dict(t["answer"])} for i, t in enumerate(conv.turns, 1)]
        return conv, answers


# ---- errors: mapped once per interface ---------------------------------------------------------------
def api_error(exc: BaseException, what: str) -> tuple[int, dict[str, Any]]:
    """The API's answer to any exception: a user error's status and message; anything else a logged 500."""
    if isinstance(exc, UserError):
        return exc.http_status, {"error": exc.message}
    log.error("%s failed", what, exc_info=exc)
    return 500, {"error": f"internal error ({exc.__class__.__name__}); the server logged the details"}


def chat_error(exc: BaseException, question: str) -> str:
    """The chat's message for any exception: a user error's own message; anything else logged and summarised."""
    if isinstance(exc, UserError):
        return exc.message
    log.error("answering %r failed", question, exc_info=exc)
    return f"something went wrong ({exc.__class__.__name__}: {exc}); the server is still running, try again"


# ---- the Gradio page --------------------------------------------------------------------------------
def _message(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def _pairs(answers: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [(a["key"], a["answer"]) for a in answers]


def question_problem(question: str, limit: int) -> str:
    """Why a question cannot be sent ('' when it can): empty, or over the length limit."""
    q = " ".join((question or "").split())
    if not q:
        return "Type a question first."
    if len(q) > limit:
        return f"The question is {len(q):,} characters; the limit is {limit:,}. Shorten it to send it."
    return ""


EMPTY_INDEX = "nothing is indexed yet: open the Articles tab and add files"
EMPTY_CHAT = "Nothing is indexed yet: open the **Articles** tab and add files."
READY_CHAT = "Ask a question about the indexed articles, or pick an example."
MISSING_CONVERSATION = ("This conversation is not saved here: it was deleted, or the link comes from another "
                        "citewire server. Ask a new question below, or open the Conversations tab.")
BUSY_NOTE = ("Still answering the last question: sending waits until it is done or stopped. "
             "What you type stays in the box.")


_END = object()


def _close(events: Any) -> None:
    if hasattr(events, "close"):
        events.close()  # GeneratorExit inside the engine ends the LLM's stream and frees its lock


def _pump(events: Iterator[Any], cancel: threading.Event, gone: threading.Event, out: queue.Queue[Any]) -> None:
    """Drive the engine's stream in its own thread, each piece into `out`; stop and close it at the first piece
    after Stop (or after the reader left), at the end, or at an error (handed over to be raised)."""
    try:
        for event in events:
            if cancel.is_set() or gone.is_set():
                break
            out.put((event, None))
    except Exception as exc:
        out.put((None, exc))
    finally:
        _close(events)
        out.put(_END)


def until_cancelled(events: Iterator[Any], cancel: threading.Event | None, poll_s: float = 0.1) -> Iterator[Any]:
    """The engine's pieces, until `cancel` is set: then it returns within `poll_s`, even while the engine yields
    nothing for a while (the claim checks after the draft), and the stream is closed at its next piece in the
    thread that drives it. Without `cancel`, the stream itself, closed at the end."""
    if cancel is None:
        try:
            yield from events
        finally:
            _close(events)
        return
    if cancel.is_set():  # stopped before it began: close it here, unstarted
        _close(events)
        return
    out: queue.Queue[Any] = queue.Queue()
    gone = threading.Event()
    threading.Thread(target=_pump, args=(events, cancel, gone, out), name="citewire-answer", daemon=True).start()
    try:
        while not cancel.is_set():
            try:
                item = out.get(timeout=poll_s)
            except queue.Empty:
                continue
            if item is _END or cancel.is_set():
                return
            event, error = item
            if error is not None:
                raise error
            yield event
    finally:
        gone.set()


def chat_turn(web: WebApp, question: str, chat: list[dict[str, Any]] | None, history: list[dict[str, str]] | None,
              answers: list[dict[str, Any]] | None, outlets: list[str] | None, since: str | None,
              until: str | None, cancel: threading.Event | None = None,
              shown: bool = False) -> Iterator[tuple[Any, ...]]:
    """One question in the chat, streamed: yields (chat messages, sources panel, question box, history, answers).

    `history` is the plain-text conversation handed to the engine for follow-ups; `answers` the finished
    Answers with their key, message index and filters (for the sources panel, feedback and export). With
    `shown`, the chat already ends with this question's bubble and a pending answer (the page put them there).
    The question box is left alone while streaming (a draft typed meanwhile is kept); the last tuple gives
    the question back only after an error, to fix or retry. When `cancel` is set, the answer ends at once as
    'Stopped' (also while the claims are being checked, when the engine yields nothing) and the engine's
    stream is closed at its next piece (that stops the LLM; see `until_cancelled`). Every error ends as a
    readable chat message, never an exception.
    """
    from qa import Answer, Evidence
    from ui import web_render as R

    chat, history, answers = list(chat or []), list(history or []), list(answers or [])
    q = " ".join((question or "").split())
    panel = R.sources_html(_pairs(answers))
    key = f"a{len(answers) + 1}"
    if not shown:
        if q:
            chat.append(_message("user", R.esc(q)))
        chat.append(_message("assistant", R.draft_html("")))
        yield chat, panel, gr.skip(), history, answers
    draft, final = "", None
    filters: dict[str, Any] = {}
    stream: Any = None
    try:
        options = ask_options(since=since, until=until, sources=outlets or None, known_sources=web.sources,
                              since_name="'Published from'", until_name="'Published to'")
        filters = {k: options[k] for k in ("sources", "since", "until") if options.get(k)}
        stream = until_cancelled(web.ask_stream(q, history, options["since"], options["until"], options["sources"],
                                                cancel), cancel)
        for event in stream:
            if isinstance(event, Evidence):
                chat[-1] = _message("assistant", R.draft_html("", len(event.citations)))
                yield chat, R.evidence_html(event, key, _pairs(answers)), gr.skip(), history, answers
            elif isinstance(event, str):
                draft += event
                chat[-1] = _message("assistant", R.draft_html(draft))
                yield chat, gr.skip(), gr.skip(), history, answers
            elif isinstance(event, Answer):
                final = event
    except Exception as exc:
        message = EMPTY_INDEX if web.counts()[1] == 0 else chat_error(exc, q)
        chat[-1] = _message("assistant", R.error_html(message))
        yield chat, panel, question or "", history, answers  # the question comes back, to fix or retry
        return
    finally:
        if stream is not None:
            stream.close()  # leaving early (Stop, a closed page): the engine's stream is closed at its next piece
    if cancel is not None and cancel.is_set() and final is None:
        log.info("answer to %r stopped by the user after %d characters", q, len(draft))
        chat[-1] = _message("assistant", R.stopped_html(draft))
        yield chat, panel, "", history, answers
        return
    if final is None:
        chat[-1] = _message("assistant", R.error_html("no answer came back; try again"))
        yield chat, panel, question or "", history, answers
        return
    chat[-1] = _message("assistant", R.answer_html(final, key, filters))
    answers.append({"key": key, "msg": len(chat) - 1, "answer": final, "filters": filters})
    history += [_message("user", q), _message("assistant", final.answer)]
    yield chat, R.sources_html(_pairs(answers)), "", history, answers


def restore_chat(answers: Sequence[dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(chat messages, plain history) for saved answers: a reopened conversation looks as it did."""
    from ui import web_render as R

    chat: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    for a in answers:
        answer = a["answer"]
        chat.append(_message("user", R.esc(answer.question)))
        chat.append(_message("assistant", R.answer_html(answer, a["key"], a.get("filters"))))
        history += [_message("user", answer.question), _message("assistant", answer.answer)]
    return chat, history


def page_param(request: gr.Request | None, name: str) -> str:
    """A query parameter of the page's own url (Gradio's load event arrives on its queue url; the page's url
    is its Referer)."""
    from urllib.parse import parse_qs, urlparse

    if request is None:
        return ""
    value = request.query_params.get(name) if getattr(request, "query_params", None) else None
    if not value:
        referer = (request.headers or {}).get("referer", "") if getattr(request, "headers", None) else ""
        value = (parse_qs(urlparse(referer).query).get(name) or [""])[0]
    return str(value or "")


def _session(request: gr.Request | None) -> str:
    return str(getattr(request, "session_hash", None) or "local")


def build_blocks(web: WebApp) -> Any:
    from ui import web_render as R

    limit = web.settings.max_question_chars
    SKIP = gr.skip

    def idle_controls() -> tuple[Any, Any, Any]:
        return gr.update(interactive=True, value="Ask"), gr.update(visible=False), gr.update(interactive=True)

    # -- asking: `begin` (instant, not queued) takes the question or says why not; `respond` answers it
    def begin(question: str, chat: list[dict[str, Any]], request: gr.Request) -> tuple[Any, ...]:
        """(pending question, question box, chat, note, send, stop, new chat, failed)."""
        session = _session(request)
        if web.turn(session) is not None:
            return ("", SKIP(), SKIP(), R.note_html(BUSY_NOTE, "busy"), SKIP(), SKIP(), SKIP(), SKIP())
        problem = question_problem(question, limit)
        if problem:
            return ("", SKIP(), SKIP(), R.note_html(problem, "error"), SKIP(), SKIP(), SKIP(), SKIP())
        if web.start_turn(session) is None:
            return ("", SKIP(), SKIP(), R.note_html(BUSY_NOTE, "busy"), SKIP(), SKIP(), SKIP(), SKIP())
        q = " ".join(question.split())
        chat = [*(chat or []), _message("user", R.esc(q)), _message("assistant", R.draft_html(""))]
        return (q, "", chat, R.note_html(""), gr.update(interactive=False, value="Answering\u2026"),
                gr.update(visible=True), gr.update(interactive=False), "")

    def respond(pending: str, chat: list[dict[str, Any]], history: list[dict[str, str]],
                answers: list[dict[str, Any]], conv: str, outlets: list[str], since: str, until: str,
                request: gr.Request) -> Iterator[tuple[Any, ...]]:
        """(chat, sources, history, answers, conversation id, conversation bar, failed, send, stop, new chat)."""
        if not pending:
            yield tuple(SKIP() for _ in range(10))
            return
        session = _session(request)
        cancel = web.turn(session) or threading.Event()
        last: tuple[Any, ...] = ()
        try:
            for out in chat_turn(web, pending, chat, history, answers, outlets, since, until, cancel=cancel, shown=True):
                if last:
                    yield (*last[:2], SKIP(), SKIP(), SKIP(), SKIP(), SKIP(), SKIP(), SKIP(), SKIP())
                last = out
        finally:
            web.end_turn(session)
        chat_, panel, box, history_, answers_ = last
        conv_out: Any = SKIP()
        bar: Any = SKIP()
        if len(answers_) > len(answers or []):
            try:
                conv = web.save_conversation(conv, answers_)
                conv_out, bar = conv, R.conversation_bar_html(conv)
            except Exception:  # saving must never lose the answer on screen
                log.exception("saving the conversation failed")
        failed = box if isinstance(box, str) else ""
        yield (chat_, panel, history_, answers_, conv_out, bar, failed, *idle_controls())

    def restore_draft(current: str, failed: str) -> tuple[Any, str]:
        """After an error the question comes back into the box, unless a new draft is already there."""
        if failed and not (current or "").strip():
            return failed, ""
        return SKIP(), ""

    def stop(request: gr.Request) -> str:
        if web.stop_turn(_session(request)):
            return R.note_html("Stopping\u2026", "busy")
        return R.note_html("")

    # -- feedback, retry unfiltered: clicks inside a message arrive through the bridge box as JSON
    def bridge_payload(raw: str) -> dict[str, Any]:
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def find(answers: list[dict[str, Any]], key: Any) -> dict[str, Any] | None:
        return next((a for a in answers or [] if a["key"] == key), None)

    def rate(raw: str, answers: list[dict[str, Any]]) -> tuple[Any, ...]:
        """(status, last feedback {id, key}, comment box): the rating is stored against its own answer."""
        data = bridge_payload(raw)
        found = find(answers, data.get("key"))
        rating = data.get("rating")
        if found is None or rating not in (1, -1):
            return "Only answers can be rated.", {}, gr.update(visible=False), gr.update(visible=False)
        try:
            fid = web.record_feedback(int(rating), found["answer"])
        except Exception as exc:  # feedback must never break the chat
            log.exception("recording feedback failed")
            return (f"Could not record the feedback ({exc.__class__.__name__}).", {}, gr.update(visible=False),
                    gr.update(visible=False))
        n = answers.index(found) + 1
        label = "helpful" if rating > 0 else "not helpful"
        return (f"Thanks, feedback recorded ({label}) for answer {n}. Add a comment below if you like.",
                {"id": fid, "key": found["key"]},
                gr.update(visible=True, value="", label=f"Comment on answer {n} (optional)"), gr.update(visible=True))

    def comment_on(text: str, last: dict[str, Any]) -> tuple[Any, ...]:
        if not last or not (text or "").strip():
            return "Write a comment first, or rate an answer.", SKIP(), SKIP()
        try:
            web.feedback.set_comment(int(last["id"]), text.strip())
        except Exception as exc:
            log.exception("recording a comment failed")
            return f"Could not record the comment ({exc.__class__.__name__}).", SKIP(), SKIP()
        return "Thanks, comment recorded.", gr.update(visible=False, value=""), gr.update(visible=False)

    def retry_all(raw: str, answers: list[dict[str, Any]], chat: list[dict[str, Any]],
                  request: gr.Request) -> tuple[Any, ...]:
        """Ask a refused question again with no filters: (outlets, since, until, *begin's outputs)."""
        found = find(answers, bridge_payload(raw).get("key"))
        if found is None:
            return (SKIP(), SKIP(), SKIP(), "", SKIP(), SKIP(), R.note_html("That answer is gone."),
                    SKIP(), SKIP(), SKIP(), SKIP())
        started = begin(found["answer"].question, chat, request)
        if not started[0]:
            return (SKIP(), SKIP(), SKIP(), *started)
        return (gr.update(value=[]), "", "", *started)

    # -- articles
    def article_choices(records: list[Any]) -> list[tuple[str, str]]:
        return [(f"{r.title or r.id} ({r.id})", r.id) for r in records]

    def refresh(query: str) -> tuple[Any, Any, Any]:
        records = web.articles()
        return (
            gr.update(value=R.article_rows(records, query or "")),
            gr.update(choices=article_choices(records), value=None),
            gr.update(choices=web.sources()),
        )

    def on_upload(files: list[str] | None, query: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        if not files:
            return (gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files]
        progress(0.0, desc="Reading the files")

        def step(done: int, total: int) -> None:
            progress(done / max(total, 1), desc=f"Embedding article {done} of {total}")

        try:
            lines = web.add_files(paths, on_progress=step)
        except Exception as exc:
            log.exception("upload failed")
            lines = [f"could not add the files ({exc.__class__.__name__}: {exc})"]
        status = "\n".join(f"- {R.esc(line)}" for line in lines)
        return (status, None, *refresh(query))

    def ask_remove(article_id: str) -> tuple[Any, ...]:
        """Remove asks first: (status, confirm button, cancel button, undo button)."""
        if not article_id:
            return "- choose an article to remove first", gr.update(visible=False), gr.update(visible=False), SKIP()
        record = web.engine.store.article(article_id)
        if record is None:
            return (f"- no article {R.esc(article_id)} in the index", gr.update(visible=False),
                    gr.update(visible=False), SKIP())
        return (f"- Remove **{R.esc(record.title or article_id)}** ({R.esc(article_id)}) from the index? "
                "Confirm below; you can undo it afterwards.", gr.update(visible=True), gr.update(visible=True),
                gr.update(visible=False))

    def cancel_remove() -> tuple[Any, ...]:
        return "- nothing removed", gr.update(visible=False), gr.update(visible=False)

    def on_remove(article_id: str, query: str) -> tuple[Any, ...]:
        """(status, table, remove choice, outlets, confirm, cancel, undo, removed id)."""
        message = web.remove(article_id)
        removed = message.startswith("removed:")
        return (f"- {R.esc(message)}", *refresh(query), gr.update(visible=False), gr.update(visible=False),
                gr.update(visible=removed), article_id if removed else "")

    def on_undo(article_id: str, query: str) -> tuple[Any, ...]:
        message = web.undo_remove(article_id or "")
        return (f"- {R.esc(message)}", *refresh(query), gr.update(visible=False), "")

    def on_select_row(data: gr.SelectData, query: str) -> Any:
        rows = R.article_rows(web.articles(), query or "")
        row = data.index[0] if isinstance(data.index, list | tuple) else data.index
        if isinstance(row, int) and 0 <= row < len(rows):
            return gr.update(value=rows[row][-1])
        return gr.skip()

    # -- conversations
    def conv_choices() -> list[tuple[str, str]]:
        return [(f"{c.title} ({c.n_turns})", c.id) for c in web.conversations.list()]

    def conv_refresh(selected: str | None = None) -> tuple[Any, Any]:
        return R.conversations_html(web.conversations.list()), gr.update(choices=conv_choices(), value=selected)

    def on_rename(conv_id: str, title: str) -> tuple[Any, ...]:
        if not conv_id:
            return "- choose a conversation first", *conv_refresh()
        try:
            ok = web.conversations.rename(conv_id, title or "")
        except ValueError as exc:
            return f"- {R.esc(exc)}", *conv_refresh(conv_id)
        return ("- renamed" if ok else "- that conversation is gone"), *conv_refresh(conv_id if ok else None)

    def on_pick(conv_id: str | None) -> tuple[Any, ...]:
        """Picking a conversation puts its title in the 'New title' box, to edit, and drops a pending Delete:
        (title box, confirm, cancel)."""
        found = web.conversations.get(conv_id) if conv_id else None
        return (gr.update(value=found.title) if found is not None else SKIP(), gr.update(visible=False),
                gr.update(visible=False))

    def ask_delete(conv_id: str) -> tuple[Any, ...]:
        """Delete asks first: (status, confirm button, cancel button)."""
        found = web.conversations.get(conv_id) if conv_id else None
        if found is None:
            return "- choose a conversation first", gr.update(visible=False), gr.update(visible=False)
        return (f"- Delete **{R.esc(found.title)}** ({found.n_turns} question{'s' if found.n_turns != 1 else ''})? "
                "Its link will stop working; this cannot be undone. Confirm below.",
                gr.update(visible=True), gr.update(visible=True))

    def cancel_delete() -> tuple[Any, ...]:
        return "- nothing deleted", gr.update(visible=False), gr.update(visible=False)

    def on_delete(conv_id: str) -> tuple[Any, ...]:
        """(status, list, picker, title box, confirm, cancel)."""
        hide = (gr.update(visible=False), gr.update(visible=False))
        if not conv_id:
            return "- choose a conversation first", *conv_refresh(), SKIP(), *hide
        ok = web.conversations.delete(conv_id)
        return ("- deleted" if ok else "- that conversation is gone"), *conv_refresh(), "", *hide

    def on_load(request: gr.Request) -> tuple[Any, ...]:
        """(outlets, table, remove choice, chatbot, sources, history, answers, conversation id, bar, list, picker)."""
        records = web.articles()
        base = (gr.update(choices=web.sources()), gr.update(value=R.article_rows(records)),
                gr.update(choices=article_choices(records), value=None))
        wanted = page_param(request, "c")
        found = web.load_conversation(wanted) if wanted else None
        if found is not None:
            conv, answers = found
            chat, history = restore_chat(answers)
            opened: tuple[Any, ...] = (chat, R.sources_html(_pairs(answers)), history, answers, conv.id,
                                       R.conversation_bar_html(conv.id))
        elif wanted:
            opened = ([_message("assistant", R.info_html(MISSING_CONVERSATION))], SKIP(), SKIP(), SKIP(), SKIP(), SKIP())
        else:  # what the empty chat says follows the index (articles may have been added since the start)
            opened = (gr.update(examples=examples_now(), placeholder=READY_CHAT if records else EMPTY_CHAT),
                      SKIP(), SKIP(), SKIP(), SKIP(), SKIP())
        return (*base, *opened, *conv_refresh())

    def examples_now() -> list[dict[str, str]]:
        return [{"text": q} for q in web.example_questions()]

    def pick_example(data: gr.SelectData) -> str:
        return str(data.value.get("text", "")) if isinstance(data.value, dict) else str(data.value)

    def clear(request: gr.Request) -> tuple[Any, ...]:
        web.stop_turn(_session(request))
        return ([], R.sources_html([]), [], [], "", "", "", R.conversation_bar_html(""),
                gr.update(visible=False, value=""), gr.update(visible=False))

    def chips(outlets: list[str], since: str, until: str) -> str:
        return R.chips_html(outlets, (since or "").strip(), (until or "").strip())

    records = web.articles()
    empty = READY_CHAT if records else EMPTY_CHAT

    with gr.Blocks(title="citewire", analytics_enabled=False, fill_width=True) as demo:
        history = gr.State([])
        answers = gr.State([])
        conv = gr.State("")
        pending = gr.State("")
        failed = gr.State("")
        last_feedback = gr.State({})
        removed_id = gr.State("")
        with gr.Row(elem_id="cw-header-row"):
            gr.Markdown("## citewire\nAsk about the news articles; every claim cites the article and sentence it "
                        "comes from.", elem_id="cw-header")
            gr.HTML('<button type="button" id="cw-theme" class="cw-act" aria-pressed="false">Dark mode</button>',
                    elem_id="cw-theme-box")
        with gr.Tabs(elem_id="cw-tabs"):
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=False, elem_id="cw-main"):
                    with gr.Column(scale=3, min_width=360, elem_id="cw-chat-col"):
                        chatbot = gr.Chatbot(
                            label="Chat", show_label=False, elem_id="cw-chat", height=480, layout="panel",
                            examples=[{"text": q} for q in web.example_questions()] if records else None,
                            group_consecutive_messages=False, placeholder=empty,
                            latex_delimiters=[], sanitize_html=True, allow_tags=False, buttons=[])
                        with gr.Row(equal_height=True, elem_id="cw-input-row"):
                            question = gr.Textbox(placeholder="Ask about the articles\u2026", show_label=False,
                                                  scale=6, elem_id="cw-question", max_lines=4, autofocus=True)
                            send = gr.Button("Ask", variant="primary", scale=1, min_width=70, elem_id="cw-send")
                            stop_btn = gr.Button("Stop", variant="stop", scale=1, min_width=70, elem_id="cw-stop",
                                                 visible=False)
                            new_chat = gr.Button("New chat", scale=1, min_width=90, elem_id="cw-clear")
                        with gr.Row(elem_id="cw-input-meta"):
                            chip_box = gr.HTML(R.chips_html([], "", ""), elem_id="cw-chips")
                            gr.HTML(R.counter_html(limit), elem_id="cw-counter")
                        note = gr.HTML(R.note_html(""), elem_id="cw-input-note")
                        with gr.Accordion("Filters: outlets and dates", open=False, elem_id="cw-filters"):
                            with gr.Row():
                                outlets = gr.Dropdown(choices=web.sources(), multiselect=True, label="Outlets",
                                                      info="only these outlets (none: all)", elem_id="cw-outlets", scale=2)
                                since = gr.Textbox(label="Published from", placeholder="YYYY-MM-DD", elem_id="cw-since")
                                until = gr.Textbox(label="Published to", placeholder="YYYY-MM-DD", elem_id="cw-until")
                        feedback_status = gr.Markdown("", elem_id="cw-feedback-status")
                        with gr.Row(equal_height=True, elem_id="cw-comment-row"):
                            comment = gr.Textbox(label="Comment (optional)", elem_id="cw-comment", max_lines=3,
                                                 visible=False, scale=6)
                            send_comment = gr.Button("Send comment", size="sm", scale=1, min_width=120,
                                                     elem_id="cw-send-comment", visible=False)
                        conv_bar = gr.HTML(R.conversation_bar_html(""), elem_id="cw-conv-bar")
                    with gr.Column(scale=2, min_width=300, elem_id="cw-sources-col"):
                        sources_panel = gr.HTML(R.sources_html([]), elem_id="cw-sources-panel", label="Sources")
                bridge = gr.Textbox(elem_id="cw-bridge", elem_classes=["cw-hidden"], show_label=False)
                rate_go = gr.Button("rate", elem_id="cw-rate-go", elem_classes=["cw-hidden"])
                retry_go = gr.Button("retry", elem_id="cw-retry-go", elem_classes=["cw-hidden"])
            with gr.Tab("Articles", id="articles"):
                with gr.Row():
                    search = gr.Textbox(label="Search titles", placeholder="words in the title or id",
                                        elem_id="cw-article-search", scale=3)
                    remove_choice = gr.Dropdown(choices=article_choices(records), label="Article to remove",
                                                elem_id="cw-remove-choice", scale=3)
                    remove_btn = gr.Button("Remove", variant="stop", scale=1, elem_id="cw-remove")
                with gr.Row():
                    confirm_btn = gr.Button("Yes, remove it", variant="stop", visible=False, elem_id="cw-remove-confirm")
                    cancel_btn = gr.Button("Cancel", visible=False, elem_id="cw-remove-cancel")
                    undo_btn = gr.Button("Undo remove", visible=False, elem_id="cw-remove-undo")
                upload_status = gr.Markdown("", elem_id="cw-upload-status")
                gr.Markdown("Click a title to read the whole article.", elem_id="cw-articles-hint")
                table = gr.Dataframe(value=R.article_rows(records), headers=R.ARTICLE_COLUMNS, interactive=False,
                                     wrap=True, elem_id="cw-articles", datatype=["str", "str", "str", "number", "str"],
                                     max_height=420)
                gr.Markdown(R.upload_hint(SUPPORTED_UPLOADS), elem_id="cw-upload-hint")
                upload = gr.File(label="Add articles", file_count="multiple", file_types=list(SUPPORTED_UPLOADS),
                                 elem_id="cw-upload")
            with gr.Tab("Conversations", id="conversations"):
                conv_list = gr.HTML(R.conversations_html(web.conversations.list()), elem_id="cw-conv-list")
                with gr.Row():
                    conv_pick = gr.Dropdown(choices=conv_choices(), label="Conversation", elem_id="cw-conv-pick", scale=3)
                    conv_title = gr.Textbox(label="New title", elem_id="cw-conv-title", scale=3)
                    rename_btn = gr.Button("Rename", scale=1, elem_id="cw-conv-rename")
                    delete_btn = gr.Button("Delete", variant="stop", scale=1, elem_id="cw-conv-delete")
                with gr.Row():
                    delete_confirm = gr.Button("Yes, delete it", variant="stop", visible=False,
                                               elem_id="cw-conv-delete-confirm")
                    delete_cancel = gr.Button("Cancel", visible=False, elem_id="cw-conv-delete-cancel")
                conv_status = gr.Markdown("", elem_id="cw-conv-status")
        gr.HTML('<footer class="cw-footer">Use via API: <a href="api/docs" target="_blank" rel="noopener">'
                '<code>POST /api/ask</code> documentation</a> (question, history, filters \u2192 the answer with '
                'its cited sources as JSON) \u00b7 <a href="api/health" target="_blank" rel="noopener">'
                '<code>GET /api/health</code></a></footer>', elem_id="cw-footer")

        begin_outputs = [pending, question, chatbot, note, send, stop_btn, new_chat, failed]
        respond_inputs = [pending, chatbot, history, answers, conv, outlets, since, until]
        respond_outputs = [chatbot, sources_panel, history, answers, conv, conv_bar, failed, send, stop_btn, new_chat]

        def ask_chain(trigger: Any) -> None:
            trigger.then(respond, respond_inputs, respond_outputs, concurrency_id="ask", show_progress="hidden").then(
                restore_draft, [question, failed], [question, failed], queue=False, show_progress="hidden")

        for event in (question.submit, send.click):
            ask_chain(event(begin, [question, chatbot], begin_outputs, queue=False, trigger_mode="multiple",
                            show_progress="hidden"))
        ask_chain(chatbot.example_select(pick_example, None, question, show_progress="hidden").then(
            begin, [question, chatbot], begin_outputs, queue=False, show_progress="hidden"))
        ask_chain(retry_go.click(retry_all, [bridge, answers, chatbot], [outlets, since, until, *begin_outputs],
                                 queue=False, show_progress="hidden"))
        stop_btn.click(stop, None, note, queue=False, show_progress="hidden")
        rate_go.click(rate, [bridge, answers], [feedback_status, last_feedback, comment, send_comment], queue=False,
                      show_progress="hidden")
        send_comment.click(comment_on, [comment, last_feedback], [feedback_status, comment, send_comment], queue=False)
        comment.submit(comment_on, [comment, last_feedback], [feedback_status, comment, send_comment], queue=False)
        clear_outputs = [chatbot, sources_panel, history, answers, question, feedback_status, conv, conv_bar, comment,
                         send_comment]
        new_chat.click(clear, None, clear_outputs, queue=False)
        chatbot.clear(clear, None, clear_outputs, queue=False)
        for box in (outlets, since, until):
            box.change(chips, [outlets, since, until], chip_box, queue=False, show_progress="hidden")

        search.change(lambda q: R.article_rows(web.articles(), q or ""), search, table, show_progress="hidden")
        table.select(on_select_row, [search], remove_choice)
        upload.upload(on_upload, [upload, search], [upload_status, upload, table, remove_choice, outlets],
                      concurrency_id="write")
        remove_btn.click(ask_remove, [remove_choice], [upload_status, confirm_btn, cancel_btn, undo_btn], queue=False)
        cancel_btn.click(cancel_remove, None, [upload_status, confirm_btn, cancel_btn], queue=False)
        confirm_btn.click(on_remove, [remove_choice, search], [upload_status, table, remove_choice, outlets,
                                                               confirm_btn, cancel_btn, undo_btn, removed_id],
                          concurrency_id="write")
        undo_btn.click(on_undo, [removed_id, search], [upload_status, table, remove_choice, outlets, undo_btn,
                                                       removed_id], concurrency_id="write")
        rename_btn.click(on_rename, [conv_pick, conv_title], [conv_status, conv_list, conv_pick], queue=False)
        conv_pick.input(on_pick, [conv_pick], [conv_title, delete_confirm, delete_cancel], queue=False,
                        show_progress="hidden")
        delete_btn.click(ask_delete, [conv_pick], [conv_status, delete_confirm, delete_cancel], queue=False)
        delete_cancel.click(cancel_delete, None, [conv_status, delete_confirm, delete_cancel], queue=False)
        delete_confirm.click(on_delete, [conv_pick], [conv_status, conv_list, conv_pick, conv_title, delete_confirm,
                                                      delete_cancel], queue=False)
        demo.load(on_load, None, [outlets, table, remove_choice, chatbot, sources_panel, history, answers, conv,
                                  conv_bar, conv_list, conv_pick], show_progress="hidden")
    return demo


# ---- the FastAPI app --------------------------------------------------------------------------------
class BasicAuth:
    """HTTP basic auth for every request (page, Gradio's API and websockets, /api/*): plain ASGI."""

    def __init__(self, app: Any, user: str, password: str, realm: str = "citewire") -> None:
        self.app = app
        self.expected = f"{user}:{password}".encode()
        self.realm = realm

    def _ok(self, scope: Any) -> bool:
        for name, value in scope.get("headers") or []:
            if name == b"authorization":
                scheme, _, token = value.partition(b" ")
                if scheme.lower() != b"basic":
                    return False
                try:
                    given = base64.b64decode(token.strip(), validate=True)
                except (binascii.Error, ValueError):
                    return False
                return secrets.compare_digest(given, self.expected)
        return False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket") or self._ok(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = JSONResponse({"error": "authentication required: log in with the user and password given to --auth"},
                                status_code=401, headers={"WWW-Authenticate": f'Basic realm="{self.realm}", charset="UTF-8"'})
        await response(scope, receive, send)


class ApiBodyLimit:
    """Plain ASGI: a request body to /api/* over `limit` bytes gets 413 {"error": ...}, declared or streamed."""

    def __init__(self, app: Any, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:  # read the body here (it is small), so an undeclared (chunked) body is limited too
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Any, receive: Any, send: Any) -> None:
        response = JSONResponse({"error": f"the request body is over {self.limit // 1024} KB; send a shorter question "
                                          "and history"}, status_code=413, headers={"Connection": "close"})
        await response(scope, receive, send)


def _api_routes(app: Any) -> dict[str, set[str]]:
    """path -> methods of the API's own routes (for 405's Allow header)."""
    out: dict[str, set[str]] = {}
    for route in app.routes:
        path = getattr(route, "path", "")
        if path.startswith(API_PREFIX) and "{" not in path:
            out.setdefault(path, set()).update(getattr(route, "methods", None) or ())
    return out


def create_app(settings: Settings, auth: str | None = None, web: WebApp | None = None) -> Any:
    """The FastAPI app: /api/* routes, then Gradio mounted at /; wrapped in basic auth when `auth` is set."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    credentials = parse_auth(auth)
    web = web or WebApp(settings)
    app = FastAPI(title="citewire", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.web = web

    @app.get("/api/docs", include_in_schema=False)
    async def api_docs(request: Request) -> HTMLResponse:
        """citewire's own API documentation (self-contained: it fetches nothing from the internet)."""
        page = (STATIC / "api.html").read_text(encoding="utf-8")
        page = page.replace("{{MAX_CHARS}}", f"{web.settings.max_question_chars:,}")
        return HTMLResponse(page.replace("{{BASE}}", escape(str(request.base_url))))

    @app.get("/api/health")
    async def health() -> JSONResponse:
        return JSONResponse(await run_in_threadpool(web.health))

    @app.post("/api/ask")
    async def api_ask(request: Request) -> JSONResponse:
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"error": 'the body must be JSON: {"question": "...", "history": [], "filters": {}}'},
                                status_code=400)
        status, payload = await run_in_threadpool(web.api_ask, body)
        return JSONResponse(payload, status_code=status)

    @app.get("/api/articles/{article_id}")
    async def api_article(article_id: str, start: int = 0, end: int = 0) -> JSONResponse:
        """The whole cleaned article with its metadata, and the reader's HTML with [start, end) highlighted."""
        found = await run_in_threadpool(web.read_article, article_id, start, end)
        if found is None:
            return JSONResponse({"error": f"no article {article_id!r} in the index (removed?)"}, status_code=404)
        return JSONResponse(found)

    @app.get("/api/conversations/{name}")
    async def api_conversation(name: str, request: Request) -> Response:
        """A saved conversation with all its sources: /api/conversations/ID.md (Markdown) or ID.json."""
        conv_id, _, fmt = name.rpartition(".")
        if fmt not in ("md", "json") or not conv_id:
            return JSONResponse({"error": "ask for /api/conversations/ID.md or /api/conversations/ID.json"},
                                status_code=404)
        found = await run_in_threadpool(web.load_conversation, conv_id)
        if found is None:
            return JSONResponse({"error": f"no saved conversation {conv_id!r}"}, status_code=404)
        from ui import export

        conv, answers = found
        turns = [{"answer": a["answer"], "filters": a.get("filters")} for a in answers]
        link = str(request.base_url) + f"?c={conv.id}"
        headers = {"Content-Disposition": f'attachment; filename="citewire-{conv.id}.{fmt}"'}
        if fmt == "md":
            return Response(export.conversation_markdown(conv.title, turns, link), headers=headers,
                            media_type="text/markdown; charset=utf-8")
        from ui.conversations import iso

        return JSONResponse(export.conversation_json(conv.id, conv.title, turns, iso(conv.created), iso(conv.updated)),
                            headers=headers)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        status, payload = api_error(exc, f"{request.method} {request.url.path}")
        return JSONResponse(payload, status_code=status)

    app.add_exception_handler(Exception, unexpected)  # whatever escapes a route above: the same {"error"} shape
    known = _api_routes(app)

    # after the API's routes, before Gradio (mounted at /): any other /api/* path or method gets {"error": ...}
    @app.api_route("/api/{rest:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                   include_in_schema=False)
    async def api_unknown(request: Request) -> JSONResponse:
        path = request.url.path
        allowed = known.get(path) or known.get(path.rstrip("/"))
        if allowed:
            return JSONResponse({"error": f"{request.method} is not allowed on {path}; use {', '.join(sorted(allowed))}"},
                                status_code=405, headers={"Allow": ", ".join(sorted(allowed))})
        return JSONResponse({"error": f"no API endpoint {path}; see /api/docs (POST /api/ask, GET /api/health, "
                                      "GET /api/articles/ID, GET /api/conversations/ID.md|.json)"},
                            status_code=404)

    demo = build_blocks(web)
    demo.queue(default_concurrency_limit=1)
    css = (STATIC / "web.css").read_text(encoding="utf-8")
    script = (STATIC / "web.js").read_text(encoding="utf-8")
    app = gr.mount_gradio_app(app, demo, path="/", css=css, head=f"<script>{script}</script>",
                              footer_links=[], run_history=False, show_error=True, ssr_mode=False,
                              max_file_size="50mb", theme=THEME)
    limited = ApiBodyLimit(app)
    if credentials:
        return BasicAuth(limited, *credentials)
    return limited


def _check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror}); pass another --port or --host") from None


def _share_link(host: str, port: int, server: Any) -> None:
    """Best effort: open a Gradio share tunnel once the server is up; say so plainly when it fails."""
    import time

    from gradio import networking

    while not server.started and not server.should_exit:
        time.sleep(0.2)
    if server.should_exit:
        return
    try:
        url = networking.setup_tunnel(host if host not in ("0.0.0.0", "::") else "127.0.0.1", port,
                                      secrets.token_urlsafe(32), None, None)
        print(f"citewire: public share link {url} (anyone with it can use this server)", file=sys.stderr, flush=True)
    except Exception as exc:
        print(f"citewire: could not open a share link ({exc}); the local server keeps running", file=sys.stderr, flush=True)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, share: bool = False,
          auth: str | None = None) -> None:
    """Run the web chat and JSON API until interrupted."""
    import uvicorn

    parse_auth(auth)  # fail before loading anything
    _check_port(host, port)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    web = WebApp(settings)
    print("citewire: loading models\u2026", file=sys.stderr, flush=True)
    web.warm_up()
    app = create_app(settings, auth=auth, web=web)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5))
    shown = f"[{host}]" if ":" in host else host
    articles, chunks = web.counts()
    print(f"citewire: serving {articles} article(s) on http://{shown}:{port} (API: /api/ask, /api/health)"
          + (", basic auth on" if auth else ""), file=sys.stderr, flush=True)
    if share:
        threading.Thread(target=_share_link, args=(host, port, server), daemon=True).start()
    server.run()
