"""A sentence about another year than the question's is not evidence for it.

The year a sentence is about is its own years (with relative dates resolved: "on Saturday [9 July 2024]"),
else its article's published year. Reporting runs ahead of and behind an event ("the 2031 final" is news in
2030 and 2032), so an undated sentence fits when its article is within a year of one the question names.
"""

from __future__ import annotations

from qa.checks.base import Verdict
from qa.dates import YEAR


def years(text: str) -> set[int]:
    """Four-digit years (1800-2099) in `text`, not parts of larger figures."""
    return {int(y) for y in YEAR.findall(text)}


class YearCheck:
    name = "year"
    description = "the sentence is about another year than the question (its years, or its article's)"
    settings: tuple[str, ...] = ()

    def applies(self, question: str) -> bool:
        """Only a question that names a year can be answered by a sentence about the wrong one."""
        return bool(years(question))

    def verdict(self, question: str, evidence_text: str, published: str) -> Verdict:
        q_years = years(question)
        if not q_years:
            return Verdict(self.name, True)
        e_years = years(evidence_text)
        if e_years and not e_years & q_years:
            return Verdict(self.name, False, "other_year", f"it is about {max(e_years)}, not {max(q_years)}")
        if not e_years and published[:4].isdigit():
            pub = int(published[:4])
            if not any(abs(pub - y) <= 1 for y in q_years):
                return Verdict(self.name, False, "published_other_year",
                               f"it was published in {pub}, not around {max(q_years)}")
        return Verdict(self.name, True)


YEAR_CHECK = YearCheck()
