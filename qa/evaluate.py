"""`citewire eval`: answer accuracy, refusals, citation precision, retrieval hit@5 / MRR, latency."""

from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

from index.chunks import split_sentences
from index.settings import Settings
from qa.answer import Answer
from qa.engine import get_engine
from qa.retrieve import Filters, retrieve


def load_items(path: Path) -> list[dict[str, Any]]:
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
    return items


def matches(answer_text: str, must_contain: list[list[str]]) -> bool:
    """All any-of groups matched, case-insensitively."""
    low = answer_text.lower()
    return all(any(alt.lower() in low for alt in group) for group in must_contain)


def score_item(item: dict[str, Any], answer: Answer, retrieved: list[str]) -> dict[str, Any]:
    expected = set(item.get("sources") or [])
    cited = [c.article_id for c in answer.citations]
    row: dict[str, Any] = {
        "id": item.get("id"), "question": item["question"], "answerable": bool(item.get("answerable", True)),
        "answer": answer.answer, "refused": answer.refused, "mode": answer.mode, "cited": cited,
        "expected_sources": sorted(expected), "seconds": round(answer.timings.get("total_s", 0.0), 3),
        "first_token_s": answer.timings.get("first_token_s"),
    }
    if not answer.refused:
        row["claims"], row["cited_claims"] = _cited_sentences(answer)
    if row["answerable"]:
        row["contains"] = matches(answer.answer, item.get("must_contain") or [])
        row["cites_expected"] = bool(expected & set(cited))
        row["correct"] = bool(row["contains"] and not answer.refused and row["cites_expected"])
        row["good_citations"] = sum(1 for a in cited if a in expected)
        hit_rank = next((i + 1 for i, a in enumerate(retrieved[:5]) if a in expected), None)
        row["hit_at_5"] = hit_rank is not None
        row["rr"] = 1.0 / hit_rank if hit_rank else 0.0
    else:
        row["correct"] = answer.refused and not cited
    return row


_NOTE = re.compile(r"The newest of these sources was published [^.]*\.")


def _cited_sentences(answer: Answer) -> tuple[int, int]:
    """Answer sentences, and those carrying a [n] (a quote in extractive mode counts as one sentence)."""
    if answer.mode == "extractive":
        parts = [p for p in answer.answer.split("\n") if p.strip()]
    else:
        text = _NOTE.sub(" ", answer.answer)  # the note on dates is citewire's, not a claim from a source
        parts = [text[s.start:s.end] for s in split_sentences(text)]
    parts = [p for p in parts if p.strip(" .")]
    return len(parts), sum(1 for p in parts if re.search(r"\[\d+\]", p))


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    pos = [r for r in rows if r["answerable"]]
    neg = [r for r in rows if not r["answerable"]]
    n_cites = sum(len(r["cited"]) for r in pos)
    secs = [r["seconds"] for r in rows]
    ftt = [r["first_token_s"] for r in rows if r.get("first_token_s")]

    def ratio(num: float, den: float) -> float | None:
        return round(num / den, 4) if den else None

    return {
        "n": len(rows), "n_answerable": len(pos), "n_unanswerable": len(neg),
        "accuracy": ratio(sum(r["correct"] for r in pos), len(pos)) or 0.0,
        "refusal_rate": ratio(sum(r["refused"] for r in neg), len(neg)),
        "false_refusal_rate": ratio(sum(r["refused"] for r in pos), len(pos)),
        "citation_precision": ratio(sum(r["good_citations"] for r in pos), n_cites),
        "source_recall": ratio(sum(r["cites_expected"] for r in pos), len(pos)),
        "citation_recall": ratio(sum(r.get("cited_claims", 0) for r in rows), sum(r.get("claims", 0) for r in rows)),
        "hit_at_5": ratio(sum(r["hit_at_5"] for r in pos), len(pos)),
        "mrr": ratio(sum(r["rr"] for r in pos), len(pos)),
        "p50_s": round(statistics.median(secs), 3) if secs else 0.0,
        "p95_s": round(_pct(secs, 0.95), 3),
        "first_token_p50_s": round(statistics.median(ftt), 3) if ftt else None,
        "items": rows,
    }


def evaluate(path: Path, settings: Settings, limit: int | None = None) -> dict[str, Any]:
    """Run every item of a seeds_dev.jsonl-format file against the current index."""
    engine = get_engine(settings)
    items = load_items(path)[:limit] if limit else load_items(path)
    rows = []
    for item in items:
        t0 = time.perf_counter()
        answer = engine.ask(item["question"])
        passages = retrieve(engine.store, engine.embedder, answer.debug.get("query", item["question"]), 5,
                            settings.candidates, Filters())
        answer.timings.setdefault("total_s", time.perf_counter() - t0)
        rows.append(score_item(item, answer, [p.article.id for p in passages]))
    return summarise(rows)


def print_table(report: dict[str, Any]) -> None:
    print(f"{'id':12} {'ok':3} {'mode':10} {'sec':>5}  answer")
    for r in report["items"]:
        ok = "yes" if r["correct"] else "NO"
        text = r["answer"].replace("\n", " ")
        print(f"{str(r['id'])[:12]:12} {ok:3} {r['mode']:10} {r['seconds']:5.1f}  {text[:90]}")
    keys = ["n", "accuracy", "refusal_rate", "false_refusal_rate", "citation_precision", "source_recall",
            "citation_recall", "hit_at_5", "mrr", "p50_s", "p95_s", "first_token_p50_s"]
    print()
    print("  ".join(f"{k}={report[k]}" for k in keys))
