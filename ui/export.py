"""Answers and conversations as text: Markdown and plain text (with numbered references) and JSON.

Pure functions of structured `Answer` fields (never of rendered prose), shared by the web chat's copy
buttons and its conversation export. `answer_from_dict` reads back what `Answer.to_dict` wrote, so a saved
conversation reopens with every source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qa.answer import Answer, Citation, Refusal, TimelineEntry

REFUSAL_TITLE = "The articles don't say."


# ---- reading back a saved answer -------------------------------------------------------------------
def citation_from_dict(d: dict[str, Any]) -> Citation:
    """A Citation from `Citation.to_dict()` output; unknown keys are ignored."""
    fields = Citation.__dataclass_fields__
    return Citation(**{k: v for k, v in d.items() if k in fields})


def answer_from_dict(d: dict[str, Any]) -> Answer:
    """An Answer from `Answer.to_dict()` output (timings and debug as saved)."""
    refusal = d.get("refusal")
    return Answer(
        question=str(d.get("question", "")), answer=str(d.get("answer", "")), refused=bool(d.get("refused")),
        citations=[citation_from_dict(c) for c in d.get("citations") or []],
        closest=[citation_from_dict(c) for c in d.get("closest") or []],
        dropped_claims=list(d.get("dropped_claims") or []), mode=d.get("mode") or "llm",
        timings=dict(d.get("timings") or {}), debug=dict(d.get("debug") or {}),
        refusal=Refusal(refusal) if refusal in {r.value for r in Refusal} else None,
        refusal_detail=str(d.get("refusal_detail") or ""), notes=list(d.get("notes") or []),
        timeline=[TimelineEntry(**t) for t in d.get("timeline") or []],
    )


def saved_answer(answer: Answer) -> dict[str, Any]:
    """`Answer.to_dict()` without the bulky debug data (only what the chat shows: the understood query)."""
    out = answer.to_dict()
    debug = answer.debug or {}
    out["debug"] = {k: debug[k] for k in ("query", "drafts") if k in debug}
    return out


# ---- one answer --------------------------------------------------------------------------------------
def _date(c: Citation) -> str:
    if not c.published:
        return "undated"
    return f"{c.published} (estimated)" if c.published_estimated else c.published


def refusal_reason(answer: Answer) -> str:
    """Why there is no answer, from the refusal code and detail (the chat's wording, as plain text)."""
    if answer.refusal in (Refusal.PART_MISSING, Refusal.NAME_MISSING):
        return f"They do not cover every part of the question: {answer.refusal_detail}."
    return ""


def filters_text(filters: dict[str, Any] | None) -> str:
    """'Euronews, since 2018-07-01' for the filters a question was asked with; '' when none."""
    if not filters:
        return ""
    parts = list(filters.get("sources") or [])
    if filters.get("since"):
        parts.append(f"since {filters['since']}")
    if filters.get("until"):
        parts.append(f"until {filters['until']}")
    return ", ".join(parts)


def _body(answer: Answer) -> str:
    if answer.refused:
        return " ".join(x for x in (REFUSAL_TITLE, refusal_reason(answer)) if x)
    if answer.timeline:
        lines = [f"- {t.published} {t.source}: \u201c{t.text}\u201d [{t.n}]{' (newest)' if t.newest else ''}"
                 for t in answer.timeline]
        return "Timeline of the reports, oldest first:\n" + "\n".join(lines)
    return answer.answer.strip()


def _sources(answer: Answer) -> tuple[str, list[Citation]]:
    if answer.refused:
        return "Closest matches (not citations)", list(answer.closest)
    return "Sources", list(answer.citations)


def _reference(c: Citation, markdown: bool) -> str:
    if markdown:
        title = f"[{c.title or c.article_id}]({c.url})" if c.url else (c.title or c.article_id)
        return f"[{c.n}] {title} \u2014 {c.source or 'unknown outlet'}, {_date(c)}\n    > \u201c{c.quote}\u201d"
    url = f" <{c.url}>" if c.url else ""
    return f"[{c.n}] {c.title or c.article_id} \u2014 {c.source or 'unknown outlet'}, {_date(c)}{url}\n    \u201c{c.quote}\u201d"


def _render(answer: Answer, filters: dict[str, Any] | None, markdown: bool) -> str:
    """The text with its [n] markers, then numbered references with their quotes, in Markdown or plain text."""
    out = [_body(answer)]
    if answer.refused and filters_text(filters):
        out.append(f"*Searched only: {filters_text(filters)}.*" if markdown else f"Searched only: {filters_text(filters)}.")
    head, cites = _sources(answer)
    if cites:
        out.append(f"**{head}**\n\n" + "\n".join(_reference(c, True) for c in cites) if markdown
                   else f"{head}:\n" + "\n".join(_reference(c, False) for c in cites))
    return "\n\n".join(out).strip() + "\n"


def answer_markdown(answer: Answer, filters: dict[str, Any] | None = None) -> str:
    """The answer in Markdown: the text with its [n] markers, then numbered references with their quotes."""
    return _render(answer, filters, markdown=True)


def answer_plain(answer: Answer, filters: dict[str, Any] | None = None) -> str:
    """The answer as plain text: the text with its [n] markers, then numbered references with their quotes."""
    return _render(answer, filters, markdown=False)


# ---- a conversation ------------------------------------------------------------------------------------
def conversation_markdown(title: str, turns: Sequence[dict[str, Any]], link: str = "") -> str:
    """A whole conversation: each question, its answer and its numbered sources, in Markdown."""
    out = [f"# {title or 'citewire conversation'}"]
    if link:
        out.append(f"Reopen: <{link}>")
    for i, turn in enumerate(turns, 1):
        answer = turn["answer"] if isinstance(turn["answer"], Answer) else answer_from_dict(turn["answer"])
        out.append(f"## {i}. {answer.question}")
        if filters_text(turn.get("filters")):
            out.append(f"*Filters: {filters_text(turn.get('filters'))}*")
        out.append(answer_markdown(answer, turn.get("filters")).strip())
    return "\n\n".join(out) + "\n"


def conversation_json(conversation_id: str, title: str, turns: Sequence[dict[str, Any]],
                      created: str = "", updated: str = "") -> dict[str, Any]:
    """A whole conversation as JSON: id, title, and every turn's question, filters and full answer."""
    return {
        "id": conversation_id, "title": title, "created": created, "updated": updated,
        "turns": [{"question": (t["answer"].question if isinstance(t["answer"], Answer) else t["answer"].get("question", "")),
                   "filters": t.get("filters") or {},
                   "answer": saved_answer(t["answer"]) if isinstance(t["answer"], Answer) else t["answer"]}
                  for t in turns],
    }
