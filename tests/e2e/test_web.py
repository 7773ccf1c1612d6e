"""The web chat end to end: `citewire serve` as a subprocess, driven by a real (Debian) Chromium via Playwright.

The server answers with the real embedded LLM. The browser tests run in file order and share one page: ask,
click a citation, follow up, upload an article and ask about it, a hostile upload, a refusal, feedback,
removal. Screenshots go to test-artifacts/; the answer view is copied to docs/screenshot.png.
Set E2E_LLM=none to iterate quickly with extractive answers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import ARTIFACTS, BOLTON_SOURCES, CORPUS, ROOT, free_port, make_settings, require

from index.settings import Settings

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
LLM = os.environ.get("E2E_LLM", "embedded")
ANSWER_TIMEOUT_MS = 150_000
STOP_READY_MS = 5_000  # from Stop to a page ready for the next question
FINAL = "#cw-chat .cw-answer:not(.cw-pending):not(.cw-draft)"

UPLOAD_TITLE = 'Quindlewick turnip parade <img src=x onerror="window.__xss=1">'
UPLOAD_ARTICLE = f"""---
title: '{UPLOAD_TITLE}'
source: Quindlewick Gazette
published: '2024-10-04'
url: https://example.org/quindlewick-parade
---
The fictional town of Quindlewick held its annual turnip parade on Thursday.
The giant turnip at the head of the Quindlewick parade was carried by exactly 47 volunteers this year.
<script>window.__xss = 1</script><img src=x onerror="window.__xss=1"> Organisers said the turnip weighed 212 kilograms.
The parade has been held every October since 1911, the town council said.
"""


# ---- servers ------------------------------------------------------------------------------------
def start_server(data_dir: Path, log_path: Path, *extra: str, llm: str = LLM) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITEWIRE_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "ui.cli", "serve", "--data-dir", str(data_dir), "--port", str(port),
           "--host", "127.0.0.1", "--llm", llm, *extra]
    log = log_path.open("wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(proc: subprocess.Popen[bytes], base: str, log_path: Path, auth: tuple[str, str] | None = None,
                 timeout: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"citewire serve exited with {proc.returncode}:\n{log_path.read_text(errors='replace')[-3000:]}")
        try:
            r = httpx.get(f"{base}/api/health", timeout=5, auth=auth)
            if r.status_code == 200:
                return dict(r.json())
        except httpx.TransportError:
            pass
        time.sleep(1)
    pytest.fail(f"citewire serve did not become healthy in {timeout}s:\n{log_path.read_text(errors='replace')[-3000:]}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def web_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Its own index of the seed corpus: these tests upload and remove articles."""
    from index.ingest import ingest

    data_dir = tmp_path_factory.mktemp("web-index")
    summary = ingest([CORPUS], make_settings(data_dir), progress=False)
    assert summary.added == 5, summary
    return data_dir


@pytest.fixture(scope="module")
def server(web_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("web-log") / "serve.log"
    proc, base = start_server(web_data, log_path)
    try:
        health = wait_healthy(proc, base, log_path)
        assert health == {"status": "ok", "articles": 5, "chunks": health["chunks"]} and health["chunks"] > 0
        yield base
    finally:
        stop(proc)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(log_path, ARTIFACTS / "web_serve.log")


# ---- the JSON API -------------------------------------------------------------------------------
def test_api_health(server: str) -> None:
    r = httpx.get(f"{server}/api/health", timeout=30)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["articles"] >= 5 and body["chunks"] > 0


@pytest.mark.parametrize("payload, fragment", [
    ({"question": ""}, "empty"),
    ({"question": "   "}, "empty"),
    ({"question": "x" * 5000}, "limit"),
    ({"question": "Who?", "filters": {"since": "last week"}}, "YYYY-MM-DD"),
    ([1, 2], "JSON object"),
])
def test_api_ask_bad_request(server: str, payload: Any, fragment: str) -> None:
    r = httpx.post(f"{server}/api/ask", json=payload, timeout=60)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert fragment in r.json()["error"]


def test_api_ask_not_json(server: str) -> None:
    r = httpx.post(f"{server}/api/ask", content=b"question=hi", timeout=60)
    assert r.status_code == 400 and "JSON" in r.json()["error"]


@pytest.fixture(scope="module")
def auth_server(seed_index_nollm: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second server on the (read-only) seed index, with --auth and extractive answers (fast)."""
    log_path = tmp_path_factory.mktemp("web-auth-log") / "serve.log"
    proc, base = start_server(seed_index_nollm.data_dir, log_path, "--auth", "ann:s3cret", llm="none")
    try:
        wait_healthy(proc, base, log_path, auth=AUTH)
        yield base
    finally:
        stop(proc)


AUTH = ("ann", "s3cret")


@pytest.mark.parametrize("method, path", [("GET", "/api/health"), ("POST", "/api/ask"), ("GET", "/"),
                                          ("GET", "/config"), ("GET", "/gradio_api/info")])
def test_auth_required(auth_server: str, method: str, path: str) -> None:
    r = httpx.request(method, auth_server + path, json={"question": "Who met?"}, timeout=30)
    assert r.status_code == 401, (path, r.status_code, r.text[:200])
    assert r.headers["www-authenticate"].startswith("Basic")
    assert "error" in r.json()
    r = httpx.request(method, auth_server + path, json={"question": "Who met?"}, timeout=30, auth=("ann", "wrong"))
    assert r.status_code == 401


def test_auth_page_with_credentials(auth_server: str) -> None:
    r = httpx.get(f"{auth_server}/", auth=AUTH, timeout=30)
    assert r.status_code == 200 and "<html" in r.text.lower()
    assert httpx.get(f"{auth_server}/api/health", auth=AUTH, timeout=30).json()["articles"] == 5


def test_api_ask_shape(auth_server: str) -> None:
    r = httpx.post(f"{auth_server}/api/ask", auth=AUTH, timeout=300, json={
        "question": "When did Bolton say the meeting would happen?", "history": [],
        "filters": {"since": "2018-01-01", "until": None, "sources": []}})
    assert r.status_code == 200, r.text
    body = r.json()
    for key in ("question", "answer", "refused", "mode", "citations", "closest", "dropped_claims", "timings"):
        assert key in body, key
    assert body["refused"] is False and body["citations"], body
    assert {c["article_id"] for c in body["citations"]} & BOLTON_SOURCES, body["citations"]
    for key in ("n", "article_id", "title", "source", "published", "url", "quote", "context_before", "context_after"):
        assert key in body["citations"][0], key
    r = httpx.post(f"{auth_server}/api/ask", auth=AUTH, timeout=300, json={
        "question": "What is the population of Helsinki?", "filters": {"sources": ["RFE/RL"]}})
    assert r.status_code == 200 and r.json()["refused"] is True


# ---- in-process: the chat's and the API's error paths -------------------------------------------
def last_message(turns: list[tuple[Any, ...]]) -> str:
    return str(turns[-1][0][-1]["content"])


def test_llm_down_is_a_readable_error(seed_index: Settings) -> None:
    from ui.web import WebApp, chat_turn

    down = seed_index.with_overrides(llm="openai", llm_url=f"http://127.0.0.1:{free_port()}", llm_retries=0,
                                     llm_timeout_s=5.0)
    web = WebApp(down)
    question = "When did Bolton say the meeting would happen?"
    turns = list(chat_turn(web, question, [], [], [], [], "", ""))
    assert "cw-error" in last_message(turns) and "did not answer" in last_message(turns), last_message(turns)
    assert turns[-1][2] == question  # kept in the box, to retry
    status, body = web.api_ask({"question": question})
    assert status == 503 and "did not answer" in body["error"]


def test_empty_index_is_a_readable_error(tmp_path: Path) -> None:
    from ui.web import WebApp, chat_turn

    web = WebApp(make_settings(tmp_path / "nothing-here", llm="none"))
    assert web.health()["articles"] == 0
    turns = list(chat_turn(web, "Who met in Helsinki?", [], [], [], [], "", ""))
    assert "cw-error" in last_message(turns) and "Articles tab" in last_message(turns)
    status, body = web.api_ask({"question": "Who met in Helsinki?"})
    assert status == 503 and "ingest" in body["error"]


def test_filters_reach_the_engine(seed_index_nollm: Settings) -> None:
    from ui.web import WebApp, chat_turn

    web = WebApp(seed_index_nollm)
    question = "Did Trump invite Putin?"
    answers = list(chat_turn(web, question, [], [], [], ["Daily Express"], "", ""))[-1][4]
    a = answers[-1]["answer"]
    assert {c.source for c in a.citations or a.closest} == {"Daily Express"}
    answers = list(chat_turn(web, question, [], [], [], [], "2018-07-01", "2018-07-31"))[-1][4]
    a = answers[-1]["answer"]
    assert all("2018-07-01" <= c.published <= "2018-07-31" for c in a.citations or a.closest)
    status, body = web.api_ask({"question": question, "filters": {"sources": ["Euronews"]}})
    assert status == 200 and {c["source"] for c in body["citations"] or body["closest"]} <= {"Euronews"}


def test_bad_filter_and_long_question_in_chat(seed_index_nollm: Settings) -> None:
    from ui.web import WebApp, chat_turn

    web = WebApp(seed_index_nollm)
    turns = list(chat_turn(web, "Who met?", [], [], [], [], "July", ""))
    assert "YYYY-MM-DD" in last_message(turns)
    turns = list(chat_turn(web, "why " * 600, [], [], [], [], "", ""))
    assert "cw-error" in last_message(turns) and "limit" in last_message(turns)
    assert "Traceback" not in last_message(turns)
    turns = list(chat_turn(web, "Who met?", [], [], [], [], "2018-08-01", "2018-07-01"))
    assert "cw-error" in last_message(turns) and "after" in last_message(turns), last_message(turns)


# ---- one error contract: every user error, and every 4xx/5xx of /api/*, is {"error": ...} -----------
def test_model_error_is_503_not_500(seed_index_nollm: Settings) -> None:
    from ui.web import WebApp

    web = WebApp(seed_index_nollm.with_overrides(embedding_model="no-such-embedding-model"))
    status, body = web.api_ask({"question": "When did Bolton say the meeting would happen?"})
    assert status == 503 and "no-such-embedding-model" in body["error"], body


def test_a_bug_is_a_500_with_the_error_shape(seed_index_nollm: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import qa
    from ui.web import WebApp

    def broken(*_: Any, **__: Any) -> Any:
        raise KeyError("oops")

    monkeypatch.setattr(qa, "ask", broken)
    status, body = WebApp(seed_index_nollm).api_ask({"question": "Who met?"})
    assert status == 500 and "internal error (KeyError)" in body["error"]


@pytest.mark.parametrize("payload, fragment", [
    ({"question": "Who met?", "top_k": 0}, "1 to 50"),
    ({"question": "Who met?", "top_k": 999}, "1 to 50"),
    ({"question": "Who met?", "filters": {"until": "2018-13-45"}}, "YYYY-MM-DD"),
    ({"question": "Who met?", "filters": {"since": "2018-08-01", "until": "2018-07-01"}}, "after"),
    ({"question": "Who met?", "filters": {"sources": ["Nowhere Times"]}}, "known outlets: Daily Express"),
])
def test_api_options_are_checked_as_the_cli_checks_them(auth_server: str, payload: Any, fragment: str) -> None:
    r = httpx.post(f"{auth_server}/api/ask", json=payload, auth=AUTH, timeout=60)
    assert r.status_code == 400, r.text
    assert fragment in r.json()["error"], r.json()


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api/ask", 405), ("PUT", "/api/health", 405), ("GET", "/api/nope", 404), ("POST", "/api/v2/ask", 404),
])
def test_api_routing_errors_have_the_error_shape(auth_server: str, method: str, path: str, status: int) -> None:
    r = httpx.request(method, auth_server + path, auth=AUTH, timeout=30)
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    assert set(r.json()) == {"error"} and r.json()["error"], r.text
    if status == 405:
        assert "POST" in r.headers["allow"] or "GET" in r.headers["allow"]


def test_api_body_limit(auth_server: str) -> None:
    big = b'{"question": "Who met?", "history": [{"role": "user", "content": "' + b"x" * (2 << 20) + b'"}]}'
    r = httpx.post(f"{auth_server}/api/ask", content=big, headers={"content-type": "application/json"},
                   auth=AUTH, timeout=60)
    assert r.status_code == 413 and "KB" in r.json()["error"], r.text[:300]

    def chunks() -> Iterator[bytes]:  # no content-length: the limit counts what arrives
        yield b'{"question": "Who met?", "pad": "'
        for _ in range(40):
            yield b"y" * 65536
        yield b'"}'

    r = httpx.post(f"{auth_server}/api/ask", content=chunks(), auth=AUTH, timeout=60)
    assert r.status_code == 413 and set(r.json()) == {"error"}, r.text[:300]
    r = httpx.post(f"{auth_server}/api/ask", auth=AUTH, timeout=300,
                   json={"question": "Who is the secretary of Russia's Security Council?", "pad": "z" * 500_000})
    assert r.status_code == 200, r.text[:300]  # under the limit: answered


# ---- the browser --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require(CHROMIUM.exists(), "/usr/bin/chromium is missing (apt-get install -y chromium); the browser tests need it")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(browser: Any, url: str, **context: Any) -> Any:
    pg = browser.new_context(viewport={"width": 1400, "height": 900}, **context).new_page()
    pg.set_default_timeout(60_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    pg.add_init_script("""
        new MutationObserver(() => {
          if (document.querySelector('#cw-chat .cw-draft')) { window.__cwSawDraft = true; }
        }).observe(document, {subtree: true, childList: true});
    """)
    pg.goto(url)
    pg.wait_for_selector("#cw-question textarea", timeout=120_000)
    return pg


@pytest.fixture(scope="module")
def page(browser: Any, server: str) -> Iterator[Any]:
    pg = open_page(browser, server + "/")
    try:
        yield pg
    finally:
        pg.screenshot(path=str(ARTIFACTS / "web_last.png"), full_page=True)
        pg.context.close()


def ask(page: Any, question: str) -> Any:
    """Type a question, send it, wait for the final (verified) answer; returns that message's locator."""
    before = page.locator(FINAL).count()
    page.fill("#cw-question textarea", question)
    page.click("#cw-send")
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length > {before}", timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_timeout(300)
    return page.locator(FINAL).nth(before)


def test_empty_chat_has_examples(page: Any) -> None:
    """Example questions are real questions drawn from the articles' sentences, not title templates."""
    text = page.locator("#cw-chat").inner_text()
    assert "What do the articles say about" not in text
    assert "What did John Bolton tell Russia's ambassador?" in text, text
    page.screenshot(path=str(ARTIFACTS / "web_empty.png"))


def test_ask_streams_and_cites(page: Any) -> None:
    answer = ask(page, "When did Bolton say the meeting would happen?")
    text = answer.inner_text()
    assert "cw-error" not in (answer.get_attribute("class") or ""), text
    assert "2019" in text or "first of the year" in text.lower(), text
    if LLM != "none":
        assert page.evaluate("window.__cwSawDraft === true"), "the answer did not stream a draft first"
    cards = page.locator("#cw-sources-panel .cw-group[data-active='true'] .cw-card")
    assert cards.count() >= 1
    panel = page.locator("#cw-sources-panel").inner_text()
    ids_and_titles = ["000_a8ef3c9dc11187e2", "001_4ee1d4d0f171337c",
                      "Putin Says He Has Invited Trump To Moscow", "Putin confirms he invited Trump to Moscow"]
    assert any(x in panel for x in ids_and_titles), panel
    assert page.locator("#cw-sources-panel mark.cw-hl").count() >= 1

    link = answer.locator("a.cw-cite").first
    target = (link.get_attribute("href") or "").lstrip("#")
    assert target.endswith("-s1"), target
    link.click()
    page.wait_for_function(f"document.getElementById({target!r}).classList.contains('cw-highlight')", timeout=10_000)
    assert page.locator(".cw-card.cw-highlight").count() == 1
    page.wait_for_timeout(600)  # the smooth scroll
    assert page.evaluate(f"""(() => {{ const r = document.getElementById({target!r}).getBoundingClientRect();
                                       return r.bottom > 0 && r.top < window.innerHeight; }})()""")
    shot = ARTIFACTS / "web_answer.png"
    page.screenshot(path=str(shot))
    shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")


def test_feedback_is_recorded(page: Any, web_data: Path) -> None:
    from ui.feedback import FeedbackStore

    status = "document.querySelector('#cw-feedback-status').innerText"
    assert page.locator("#cw-chat button[aria-label='Like']").count() == 0  # one control only: the answer's own
    assert page.locator("#cw-thumbs-up, #cw-thumbs-down").count() == 0
    bar = page.locator(f"{FINAL} .cw-actions").last
    bar.locator(".cw-rate-up").click()
    page.wait_for_function(f"{status}.includes('feedback recorded (helpful) for answer 1')")
    bar.locator(".cw-rate-down").click()
    page.wait_for_function(f"{status}.includes('feedback recorded (not helpful)')")
    page.fill("#cw-comment textarea", "too long")
    page.click("#cw-send-comment")  # the comment goes to that same rating
    page.wait_for_function(f"{status}.includes('comment recorded')")
    records = FeedbackStore(web_data).all()
    assert [(r["rating"], r["comment"], r["interface"]) for r in records[-2:]] == [(1, "", "web"), (-1, "too long", "web")]
    assert "Bolton" in records[-1]["question"] and records[-1]["answer"] and records[-1]["citations"]


def test_follow_up_uses_history(page: Any) -> None:
    answer = ask(page, "Why was it delayed?")
    text = answer.inner_text()
    assert "cw-error" not in (answer.get_attribute("class") or ""), text
    assert text.strip()
    assert "Understood as:" in text, text  # the follow-up was read with the conversation
    assert page.locator(FINAL).count() == 2
    # a marker in the earlier answer brings back that answer's sources
    page.locator(FINAL).first.locator("a.cw-cite").first.click()
    page.wait_for_function("document.getElementById('cw-a1-s1').classList.contains('cw-highlight')", timeout=10_000)
    assert page.locator("#cw-a1").get_attribute("data-active") == "true"
    assert page.locator("#cw-a2").get_attribute("data-active") == "false"


SET_BOX = """(text) => { const box = document.querySelector('#cw-question textarea');
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(box, text);
    box.dispatchEvent(new Event('input', {bubbles: true})); }"""


def test_second_question_while_answering_is_blocked_and_kept(page: Any) -> None:
    """Sending is BLOCKED while an answer comes (said under the box); the second question stays in the box, is
    not dropped or erased, and the first answer still finishes (no frozen draft)."""
    before = page.locator(FINAL).count()
    second = "Who is the secretary of Russia's Security Council?"
    page.fill("#cw-question textarea", "Who did John Bolton tell about better relations?")
    page.click("#cw-send")
    page.wait_for_function("document.querySelector('#cw-send').disabled")
    assert page.locator("#cw-stop").is_visible()
    # in one task while the page is busy: type the second question, press Enter, click Ask
    was_busy = page.evaluate(f"""() => {{ ({SET_BOX})({second!r});
        const box = document.querySelector('#cw-question textarea');
        box.dispatchEvent(new KeyboardEvent('keydown', {{key: 'Enter', bubbles: true, cancelable: true}}));
        box.dispatchEvent(new KeyboardEvent('keypress', {{key: 'Enter', bubbles: true, cancelable: true}}));
        document.querySelector('#cw-send').click();
        return document.querySelector('#cw-send').disabled; }}""")
    assert was_busy
    assert "Still answering" in page.locator("#cw-busy-note").inner_text()
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length > {before}", timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function("!document.querySelector('#cw-send').disabled")
    assert page.locator("#cw-chat .cw-draft, #cw-chat .cw-pending").count() == 0  # nothing frozen half-way
    assert page.input_value("#cw-question textarea") == second  # the draft survived the answer's end
    assert second not in page.locator("#cw-chat").inner_text()  # and was not sent
    assert not page.locator("#cw-stop").is_visible()
    answer = ask(page, second)  # once the answer is done, it can be sent
    assert "cw-error" not in (answer.get_attribute("class") or "")


def test_stop_ends_the_answer(page: Any) -> None:
    """Stop ends the answer as 'Stopped' (never a frozen draft) and frees the LLM for the next question."""
    if LLM == "none":
        pytest.skip("stopping needs a streamed LLM answer (E2E_LLM=none answers at once)")
    page.fill("#cw-question textarea", "What was Defense Secretary Jim Mattis considering?")
    page.click("#cw-send")
    page.wait_for_selector("#cw-chat .cw-draft", timeout=ANSWER_TIMEOUT_MS)
    page.click("#cw-stop")
    # ready again at once: the answer marked stopped, Ask back, Stop gone (not after the claim checks)
    page.wait_for_selector("#cw-chat .cw-stopped", timeout=STOP_READY_MS)
    page.wait_for_function("!document.querySelector('#cw-send').disabled", timeout=STOP_READY_MS)
    page.wait_for_selector("#cw-stop", state="hidden", timeout=STOP_READY_MS)
    assert "not checked against the sources" in page.locator("#cw-chat .cw-stopped").last.inner_text()
    assert page.locator("#cw-chat .cw-draft, #cw-chat .cw-pending").count() == 0
    answer = ask(page, "When did Bolton say the meeting would happen?")
    assert "cw-error" not in (answer.get_attribute("class") or "")


def test_card_title_opens_the_whole_article(page: Any) -> None:
    card = page.locator("#cw-sources-panel .cw-group[data-active='true'] .cw-card").first
    quote = card.locator("mark.cw-hl").inner_text().strip()
    card.locator("button.cw-title").click()
    page.wait_for_selector("#cw-reader[open] #cw-reader-hl")
    reader = page.locator("#cw-reader")
    assert page.locator("#cw-reader-hl").inner_text().strip() == quote
    assert len(reader.locator(".cw-reader-text").inner_text()) > 3 * len(quote)  # the whole article, not a snippet
    meta = reader.locator(".cw-reader-meta").inner_text()
    assert "Outlet" in meta and "estimated" in meta, meta
    assert page.evaluate("""(() => { const r = document.getElementById('cw-reader-hl').getBoundingClientRect();
        const b = document.getElementById('cw-reader-body').getBoundingClientRect();
        return r.top >= b.top && r.bottom <= b.bottom; })()""")  # scrolled into view
    page.screenshot(path=str(ARTIFACTS / "web_reader.png"))
    page.click("#cw-reader-close")
    page.wait_for_function("!document.querySelector('#cw-reader').open")


def test_copy_answer_with_references(page: Any) -> None:
    bar = page.locator(f"{FINAL} .cw-actions").first
    bar.locator(".cw-copy-md").click()
    md = page.evaluate("window.__cwCopied")
    assert "**Sources**" in md and "\n[1] " in md and "[2] " in md and "> \u201c" in md, md
    bar.locator(".cw-copy-plain").click()
    plain = page.evaluate("window.__cwCopied")
    assert "Sources:" in plain and "[1] " in plain and "**" not in plain, plain
    page.wait_for_function("document.querySelector('#cw-chat .cw-act-status').innerText.length > 0")


def luminance(rgb: str) -> float:
    """Relative luminance (WCAG 2) of a CSS 'rgb(r, g, b)' colour."""
    parts = [int(float(x)) for x in rgb[rgb.index("(") + 1: rgb.index(")")].split(",")[:3]]
    lin = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in parts]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def marker_contrast(page: Any) -> float:
    fg, bg = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('#cw-chat a.cw-cite'));
        return [s.color, s.backgroundColor]; })()""")
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_dark_mode_and_marker_contrast(page: Any) -> None:
    """[n] markers reach WCAG AA (4.5:1) in the light and the dark theme; the toggle switches the page."""
    assert marker_contrast(page) >= 4.5
    page.click("#cw-theme")
    page.wait_for_function("document.body.classList.contains('dark')")
    assert page.locator("#cw-theme").get_attribute("aria-pressed") == "true"
    assert marker_contrast(page) >= 4.5
    page.screenshot(path=str(ARTIFACTS / "web_dark.png"))
    shutil.copyfile(ARTIFACTS / "web_dark.png", ROOT / "docs" / "screenshot-dark.png")
    page.click("#cw-theme")
    page.wait_for_function("!document.body.classList.contains('dark')")


def test_conversation_link_export_and_reopen(page: Any, browser: Any, server: str) -> None:
    page.wait_for_function("new URL(location.href).searchParams.get('c')")
    conv_id = page.evaluate("new URL(location.href).searchParams.get('c')")
    n_answers = page.locator(f"{FINAL}:not(.cw-stopped)").count()  # a stopped draft is not a saved answer
    md = httpx.get(f"{server}/api/conversations/{conv_id}.md", timeout=30)
    assert md.status_code == 200 and "When did Bolton say the meeting would happen?" in md.text and "[1]" in md.text
    data = httpx.get(f"{server}/api/conversations/{conv_id}.json", timeout=30).json()
    assert data["id"] == conv_id and data["turns"][0]["answer"]["citations"][0]["quote"]
    assert len(data["turns"]) == n_answers
    other = open_page(browser, f"{server}/?c={conv_id}")
    try:
        other.wait_for_function(f"document.querySelectorAll({FINAL!r}).length == {n_answers}")
        assert "When did Bolton say" in other.locator("#cw-chat").inner_text()
        assert other.locator("#cw-sources-panel .cw-card").count() >= 1
        other.locator(FINAL).first.locator("a.cw-cite").first.click()
        other.wait_for_function("document.getElementById('cw-a1-s1').classList.contains('cw-highlight')")
        other.get_by_role("tab", name="Conversations").click()
        assert "When did Bolton say" in other.locator("#cw-conv-list").inner_text()
    finally:
        other.context.close()


def test_filtered_refusal_offers_search_all(page: Any) -> None:
    page.click("#cw-clear")
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length == 0")
    page.locator("#cw-filters").get_by_text("Filters: outlets and dates").click()
    page.fill("#cw-since input, #cw-since textarea", "2020-01-01")
    page.wait_for_function("document.querySelector('#cw-chips').innerText.includes('since 2020-01-01')")
    answer = ask(page, "What was Defense Secretary Jim Mattis considering?")
    assert "cw-refused" in (answer.get_attribute("class") or "")
    assert "Nothing within: since 2020-01-01" in answer.inner_text()
    answer.locator(".cw-retry").click()
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length == 2", timeout=ANSWER_TIMEOUT_MS)
    retried = page.locator(FINAL).nth(1)
    assert "cw-refused" not in (retried.get_attribute("class") or ""), retried.inner_text()
    assert "Searching all articles" in page.locator("#cw-chips").inner_text()
    assert page.input_value("#cw-since input, #cw-since textarea") == ""


def test_empty_question_is_not_sent(page: Any) -> None:
    """An empty question gets a note under the box, never a chat bubble."""
    bubbles = page.locator("#cw-chat .message").count()
    page.fill("#cw-question textarea", "   ")
    page.click("#cw-send")
    page.wait_for_function("document.querySelector('#cw-input-note').innerText.includes('Type a question first')")
    page.press("#cw-question textarea", "Enter")
    assert page.locator("#cw-chat .message").count() == bubbles
    assert page.locator("#cw-chat .cw-error").count() == 0


def test_over_long_question_is_not_sent(page: Any) -> None:
    """The box counts characters against Settings.max_question_chars; an over-long question is not sent."""
    limit = Settings().max_question_chars
    bubbles = page.locator("#cw-chat .message").count()
    page.fill("#cw-question textarea", "why " * 1250)
    page.wait_for_function("document.querySelector('#cw-counter-text').classList.contains('cw-over')")
    assert f"/ {limit:,}" in page.locator("#cw-counter-text").inner_text()
    page.click("#cw-send")
    page.wait_for_function("document.querySelector('#cw-input-note').innerText.includes('the limit is')")
    assert page.locator("#cw-chat .message").count() == bubbles  # no bubble, not even briefly
    assert len(page.input_value("#cw-question textarea")) > limit  # kept, to shorten
    page.fill("#cw-question textarea", "")
    page.wait_for_function("document.querySelector('#cw-counter-text').innerText.startsWith('0 /')")


def test_upload_then_ask(page: Any, tmp_path: Path) -> None:
    from index.ingest import ACCEPTED_SUFFIXES

    bad = tmp_path / "notes.xlsx"
    bad.write_bytes(b"PK not an article")
    good = tmp_path / "quindlewick.md"
    good.write_text(UPLOAD_ARTICLE, encoding="utf-8")
    page.get_by_role("tab", name="Articles").click()
    page.wait_for_selector("#cw-upload")
    page.set_input_files("#cw-upload input[type=file]", [str(good), str(bad)])
    page.wait_for_function("document.querySelector('#cw-upload-status').innerText.includes('added:')",
                           timeout=ANSWER_TIMEOUT_MS)
    status = page.locator("#cw-upload-status").inner_text()
    page.wait_for_selector(".toast-body:has-text('notes.xlsx')")  # the picker turned it away, the .md went on
    assert "xlsx" not in status and "Traceback" not in status, status
    hint = page.locator("#cw-upload-hint").inner_text()
    assert all(suffix in hint for suffix in ACCEPTED_SUFFIXES), hint  # the picker says what it accepts
    page.wait_for_function("document.querySelector('#cw-articles').innerText.includes('Quindlewick')")
    table = page.locator("#cw-articles").inner_text()
    assert 'onerror="window.__xss=1"' in table or "onerror" in table, table  # shown as text, not markup
    page.screenshot(path=str(ARTIFACTS / "web_articles.png"))

    page.get_by_role("tab", name="Ask").click()
    answer = ask(page, "How many volunteers carried the giant turnip in the Quindlewick parade?")
    text = answer.inner_text()
    assert "47" in text, text
    panel = page.locator("#cw-sources-panel").inner_text()
    assert "Quindlewick" in panel and "<img" in panel  # the hostile title is displayed as text
    page.screenshot(path=str(ARTIFACTS / "web_upload_answer.png"))


def test_articles_row_opens_the_article(page: Any) -> None:
    """A title in the Articles tab opens the whole article; the table uses the page's font."""
    page.get_by_role("tab", name="Articles").click()
    page.wait_for_function("document.querySelector('#cw-articles').innerText.includes('Putin Says He Has Invited')")
    fonts = page.evaluate("""(() => { const td = document.querySelector('#cw-articles [role=gridcell] span');
        return [getComputedStyle(td).fontFamily, getComputedStyle(document.querySelector('#cw-header')).fontFamily]; })()""")
    assert fonts[0] == fonts[1], fonts
    page.locator("#cw-articles [role=gridcell]", has_text="Putin Says He Has Invited").first.click()
    page.wait_for_selector("#cw-reader[open] .cw-reader-title")
    assert "Putin Says He Has Invited" in page.locator("#cw-reader .cw-reader-title").inner_text()
    assert "000_a8ef3c9dc11187e2" in page.locator("#cw-reader .cw-reader-meta").inner_text()
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('#cw-reader').open")
    page.get_by_role("tab", name="Ask").click()


def test_uploaded_markup_does_not_execute(page: Any) -> None:
    page.wait_for_timeout(500)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.querySelectorAll('img[onerror], #cw-sources-panel script, #cw-chat script').length") == 0
    assert not page.errors, page.errors


def test_refusal_is_styled_apart(page: Any) -> None:
    page.click("#cw-clear")  # a new conversation: the question must not be read as a follow-up
    page.wait_for_function(f"document.querySelectorAll({FINAL!r}).length == 0")
    answer = ask(page, "What is the population of Helsinki?")
    assert "cw-refused" in (answer.get_attribute("class") or ""), answer.inner_html()
    assert "The articles don't say" in answer.inner_text()
    assert answer.locator("a.cw-cite").count() == 0
    panel = page.locator("#cw-sources-panel .cw-group[data-active='true']")
    assert "closest matches" in panel.inner_text() or "nothing close" in panel.inner_text()
    assert panel.locator(".cw-card:not(.cw-closest)").count() == 0
    page.screenshot(path=str(ARTIFACTS / "web_refusal.png"))


def test_remove_uploaded_article(page: Any, server: str) -> None:
    page.get_by_role("tab", name="Articles").click()
    page.fill("#cw-article-search input, #cw-article-search textarea", "Quindlewick")
    page.wait_for_function("document.querySelector('#cw-articles').innerText.includes('Quindlewick')")
    page.locator("#cw-articles [role=gridcell]", has_text="Quindlewick Gazette").first.click()
    page.wait_for_function("document.querySelector('#cw-remove-choice input').value.includes('quindlewick')")
    page.click("#cw-remove")  # asks first
    page.wait_for_function("document.querySelector('#cw-upload-status').innerText.includes('Confirm below')")
    assert httpx.get(f"{server}/api/health", timeout=30).json()["articles"] == 6
    page.click("#cw-remove-confirm")
    page.wait_for_function("document.querySelector('#cw-upload-status').innerText.includes('removed:')")
    assert httpx.get(f"{server}/api/health", timeout=30).json()["articles"] == 5
    page.click("#cw-remove-undo")  # and it can be undone
    page.wait_for_function("document.querySelector('#cw-upload-status').innerText.includes('restored:')",
                           timeout=ANSWER_TIMEOUT_MS)
    assert httpx.get(f"{server}/api/health", timeout=30).json()["articles"] == 6
    page.wait_for_function("document.querySelector('#cw-articles').innerText.includes('Quindlewick')")
    page.locator("#cw-articles [role=gridcell]", has_text="Quindlewick Gazette").first.click()
    page.wait_for_function("document.querySelector('#cw-remove-choice input').value.includes('quindlewick')")
    page.click("#cw-remove")
    page.click("#cw-remove-confirm")
    page.wait_for_function("document.querySelector('#cw-upload-status').innerText.includes('removed:')")
    assert httpx.get(f"{server}/api/health", timeout=30).json()["articles"] == 5
    page.get_by_role("tab", name="Ask").click()


def test_phone_layout(browser: Any, server: str) -> None:
    """At 390 px the sources come right after the chat (before the box and the filters), there is a way back
    to the answer, and 'Not helpful' stays on the line of 'Helpful'."""
    pg = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    pg.set_default_timeout(60_000)
    try:
        pg.goto(server + "/")
        pg.wait_for_selector("#cw-question textarea", timeout=120_000)
        pg.fill("#cw-question textarea", "When did Bolton say the meeting would happen?")
        pg.click("#cw-send")
        pg.wait_for_selector(FINAL, timeout=ANSWER_TIMEOUT_MS)
        pg.wait_for_function("!document.querySelector('#cw-send').disabled", timeout=ANSWER_TIMEOUT_MS)
        box = {sel: pg.locator(sel).bounding_box() for sel in ("#cw-chat", "#cw-sources-panel", "#cw-input-row", "#cw-filters")}
        assert box["#cw-sources-panel"]["y"] >= box["#cw-chat"]["y"] + box["#cw-chat"]["height"] - 1, box
        assert box["#cw-sources-panel"]["y"] < box["#cw-input-row"]["y"] < box["#cw-filters"]["y"], box
        up = pg.locator(f"{FINAL} .cw-rate-up").first.bounding_box()
        down = pg.locator(f"{FINAL} .cw-rate-down").first.bounding_box()
        assert abs(up["y"] - down["y"]) < 2 and down["height"] < 2 * up["height"] - 2, (up, down)
        pg.locator(FINAL).first.locator("a.cw-cite").first.click()
        pg.wait_for_function("document.getElementById('cw-a1-s1').classList.contains('cw-highlight')")
        pg.screenshot(path=str(ARTIFACTS / "web_phone.png"))
        shutil.copyfile(ARTIFACTS / "web_phone.png", ROOT / "docs" / "screenshot-phone.png")
        back = pg.locator("#cw-a1 .cw-back")
        assert back.is_visible()
        back.click()
        pg.wait_for_function("""(() => { const r = document.querySelector('#cw-chat .cw-answer.cw-key-a1')
            .getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight; })()""")
    finally:
        pg.context.close()


def test_credentials_are_not_needed_without_auth(server: str) -> None:
    assert httpx.get(server + "/", timeout=30).status_code == 200


def test_browser_chat_behind_basic_auth(browser: Any, auth_server: str) -> None:
    """The page, Gradio's queue and its event stream all work through --auth; an example question answers."""
    pg = open_page(browser, auth_server + "/", http_credentials={"username": AUTH[0], "password": AUTH[1]})
    try:
        pg.locator("#cw-chat button", has_text="What did").first.click()
        pg.wait_for_selector(FINAL, timeout=ANSWER_TIMEOUT_MS)
        assert pg.locator("#cw-chat .cw-error").count() == 0, pg.locator("#cw-chat").inner_text()
        assert pg.locator("#cw-sources-panel .cw-card").count() >= 1
        assert not pg.errors, pg.errors
    finally:
        pg.context.close()


def test_stop_closes_the_engine_stream(seed_index_nollm: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop (the turn's cancel event) closes the engine's generator, which is what ends the LLM's stream."""
    import threading

    from ui.web import WebApp, chat_turn

    web = WebApp(seed_index_nollm)
    streams: list[Any] = []
    real = web.ask_stream

    def recorded(*args: Any) -> Any:
        streams.append(real(*args))
        return streams[-1]

    monkeypatch.setattr(web, "ask_stream", recorded)
    cancel = threading.Event()
    cancel.set()
    turns = list(chat_turn(web, "When did Bolton say the meeting would happen?", [], [], [], [], "", "", cancel=cancel))
    assert "cw-stopped" in last_message(turns) and turns[-1][4] == []  # no answer recorded
    assert streams and streams[0].gi_frame is None  # the engine's generator was closed, not left suspended
    turns = list(chat_turn(web, "When did Bolton say the meeting would happen?", [], [], [], [], "", ""))
    assert "cw-stopped" not in last_message(turns) and turns[-1][4]


def test_stop_does_not_wait_for_the_claim_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop while the engine checks the draft's claims (it yields nothing meanwhile): the answer ends as 'Stopped'
    with its draft while the engine is still checking, and the engine's stream is closed at its next piece."""
    import threading

    from qa import Answer, Evidence
    from ui.web import WebApp, chat_turn

    web = WebApp(make_settings(tmp_path / "index", llm="none"))
    checking, release, closed = threading.Event(), threading.Event(), threading.Event()

    def stalling(*_: Any, **__: Any) -> Iterator[Any]:
        try:
            yield Evidence([], True)
            yield "Bolton said the meeting would be early next year"
            checking.set()
            release.wait(60)  # the claim checks: nothing to yield for a while
            yield Answer("q", "the checked answer", refused=False)
        finally:
            closed.set()

    monkeypatch.setattr(web, "ask_stream", stalling)
    cancel = threading.Event()
    turns = []
    for out in chat_turn(web, "When did Bolton say the meeting would happen?", [], [], [], [], "", "", cancel=cancel):
        turns.append(out)
        if "Bolton said" in last_message([out]) and not cancel.is_set():
            assert checking.wait(30)
            cancel.set()  # Stop, during the check
    assert not closed.is_set()  # the chat did not wait for the check: the engine is still in it
    assert "cw-stopped" in last_message(turns) and "Bolton said the meeting" in last_message(turns)
    assert "checked answer" not in last_message(turns) and turns[-1][4] == []
    release.set()
    assert closed.wait(30)  # and the stream was closed at its next piece (its answer thrown away)


def test_a_stopped_answer_puts_no_further_claim_to_the_llm(seed_index: Settings) -> None:
    """Stop during the draft (the cancel event the web passes down): the claim checks that follow are not asked,
    so the one llama.cpp context is free for the next question at once; unstopped, the same answer's claims are
    checked."""
    import threading

    from qa import Answer
    from qa.engine import get_engine

    engine = get_engine(seed_index)
    question = "When did Bolton say the meeting would happen?"
    cancel = threading.Event()
    stopped = None
    for piece in engine.ask_stream(question, cancel=cancel):
        if isinstance(piece, str) and piece.strip():
            cancel.set()  # Stop, as the first words of the draft arrive
        if isinstance(piece, Answer):
            stopped = piece
    assert stopped is not None and not stopped.debug.get("checks")
    unstopped = list(engine.ask_stream(question))[-1]
    assert isinstance(unstopped, Answer) and unstopped.debug.get("checks")


def test_busy_session_is_refused_server_side(seed_index_nollm: Settings) -> None:
    from ui.web import WebApp

    web = WebApp(seed_index_nollm)
    assert web.start_turn("s1") is not None and web.start_turn("s1") is None  # one question at a time
    assert web.start_turn("s2") is not None  # per browser session
    assert web.stop_turn("s1") and web.turn("s1").is_set()  # type: ignore[union-attr]
    web.end_turn("s1")
    assert web.turn("s1") is None and not web.stop_turn("s1")


# ---- the browser on a server with nothing indexed and no LLM (fast: no ingest, no model answers) ------------
QUICK_CONVERSATIONS = {"bolton": "When did Bolton say the meeting would happen?",
                       "mattis": "What was Defense Secretary Jim Mattis considering?"}


def saved_turn(question: str, answer: str) -> dict[str, Any]:
    """One turn as ui.conversations stores it (an `Answer.to_dict()` with no sources is enough to reopen)."""
    return {"key": "a1", "filters": {}, "answer": {"question": question, "answer": answer, "refused": False,
                                                   "citations": [], "closest": [], "mode": "llm"}}


@pytest.fixture(scope="module")
def quick_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """An empty data dir with two saved conversations written straight into it: (data dir, name -> id)."""
    from ui.conversations import ConversationStore

    data_dir = tmp_path_factory.mktemp("web-quick")
    store = ConversationStore(data_dir)
    ids = {name: store.save(None, [saved_turn(q, f"Saved answer about {name}.")], title=q)
           for name, q in QUICK_CONVERSATIONS.items()}
    store.close()
    return data_dir, ids


@pytest.fixture(scope="module")
def quick_server(quick_data: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("web-quick-log") / "serve.log"
    proc, base = start_server(quick_data[0], log_path, llm="none")
    try:
        wait_healthy(proc, base, log_path)
        yield base
    finally:
        stop(proc)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(log_path, ARTIFACTS / "web_quick_serve.log")


def pick_conversation(page: Any, title: str) -> None:
    """Choose `title` in the Conversations tab's dropdown, as a user does."""
    page.click("#cw-conv-pick input")
    page.get_by_role("option", name=title).first.click()
    page.wait_for_function(f"document.querySelector('#cw-conv-pick input').value.startsWith({title!r})")


def test_conversations_rename_and_delete(browser: Any, quick_server: str,
                                         quick_data: tuple[Path, dict[str, str]]) -> None:
    """Rename shows the new name in the list (and after a reload); Delete asks, removes it from the list, and
    its `/?c=ID` link then says plainly that it is gone."""
    ids = quick_data[1]
    listed = "document.querySelector('#cw-conv-list').innerText"
    pg = open_page(browser, quick_server + "/")
    try:
        pg.get_by_role("tab", name="Conversations").click()
        pg.wait_for_function(f"{listed}.includes('Jim Mattis') && {listed}.includes('Bolton')")
        pick_conversation(pg, QUICK_CONVERSATIONS["bolton"])
        pg.wait_for_function("document.querySelector('#cw-conv-title textarea, #cw-conv-title input').value"
                             f".startsWith({QUICK_CONVERSATIONS['bolton']!r})")  # the title to edit
        new_title = "Helsinki summit: when Bolton said it would be"
        pg.fill("#cw-conv-title textarea, #cw-conv-title input", new_title)
        pg.click("#cw-conv-rename")
        pg.wait_for_function("document.querySelector('#cw-conv-status').innerText.includes('renamed')")
        pg.wait_for_function(f"{listed}.includes({new_title!r})")
        assert QUICK_CONVERSATIONS["bolton"] not in pg.locator("#cw-conv-list").inner_text()

        pg.reload()  # the new name is saved, not only shown
        pg.wait_for_selector("#cw-question textarea", timeout=120_000)
        pg.get_by_role("tab", name="Conversations").click()
        pg.wait_for_function(f"{listed}.includes({new_title!r}) && {listed}.includes('Jim Mattis')")

        pick_conversation(pg, QUICK_CONVERSATIONS["mattis"])
        pg.click("#cw-conv-delete")  # asks first
        pg.wait_for_function("document.querySelector('#cw-conv-status').innerText.includes('Confirm below')")
        assert "Jim Mattis" in pg.locator("#cw-conv-status").inner_text()
        assert "Jim Mattis" in pg.locator("#cw-conv-list").inner_text()  # nothing deleted yet
        pg.click("#cw-conv-delete-confirm")
        pg.wait_for_function("document.querySelector('#cw-conv-status').innerText.includes('deleted')")
        pg.wait_for_function(f"!{listed}.includes('Jim Mattis')")
        assert new_title in pg.locator("#cw-conv-list").inner_text()
        assert not pg.locator("#cw-conv-delete-confirm").is_visible()
        pg.click("#cw-conv-pick input")
        assert pg.get_by_role("option", name=QUICK_CONVERSATIONS["mattis"]).count() == 0
        assert not pg.errors, pg.errors
    finally:
        pg.context.close()

    assert httpx.get(f"{quick_server}/api/conversations/{ids['mattis']}.json", timeout=30).status_code == 404
    gone = open_page(browser, f"{quick_server}/?c={ids['mattis']}")
    try:
        gone.wait_for_selector("#cw-chat .cw-info")
        text = gone.locator("#cw-chat").inner_text()
        assert "not saved here" in text and "deleted" in text, text
        assert "Jim Mattis" not in text and "Traceback" not in text and "Could not answer" not in text, text
        assert not gone.errors, gone.errors
    finally:
        gone.context.close()
    kept = open_page(browser, f"{quick_server}/?c={ids['bolton']}")  # the renamed one still reopens
    try:
        kept.wait_for_function(f"document.querySelectorAll({FINAL!r}).length == 1")
        assert "Saved answer about bolton." in kept.locator("#cw-chat").inner_text()
    finally:
        kept.context.close()


def test_upload_picker_lists_and_filters_the_accepted_types(browser: Any, quick_server: str, tmp_path: Path) -> None:
    """The picker's `accept` holds exactly what ingest reads, a hint beside it names them, and a file of another
    type is turned away in the browser with a message naming it."""
    from index.ingest import ACCEPTED_SUFFIXES

    pg = open_page(browser, quick_server + "/")
    try:
        pg.get_by_role("tab", name="Articles").click()
        picker = pg.locator("#cw-upload input[type=file]")
        accept = picker.get_attribute("accept") or ""
        assert {s.strip() for s in accept.split(",")} == set(ACCEPTED_SUFFIXES), accept
        hint = pg.locator("#cw-upload-hint")
        assert hint.is_visible()
        assert hint.inner_text().startswith("Accepted: " + " ".join(ACCEPTED_SUFFIXES)), hint.inner_text()
        assert abs(hint.bounding_box()["y"] - pg.locator("#cw-upload").bounding_box()["y"]) < 150  # beside it
        bad = tmp_path / "notes.xlsx"
        bad.write_bytes(b"PK not an article")
        pg.set_input_files("#cw-upload input[type=file]", [str(bad)])
        pg.wait_for_selector(".toast-body:has-text('notes.xlsx')")
        assert ".docx" in pg.locator(".toast-body", has_text="notes.xlsx").inner_text()
        assert httpx.get(f"{quick_server}/api/health", timeout=30).json()["articles"] == 0
        assert not pg.errors, pg.errors
    finally:
        pg.screenshot(path=str(ARTIFACTS / "web_upload_picker.png"))
        pg.context.close()


def test_api_footer_leads_to_citewire_api_docs(browser: Any, quick_server: str) -> None:
    """'Use via API' opens citewire's own POST /api/ask documentation (not Gradio's), which fetches nothing
    from elsewhere."""
    pg = open_page(browser, quick_server + "/")
    try:
        footer = pg.locator("#cw-footer")
        assert "Use via API" in footer.inner_text()
        assert pg.locator("footer a[href*='gradio'], a[href*='?view=api']").count() == 0  # Gradio's own link is off
        hosts: list[str] = []
        pg.context.on("request", lambda r: hosts.append(httpx.URL(r.url).host))
        with pg.expect_popup() as popup:
            footer.get_by_role("link", name="POST /api/ask documentation").click()
        docs = popup.value
        docs.wait_for_load_state()
        assert httpx.URL(docs.url).path == "/api/docs", docs.url
        assert docs.title().startswith("citewire API")
        body = docs.locator("body").inner_text()
        assert "POST /api/ask" in body and all(f in body for f in ("question", "history", "filters", "citations"))
        assert f"curl -s {quick_server}/api/ask" in body, body  # the example names this server
        assert f"at most {Settings().max_question_chars:,} characters" in body
        assert set(hosts) <= {"127.0.0.1"}, hosts
        docs.get_by_role("link", name="/api/openapi.json").click()
        docs.wait_for_url("**/api/openapi.json")
        docs.close()
    finally:
        pg.context.close()


def test_empty_index_points_to_the_articles_tab(browser: Any, quick_server: str, tmp_path: Path) -> None:
    """With nothing indexed the chat says to add articles in the Articles tab (a reporter has no shell), before
    and after a question; once an article is added, a reload no longer says so."""
    pg = open_page(browser, quick_server + "/")
    try:
        chat = pg.locator("#cw-chat")
        assert "Nothing is indexed yet" in chat.inner_text() and "Articles" in chat.inner_text(), chat.inner_text()
        pg.fill("#cw-question textarea", "Who met in Helsinki?")
        pg.click("#cw-send")
        pg.wait_for_selector("#cw-chat .cw-error")
        error = pg.locator("#cw-chat .cw-error").inner_text()
        assert "Articles tab" in error and "Traceback" not in error, error
        assert "citewire ingest" not in pg.locator("body").inner_text()
        pg.wait_for_function("!document.querySelector('#cw-send').disabled")

        article = tmp_path / "parade.md"
        article.write_text(UPLOAD_ARTICLE, encoding="utf-8")
        pg.get_by_role("tab", name="Articles").click()
        pg.set_input_files("#cw-upload input[type=file]", [str(article)])
        pg.wait_for_function("document.querySelector('#cw-upload-status').innerText.includes('added:')",
                             timeout=ANSWER_TIMEOUT_MS)
        pg.reload()
        pg.wait_for_selector("#cw-question textarea", timeout=120_000)
        pg.wait_for_function("document.querySelector('#cw-chat').innerText.includes('Ask a question about')")
        assert "Nothing is indexed yet" not in pg.locator("#cw-chat").inner_text()
        assert not pg.errors, pg.errors
    finally:
        pg.context.close()
