"""The claim acceptance model: one fitted probability that a drafted claim, cited to a sentence, is right.

Each guard of the single-fact path (a name of the claim the sentence does not say, a year of the question the
sentence does not say, a name the article never mentions, the LLM's P(yes) that the sentence says the claim,
its P(yes) that the claim answers the question, the number of articles giving the same value) used to veto
on its own, and each vetoed right and wrong drafts alike (about 1 right to 2.5 wrong). Here they are features
of one logistic regression, fitted on the drafted claims of the tune split (label: the claim holds the gold
answer and cites an article that gives it; every claim of an unanswerable question is 0) by
`python -m bench.claim_accept fit`; a claim keeps the citations whose probability reaches the fitted
`threshold`. A strong signal can now outweigh a weak veto (the question's year said only in the headline of
another article, a draft word the question itself gave), and weak signals together can refuse.

The model is used when `claim_accept_model` is on. It is off by default: on the test split it lost more
than it won (rgb_own 66 -> 62 of 108, README "Measured and not kept"); the rows and the refit command stay
for the next attempt.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from qa.cite import SupportFacts
from qa.evidence import EvidenceItem

ACCEPT_MODEL = Path(__file__).with_name("claim_accept.json")
ACCEPT_FEATURES = ("p_yes", "p_rel", "agree", "missing", "coverage", "sim", "unsaid_number", "absent",
                   "off_topic", "conflict", "rank", "typed")


def claim_features(facts: SupportFacts, item: EvidenceItem, p_yes: float, p_rel: float,
                   agree: int) -> dict[str, float]:
    """The model's inputs for one (claim, cited sentence) pair, each on a 0..1-ish scale."""
    keys = max(1, facts.off.question_keys)
    return {
        "p_yes": p_yes,  # the LLM: does the sentence say the claim?
        "p_rel": p_rel,  # the LLM: does the claim answer the question?
        "agree": min(agree, 3) / 3,  # articles giving the claim's value (qa/checks/agreement.py)
        "missing": float(bool(facts.missing)),  # a name or number of the claim the sentence does not say
        "coverage": facts.coverage,  # share of the claim's new words the sentence holds
        "sim": facts.sim,
        "unsaid_number": float(bool(facts.off.unsaid_numbers)),  # a year / number of the question unsaid
        "absent": len(facts.off.absent) / keys,  # question names the article never mentions
        "off_topic": len(facts.off.off_topic) / keys,  # question names not in the sentence or the two before
        "conflict": float(bool(facts.off.conflict)),  # another year / season / numbered thing
        "rank": item.rank,  # the evidence rank model's score (a logit) that the sentence holds the answer
        "typed": float(item.typed),  # the sentence holds the kind of value the question asks for
    }


@dataclass(frozen=True)
class AcceptModel:
    weights: dict[str, float]
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        z = self.weights.get("bias", 0.0) + sum(self.weights[f] * features[f] for f in ACCEPT_FEATURES)
        return 1.0 / (1.0 + math.exp(-z))


def load_model(path: Path = ACCEPT_MODEL) -> AcceptModel:
    """The fitted weights (one per feature, and `bias`) and the acceptance threshold."""
    data = json.loads(path.read_text())
    return AcceptModel({k: float(v) for k, v in data["weights"].items()}, float(data["threshold"]))
