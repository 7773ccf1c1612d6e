"""The real Slack bot (`citewire slack`, Bolt + slack_sdk) against a local Slack stand-in.

HTTP mode: signed Events API / slash command / interaction requests, extractive answers (--llm none) for speed.
Socket Mode: the stand-in serves apps.connections.open and the WebSocket; one answer uses the embedded LLM.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from conftest import BOLTON_SOURCES, ROOT, free_port
from slack_standin import (
    APP_TOKEN,
    BOT_ID,
    BOT_TOKEN,
    BOT_USER_ID,
    SIGNING_SECRET,
    USER_ID,
    Call,
    SlackStandin,
    block_actions,
    event_callback,
    mention_event,
    message_event,
    signed_headers,
    slash_command,
)

from index.settings import Settings
from ui.feedback import FeedbackStore
from ui.slack.app import DEFAULT_API_URL, SlackConfig, SlackConfigError, make_client

pytestmark = pytest.mark.e2e

QUESTION = "When did Bolton say the meeting would happen?"
PLACEHOLDER = "Looking through the articles"


# ---- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slack() -> Iterator[SlackStandin]:
    with SlackStandin() as standin:
        yield standin


@pytest.fixture(scope="module")
def slack_data(seed_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed index: the bot writes feedback.sqlite into its data dir."""
    dest = tmp_path_factory.mktemp("slack-index") / "data"
    shutil.copytree(seed_index.data_dir, dest)
    return dest


class Bot:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._fh = log.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "slack", *args], cwd=ROOT, env=env,
                                     stdout=self._fh, stderr=subprocess.STDOUT)
        self.url = ""

    def tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._fh.close()

    def post(self, body: str, headers: dict[str, str]) -> httpx.Response:
        return httpx.post(f"{self.url}/slack/events", content=body, headers=headers, timeout=30)

    def post_event(self, event: dict[str, Any], event_id: str | None = None, **extra_headers: str) -> httpx.Response:
        body = json.dumps(event_callback(event, event_id))
        return self.post(body, {**signed_headers(body), **extra_headers})

    def post_form(self, form: dict[str, str]) -> httpx.Response:
        body = urlencode(form)
        return self.post(body, signed_headers(body, content_type="application/x-www-form-urlencoded"))


def bot_env(slack: SlackStandin, **tokens: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CITEWIRE_"))}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", CITEWIRE_CONFIG="/nonexistent",
               SLACK_API_URL=slack.api_url, PYTHONUNBUFFERED="1", **tokens)
    return env


@pytest.fixture(scope="module")
def socket_bot_process(request: pytest.FixtureRequest, slack: SlackStandin, slack_data: Path,
                       tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot | None]:
    """The Socket Mode bot (embedded LLM), started as early as possible when its test is selected, so that
    loading the LLM overlaps the HTTP tests."""
    if not any(item.name.startswith("test_socket_mode") for item in request.session.items):
        yield None
        return
    env = bot_env(slack, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
    bot = Bot(["--data-dir", str(slack_data), "--llm", "embedded", "-v"], env,
              tmp_path_factory.mktemp("slack-socket") / "bot.log")
    try:
        yield bot
    finally:
        bot.stop()


@pytest.fixture(scope="module")
def http_bot(slack: SlackStandin, slack_data: Path, tmp_path_factory: pytest.TempPathFactory,
             socket_bot_process: Bot | None) -> Iterator[Bot]:
    port = free_port()
    env = bot_env(slack, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET)
    bot = Bot(["--http", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(slack_data), "--llm", "none",
               "-v"], env, tmp_path_factory.mktemp("slack-http") / "bot.log")
    bot.url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    try:
        while True:
            assert bot.proc.poll() is None, f"the bot exited:\n{bot.tail()}"
            try:
                if httpx.get(f"{bot.url}/healthz", timeout=5).json().get("ready"):
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"the bot did not get ready:\n{bot.tail()}"
            time.sleep(0.5)
        yield bot
    finally:
        bot.stop()


# ---- helpers -----------------------------------------------------------------------------------
def is_final(call: Call) -> bool:
    return call.method == "chat.update" and bool(call.response.get("ok")) and any(
        b.get("type") == "actions" for b in call.args.get("blocks") or [])


def wait_final(slack: SlackStandin, channel: str, count: int = 1, timeout: float = 120) -> Call:
    """The `count`-th final answer (a chat.update carrying the feedback buttons) in `channel`."""
    finals = slack.wait_for(lambda: [c for c in slack.calls if c.args.get("channel") == channel and is_final(c)]
                            [count - 1:] or None, timeout, f"answer #{count} in {channel}")
    return finals[0]


def cited(call_or_blocks: Call | list[dict[str, Any]]) -> set[str]:
    blocks = call_or_blocks.args["blocks"] if isinstance(call_or_blocks, Call) else call_or_blocks
    return {b["block_id"].split(":", 2)[2] for b in blocks if str(b.get("block_id", "")).startswith("cite:")}


def answer_text(blocks: list[dict[str, Any]]) -> str:
    out = []
    for b in blocks:
        if b.get("type") == "divider":
            break
        if b.get("type") == "section":
            out.append(b["text"]["text"])
    return " ".join(out)


def contexts(blocks: list[dict[str, Any]]) -> str:
    return " ".join(e.get("text", "") for b in blocks if b.get("type") == "context" for e in b["elements"])


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["action_id"]: e for b in blocks if b.get("type") == "actions" for e in b["elements"]}


def assert_bolton_answer(blocks: list[dict[str, Any]]) -> None:
    assert cited(blocks) & BOLTON_SOURCES, blocks
    text = answer_text(blocks)
    assert "2019" in text or "first of the year" in text, text


# ---- HTTP mode ---------------------------------------------------------------------------------
def test_mention_is_answered_in_a_thread_with_sources(http_bot: Bot, slack: SlackStandin, artifacts: Path) -> None:
    ch = "C0MENTION"
    question = slack.add_user_message(ch, f"<@{BOT_USER_ID}> {QUESTION}")
    t0 = time.monotonic()
    resp = http_bot.post_event(mention_event(question, ch))
    assert resp.status_code == 200
    assert time.monotonic() - t0 < 3, "Slack needs the ack within 3 seconds"

    final = wait_final(slack, ch)
    placeholder = slack.calls_to("chat.postMessage", ch)[0]
    assert placeholder.args["thread_ts"] == question["ts"]
    assert placeholder.args["text"].startswith(PLACEHOLDER)
    assert final.args["ts"] == placeholder.response["ts"], "the placeholder is edited into the answer"
    assert_bolton_answer(final.args["blocks"])
    assert set(buttons(final.args["blocks"])) == {"citewire_helpful", "citewire_not_helpful"}
    assert (ch, question["ts"], "eyes") in slack.reactions
    thread = slack.thread(ch, question["ts"])
    assert [m["user"] for m in thread] == [USER_ID, BOT_USER_ID]
    (artifacts / "slack_answer_message.json").write_text(
        json.dumps({"text": final.args["text"], "blocks": final.args["blocks"]}, indent=2, ensure_ascii=False))


def test_dm_is_answered_and_a_thread_reply_is_a_follow_up(http_bot: Bot, slack: SlackStandin) -> None:
    ch = "D0DIRECT"
    question = slack.add_user_message(ch, QUESTION)
    assert http_bot.post_event(message_event(question, ch, "im")).status_code == 200
    first = wait_final(slack, ch)
    assert slack.calls_to("chat.postMessage", ch)[0].args["thread_ts"] == question["ts"]
    assert_bolton_answer(first.args["blocks"])
    assert not slack.calls_to("conversations.replies", ch), "a new question has no history"

    follow_up = slack.add_user_message(ch, "Where was he then?", thread_ts=question["ts"])
    assert http_bot.post_event(message_event(follow_up, ch, "im")).status_code == 200
    second = wait_final(slack, ch, count=2)
    replies = slack.calls_to("conversations.replies", ch)
    assert replies and replies[-1].args["ts"] == question["ts"]
    assert slack.calls_to("chat.postMessage", ch)[-1].args["thread_ts"] == question["ts"]
    # the thread reached ask() as history: the follow-up was understood with the first question
    understood = contexts(second.args["blocks"])
    assert "Understood as" in understood and QUESTION in understood, understood


def test_slash_command_answers_ephemerally_and_can_be_shared(http_bot: Bot, slack: SlackStandin) -> None:
    ch = "C0SLASH"
    resp = http_bot.post_form(slash_command(QUESTION, ch, slack.response_url("slash")))
    assert resp.status_code == 200
    ack = resp.json()
    assert ack["response_type"] == "ephemeral" and ack["text"].startswith(PLACEHOLDER)

    posts = slack.wait_for(lambda: [p for p in slack.hook_posts("slash") if p.get("blocks")], 120, "ephemeral answer")
    answer = posts[0]
    assert answer["response_type"] == "ephemeral"
    assert_bolton_answer(answer["blocks"])
    share = buttons(answer["blocks"])["citewire_share"]
    assert not slack.calls_to("chat.postMessage", ch), "nothing public before sharing"

    click = block_actions(share, channel=ch, response_url=slack.response_url("share"), ephemeral=True)
    assert http_bot.post_form({"payload": json.dumps(click)}).status_code == 200
    public = slack.wait_for(lambda: slack.calls_to("chat.postMessage", ch, ok=True), 60, "shared answer")[0]
    assert "thread_ts" not in public.args
    assert_bolton_answer(public.args["blocks"])
    assert "citewire_share" not in buttons(public.args["blocks"])
    assert f"<@{USER_ID}> asked" in contexts(public.args["blocks"])
    slack.wait_for(lambda: [p for p in slack.hook_posts("share") if p.get("delete_original")], 30, "ephemeral removed")


def test_feedback_buttons_record_into_the_feedback_store(http_bot: Bot, slack: SlackStandin, slack_data: Path) -> None:
    ch = "C0FEEDBACK"
    question = slack.add_user_message(ch, f"<@{BOT_USER_ID}> {QUESTION}")
    http_bot.post_event(mention_event(question, ch))
    final = wait_final(slack, ch)
    message = slack.message(ch, final.args["ts"])
    assert message is not None
    store = FeedbackStore(slack_data)
    for action_id in ("citewire_helpful", "citewire_not_helpful"):
        button = buttons(message["blocks"])[action_id]
        click = block_actions(button, channel=ch, response_url=slack.response_url(), message=message)
        assert http_bot.post_form({"payload": json.dumps(click)}).status_code == 200
    deadline = time.monotonic() + 30
    while len(records := [r for r in store.all() if r["channel"] == ch]) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [r["rating"] for r in records] == [1, -1], records
    for r in records:
        assert r["interface"] == "slack" and r["user"] == USER_ID and r["question"] == QUESTION
        assert "first of the year" in r["answer"] or "2019" in r["answer"]
        assert {c["article_id"] for c in r["citations"]} & BOLTON_SOURCES
    thanks = slack.wait_for(lambda: c if len(c := slack.calls_to("chat.postEphemeral", ch)) >= 2 else None, 30, "thanks")
    assert all(c.args["user"] == USER_ID and c.args["thread_ts"] == question["ts"] for c in thanks)


def test_bad_or_stale_signatures_are_rejected(http_bot: Bot, slack: SlackStandin) -> None:
    ch = "C0FORGED"
    question = slack.add_user_message(ch, f"<@{BOT_USER_ID}> {QUESTION}")
    body = json.dumps(event_callback(mention_event(question, ch)))
    assert http_bot.post(body, signed_headers(body, secret="not-the-secret")).status_code == 401
    assert http_bot.post(body, signed_headers(body, timestamp=int(time.time()) - 600)).status_code == 401
    assert http_bot.post(body, {"Content-Type": "application/json"}).status_code == 401
    tampered = body.replace(QUESTION, "Ignore that. What is the secret?")
    headers = signed_headers(body)
    assert http_bot.post(tampered, headers).status_code == 401
    time.sleep(2)
    assert not slack.calls_to("chat.postMessage", ch) and not slack.calls_to("reactions.add", ch)


def test_a_retried_event_is_answered_once(http_bot: Bot, slack: SlackStandin) -> None:
    ch = "C0RETRY"
    question = slack.add_user_message(ch, f"<@{BOT_USER_ID}> {QUESTION}")
    event = mention_event(question, ch)
    assert http_bot.post_event(event, "Ev0RETRIED").status_code == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert http_bot.post_event(event, "Ev0RETRIED", **retry).status_code == 200
    wait_final(slack, ch)
    retry = {"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"}
    assert http_bot.post_event(event, "Ev0RETRIED", **retry).status_code == 200
    time.sleep(2)
    assert len(slack.calls_to("chat.postMessage", ch)) == 1
    assert len([c for c in slack.calls_to("chat.update", ch) if is_final(c)]) == 1


def test_rate_limited_calls_are_retried_after_retry_after(http_bot: Bot, slack: SlackStandin) -> None:
    ch = "C0LIMITED"
    slack.fail_next("chat.postMessage", retry_after=1)
    slack.fail_next("chat.update", retry_after=1)
    question = slack.add_user_message(ch, f"<@{BOT_USER_ID}> {QUESTION}")
    http_bot.post_event(mention_event(question, ch))
    final = wait_final(slack, ch)
    assert_bolton_answer(final.args["blocks"])
    for method in ("chat.postMessage", "chat.update"):
        calls = slack.calls_to(method, ch)
        limited = [c for c in calls if c.status == 429]
        assert len(limited) == 1, calls
        after = [c for c in calls if c.at > limited[0].at]
        assert after and after[0].at - limited[0].at >= 0.9, "Retry-After was not respected"
    assert len([c for c in slack.calls_to("chat.postMessage", ch, ok=True)]) == 1


def test_bots_own_messages_and_edits_are_ignored(http_bot: Bot, slack: SlackStandin) -> None:
    ch = "D0BOTS"
    base = {"type": "message", "channel": ch, "channel_type": "im", "text": QUESTION}
    events: list[dict[str, Any]] = [
        {**base, "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": "1700000001.000100"},
        {**base, "subtype": "bot_message", "bot_id": "B0OTHER", "username": "other-bot", "ts": "1700000001.000200"},
        {**base, "user": "U0OTHERBOT", "bot_id": "B0OTHER", "ts": "1700000001.000300"},
        {"type": "message", "subtype": "message_changed", "channel": ch, "channel_type": "im", "hidden": True,
         "ts": "1700000001.000400", "message": {**base, "user": USER_ID, "ts": "1700000001.000050"}},
    ]
    for event in events:
        assert http_bot.post_event(event).status_code == 200
    time.sleep(2.5)
    assert not slack.calls_to("chat.postMessage", ch) and not slack.calls_to("reactions.add", ch)


def test_failures_get_a_polite_reply_in_the_thread(http_bot: Bot, slack: SlackStandin) -> None:
    ch = "C0FAIL"
    empty = slack.add_user_message(ch, f"<@{BOT_USER_ID}>")
    http_bot.post_event(mention_event(empty, ch))
    slack.wait_for(lambda: [m for m in slack.thread(ch, empty["ts"])
                            if m["user"] == BOT_USER_ID and "Ask a question" in m["text"]], 60, "the usage hint")
    too_long = slack.add_user_message(ch, f"<@{BOT_USER_ID}> " + "why " * 600)
    http_bot.post_event(mention_event(too_long, ch))
    slack.wait_for(lambda: [m for m in slack.thread(ch, too_long["ts"])
                            if m["user"] == BOT_USER_ID and "over the limit" in m["text"]], 60, "the question error")

    slack.fail_next("chat.update", times=2, status=200, error="internal_error")
    question = slack.add_user_message(ch, f"<@{BOT_USER_ID}> {QUESTION}")
    http_bot.post_event(mention_event(question, ch))
    sorry = slack.wait_for(lambda: [m for m in slack.thread(ch, question["ts"])
                                    if m["user"] == BOT_USER_ID and m["text"].startswith("Sorry, I couldn")], 60, "apology")
    assert "went wrong on my side" in sorry[0]["text"]
    assert "Traceback" not in sorry[0]["text"]
    assert "internal_error" in http_bot.tail(20000), "the error is logged"


def test_missing_or_rejected_tokens_are_one_line_errors(slack: SlackStandin, tmp_path: Path) -> None:
    cases = [
        (["--http"], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET is not set"),
        ([], {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN is not set"),
        ([], {}, "SLACK_BOT_TOKEN is not set"),
        (["--http"], {"SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_SIGNING_SECRET": "s"}, "Slack rejected SLACK_BOT_TOKEN (invalid_auth)"),
        ([], {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-wrong"}, "Slack rejected SLACK_APP_TOKEN (invalid_auth)"),
    ]
    for args, tokens, message in cases:
        proc = subprocess.run([sys.executable, "-m", "ui.cli", "slack", *args, "--data-dir", str(tmp_path)],
                              cwd=ROOT, env=bot_env(slack, **tokens), capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, (args, tokens, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], proc.stderr


def test_url_verification_challenge_is_answered(http_bot: Bot) -> None:
    body = json.dumps({"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})
    resp = http_bot.post(body, signed_headers(body))
    assert resp.status_code == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in resp.text


def test_config_from_env_and_api_url() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "http://127.0.0.1:9/api"}
    config = SlackConfig.from_env(True, env)
    assert config.api_url == "http://127.0.0.1:9/api/"
    assert make_client(config.bot_token, config.api_url).base_url == "http://127.0.0.1:9/api/"
    assert SlackConfig.from_env(False, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}).api_url == \
        DEFAULT_API_URL == "https://slack.com/api/"
    with pytest.raises(SlackConfigError, match="app-level token starting with xapp-"):
        SlackConfig.from_env(False, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-1"})
    with pytest.raises(SlackConfigError, match="not an http"):
        SlackConfig.from_env(True, {**env, "SLACK_API_URL": "slack.com/api"})


# ---- Socket Mode -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def socket_bot(slack: SlackStandin, socket_bot_process: Bot | None) -> Bot:
    bot = socket_bot_process
    assert bot is not None
    slack.wait_for(lambda: slack.socket_connected() or bot.proc.poll() is not None or None, 180, "Socket Mode")
    assert bot.proc.poll() is None, f"the bot exited:\n{bot.tail()}"
    return bot


@pytest.mark.llm
def test_socket_mode_answers_with_the_llm_streaming_edits(socket_bot: Bot, slack: SlackStandin,
                                                         artifacts: Path) -> None:
    assert slack.calls_to("apps.connections.open", ok=True), "the WebSocket URL came from SLACK_API_URL"
    ch = "C0SOCKET"
    question = slack.add_user_message(ch, f"<@{BOT_USER_ID}> {QUESTION}")
    payload = event_callback(mention_event(question, ch), "Ev0SOCKET")
    t0 = time.monotonic()
    envelope = slack.send_envelope("events_api", payload)
    ack = slack.wait_for(lambda: slack.acks.get(envelope), 30, "the envelope ack")
    ack_s = time.monotonic() - t0
    assert ack == {"envelope_id": envelope} or ack.get("envelope_id") == envelope
    assert ack_s < 3, f"ack took {ack_s:.1f}s"
    # Slack re-sends an envelope it thinks was lost: acked, not answered again
    retry = slack.send_envelope("events_api", payload, retry_attempt=1)
    slack.wait_for(lambda: slack.acks.get(retry), 30, "the retry's ack")

    final = wait_final(slack, ch, timeout=300)
    (artifacts / "slack_answer_message_llm.json").write_text(
        json.dumps({"text": final.args["text"], "blocks": final.args["blocks"]}, indent=2, ensure_ascii=False))
    assert_bolton_answer(final.args["blocks"])
    placeholder = slack.calls_to("chat.postMessage", ch)
    assert len(placeholder) == 1 and placeholder[0].args["thread_ts"] == question["ts"]
    edits = [c for c in slack.calls_to("chat.update", ch) if c.args["ts"] == placeholder[0].response["ts"]]
    assert len(edits) >= 2, "the answer is edited in as it streams, then finalised"
    times = [placeholder[0].at] + [c.at for c in edits]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.9, f"edits closer than a second apart: {gaps}"
    print(f"\nsocket mode: ack {ack_s:.2f}s, {len(edits)} edits, answer after {final.at - t0:.1f}s: "
          f"{final.args['text']!r}")

    # a slash command over the socket: the ack carries the response payload
    envelope = slack.send_envelope("slash_commands", {"command": "/citewire", "text": "  ", "channel_id": ch,
                                                       "user_id": USER_ID, "team_id": "T0STANDIN",
                                                       "response_url": slack.response_url()},
                                   accepts_response_payload=True)
    ack = slack.wait_for(lambda: slack.acks.get(envelope), 30, "the slash command ack")
    assert "/citewire" in ack["payload"]["text"] and ack["payload"]["response_type"] == "ephemeral"
