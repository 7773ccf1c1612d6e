"""A sentence about a longer title than the one the question names is about another work.

"The Lantern of Vell: Tides of Amber Remastered Edition" is not "The Lantern of Vell: Tides of Amber": where
the question names a work (a run of three or more capitalised words) and the sentence gives that title
followed by another capitalised word or a number, the sentence is about a remake, an album, a sequel.
"""

from __future__ import annotations

import re

from qa.checks.base import Verdict

_TOKEN = re.compile(r"[\w'’!-]+|:")
_JOINERS = {"of", "the", "and", "de", "a", ":"}


def titles(question: str) -> list[str]:
    """Multi-word names of works or events in the question ('The Legend of Zelda: Ocarina of Time'):
    runs of capitalised words (with 'of', 'the', ':' inside) holding at least three capitalised words."""
    out: list[str] = []
    run: list[str] = []
    for tok in _TOKEN.findall(question) + ["."]:
        if tok[0].isupper() or tok[0].isdigit() or (run and tok.lower() in _JOINERS):
            run.append(tok)
            continue
        while run and run[-1].lower() in _JOINERS:
            run.pop()
        if sum(t[0].isupper() for t in run) >= 3:
            out.append(" ".join(run).replace(" :", ":"))
        run = []
    return out


def longer_title(question: str, evidence: str) -> str:
    """'X Re-Arranged Album' or 'X 3D' in the evidence where the question asks about X: another work."""
    for title in titles(question):
        pattern = r"\s*".join(re.escape(t) for t in title.split()) + r"\s+([A-Z0-9][\w'’-]*)"
        for m in re.finditer(pattern, evidence, re.I):
            if m.group(1)[0].isupper() or m.group(1)[0].isdigit():
                return f"{title} {m.group(1)}"
    return ""


class TitleCheck:
    name = "title"
    description = "the sentence is about a longer title, another work ('... 3D' for the original)"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        """Only a question naming a work by a title of three or more capitalised words."""
        return bool(titles(question))

    def verdict(self, question: str, evidence_text: str, published: str) -> Verdict:
        other = longer_title(question, evidence_text)
        if other:
            return Verdict(self.name, False, "longer_title", f"it is about {other}")
        return Verdict(self.name, True)


TITLE_CHECK = TitleCheck()
