"""`citewire serve`: the Gradio chat page and the JSON API, one FastAPI app served by uvicorn.

    GET  /               the chat (Gradio): streamed answers, source cards, filters, feedback, Articles tab
    POST /api/ask        {"question", "history", "filters": {"since", "until", "sources"}} -> Answer JSON
    GET  /api/health     {"status": "ok", "articles": N, "chunks": N}

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
import re
import secrets
import shutil
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no phoning home, before gradio is imported
import gradio as gr  # noqa: E402  (module level: Gradio and FastAPI read the handlers' type hints from here)
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402
from starlette.concurrency import run_in_threadpool  # noqa: E402

from index.errors import UserError
from index.settings import ConfigError, Settings
from qa.options import ask_options

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
UPLOAD_DIR = "uploads"
SUPPORTED_UPLOADS = (".md", ".markdown", ".txt", ".html", ".htm", ".json", ".jsonl")
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
        self._write_lock = threading.Lock()

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
                   sources: Sequence[str] | None) -> Iterator[Any]:
        from qa import ask_stream

        return ask_stream(question, list(history), settings=self.settings, since=since, until=until,
                          sources=list(sources) if sources else None)

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

        lines: list[str] = []
        accepted: list[Path] = []
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        for raw in paths:
            src = Path(raw)
            name = _SAFE_NAME.sub("_", src.name).strip("._") or "upload"
            if src.suffix.lower() not in SUPPORTED_UPLOADS:
                lines.append(f"{src.name}: unsupported file type '{src.suffix or '(none)'}'; upload "
                             ".md, .txt, .html, .json or .jsonl")
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
            path.unlink()  # an uploaded copy would otherwise come back with the next ingest of uploads/
        return f"removed: {record.title} ({article_id})"

    # -- feedback
    def record_feedback(self, rating: int, answer: Any, comment: str = "") -> int:
        from ui.feedback import FeedbackStore

        if self._feedback is None:
            self._feedback = FeedbackStore(self.settings.data_dir)
        return int(self._feedback.record(
            rating=rating, question=answer.question, answer=answer.answer,
            citations=[c.to_dict() for c in (answer.citations or answer.closest)],
            comment=(comment or "").strip(), interface="web"))


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


def chat_turn(web: WebApp, question: str, chat: list[dict[str, Any]] | None, history: list[dict[str, str]] | None,
              answers: list[dict[str, Any]] | None, outlets: list[str] | None, since: str | None,
              until: str | None) -> Iterator[tuple[Any, ...]]:
    """One question in the chat, streamed: yields (chat messages, sources panel, question box, history, answers).

    `history` is the plain-text conversation handed to the engine for follow-ups; `answers` the finished
    Answers with their key and message index (for the sources panel and feedback). Every error ends as a
    readable chat message, never an exception.
    """
    from qa import Answer, Evidence
    from ui import web_render as R

    chat, history, answers = list(chat or []), list(history or []), list(answers or [])
    q = " ".join((question or "").split())
    panel = R.sources_html(_pairs(answers))
    key = f"a{len(answers) + 1}"
    if q:
        chat.append(_message("user", R.esc(q)))
    chat.append(_message("assistant", R.draft_html("")))
    yield chat, panel, "", history, answers
    draft, final = "", None
    try:
        options = ask_options(since=since, until=until, sources=outlets or None, known_sources=web.sources,
                              since_name="'Published from'", until_name="'Published to'")
        events = web.ask_stream(q, history, options["since"], options["until"], options["sources"])
        for event in events:
            if isinstance(event, Evidence):
                chat[-1] = _message("assistant", R.draft_html("", len(event.citations)))
                yield chat, R.evidence_html(event, key, _pairs(answers)), "", history, answers
            elif isinstance(event, str):
                draft += event
                chat[-1] = _message("assistant", R.draft_html(draft))
                yield chat, gr.skip(), "", history, answers
            elif isinstance(event, Answer):
                final = event
    except Exception as exc:
        chat[-1] = _message("assistant", R.error_html(chat_error(exc, q)))
        yield chat, panel, question or "", history, answers  # the question stays in the box, to fix or retry
        return
    if final is None:
        chat[-1] = _message("assistant", R.error_html("no answer came back; try again"))
        yield chat, panel, question or "", history, answers
        return
    chat[-1] = _message("assistant", R.answer_html(final, key))
    answers.append({"key": key, "msg": len(chat) - 1, "answer": final})
    history += [_message("user", q), _message("assistant", final.answer)]
    yield chat, R.sources_html(_pairs(answers)), "", history, answers


def build_blocks(web: WebApp) -> Any:
    from ui import web_render as R

    def respond(question: str, chat: list[dict[str, Any]], history: list[dict[str, str]],
                answers: list[dict[str, Any]], outlets: list[str], since: str, until: str) -> Iterator[tuple[Any, ...]]:
        yield from chat_turn(web, question, chat, history, answers, outlets, since, until)

    def rate(rating: int, answer: Any, comment: str) -> tuple[str, str]:
        try:
            web.record_feedback(rating, answer, comment)
        except Exception as exc:  # feedback must never break the chat
            log.exception("recording feedback failed")
            return f"Could not record the feedback ({exc.__class__.__name__}).", comment
        return f"Thanks, feedback recorded ({'helpful' if rating > 0 else 'not helpful'}).", ""

    def on_like(answers: list[dict[str, Any]], comment: str, data: gr.LikeData) -> tuple[str, str]:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        found = next((a for a in answers or [] if a["msg"] == index), None)
        if found is None:
            return "Only answers can be rated.", comment
        if data.liked in (True, "Like"):
            return rate(1, found["answer"], comment)
        if data.liked in (False, "Dislike"):
            return rate(-1, found["answer"], comment)
        return "", comment

    def rate_last(rating: int) -> Any:
        def fn(answers: list[dict[str, Any]], comment: str) -> tuple[str, str]:
            if not answers:
                return "Ask a question first; the rating applies to the latest answer.", comment
            return rate(rating, answers[-1]["answer"], comment)

        return fn

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

    def on_remove(article_id: str, query: str) -> tuple[Any, ...]:
        message = web.remove(article_id)
        return (f"- {R.esc(message)}", *refresh(query))

    def on_select_row(data: gr.SelectData, query: str) -> Any:
        rows = R.article_rows(web.articles(), query or "")
        row = data.index[0] if isinstance(data.index, list | tuple) else data.index
        if isinstance(row, int) and 0 <= row < len(rows):
            return gr.update(value=rows[row][-1])
        return gr.skip()

    def on_load() -> tuple[Any, ...]:
        records = web.articles()
        return (
            gr.update(choices=web.sources()),
            gr.update(value=R.article_rows(records)),
            gr.update(choices=article_choices(records), value=None),
            gr.update(examples=[{"text": q} for q in R.example_questions(r.title for r in records if "<" not in r.title)]),
        )

    def pick_example(data: gr.SelectData) -> str:
        return str(data.value.get("text", "")) if isinstance(data.value, dict) else str(data.value)

    def clear() -> tuple[Any, ...]:
        return [], R.sources_html([]), [], [], "", ""

    records = web.articles()
    examples: Any = [{"text": q} for q in R.example_questions(r.title for r in records if "<" not in r.title)]

    with gr.Blocks(title="citewire", analytics_enabled=False, fill_width=True) as demo:
        history = gr.State([])
        answers = gr.State([])
        gr.Markdown("## citewire\nAsk about the news articles; every claim cites the article and sentence it comes from.",
                    elem_id="cw-header")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chatbot = gr.Chatbot(
                            label="Chat", show_label=False, elem_id="cw-chat", height=480, layout="panel", examples=examples,
                            group_consecutive_messages=False,
                            placeholder="Ask a question about the indexed articles, or pick an example.",
                            latex_delimiters=[], sanitize_html=True, allow_tags=False, buttons=[],
                            feedback_options=("Like", "Dislike"))
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(placeholder="Ask about the articles\u2026", show_label=False,
                                                  scale=6, elem_id="cw-question", max_lines=4, autofocus=True)
                            send = gr.Button("Ask", variant="primary", scale=1, min_width=70, elem_id="cw-send")
                            new_chat = gr.Button("New chat", scale=1, min_width=90, elem_id="cw-clear")
                        with gr.Accordion("Filters: outlets and dates", open=False, elem_id="cw-filters"):
                            with gr.Row():
                                outlets = gr.Dropdown(choices=web.sources(), multiselect=True, label="Outlets",
                                                      info="only these outlets (none: all)", elem_id="cw-outlets", scale=2)
                                since = gr.Textbox(label="Published from", placeholder="YYYY-MM-DD", elem_id="cw-since")
                                until = gr.Textbox(label="Published to", placeholder="YYYY-MM-DD", elem_id="cw-until")
                        with gr.Row(equal_height=True, elem_id="cw-feedback-row"):
                            comment = gr.Textbox(placeholder="Optional comment on the latest answer",
                                                 show_label=False, scale=6, elem_id="cw-comment", max_lines=3)
                            up = gr.Button("Helpful", scale=1, min_width=80, size="sm", elem_id="cw-thumbs-up")
                            down = gr.Button("Not helpful", scale=1, min_width=100, size="sm", elem_id="cw-thumbs-down")
                        feedback_status = gr.Markdown("", elem_id="cw-feedback-status")
                    with gr.Column(scale=2, min_width=300):
                        sources_panel = gr.HTML(R.sources_html([]), elem_id="cw-sources-panel", label="Sources")
            with gr.Tab("Articles", id="articles"):
                with gr.Row():
                    search = gr.Textbox(label="Search titles", placeholder="words in the title or id",
                                        elem_id="cw-article-search", scale=3)
                    remove_choice = gr.Dropdown(choices=article_choices(records), label="Article to remove",
                                                elem_id="cw-remove-choice", scale=3)
                    remove_btn = gr.Button("Remove", variant="stop", scale=1, elem_id="cw-remove")
                table = gr.Dataframe(value=R.article_rows(records), headers=R.ARTICLE_COLUMNS, interactive=False,
                                     wrap=True, elem_id="cw-articles", datatype=["str", "str", "str", "number", "str"],
                                     max_height=420)
                upload = gr.File(label="Add articles: .md, .txt, .html, .json or .jsonl (front matter: title, source, "
                                 "published, url)", file_count="multiple", elem_id="cw-upload")
                upload_status = gr.Markdown("", elem_id="cw-upload-status")

        ask_inputs = [question, chatbot, history, answers, outlets, since, until]
        ask_outputs = [chatbot, sources_panel, question, history, answers]
        question.submit(respond, ask_inputs, ask_outputs, concurrency_id="ask")
        send.click(respond, ask_inputs, ask_outputs, concurrency_id="ask")
        chatbot.example_select(pick_example, None, question, show_progress="hidden").then(
            respond, ask_inputs, ask_outputs, concurrency_id="ask")
        chatbot.like(on_like, [answers, comment], [feedback_status, comment])
        up.click(rate_last(1), [answers, comment], [feedback_status, comment])
        down.click(rate_last(-1), [answers, comment], [feedback_status, comment])
        new_chat.click(clear, None, [chatbot, sources_panel, history, answers, question, feedback_status])
        chatbot.clear(clear, None, [chatbot, sources_panel, history, answers, question, feedback_status])

        search.change(lambda q: R.article_rows(web.articles(), q or ""), search, table, show_progress="hidden")
        table.select(on_select_row, [search], remove_choice)
        upload.upload(on_upload, [upload, search], [upload_status, upload, table, remove_choice, outlets],
                      concurrency_id="write")
        remove_btn.click(on_remove, [remove_choice, search], [upload_status, table, remove_choice, outlets],
                         concurrency_id="write")
        demo.load(on_load, None, [outlets, table, remove_choice, chatbot], show_progress="hidden")
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
    app = FastAPI(title="citewire", docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.web = web

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
        return JSONResponse({"error": f"no API endpoint {path}; see /api/docs (POST /api/ask, GET /api/health)"},
                            status_code=404)

    demo = build_blocks(web)
    demo.queue(default_concurrency_limit=1)
    css = (STATIC / "web.css").read_text(encoding="utf-8")
    script = (STATIC / "web.js").read_text(encoding="utf-8")
    app = gr.mount_gradio_app(app, demo, path="/", css=css, head=f"<script>{script}</script>",
                              footer_links=["api"], run_history=False, show_error=True, ssr_mode=False,
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
