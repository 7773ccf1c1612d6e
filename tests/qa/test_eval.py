"""`citewire eval --json`: the keys, and scores that match a hand computation on a tiny file."""

import json
from pathlib import Path

from ui.cli import main

KEYS = {"accuracy", "refusal_rate", "false_refusal_rate", "citation_precision", "source_recall", "hit_at_5", "mrr",
        "p50_s", "p95_s", "n", "items"}


def test_eval_json_matches_hand_computed_scores(seed_index_nollm, tmp_path: Path, capsys) -> None:
    items = [
        # answerable, answer present in article 000: must be right
        {"id": "a", "question": "What was Defense Secretary Jim Mattis considering?", "answerable": True,
         "must_contain": [["defense chiefs"]], "sources": ["000_a8ef3c9dc11187e2"]},
        # answerable but the expected text can never appear: wrong whatever happens
        {"id": "b", "question": "What was Defense Secretary Jim Mattis considering?", "answerable": True,
         "must_contain": [["zzz-never"]], "sources": ["000_a8ef3c9dc11187e2"]},
        {"id": "c", "question": "What is the population of Helsinki?", "answerable": False, "must_contain": [], "sources": []},
    ]
    f = tmp_path / "tiny.jsonl"
    f.write_text("\n".join(json.dumps(i) for i in items))
    out = tmp_path / "report.json"
    assert main(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "eval", str(f), "--json", "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert KEYS <= set(report) and report == json.loads(out.read_text())
    rows = {r["id"]: r for r in report["items"]}
    assert rows["a"]["correct"] and not rows["b"]["correct"] and rows["c"]["correct"]
    assert report["n"] == 3
    assert report["accuracy"] == 0.5  # 1 of 2 answerable
    assert report["refusal_rate"] == 1.0 and report["false_refusal_rate"] == 0.0
    n_cites = len(rows["a"]["cited"]) + len(rows["b"]["cited"])
    good = rows["a"]["good_citations"] + rows["b"]["good_citations"]
    assert report["citation_precision"] == round(good / n_cites, 4)
    assert report["hit_at_5"] == 1.0 and report["mrr"] > 0
    # citation recall: answer sentences carrying a [n], over the two answers (the refusal has none)
    assert "claims" not in rows["c"]
    claims = rows["a"]["claims"] + rows["b"]["claims"]
    assert claims >= 2 and report["citation_recall"] == round((rows["a"]["cited_claims"] + rows["b"]["cited_claims"]) / claims, 4)


def test_citation_recall_counts_sentences_with_a_marker() -> None:
    from qa.answer import Answer
    from qa.evaluate import _cited_sentences

    note = "The newest of these sources was published 27 July 2018."
    llm = Answer("q", f"Bolton said it would be in 2019 [1]. Putin agreed. {note}", False, [], mode="llm",
                 notes=[note])
    assert _cited_sentences(llm) == (2, 1)
    quote = Answer("q", "RFE/RL reported: \u201cBolton said so. He added more.\u201d (2018-07-27) [1]", False, [],
                   mode="extractive")
    assert _cited_sentences(quote) == (1, 1)


def test_min_accuracy_turns_score_into_exit_code(seed_index_nollm, tmp_path: Path, capsys) -> None:
    f = tmp_path / "one.jsonl"
    f.write_text(json.dumps({"id": "x", "question": "What was Mattis considering?", "answerable": True,
                             "must_contain": [["zzz-never"]], "sources": ["000_a8ef3c9dc11187e2"]}))
    assert main(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "eval", str(f), "--min-accuracy", "0.5"]) == 3


def test_split_is_stable_and_about_sixty_forty() -> None:
    from qa.evaluate import split_of

    ids = [f"item-{i}" for i in range(1000)]
    tune = sum(split_of(i) == "tune" for i in ids)
    assert 550 <= tune <= 650
    assert [split_of(i) for i in ids[:20]] == [split_of(i) for i in ids[:20]]  # same every run
    assert split_of("dev-01") == "tune" and split_of("rgb-q000") == "test"  # pinned: never reshuffled


def test_yes_no_gold_is_matched_by_the_first_standalone_yes_or_no() -> None:
    from qa.evaluate import matches

    assert matches("No. The report says otherwise [1].", [["no"]])
    assert not matches("Not known; yes, maybe.", [["no"]])  # "not" is not "no": the first standalone is "yes"
    assert not matches("The articles don't say.", [["yes"]])
    assert matches("Sam Bankman-Fried. TechCrunch: ...", [["Sam Bankman-Fried"]])
    assert matches("Sportsbooks: they ...", [["Sportsbooks."]])  # punctuation ignored


def test_a_gold_string_matches_from_the_start_of_a_word() -> None:
    from qa.evaluate import matches

    assert not matches("Inconsistent. The Verge (2023-11-01): ...", [["consistent"]])
    assert matches("Consistent. The Verge (2023-11-01): ...", [["consistent"]])
    assert matches("Russia faces new sanctions [1].", [["sanction"]])  # a gold stem still takes its endings
    assert not matches("It was filed in Arkansas [1].", [["Kansas"]])


def test_a_gold_string_matches_with_or_without_accents() -> None:
    from qa.evaluate import matches

    assert matches("Chloe Zhao won Best Director [1].", [["Chloé Zhao"]])  # the source spelled it without
    assert matches("Karolína Plíšková lost [1].", [["Karolina Pliskova"]])
    assert not matches("Chloe Kim won [1].", [["Chloé Zhao"]])


def test_a_failing_item_is_scored_as_an_error_and_the_run_goes_on(seed_index_nollm, tmp_path: Path, capsys) -> None:
    items = [{"id": "long", "question": "why " * 600, "answerable": True, "must_contain": [["x"]], "sources": []},
             {"id": "ok", "question": "What was Defense Secretary Jim Mattis considering?", "answerable": True,
              "must_contain": [["defense chiefs"]], "sources": ["000_a8ef3c9dc11187e2"]}]
    f = tmp_path / "two.jsonl"
    f.write_text("\n".join(json.dumps(i) for i in items))
    assert main(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "eval", str(f), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {r["id"]: r for r in report["items"]}
    assert rows["long"]["mode"] == "error" and "2000" in rows["long"]["error"] and not rows["long"]["correct"]
    assert rows["ok"]["correct"] and report["errors"] == 1 and report["n"] == 2


def test_ablation_runs_once_per_check_and_names_unknown_checks(seed_index_nollm, tmp_path: Path, capsys) -> None:
    f = tmp_path / "one.jsonl"
    f.write_text(json.dumps({"id": "a", "question": "What was Defense Secretary Jim Mattis considering?",
                             "answerable": True, "must_contain": [["defense chiefs"]],
                             "sources": ["000_a8ef3c9dc11187e2"]}))
    out = tmp_path / "ablation.json"
    args = ["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "eval", str(f)]
    assert main([*args, "--ablate", "year", "--ablate", "agreement", "--out", str(out)]) == 0
    reports = json.loads(out.read_text())
    assert list(reports) == ["all checks", "without year", "without agreement"]
    # the year check cannot apply to a question naming no year: its all-checks row is kept, not asked again
    assert reports["without year"]["items"] == reports["all checks"]["items"]
    assert "without year" in capsys.readouterr().out
    assert main([*args, "--ablate", "no-such-check"]) == 2
    assert "unknown check 'no-such-check'" in capsys.readouterr().err
