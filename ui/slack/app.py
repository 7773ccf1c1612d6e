"""The citewire Slack bot: a Bolt app answering @mentions, DMs, thread follow-ups and `/citewire`.

`run(settings)` connects over Socket Mode (env SLACK_BOT_TOKEN, SLACK_APP_TOKEN); `run(settings, http=True)`
serves the Events API, slash commands and interactions at POST /slack/events (env SLACK_BOT_TOKEN,
SLACK_SIGNING_SECRET; Bolt verifies every request's signature and timestamp). SLACK_API_URL points the Web API
client (and Socket Mode's apps.connections.open) at another server, e.g. a proxy or a test stand-in.

Every request is acknowledged at once; the answer is worked out afterwards in a Bolt lazy listener, so Slack
never waits more than the ack. Retried deliveries (same event_id) are answered once.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from index.errors import UserError
from index.settings import Settings
from ui.slack import blocks as bk
from ui.slack.history import clean_text, is_from_bot, mentions, thread_history

if TYPE_CHECKING:
    from qa.answer import Answer
    from ui.feedback import FeedbackStore

log = logging.getLogger("citewire.slack")

DEFAULT_API_URL = "https://slack.com/api/"
EVENTS_PATH = "/slack/events"
UPDATE_INTERVAL_S = 1.0
MAX_BODY_BYTES = 1 << 20
USAGE = bk.USAGE
_ANSWERED_SUBTYPES = (None, "file_share", "thread_broadcast")


class SlackConfigError(UserError, ValueError):
    """The bot cannot start: a token is missing or rejected. The message says which and what to do."""

    exit_code = 2


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_env(cls, http: bool, env: Mapping[str, str] | None = None) -> SlackConfig:
        env = os.environ if env is None else env
        bot_token = env.get("SLACK_BOT_TOKEN", "").strip()
        app_token = env.get("SLACK_APP_TOKEN", "").strip()
        secret = env.get("SLACK_SIGNING_SECRET", "").strip()
        api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
        if not bot_token:
            raise SlackConfigError("SLACK_BOT_TOKEN is not set; set it to the app's Bot User OAuth Token (xoxb-...)")
        if http and not secret:
            raise SlackConfigError("SLACK_SIGNING_SECRET is not set; `citewire slack --http` needs the app's "
                                   "Signing Secret (Basic Information page)")
        if not http:
            if not app_token:
                raise SlackConfigError("SLACK_APP_TOKEN is not set; Socket Mode needs an app-level token (xapp-...) "
                                       "with connections:write, or run `citewire slack --http`")
            if not app_token.startswith("xapp-"):
                raise SlackConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        if not api_url.startswith(("http://", "https://")):
            raise SlackConfigError(f"SLACK_API_URL={api_url!r} is not an http(s) URL")
        if not api_url.endswith("/"):
            api_url += "/"
        return cls(bot_token, app_token or None, secret or None, api_url)


def make_client(token: str, api_url: str = DEFAULT_API_URL) -> WebClient:
    """A Web API client on `api_url` that waits out HTTP 429 (Retry-After) and retries dropped connections."""
    return WebClient(token=token, base_url=api_url, timeout=30, retry_handlers=[
        ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=3)])


class _Seen:
    """Keys seen in the last `ttl_s` seconds (bounded); `add` says whether a key is new."""

    def __init__(self, ttl_s: float = 3600.0, size: int = 20000) -> None:
        self._items: OrderedDict[str, float] = OrderedDict()
        self._ttl, self._size = ttl_s, size
        self._lock = threading.Lock()

    def add(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._items and (len(self._items) >= self._size or next(iter(self._items.values())) < now - self._ttl):
                self._items.popitem(last=False)
            if key in self._items:
                return False
            self._items[key] = now
            return True

    def __contains__(self, key: str) -> bool:
        with self._lock:
            t = self._items.get(key)
            return t is not None and t >= time.monotonic() - self._ttl


class SlackBot:
    """The listeners and their state (dedupe, answers for the buttons, feedback); `register` wires them to an App."""

    def __init__(self, settings: Settings, update_interval_s: float = UPDATE_INTERVAL_S) -> None:
        self.settings = settings
        self.update_interval_s = update_interval_s
        self._events = _Seen()
        self._messages = _Seen()
        self._threads = _Seen(ttl_s=7 * 86400)
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._answers_lock = threading.Lock()
        self._feedback: FeedbackStore | None = None
        self._feedback_lock = threading.Lock()
        self._ready = threading.Event()

    # ---- engine ---------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def warm_up(self) -> None:
        """Load the index, embedder and LLM once, before the first question needs them."""
        from qa import get_engine

        t0 = time.perf_counter()
        try:
            engine = get_engine(self.settings)
            articles, chunks = engine.store.counts()
            if not chunks:
                print(f"warning: nothing is indexed in {self.settings.data_dir}; run `citewire ingest` first",
                      file=sys.stderr, flush=True)
            engine.embedder.encode(["warm up"])
            _ = engine.llm
            print(f"citewire slack: ready ({articles} articles, llm {self.settings.llm_label}, "
                  f"{time.perf_counter() - t0:.1f}s)", file=sys.stderr, flush=True)
        except Exception as exc:  # the first question reports it properly
            log.warning("warm-up failed: %s", exc)
        finally:
            self._ready.set()

    def start_warm_up(self) -> None:
        threading.Thread(target=self.warm_up, name="citewire-warm-up", daemon=True).start()

    def _stream(self, client: WebClient, channel: str, msg_ts: str, question: str,
                history: list[dict[str, str]], last_call: float) -> Answer:
        """Run ask_stream, editing the placeholder with progress at most once per interval; return the Answer."""
        from qa import Answer, Evidence, ask_stream

        self._ready.wait(timeout=900)
        answer: Answer | None = None
        draft, note = "", bk.PLACEHOLDER
        for item in ask_stream(question, history, settings=self.settings):
            if isinstance(item, Answer):
                answer = item
                continue
            if isinstance(item, Evidence):
                n, arts = len(item.citations), len({c.article_id for c in item.citations})
                note = (f"Found {n} passage{'s' * (n != 1)} in {arts} article{'s' * (arts != 1)}; writing the answer\u2026"
                        if item.answerable else "Nothing close enough in the articles; checking\u2026")
            else:
                draft += item
            if time.monotonic() - last_call >= self.update_interval_s:
                try:
                    client.chat_update(channel=channel, ts=msg_ts, text=bk.progress_text(draft, note),
                                       blocks=bk.progress_blocks(draft, note))
                except Exception as exc:  # progress is a nicety: the answer goes on
                    log.warning("progress update failed: %s", _api_error(exc))
                last_call = time.monotonic()
        if answer is None:
            raise RuntimeError("the answer stream ended without an answer")
        wait = self.update_interval_s - (time.monotonic() - last_call)
        if wait > 0:
            time.sleep(wait)  # keep edits of one message about a second apart
        return answer

    def _ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer:
        from qa import Answer, ask_stream

        self._ready.wait(timeout=900)
        for item in ask_stream(question, history or [], settings=self.settings):
            if isinstance(item, Answer):
                return item
        raise RuntimeError("the answer stream ended without an answer")

    def _remember(self, answer: Answer) -> str:
        key = secrets.token_hex(6)
        with self._answers_lock:
            self._answers[key] = answer
            while len(self._answers) > 2000:
                self._answers.popitem(last=False)
        return key

    def _recall(self, key: Any) -> Answer | None:
        with self._answers_lock:
            return self._answers.get(key) if isinstance(key, str) else None

    @property
    def feedback(self) -> FeedbackStore:
        from ui.feedback import FeedbackStore

        with self._feedback_lock:
            if self._feedback is None:
                self._feedback = FeedbackStore(self.settings.data_dir)
            return self._feedback

    # ---- wiring ---------------------------------------------------------------------------------
    def register(self, app: App) -> None:
        app.middleware(self.dedupe)
        app.event("app_mention")(ack=_ack, lazy=[self.on_mention])
        app.event("message")(ack=_ack, lazy=[self.on_message])
        app.command("/citewire")(ack=self.ack_command, lazy=[self.on_command])
        app.action(bk.HELPFUL)(ack=_ack, lazy=[self.on_feedback])
        app.action(bk.NOT_HELPFUL)(ack=_ack, lazy=[self.on_feedback])
        app.action(bk.SHARE)(ack=_ack, lazy=[self.on_share])
        app.error(self.on_error)

    def dedupe(self, body: dict[str, Any], next: Callable[[], BoltResponse], logger: logging.Logger) -> Any:
        """Answer each event once: Slack re-sends an event (same event_id, X-Slack-Retry-Num) it thinks was lost."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not self._events.add(str(event_id)):
            logger.info("event %s already received; ignoring the retry", event_id)
            return BoltResponse(status=200, body="")
        return next()

    def on_error(self, error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
        logger.error("unhandled error for a %s request: %s", body.get("type"), error, exc_info=error)

    # ---- events ---------------------------------------------------------------------------------
    def on_mention(self, event: dict[str, Any], client: WebClient, context: Any) -> None:
        if event.get("bot_id") or event.get("subtype") not in _ANSWERED_SUBTYPES:
            return
        self.answer_in_thread(client, event, context.bot_user_id, context.bot_id)

    def on_message(self, event: dict[str, Any], client: WebClient, context: Any) -> None:
        if event.get("bot_id") or event.get("subtype") not in _ANSWERED_SUBTYPES or not event.get("user"):
            return
        if is_from_bot(event, context.bot_user_id, context.bot_id):
            return
        if event.get("channel_type") == "im":
            self.answer_in_thread(client, event, context.bot_user_id, context.bot_id)
            return
        # a reply in a thread the bot answered in, without an @mention (needs message.channels/message.groups)
        thread_ts = event.get("thread_ts")
        if (thread_ts and thread_ts != event.get("ts") and f"{event.get('channel')}:{thread_ts}" in self._threads
                and not mentions(event.get("text", ""), context.bot_user_id)):
            self.answer_in_thread(client, event, context.bot_user_id, context.bot_id)

    def answer_in_thread(self, client: WebClient, event: dict[str, Any], bot_user_id: str | None,
                         bot_id: str | None) -> None:
        """Reply in a thread under the question: a placeholder at once, edited as the answer streams, then the answer."""
        channel, ts = event.get("channel"), event.get("ts")
        if not channel or not ts or not self._messages.add(f"{channel}:{ts}"):
            return
        thread_ts = event.get("thread_ts") or ts
        question = clean_text(event.get("text", ""))
        if not question:
            self._post_quietly(client, channel, thread_ts, USAGE.replace("`/citewire ", "`@citewire "))
            return
        try:
            msg_ts = client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=bk.PLACEHOLDER)["ts"]
        except Exception as exc:
            log.error("cannot post in %s: %s", channel, _api_error(exc))
            return
        posted = time.monotonic()
        self._threads.add(f"{channel}:{thread_ts}")
        try:
            client.reactions_add(channel=channel, timestamp=ts, name="eyes")
        except Exception as exc:
            log.info("could not add a reaction: %s", _api_error(exc))
        try:
            history: list[dict[str, str]] = []
            if thread_ts != ts:  # a reply in a thread: the thread so far is the conversation
                history = self._history(client, channel, thread_ts, ts, bot_user_id, bot_id)
            answer = self._stream(client, channel, msg_ts, question, history, posted)
            messages = bk.answer_messages(answer, key=self._remember(answer))
            client.chat_update(channel=channel, ts=msg_ts, text=bk.fallback_text(answer), blocks=messages[0])
            for extra in messages[1:]:
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=bk.CONTINUED, blocks=extra)
            log.info("answered %r in %s (%s, %d citations)", question, channel, answer.mode, len(answer.citations))
        except Exception as exc:
            self._fail(client, channel, thread_ts, msg_ts, exc)

    def _history(self, client: WebClient, channel: str, thread_ts: str, before_ts: str, bot_user_id: str | None,
                 bot_id: str | None) -> list[dict[str, str]]:
        messages: list[dict[str, Any]] = []
        cursor = None
        try:
            for _ in range(5):
                resp = client.conversations_replies(channel=channel, ts=thread_ts, limit=200, cursor=cursor)
                messages += resp.get("messages") or []
                cursor = (resp.get("response_metadata") or {}).get("next_cursor")
                if not resp.get("has_more") or not cursor:
                    break
        except Exception as exc:  # answer without the history rather than not at all
            log.warning("cannot read the thread %s in %s: %s", thread_ts, channel, _api_error(exc))
        return thread_history(messages, bot_user_id=bot_user_id, bot_id=bot_id, before_ts=before_ts)

    def _fail(self, client: WebClient, channel: str, thread_ts: str, msg_ts: str | None, exc: Exception) -> None:
        text = bk.error_text(_reason(exc))
        for attempt in ("update", "post"):
            try:
                if attempt == "update" and msg_ts:
                    client.chat_update(channel=channel, ts=msg_ts, text=text, blocks=[bk.section(text)])
                elif attempt == "post":
                    client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
                return
            except Exception as err:
                log.error("could not tell %s about the failure (%s): %s", channel, attempt, err)

    def _post_quietly(self, client: WebClient, channel: str, thread_ts: str, text: str) -> None:
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
        except SlackApiError as exc:
            log.error("cannot post in %s: %s", channel, exc.response.get("error"))

    # ---- /citewire ------------------------------------------------------------------------------
    def ack_command(self, ack: Callable[..., Any], command: dict[str, Any]) -> None:
        if not clean_text(command.get("text", "")):
            ack(response_type="ephemeral", text=USAGE)
        else:
            ack(response_type="ephemeral", text=bk.PLACEHOLDER)

    def on_command(self, command: dict[str, Any], client: WebClient, respond: Any) -> None:
        question = clean_text(command.get("text", ""))
        if not question:
            return
        try:
            answer = self._ask(question)
        except Exception as exc:
            self._ephemeral(client, respond, command.get("channel_id"), command.get("user_id"),
                            bk.error_text(_reason(exc)), None, replace=True)
            return
        messages = bk.answer_messages(answer, key=self._remember(answer), share=True)
        for i, blocks in enumerate(messages):
            self._ephemeral(client, respond, command.get("channel_id"), command.get("user_id"),
                            bk.fallback_text(answer) if i == 0 else bk.CONTINUED, blocks, replace=i == 0)

    def _ephemeral(self, client: WebClient, respond: Any, channel: str | None, user: str | None, text: str,
                   blocks: list[bk.Block] | None, replace: bool = False, thread_ts: str | None = None) -> None:
        """Show a message to one person: through the response_url when there is one, else chat.postEphemeral."""
        try:
            if respond is not None and getattr(respond, "response_url", None):
                resp = respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=replace)
                if getattr(resp, "status_code", 200) != 200:
                    log.warning("response_url answered %s: %s", resp.status_code, resp.body)
            elif channel and user:
                client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks, thread_ts=thread_ts)
        except Exception as exc:
            log.error("cannot show %s a message in %s: %s", user, channel, exc)

    # ---- buttons --------------------------------------------------------------------------------
    def on_share(self, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Any) -> None:
        data = bk.parse_value(action.get("value", ""))
        user = (body.get("user") or {}).get("id")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        key = data.get("k")
        answer = self._recall(key)
        if not channel:
            log.warning("a share click without a channel: %s", body.get("container"))
            return
        try:
            if answer is None:  # the bot restarted since: ask again
                answer = self._ask(str(data.get("q") or ""))
                key = self._remember(answer)
            messages = bk.answer_messages(answer, key=str(key), asked_by=user)
            first = client.chat_postMessage(channel=channel, text=bk.fallback_text(answer), blocks=messages[0])
            for extra in messages[1:]:
                client.chat_postMessage(channel=channel, thread_ts=first["ts"], text=bk.CONTINUED, blocks=extra)
            self._threads.add(f"{channel}:{first['ts']}")
        except SlackApiError as exc:
            error = exc.response.get("error")
            hint = " Invite me with `/invite @citewire` and try again." if error in ("not_in_channel", "channel_not_found") else ""
            self._ephemeral(client, respond, channel, user, f"I couldn't post in this channel ({error}).{hint}", None)
            return
        except Exception as exc:
            self._ephemeral(client, respond, channel, user, bk.error_text(_reason(exc)), None)
            return
        if respond is not None and getattr(respond, "response_url", None):
            try:
                respond(delete_original=True)
            except Exception as exc:
                log.info("could not remove the ephemeral answer: %s", exc)

    def on_feedback(self, body: dict[str, Any], action: dict[str, Any], client: WebClient, respond: Any) -> None:
        rating = 1 if action.get("action_id") == bk.HELPFUL else -1
        data = bk.parse_value(action.get("value", ""))
        user = (body.get("user") or {}).get("id")
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        answer = self._recall(data.get("k"))
        if answer is not None:
            question, text = answer.question, answer.answer
            citations = [c.to_dict() for c in answer.citations]
        else:  # the bot restarted since: what the button and the message still carry
            question, text = str(data.get("q") or ""), bk.unescape(message.get("text") or "")
            citations = [{"article_id": a} for a in data.get("c") or []]
        self.feedback.record(rating=rating, question=question, answer=text, citations=citations,
                             interface="slack", channel=channel, user=user)
        log.info("feedback %+d from %s in %s", rating, user, channel)
        ephemeral = bool(container.get("is_ephemeral"))
        self._ephemeral(client, respond if ephemeral else None, channel, user, bk.thanks_text(rating), None,
                        thread_ts=None if ephemeral else (message.get("thread_ts") or container.get("thread_ts")))


class _QuietTokenWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


class _DuringFirstConnect(logging.Filter):
    done = False

    def filter(self, record: logging.LogRecord) -> bool:
        return self.done or "Failed to retrieve WSS URL" not in record.getMessage()


def _ack(ack: Callable[..., Any]) -> None:
    ack()


def _api_error(exc: BaseException) -> str:
    return str(exc.response.get("error")) if isinstance(exc, SlackApiError) else str(exc)


def _reason(exc: BaseException) -> str:
    """What to tell the person: a user error's own message; anything else is logged and summarised."""
    if isinstance(exc, UserError):
        log.warning("could not answer: %s", exc.message)
        return exc.message
    log.error("answering failed", exc_info=exc)
    return "something went wrong on my side (it has been logged). Please try again in a moment."


def create_app(settings: Settings, config: SlackConfig, bot: SlackBot | None = None) -> tuple[App, SlackBot]:
    """The Bolt app with citewire's listeners; checks the bot token with auth.test first."""
    client = make_client(config.bot_token, config.api_url)
    try:
        auth = client.auth_test()
    except SlackApiError as exc:
        raise SlackConfigError(f"Slack rejected SLACK_BOT_TOKEN ({exc.response.get('error')}); "
                               "use the Bot User OAuth Token (xoxb-...) of an installed app") from exc
    except OSError as exc:
        raise SlackConfigError(f"cannot reach the Slack API at {config.api_url} ({exc}); "
                               "check the network or SLACK_API_URL") from exc
    log.info("signed in to %s as %s", auth.get("team"), auth.get("user"))
    bolt_log = logging.getLogger("citewire.slack.bolt")
    if not any(isinstance(f, _QuietTokenWarning) for f in bolt_log.filters):
        bolt_log.addFilter(_QuietTokenWarning())  # Bolt also reads SLACK_BOT_TOKEN, and warns that the client wins
    app = App(client=client, signing_secret=config.signing_secret or "", process_before_response=False,
              logger=bolt_log)
    bot = bot or SlackBot(settings)
    bot.register(app)
    return app, bot


def run(settings: Settings, *, http: bool = False, host: str = "127.0.0.1", port: int = 3000) -> int:
    """`citewire slack`: connect over Socket Mode, or with http=True serve the Events API; returns an exit code."""
    config = SlackConfig.from_env(http)  # a SlackConfigError is a UserError: `citewire` prints it, exit 2
    app, bot = create_app(settings, config)
    return _serve_http(app, bot, host, port) if http else _serve_socket_mode(app, bot, config)


def _serve_http(app: App, bot: SlackBot, host: str, port: int) -> int:
    import uvicorn
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def events(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
            return Response("request too large", status_code=413)
        body = await request.body()
        resp = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(resp)

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "ready": bot.ready})

    web = Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]), Route("/healthz", health, methods=["GET"])])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SlackConfigError(f"cannot listen on {host}:{port} ({exc.strerror}); pick another --port", exit_code=1) from None
    server = uvicorn.Server(uvicorn.Config(web, log_level="warning", access_log=False, lifespan="off"))
    bot.start_warm_up()
    print(f"citewire slack: listening for Slack on http://{host}:{port}{EVENTS_PATH}", file=sys.stderr, flush=True)
    server.run(sockets=[sock])
    return 0


def _serve_socket_mode(app: App, bot: SlackBot, config: SlackConfig) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    socket_log = logging.getLogger("citewire.slack.socket")
    first_connect = _DuringFirstConnect()
    socket_log.addFilter(first_connect)  # a rejected token is reported below, in one line
    handler = SocketModeHandler(app, config.app_token, logger=socket_log)
    try:
        handler.connect()
        first_connect.done = True
    except SlackApiError as exc:
        raise SlackConfigError(f"Slack rejected SLACK_APP_TOKEN ({exc.response.get('error')}); use an app-level token "
                               "(xapp-...) with connections:write, and enable Socket Mode") from None
    except OSError as exc:
        raise SlackConfigError(f"cannot reach Slack for Socket Mode ({exc}); check the network or SLACK_API_URL",
                               exit_code=1) from None
    bot.start_warm_up()
    print("citewire slack: connected over Socket Mode", file=sys.stderr, flush=True)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        handler.close()
    return 0
