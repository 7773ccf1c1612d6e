"""Copy and export renderers, saved conversations and example questions: pure parts, no server."""

from __future__ import annotations

from pathlib import Path

from qa.answer import Answer, Citation, Refusal
from ui import export
from ui.conversations import ConversationStore, title_for, valid_id
from ui.examples import question_from, questions_from_texts


def cite(n: int, url: str = "https://example.org/a") -> Citation:
    return Citation(n=n, article_id=f"a{n}", title=f"Title {n}", source="RFE/RL", published="2018-07-27", url=url,
                    quote=f"Quote {n}.", chunk_id=f"a{n}:h:0", start=10, end=18, published_estimated=n == 2)


def answer() -> Answer:
    return Answer(question="When?", answer="In 2019 [1], after talks [2].", refused=False, citations=[cite(1), cite(2, url="")],
                  debug={"query": "When?", "passages": list(range(50))})


def test_markdown_has_numbered_references_with_quotes() -> None:
    md = export.answer_markdown(answer())
    assert md.startswith("In 2019 [1], after talks [2].")
    assert "[1] [Title 1](https://example.org/a) \u2014 RFE/RL, 2018-07-27\n    > \u201cQuote 1.\u201d" in md
    assert "[2] Title 2 \u2014 RFE/RL, 2018-07-27 (estimated)" in md


def test_plain_text_has_no_markdown() -> None:
    text = export.answer_plain(answer())
    assert "Sources:\n[1] Title 1 \u2014 RFE/RL, 2018-07-27 <https://example.org/a>" in text
    assert "**" not in text and "](" not in text


def test_refusal_under_filters_says_what_was_searched() -> None:
    refused = Answer(question="Who?", answer="", refused=True, mode="refused", closest=[cite(1)],
                     refusal=Refusal.NO_EVIDENCE)
    filters = {"sources": ["Euronews"], "since": "2018-07-01"}
    assert export.filters_text(filters) == "Euronews, since 2018-07-01"
    md = export.answer_markdown(refused, filters)
    assert "The articles don't say." in md and "Searched only: Euronews, since 2018-07-01" in md
    assert "Closest matches (not citations)" in md


def test_saved_answer_round_trips_without_debug_bulk() -> None:
    saved = export.saved_answer(answer())
    assert saved["debug"] == {"query": "When?"}
    back = export.answer_from_dict(saved)
    assert back.citations == answer().citations and back.answer == answer().answer


def test_conversation_exports() -> None:
    turns = [{"answer": answer(), "filters": {"since": "2018-07-01"}}]
    md = export.conversation_markdown("Bolton", turns, "http://x/?c=abcdefgh")
    assert md.startswith("# Bolton") and "## 1. When?" in md and "*Filters: since 2018-07-01*" in md and "[2] " in md
    data = export.conversation_json("abcdefgh", "Bolton", turns)
    assert data["turns"][0]["question"] == "When?" and data["turns"][0]["answer"]["citations"][1]["n"] == 2


def test_conversation_store(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    cid = store.save(None, [{"key": "a1", "answer": export.saved_answer(answer())}], title="When did it happen?")
    assert valid_id(cid) and not valid_id("../x") and not valid_id("")
    assert store.save(cid, [{"key": "a1"}, {"key": "a2"}]) == cid
    (item,) = store.list()
    assert item.title == "When did it happen?" and item.n_turns == 2
    assert store.rename(cid, "Bolton") and store.get(cid).title == "Bolton"  # type: ignore[union-attr]
    store.save(cid, [{"key": "a1"}])
    assert store.get(cid).title == "Bolton"  # type: ignore[union-attr]  # a rename survives later saves
    assert store.delete(cid) and store.get(cid) is None and store.list() == []
    assert title_for("x " * 200).endswith("\u2026")


def test_example_questions_come_from_sentences() -> None:
    assert question_from("John Bolton told Russia's ambassador on Thursday that relations matter.") == \
        "What did John Bolton tell Russia's ambassador?"
    assert question_from("President Vladimir Putin said on July 27 that he invited Trump.") == \
        "What did Vladimir Putin say on July 27?"
    assert question_from("He said nothing.") == "" and question_from("The White House said so.") == ""
    qs = questions_from_texts(["Dmitry Peskov said in an interview that talks go on.", "Nothing here."] * 2)
    assert qs == ["What did Dmitry Peskov say in an interview?"]
