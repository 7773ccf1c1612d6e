"""The web chat's HTML renderers: pure functions of an Answer, so no server or browser here."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from qa.answer import REFUSAL_PREFIX, Answer, Citation, Evidence
from ui import web_render as R

HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1"> & "quoted" \'single\''
OUR_TAGS = {"div", "p", "a", "span", "details", "summary", "ul", "li", "q", "article", "header", "time",
            "blockquote", "mark", "section", "strong", "button", "dl", "dt", "dd", "h2"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(markup)
    p.close()
    return p.tags


def cite(n: int = 1, **kw: object) -> Citation:
    base: dict[str, object] = dict(
        n=n, article_id=f"00{n}_abc", title=f"Title {n}", source="RFE/RL", published="2018-07-27",
        url="https://example.org/a", quote=f"Quote {n}.", chunk_id=f"00{n}_abc:h:0",
        context_before="Before.", context_after="After.")
    base.update(kw)
    return Citation(**base)  # type: ignore[arg-type]


def answer(text: str = "Bolton said 2019 [1]. Putin agreed [2].", **kw: object) -> Answer:
    base: dict[str, object] = dict(question="When?", answer=text, refused=False,
                                   citations=[cite(1), cite(2, url="")])
    base.update(kw)
    return Answer(**base)  # type: ignore[arg-type]


def assert_safe(markup: str) -> None:
    """Only this module's own tags, no event handlers, no script-able urls."""
    for tag, attrs in parse(markup):
        assert tag in OUR_TAGS, (tag, markup)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value and (value.startswith("#") or value.startswith("https://") or value.startswith("http://")), value
    assert "<script" not in markup.lower() and "<img" not in markup.lower()


# ---- escaping ---------------------------------------------------------------------------------------
def test_card_escapes_every_article_field() -> None:
    c = cite(1, title=HOSTILE, source=HOSTILE, quote=HOSTILE, context_before=HOSTILE, context_after=HOSTILE,
             article_id=HOSTILE, resolved_dates=[HOSTILE])
    markup = R.card_html(c, "a1")
    assert_safe(markup)
    assert "&lt;script&gt;" in markup and "&quot;" in markup


def test_answer_text_from_the_llm_is_escaped() -> None:
    markup = R.answer_html(answer(f"{HOSTILE} [1] $$x^2$$ *bold*"), "a1")
    assert_safe(markup)
    assert "&lt;img src=x onerror=&quot;window." in markup
    assert "$$" not in markup and "*bold*" not in markup  # no LaTeX or Markdown from article/LLM text


def test_hostile_urls_are_not_links() -> None:
    for url in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "/relative", "https://x.org/\" onmouseover=\"a",
                "JAVASCRIPT:alert(1)", "", "ftp://example.org/a"):
        markup = R.card_html(cite(1, url=url), "a1")
        assert_safe(markup)
        assert "<a " not in markup, url


def test_http_url_opens_in_a_new_tab() -> None:
    markup = R.card_html(cite(1, url="https://example.org/story?id=1&x=2"), "a1")
    (tag, attrs), = [t for t in parse(markup) if t[0] == "a"]
    assert attrs["href"] == "https://example.org/story?id=1&x=2"
    assert attrs["target"] == "_blank" and "noopener" in (attrs["rel"] or "")


def test_question_and_dropped_claims_are_escaped() -> None:
    a = answer(question=HOSTILE, dropped_claims=[{"claim": HOSTILE, "reason": f"unsupported: {HOSTILE}"}])
    assert_safe(R.answer_html(a, "a1"))
    assert_safe(R.sources_html([("a1", a)]))
    assert_safe(R.draft_html(HOSTILE))
    assert_safe(R.error_html(HOSTILE))
    assert_safe(R.info_html(HOSTILE))


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=80), url=st.text(max_size=40))
def test_any_article_text_stays_text(text: str, url: str) -> None:
    c = cite(1, title=text, source=text, quote=text, context_before=text, context_after=text, url=url)
    a = answer(f"{text} [1]", question=text, citations=[c], dropped_claims=[{"claim": text, "reason": text}])
    for markup in (R.answer_html(a, "a1"), R.sources_html([("a1", a)]), R.draft_html(text)):
        assert_safe(markup)


# ---- structure ----------------------------------------------------------------------------------------
def test_markers_link_to_card_ids() -> None:
    a = answer("One [1]. Two [2]. Not a source [7].")
    markup = R.answer_html(a, "a3")
    hrefs = re.findall(r'href="#([^"]+)"', markup)
    assert hrefs == ["cw-a3-s1", "cw-a3-s2"]
    assert "[7]" in markup and "cw-a3-s7" not in markup
    panel = R.sources_html([("a3", a)])
    ids = re.findall(r'<article class="cw-card" id="([^"]+)"', panel)
    assert ids == ["cw-a3-s1", "cw-a3-s2"]
    assert R.card_id("a3", 2) == "cw-a3-s2" and R.card_id("a3", 2, closest=True) == "cw-a3-c2"


def test_card_content() -> None:
    c = cite(1, published_estimated=True, resolved_dates=["Wednesday = 25 July 2018"])
    markup = R.card_html(c, "a1")
    assert '<span class="cw-n">1</span>' in markup
    assert "Title 1" in markup and "RFE/RL" in markup and "27 Jul 2018 (estimated)" in markup
    assert '<span class="cw-ctx">Before.</span> <mark class="cw-hl">Quote 1.</mark> <span class="cw-ctx">After.</span>' in markup
    assert "Wednesday = 25 July 2018" in markup and "001_abc" in html.unescape(markup)
    no_date = R.card_html(cite(1, published="", source=""), "a1")
    assert "undated" in no_date and "unknown outlet" in no_date


def test_messages_are_one_html_block() -> None:
    """Markdown would re-parse the text after a blank line; the messages have no newline at all."""
    a = answer("Line one.\n\nLine two [1].", dropped_claims=[{"claim": "x\n\ny", "reason": "unsupported: no"}])
    for markup in (R.answer_html(a, "a1"), R.sources_html([("a1", a)]), R.draft_html("a\n\nb")):
        assert "\n" not in markup


def test_refusal_is_styled_apart_and_has_no_citations() -> None:
    closest = [cite(1), cite(2)]
    a = Answer(question="What is the population of Helsinki?", refused=True, mode="refused", closest=closest,
               answer=f"{REFUSAL_PREFIX} The closest they come: RFE/RL (2018-07-27) reports \u201cQuote 1.\u201d [1]")
    markup = R.answer_html(a, "a2")
    assert 'class="cw-answer cw-refused cw-key-a2"' in markup
    assert R.REFUSAL_TITLE in markup and "closest matches" in markup
    assert "cw-cite" not in markup  # nothing in a refusal is a citation
    panel = R.sources_html([("a2", a)])
    assert "closest matches (not citations)" in panel
    assert re.findall(r'<article class="([^"]+)" id="([^"]+)"', panel) == [
        ("cw-card cw-closest", "cw-a2-c1"), ("cw-card cw-closest", "cw-a2-c2")]
    bare = Answer(question="q", answer=REFUSAL_PREFIX, refused=True, mode="refused")
    assert "nothing close was found" in R.sources_html([("a1", bare)])
    assert "cw-refused" in R.answer_html(bare, "a1")


def test_dropped_claims_note() -> None:
    one = R.answer_html(answer(dropped_claims=[{"claim": "Putin won.", "reason": "unsupported: [1] no overlap"}]), "a1")
    assert "<details class=\"cw-dropped\"><summary>1 claim removed: unsupported</summary>" in one
    assert "Putin won." in one and "[1] no overlap" in one
    two = R.dropped_html([{"claim": "a", "reason": "unsupported: x"}, {"claim": "b", "reason": "unsupported: y"}])
    assert "2 claims removed: unsupported" in two
    assert R.dropped_html([]) == ""
    assert "cw-dropped" not in R.answer_html(answer(), "a1")


def test_rewritten_follow_up_is_shown() -> None:
    a = answer(question="Why was it delayed?", debug={"query": "Why was the <b>meeting</b> delayed?"})
    markup = R.answer_html(a, "a2")
    assert "Understood as: Why was the &lt;b&gt;meeting&lt;/b&gt; delayed?" in markup
    assert "Understood as" not in R.answer_html(answer(question="When?", debug={"query": "when? "}), "a1")
    assert "Understood as" not in R.answer_html(answer(), "a1")


def test_extractive_mode_is_noted() -> None:
    assert "Quoted from the sources" in R.answer_html(answer(mode="extractive"), "a1")
    assert "Quoted from the sources" not in R.answer_html(answer(mode="llm"), "a1")


def test_extractive_without_an_llm_does_not_claim_a_failed_verification() -> None:
    """--llm none: nothing was phrased, so nothing 'could not be verified'; after a failed draft, it was."""
    quoted = R.answer_html(answer(mode="extractive", debug={"query": "q"}), "a1")
    assert "Quoted from the sources" in quoted and "could not be verified" not in quoted
    failed = R.answer_html(answer(mode="extractive", debug={"drafts": ["Putin won [1]."]}), "a1")
    assert "could not be verified" in failed


def test_sources_panel_shows_one_group_at_a_time() -> None:
    a1, a2 = answer(question="first"), answer(question="second")
    panel = R.sources_html([("a1", a1), ("a2", a2)])
    groups = re.findall(r'<section class="cw-group" id="([^"]+)" data-active="(true|false)"', panel)
    assert groups == [("cw-a2", "true"), ("cw-a1", "false")]  # newest first, shown
    panel = R.sources_html([("a1", a1), ("a2", a2)], active="a1")
    assert ('cw-a1', 'true') in re.findall(r'id="(cw-a\d)" data-active="(true|false)"', panel)
    assert "Sources appear here" in R.sources_html([])


def test_evidence_preview_and_draft() -> None:
    ev = Evidence([cite(1)], answerable=True)
    panel = R.evidence_html(ev, "a2", [("a1", answer())])
    assert "Checking 1 passage" in panel and 'data-active="true"' in panel
    assert 'id="cw-a1" data-active="false"' in panel
    assert "No passages found" in R.evidence_html(Evidence([], answerable=False), "a1")
    assert "Searching the articles" in R.draft_html("")
    assert "Found 3 passages" in R.draft_html("", 3)
    assert "Bolton said" in R.draft_html("Bolton said") and "cw-draft" in R.draft_html("Bolton said")


def test_keys_are_made_safe() -> None:
    assert R.card_id('a"><script>', 1) == "cw-a-script--s1"
    assert R.group_id("") == "cw-a"


def test_dates() -> None:
    assert R.nice_date("2018-07-05") == "5 Jul 2018"
    assert R.nice_date("2018-07-05", estimated=True) == "5 Jul 2018 (estimated)"
    assert R.nice_date("") == "undated" and R.nice_date("2018") == "2018"


# ---- the Articles tab and the empty chat --------------------------------------------------------------
def record(i: str, title: str, source: str = "X", published: str = "2018-01-02", est: bool = False) -> SimpleNamespace:
    return SimpleNamespace(id=i, title=title, source=source, published=published, published_estimated=est, n_chunks=3)


def test_article_rows_and_search() -> None:
    recs = [record("a1", "Putin invites Trump", est=True), record("b2", "Helsinki summit", published=""),
            record("c3", "")]
    rows = R.article_rows(recs)
    assert rows[0] == ["Putin invites Trump", "X", "2018-01-02 (est.)", 3, "a1"]
    assert rows[1][2] == "" and rows[2][0] == "c3"
    assert [r[-1] for r in R.article_rows(recs, "helsinki")] == ["b2"]
    assert [r[-1] for r in R.article_rows(recs, "TRUMP putin")] == ["a1"]
    assert [r[-1] for r in R.article_rows(recs, "c3")] == ["c3"]
    assert R.article_rows(recs, "nothing") == []


def test_example_questions_from_titles() -> None:
    titles = ["Trump invites Putin to US", "Trump invites Putin to US", "Hi", "",
              "Putin Says He Has Invited Trump To Moscow, Is Ready For Further Summits.", "U.S. and Russian presidents plan summit"]
    qs = R.example_questions(titles, limit=3)
    assert qs[0] == "What do the articles say about \u201cTrump invites Putin to US\u201d?"
    assert len(qs) == 3 and len(set(qs)) == 3
    assert all(q.endswith("\u201d?") for q in qs) and not any("Summits.\u201d" in q for q in qs)
    assert R.example_questions([]) == []


def test_every_dropped_code_has_a_label() -> None:
    from qa.answer import Dropped

    assert set(R.DROPPED_LABELS) == {d.value for d in Dropped}
