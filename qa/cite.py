"""Check a drafted answer against its evidence: every claim must be supported by a source it cites.

Support is decided per (answer sentence, evidence sentence) pair from what the claim adds to the question:
its names and numbers must appear in the evidence (with relative dates resolved), most of its other content
words must too, and the two must be close in embedding space. No packaged NLI / cross-encoder model works
offline here, so this calibrated mix is the verifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from index.chunks import split_sentences
from index.embed import Embedder
from index.lexicon import MARKER, MARKER_LIST, MARKERS
from qa.answer import Dropped
from qa.checks.answer_type import ANSWER_TYPE_CHECK
from qa.dates import answer_date, dates_in_full
from qa.evidence import EvidenceItem
from qa.text import answer_name, covers, expected_type, key_terms, numbers, source_words, stems

_IDK = re.compile(r"\b(i don'?t know|i do not know|not (?:mentioned|stated|specified|provided)|no information|"
                  r"do(?:es)? not (?:say|mention|contain|provide|specify)|cannot (?:be )?(?:determined|answer))\b", re.I)
MIN_NEW_COVERAGE = 0.6
MIN_SIM = 0.3
MAX_ANSWER_CHECKS = 2  # LLM checks per claim spent looking for a second source giving the same answer


@dataclass
class Claim:
    text: str  # the sentence without its [n] markers
    cited: list[int]  # evidence numbers (1-based) the draft gave it


@dataclass
class Verified:
    claims: list[tuple[str, list[int]]] = field(default_factory=list)  # text, supporting evidence numbers
    dropped: list[dict[str, str]] = field(default_factory=list)
    reattributed: int = 0
    said_unknown: bool = False
    pointed_at: list[int] = field(default_factory=list)  # a bare "[2]" draft: the model points at a source
    verdicts: list[dict[str, Any]] = field(default_factory=list)  # a failing check's verdict per claim it dropped


def parse_draft(draft: str) -> list[Claim]:
    """Split a draft into sentences, each with the [n] markers that follow or sit inside it."""
    # a written-out list of markers is one group: "the sources [1], [2], and [3]" -> "the sources [1][2][3]"
    draft = MARKER_LIST.sub(lambda m: "".join(MARKER.findall(m.group(0))), draft.strip())
    # a marker after the full stop belongs to the sentence before it: "... 2019. [2]" -> "... 2019 [2]."
    draft = re.sub(r"([.!?])\s*((?:\[\d{1,2}(?:\s*,\s*\d{1,2})*\]\s*)+)", lambda m: " " + m.group(2).strip() + m.group(1) + " ", draft)
    claims: list[Claim] = []
    for span in split_sentences(draft):
        sentence = draft[span.start:span.end]
        cited = [int(n) for group in MARKERS.findall(sentence) for n in re.split(r"\s*,\s*", group)]
        text = re.sub(r"\s+([.,;:!?])", r"\1", MARKERS.sub("", sentence)).strip()
        if not text.strip(" .") and cited and claims:
            claims[-1].cited.extend(cited)  # "... 2019 [1]. [3]": a stray marker belongs to the sentence before
        elif text.strip(" .") or cited:
            claims.append(Claim(text, cited))
    return claims


def says_unknown(draft: str) -> bool:
    return bool(_IDK.search(draft)) or not draft.strip()


@dataclass(frozen=True)
class OffFacts:
    """How far a sentence is from what the question asks: the parts `off_question` rules on, kept as counts so
    the claim acceptance model (`qa/accept.py`) can weigh them instead of vetoing."""

    unsaid_numbers: tuple[str, ...]  # years / numbers of the question the sentence and headline do not say
    absent: tuple[str, ...]  # names of the question the whole article never mentions
    off_topic: tuple[str, ...]  # names of the question not in the sentence, its headline or the two before it
    question_keys: int  # how many names and numbers the question has
    conflict: str  # the sentence numbers another year or thing (item.conflict)

    def reason(self) -> str:
        """Why the sentence is not about what the question asks ("" when it is)."""
        if self.unsaid_numbers:
            return f"the source does not mention {self.unsaid_numbers[0]}"
        if len(self.absent) > self.question_keys // 4:  # names the question asks about the article never mentions
            return f"the source never mentions '{self.absent[0]}'"
        # one name may be missing from the sentence itself ("he said", "the U.S. president") if the article has
        # it; more if the two sentences before it name them ("... talks with Bolton in Moscow. The conference")
        if len(self.off_topic) > max(1, self.question_keys // 3):
            return f"the source is not about '{self.off_topic[0]}'"
        if self.conflict:
            return f"the source does not fit the question: {self.conflict}"
        return ""


@dataclass(frozen=True)
class SupportFacts:
    """What `support` decides from, for one (claim, evidence sentence) pair."""

    missing: tuple[str, ...]  # the claim's own names and numbers the sentence does not say
    new_words: int  # content words the claim adds to the question
    coverage: float  # share of those the sentence (with its headline) holds
    sim: float  # cosine of claim and sentence
    off: OffFacts

    def reason(self) -> str:
        """Why the sentence does not support the claim ("" when it does)."""
        if self.missing:
            return f"'{self.missing[0]}' is not in the source"
        if not self.new_words:
            return "restates the question without an answer"
        if self.coverage < MIN_NEW_COVERAGE:
            return "the source does not say this"
        off = self.off.reason()
        if off:
            return off
        if self.sim < MIN_SIM and self.coverage < 0.99:
            return "the source is about something else"
        return ""


def support_facts(claim: str, question: str, item: EvidenceItem, claim_vec: np.ndarray,
                  item_vec: np.ndarray) -> SupportFacts:
    """Measure how well one evidence sentence supports one claim."""
    ev = stems(f"{item.passage.article.title} {item.annotated}")
    q = stems(question)
    new = stems(claim) - covers(stems(claim), q)
    keys = key_terms(claim) - q - key_terms(question)  # (stems drop one-digit numbers: "Chronicles 2")
    # the claim's names and numbers must be in the sentence itself: a headline (or a snippet's first line used
    # as its title) can name someone the sentence is not about
    said = stems(item.annotated)
    said_numbers = numbers(item.annotated)
    missing = tuple(sorted(k for k in keys if (k not in said_numbers if k[0].isdigit() else not covers({k}, said))))
    coverage = len(covers(new, ev)) / len(new) if new else 0.0
    return SupportFacts(missing, len(new), coverage, float(np.dot(claim_vec, item_vec)), off_facts(question, item))


def support(claim: str, question: str, item: EvidenceItem, claim_vec: np.ndarray, item_vec: np.ndarray) -> tuple[bool, str]:
    """Does this evidence sentence support this claim? Returns (yes, reason when not)."""
    why = support_facts(claim, question, item, claim_vec, item_vec).reason()
    return not why, why


def off_facts(question: str, item: EvidenceItem) -> OffFacts:
    """Which of the question's names and numbers the sentence (one name may be said only elsewhere in the
    article) leaves out, and whether it fits the question."""
    evidence_text = f"{item.passage.article.title} {item.annotated}"
    ev = source_words(evidence_text)
    ev_numbers = numbers(evidence_text)
    q_keys = key_terms(question)
    off_topic = {k for k in q_keys - covers(q_keys, ev) if not (k[0].isdigit() and k in ev_numbers)}
    # a year or number the question hinges on ("the 2016 film", "Pixel 6") must be in the sentence or its headline;
    # a sentence that numbers another year or thing is the year and numbered checks' (item.conflict)
    unsaid = tuple(sorted(k for k in off_topic if k[0].isdigit()))
    off_topic = {k for k in off_topic if not k[0].isdigit()}
    # a name a whole article never mentions says the article is about something else; an excerpt (an article of
    # one passage: a search snippet, a few quoted sentences) holds too little for its silence to say so, and
    # the sentence rule (one name may be missing, `off_topic`) decides alone
    absent: tuple[str, ...] = ()
    if item.passage.article.n_chunks > 1:
        scope = item.article_words or source_words(f"{item.passage.article.title} {item.passage.text}")
        absent = tuple(sorted(off_topic - covers(off_topic, scope)))
    off_topic -= covers(off_topic, stems(item.before))
    return OffFacts(unsaid, absent, tuple(sorted(off_topic)), len(q_keys), item.conflict)


def off_question(question: str, item: EvidenceItem) -> str:
    """Why the sentence is not about what the question asks ("" when it is): the question's names and numbers
    must appear in it (one name may be said only elsewhere in the article), and it must fit the question."""
    return off_facts(question, item).reason()


def same_answer(claim: str, question: str, item: EvidenceItem) -> bool:
    """Does the sentence give the claim's answer to a when/who/which/where/how-many question (same date, same
    name, same number), while being about the question? Wording and side details may differ."""
    kind = expected_type(question)
    said = item.annotated
    if kind == "time":
        first, _ = answer_date(claim)
        found = bool(first) and first in answer_date(said)[1]
    elif kind in ("name", "place"):
        name = answer_name(claim, question)
        found = bool(name) and covers(name, stems(said)) == name
    elif kind == "number":
        figures = [n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)*", claim) if n not in question]
        found = bool(figures) and figures[0] in numbers(said)
    else:
        return False  # a what/why/how answer is a statement, not a value: only the full support test applies
    if not found or not item.typed or off_question(question, item):
        return False
    # and it is about what the question asks, not just its names ("Putin told reporters" for "who said X?")
    q = stems(question)
    return len(covers(q, stems(said))) >= MIN_NEW_COVERAGE * len(q)


Weigh = Callable[[str, int, SupportFacts], tuple[float, float]]  # (claim, n, facts) -> (P(right), threshold)


def verify(draft: str, question: str, evidence: list[EvidenceItem], embedder: Embedder,
           answer_type: bool = True, weigh: Weigh | None = None) -> Verified:
    """Keep the claims a cited source supports (re-attributing to another source when the cited one doesn't).

    Without `weigh`, a citation is kept when its `SupportFacts` raise no objection. With it (the claim
    acceptance model, `qa/accept.py`), every cited sentence is weighed, lexical objections included, and
    kept when `weigh(claim, n, facts)` returns a probability (and the threshold it must reach) that passes."""
    out = Verified(said_unknown=says_unknown(draft))
    claims = parse_draft(draft)
    if not claims or not evidence:
        return out
    if all(not c.text.strip(" .") for c in claims):
        out.pointed_at = [n for c in claims for n in c.cited if 1 <= n <= len(evidence)]
        return out
    claim_vecs, ev_vecs = _vectors([c.text for c in claims], evidence, embedder)
    for claim, cvec in zip(claims, claim_vecs, strict=True):
        if says_unknown(claim.text) and not [n for n in claim.cited if 1 <= n <= len(evidence)]:
            continue
        valid = [n for n in dict.fromkeys(claim.cited) if 1 <= n <= len(evidence)]
        facts = {n: support_facts(claim.text, question, evidence[n - 1], cvec, ev_vecs[n - 1]) for n in valid}
        good = [n for n in valid if not facts[n].reason()]
        reasons = [f"[{n}] {facts[n].reason()}" for n in valid if n not in good]
        if not good:
            # the right evidence may carry the wrong number (or none): look for it among the rest
            for n in range(1, len(evidence) + 1):
                if n not in valid:
                    more = support_facts(claim.text, question, evidence[n - 1], cvec, ev_vecs[n - 1])
                    if not more.reason():
                        good, facts[n] = [n], more
                        out.reattributed += 1
                        break
        code = Dropped.UNSUPPORTED
        candidates = [n for n in facts if facts[n].new_words]  # a restated question holds no answer to weigh
        if weigh is not None and candidates:
            good, reasons = _weighed(claim.text, candidates, facts, weigh, reasons)
            code = Dropped.UNLIKELY
        if good:
            out.claims.append((claim.text, good))
        else:
            reason = "; ".join(reasons) if reasons else "no source supports it"
            out.dropped.append({"claim": claim.text, "code": code.value, "reason": reason})
    verdict = ANSWER_TYPE_CHECK.verdict(question, [t for t, _ in out.claims]) if answer_type else None
    if verdict is not None and not verdict.ok:
        # e.g. a "who" question answered without naming anyone: supported, but not an answer
        out.dropped += [{"claim": t, "code": verdict.code, "reason": verdict.detail} for t, _ in out.claims]
        out.verdicts += [{**verdict.as_dict(), "claim": t} for t, _ in out.claims]
        out.claims = []
    return out


def _weighed(claim: str, candidates: list[int], facts: dict[int, SupportFacts], weigh: Weigh,
             objections: list[str]) -> tuple[list[int], list[str]]:
    """The candidates whose P(right) reaches the threshold; when none does, why (the best P and the guards'
    objections)."""
    scored = [(n, *weigh(claim, n, facts[n])) for n in candidates]
    kept = [n for n, p, t in scored if p >= t]
    if kept:
        return kept, []
    n, p, t = max(scored, key=lambda s: s[1])
    return [], [f"[{n}] P(right) {p:.2f} is under {t:.2f}" + (f" ({'; '.join(objections)})" if objections else "")]


def corroborate(claims: list[tuple[str, list[int]]], question: str, evidence: list[EvidenceItem], embedder: Embedder,
                extra: int, more: Callable[[], list[EvidenceItem]] | None = None,
                confirm: Callable[[str, EvidenceItem], bool] | None = None) -> list[tuple[str, list[int]]]:
    """Add to each claim up to `extra` citations of other articles whose sentence supports it as well.

    The model cites one source where several say the same; a second, independent source is what a reader
    checking the claim wants. It is held to the same support test as the first; failing that, for a question
    asking for a value (a date, a name, a number), a sentence of another article that gives the same value
    about the same question counts too when `confirm` (the LLM's check) agrees it answers the question.
    A date the cited sentences leave without its year (the year came from their publication dates) is
    corroborated first by a sentence that writes the date out in full, where one passes the same tests: that
    is the citation a reader can check the whole answer against.
    Sentences from `more()` (further passages, read only when needed) are appended to `evidence`, which the
    returned numbers index.
    """
    if extra <= 0 or not claims:
        return claims
    claim_vecs, ev_vecs = _vectors([t for t, _ in claims], evidence, embedder)
    scored = len(evidence)  # the sentences with embeddings, for the full support test
    kind = expected_type(question)
    by_value = kind in ("time", "name", "place", "number")
    out = []
    for (text, nums), cvec in zip(claims, claim_vecs, strict=True):
        found = _Corroboration(text, question, nums, {evidence[n - 1].passage.article.id for n in nums}, extra)
        full = dates_in_full(text) if kind == "time" else set()
        if full and not any(dates_in_full(evidence[n - 1].text) & full for n in nums):
            if more is not None and len(evidence) == scored:
                evidence.extend(more())
            found.search(evidence, scored, cvec, ev_vecs, confirm, dated=full)
        found.search(evidence, scored, cvec, ev_vecs, None)
        if len(found.added) < extra and confirm is not None and by_value:
            if more is not None and len(evidence) == scored:
                evidence.extend(more())
            found.search(evidence, scored, cvec, ev_vecs, confirm)
        out.append((text, list(nums) + found.added))
    return out


@dataclass
class _Corroboration:
    """The citations found so far for one claim: sentences of articles it does not cite yet."""

    claim: str
    question: str
    nums: list[int]
    articles: set[str]
    extra: int
    added: list[int] = field(default_factory=list)
    asked: int = 0  # LLM checks spent

    def search(self, evidence: list[EvidenceItem], scored: int, cvec: Any, ev_vecs: list[Any],
               confirm: Callable[[str, EvidenceItem], bool] | None, dated: set[str] | None = None) -> None:
        """Add, in evidence order, sentences of further articles that pass the support test (the first `scored`,
        which have vectors) or, given `confirm`, give the claim's answer and pass it (at most MAX_ANSWER_CHECKS
        asked per claim); given `dated`, only sentences that write one of those dates out in full."""
        for n, item in enumerate(evidence, start=1):
            if len(self.added) == self.extra:
                return
            if n in self.nums or item.passage.article.id in self.articles or (dated and not dates_in_full(item.text) & dated):
                continue
            ok = n <= scored and support(self.claim, self.question, item, cvec, ev_vecs[n - 1])[0]
            if not ok and confirm is not None and self.asked < MAX_ANSWER_CHECKS \
                    and same_answer(self.claim, self.question, item):
                self.asked += 1
                ok = confirm(self.claim, item)
            if ok:
                self.added.append(n)
                self.articles.add(item.passage.article.id)


def _vectors(claims: list[str], evidence: list[EvidenceItem], embedder: Embedder) -> tuple[Any, list[Any]]:
    """Embeddings of the claims, and of the evidence (kept from evidence selection; encoded here only if missing)."""
    missing = [e.context for e in evidence if e.vector is None]
    vectors = embedder.encode(claims + missing)
    extra = iter(vectors[len(claims):])
    return vectors[: len(claims)], [e.vector if e.vector is not None else next(extra) for e in evidence]
