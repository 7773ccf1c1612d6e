"""Pure tests of the Slack renderings (ui/slack/blocks.py) and thread -> history (ui/slack/history.py)."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_sdk.models.blocks import Block as SdkBlock

from qa.answer import Answer, Citation
from ui.slack import blocks as bk
from ui.slack.history import clean_text, thread_history

BOT_USER, BOT_ID = "U0BOT", "B0BOT"


def cite(n: int, **kw: Any) -> Citation:
    base: dict[str, Any] = dict(n=n, article_id=f"00{n}_article", title=f"Title {n}", source="RFE/RL",
                                published="2018-07-27", url=f"https://example.com/{n}", quote=f"Quoted sentence {n}.",
                                chunk_id=f"00{n}_article:0")
    base.update(kw)
    return Citation(**base)


def answer(text: str = "Bolton said it would be after the first of the year [1].", **kw: Any) -> Answer:
    base: dict[str, Any] = dict(question="When did Bolton say the meeting would happen?", answer=text, refused=False,
                                citations=[cite(1)])
    base.update(kw)
    return Answer(**base)


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for b in blocks:
        if b["type"] == "section":
            out.append(b["text"]["text"])
        elif b["type"] == "context":
            out += [e["text"] for e in b["elements"]]
    return out


def assert_valid(messages: list[list[dict[str, Any]]]) -> None:
    """Slack's limits, checked by hand and by slack_sdk's own Block Kit models."""
    for blocks in messages:
        assert 0 < len(blocks) <= 50
        for b in blocks:
            parsed = SdkBlock.parse(b)
            assert parsed is not None
            parsed.to_dict()  # raises SlackObjectFormationError past a documented limit
            if b["type"] == "section":
                assert len(b["text"]["text"]) <= 3000
            for el in b.get("elements", []):
                assert len(el.get("value", "")) <= 2000
            assert len(b.get("block_id", "")) <= 255


def test_answer_text_then_numbered_sources_with_links_outlet_date_and_quote() -> None:
    a = answer(citations=[cite(1, resolved_dates=["after the first of the year = 1 January 2019"]),
                          cite(2, url="", published_estimated=True, source="")])
    messages = bk.answer_messages(a, key="k1")
    assert len(messages) == 1
    assert_valid(messages)
    blocks = messages[0]
    assert blocks[0] == {"type": "section", "text": {"type": "mrkdwn", "text": a.answer}}
    sources = [b for b in blocks if b.get("block_id", "").startswith("cite:")]
    assert [b["block_id"] for b in sources] == ["cite:1:001_article", "cite:2:002_article"]
    first, second = (b["text"]["text"] for b in sources)
    assert first.startswith("*[1]* <https://example.com/1|Title 1> \u00b7 RFE/RL \u00b7 2018-07-27\n>Quoted sentence 1.")
    assert "_dates: after the first of the year = 1 January 2019_" in first
    assert second.startswith("*[2]* *Title 2* \u00b7 unknown outlet \u00b7 2018-07-27 (estimated)")
    actions = blocks[-1]
    assert actions["type"] == "actions"
    assert [e["action_id"] for e in actions["elements"]] == [bk.HELPFUL, bk.NOT_HELPFUL]
    assert bk.parse_value(actions["elements"][0]["value"]) == {"k": "k1", "q": a.question,
                                                               "c": ["001_article", "002_article"]}
    assert bk.fallback_text(a) == a.answer


def test_share_button_only_when_asked_and_asked_by_context() -> None:
    plain = bk.answer_messages(answer(), key="k")[0]
    shared = bk.answer_messages(answer(), key="k", share=True)[0]
    assert bk.SHARE not in json.dumps(plain)
    assert shared[-1]["elements"][0]["action_id"] == bk.SHARE
    posted = bk.answer_messages(answer(), key="k", asked_by="U0ALICE")[0]
    assert posted[0]["type"] == "context" and posted[0]["elements"][0]["text"].startswith("<@U0ALICE> asked:")
    assert "asked" not in json.dumps(bk.answer_messages(answer(), key="k", asked_by="<!channel>")[0])
    assert not any(b["type"] == "actions" for b in bk.answer_messages(answer())[0]), "no key, no buttons"


def test_refusal_is_shown_as_such_with_closest_matches() -> None:
    a = Answer(question="Who won the 1950 World Cup?", refused=True, mode="refused",
               answer="The articles don't say. The closest they come: RFE/RL (2018-07-27) reports \u201cQuoted\u201d",
               closest=[cite(1), cite(2)])
    blocks = bk.answer_messages(a, key="k")[0]
    assert_valid([blocks])
    all_text = "\n".join(texts(blocks))
    assert blocks[0]["text"]["text"] == ":no_entry_sign: *No answer in the articles.*"
    assert "The articles don't say." in all_text
    assert "*Closest matches* (not an answer)" in all_text and "*Sources*" not in all_text
    assert [b["block_id"] for b in blocks if "block_id" in b and b["block_id"].startswith("cite:")] == [
        "cite:1:001_article", "cite:2:002_article"]


def test_article_text_is_escaped_so_it_cannot_ping_or_forge_links() -> None:
    evil = cite(1, title="Tom & Jerry <b>|x", source="A<B>", url="https://ex.com/a|b>c<d",
                quote="<!channel> look: <https://phish.example|your bank> & more > less")
    a = answer(text="x < y & z > w <@U123> [1]", citations=[evil, cite(2, url="javascript:alert(1)")])
    blocks = bk.answer_messages(a, key="k")[0]
    assert_valid([blocks])
    body = "\n".join(texts(blocks))
    assert "x &lt; y &amp; z &gt; w &lt;@U123&gt; [1]" in body
    assert "&lt;!channel&gt; look: &lt;https://phish.example|your bank&gt; &amp; more &gt; less" in body
    assert "<https://ex.com/a%7Cb%3Ec%3Cd|Tom &amp; Jerry &lt;b&gt;\u2223x>" in body
    assert "A&lt;B&gt;" in body
    assert "javascript:" not in body and "*Title 2*" in body
    # every raw `<` opens a link the renderer made itself
    assert re.findall(r"<(?!https://ex\.com/)", body) == []


def test_escape_round_trip() -> None:
    s = "a & b < c > d &amp; e"
    assert bk.escape(s) == "a &amp; b &lt; c &gt; d &amp;amp; e"
    assert bk.unescape(bk.escape(s)) == s


def test_long_answers_and_many_sources_respect_slack_limits() -> None:
    sentence = "Bolton & Putin met in Moscow <again> and agreed on a summit after the first of the year [1]. "
    long_text = sentence * 250  # ~23,000 characters
    cites = [cite(i, quote="Long quote & more. " * 150, title="T" * 400) for i in range(1, 71)]
    a = answer(text=long_text, citations=cites, question="\u00e9\"\\" * 160,
               dropped_claims=[{"claim": "x", "reason": "y"}])
    messages = bk.answer_messages(a, key="abc")
    assert len(messages) == 2
    assert_valid(messages)
    assert all(b["type"] != "actions" for m in messages[:-1] for b in m)
    assert messages[-1][-1]["type"] == "actions"
    ids = [b["block_id"] for m in messages for b in m if b.get("block_id", "").startswith("cite:")]
    assert ids == [f"cite:{i}:00{i}_article" for i in range(1, 71)]
    answer_sections = [b["text"]["text"] for b in messages[0] if b["type"] == "section"]
    joined = " ".join(t for m in messages for b in m if b["type"] == "section" and "block_id" not in b
                      for t in [b["text"]["text"]])
    assert joined.count("[1].") == 250, "no words lost when splitting"
    assert all(not re.search(r"&[a-z]{0,3}$", t) for t in answer_sections), "no entity cut in half"
    assert "(1 claim removed: unsupported by the sources)" in json.dumps(messages)
    assert len(bk.fallback_text(a)) <= 3000


def test_split_text_keeps_entities_whole() -> None:
    text = bk.escape("&<>" * 3000)
    pieces = bk.split_text(text, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert "".join(pieces) == text


def test_progress_blocks_show_the_draft_tail_and_a_note() -> None:
    blocks = bk.progress_blocks("x & y " * 1000, "Found 3 passages")
    assert_valid([blocks])
    assert blocks[0]["text"]["text"].endswith("y \u258d") or blocks[0]["text"]["text"].endswith("y\u258d") or \
        blocks[0]["text"]["text"].endswith("\u258d")
    assert blocks[-1]["elements"][0]["text"] == "Found 3 passages"
    assert bk.progress_blocks("", "Looking")[0]["type"] == "context"


def test_clean_text_strips_mentions_and_slack_markup() -> None:
    raw = "<@U0BOT> When did <@U123|bob> say it? See <https://x.com/a|this> &amp; <#C1|general> <!here> &lt;3"
    assert clean_text(raw) == "When did say it? See this & #general <3"
    assert clean_text("<@U0BOT>") == ""


def test_thread_history_roles_order_and_what_is_left_out() -> None:
    msgs = [
        {"ts": "100.000001", "user": "U1", "text": "<@U0BOT> When did Bolton say the meeting would happen?"},
        {"ts": "100.000005", "user": BOT_USER, "bot_id": BOT_ID, "text": "After the first of the year &amp; so [1]."},
        {"ts": "100.000003", "user": BOT_USER, "bot_id": BOT_ID, "text": bk.PLACEHOLDER},
        {"ts": "100.000006", "bot_id": "B0OTHER", "subtype": "bot_message", "text": "I am another bot"},
        {"ts": "100.000007", "user": "U2", "subtype": "channel_join", "text": "<@U2> has joined"},
        {"ts": "100.000008", "user": BOT_USER, "bot_id": BOT_ID, "text": "Sorry, I couldn't answer that: x"},
        {"ts": "100.000009", "user": "U1", "text": "Where was he then?"},
        {"ts": "100.000010", "user": "U1", "text": "a later message"},
    ]
    history = thread_history(msgs, bot_user_id=BOT_USER, bot_id=BOT_ID, before_ts="100.000009")
    assert history == [
        {"role": "user", "content": "When did Bolton say the meeting would happen?"},
        {"role": "assistant", "content": "After the first of the year & so [1]."},
    ]
    assert len(thread_history(msgs * 10, bot_user_id=BOT_USER, bot_id=BOT_ID, before_ts="999", max_messages=5)) == 5
