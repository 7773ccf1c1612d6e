"""Does an evidence sentence fit the question's year and tense?

Lexical overlap cannot tell "Rybakina won Wimbledon on Saturday" (an article of July 2022) from an answer to
"Who won Wimbledon in 2018?", nor "the winner will be announced on Friday" from one to "Who won?". Both are
conflicts of a small, checkable kind, each a check of its own in qa/checks/ (`EVIDENCE_FIT`: year,
still_to_come). A sentence that conflicts with the question on any is not evidence for it;
the first check that fails, in their declared order, says why.
"""

from __future__ import annotations

from collections.abc import Container

from qa.checks import EVIDENCE_FIT, Verdict


def misfit(question: str, evidence: str, published: str, skip: Container[str] = ()) -> Verdict | None:
    """The first evidence-fit check that `evidence` (relative dates resolved; its article published on
    `published`) fails for `question`, or None when it fits. `skip`: names of checks switched off."""
    for check in EVIDENCE_FIT:
        if check.name in skip or not check.applies(question):
            continue
        verdict = check.verdict(question, evidence, published)
        if not verdict.ok:
            return verdict
    return None


def conflict(question: str, evidence: str, published: str, skip: Container[str] = ()) -> str:
    """Why `evidence` (with relative dates resolved) cannot answer `question`, or '' when it fits.
    `skip`: names of checks (qa/checks/: the `EVIDENCE_FIT` ones) switched off."""
    verdict = misfit(question, evidence, published, skip)
    return verdict.detail if verdict else ""
