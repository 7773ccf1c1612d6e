"""A sentence that names a role only as someone's former one does not say who holds it now.

"Who is the CEO of X?" asks for the present holder of a role; "Y, former CEO of X", "ex-CEO Y" or "the
outgoing president, Y" says Y held it once, or is leaving it. A question in the past tense ("Who was FIFA's
president when ...?") is exempt, and so is a sentence that also names the role without such a word
("Z, who succeeded former CEO Y" can still say who the CEO is).
"""

from __future__ import annotations

import re

from qa.checks.base import Verdict

# "who is the (current) <role> of|at|for|in ...": the role is the one to three words before the preposition
_ASKS_HOLDER = re.compile(r"^\W*who(?:\s+is|\s+are|['’]s)\s+(?:the\s+|an?\s+)?(?:current\s+)?"
                          r"((?:[\w-]+\s+){0,2}?[\w-]+?)\s+(?:of|at|for|in)\b", re.I)
# a word that puts a role's holder in the past; "then" only as "then-CEO" ("she then became CEO" is not past)
_PAST = r"(?:former|ex|onetime|one-time|previous|erstwhile|outgoing|retiring|retired|then(?=-))"


def asked_role(question: str) -> str:
    """The role a present-tense "who is the ... of X?" question asks the holder of (its last word), or ""."""
    m = _ASKS_HOLDER.search(question)
    return m.group(1).split()[-1] if m else ""


def only_former(role: str, sentence: str) -> bool:
    """Does `sentence` name `role` (any case, plural too), and every time with a word that puts its holder in the
    past ("former CEO", "ex-president", "former Google CEO")?"""
    said = re.findall(rf"\b{re.escape(role)}s?\b", sentence, re.I)
    past = re.findall(rf"\b{_PAST}[\s-]+(?:[\w.'’&-]+\s+){{0,2}}?{re.escape(role)}s?\b", sentence, re.I)
    return bool(said) and len(past) >= len(said)


class FormerRoleCheck:
    name = "former_role"
    description = "the sentence names the role the question asks the present holder of only as a former one"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        """Only a present-tense question for the holder of a role ("Who is the CEO of X?")."""
        return bool(asked_role(question))

    def verdict(self, question: str, evidence_text: str, published: str) -> Verdict:
        role = asked_role(question)
        if role and only_former(role, evidence_text):
            return Verdict(self.name, False, "former_role", f"it names a former {role}, not the present one")
        return Verdict(self.name, True)


FORMER_ROLE_CHECK = FormerRoleCheck()
