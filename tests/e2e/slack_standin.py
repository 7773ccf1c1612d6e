"""A local stand-in for Slack, for testing the real Bolt app without reaching slack.com.

It serves, on 127.0.0.1 (aiohttp, in a background thread):
  * the Web API methods the bot calls, at /api/<method>, with Slack's request and response shapes (form or JSON
    bodies, bearer tokens, `{"ok": true, ...}`, ts values): auth.test, chat.postMessage, chat.update,
    chat.postEphemeral, conversations.replies, reactions.add, apps.connections.open. It keeps the channels'
    messages (so threads can be read back), records every call, checks Block Kit limits the way Slack does
    (`invalid_blocks`), and can answer HTTP 429 with Retry-After, or an error, on demand;
  * response_url endpoints at /hooks/<name>;
  * the Socket Mode WebSocket that apps.connections.open points to: it sends `hello`, sends envelopes on
    demand (`send_envelope`) and records the acks.

It also builds the payloads Slack would send (events, slash commands, block_actions) and signs them (v0 HMAC).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web
from slack_sdk.signature import SignatureVerifier

T = TypeVar("T")

BOT_TOKEN = "xoxb-standin"  # not a real token: the stand-in accepts only this one
APP_TOKEN = "xapp-1-citewire-standin"
SIGNING_SECRET = "standin-signing-secret"
BOT_USER_ID = "U0CITEWIRE"
BOT_ID = "B0CITEWIRE"
TEAM_ID = "T0STANDIN"
APP_ID = "A0CITEWIRE"
USER_ID = "U0ALICE"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    status: int
    response: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    status: int = 429
    retry_after: int = 1
    error: str = "ratelimited"


class SlackStandin:
    """`with SlackStandin() as slack:`; point the bot at `slack.api_url` (SLACK_API_URL)."""

    def __init__(self, bot_token: str = BOT_TOKEN, app_token: str = APP_TOKEN) -> None:
        self.bot_token, self.app_token = bot_token, app_token
        self.calls: list[Call] = []
        self.hooks: list[tuple[str, dict[str, Any]]] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.reactions: list[tuple[str, str, str]] = []
        self.acks: dict[str, dict[str, Any]] = {}
        self.socket_connections = 0
        self._faults: dict[str, list[Fault]] = {}
        self._cond = threading.Condition()
        self._last_ts = 0.0
        self._ws: web.WebSocketResponse | None = None
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ---- lifecycle ------------------------------------------------------------------------------
    def start(self) -> SlackStandin:
        started = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._start())
            started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name="slack-standin", daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("the Slack stand-in did not start")
        return self

    async def _start(self) -> None:
        app = web.Application(client_max_size=4 << 20)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/hooks/{name}", self._hook)
        app.router.add_get("/link/", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        async def shutdown() -> None:
            if self._ws is not None:
                await self._ws.close()
            if self._runner is not None:
                await self._runner.cleanup()

        if self._thread is not None:
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> SlackStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str | None = None) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/{name or uuid.uuid4().hex[:12]}"

    # ---- test controls --------------------------------------------------------------------------
    def fail_next(self, method: str, times: int = 1, *, status: int = 429, retry_after: int = 1,
                  error: str = "ratelimited") -> None:
        """The next `times` calls of `method` get HTTP 429 + Retry-After (or, with status=200, `error`)."""
        with self._cond:
            self._faults.setdefault(method, []).extend(Fault(status, retry_after, error) for _ in range(times))

    def wait_for(self, predicate: Callable[[], T | None], timeout: float = 30, what: str = "condition") -> T:
        """Wait until predicate() (called under the lock) is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for {what}; calls: "
                                         f"{[(c.method, c.status, c.args.get('channel')) for c in self.calls][-30:]}")
                self._cond.wait(min(left, 0.5))

    def calls_to(self, method: str, channel: str | None = None, ok: bool | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method and (channel is None or c.args.get("channel") == channel)
                    and (ok is None or bool(c.response.get("ok")) == ok)]

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        with self._cond:
            return [dict(m) for m in self.messages.get(channel, [])
                    if m["ts"] == thread_ts or m.get("thread_ts") == thread_ts]

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        with self._cond:
            for m in self.messages.get(channel, []):
                if m["ts"] == ts:
                    return dict(m)
        return None

    def add_user_message(self, channel: str, text: str, user: str = USER_ID, thread_ts: str | None = None) -> dict[str, Any]:
        """A person posts in Slack: store the message (so conversations.replies sees it) and return it."""
        with self._cond:
            msg: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": self._next_ts(), "team": TEAM_ID}
            if thread_ts:
                msg["thread_ts"] = thread_ts
            self._store(channel, msg)
            return dict(msg)

    # ---- Socket Mode ----------------------------------------------------------------------------
    def socket_connected(self) -> bool:
        return self._ws is not None and not self._ws.closed

    def send_envelope(self, type_: str, payload: dict[str, Any], retry_attempt: int = 0,
                      accepts_response_payload: bool = False) -> str:
        envelope_id = str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "type": type_, "payload": payload,
                    "accepts_response_payload": accepts_response_payload, "retry_attempt": retry_attempt,
                    "retry_reason": "timeout" if retry_attempt else ""}
        ws = self._ws
        if ws is None:
            raise AssertionError("no Socket Mode connection")
        asyncio.run_coroutine_threadsafe(ws.send_str(json.dumps(envelope)), self._loop).result(10)
        return envelope_id

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        with self._cond:
            self._ws = ws
            self.socket_connections += 1
            self._cond.notify_all()
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1,
                                      "debug_info": {"host": "standin", "approximate_connection_time": 18060},
                                      "connection_info": {"app_id": APP_ID}}))
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                try:
                    data = json.loads(msg.data)
                except json.JSONDecodeError:
                    continue
                if isinstance(data, dict) and data.get("envelope_id"):
                    with self._cond:
                        self.acks[data["envelope_id"]] = data
                        self._cond.notify_all()
        with self._cond:
            if self._ws is ws:
                self._ws = None
            self._cond.notify_all()
        return ws

    # ---- Web API --------------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        body = await request.read()
        if body:
            if request.content_type == "application/json":
                args.update(json.loads(body))
            else:
                args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        auth = request.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else args.pop("token", None)
        for key in ("blocks", "attachments"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        with self._cond:
            faults = self._faults.get(method)
            fault = faults.pop(0) if faults else None
            if fault is not None and fault.status == 429:
                resp: dict[str, Any] = {"ok": False, "error": "ratelimited"}
                self._record(Call(method, args, token, 429, resp))
                return web.json_response(resp, status=429, headers={"Retry-After": str(fault.retry_after)})
            if fault is not None:
                resp = {"ok": False, "error": fault.error}
            else:
                resp = self._handle(method, args, token)
            self._record(Call(method, args, token, 200, resp))
        return web.json_response(resp)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._cond.notify_all()

    def _handle(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if not token:
            return {"ok": False, "error": "not_authed"}
        if method == "apps.connections.open":
            if token != self.app_token:
                return {"ok": False, "error": "invalid_auth"}
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4()}&app_id={APP_ID}"}
        if token != self.bot_token:
            return {"ok": False, "error": "invalid_auth"}
        handler = {
            "auth.test": self._auth_test, "chat.postMessage": self._post_message, "chat.update": self._update,
            "chat.postEphemeral": self._post_ephemeral, "conversations.replies": self._replies,
            "reactions.add": self._reactions_add,
        }.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        return handler(args)

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://standin.slack.com/", "team": "Stand-in", "user": "citewire",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        error = _check_message(args)
        if error:
            return {"ok": False, "error": error}
        msg: dict[str, Any] = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
                               "text": args.get("text", ""), "ts": self._next_ts(), "team": TEAM_ID}
        if args.get("blocks"):
            msg["blocks"] = args["blocks"]
        if args.get("thread_ts"):
            msg["thread_ts"] = args["thread_ts"]
        self._store(channel, msg)
        return {"ok": True, "channel": channel, "ts": msg["ts"], "message": msg}

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel"), args.get("ts")
        msg = next((m for m in self.messages.get(channel or "", []) if m["ts"] == ts), None)
        if msg is None:
            return {"ok": False, "error": "message_not_found"}
        if msg.get("user") != BOT_USER_ID:
            return {"ok": False, "error": "cant_update_message"}
        error = _check_message(args)
        if error:
            return {"ok": False, "error": error}
        if "text" in args:
            msg["text"] = args["text"]
        if "blocks" in args:
            msg["blocks"] = args["blocks"]
        msg["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {"ok": True, "channel": channel, "ts": ts, "text": msg["text"], "message": dict(msg)}

    def _post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("channel") or not args.get("user"):
            return {"ok": False, "error": "invalid_arguments"}
        error = _check_message(args)
        if error:
            return {"ok": False, "error": error}
        return {"ok": True, "message_ts": self._next_ts()}

    def _replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("ts")
        msgs = [dict(m) for m in self.messages.get(channel, []) if m["ts"] == ts or m.get("thread_ts") == ts]
        if not any(m["ts"] == ts for m in msgs):
            return {"ok": False, "error": "thread_not_found"}
        msgs.sort(key=lambda m: float(m["ts"]))
        return {"ok": True, "messages": msgs, "has_more": False, "response_metadata": {"next_cursor": ""}}

    def _reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (args.get("channel", ""), args.get("timestamp", ""), args.get("name", ""))
        if not all(key):
            return {"ok": False, "error": "invalid_arguments"}
        if self.message(key[0], key[1]) is None:
            return {"ok": False, "error": "message_not_found"}
        if key in self.reactions:
            return {"ok": False, "error": "already_reacted"}
        self.reactions.append(key)
        return {"ok": True}

    async def _hook(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        data = await request.json()
        error = _check_message(data)
        with self._cond:
            self.hooks.append((name, data))
            self._cond.notify_all()
        if error:
            return web.Response(status=400, text=error)
        return web.Response(text="ok")

    def hook_posts(self, name: str) -> list[dict[str, Any]]:
        with self._cond:
            return [d for n, d in self.hooks if n == name]

    # ---- state ----------------------------------------------------------------------------------
    def _next_ts(self) -> str:
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        return f"{self._last_ts:.6f}"

    def _store(self, channel: str, msg: dict[str, Any]) -> None:
        self.messages.setdefault(channel, []).append(msg)
        if msg.get("thread_ts"):
            for parent in self.messages[channel]:
                if parent["ts"] == msg["thread_ts"]:
                    parent["reply_count"] = parent.get("reply_count", 0) + 1
                    parent.setdefault("thread_ts", parent["ts"])
        self._cond.notify_all()


def _check_message(args: dict[str, Any]) -> str | None:
    """Slack's own limits: 50 blocks, section text 3,000, button value 2,000, message text 40,000."""
    blocks = args.get("blocks") or []
    if not args.get("text") and not blocks and not args.get("delete_original"):
        return "no_text"
    if len(str(args.get("text") or "")) > 40000:
        return "msg_too_long"
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "invalid_blocks"
    for b in blocks:
        if not isinstance(b, dict) or "type" not in b:
            return "invalid_blocks"
        if b["type"] == "section" and len(b.get("text", {}).get("text", "")) > 3000:
            return "invalid_blocks"
        if len(b.get("block_id", "")) > 255:
            return "invalid_blocks"
        for el in b.get("elements", []):
            if isinstance(el, dict) and len(str(el.get("value", ""))) > 2000:
                return "invalid_blocks"
    return None


# ---- what Slack sends the bot ------------------------------------------------------------------
def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {"token": "legacy-verification-token", "team_id": TEAM_ID, "api_app_id": APP_ID, "event": event,
            "type": "event_callback", "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()), "event_context": f"4-{uuid.uuid4().hex[:16]}",
            "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True,
                                "is_enterprise_install": False}], "is_ext_shared_channel": False}


def mention_event(message: dict[str, Any], channel: str) -> dict[str, Any]:
    """The app_mention event for a stored message that @mentions the bot."""
    event = {"type": "app_mention", "user": message["user"], "text": message["text"], "ts": message["ts"],
             "channel": channel, "event_ts": message["ts"], "team": TEAM_ID}
    if message.get("thread_ts"):
        event["thread_ts"] = message["thread_ts"]
    return event


def message_event(message: dict[str, Any], channel: str, channel_type: str = "im") -> dict[str, Any]:
    event = {"type": "message", "channel": channel, "channel_type": channel_type, "event_ts": message["ts"], **message}
    return event


def slash_command(text: str, channel: str, response_url: str, user: str = USER_ID) -> dict[str, str]:
    return {"token": "legacy-verification-token", "team_id": TEAM_ID, "team_domain": "standin",
            "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": "alice",
            "command": "/citewire", "text": text, "api_app_id": APP_ID, "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": f"13345224609.738474920.{uuid.uuid4().hex[:8]}"}


def block_actions(button: dict[str, Any], *, channel: str, response_url: str, message: dict[str, Any] | None = None,
                  ephemeral: bool = False, user: str = USER_ID, block_id: str = "citewire_actions") -> dict[str, Any]:
    """The interaction payload for a click on `button` (a button element from the bot's blocks)."""
    container: dict[str, Any] = {"type": "message", "message_ts": (message or {}).get("ts", "0"),
                                 "channel_id": channel, "is_ephemeral": ephemeral}
    if message and message.get("thread_ts"):
        container["thread_ts"] = message["thread_ts"]
    payload: dict[str, Any] = {
        "type": "block_actions", "user": {"id": user, "username": "alice", "name": "alice", "team_id": TEAM_ID},
        "api_app_id": APP_ID, "token": "legacy-verification-token", "container": container,
        "trigger_id": f"13345224609.738474920.{uuid.uuid4().hex[:8]}", "team": {"id": TEAM_ID, "domain": "standin"},
        "enterprise": None, "is_enterprise_install": False, "channel": {"id": channel, "name": "general"},
        "response_url": response_url,
        "actions": [{"action_id": button["action_id"], "block_id": block_id, "text": button["text"],
                     "value": button.get("value", ""), "type": "button", "action_ts": f"{time.time():.6f}"}],
        "state": {"values": {}},
    }
    if message is not None and not ephemeral:
        payload["message"] = message
    return payload


def signed_headers(body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None,
                   content_type: str = "application/json") -> dict[str, str]:
    """X-Slack-Signature / X-Slack-Request-Timestamp as Slack computes them (v0 HMAC-SHA256)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": str(SignatureVerifier(secret).generate_signature(timestamp=ts, body=body))}
