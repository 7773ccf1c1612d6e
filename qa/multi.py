"""Questions across reports: one piece of evidence per part of the plan, then one composed, cited answer.

Stages (each a function of plain values): `gather` (retrieve per part, with the part's outlet and date
filters; one article per part, another article when the question says "another"), then by what the question
asks for: `pick_entity` (a name: the one that the parts' articles agree on), `oldest_first` (before/after;
`published_in_order` for "was X published before Y?"),
or a yes/no decided from the LLM's calibrated P(yes) to the whole question over each part's best sentences
and to each part alone (`YesNo.p_yes` against `yes_no_threshold`, or `temporal_threshold` for a question
about how reports relate over time: `yes_threshold`).
A part with no evidence makes the answer a refusal that says which part is missing. After the verdict,
`dated_reports` adds a citation for each report the question names by its day that no part's sentence comes
from (one part naming two dated reports of one outlet).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.embed import Embedder
from index.lexicon import SEARCH_STOPWORDS
from index.settings import Settings
from index.store import Store
from qa.checks.missing_names import GENERIC, NAME, outlet_words
from qa.evidence import EvidenceItem, sentences
from qa.plan import Kind, Part, Plan, clauses, find_outlets, part_words, report_days
from qa.retrieve import Filters, Passage, retrieve
from qa.text import STOPWORDS, stem, stems

_PERSON = re.compile(r"^\W*who\b|\b(?:which|what) (?:individual|person|player|man|woman|coach|figure|executive|"
                     r"ceo|founder|athlete|driver|singer|actor|actress)\b", re.I)
_POSSESSIVE = re.compile(r"['’]s?$")  # "Alameda Research’s" names Alameda Research
_FUNCTION_WORDS = STOPWORDS | SEARCH_STOPWORDS
_SENTENCE_END = ".!?:\n"
_CHOICE = re.compile(r"\b(\w+) or (\w+)\?\s*$", re.I)


@dataclass
class PartEvidence:
    part: Part
    items: list[EvidenceItem] = field(default_factory=list)  # best sentences of the part's article, best first
    also: list[EvidenceItem] = field(default_factory=list)  # those of its runner-up article (name questions)
    articles: list[str] = field(default_factory=list)  # article ids retrieved for the part, best first
    texts: dict[str, str] = field(default_factory=dict)  # article id -> title + text, for entity counting

    @property
    def found(self) -> bool:
        return bool(self.items)


def part_query(part: Part, question: str) -> str:
    """What a part is retrieved by: its own words, or the whole question when they are too few to search on."""
    return part.text if len(part_words(part)) >= 4 else question


def gather(plan: Plan, store: Store, embedder: Embedder, settings: Settings, filters: Filters) -> list[PartEvidence]:
    """Per part: retrieve with its filters, take the best article not already taken by an earlier part of the
    same outlets (every named report should be among the evidence), and rank that article's sentences."""
    out: list[PartEvidence] = []
    taken: set[str] = set()
    for part in plan.parts:
        query = part_query(part, plan.question)
        qvec = embedder.encode([query])[0]
        sources = tuple(part.outlets) or filters.sources
        f = Filters(part.since or filters.since, part.until or filters.until, sources)
        passages = retrieve(store, embedder, query, 8, settings.candidates, f, qvec)
        if not passages and (part.since or part.until):  # a date the index does not have: the outlet alone
            passages = retrieve(store, embedder, query, 8, settings.candidates,
                                Filters(filters.since, filters.until, sources), qvec)
        pe = PartEvidence(part)
        by_article: dict[str, list[Passage]] = {}
        for p in passages:
            by_article.setdefault(p.article.id, []).append(p)
        pe.articles = list(by_article)
        for aid in pe.articles[:3]:
            a = by_article[aid][0].article
            pe.texts[aid] = f"{a.title}. {store.article_text(aid)}"
        choice = next((a for a in pe.articles if a not in taken), None) if part.distinct or sources \
            else (pe.articles[0] if pe.articles else None)
        if choice is None:
            out.append(pe)
            continue
        taken.add(choice)
        pe.items = _ranked(query, qvec, by_article[choice], embedder)[:2]
        if plan.kind == "name":  # a description often holds for more than one report: its runner-up too
            runner = next((a for a in pe.articles if a not in taken), None)
            pe.also = _ranked(query, qvec, by_article[runner], embedder)[:2] if runner else []
        out.append(pe)
    return out


def _ranked(query: str, qvec: np.ndarray, passages: list[Passage], embedder: Embedder) -> list[EvidenceItem]:
    """The sentences of one article's passages, the most like the query (meaning and words) first."""
    items = sentences(query, passages)
    if items:
        vecs = embedder.encode([it.context for it in items])
        q = stems(query)
        for it, v in zip(items, vecs, strict=True):
            it.vector = v
            it.sim = float(np.dot(qvec, v))
            it.coverage = len(q & stems(it.context)) / len(q) if q else 0.0
            it.score = 0.55 * it.sim + 0.45 * it.coverage
        items.sort(key=lambda it: it.score, reverse=True)
    return items


def naming(parts: Sequence[PartEvidence], name: str) -> list[EvidenceItem]:
    """The sentences that support `name` as the answer: per part, its article's best sentence (the first that
    names it, when one does), then the best sentence of its runner-up article that names it; each article once."""
    last = name.split()[-1].lower()
    out: list[EvidenceItem] = []
    cited: set[str] = set()
    for pe in parts:
        if not pe.found:
            continue
        best = next((e for e in pe.items if last in e.text.lower()), pe.items[0])
        runner = next((e for e in pe.also if last in e.text.lower()), None)
        for e in (best, runner):
            if e is not None and e.passage.article.id not in cited:
                cited.add(e.passage.article.id)
                out.append(e)
    return out


def described(plan: Plan, store: Store, embedder: Embedder, settings: Settings, filters: Filters,
              cited: Sequence[EvidenceItem], limit: int = 4) -> list[EvidenceItem]:
    """More support for the answer: each clause of a which/who question describes what one report says of the
    entity, so per clause, the best article for it (from the outlets the clause names, else those the
    question names) is cited by its best sentence for the clause, when not cited yet. Up to `limit` articles in
    all, with `cited`. The article need not repeat the name: a report says "he" as often as "Altman"."""
    taken = {e.passage.article.id for e in cited}
    out: list[EvidenceItem] = []
    outlets = store.sources()
    for clause in clauses(plan.question):
        if len(taken) >= limit:
            break
        named = tuple(o for _, _, os in find_outlets(clause, outlets) for o in os)
        f = Filters(filters.since, filters.until, named or tuple(plan.named_outlets) or filters.sources)
        qvec = embedder.encode([clause])[0]
        passages = retrieve(store, embedder, clause, 8, settings.candidates, f, qvec)
        if not passages or passages[0].article.id in taken:
            continue
        best = _best_of_first(clause, qvec, passages, embedder)
        if best is not None:
            taken.add(best.passage.article.id)
            out.append(best)
    return out


def _best_of_first(query: str, qvec: np.ndarray, passages: list[Passage], embedder: Embedder) -> EvidenceItem | None:
    """The best sentence for `query` of the first passage's article (from all its passages retrieved)."""
    top = passages[0].article.id
    best = _ranked(query, qvec, [p for p in passages if p.article.id == top], embedder)
    return best[0] if best else None


def dated_reports(plan: Plan, store: Store, embedder: Embedder, settings: Settings, filters: Filters,
                  cited: Sequence[EvidenceItem]) -> list[EvidenceItem]:
    """Citations for the reports the question names by day that no cited sentence comes from ("TechCrunch's
    November 6 article ... and the December 15 article": one part, two reports). Each gets the best sentence of
    the best article of that day (from the outlets of the part naming the day, else the question's), for the
    part's words. Cited only: the verdict was decided on the parts, and stays as it was."""
    taken = {e.passage.article.id for e in cited}
    days = {e.passage.article.published for e in cited if e.passage.article.published}
    out: list[EvidenceItem] = []
    for since, until, written in report_days(plan.question):
        if any(since <= day <= until for day in days) or (filters.since and until < filters.since) \
                or (filters.until and since > filters.until):
            continue  # cited already, or outside the dates the user asked for
        part = next((p for p in plan.parts if written in p.text), None)
        query = part_query(part, plan.question) if part is not None else plan.question
        outlets = tuple(part.outlets if part is not None and part.outlets else plan.named_outlets) or filters.sources
        qvec = embedder.encode([query])[0]
        passages = [p for p in retrieve(store, embedder, query, 8, settings.candidates, Filters(since, until, outlets),
                                        qvec) if p.article.id not in taken]
        best = _best_of_first(query, qvec, passages, embedder) if passages else None
        if best is not None:
            taken.add(best.passage.article.id)
            days.add(best.passage.article.published)
            out.append(best)
    return out


def candidates(question: str, parts: Sequence[PartEvidence], outlets: Sequence[str]) -> list[tuple[str, int, int]]:
    """Names in the parts' articles that the question does not give, with how many parts' articles mention
    each and how often: (name, parts, mentions), the best-supported first. A name is counted by its last word
    ("Bankman-Fried" for "Sam Bankman-Fried"), shown in its longest form."""
    q = stems(question)
    outlet_vocab = outlet_words(outlets)
    found: list[tuple[int, str, str, bool]] = []  # (part, name, key, a lone word opening a sentence)
    for i, pe in enumerate(parts):
        for aid in pe.articles[:2]:
            text = pe.texts.get(aid, "")
            for m in NAME.finditer(text):
                if _shouted(m.group()):
                    continue
                words = _POSSESSIVE.sub("", m.group().strip(".")).split()
                before = text[max(0, m.start() - 4):m.start()].rstrip()
                opens = not before or before[-1] in _SENTENCE_END
                # a function word is capitalised for opening a sentence ("The FTX", "Because GPT-4"); inside a
                # sentence, a capitalised one belongs to the name ("the All Blacks")
                while opens and words and words[0].lower() in _FUNCTION_WORDS:
                    words = words[1:]
                if not words:
                    continue
                key = stem(words[-1])
                if (words[-1].lower() in STOPWORDS or words[-1].lower() in GENERIC or key in q
                        or words[-1].lower() in outlet_vocab or len(key) < 2):
                    continue
                found.append((i, " ".join(words), key, len(words) == 1 and opens))
    # a lone capitalised word opening a sentence ("Likely", "Biggest") is a name only if it is one elsewhere too
    # ("Doe told reporters" after "Jane Doe")
    named = {key for _, _, key, opener in found if not opener}
    forms: dict[str, Counter[str]] = {}
    support: dict[str, set[int]] = {}
    mentions: Counter[str] = Counter()
    for i, name, key, opener in found:
        if opener and key not in named:
            continue
        forms.setdefault(key, Counter())[name] += 1
        support.setdefault(key, set()).add(i)
        mentions[key] += 1
    # a question about a person ("who", "which individual") is answered by a full name (two words or more)
    person = bool(_PERSON.search(question))
    out = []
    for k in forms:
        top = max(forms[k].most_common(), key=lambda f: (len(f[0].split()) > 1, f[1]))[0]
        out.append((top, len(support[k]), mentions[k]))
    out.sort(key=lambda c: (len(c[0].split()) > 1 if person else True, c[1], c[2]), reverse=True)
    return out


def _shouted(mention: str) -> bool:
    """A headline word in capitals ("GREATEST") is no name; short acronyms ("NCAA", "NATO") are kept."""
    return " " not in mention.strip() and mention.isupper() and len(mention.strip(".")) >= 5


def choice_options(question: str) -> tuple[str, str] | None:
    """The two options a question offers: "before or after", "consistent or inconsistent" (a word and its
    negation), or two words closing the question ("... higher or lower?")."""
    m = re.search(r"\b(before) or (after)\b|\b(\w+) or ((?:in|un|non-?)(\w+))\b", question, re.I)
    if m and m.group(1):
        return m.group(1), m.group(2)
    if m and m.group(3).lower() == m.group(5).lower():
        return m.group(3), m.group(4)
    m = _CHOICE.search(question)
    if m and not {m.group(1).lower(), m.group(2).lower()} & (STOPWORDS | {"yes"}):
        return m.group(1), m.group(2)
    return None


_NEGATED_RELATION = re.compile(r"\bin(consisten(?:t|cy|cies))\b", re.I)


def positive_form(question: str) -> str | None:
    """A yes/no question asking whether reports were inconsistent, asked the positive way round ("Was the
    reporting inconsistent ...?" -> "Was the reporting consistent ...?"); None for any other question. A small
    model says yes to both forms over the same sentences, so the negated question is asked as the positive one
    and its answer inverted, as a choice ("consistent or inconsistent?") is asked as its first option."""
    if choice_options(question) or not _NEGATED_RELATION.search(question):
        return None
    return _NEGATED_RELATION.sub(lambda m: m.group(1), question)


# the order word follows the publishing verb itself, at most after a date ("published on 5 October, before"): a
# verb with an object of its own ("posted net income of $3bn after a decade of losses") is about the story's
# content, not about when the report came out
_ORDER_ASKED = re.compile(r"^\W*(?:was|were|did|is|does)\b[^?]*?\b(?:published|reported|released|posted|come out|came out|"
                          r"appeared?)(?:\s+(?:on|in)\s+[^?]{1,30}?)?,?\s+(before|after|earlier than|later than|prior to)\b",
                          re.I)


def asked_order(question: str) -> str | None:
    """"before" or "after" when a yes/no question asks whether one report came out before or after another
    ("Was the X article published before the Y report?"): the parts' published dates answer it, not the LLM."""
    m = _ORDER_ASKED.search(question)
    if not m:
        return None
    return "after" if m.group(1).lower() in ("after", "later than") else "before"


def first_two_dates(parts: Sequence[PartEvidence]) -> tuple[str, str] | None:
    """The published dates ("" when undated) of the first two parts' reports; None unless both were found."""
    if len(parts) < 2 or not all(pe.found for pe in parts[:2]):
        return None
    return parts[0].items[0].passage.article.published, parts[1].items[0].passage.article.published


def published_in_order(parts: Sequence[PartEvidence], order: str) -> bool | None:
    """Did the first part's report come out `order` ("before" / "after") the second's? None when either is
    missing or undated, or both are of the same day."""
    dates = first_two_dates(parts)
    if dates is None or not all(dates) or dates[0] == dates[1]:
        return None
    return dates[0] < dates[1] if order == "before" else dates[0] > dates[1]


def oldest_first(items: Sequence[EvidenceItem]) -> list[EvidenceItem]:
    """Sentences ordered by their report's published date, oldest first (undated last)."""
    return sorted(items, key=lambda e: e.passage.article.published or "9999")


def yes_threshold(kind: Kind, settings: Settings) -> float:
    """The P(yes) at which a yes/no question across reports of plan kind `kind` is answered yes (or its first
    option). The model's P(yes) to a question about how reports relate over time ("was there a change?",
    "consistent or inconsistent?") runs lower than to a plain yes/no question for the same evidence, so
    temporal questions have their own fitted threshold (labelled rows of each kind: bench.calibrate)."""
    return settings.temporal_threshold if kind == "temporal" else settings.yes_no_threshold


def yes_no_messages(question: str, parts: Sequence[PartEvidence], system: str, user: str) -> list[dict[str, str]]:
    """The yes/no prompt: each found part as its outlet and its best sentences (all `gather` kept), one line per
    part. More of each report than its one best sentence separates gold yes from gold no better: AUC 0.79 vs
    0.70 on the tune split of the MultiHop sets (`python -m bench.yes_no_signals`)."""
    lines = [f"({pe.items[0].passage.article.source}) " + " ".join(e.text for e in pe.items)
             for pe in parts if pe.found]
    return [{"role": "system", "content": system},
            {"role": "user", "content": user.format(sources="\n".join(lines), question=question)}]


@dataclass
class YesNo:
    """The two P(yes) a yes/no answer is decided from: the LLM's to the whole question over every part's
    sentences, and to each part's own words over its own sentences."""

    whole: float
    parts: list[float]

    @property
    def p_yes(self) -> float:
        """The mean of the whole question's P(yes) and the weakest part's. A "yes" needs every part to hold;
        the whole question sees how the parts relate. On the 76 MultiHop tune questions (2026-12-03, `python -m
        bench.yes_no_signals`): AUC 0.76 against gold, vs 0.74 for the whole question alone and 0.73 for the
        weakest part alone; on the 21 of them written that day, 0.81 vs 0.75 and 0.78."""
        return (self.whole + min(self.parts, default=self.whole)) / 2


def decide_yes_no(question: str, parts: Sequence[PartEvidence], p_yes: Callable[[list[dict[str, str]]], float],
                  system: str, user: str) -> YesNo:
    """The LLM's P(yes) to the whole question given each part's best sentences, and to each found part's own
    words given its own sentences. A choice ("consistent or inconsistent?") is asked as its first option
    ("consistent?"), so yes means the first."""
    options = choice_options(question)
    if options:
        question = re.sub(rf"\b{re.escape(options[0])} or {re.escape(options[1])}\b", options[0], question, flags=re.I)
    whole = p_yes(yes_no_messages(question, parts, system, user))
    each = [p_yes(yes_no_messages(pe.part.text.strip(" ?,") + "?", [pe], system, user)) for pe in parts if pe.found]
    return YesNo(whole, each)
