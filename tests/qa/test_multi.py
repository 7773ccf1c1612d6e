"""Answers across reports: the entity the parts agree on, choices, names the index never mentions, and the
whole path on a small real index (Chroma + MiniLM, no LLM)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from index.ingest import ingest
from index.settings import Settings
from index.store import ArticleRecord
from qa import ask
from qa.evidence import EvidenceItem
from qa.multi import (
    PartEvidence,
    YesNo,
    candidates,
    choice_options,
    decide_yes_no,
    naming,
    positive_form,
    yes_no_messages,
    yes_threshold,
)
from qa.plan import Part, question_kind
from qa.retrieve import Passage
from tests.conftest import make_settings


def _part(*texts: str) -> PartEvidence:
    pe = PartEvidence(Part(text="x"))
    pe.articles = [f"a{i}" for i in range(len(texts))]
    pe.texts = dict(zip(pe.articles, texts, strict=True))
    return pe


def test_the_name_most_parts_mention_wins_and_a_person_question_wants_a_full_name() -> None:
    parts = [_part("Acme Corp chief Jane Doe said the plant would close. Acme Corp shares fell."),
             _part("Doe told reporters the Acme Corp plant was old."),
             _part("Jane Doe, who runs the company, resigned.")]
    best = candidates("Who is the executive who closed the plant and resigned?", parts, [])
    assert best[0][0] == "Jane Doe" and best[0][1] == 3
    # a name the question already gives is not an answer to it
    assert all(c[0] != "Jane Doe" for c in candidates("Which company did Jane Doe run?", parts, []))


def test_a_name_is_counted_without_its_possessive_a_leading_function_word_or_a_role() -> None:
    parts = [_part("Because Acme Corp’s plant closed, Acme Corp’s CEO resigned."), _part("Acme Corp's shares fell.")]
    names = [c[0] for c in candidates("Which company closed the plant and saw its shares fall?", parts, [])]
    assert names[0] == "Acme Corp" and not any(n.endswith(("’s", "'s", "CEO")) or n.startswith("Because") for n in names)


def test_a_capitalised_function_word_inside_a_sentence_is_part_of_the_name() -> None:
    parts = [_part("Fans cheered as the All Blacks won. All Blacks coaches were pleased."),
             _part("Critics said the All Blacks looked tired.")]
    names = [c[0] for c in candidates("Which team won and looked tired?", parts, [])]
    assert names[0] == "All Blacks"


def test_a_word_opening_a_sentence_or_shouting_a_headline_is_no_name() -> None:
    parts = [_part("GREATEST comeback ever. Likely the end of an era, fans said. Mara Quill scored twice."),
             _part("Likely the best season yet. Quill lifted the trophy.")]
    names = [c[0] for c in candidates("Who is the player who scored twice and lifted the trophy?", parts, [])]
    assert names == ["Mara Quill"]  # "Quill" opens a sentence too, but is a name elsewhere: it counts


def _items(article_id: str, source: str, *sentences: str) -> list[EvidenceItem]:
    article = ArticleRecord(article_id, "h", "Title", source, "", "2023-11-01", False, "", 1)
    return [EvidenceItem(Passage("c", article, " ".join(sentences), 0, 1, 0.0, 0.0), 0, 1, s, s, s)
            for s in sentences]


def _found(source: str, *sentences: str) -> PartEvidence:
    pe = PartEvidence(Part(text="x"))
    pe.items = _items(f"{source}-1", source, *sentences)
    return pe


def test_a_name_is_cited_from_each_part_and_from_a_runner_up_article_that_names_it() -> None:
    first = _found("Daily Planet", "The bridge closed.", "Lena Park closed the bridge.")
    first.also = _items("dp-2", "Daily Planet", "Repairs began.", "Park said repairs began.")
    second = _found("Metro Gazette", "Lena Park told the council.")
    second.also = _items("mg-2", "Metro Gazette", "The council voted.")  # does not name her: not cited
    third = _found("Metro Gazette", "Lena Park told the council.")  # an article already cited: once
    cited = naming([first, second, PartEvidence(Part(text="y")), third], "Lena Park")
    assert [(e.passage.article.id, e.text) for e in cited] == [
        ("Daily Planet-1", "Lena Park closed the bridge."), ("dp-2", "Park said repairs began."),
        ("Metro Gazette-1", "Lena Park told the council.")]


def test_the_yes_no_prompt_gives_every_found_part_its_outlet_and_all_its_sentences() -> None:
    parts = [_found("Daily Planet", "The bridge closed.", "It reopens in spring."), PartEvidence(Part(text="y")),
             _found("Metro Gazette", "Repairs were delayed.")]
    user = yes_no_messages("Did it?", parts, "system", "{sources}|{question}")[1]["content"]
    sources, question = user.split("|")
    assert sources.splitlines() == ["(Daily Planet) The bridge closed. It reopens in spring.",
                                    "(Metro Gazette) Repairs were delayed."]
    assert question == "Did it?"


def test_a_choice_is_asked_as_its_first_option() -> None:
    asked: list[str] = []

    def p_yes(messages: list[dict[str, str]]) -> float:
        asked.append(messages[-1]["content"])
        return 0.7

    q = "Was the report consistent or inconsistent with the earlier one?"
    assert decide_yes_no(q, [_found("Daily Planet", "A.")], p_yes, "s", "{question}").whole == 0.7
    assert asked[0] == "Was the report consistent with the earlier one?"


def test_yes_no_is_the_mean_of_the_whole_question_and_its_weakest_part() -> None:
    first, second, missing = _found("Daily Planet", "The bridge closed."), _found("Metro Gazette", "It reopened."), \
        PartEvidence(Part(text="the Herald"))
    first.part, second.part = Part(text="Daily Planet says the bridge closed"), Part(text="Metro Gazette says it reopened")
    answers = {"Did it close and reopen?": 0.9, "Daily Planet says the bridge closed?": 0.8,
               "Metro Gazette says it reopened?": 0.3}

    def p_yes(messages: list[dict[str, str]]) -> float:
        return answers[messages[-1]["content"]]

    signals = decide_yes_no("Did it close and reopen?", [first, second, missing], p_yes, "s", "{question}")
    assert (signals.whole, signals.parts) == (0.9, [0.8, 0.3])  # a part without evidence is not asked
    assert signals.p_yes == pytest.approx(0.6)  # one weak part pulls a confident whole down
    assert YesNo(0.7, []).p_yes == 0.7


def test_choice_options() -> None:
    assert choice_options("Was it reported before or after the match?") == ("before", "after")
    assert choice_options("Did it stay consistent or inconsistent with the earlier report?") == ("consistent", "inconsistent")
    assert choice_options("Does the article say the bridge reopened?") is None


def test_a_question_about_inconsistency_is_asked_the_positive_way_round() -> None:
    q = "Was the Metro Gazette report inconsistent with the Daily Planet report?"
    assert positive_form(q) == "Was the Metro Gazette report consistent with the Daily Planet report?"
    assert positive_form("Was there inconsistency in the reports on the bridge?") == \
        "Was there consistency in the reports on the bridge?"
    assert positive_form("Did the reports stay consistent or inconsistent?") is None  # a choice asks its first option
    assert positive_form("Was there a change in the reports on the bridge?") is None


def test_a_question_about_reports_over_time_is_decided_at_its_own_threshold() -> None:
    """A question of plan kind temporal (yes/no or two options) is held to `temporal_threshold`, a plain yes/no
    one to `yes_no_threshold`: the same P(yes) can answer "yes" to the one and "no" to the other."""
    settings = Settings(yes_no_threshold=0.7, temporal_threshold=0.5)
    over_time = ["Was the Daily Planet report of November 1, 2023 on the bridge repairs consistent or inconsistent "
                 "with the later Metro Gazette report?",
                 "After the Daily Planet report of November 1, 2023, did the Metro Gazette report a change in the "
                 "bridge repairs?"]
    plain = "Did the Metro Gazette report that the bridge repairs were delayed?"
    for q in over_time:
        assert question_kind(q) == "temporal" and yes_threshold(question_kind(q), settings) == 0.5
    assert question_kind(plain) == "yes_no" and yes_threshold(question_kind(plain), settings) == 0.7


ARTICLES = [
    {"id": "dp-1", "title": "Harbor bridge closes for repairs", "source": "Daily Planet", "published": "2023-11-01",
     "body": "Mayor Lena Park said the harbor bridge would close for repairs. Lena Park promised it would reopen in spring."},
    {"id": "mg-1", "title": "Bridge repairs delayed", "source": "Metro Gazette", "published": "2023-11-08",
     "body": "The repairs to the harbor bridge were delayed by the storm, Lena Park told the council."},
    {"id": "mg-2", "title": "Stadium vote", "source": "Metro Gazette", "published": "2023-11-09",
     "body": "The council voted to build a new stadium near the river."},
]


def _small_index(tmp_path: Path, articles: list[dict[str, str]] = ARTICLES) -> Settings:
    """`articles` ingested into a temp data dir (real Chroma and MiniLM), answering without the LLM."""
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("\n".join(json.dumps(a) for a in articles))
    settings = make_settings(tmp_path / "data", llm="none")
    ingest([corpus], settings, progress=False)
    return settings


def test_a_question_across_two_reports_names_the_common_person_and_cites_both(tmp_path: Path) -> None:
    settings = _small_index(tmp_path)
    q = ("Who is the official who said the harbor bridge would close for repairs, according to the Daily Planet, "
         "and who told the council that the repairs were delayed by the storm, as reported by the Metro Gazette?")
    answer = ask(q, settings=settings)
    assert not answer.refused and answer.answer.startswith("Lena Park.")
    assert {c.article_id for c in answer.citations} == {"dp-1", "mg-1"}
    assert answer.debug["plan"]["kind"] == "name" and len(answer.debug["plan"]["parts"]) == 2
    # a part about something no article mentions: refused, saying what is missing
    q2 = ("Considering the report by the Daily Planet on the harbor bridge and another by the Metro Gazette on "
          "Quorvex Industries, which company was paid to repair the bridge and also sponsors the new stadium?")
    refused = ask(q2, settings=settings)
    assert refused.refused and "Quorvex" in refused.answer and not refused.citations
    # a yes/no question on reports that are found is a verdict on them, even naming what no article holds
    q3 = ("Does the Daily Planet article say the harbor bridge would close for repairs by Quorvex Industries, "
          "while the Metro Gazette reports that the repairs were delayed by the storm?")
    verdict = ask(q3, settings=settings)
    assert verdict.debug["plan"]["kind"] == "yes_no" and verdict.debug["missing_names"] == []
    assert not verdict.refused and verdict.answer.startswith(("Yes.", "No."))
    assert {c.article_id for c in verdict.citations} == {"dp-1", "mg-1"}


def test_a_negated_yes_no_question_is_answered_the_other_way_round(tmp_path: Path) -> None:
    """"Was B inconsistent with A?" is asked as "Was B consistent with A?" (the same P(yes): here the no-LLM
    stand-in's 1.0), so the two answers are opposite."""
    settings = _small_index(tmp_path)
    q = ("After the Daily Planet report on the harbor bridge closing for repairs, was the Metro Gazette report on "
         "the repairs being delayed by the storm {} with it?")
    consistent, inconsistent = ask(q.format("consistent"), settings=settings), ask(q.format("inconsistent"), settings=settings)
    assert consistent.answer.startswith("Yes.") and "asked_as" not in consistent.debug
    assert inconsistent.answer.startswith("No.") and inconsistent.debug["asked_as"] == q.format("consistent")


def test_each_description_in_a_name_question_cites_the_report_it_comes_from(tmp_path: Path) -> None:
    """A third description ("praised for her calm during the flood") cites the article it is drawn from, even
    though that article says "she" and never repeats the name; an article about something else is not cited."""
    praised = {"id": "dp-2", "title": "Residents thank the mayor", "source": "Daily Planet", "published": "2023-11-10",
               "body": "Residents praised her calm during the flood, and she thanked the volunteers who filled sandbags."}
    settings = _small_index(tmp_path, [*ARTICLES, praised])
    q = ("Who is the official who said the harbor bridge would close for repairs, according to the Daily Planet, "
         "who told the council that the repairs were delayed by the storm, as reported by the Metro Gazette, "
         "and who was praised by residents for her calm during the flood?")
    answer = ask(q, settings=settings)
    assert answer.answer.startswith("Lena Park.")
    assert {c.article_id for c in answer.citations} == {"dp-1", "mg-1", "dp-2"}  # not mg-2 (the stadium)


def test_every_report_named_by_its_day_is_cited_though_one_part_names_two(tmp_path: Path) -> None:
    """"The Metro Gazette's November 8 article ... and its November 20 article": the plan's part reads one report
    (its first date); the second is cited too, from that outlet and day, after the verdict."""
    paid = {"id": "mg-3", "title": "Council pays for bridge repairs", "source": "Metro Gazette",
            "published": "2023-11-20", "body": "The council voted to pay for the harbor bridge repairs after the storm."}
    settings = _small_index(tmp_path, [*ARTICLES, paid])
    q = ("After the Daily Planet report of November 1, 2023 on the harbor bridge closing for repairs, was the Metro "
         "Gazette consistent in its November 8, 2023 article on the repairs being delayed by the storm and its "
         "November 20, 2023 article on the council paying for the repairs?")
    answer = ask(q, settings=settings)
    assert len(answer.debug["plan"]["parts"]) == 2 and answer.debug["dated_reports"] == ["mg-3"]
    assert answer.answer.startswith(("Yes.", "No.")) and [c.article_id for c in answer.citations] == ["dp-1", "mg-1", "mg-3"]
    # a day outside the dates the user asked for is not added
    until = ask(q, settings=settings, until="2023-11-15")
    assert until.debug["dated_reports"] == [] and "mg-3" not in [c.article_id for c in until.citations]
    # a report already cited for its day adds nothing
    once = ask("After the Daily Planet report of November 1, 2023 on the harbor bridge closing for repairs, was the "
               "Metro Gazette report of November 8, 2023 on the repairs being delayed by the storm consistent with it?",
               settings=settings)
    assert once.debug["dated_reports"] == [] and [c.article_id for c in once.citations] == ["dp-1", "mg-1"]


def test_a_timeline_question_lists_one_dated_line_per_article_oldest_first(tmp_path: Path) -> None:
    from ui.render import render_text
    from ui.slack.blocks import answer_blocks
    from ui.web_render import answer_html

    settings = _small_index(tmp_path)
    answer = ask("How did the harbor bridge repairs develop?", settings=settings)
    assert not answer.refused and [t.published for t in answer.timeline] == ["2023-11-01", "2023-11-08"]
    assert [t.newest for t in answer.timeline] == [False, True]
    assert [c.article_id for c in answer.citations] == ["dp-1", "mg-1"]
    text = render_text(answer)
    timeline = text.split("Sources:")[0]
    assert timeline.index("2023-11-01") < timeline.index("2023-11-08") < timeline.index("(newest)")
    assert '<ol class="cw-timeline">' in answer_html(answer, "k") and answer_html(answer, "k").count("<li") == 2
    slack = " ".join(b.get("text", {}).get("text", "") for b in answer_blocks(answer) if b.get("type") == "section")
    assert "Timeline" in slack and "_(newest)_" in slack


def test_a_long_question_asking_neither_a_name_nor_yes_no_gets_the_parts_without_a_verdict(tmp_path: Path) -> None:
    settings = _small_index(tmp_path)
    q = ("How were the harbor bridge repairs described by the Daily Planet when it said the bridge would close, "
         "and by the Metro Gazette when it reported that the storm delayed them?")
    answer = ask(q, settings=settings)
    assert answer.debug["plan"]["kind"] == "fact" and not answer.refused
    assert not answer.answer.startswith(("Yes", "No")) and answer.answer.startswith("Daily Planet")


def test_was_one_report_published_before_another_is_read_off_their_dates() -> None:
    from qa.multi import asked_order, published_in_order

    assert asked_order("Was the Daily Planet article on the bridge published before the Metro Gazette report?") == "before"
    assert asked_order("Did the Daily Planet's bridge story come out later than the Metro Gazette's?") == "after"
    assert asked_order("Did the Daily Planet say the bridge closed before the vote?") is None  # not about reports
    assert asked_order("Was the Daily Planet report published on March 3, 2023, before the Gazette's?") == "before"
    # a verb with an object of its own is about the story, not about when the report came out
    assert asked_order("Does the Daily Planet report that the mill posted record profits after a decade of losses, "
                       "while the Gazette says the mill closed?") is None
    early, late = _found("Daily Planet", "The bridge closed."), _found("Metro Gazette", "It reopened.")
    late.items[0].passage.article = dataclasses.replace(late.items[0].passage.article, published="2023-11-20")
    assert published_in_order([early, late], "before") is True
    assert published_in_order([late, early], "before") is False
    assert published_in_order([late, early], "after") is True
    assert published_in_order([early, _found("Herald", "Same day.")], "before") is None  # same day: not by date
    assert published_in_order([early, PartEvidence(Part(text="x"))], "before") is None  # a part not found
