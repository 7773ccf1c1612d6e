"""The answering pipeline: rewrite -> retrieve -> pick evidence -> decide -> phrase (LLM) -> verify -> Answer.

Correctness never rests on the model: the evidence is found and the answerability decided before the LLM is
called, and what the LLM writes is kept only where a cited source supports it. When the phrasing fails that
check but the LLM says the best sentence answers the question, the answer quotes that sentence instead.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from index.chunks import split_sentences
from index.embed import get_embedder
from index.settings import Settings
from index.store import IndexError_, Store
from qa.accept import AcceptModel, claim_features, load_model
from qa.answer import (
    REFUSAL_PREFIX,
    Answer,
    Citation,
    Dropped,
    Evidence,
    Mode,
    QuestionError,
    Refusal,
    TimelineEntry,
)
from qa.checks import enabled
from qa.checks.agreement import AGREEMENT_CHECK, agreement
from qa.checks.corroborate import CORROBORATE_CHECK
from qa.checks.llm_check import LLM_CHECK
from qa.checks.missing_names import MISSING_NAMES_CHECK, missing_names
from qa.checks.open_reader import OPEN_READER_CHECK
from qa.checks.question_coverage import QUESTION_COVERAGE_CHECK
from qa.checks.reader import READER_CHECK
from qa.checks.relevance import RELEVANCE_CHECK
from qa.checks.rerank import RERANK_CHECK
from qa.checks.spelling import SPELLING_CHECK
from qa.cite import SupportFacts, Verified, Weigh, corroborate, verify
from qa.dates import question_time_hint
from qa.evidence import EvidenceItem, EvidenceSet, newest_first_note, select_evidence, sentences
from qa.llm import LLM, make_llm
from qa.multi import (
    YesNo,
    asked_order,
    candidates,
    choice_options,
    dated_reports,
    decide_yes_no,
    described,
    first_two_dates,
    gather,
    naming,
    oldest_first,
    positive_form,
    published_in_order,
    yes_threshold,
)
from qa.plan import Plan, make_plan, timeline_topic
from qa.quotes import faithful, insert_after
from qa.retrieve import Filters, Passage, retrieve
from qa.text import source_words
from qa.timeline import timeline_items

log = logging.getLogger(__name__)
NO_EVIDENCE_DETAIL = "no passage is close enough"  # the gate's refusal detail (eval rows: `refusal_reason`)

History = Sequence[Any]  # [{"role", "content"}] or [(user, assistant)] pairs
_FOLLOW_UP = re.compile(r"\b(it|its|that|this|those|these|there|then|he|she|him|her|they|them|their|what about|and|also|same)\b", re.I)


def focused(query: str, plan: Plan, filters: Filters) -> tuple[str, Filters]:
    """The single-fact query and filters for a question that names one report ("..., according to the Euronews
    report?"): its words without the mention, filtered to that outlet, unless the caller already filters by
    source; any other question as it is."""
    if plan.focus and not filters.sources:
        return plan.focus, Filters(filters.since, filters.until, tuple(plan.named_outlets))
    return query, filters


@lru_cache(maxsize=8)
def prompt(name: str) -> str:
    return resources.files("qa").joinpath("prompts", f"{name}.txt").read_text(encoding="utf-8").strip()


def prompt_messages(kind: str, **fields: str) -> list[dict[str, str]]:
    """The chat for the prompt pair `qa/prompts/<kind>_system.txt` + `<kind>_user.txt`, the user's filled in."""
    return [{"role": "system", "content": prompt(f"{kind}_system")},
            {"role": "user", "content": prompt(f"{kind}_user").format(**fields)}]


def normalise_history(history: History | None) -> list[dict[str, str]]:
    """Accept OpenAI-style messages or (user, assistant) pairs; return messages."""
    out: list[dict[str, str]] = []
    for turn in history or []:
        if isinstance(turn, dict) and turn.get("content"):
            out.append({"role": str(turn.get("role", "user")), "content": str(turn["content"])})
        elif isinstance(turn, list | tuple) and len(turn) == 2:
            for role, content in zip(("user", "assistant"), turn, strict=True):
                if content:
                    out.append({"role": role, "content": str(content)})
    return out


class Engine:
    """Holds the loaded parts (index, embedder, LLM) for one Settings; `ask_stream` is thread-safe."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._llm: LLM | None = None
        self._accept: AcceptModel | None = None

    @property
    def accept_model(self) -> AcceptModel:
        """The claim acceptance model (qa/accept.py), read when a claim is first weighed."""
        if self._accept is None:
            self._accept = load_model()
        return self._accept

    @accept_model.setter
    def accept_model(self, model: AcceptModel) -> None:
        self._accept = model

    def share_models(self, other: Engine) -> None:
        """Use another engine's loaded index and LLM (an ablation run differs only in its settings)."""
        self._store, self._llm = other.store, other.llm

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings)
        return self._store

    @property
    def llm(self) -> LLM:
        if self._llm is None:
            self._llm = make_llm(self.settings)
        return self._llm

    @property
    def embedder(self) -> Any:
        return get_embedder(self.settings.embedding_model, self.settings.embed_batch_size)

    # ---- public ------------------------------------------------------------------------------
    def ask(self, question: str, history: History | None = None, **options: Any) -> Answer:
        result = None
        for event in self.ask_stream(question, history, **options):
            if isinstance(event, Answer):
                result = event
        assert result is not None
        return result

    def evidence(self, question: str, filters: Filters | None = None,
                 top_k: int | None = None) -> tuple[list[Passage], EvidenceSet]:
        """The single-fact path's retrieve and pick-evidence stages alone, with no LLM: the passages retrieved for
        `question` and the evidence sentences a draft would be shown (for benchmarks and tools)."""
        run = _Run(time.perf_counter())
        found = self._retrieve(question, filters or Filters(), top_k, run)
        return found.passages, self._pick_evidence(question, found, run)

    def ask_stream(self, question: str, history: History | None = None, *, top_k: int | None = None,
                   since: str | None = None, until: str | None = None, sources: Sequence[str] | None = None,
                   cancel: threading.Event | None = None) -> Iterator[str | Evidence | Answer]:
        """Yield an `Evidence` (sources found), then the LLM's text pieces, then the final verified `Answer`.
        Once `cancel` is set (Stop), no further claim is put to the LLM: the one context is free at once for the
        next question, and whatever is still yielded is thrown away by the caller.

        The stages, in order: plan (rewrite a follow-up, read the question's parts) -> retrieve -> pick evidence
        -> decide (refuse before the LLM when nothing is close) -> draft -> verify (the named checks of
        qa/checks/) -> corroborate -> compose. Questions across reports and timelines branch off after the plan."""
        run = _Run(time.perf_counter())
        question = self._check_question(question)
        if self.store.counts()[1] == 0:
            raise IndexError_(f"nothing is indexed in {self.settings.data_dir} yet; run `citewire ingest` first")
        query = self._standalone(question, normalise_history(history))
        run.timings["rewrite_s"] = time.perf_counter() - run.t0
        filters = Filters(since, until, tuple(sources or ()))
        plan = make_plan(query, self.store.sources())
        if plan.kind == "timeline":
            yield from self._timeline(question, plan, filters, run.timings, run.t0)
            return
        if plan.multi:
            yield from self._ask_parts(question, plan, filters, run.timings, run.t0)
            return
        query, filters = focused(query, plan, filters)  # a named report is a filter, not words
        found = self._retrieve(query, filters, top_k, run)
        evidence = self._pick_evidence(query, found, run)
        shown = evidence.items[:self.settings.evidence_sentences]
        yield Evidence([self._citation(i + 1, e) for i, e in enumerate(shown)], evidence.plausible)
        if not evidence.plausible:  # decide
            yield self._refusal(question, evidence, run.timings, run.debug, run.t0, Refusal.NO_EVIDENCE,
                                NO_EVIDENCE_DETAIL)
            return
        judge = _Judge(self, query, evidence, run.debug, cancel)
        evidence = judge.evidence = self._rerank(evidence, judge, run)
        checked = yield from self._draft_and_verify(query, evidence, judge, run)
        if checked and checked.claims:
            yield self._corroborate_and_compose(question, query, checked, evidence, found, judge, run)
        else:
            yield self._quote_or_refuse(question, checked, evidence, judge, run)

    # ---- single-fact stages --------------------------------------------------------------------
    def _retrieve(self, query: str, filters: Filters, top_k: int | None, run: _Run) -> _Found:
        """Hybrid retrieval of twice k passages: the first k are the evidence, the rest a pool for a second
        source of the same answer."""
        hint = question_time_hint(query)
        qvec = self.embedder.encode([query])[0]
        k = top_k or self.settings.top_k
        prefer = (hint.since, hint.until) if hint.since and hint.until else None
        passages = retrieve(self.store, self.embedder, query, 2 * k, self.settings.candidates, filters, qvec,
                            hint.prefer_recent, prefer)
        run.timings["retrieve_s"] = time.perf_counter() - run.t0 - run.timings.get("rewrite_s", 0.0)
        run.debug.update({"query": query, "filters": filters.__dict__,
                          "passages": [{"chunk_id": p.chunk_id, "rrf": round(p.score, 4), "dense": round(p.dense, 3)}
                                       for p in passages[:k]]})
        return _Found(qvec, passages[:k], passages[k:])

    def _pick_evidence(self, query: str, found: _Found, run: _Run) -> EvidenceSet:
        """Score every sentence of the passages; the best few are the evidence, numbered [1].. to the end."""
        s = self.settings
        n = max(s.evidence_sentences, s.rerank_candidates) if self._reranks() else s.evidence_sentences
        evidence = select_evidence(query, found.qvec, found.passages, self.embedder, n,
                                   s.refusal_threshold, s.evidence_margin, s.disabled_checks, s.evidence_rank_model,
                                   s.refusal_threshold_long)
        self._add_article_words(evidence.items + evidence.reserve)
        run.timings["evidence_s"] = time.perf_counter() - run.t0
        run.debug["gate"] = {"score": round(evidence.best_score, 3), "long": evidence.best_long,
                             "threshold": evidence.threshold, "plausible": evidence.plausible}
        run.debug["evidence"] = [{"article_id": e.passage.article.id, "score": round(e.score, 3),
                                  "rank": round(e.rank, 3), "sim": round(e.sim, 3), "coverage": round(e.coverage, 3),
                                  "text": e.text}
                                 for e in evidence.items]
        return evidence

    def _reads(self, query: str) -> bool:
        """Does the reader check apply: an LLM that checks claims, and a question that asks for a value?"""
        s = self.settings
        return (s.llm_check and enabled(s, "reader") and self.llm.name != "none" and READER_CHECK.applies(query))

    def _reads_open(self, query: str) -> bool:
        """Does the open reader check apply: an LLM that checks claims, and a question that asks no value?"""
        s = self.settings
        return (s.llm_check and enabled(s, "open_reader") and self.llm.name != "none"
                and OPEN_READER_CHECK.applies(query))

    def _reranks(self) -> bool:
        s = self.settings
        return (s.rerank_candidates > 0 and enabled(s, "rerank") and s.llm_check and enabled(s, "llm_check")
                and self.llm.name != "none")

    def _rerank(self, evidence: EvidenceSet, judge: _Judge, run: _Run) -> EvidenceSet:
        """Order the candidate sentences by score + weight x the LLM's P(yes) that each answers the question
        (`qa/checks/rerank.py`); the best `evidence_sentences` are the evidence, the rest join the reserve."""
        s = self.settings
        if not self._reranks():
            return evidence
        t = time.perf_counter()
        cands = evidence.items
        p_yes = [judge.p_answer(e) for e in cands]
        pairs = RERANK_CHECK.order(list(zip(cands, p_yes, strict=True)), [e.score for e in cands], p_yes,
                                   s.rerank_weight)
        run.timings["rerank_s"] = time.perf_counter() - t
        run.debug["rerank"] = [{"article_id": e.passage.article.id, "score": round(e.score, 3), "p_yes": round(p, 3),
                                "text": e.text} for e, p in pairs]
        ordered = [e for e, _ in pairs]
        kept, rest = ordered[:s.evidence_sentences], ordered[s.evidence_sentences:]
        return EvidenceSet(kept, evidence.best_score, evidence.plausible,
                           rest + [e for e in evidence.reserve if e not in rest], best_long=evidence.best_long,
                           threshold=evidence.threshold)

    def _draft_and_verify(self, query: str, evidence: EvidenceSet, judge: _Judge,
                          run: _Run) -> Generator[str, None, Verified | None]:
        """Draft with the LLM (streamed), keep the claims the checks pass; small models do better with less, so
        when the draft over all evidence fails (or says "I don't know"), once more with the best sentence."""
        llm, checked = self.llm, None
        t_llm = time.perf_counter()
        typed = [e for e in evidence.items if e.typed][:1] or evidence.items[:1]
        for attempt, items in enumerate((evidence.items, typed)):
            if llm.name == "none" or (attempt and (checked is None or checked.claims or checked.pointed_at)):
                break
            if attempt:
                yield "\n"
            draft = ""
            for piece in llm.stream(self._answer_messages(query, items), self.settings.llm_max_tokens):
                run.timings.setdefault("first_token_s", time.perf_counter() - run.t0)
                draft += piece
                yield piece
            run.debug.setdefault("drafts", []).append(draft)
            t_verify = time.perf_counter()
            weigh = judge.weigher(items) if self.settings.claim_accept_model else None
            checked = _renumbered(verify(draft, query, items, self.embedder, enabled(self.settings, "answer_type"),
                                         weigh), items, evidence.items)
            if checked.verdicts:  # answer_type dropped the claims
                run.debug.setdefault("verdicts", []).extend(checked.verdicts)
            if weigh is None:  # (the acceptance model has already weighed the LLM's checks)
                checked = _judged(checked, judge.confirms)
            if self._reads(query):
                checked = _read_back(checked, judge.read_back)
            elif self._reads_open(query):
                checked = _kept(checked, lambda text, nums: nums if judge.cited_answers(text, nums) else [],
                                Dropped.UNANSWERED, "no cited sentence, read alone, answers the question")
            run.debug.setdefault("draft_drops", []).append([f"{d['code']}: {d['reason']}" for d in checked.dropped])
            run.timings["verify_s"] = run.timings.get("verify_s", 0.0) + time.perf_counter() - t_verify
        run.timings["llm_s"] = time.perf_counter() - t_llm - run.timings.get("verify_s", 0.0)
        if checked and checked.claims:  # recorded only: the LLM's claim and relevance checks have judged the claims
            covered = max(max(evidence.items[n - 1].coverage for n in nums) for _, nums in checked.claims)
            run.debug["coverage"] = round(covered, 3)
        return checked

    def _corroborate_and_compose(self, question: str, query: str, checked: Verified, evidence: EvidenceSet,
                                 found: _Found, judge: _Judge, run: _Run) -> Answer:
        """Cite a second article that supports each kept claim (or gives its value), then write the answer."""
        pool = evidence.items + evidence.reserve
        skip = self.settings.disabled_checks

        def more() -> list[EvidenceItem]:
            known = {(e.passage.article.id, e.start) for e in pool}
            extra = [e for e in sentences(query, found.further, skip) if (e.passage.article.id, e.start) not in known]
            self._add_article_words(extra)
            return extra

        extra = CORROBORATE_CHECK.extra_citations(self.settings)
        claims = corroborate(checked.claims, query, pool, self.embedder, extra, more,
                             judge.judge if self.llm.name != "none" and self.settings.llm_check else None)
        text, citations, notes = self._compose(claims, pool)
        run.debug["reattributed"] = checked.reattributed
        return self._finish(Answer(question, text, False, citations, dropped_claims=checked.dropped, mode="llm",
                                   notes=notes), run.timings, run.debug, run.t0)

    def _quote_or_refuse(self, question: str, checked: Verified | None, evidence: EvidenceSet, judge: _Judge,
                         run: _Run) -> Answer:
        """No claim survived: quote the best sentence when it answers the question, else refuse, saying why."""
        dropped = checked.dropped if checked else []
        pointed = checked.pointed_at if checked else []
        quoted = pointed[0] if pointed else 1
        quote = evidence.items[quoted - 1]
        run.debug.setdefault("coverage", round(quote.coverage, 3))
        # the LLM's calibrated "does the sentence answer the question?" (its own threshold, `quote_threshold`)
        # decides a quote; without an LLM, the sentence must hold enough of the question's words
        if not quote.typed:  # not of the asked kind: no LLM call spent on it
            quotable = False
        elif self.llm.name == "none":
            quotable = not enabled(self.settings, "question_coverage") or \
                QUESTION_COVERAGE_CHECK.verdict(quote.coverage, self.settings.min_question_coverage).ok
        else:
            quotable = judge.confirms(quoted)
        if quotable:
            text, citations, notes = self._compose(self._extractive(evidence, pointed), evidence.items, quote=True)
            return self._finish(Answer(question, text, False, citations, dropped_claims=dropped, mode="extractive",
                                       notes=notes), run.timings, run.debug, run.t0)
        if checked is None or checked.said_unknown:
            ans = self._refusal(question, evidence, run.timings, run.debug, run.t0, Refusal.NOT_FOUND,
                                "the LLM found no answer in the passages")
        else:
            ans = self._refusal(question, evidence, run.timings, run.debug, run.t0, Refusal.UNSUPPORTED,
                                "no drafted claim was supported")
        ans.dropped_claims = dropped
        return ans

    # ---- questions across reports -------------------------------------------------------------
    def _ask_parts(self, question: str, plan: Plan, filters: Filters, timings: dict[str, float],
                   t0: float) -> Iterator[str | Evidence | Answer]:
        """plan -> gather per part -> decide (entity by agreement, date order, or calibrated yes/no) -> compose."""
        store = self.store
        parts = gather(plan, store, self.embedder, self.settings, filters)
        items = [pe.items[0] for pe in parts if pe.found]
        timings["evidence_s"] = time.perf_counter() - t0
        debug: dict[str, Any] = {
            "query": plan.question, "filters": filters.__dict__, "plan": plan.to_dict(),
            "parts": [{"text": pe.part.text, "outlets": pe.part.outlets, "articles": pe.articles[:3],
                       "sentence": pe.items[0].text if pe.found else None} for pe in parts],
            "evidence": [{"article_id": e.passage.article.id, "score": round(e.score, 3), "text": e.text} for e in items],
        }
        yield Evidence([self._citation(i + 1, e) for i, e in enumerate(items)], bool(items))
        missing = [pe for pe in parts if not pe.found]
        unknown = missing_names(plan.question, lambda w: bool(store.keyword_search(w, 1)), store.sources()) \
            if enabled(self.settings, "missing_names") and MISSING_NAMES_CHECK.applies(plan.question) else []
        debug["missing_names"] = unknown
        names = MISSING_NAMES_CHECK.verdict(unknown, self.settings)
        if missing or not names.ok:
            what = (f"nothing from {', '.join(missing[0].part.outlets) or 'any outlet'} about "
                    f"“{_short(missing[0].part.text, 120)}”" if missing else names.detail)
            code = Refusal.PART_MISSING if missing else Refusal.NAME_MISSING
            ans = self._refusal(question, _as_set(items), timings, debug, t0, code, what)
            ans.answer = f"{REFUSAL_PREFIX} They do not cover every part of the question: {what}."
            yield ans
            return
        cited = items  # one line per part, in the question's order, unless the verdict orders them
        mode: Mode = "extractive"
        dated_order = False  # the lines listed oldest first (a question about reports over time or their order)
        options = choice_options(plan.question)
        if plan.kind == "name":
            found = candidates(plan.question, parts, store.sources())
            debug["candidates"] = found[:5]
            if found and enabled(self.settings, "spelling") and SPELLING_CHECK.applies(plan.question):
                spelling, fitting = SPELLING_CHECK.verdict(plan.question, [c[0] for c in found])
                debug["spelling"] = spelling.as_dict()
                if not spelling.ok:
                    yield self._refusal(question, _as_set(items), timings, debug, t0, Refusal(spelling.code),
                                        spelling.detail)
                    return
                found = [c for c in found if c[0] in fitting]
            if not found:
                yield self._refusal(question, _as_set(items), timings, debug, t0, Refusal.NO_COMMON_NAME,
                                    "no name common to the reports")
                return
            head = found[0][0]
            cited = naming(parts, head)
            cited += described(plan, store, self.embedder, self.settings, filters, cited)  # one per description
        elif plan.kind == "fact":  # neither a name nor yes/no asked ("How ...?"): each part's cited sentence
            head = ""
        elif options and options[0].lower() == "before" and (dates := first_two_dates(parts)):
            head = options[0].capitalize() if dates[0] <= dates[1] else options[1].capitalize()
            dated_order = True
        elif (order := asked_order(plan.question)) and (in_order := published_in_order(parts, order)) is not None:
            head = "Yes" if in_order else "No"
            dated_order = True
        else:
            positive = positive_form(plan.question)  # asked "consistent?", answered the other way round
            signals = decide_yes_no(positive or plan.question, parts, self.llm.yes_probability,
                                    prompt("yes_no_system"), prompt("yes_no_user")) \
                if self.llm.name != "none" else YesNo(1.0, [])
            yes = (signals.p_yes >= yes_threshold(plan.kind, self.settings)) != bool(positive)
            if positive:
                debug["asked_as"] = positive
            debug["p_yes"] = round(signals.p_yes, 3)
            debug["p_yes_whole"], debug["p_yes_parts"] = round(signals.whole, 3), [round(p, 3) for p in signals.parts]
            mode = "llm" if self.llm.name != "none" else "extractive"
            head = (options[0] if yes else options[1]).capitalize() if options else ("Yes" if yes else "No")
            dated_order = plan.kind == "temporal"
        if plan.kind != "name":  # every report named by its day is cited (a name's clauses have `described`)
            dated = dated_reports(plan, store, self.embedder, self.settings, filters, cited)
            debug["dated_reports"] = [e.passage.article.id for e in dated]
            cited = cited + dated
        if dated_order:
            cited = oldest_first(cited)
        claims = [(f"{e.passage.article.source} ({e.passage.article.published or 'undated'}): \u201c{e.text}\u201d",
                   [i + 1]) for i, e in enumerate(cited)]
        text, citations, notes = self._compose(claims, cited, quote=True)
        yield self._finish(Answer(question, f"{head}. {text}" if head else text, False, citations, mode=mode,
                                  notes=notes), timings, debug, t0)

    def _timeline(self, question: str, plan: Plan, filters: Filters, timings: dict[str, float],
                  t0: float) -> Iterator[str | Evidence | Answer]:
        """One dated, cited line per article about the question, oldest first, the newest marked."""
        topic = timeline_topic(plan.question)
        evidence = self.timeline_evidence(topic, filters)
        dated = timeline_items(evidence.ranked, self.settings.timeline_threshold)
        debug: dict[str, Any] = {"query": plan.question, "topic": topic, "filters": filters.__dict__,
                                 "plan": plan.to_dict(),
                                 "evidence": [{"article_id": e.passage.article.id, "score": round(e.score, 3),
                                               "text": e.text} for e in dated]}
        timings["evidence_s"] = time.perf_counter() - t0
        yield Evidence([self._citation(i + 1, e) for i, e in enumerate(dated)], len(dated) >= 2)
        if len(dated) < 2:
            yield self._refusal(question, evidence, timings, debug, t0, Refusal.NO_EVIDENCE,
                                "fewer than two articles report on it")
            return
        newest = max(e.passage.article.published or "" for e in dated)
        entries = [TimelineEntry(i, e.passage.article.published or "undated", e.passage.article.source, e.text,
                                 bool(newest) and e.passage.article.published == newest)
                   for i, e in enumerate(dated, start=1)]
        lines = [f"{t.published} \u00b7 {t.source}: \u201c{t.text}\u201d [{t.n}]{' (newest)' if t.newest else ''}"
                 for t in entries]
        answer = Answer(question, "Timeline of the reports, oldest first:\n" + "\n".join(lines), False,
                        [self._citation(i, e) for i, e in enumerate(dated, start=1)], mode="extractive",
                        timeline=entries)
        yield self._finish(answer, timings, debug, t0)

    def timeline_evidence(self, topic: str, filters: Filters | None = None) -> EvidenceSet:
        """The sentences a timeline of `topic` picks from (`qa.timeline.timeline_items`): those of the passages
        retrieved for it, scored and ranked (no LLM; for benchmarks too)."""
        s, embedder = self.settings, self.embedder
        qvec = embedder.encode([topic])[0]
        passages = retrieve(self.store, embedder, topic, 3 * s.top_k, s.candidates, filters or Filters(), qvec)
        return select_evidence(topic, qvec, passages, embedder, 2 * s.top_k, s.refusal_threshold,
                               skip=s.disabled_checks, rank_model=s.evidence_rank_model)

    # ---- steps -------------------------------------------------------------------------------
    def _add_article_words(self, items: list[EvidenceItem]) -> None:
        """Give each evidence sentence the words of its whole article: a name said once, then "he"."""
        words: dict[str, set[str]] = {}
        for e in items:
            a = e.passage.article
            if a.id not in words:
                words[a.id] = source_words(f"{a.title} {self.store.article_text(a.id)}")
            e.article_words = words[a.id]

    def _p_yes(self, question: str, claim: str, item: EvidenceItem) -> float:
        """The LLM's probability that the sentence says the claim (or, with no claim, answers the question)."""
        if not (self.settings.llm_check and enabled(self.settings, "llm_check")):
            return 1.0
        return self._ask_yes("claim" if claim else "check", question=question, claim=claim, sentence=item.annotated)

    def _p_answers(self, question: str, claim: str) -> float:
        """The LLM's probability that the claim answers the question asked (not a neighbouring one: another
        role, year, title or event), whatever its source says: truth and relevance are checked apart."""
        if not (self.settings.llm_check and enabled(self.settings, "relevance")):
            return 1.0
        return self._ask_yes("answers", question=question, claim=claim)

    def _read(self, question: str, item: EvidenceItem, kind: str = "read") -> str:
        """The LLM's short answer to the question from the sentence alone ("none" when it gives none); `kind`
        names the prompt pair: "read" for a value, "read_open" for the answering words of an open question."""
        chat = prompt_messages(kind, sentence=item.annotated, question=question)
        return "".join(self.llm.stream(chat, 24, stop=["\n"])).strip()

    def _ask_yes(self, kind: str, **fields: str) -> float:
        """P(yes) to the yes/no prompt pair `qa/prompts/<kind>_system.txt` + `<kind>_user.txt`, filled in."""
        return self.llm.yes_probability(prompt_messages(kind, **fields))

    def _check_question(self, question: str) -> str:
        q = " ".join((question or "").split())
        if not q:
            raise QuestionError("the question is empty; type a question about the articles")
        if len(q) > self.settings.max_question_chars:
            raise QuestionError(f"the question is {len(q)} characters, over the limit of {self.settings.max_question_chars}; shorten it")
        return q

    def _standalone(self, question: str, messages: list[dict[str, str]]) -> str:
        """Rewrite a follow-up ('And where?') into a standalone question using the conversation."""
        users = [m["content"] for m in messages if m["role"] == "user"]
        if not users or not (_FOLLOW_UP.search(question) or len(question.split()) <= 3):
            return question  # a question that stands on its own is not rewritten
        llm = self.llm
        if llm.name != "none":
            convo = "\n".join(f"{m['role']}: {_short(m['content'])}" for m in messages[-4:])
            chat = prompt_messages("rewrite", history=convo, question=question)
            rewritten = "".join(llm.stream(chat, 48)).strip().strip('"').splitlines()
            if rewritten and 3 <= len(rewritten[0]) <= 300:
                return rewritten[0].strip()
        return f"{users[-1]} {question}"

    def _answer_messages(self, question: str, items: list[EvidenceItem]) -> list[dict[str, str]]:
        lines = []
        for i, e in enumerate(items, start=1):
            a = e.passage.article
            date = f", {a.published}" if a.published else ""
            lines.append(f"[{i}] ({a.source or a.title}{date}) {e.annotated}")
        return prompt_messages("answer", sources="\n".join(lines), question=question)

    @staticmethod
    def _extractive(evidence: EvidenceSet, pointed: list[int] | None = None) -> list[tuple[str, list[int]]]:
        """Quote the best evidence (or the source the LLM pointed at) instead of phrasing it."""
        items = evidence.items
        if pointed:
            picked = [(pointed[0], items[pointed[0] - 1])]
        else:
            picked = [(1, items[0])]
            if len(items) > 1 and items[1].score >= 0.9 * items[0].score and items[1].typed:  # near-tie: quote both
                picked.append((2, items[1]))
        out = []
        for n, e in picked:
            dates = f" ({'; '.join(e.resolved)})" if e.resolved else ""
            out.append((f"{e.passage.article.source or e.passage.article.title} reported: \u201c{e.text}\u201d{dates}", [n]))
        return out

    def _compose(self, claims: list[tuple[str, list[int]]], items: list[EvidenceItem],
                 quote: bool = False) -> tuple[str, list[Citation], list[str]]:
        """Renumber citations in order of first use and put the markers at the end of each sentence."""
        order: dict[int, int] = {}
        parts = []
        for text, nums in claims:
            for n in nums:
                order.setdefault(n, len(order) + 1)
            markers = "".join(f"[{order[n]}]" for n in nums)
            body = text.rstrip()
            if quote or re.search(r"[.!?][\"'”’]$", body):
                end = ""  # a quotation closes the sentence: the marker follows it
            elif body.endswith((".", "!", "?")):
                body, end = body[:-1], body[-1]
            else:
                end = "."
            if not quote:
                body = faithful(body, [t for n in nums for t in (items[n - 1].text, items[n - 1].context)])
            body = re.sub(r"\[(?!\d{1,2}\])([^\]]+)\]", r"(\1)", body)  # resolved dates: "[25 July 2018]" -> "(...)"
            if not quote:
                body = _with_absolute_dates(body, [r for n in nums for r in items[n - 1].resolved])
            parts.append(f"{body} {markers}{end}")
        text = " ".join(parts)
        cited = [items[n - 1] for n in order]
        note = newest_first_note(cited)
        if note:
            text += f" {note}"
        return text, [self._citation(order[n], items[n - 1]) for n in order], [note] if note else []

    def _refusal(self, question: str, evidence: EvidenceSet, timings: dict[str, float], debug: dict[str, Any],
                 t0: float, code: Refusal, detail: str) -> Answer:
        closest = [self._citation(i + 1, e) for i, e in enumerate(evidence.items[:2])]
        text = REFUSAL_PREFIX
        if closest:
            c = closest[0]
            text += f" The closest they come: {c.source or c.title} ({c.published or 'undated'}) reports \u201c{c.quote}\u201d"
        debug["refusal_reason"] = detail
        return self._finish(Answer(question, text, True, [], closest=closest, mode="refused", refusal=code,
                                   refusal_detail=detail), timings, debug, t0)

    def _citation(self, n: int, e: EvidenceItem) -> Citation:
        a = e.passage.article
        before, after = self._context(e)
        return Citation(n=n, article_id=a.id, title=a.title, source=a.source, published=a.published, url=a.url,
                        quote=e.text, chunk_id=e.passage.chunk_id, start=e.start, end=e.end,
                        published_estimated=a.published_estimated, context_before=before, context_after=after,
                        resolved_dates=list(e.resolved), score=round(e.score, 3), page=a.page_at(e.start))

    def _context(self, e: EvidenceItem) -> tuple[str, str]:
        """One sentence either side of the quote, from the chunk text already in hand."""
        spans = split_sentences(e.passage.text, offset=e.passage.start)
        idx = next((i for i, s in enumerate(spans) if s.start == e.start), None)
        if idx is None:
            return "", ""
        p = e.passage
        before = p.text[spans[idx - 1].start - p.start: spans[idx - 1].end - p.start] if idx > 0 else ""
        after = p.text[spans[idx + 1].start - p.start: spans[idx + 1].end - p.start] if idx + 1 < len(spans) else ""
        return before, after

    @staticmethod
    def _finish(answer: Answer, timings: dict[str, float], debug: dict[str, Any], t0: float) -> Answer:
        timings["total_s"] = time.perf_counter() - t0
        answer.timings = timings
        answer.debug = debug
        return answer


@dataclass
class _Run:
    """What one question's stages share: its start time, the timings and the debug record."""

    t0: float
    timings: dict[str, float] = field(default_factory=dict)
    debug: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Found:
    """Retrieval's output: the question's vector, the evidence passages, and a further pool for corroboration."""

    qvec: Any
    passages: list[Passage]
    further: list[Passage]


class _Judge:
    """The LLM's calibrated yes/no on one sentence alone, for a claim ("is it true according to the source?")
    or, for a quote (no claim), for the question: catches a sentence with the question's words in another
    relation, which word overlap cannot. A claim whose answer value 2+ articles give passes at
    `check_threshold_agreed` (qa/checks/agreement.py). Every verdict is recorded in `debug["checks"]`, one
    row per (sentence, claim) named by its check ("check": "llm_check")."""

    def __init__(self, engine: Engine, query: str, evidence: EvidenceSet, debug: dict[str, Any],
                 cancel: threading.Event | None = None) -> None:
        self.engine, self.query, self.evidence, self.debug = engine, query, evidence, debug
        self.cancel = cancel  # set: the answer was stopped; every claim not yet checked fails, unasked
        self.verdicts: dict[tuple[str, int, str], bool] = {}
        self.relevant: dict[str, float] = {}
        self.answers: dict[tuple[str, int], float] = {}
        self.says: dict[tuple[str, int, str], float] = {}
        self.readings: dict[tuple[str, str, int], str] = {}

    def p_answer(self, item: EvidenceItem) -> float:
        """The LLM's P(yes) that the sentence alone answers the question (asked once per sentence: the rerank
        and the quote check share it)."""
        key = (item.passage.article.id, item.start)
        if key not in self.answers:
            self.answers[key] = self.engine._p_yes(self.query, "", item)
        return self.answers[key]

    def p_says(self, claim: str, item: EvidenceItem) -> float:
        """The LLM's P(yes) that the sentence says the claim (asked once per pair)."""
        key = (item.passage.article.id, item.start, claim)
        if key not in self.says:
            self.says[key] = self.engine._p_yes(self.query, claim, item)
        return self.says[key]

    def judge(self, claim: str, item: EvidenceItem) -> bool:
        key = (item.passage.article.id, item.start, claim)
        if key not in self.verdicts:
            if self.cancel is not None and self.cancel.is_set():
                return False
            s = self.engine.settings
            p_yes = self.p_says(claim, item) if claim else self.p_answer(item)
            agree = agreement(claim, self.query, self.evidence.items + self.evidence.reserve) if claim else 0
            agreed = AGREEMENT_CHECK.agreed(agree) and enabled(s, "agreement")
            ok = LLM_CHECK.verdict(p_yes, s, agreed, quote=not claim).ok
            p_rel = None
            if ok and claim:  # a true claim about a neighbouring question is no answer to this one
                if claim not in self.relevant:
                    self.relevant[claim] = self.engine._p_answers(self.query, claim)
                p_rel = self.relevant[claim]
                ok = RELEVANCE_CHECK.passes(p_rel, s)
            self.verdicts[key] = ok
            self.debug.setdefault("checks", []).append({
                "check": LLM_CHECK.name, "article_id": item.passage.article.id, "text": item.text, "claim": claim,
                "p_yes": round(p_yes, 3), "agree": agree, "p_rel": None if p_rel is None else round(p_rel, 3), "yes": ok})
        return self.verdicts[key]

    def reading(self, item: EvidenceItem, kind: str = "read") -> str:
        """The LLM's reading of the sentence alone: the value it gives the question ("read"), or for an open
        question its answering words ("read_open"); "none" when it gives none (asked once per prompt)."""
        key = (kind, item.passage.article.id, item.start)
        if key not in self.readings:
            if self.cancel is not None and self.cancel.is_set():
                return ""
            self.readings[key] = self.engine._read(self.query, item, kind)
        return self.readings[key]

    def cited_answers(self, claim: str, nums: list[int]) -> bool:
        """Does one of the claim's cited sentences, read alone with the (open) question, answer it? The first
        that does ends it; each reading is recorded in `debug["checks"]` (qa/checks/open_reader.py)."""
        for n in nums:
            item = self.evidence.items[n - 1]
            reading = self.reading(item, "read_open")
            ok = OPEN_READER_CHECK.answers(reading)
            self.debug.setdefault("checks", []).append({
                "check": OPEN_READER_CHECK.name, "article_id": item.passage.article.id, "text": item.text,
                "claim": claim, "reading": reading, "yes": ok})
            if ok:
                return True
        return False

    def read_back(self, claim: str, nums: list[int]) -> bool:
        """Does some evidence sentence, read alone, give the claim's answer? The cited sentences are read first,
        then the rest of the evidence; the first that agrees ends it. Each reading is recorded in `debug["checks"]`."""
        items = self.evidence.items
        for n in [*nums, *(m for m in range(1, len(items) + 1) if m not in nums)]:
            item = items[n - 1]
            reading = self.reading(item)
            ok = READER_CHECK.agrees(reading, claim)
            self.debug.setdefault("checks", []).append({
                "check": READER_CHECK.name, "article_id": item.passage.article.id, "text": item.text, "claim": claim,
                "reading": reading, "yes": ok})
            if ok:
                return True
        return False

    def confirms(self, n: int, claim: str = "") -> bool:
        return self.judge(claim, self.evidence.items[n - 1])

    def weigher(self, items: list[EvidenceItem]) -> Weigh:
        """`verify`'s weigh for a draft shown `items`: the claim acceptance model's P(right) and threshold."""
        return lambda claim, n, facts: (self.p_right(claim, items[n - 1], facts), self.engine.accept_model.threshold)

    def p_right(self, claim: str, item: EvidenceItem, facts: SupportFacts) -> float:
        """The claim acceptance model's probability that the claim, cited to `item`, is right (qa/accept.py);
        recorded in `debug["checks"]` with its features."""
        if self.cancel is not None and self.cancel.is_set():
            return 0.0
        s = self.engine.settings
        p_yes = self.p_says(claim, item)
        if claim not in self.relevant:
            self.relevant[claim] = self.engine._p_answers(self.query, claim)
        agree = agreement(claim, self.query, self.evidence.items + self.evidence.reserve) \
            if enabled(s, "agreement") else 0
        features = claim_features(facts, item, p_yes, self.relevant[claim], agree)
        model = self.engine.accept_model
        p = model.probability(features)
        self.debug.setdefault("checks", []).append({
            "check": "claim_accept", "article_id": item.passage.article.id, "text": item.text, "claim": claim,
            "p_yes": round(p_yes, 3), "p_rel": round(self.relevant[claim], 3), "agree": agree, "p_right": round(p, 3),
            "features": {k: round(v, 4) for k, v in features.items()}, "yes": p >= model.threshold})
        return p


def _renumbered(checked: Verified, items: list[EvidenceItem], all_items: list[EvidenceItem]) -> Verified:
    """The draft's [n] count within the `items` it was shown; from here on they count within all the evidence."""
    index = [all_items.index(e) + 1 for e in items]
    checked.claims = [(t, [index[n - 1] for n in nums]) for t, nums in checked.claims]
    checked.pointed_at = [index[n - 1] for n in checked.pointed_at]
    return checked


def _judged(checked: Verified, confirms: Callable[[int, str], bool]) -> Verified:
    """Keep each claim's citations whose sentence the LLM judges to say it; drop claims left with none."""
    return _kept(checked, lambda text, nums: [n for n in nums if confirms(n, text)], Dropped.CHECK_FAILED,
                 "asked whether the cited sentence says this, the LLM said no")


def _read_back(checked: Verified, read_back: Callable[[str, list[int]], bool]) -> Verified:
    """Drop the claims whose answer no evidence sentence, read alone, gives (qa/checks/reader.py)."""
    return _kept(checked, lambda text, nums: nums if read_back(text, nums) else [], Dropped.UNREAD,
                 "no evidence sentence, read alone, gives this answer")


def _kept(checked: Verified, keep: Callable[[str, list[int]], list[int]], code: Dropped, reason: str) -> Verified:
    """Each claim with the citations `keep` leaves it; a claim left with none is dropped, for `code` and `reason`."""
    claims = []
    for text, nums in checked.claims:
        if kept := keep(text, nums):
            claims.append((text, kept))
        else:
            checked.dropped.append({"claim": text, "code": code.value, "reason": reason})
    checked.claims = claims
    return checked


def _with_absolute_dates(text: str, resolved: list[str]) -> str:
    """'released on September 20th' -> '... September 20th (20 September 2019)' when the cited source resolved it
    (after the closing mark when the phrase is inside a quotation)."""
    for entry in resolved:
        phrase, _, value = entry.partition(" = ")
        if not value or value.lower() in text.lower():
            continue
        m = re.search(r"\b" + re.escape(phrase) + r"\b(?!,? \d{4}| \()", text, re.I)
        if m:
            text = insert_after(text, m.end(), value)
    return text


def _as_set(items: list[EvidenceItem]) -> EvidenceSet:
    return EvidenceSet(items, items[0].score if items else 0.0, bool(items))


def _short(text: str, n: int = 300) -> str:
    return text if len(text) <= n else text[:n] + "..."


_ENGINES: dict[Settings, Engine] = {}


def get_engine(settings: Settings | None = None) -> Engine:
    """One Engine per Settings, so the models load once per process."""
    s = settings or Settings.load()
    if s not in _ENGINES:
        _ENGINES[s] = Engine(s)
    return _ENGINES[s]
