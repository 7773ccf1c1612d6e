"""The question plan: outlets (and their short forms) and dates named in a question, and its parts."""

from __future__ import annotations

from qa.plan import asks_value, find_outlets, make_plan, outlet_aliases, question_kind

OUTLETS = ["CBSSports.com", "Cnbc | World Business News Leader", "FOX News - Health", "FOX News - Lifestyle", "The Age",
           "The Independent - Life and Style", "Daily Planet", "Metro Gazette"]


def test_aliases_are_the_head_of_the_name_and_its_short_forms() -> None:
    assert "Cnbc" in outlet_aliases("Cnbc | World Business News Leader")
    assert {"FOX News", "FOX"} <= set(outlet_aliases("FOX News - Health"))
    assert "The Independent" in outlet_aliases("The Independent - Life and Style")
    assert outlet_aliases("The Age") == ["The Age"]  # never "Age" alone


def test_outlets_are_found_by_short_form_and_a_shared_form_means_all_of_them() -> None:
    spans = find_outlets("Did CNBC and FOX News both report it?", OUTLETS)
    assert [names for _, _, names in spans] == [["Cnbc | World Business News Leader"],
                                               ["FOX News - Health", "FOX News - Lifestyle"]]
    # a one-word-plus-"The" name must be written as a name: "the age of" is not the outlet
    assert find_outlets("Was it the age of reason?", OUTLETS) == []
    assert len(find_outlets("Did 'The Age' report it?", OUTLETS)) == 1
    # a domain name's ending is not a word that must be capitalised
    assert [names for _, _, names in find_outlets("as reported by 'CBSSports.com'?", OUTLETS)] == [["CBSSports.com"]]


def test_two_reports_become_two_parts_split_at_the_clause_boundary() -> None:
    q = ("Does the Daily Planet article published on November 1, 2023 suggest that the bridge will reopen, "
         "while the Metro Gazette reports after November 6, 2023 that the repairs were delayed?")
    plan = make_plan(q, OUTLETS)
    assert plan.kind == "temporal" and plan.multi and len(plan.parts) == 2  # yes/no about dated reports
    first, second = plan.parts
    assert first.outlets == ["Daily Planet"] and "bridge will reopen" in first.text and "repairs" not in first.text
    assert second.outlets == ["Metro Gazette"] and "repairs were delayed" in second.text
    assert (first.since, first.until) == ("2023-10-31", "2023-11-02")  # the day, one either side
    assert (second.since, second.until) == ("2023-11-07", None)  # after: from the next day on


def test_what_is_said_of_the_earlier_report_stays_with_it() -> None:
    """"After report A, which said X, did report B say Y?": "which said X" describes A; B's part starts at its
    asking verb (", did"), not at the relative clause before it."""
    q = ("After The Age's October 26, 2023 article on the harbour ferries, in which a council spokeswoman described "
         "a new timetable, did the Metro Gazette's November 3, 2023 report on the ferry app say that fares had doubled?")
    first, second = make_plan(q, OUTLETS).parts
    assert "new timetable" in first.text and "new timetable" not in second.text
    assert second.text.startswith("did the Metro Gazette") and second.since == "2023-11-02"


def test_between_two_reports_the_asking_clause_is_no_report_of_its_own() -> None:
    # the outlet named again in the asking clause, and a long asking clause of one outlet's question
    q = ("Between the Daily Planet report published on May 2, 2023, on what to expect at the fair, and the Metro "
         "Gazette review of the fair published on May 9, 2023, was there consistency between the rides expected "
         "and the rides the Metro Gazette went on to review?")
    plan = make_plan(q, OUTLETS)
    assert [p.outlets for p in plan.parts] == [["Daily Planet"], ["Metro Gazette"]]
    q = ("Between the Daily Planet's live blog of the first match of the series on May 2, 2023, and its live blog of "
         "the fifth and deciding match on May 9, 2023, was the reporting consistent or inconsistent in having "
         "Lena Park at the top of the order?")
    parts = make_plan(q, OUTLETS).parts
    assert len(parts) == 2 and not any("Lena Park" in p.text for p in parts)
    # "After report A, did report B ...?": the asking clause is the later report, and stays a part
    q = ("After the Daily Planet reported on May 2, 2023 that the bridge closed for repairs of its deck, did the "
         "Metro Gazette report on May 9, 2023 that the bridge reopened to traffic?")
    assert len(make_plan(q, OUTLETS).parts) == 2


def test_a_date_or_figure_asked_of_several_reports_is_one_fact_filtered_to_them() -> None:
    q = ("According to the Daily Planet report on the bridge closing and the Metro Gazette report on the storm, "
         "how many workers were injured during the repairs?")
    plan = make_plan(q, OUTLETS)
    assert plan.kind == "fact" and not plan.multi and plan.focus == "how many workers were injured during the repairs?"
    assert plan.named_outlets == ["Daily Planet", "Metro Gazette"]
    # a name asked of several reports is still answered part by part
    assert make_plan(q.replace("how many workers were injured", "who was injured"), OUTLETS).multi


def test_a_figure_asked_beside_a_name_or_after_a_preposition_is_a_fact_too() -> None:
    framing = "According to the Daily Planet report on the final and the Metro Gazette preview of it, "
    for ask in ("which team won the cup, and in how many games?", "what was the final score of the final?",
                "on what date and in which city will the replay be held?"):
        plan = make_plan(framing + ask, OUTLETS)
        assert plan.kind == "fact" and not plan.multi and plan.focus == ask, ask  # every wh-clause, from the first
    assert asks_value("in how many games?") and asks_value("what total quarterly revenue did it report?")
    assert not asks_value("which team won the cup?") and not asks_value("what did the coach say?")
    assert make_plan(framing + "which team won the cup?", OUTLETS).multi  # a name alone: part by part


def test_another_article_of_the_same_outlet_is_a_distinct_part() -> None:
    q = ("Who is the official who opened the bridge, as reported by the Daily Planet, and who was later "
         "criticised for its cost according to another article from the Daily Planet?")
    plan = make_plan(q, OUTLETS)
    assert plan.kind == "name" and [p.distinct for p in plan.parts] == [False, True]


def test_single_fact_questions_get_no_parts() -> None:
    for q in ("When did Bolton say the meeting would happen?", "Who won the 2021 Tour de France?",
              "What did the Daily Planet say about the bridge?"):
        assert not make_plan(q, OUTLETS).multi, q


def test_a_long_question_of_one_clause_naming_no_report_is_a_single_fact() -> None:
    q = ("Which city official was quoted as saying the mayor returned to the subject of the bridge repairs a "
         "couple of times during a long phone call with the governor?")
    assert len(q.split()) >= 25 and not make_plan(q, OUTLETS).multi
    joined = q.replace("?", ", and also promised to rebuild the old mill that burned down last winter?")
    assert make_plan(joined, OUTLETS).multi  # two clauses: parts


def test_long_question_with_one_outlet_is_split_into_clauses() -> None:
    q = ("Which company, according to the Daily Planet, has been fined for polluting the river near the old mill "
         "and has also promised to rebuild the bridge that collapsed during the storm last winter?")
    plan = make_plan(q, OUTLETS)
    assert plan.multi and all(p.outlets == ["Daily Planet"] for p in plan.parts)
    assert any("polluting the river" in p.text for p in plan.parts)


def test_question_kind_reads_the_main_clause() -> None:
    assert question_kind("After the report by The Age on October 22, 2023, did the Daily Planet change its "
                         "view later?") == "temporal"
    assert question_kind("Does the Daily Planet article suggest X?") == "yes_no"
    assert question_kind("Who is the individual that the Daily Planet says, did he go?") == "name"
    # a question word inside the framing is not the main clause's; one opening a clause is
    assert question_kind("Between the Daily Planet report on what to expect at the fair, published on May 2, 2023, "
                         "and the Metro Gazette report published later, was there consistency in the dates?") == "temporal"
    assert question_kind("The Daily Planet reported a record crowd. By the Metro Gazette's report, had 'The Show' "
                         "sold out?") == "yes_no"
    assert question_kind("Considering the Daily Planet and Metro Gazette reports, which mayor closed the bridge?") == "name"
    assert question_kind("According to the Daily Planet, in what year did the bridge open, and was it late?") == "name"
    assert question_kind("Between the Daily Planet report, which refers to Lena Park as mayor, and the Metro Gazette "
                         "report published on May 9, 2023, was there a change in her position?") == "temporal"
    assert question_kind("After the Daily Planet report of May 2, 2023, which said the bridge had closed, did the Metro "
                         "Gazette's May 9, 2023 report say it reopened?") == "temporal"  # an irregular verb too
    # a preposition and "which" that a subject follows open a relative clause; one that its noun follows asks
    assert question_kind("Between the Daily Planet report of May 2, 2023, in which Mayor Park said the bridge was safe, "
                         "and the Metro Gazette report of May 9, 2023, was there a change?") == "temporal"
    assert question_kind("According to the Daily Planet report of May 2, 2023, in which year did the bridge open, and "
                         "was it late?") == "name"
    # a figure asked after the framing ("by how many ...") opens the asking clause too, before a later ", was ..."
    assert question_kind("According to the Daily Planet's report on the final, by how many points did the Hawks win, "
                         "and which player, whose name starts with B, was named best on ground?") != "yes_no"
    assert question_kind("Considering the Daily Planet and Metro Gazette reports, how much did the bridge cost, and "
                         "which firm, based in Oslo, had built it?") != "yes_no"


def test_report_days_are_the_dates_that_name_a_report_not_a_bound() -> None:
    from qa.plan import report_days

    q = ("After The Age's report on October 22, 2023, did TechCrunch stay consistent in its November 6, 2023, "
         "article and its December 15, 2023, article, or change after December 20, 2023?")
    assert report_days(q) == [("2023-10-21", "2023-10-23", "October 22, 2023"),
                              ("2023-11-05", "2023-11-07", "November 6, 2023"),
                              ("2023-12-14", "2023-12-16", "December 15, 2023")]
