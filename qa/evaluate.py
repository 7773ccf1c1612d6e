"""`citewire eval`: answer accuracy, refusals, wrong-but-cited answers, citation precision, retrieval, latency.

Every eval set is split into `tune` and `test` by a stable hash of the item id (`split_of`): rules, prompts and
thresholds are fitted by looking at `tune` only; `test` is read as a number.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import statistics
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from index.chunks import split_sentences
from index.settings import Settings
from qa.answer import Answer
from qa.checks import REGISTRY
from qa.engine import Engine, get_engine
from qa.retrieve import Filters, retrieve
from qa.text import unaccented


def load_items(path: Path) -> list[dict[str, Any]]:
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
    return items


log = logging.getLogger(__name__)

Split = Literal["tune", "test", "all"]
TUNE_SHARE = 60  # percent of items in `tune`


def split_of(item_id: str) -> Literal["tune", "test"]:
    """`tune` or `test`, from a stable hash of the id (the same on every machine and run)."""
    h = int(hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:8], 16)
    return "tune" if h % 100 < TUNE_SHARE else "test"


def in_split(items: Iterable[dict[str, Any]], split: Split) -> list[dict[str, Any]]:
    return [i for i in items if split == "all" or split_of(str(i.get("id", i.get("question", "")))) == split]


_YES_NO = re.compile(r"\b(yes|no)\b", re.I)


def first_yes_no(text: str) -> str | None:
    """The answer's first standalone 'yes' or 'no' (lower case), if any."""
    m = _YES_NO.search(text)
    return m.group(1).lower() if m else None


def _norm(text: str) -> str:
    """Lower case, without accents ("Chloé Zhao" is "Chloe Zhao") or punctuation, spaces collapsed."""
    return " ".join(re.sub(r"[^\w\s]", " ", unaccented(text).lower()).split())


def _has_words(text: str, phrase: str) -> bool:
    """`phrase` in `text` from the start of a word: "consistent" is not in "inconsistent"; a gold stem still
    matches its endings ("sanction" in "sanctions", "September 13" in "September 13th")."""
    return re.search(rf"(?<!\w){re.escape(phrase)}", text) is not None


def matches(answer_text: str, must_contain: list[list[str]]) -> bool:
    """All any-of groups matched, case-insensitively. A group that is just "yes" or "no" is matched by the
    answer's first standalone yes/no (a substring test would find "no" in "not" or "know"); other strings
    are compared from the start of a word, with punctuation ignored."""
    low = answer_text.lower()
    norm = _norm(answer_text)
    for group in must_contain:
        alts = [a.lower().strip(" .") for a in group]
        if alts and all(a in ("yes", "no") for a in alts):
            if first_yes_no(answer_text) not in alts:
                return False
        elif not any(_has_words(low, a) or (_norm(a) and _has_words(norm, _norm(a))) for a in alts):
            return False
    return True


def score_item(item: dict[str, Any], answer: Answer, retrieved: list[str]) -> dict[str, Any]:
    expected = set(item.get("sources") or [])
    cited = [c.article_id for c in answer.citations]
    evidence_ids = {e.get("article_id") for e in answer.debug.get("evidence", [])} | set(cited)
    row: dict[str, Any] = {
        "id": item.get("id"), "question": item["question"], "answerable": bool(item.get("answerable", True)),
        "type": item.get("question_type") or item.get("kind") or "", "split": split_of(str(item.get("id", ""))),
        "answer": answer.answer, "refused": answer.refused, "mode": answer.mode, "cited": cited,
        "expected_sources": sorted(expected), "seconds": round(answer.timings.get("total_s", 0.0), 3),
        "first_token_s": answer.timings.get("first_token_s"), "evidence_s": answer.timings.get("evidence_s"),
    }
    # what calibration and tune debugging read
    for key in ("p_yes", "p_yes_whole", "p_yes_parts", "refusal_reason", "missing_names", "candidates", "checks",
                "coverage", "rerank", "drafts", "draft_drops", "gate"):
        if key in answer.debug:
            row[key] = answer.debug[key]
    if answer.dropped_claims:
        row["dropped"] = answer.dropped_claims
    if answer.debug.get("evidence"):
        row["evidence"] = [{k: e.get(k) for k in ("article_id", "score", "text")} for e in answer.debug["evidence"]]
        row["best_evidence"] = answer.debug["evidence"][0].get("score")
    if not answer.refused:
        row["claims"], row["cited_claims"] = _cited_sentences(answer)
    if row["answerable"]:
        row["contains"] = matches(answer.answer, item.get("must_contain") or [])
        row["cites_expected"] = bool(expected & set(cited))
        row["correct"] = bool(row["contains"] and not answer.refused and row["cites_expected"])
        row["wrong_cited"] = bool(not answer.refused and cited and not row["contains"])
        row["all_sources_cited"] = bool(expected) and expected <= set(cited)
        row["all_sources_in_evidence"] = bool(expected) and expected <= evidence_ids
        row["good_citations"] = sum(1 for a in cited if a in expected)
        hit_rank = next((i + 1 for i, a in enumerate(retrieved[:5]) if a in expected), None)
        row["hit_at_5"] = hit_rank is not None
        row["rr"] = 1.0 / hit_rank if hit_rank else 0.0
    else:
        row["correct"] = answer.refused and not cited
        row["wrong_cited"] = bool(not answer.refused and cited)
    return row


def error_row(item: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    """An item whose answering failed: scored wrong (not refused), with its error; the run goes on."""
    answerable = bool(item.get("answerable", True))
    row: dict[str, Any] = {
        "id": item.get("id"), "question": item.get("question", ""), "answerable": answerable,
        "type": item.get("question_type") or item.get("kind") or "", "split": split_of(str(item.get("id", ""))),
        "answer": "", "refused": False, "mode": "error", "cited": [], "error": f"{type(exc).__name__}: {exc}",
        "expected_sources": sorted(item.get("sources") or []), "seconds": 0.0, "first_token_s": None,
        "correct": False, "wrong_cited": False,
    }
    if answerable:
        row.update(contains=False, cites_expected=False, good_citations=0, hit_at_5=False, rr=0.0,
                   all_sources_cited=False, all_sources_in_evidence=False)
    return row


def _cited_sentences(answer: Answer) -> tuple[int, int]:
    """Answer sentences, and those carrying a [n] (a quote in extractive mode counts as one sentence)."""
    if answer.mode == "extractive":
        parts = [p for p in answer.answer.split("\n") if p.strip()]
    else:
        text = answer.answer
        for note in answer.notes:  # citewire's own notes (which source is newest) are not claims from a source
            text = text.replace(note, " ")
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
        "score": ratio(sum(r["correct"] for r in rows), len(rows)) or 0.0,
        "right_content": ratio(sum(bool(r.get("contains")) and not r["refused"] for r in pos), len(pos)),
        "wrong_cited_rate": ratio(sum(r["wrong_cited"] for r in rows), len(rows)),
        "all_sources_cited": ratio(sum(r["all_sources_cited"] for r in pos), len(pos)),
        "all_sources_in_evidence": ratio(sum(r["all_sources_in_evidence"] for r in pos), len(pos)),
        "errors": sum(1 for r in rows if r["mode"] == "error"),
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
        "evidence_p50_s": round(statistics.median(ev), 3) if (ev := [r["evidence_s"] for r in rows
                                                                       if r.get("evidence_s")]) else None,
    }


def report_of(rows: list[dict[str, Any]], split: Split = "all") -> dict[str, Any]:
    """The summary of all rows, per split and per question type, and the rows themselves."""
    report = summarise(rows)
    report["split"] = split
    report["by_split"] = {s: summarise(r) for s in ("tune", "test") if (r := [x for x in rows if x["split"] == s])}
    types = sorted({r["type"] for r in rows if r["type"]})
    if len(types) > 1:
        report["by_type"] = {t: {k: v for k, v in summarise([r for r in rows if r["type"] == t]).items()
                                 if k in ("n", "score", "accuracy", "refusal_rate", "false_refusal_rate",
                                          "wrong_cited_rate", "all_sources_cited")} for t in types}
    report["items"] = rows
    return report


def evaluate(path: Path, settings: Settings, limit: int | None = None, split: Split = "all",
             engine: Engine | None = None, reuse: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run the items of a seeds_dev.jsonl-format file in `split` against the current index. An item that
    fails (a model error, a question the engine rejects) is recorded with its error and the run goes on.
    `reuse`: rows by item id to keep as they are instead of asking again."""
    engine = engine or get_engine(settings)
    items = in_split(load_items(path), split)
    items = items[:limit] if limit else items
    rows = []
    for i, item in enumerate(items, start=1):
        kept = (reuse or {}).get(str(item.get("id")))
        if kept is not None:
            rows.append(kept)
            continue
        t0 = time.perf_counter()
        try:
            answer = engine.ask(item["question"])
            passages = retrieve(engine.store, engine.embedder, answer.debug.get("query", item["question"]), 5,
                                settings.candidates, Filters())
        except Exception as exc:  # one failing item must not lose the run
            log.warning("eval item %s failed: %s", item.get("id"), exc)
            rows.append(error_row(item, exc))
            continue
        answer.timings.setdefault("total_s", time.perf_counter() - t0)
        rows.append(score_item(item, answer, [p.article.id for p in passages]))
        log.info("eval %d/%d %s correct=%s %.1fs", i, len(items), item.get("id"), rows[-1]["correct"],
                 answer.timings["total_s"])
    return report_of(rows, split)


def print_table(report: dict[str, Any]) -> None:
    print(f"{'id':12} {'ok':3} {'mode':10} {'sec':>5}  answer")
    for r in report["items"]:
        ok = "yes" if r["correct"] else "NO"
        text = (r.get("error") or r["answer"]).replace("\n", " ")
        print(f"{str(r['id'])[:12]:12} {ok:3} {r['mode']:10} {r['seconds']:5.1f}  {text[:90]}")
    print()
    print(f"all ({report.get('split', 'all')}): " + "  ".join(f"{k}={report[k]}" for k in SUMMARY_KEYS))
    for name, part in report.get("by_split", {}).items():
        print(f"{name}: " + "  ".join(f"{k}={part[k]}" for k in SUMMARY_KEYS))
    for name, part in report.get("by_type", {}).items():
        print(f"type {name}: " + "  ".join(f"{k}={v}" for k, v in part.items()))


SUMMARY_KEYS = ["n", "score", "accuracy", "refusal_rate", "false_refusal_rate", "wrong_cited_rate", "right_content",
                "citation_precision", "source_recall", "all_sources_cited", "all_sources_in_evidence",
                "citation_recall", "hit_at_5", "mrr", "errors", "evidence_p50_s", "p50_s", "p95_s", "first_token_p50_s"]


ABLATION_KEYS = ["score", "accuracy", "refusal_rate", "false_refusal_rate", "wrong_cited_rate", "citation_precision"]


def ablate(path: Path, settings: Settings, names: list[str], limit: int | None = None,
           split: Split = "all") -> dict[str, Any]:
    """The eval with all checks on, then once per name with that check off (the same loaded models). An item
    whose question the check does not apply to (`Check.applies`: it passes whatever it is shown) is answered
    the same without it, so its all-checks row is kept rather than asked again."""
    base = get_engine(settings)
    reports = {"all checks": evaluate(path, settings, limit, split, base)}
    by_name = {c.name: c for c in REGISTRY}
    for name in names:
        ablated = Engine(settings.with_overrides(disabled_checks=(*settings.disabled_checks, name)))
        ablated.share_models(base)
        same = {str(r["id"]): r for r in reports["all checks"]["items"] if not by_name[name].applies(r["question"])}
        rep = reports[f"without {name}"] = evaluate(path, ablated.settings, limit, split, ablated, same)
        log.info("ablation without %s: %d right, %d wrong-but-cited of %d (%d asked again)", name,
                 sum(r["correct"] for r in rep["items"]), sum(r["wrong_cited"] for r in rep["items"]),
                 len(rep["items"]), len(rep["items"]) - len(same))
    return reports


def print_ablation(reports: dict[str, Any]) -> None:
    base = reports["all checks"]
    print(f"{'run':28} " + " ".join(f"{k:>20}" for k in ABLATION_KEYS))
    for name, rep in reports.items():
        cells = []
        for k in ABLATION_KEYS:
            v, b = rep.get(k), base.get(k)
            delta = f" ({v - b:+.3f})" if name != "all checks" and v is not None and b is not None else ""
            cells.append(f"{'-' if v is None else f'{v:.3f}'}{delta}".rjust(20))
        print(f"{name:28} " + " ".join(cells))
