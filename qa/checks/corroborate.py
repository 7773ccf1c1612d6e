"""A claim is cited from a second, independent article where one says the same.

The model cites one source where several say the same; a second source is what a reader checking the claim
wants. The second sentence must pass the claim's support test, or, for a question asking for a value, give
the same value about the same question and pass the LLM check; a date its cited sentences leave without its
year is corroborated first by a sentence that writes it out in full. The search itself is `qa.cite.corroborate`;
this check decides how many extra citations it looks for (`corroborating_citations`, 0 when switched off).
"""

from __future__ import annotations

from index.settings import Settings


class CorroborateCheck:
    name = "corroborate"
    description = "a second citation from another article that supports the claim or gives its value"
    settings: tuple[str, ...] = ("corroborating_citations",)

    def applies(self, question: str) -> bool:
        return True  # any claim may have a second source

    def extra_citations(self, settings: Settings) -> int:
        """How many citations of other articles to look for per claim (0: the check is switched off)."""
        return 0 if self.name in settings.disabled_checks else settings.corroborating_citations


CORROBORATE_CHECK = CorroborateCheck()
