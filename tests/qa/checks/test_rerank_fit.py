"""`python -m bench.rerank`: labelled candidates in, the weight that ranks an answering sentence first out."""

import json
from pathlib import Path

from bench.rerank import collect, fit, top1


def _row(qid: str, split: str, corpus: str, candidates: list[tuple[float, float, bool]]) -> dict:
    return {"id": qid, "split": split, "corpus": corpus,
            "candidates": [{"score": s, "p_yes": p, "label": lab} for s, p, lab in candidates]}


# the answer sits second by score in each; the model's P(yes) knows it
ROWS = [_row(f"q{i}", "tune" if i < 3 else "test", "rgb", [(0.70, 0.20, False), (0.60, 0.90, True)]) for i in range(4)]


def test_top1_counts_questions_whose_first_ranked_candidate_holds_the_answer() -> None:
    assert top1(ROWS, 0.0) == 0.0  # by score alone the look-alike comes first
    assert top1(ROWS, 1.0) == 1.0
    unreachable = [_row("q9", "tune", "rgb", [(0.7, 0.9, False)])]
    assert top1(ROWS + unreachable, 1.0) == 1.0  # no candidate holds the answer: not counted


def test_fit_picks_the_smallest_weight_that_ranks_best_on_tune(tmp_path: Path, capsys) -> None:
    labels = tmp_path / "rerank.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    weight = fit(labels)
    assert top1(ROWS, weight) == 1.0 and top1(ROWS, weight - 0.1) < 1.0  # 0.1 x 0.7 > 0.1 in score
    assert "(fitted)" in capsys.readouterr().out


def test_collect_labels_candidates_by_the_gold_strings(tmp_path: Path) -> None:
    questions = tmp_path / "rgb_q.jsonl"
    questions.write_text(json.dumps({"id": "rgb-x1", "question": "Who won?", "answerable": True,
                                     "must_contain": [["Mara Quint"]], "sources": ["a"]}) + "\n")
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"questions": str(questions), "items": [
        {"id": "rgb-x1", "rerank": [{"score": 0.7, "p_yes": 0.2, "text": "The regatta remains ..."},
                                    {"score": 0.6, "p_yes": 0.9, "text": "Mara Quint won by two lengths."}]}]}))
    out = tmp_path / "labels.jsonl"
    assert collect(report, None, out) == 1
    [row] = [json.loads(line) for line in out.read_text().splitlines()]
    assert [c["label"] for c in row["candidates"]] == [False, True] and row["corpus"] == "rgb"
