"""A question that names something no indexed article mentions is refused, not answered from the rest.

"What did the Harbour Ledger report about Nadia Voss?" cannot be answered when no article has a word of
"Harbour Ledger" or "Nadia Voss": evidence about the question's other words would answer another question.
The names a question gives (people, companies, outlets, products; not its first word, not generic words like
"report" or "season", not an indexed outlet's own name) are looked up in the index; one word of a name found
is enough to keep it, since articles may be excerpts. More names missing than `max_missing_names` refuses.
A yes/no question (plan kinds yes_no and temporal) is exempt: it asks for a verdict on the reports it names,
and a name their sentences do not hold is something they do not say, for the verdict to weigh (MultiHop tune:
the check refused 3 such questions, all answerable, and every null question it refused asks for a name).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from index.settings import Settings
from qa.answer import Refusal
from qa.checks.base import Verdict
from qa.plan import question_kind
from qa.text import STOPWORDS

NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’&.-]*[\w](?:\s+(?:(?:of|de|da|van|von|al|bin)\s+)?[A-Z][\w'’&.-]*[\w])*")
GENERIC = frozenset("""article articles report reports reporter story piece coverage source sources outlet news
company individual person player service team week season game year month day monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october november december
according after before between considering which who what when where does did do is was were has have the this
that these those a an in on of for and or but as by from with while also both another other one two first second
ceo chief president chairman chairwoman director minister secretary senator governor founder executive officer
""".split())  # capitalised words that name no particular thing (a question's "Considering", "Monday", "Report",
# a role such as "CEO")


def outlet_words(outlets: Sequence[str]) -> set[str]:
    """The words of the outlets' names: never a name the question asks about or an answer."""
    return {w.lower() for o in outlets for w in re.findall(r"\w+", o)}


def missing_names(question: str, has_word: Callable[[str], bool], outlets: Sequence[str]) -> list[str]:
    """Names the question gives (people, companies, outlets, products) of which no word is in any indexed
    article: a question about something the articles never cover ("... by Bloomberg", "... on Shubha
    Satheesh"). One word found is enough to keep a name, since articles may be excerpts."""
    outlet_vocab = outlet_words(outlets)
    missing = []
    for m in NAME.finditer(question):
        if m.start() == 0:
            continue
        words = [w for w in re.findall(r"[^\W_]{3,}", m.group().lower())
                 if w not in STOPWORDS and w not in GENERIC and w not in outlet_vocab]
        if words and not any(has_word(w) for w in words):
            missing.append(m.group())
    return missing


class MissingNamesCheck:
    name = "missing_names"
    description = "refuse when the question names something no indexed article mentions"
    settings: tuple[str, ...] = ("max_missing_names",)

    def applies(self, question: str) -> bool:
        """A question that names something after its first word and asks for something, not yes or no."""
        return question_kind(question) not in ("yes_no", "temporal") and any(m.start() > 0 for m in NAME.finditer(question))

    def verdict(self, missing: Sequence[str], settings: Settings) -> Verdict:
        """Are the question's `missing` names (from `missing_names`) few enough to answer it?"""
        if len(missing) <= settings.max_missing_names:
            return Verdict(self.name, True)
        return Verdict(self.name, False, Refusal.NAME_MISSING.value, f"no article mentions {', '.join(missing[:3])}")


MISSING_NAMES_CHECK = MissingNamesCheck()
