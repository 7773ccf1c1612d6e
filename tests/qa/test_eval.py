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

    llm = Answer("q", "Bolton said it would be in 2019 [1]. Putin agreed. The newest of these sources was "
                 "published 27 July 2018.", False, [], mode="llm")
    assert _cited_sentences(llm) == (2, 1)
    quote = Answer("q", "RFE/RL reported: \u201cBolton said so. He added more.\u201d (2018-07-27) [1]", False, [],
                   mode="extractive")
    assert _cited_sentences(quote) == (1, 1)


def test_min_accuracy_turns_score_into_exit_code(seed_index_nollm, tmp_path: Path, capsys) -> None:
    f = tmp_path / "one.jsonl"
    f.write_text(json.dumps({"id": "x", "question": "What was Mattis considering?", "answerable": True,
                             "must_contain": [["zzz-never"]], "sources": ["000_a8ef3c9dc11187e2"]}))
    assert main(["--data-dir", str(seed_index_nollm.data_dir), "--llm", "none", "eval", str(f), "--min-accuracy", "0.5"]) == 3
