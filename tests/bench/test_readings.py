"""`bench.readings` and the `check_threshold_read` rows `bench.calibrate collect` makes of its records."""

from __future__ import annotations

import json
from pathlib import Path

from bench.calibrate import collect
from bench.readings import checked_claims, claim_key


def _check(claim: str, p_yes: float, article: str = "a1", text: str = "It opened on 5 May 2019.",
           **more: object) -> dict[str, object]:
    return {"check": "llm_check", "article_id": article, "text": text, "claim": claim, "p_yes": p_yes,
            "agree": 0, "yes": p_yes >= 0.78} | more


def test_checked_claims_groups_each_claim_s_sentences_and_leaves_out_agreed_claims_and_quotes() -> None:
    row = {"checks": [_check("It opened in May 2019.", 0.6), _check("It opened in May 2019.", 0.9, "a2", "Opened May 2019."),
                      _check("It closed in 2020.", 0.9, agree=2),  # agreed: check_threshold_agreed's
                      _check("", 0.7),  # a quote: quote_threshold's
                      {"check": "reader", "claim": "It opened in May 2019.", "reading": "5 May 2019", "yes": True}]}
    assert checked_claims(row) == {"It opened in May 2019.": [("a1", "It opened on 5 May 2019."),
                                                             ("a2", "Opened May 2019.")]}


def test_collect_labels_the_claims_read_back_as_check_threshold_read_rows(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "q1", "question": "When did it open?", "must_contain": [["2019"]],
                                     "sources": ["a1"]}) + "\n")
    right, wrong, unread = "It opened in 2019.", "It opened in 2018.", "It opened in 2017."
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"questions": str(questions), "items": [
        {"id": "q1", "question": "When did it open?", "checks": [_check(right, 0.6), _check(wrong, 0.7),
                                                                  _check(unread, 0.9)]}]}))
    readings = tmp_path / "readings.jsonl"
    readings.write_text("".join(json.dumps({"questions": str(questions), "id": "q1", "claim": claim_key(c), "read": r}) + "\n"
                                for c, r in ((right, True), (wrong, True), (unread, False))))
    labels = tmp_path / "labels.jsonl"
    collect(report, out=labels, readings_path=readings)
    rows = [json.loads(line) for line in labels.read_text().splitlines()]
    read = sorted((r["value"], r["label"]) for r in rows if r["setting"] == "check_threshold_read")
    assert read == [(0.6, True), (0.7, False)]  # the claim the reader drops is no row: no threshold keeps it
    assert len([r for r in rows if r["setting"] == "check_threshold"]) == 3  # the check alone: every claim
