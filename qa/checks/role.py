"""An answer fills the role the question asks for: in "A beat B", A won and B lost.

Results are reported as one side beating the other ("Halep beats Williams to win the title", "Medvedev
defeated Djokovic in the final", "Williams lost to Andreescu"). A small model asked who won often names the
other side, and a judge shown the sentence agrees, since both names are in it. This check reads the sentence's
winner and loser from its wording and fails a claim whose answer name is the other side of what the question
asks: the loser for "who won" / "the winner", the winner for "who did A beat" / "the runner-up".
"""

from __future__ import annotations

import re

from qa.checks.base import Verdict
from qa.text import _NAME_RUN, answer_name, stems

# "A beat B" (active: the winner first) and "B lost to A" (the loser first)
_BEAT = r"(?:beat|beats|defeated|defeats|edged|edges|overcame|overcomes|outlasted|outlasts|downed|downs|topped|tops|won against|wins against|prevailed over|triumphed over)"
_LOST = r"(?:lost to|loses to|fell to|falls to|was beaten by|were beaten by|was defeated by|were defeated by)"
_ASKS_LOSER = re.compile(r"\b(?:who|whom|which \w+) did .{1,60}?\b(?:beat|defeat|overcome|edge)\b|\brunners?[- ]up\b|"
                         r"\bfinish(?:ed)? second\b|\blosing finalist\b|\bwho lost\b", re.I)
_ASKS_WINNER = re.compile(r"\b(?:who|which \w+) (?:won|wins|has won|will win|beat|defeated)\b|\bwinners?\b|"
                          r"\bchampions?\b", re.I)


def asked_role(question: str) -> str:
    """'winner', 'loser' or '' (the question asks for neither side of a result)."""
    if _ASKS_LOSER.search(question):
        return "loser"
    return "winner" if _ASKS_WINNER.search(question) else ""


def _last_name(text: str) -> set[str]:
    names = list(_NAME_RUN.finditer(text))
    return stems(names[-1].group()) if names else set()


def _first_name(text: str) -> set[str]:
    m = _NAME_RUN.search(text)
    return stems(m.group()) if m else set()


def sides(sentence: str) -> tuple[set[str], set[str]]:
    """The stems of the winner's and the loser's names in a result sentence ("A beat B", "B lost to A"), or two
    empty sets when it reports no result between two names."""
    for verb, winner_first in ((_BEAT, True), (_LOST, False)):
        m = re.search(r"\b" + verb + r"\b", sentence, re.I)
        if not m:
            continue
        before, after = _last_name(sentence[:m.start()]), _first_name(sentence[m.end():])
        if before and after:
            return (before, after) if winner_first else (after, before)
    return set(), set()


class RoleCheck:
    name = "role"
    description = "the claim's answer name is the side of a result the question asks for (the winner of 'A beat B' is A)"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        return bool(asked_role(question))

    def verdict(self, question: str, claim: str, evidence_text: str) -> Verdict:
        """Does `claim` answer with the side of a result in `evidence_text` that `question` asks for?"""
        role = asked_role(question)
        name = answer_name(claim, question)
        if not role or not name:
            return Verdict(self.name, True)
        winner, loser = sides(evidence_text)
        wrong, right = (loser, winner) if role == "winner" else (winner, loser)
        if wrong and name <= wrong and not name & right:
            return Verdict(self.name, False, "other_role", f"in the source {' '.join(sorted(name))} is the "
                           f"{'loser' if role == 'winner' else 'winner'}, not the {role}")
        return Verdict(self.name, True)


ROLE_CHECK = RoleCheck()
